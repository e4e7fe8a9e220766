//! The transcript.
//!
//! A keyed `For`: adding a message adds one bubble, and a streamed delta re-renders only its own bubble. A long
//! restored conversation is windowed: only the newest [`FIRST_WINDOW`] messages are drawn at first, and older ones
//! are added [`WINDOW`] at a time as the visitor scrolls near the top.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use leptos::prelude::*;
use quincer_protocol::conversation::Role;
use web_sys::Element;

use super::markdown_view::Markdown;
use crate::chat::ChatMessage;

/// Messages drawn when the transcript is first shown: enough to overfill the tallest panel (a phone's full screen)
/// even with one-line messages, so there is always something to scroll, and few enough that a restored
/// conversation opens at once (a 1,000-message restore until the newest is in view: 40 drawn, 73–108 ms; 24,
/// 59–70 ms).
pub const FIRST_WINDOW: usize = 24;

/// Older messages added per step when the visitor scrolls near the top.
pub const WINDOW: usize = 40;

/// Index of the oldest message drawn. A plain static, not a field of [`crate::chat::Session`]: the page has one
/// widget and one transcript at a time (set when the transcript is drawn), and each generic accessor of a stored
/// value costs wasm bytes.
static SHOWN_FROM: AtomicUsize = AtomicUsize::new(0);

/// All bubbles of `messages` from [`SHOWN_FROM`] on, with `greeting` when the conversation is empty (the owner's
/// own plain text: no markdown needed); keeps the newest in view. Prices are formatted for `locale`.
///
/// `messages` is only read here, but it is the read-write signal: [`scrolled`] runs the list again on it (a
/// read-only handle would be one more signal type in the wasm). A plain function, not a `#[component]`: see
/// [`super::composer::composer`].
pub fn message_list(
    messages: RwSignal<Vec<ChatMessage>>,
    greeting: impl Fn() -> String + Send + Sync + 'static,
    locale: String,
) -> impl IntoView {
    // Messages are only appended (or a fresh reply dropped), so new ones are always drawn; the window only grows.
    // Unset until the `For` first runs, which draws the newest [`FIRST_WINDOW`] messages.
    SHOWN_FROM.store(usize::MAX, Relaxed);
    let each = move || {
        let list = messages.read();
        let from = SHOWN_FROM.load(Relaxed).min(list.len().saturating_sub(FIRST_WINDOW));
        SHOWN_FROM.store(from, Relaxed);
        list[from..].to_vec()
    };
    // The scroller is a reversed flex column around the log: its scroll origin is the bottom, so the newest
    // message stays in view as bubbles are added and replies stream, with no script, a visitor who scrolled
    // up to read stays where they are, and older messages drawn at the top do not move what is in view.
    view! {
        <div class="scroller">
        <div class="messages" role="log" aria-live="polite" data-testid="quincer-messages">
            // Always in the DOM (cheaper than mounting it on demand), and first: the stylesheet hides it once it
            // has siblings, the conversation's messages (no reactive binding to ship).
            <div class="msg assistant" data-testid="quincer-greeting">
                <div class="bubble">
                    {greeting}
                </div>
            </div>
            <For
                each=each
                key=|m: &ChatMessage| m.key.clone()
                children=move |m: ChatMessage| view! { <Bubble msg=m locale=locale.clone() /> }
            />
        </div>
        </div>
    }
}

/// After `target` scrolled (the container's delegated listener): if it is the transcript and within a screen of
/// its top, draws the previous [`WINDOW`] messages of `messages`.
pub fn scrolled(target: &Element, messages: RwSignal<Vec<ChatMessage>>) {
    // Scrolled up, `scrollTop` is negative in a reversed column (only the transcript is one: a product carousel's
    // is 0), and the distance to the top is `scrollHeight - clientHeight + scrollTop`.
    let top = target.scroll_top();
    let from = SHOWN_FROM.load(Relaxed);
    if top >= 0 || from == 0 || target.scroll_height() - 2 * target.client_height() + top > 0 {
        return;
    }
    SHOWN_FROM.store(from.saturating_sub(WINDOW), Relaxed);
    // History is not news: the log is quiet while it grows at the top, so screen readers do not read out the
    // older messages as if they had just arrived; polite again once they are drawn.
    let log = target.first_element_child();
    if let Some(log) = &log {
        let _ = log.set_attribute("aria-live", "off");
    }
    // Runs the `For` again, with the new window.
    messages.update(|_| ());
    leptos::task::spawn_local(async move {
        crate::browser::sleep_ms(500).await;
        if let Some(log) = log {
            let _ = log.set_attribute("aria-live", "polite");
        }
    });
}

/// One message, or a system line.
#[component]
fn Bubble(msg: ChatMessage, locale: String) -> impl IntoView {
    if msg.notice {
        return view! {
            <div class="notice" role="status" data-testid="quincer-notice">{msg.text.get_untracked()}</div>
        }
        .into_any();
    }
    let role = msg.role.as_str();
    let text = msg.text.clone();
    let body = match msg.role {
        // The visitor's own words are shown exactly as typed.
        Role::User => (move || text.get()).into_any(),
        _ => view! { <Markdown text=text products=msg.products.clone() locale=locale /> }.into_any(),
    };
    let streaming = msg.streaming.clone();
    let busy = msg.streaming.clone();
    let typing = move || streaming.get() && msg.text.with(String::is_empty);
    view! {
        <div class=format!("msg {role}") data-testid="quincer-message" data-role=role data-key=msg.key>
            {msg.speaker.map(|s| view! { <span class="speaker">{s}</span> })}
            <div class="bubble" aria-busy=move || busy.get().to_string()>
                {body}
                <span class="typing" data-testid="quincer-typing" aria-hidden="true" hidden=move || !typing()>
                    <i></i><i></i><i></i>
                </span>
            </div>
        </div>
    }
    .into_any()
}
