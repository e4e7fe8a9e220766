//! What the host page's commands change in the running widget (open, close, identify, shutdown) and what it is told
//! about the conversation: each message from the AI or an agent, and the unread count.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quincer_protocol::conversation::Role;
use wasm_bindgen::JsValue;

use super::Chat;
use crate::browser::console_error;
use crate::host_api::{emit, event};
use crate::storage::{self, Slot};

impl Chat {
    /// Opens or closes the panel, announcing it (`open` / `close`); opening marks everything read.
    pub fn set_open(self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        emit(if open { event::OPEN } else { event::CLOSE }, &[]);
        // The launcher watches `open` to move focus into the composer.
        if open {
            self.set_unread(0);
        }
    }

    /// Announces a message from the AI or an agent (`message`), and counts it unread while the panel is closed.
    pub fn announce_message(self, id: &str, role: Role, text: &str, speaker: Option<&str>) {
        // A fixed array, the speaker left off when there is none: a growing `Vec` would cost its own code in the wasm.
        let fields = [
            ("id", id.into()),
            ("role", role.as_str().into()),
            ("text", text.into()),
            ("speaker_name", speaker.map_or(JsValue::UNDEFINED, JsValue::from)),
        ];
        emit(event::MESSAGE, &fields[..if speaker.is_some() { 4 } else { 3 }]);
        if !self.open.get_untracked() {
            self.set_unread(self.unread.get_untracked() + 1);
        }
    }

    fn set_unread(self, count: u32) {
        if self.unread.get_untracked() != count {
            // The launcher shows it.
            self.unread.set(count);
            emit(event::UNREAD, &[("count", count.into())]);
        }
    }

    /// Sends the host's knowledge of the visitor to the server; problems are console errors naming the fix.
    pub fn identify(self, traits: &JsValue) {
        let body = match crate::json::identity(traits) {
            Ok(body) => body,
            Err(problem) => return console_error(&format!("identify: {problem}")),
        };
        let (api, token) = self.session.with_value(|s| (s.api.clone(), s.visitor_token.clone()));
        spawn_local(async move {
            if let Err(e) = api.post(&token, "/api/widget/identify", &body).await {
                console_error(&format!("identify was refused: {}", e.detail()));
            }
        });
    }

    /// Stops every request and forgets the visitor stored for this widget.
    pub fn shutdown(self) {
        self.session.update_value(|s| s.stopped = true);
        self.controllers.with_value(|c| {
            for controller in [&c.reply, &c.live].into_iter().flatten() {
                controller.abort();
            }
        });
        let key = self.session.with_value(|s| s.api.key.clone());
        storage::remove(&key, Slot::VisitorToken);
        storage::remove(&key, Slot::ConversationId);
        self.set_open(false);
    }
}
