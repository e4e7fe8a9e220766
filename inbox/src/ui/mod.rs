//! The inbox's views: the sign-in form, or the two panes (`list`, `conversation`) under a top bar; and the one
//! window-level key handler that turns key presses into [`crate::nav::Command`]s.

mod composer;
mod conversation;
mod list;
mod openclaw;
mod password;
mod sign_in;
mod transcript;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::nav::{self, Command, Focus};
use crate::state::{Inbox, Session};
use crate::unread;

/// The id of the composer's textarea (Esc leaves it, opening a conversation does not steal focus into it).
pub const COMPOSER_ID: &str = "composer";
/// The id of the conversation list (focus returns there).
pub const LIST_ID: &str = "conversation-list";

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let inbox = Inbox::new();
    inbox.start();
    keyboard(inbox);
    Effect::new(move |_| {
        let open = inbox.open.get();
        let total = inbox.conversations.with(|c| unread::total(c.all(), open.as_deref()));
        document().set_title(&unread::title(total));
    });
    move || match inbox.session.get() {
        Session::Checking => view! { <main class="loading"><p>"Loading the inbox…"</p></main> }.into_any(),
        Session::SignedOut => sign_in::view(inbox).into_any(),
        Session::SignedIn(me) => view! {
            <header class="top">
                <h1>"Inbox"</h1>
                <p class="live" data-testid="live" aria-live="polite">
                    {move || if inbox.live.get() { "Live" } else { "Connecting…" }}
                </p>
                <p class="me">"Signed in as " <strong data-testid="me">{me.member.name.clone()}</strong></p>
                {me.member.manages_team().then(|| openclaw::view(inbox))}
                {password::view(inbox)}
                <button type="button" class="sign-out" data-testid="sign-out" on:click=move |_| inbox.sign_out()>
                    "Sign out"
                </button>
            </header>
            <main class="panes">
                {list::view(inbox)}
                {conversation::view(inbox)}
            </main>
            <p class="keys">
                <kbd>"j"</kbd>" / "<kbd>"k"</kbd>" move · "<kbd>"Enter"</kbd>" open · "<kbd>"t"</kbd>" take over · "
                <kbd>"Esc"</kbd>" leave the composer / close"
            </p>
        }
        .into_any(),
    }
}

/// Where the keyboard is, from the focused element.
fn focus_of(target: Option<web_sys::Element>) -> (Focus, bool) {
    let tag = target.as_ref().map(|t| t.tag_name().to_ascii_lowercase()).unwrap_or_default();
    let text = matches!(tag.as_str(), "input" | "textarea" | "select");
    // Enter on a button or link is the browser's (it presses it).
    let control = text || matches!(tag.as_str(), "button" | "a" | "summary");
    (if text { Focus::TextField } else { Focus::Elsewhere }, control)
}

/// The window's key handler: j/k, Enter, t, Esc (see [`crate::nav`]).
fn keyboard(inbox: Inbox) {
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || e.is_composing() {
            return;
        }
        if !matches!(inbox.session.get_untracked(), Session::SignedIn(_)) {
            return;
        }
        let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let (focus, control) = focus_of(target);
        let key = e.key();
        if key == "Enter" && control {
            return;
        }
        let me = inbox.me_id();
        let visible: Vec<String> = inbox.filter.with_untracked(|f| {
            inbox.conversations.with_untracked(|c| c.visible(f, &me).map(|i| i.id.clone()).collect())
        });
        let visible: Vec<&str> = visible.iter().map(String::as_str).collect();
        let cursor = inbox.cursor.get_untracked();
        let open = inbox.open.get_untracked();
        let Some(command) = nav::command(&key, focus, &visible, cursor.as_deref(), open.as_deref()) else { return };
        e.prevent_default();
        match command {
            Command::MoveTo(id) => {
                inbox.cursor.set(Some(id.clone()));
                focus_list();
                scroll_to(&list::option_id(&id));
            }
            Command::Open(id) => inbox.open_conversation(id),
            Command::TakeOver => inbox.take_over(),
            Command::LeaveComposer => focus_list(),
            Command::Close => {
                inbox.close();
                focus_list();
            }
        }
    });
    // The handler lives as long as the page.
    std::mem::forget(handle);
}

/// Moves focus to the conversation list.
pub fn focus_list() {
    if let Some(el) = document().get_element_by_id(LIST_ID).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Scrolls the element `id` into view, as little as needed.
fn scroll_to(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
