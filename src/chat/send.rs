//! What the visitor can do: send, stop, retry. Each action updates [`Chat`]'s signals; the UI only reads them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quincer_protocol::chat::{ChatRequest, UiMessage};
use quincer_protocol::conversation::Role;
use web_sys::AbortController;

use super::{Chat, ChatMessage, PendingSend, Phase};
use crate::api::ApiFailure;
use crate::browser::random_id;
use crate::i18n::t;
use crate::storage::{self, Slot};
use crate::stream::{StreamReducer, StreamUpdate};

/// First pause before resending after a connection failure; it doubles per attempt, up to 16×.
const RECONNECT_BASE_MS: u32 = 1000;
/// Automatic resends after connection failures before the widget leaves it to the visitor's Retry button.
const MAX_RECONNECTS: u32 = 8;

impl Chat {
    /// Sends the visitor's message and streams the answer; `false` if there is nothing to send or a reply is still
    /// streaming (the message is not sent, and the composer keeps it).
    pub fn send(self, text: &str) -> bool {
        let text = text.trim();
        if text.is_empty() || self.phase.get_untracked() == Phase::Streaming {
            return false;
        }
        let message = ChatMessage::new(random_id("u"), Role::User, text.to_owned(), None);
        let pending = PendingSend {
            id: message.key.clone(),
            text: text.to_owned(),
            attempt: 0,
            waiting: message.streaming.clone(),
        };
        self.phase.set(Phase::Idle);
        self.messages.update(|m| m.push(message));
        self.request_reply(pending);
        true
    }

    /// Sends the failed message again (same id: the server stores it once).
    pub fn retry(self) {
        // A new attempt: any automatic resend scheduled for an earlier one stands down.
        self.session.update_value(|s| {
            if let Some(p) = &mut s.last_send {
                p.attempt += 1;
            }
        });
        if let Some(pending) = self.session.with_value(|s| s.last_send.clone()) {
            self.request_reply(pending);
        }
    }

    /// Stops the streaming answer; what arrived so far stays.
    pub fn stop(self) {
        self.controllers.with_value(|c| {
            if let Some(c) = &c.reply {
                c.abort();
            }
        });
    }

    /// After a 429: sends message `id` again once the server's wait is over, unless the visitor has moved on (sent
    /// something else or retried by hand). The message stays in the transcript meanwhile: nothing is lost.
    fn retry_later(self, seconds: u32, id: String) {
        spawn_local(async move {
            crate::browser::sleep_ms(seconds * 1000).await;
            if self.still_waiting(&id) {
                self.retry();
            }
        });
    }

    /// After the connection failed (offline, server down or restarting, reply cut off): waits until the browser
    /// is online, then after a growing pause sends message `id` again. The same id makes the server store the
    /// message once and replace a partial answer, so nothing is lost or doubled.
    fn reconnect_later(self, attempt: u32, id: String) {
        spawn_local(async move {
            // Polled rather than an `online` listener: cheap, and only while a message waits.
            while !crate::browser::online() {
                crate::browser::sleep_ms(500).await;
            }
            crate::browser::sleep_ms(RECONNECT_BASE_MS << attempt.min(4)).await;
            let current = self.session.with_value(|s| s.last_send.as_ref().is_some_and(|p| p.attempt == attempt));
            if current && self.still_waiting(&id) {
                self.retry();
            }
        });
    }

    /// The failed message `id` still waits: the visitor has neither sent something else nor retried by hand.
    fn still_waiting(self, id: &str) -> bool {
        let waiting = self.session.with_value(|s| s.last_send.as_ref().is_some_and(|p| p.id == id));
        waiting && matches!(self.phase.get_untracked(), Phase::Failed(_))
    }

    fn request_reply(self, pending: PendingSend) {
        let Ok(controller) = AbortController::new() else { return };
        let signal = controller.signal();
        self.controllers.update_value(|c| c.reply = Some(controller));
        self.session.update_value(|s| s.last_send = Some(pending.clone()));
        let reply = ChatMessage::new(random_id("a"), Role::Assistant, String::new(), None);
        // While a human agent has the conversation the AI stays quiet: no "typing" bubble for an answer that
        // will not come (the server still stores the message and answers with an empty stream).
        if self.agent.get_untracked().is_none() {
            reply.streaming.set(true);
            self.messages.update(|m| m.push(reply.clone()));
        }
        self.phase.set(Phase::Streaming);

        let (api, conversation_id, token) =
            self.session.with_value(|s| (s.api.clone(), s.conversation_id.clone(), s.visitor_token.clone()));
        let widget_key = api.key.clone();
        let pending_id = pending.id.clone();
        let attempt = pending.attempt;
        let waiting = pending.waiting.clone();
        // Remembered before the request: if the server never creates it, restore finds nothing and starts afresh.
        storage::set(&widget_key, Slot::ConversationId, &conversation_id);
        let request = ChatRequest {
            id: conversation_id,
            messages: vec![UiMessage::user_text(pending.id, pending.text)],
            trigger: Some("submit-message".into()),
            message_id: None,
            page_url: Some(super::page::current_url()),
            persona_id: self.persona.with_untracked(|p| p.as_ref().map(|p| p.id.clone())),
            // The visitor's language: agents' replies are translated into it (when the server has a model).
            locale: self.session.with_value(|s| Some(s.locale.clone()).filter(|l| !l.is_empty())),
        };
        spawn_local(async move {
            let mut reducer = StreamReducer::new();
            let result = api
                .chat(&token, &request, &signal, |bytes| {
                    for update in reducer.push_bytes(bytes) {
                        match update {
                            StreamUpdate::Text(delta) => reply.text.update(|t| t.push_str(&delta)),
                            StreamUpdate::Products(panel) => {
                                // The first panel wins; the bubble draws it when `text` notifies.
                                let _ = reply.products.set(panel);
                                reply.text.notify();
                            }
                            _ => {}
                        }
                    }
                })
                .await;
            reply.streaming.set(false);
            self.controllers.update_value(|c| c.reply = None);
            let busy = match result {
                Err(ApiFailure::Busy(seconds)) => Some(seconds),
                _ => None,
            };
            // The connection failed rather than the server refusing: the request never got through, or the
            // stream ended without its `finish` (server restarted mid-reply).
            let lost = matches!(result, Err(ApiFailure::Network(_)))
                || (result.is_ok() && reducer.error.is_none() && !reducer.finished);
            let reconnect = lost && attempt < MAX_RECONNECTS;
            let failure = match result {
                _ if reconnect && !crate::browser::online() => Some(t("error.offline")),
                _ if reconnect => Some(t("error.reconnecting")),
                // The reducer's own failures are interface keys; a server's `errorText` is shown as sent.
                Ok(()) => reducer.error.as_deref().map(t).or_else(|| (!reducer.finished).then(|| t("error.cut_off"))),
                Err(ApiFailure::Aborted) => None,
                Err(e) => Some(e.visitor_message()),
            };
            let keep_reply =
                failure.is_none() && (!reply.text.get_untracked().trim().is_empty() || reply.products.get().is_some());
            if !keep_reply {
                // A retry asks for a fresh answer (the server replaces a partial one), so drop this bubble.
                self.messages.update(|m| m.retain(|msg| msg.key != reply.key));
            }
            // Shown as waiting to be sent (`aria-busy` on its bubble) until a resend gets through.
            waiting.set(reconnect || busy.is_some());
            if let Some(seconds) = busy {
                self.retry_later(seconds, pending_id);
            } else if reconnect {
                self.reconnect_later(attempt, pending_id);
            }
            match failure {
                Some(message) => self.phase.set(Phase::Failed(message)),
                None => {
                    if keep_reply {
                        let id = reducer.message_id.clone().unwrap_or_else(|| reply.key.clone());
                        reply.text.with_untracked(|text| self.announce_message(&id, Role::Assistant, text, None));
                    }
                    self.session.update_value(|s| s.last_send = None);
                    self.phase.set(Phase::Idle);
                    // The conversation now exists on the server: follow its live events.
                    self.start_live();
                    if keep_reply {
                        self.answered.update(|flag| *flag = !*flag);
                    }
                }
            }
        });
    }
}
