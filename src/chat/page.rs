//! Follows the host page's URL, so the persona fits the page, single-page apps included.
//!
//! The loader wraps `history.pushState` / `replaceState` to fire a `quincer:navigate` event on `window` (a
//! module cannot see those calls otherwise); with `popstate` and `hashchange` that covers every client-side
//! navigation. Until the visitor has sent a message the persona follows the page; once a conversation has started
//! it keeps its persona, so nobody is handed to a different bot mid-thread (a handoff can still change it).
//! The server matches URLs to personas (the session call answers which persona speaks on a page): the widget
//! carries no pattern matcher.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quincer_protocol::session::{SessionRequest, WidgetSession};
use wasm_bindgen::prelude::*;

use super::Chat;
use crate::api::ApiFailure;

/// The host page's URL now.
pub fn current_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

impl Chat {
    /// Asks the server for this visitor's session again, for another page (persona) or language; the answer's
    /// second half is the interface strings as the engine parsed them.
    pub async fn ask_session(
        self,
        page_url: Option<String>,
        locale: Option<String>,
    ) -> Result<(WidgetSession, JsValue), ApiFailure> {
        let (api, token) = self.session.with_value(|s| (s.api.clone(), s.visitor_token.clone()));
        api.session(&SessionRequest { visitor_token: Some(token), page_url, locale }).await
    }

    /// Whether the persona may still follow the page: no conversation under way.
    fn persona_follows_page(self) -> bool {
        self.messages.with_untracked(Vec::is_empty) && self.agent.with_untracked(Option::is_none)
    }

    /// Asks the server which persona speaks on the current URL, unless a conversation is under way.
    pub fn follow_page(self) {
        if !self.persona_follows_page() {
            return;
        }
        let page_url = current_url();
        spawn_local(async move {
            let Ok((answer, _)) = self.ask_session(Some(page_url), None).await else { return };
            // The visitor may have started a conversation meanwhile.
            if !self.persona_follows_page() {
                return;
            }
            let next = answer.personas.into_iter().find(|p| Some(&p.id) == answer.persona_id.as_ref());
            if next.as_ref().map(|p| &p.id)
                != self.persona.with_untracked(|p| p.as_ref().map(|p| p.id.clone())).as_ref()
            {
                self.persona.set(next);
            }
        });
    }
}

/// Listens for navigations for the page's lifetime.
pub fn follow_navigation(chat: Chat) {
    let Some(window) = web_sys::window() else { return };
    let on_navigate = Closure::<dyn Fn()>::new(move || chat.follow_page());
    for event in [crate::host_api::event::NAVIGATE, "popstate", "hashchange"] {
        let _ = window.add_event_listener_with_callback(event, on_navigate.as_ref().unchecked_ref());
    }
    // The widget is never unmounted: the listener lives as long as the page.
    on_navigate.forget();
}
