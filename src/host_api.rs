//! What the host page can ask of a running widget (through the loader's `window.Quincer` commands) and what it is
//! told: the `quincer:<event>` window events of [`crate::host::emit`].

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use quincer_protocol::conversation::Role;
use wasm_bindgen::JsValue;

use crate::browser::console_error;
use crate::host::emit;
use crate::state::Chat;
use crate::storage::{self, Slot};

impl Chat {
    /// Opens or closes the panel, announcing it (`open` / `close`); opening marks everything read.
    pub fn set_open(self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        emit(if open { "open" } else { "close" }, &[]);
        if open {
            self.set_unread(0);
            crate::ui::launcher::focus_composer(self);
        }
    }

    /// Announces a message from the AI or an agent (`message`), and counts it unread while the panel is closed.
    pub fn announce_message(self, id: &str, role: Role, text: &str, speaker: Option<&str>) {
        let mut fields = vec![("id", id.into()), ("role", role.as_str().into()), ("text", text.into())];
        if let Some(name) = speaker {
            fields.push(("speaker_name", name.into()));
        }
        emit("message", &fields);
        if !self.open.get_untracked() {
            let unread = self.session.with_value(|s| s.unread) + 1;
            self.set_unread(unread);
        }
    }

    fn set_unread(self, count: u32) {
        if self.session.with_value(|s| s.unread) != count {
            self.session.update_value(|s| s.unread = count);
            emit("unread", &[("count", count.into())]);
            crate::ui::launcher::show_unread(self, count);
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

/// A plain object for event details.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(key), value);
    }
    o.into()
}
