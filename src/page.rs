//! Follows the host page's URL, so the persona fits the page, single-page apps included.
//!
//! The loader wraps `history.pushState` / `replaceState` to fire a `quincer:navigate` event on `window` (a
//! module cannot see those calls otherwise); with `popstate` and `hashchange` that covers every client-side
//! navigation. Until the visitor has sent a message the persona follows the page; once a conversation has started
//! it keeps its persona, so nobody is handed to a different bot mid-thread (a handoff can still change it).

use leptos::prelude::*;
use quincer_protocol::url_pattern;
use wasm_bindgen::prelude::*;

use crate::state::Chat;

/// The host page's URL now.
pub fn current_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

impl Chat {
    /// Re-picks the persona for the current URL, unless a conversation is under way.
    pub fn follow_page(self) {
        if !self.messages.with_untracked(Vec::is_empty) || self.agent.with_untracked(Option::is_some) {
            return;
        }
        let url = current_url();
        let next = self.session.with_value(|s| url_pattern::choose(&s.personas, &url).cloned());
        if next.as_ref().map(|p| &p.id) != self.persona.with_untracked(|p| p.as_ref().map(|p| p.id.clone())).as_ref() {
            self.persona.set(next);
        }
    }
}

/// Listens for navigations for the page's lifetime.
pub fn follow_navigation(chat: Chat) {
    let Some(window) = web_sys::window() else { return };
    let on_navigate = Closure::<dyn Fn()>::new(move || chat.follow_page());
    for event in ["quincer:navigate", "popstate", "hashchange"] {
        let _ = window.add_event_listener_with_callback(event, on_navigate.as_ref().unchecked_ref());
    }
    // The widget is never unmounted: the listener lives as long as the page.
    on_navigate.forget();
}
