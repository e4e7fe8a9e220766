//! What the host page can ask of a running widget (through the loader's `window.Quincer` commands) and what it is
//! told: the `quincer:<name>` window events of [`emit`], every name of which is in [`event`].

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use quincer_protocol::conversation::Role;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

use crate::browser::console_error;
use crate::state::Chat;
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
        let mut fields = vec![("id", id.into()), ("role", role.as_str().into()), ("text", text.into())];
        if let Some(name) = speaker {
            fields.push(("speaker_name", name.into()));
        }
        emit(event::MESSAGE, &fields);
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

/// The `quincer:*` window events, in one place: those the widget announces to the host page (their payloads are
/// typed in `www/quincer.d.ts`) and the one the loader (`www/quincer.js`) sends the widget.
pub mod event {
    /// The widget booted (session accepted); the loader runs queued commands after it.
    pub const READY: &str = "quincer:ready";
    /// The panel opened.
    pub const OPEN: &str = "quincer:open";
    /// The panel closed.
    pub const CLOSE: &str = "quincer:close";
    /// A message from the AI or an agent.
    pub const MESSAGE: &str = "quincer:message";
    /// A human agent took the conversation over.
    pub const TAKEOVER: &str = "quincer:takeover";
    /// The agent handed the conversation back to the AI.
    pub const HANDBACK: &str = "quincer:handback";
    /// The visitor added a product to the cart.
    pub const ADD_TO_CART: &str = "quincer:add_to_cart";
    /// The unread count changed.
    pub const UNREAD: &str = "quincer:unread";
    /// Every event the widget announces, as `www/quincer.d.ts` declares them.
    pub const EMITTED: [&str; 8] = [READY, OPEN, CLOSE, MESSAGE, TAKEOVER, HANDBACK, ADD_TO_CART, UNREAD];

    /// From the loader: the page changed its URL without reloading (`history.pushState` / `replaceState`).
    pub const NAVIGATE: &str = "quincer:navigate";
}

/// Dispatches the event `name` (one of [`event`]) on `window` with `detail` built from `fields`.
pub fn emit(name: &str, fields: &[(&str, JsValue)]) {
    let init = CustomEventInit::new();
    init.set_detail(&object(fields));
    if let (Some(window), Ok(event)) = (web_sys::window(), CustomEvent::new_with_event_init_dict(name, &init)) {
        let _ = window.dispatch_event(&event);
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

#[cfg(test)]
mod tests {
    use super::event;

    /// The quoted `quincer:<name>` strings of `text`.
    fn names(text: &str) -> Vec<&str> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.strip_prefix("quincer:")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b == b'_' || b.is_ascii_lowercase()))
            })
            .collect()
    }

    #[test]
    fn event_names_match_the_typescript_declarations() {
        let dts = include_str!("../www/quincer.d.ts");
        let map = &dts[dts.find("interface WindowEventMap").expect("quincer.d.ts declares WindowEventMap")..];
        let mut declared = names(map);
        let mut emitted = event::EMITTED.to_vec();
        declared.sort_unstable();
        emitted.sort_unstable();
        assert_eq!(declared, emitted, "www/quincer.d.ts's WindowEventMap and host_api::event::EMITTED differ");
    }

    #[test]
    fn the_loader_uses_only_known_events() {
        let loader = include_str!("../www/quincer.js");
        let used = names(loader);
        assert!(used.contains(&event::NAVIGATE), "www/quincer.js no longer sends {}", event::NAVIGATE);
        for name in used {
            assert!(
                name == event::NAVIGATE || event::EMITTED.contains(&name),
                "www/quincer.js uses unknown event {name}"
            );
        }
    }
}
