//! The conversation's live event stream: a human agent joining, their messages, handback, persona changes.
//!
//! One long-lived `fetch` of `/api/widget/conversations/:id/events`, parsed with the same SSE parser as chat
//! replies. Every event carries an id; the widget remembers the newest and resumes after it (`Last-Event-ID`),
//! so a dropped connection or a server restart loses nothing, and an agent message already shown is skipped.
//! The connection is re-made with backoff after a drop, and at once when the tab becomes visible or the browser
//! comes back online.

use leptos::prelude::*;
use quincer_protocol::conversation::Role;
use quincer_protocol::events::LiveEvent;
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

use super::{Chat, ChatMessage};
use crate::api::ApiFailure;
use crate::browser::{console_error, sleep_ms};
use crate::json;
use crate::sse::SseParser;

/// Longest pause between reconnection attempts.
const MAX_BACKOFF_MS: u32 = 30_000;

impl Chat {
    /// Starts the live stream once (later calls do nothing).
    pub fn start_live(self) {
        if self.session.with_value(|s| s.live) {
            return;
        }
        self.session.update_value(|s| s.live = true);
        listen_for_resync(self);
        leptos::task::spawn_local(run(self));
    }

    /// Applies one event.
    fn apply_event(self, event: LiveEvent) {
        match event {
            LiveEvent::Takeover(e) => {
                let line = crate::i18n::fill("notice.joined", &[("name", &e.agent.name)]);
                let avatar = e.agent.avatar_url.as_deref().map_or(JsValue::NULL, JsValue::from);
                let agent = crate::host_api::object(&[("name", e.agent.name.as_str().into()), ("avatar_url", avatar)]);
                crate::host_api::emit(crate::host_api::event::TAKEOVER, &[("agent", agent)]);
                self.agent.set(Some(e.agent));
                self.messages.update(|m| m.push(ChatMessage::notice(line)));
            }
            LiveEvent::Message(e) => {
                let m = e.message;
                // A replayed event for a message already on screen (restored or received before a drop).
                if self.messages.with_untracked(|list| list.iter().any(|x| x.key == m.id)) {
                    return;
                }
                self.announce_message(&m.id, Role::Agent, &m.text, m.speaker_name.as_deref());
                let bubble = ChatMessage::new(m.id, Role::Agent, m.text, m.speaker_name);
                self.messages.update(|list| list.push(bubble));
            }
            LiveEvent::Handback(e) => {
                let persona = e.persona.as_ref().map_or(JsValue::NULL, |p| {
                    crate::host_api::object(&[("id", p.id.as_str().into()), ("name", p.name.as_str().into())])
                });
                crate::host_api::emit(crate::host_api::event::HANDBACK, &[("persona", persona)]);
                if let Some(p) = e.persona {
                    self.persona.set(Some(p));
                }
                self.agent.set(None);
                let line = crate::i18n::fill("notice.back", &[("name", &self.title())]);
                self.messages.update(|m| m.push(ChatMessage::notice(line)));
            }
            LiveEvent::Persona(e) => self.persona.set(Some(e.persona)),
        }
    }
}

/// Keeps one connection open for the widget's lifetime.
async fn run(chat: Chat) {
    let mut backoff = 1000;
    loop {
        let Ok(controller) = AbortController::new() else { return };
        let signal = controller.signal();
        chat.controllers.update_value(|c| c.live = Some(controller));
        let (api, token, id, last) = chat
            .session
            .with_value(|s| (s.api.clone(), s.visitor_token.clone(), s.conversation_id.clone(), s.last_event_id));
        let mut parser = SseParser::new();
        let mut received = false;
        let result = api
            .events(&token, &id, last, &signal, |bytes| {
                if !received {
                    show_reconnecting(chat, false);
                }
                received = true;
                for ev in parser.push(bytes) {
                    let (Some(kind), Some(seq)) = (ev.event.as_deref(), ev.id.as_deref().and_then(|s| s.parse().ok()))
                    else {
                        continue;
                    };
                    if let Some(event) = json::live_event(kind, &ev.data) {
                        chat.apply_event(event);
                    }
                    chat.session.update_value(|s| s.last_event_id = seq);
                }
            })
            .await;
        if chat.session.with_value(|s| s.stopped) {
            return; // the host shut the widget down
        }
        match result {
            // Asked to reconnect now (tab visible again, back online).
            Err(ApiFailure::Aborted) => continue,
            Err(ApiFailure::Http(status @ (401 | 403 | 404), msg)) => {
                return console_error(&format!("live updates stopped ({status}: {msg})"));
            }
            _ => {}
        }
        // The stream dropped (server restart, network): say so until it is back.
        show_reconnecting(chat, true);
        if received {
            backoff = 1000;
        }
        sleep_ms(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF_MS);
    }
}

/// Shows or hides the "Reconnecting…" line of the panel (a class on the container: CSS shows the line).
fn show_reconnecting(chat: Chat, on: bool) {
    chat.controllers.with_value(|c| {
        if let Some(el) = &c.container {
            let _ = el.class_list().toggle_with_force("reconnecting", on);
        }
    });
}

/// Reconnects at once when the tab becomes visible or the browser comes back online: a connection that died
/// while the laptop slept may look open, and waiting for the backoff would delay an agent's message.
fn listen_for_resync(chat: Chat) {
    let Some(window) = web_sys::window() else { return };
    let resync = Closure::<dyn Fn()>::new(move || {
        let visible = web_sys::window().and_then(|w| w.document()).is_none_or(|d| !d.hidden());
        if visible {
            chat.controllers.with_value(|c| {
                if let Some(c) = &c.live {
                    c.abort();
                }
            });
        }
    });
    let f = resync.as_ref().unchecked_ref();
    let _ = window.add_event_listener_with_callback("online", f);
    if let Some(doc) = window.document() {
        let _ = doc.add_event_listener_with_callback("visibilitychange", f);
    }
    // Lives as long as the page: the widget is never unmounted.
    resync.forget();
}
