//! What the host page is told: the `quincer:<name>` window events of [`emit`], every name of which is in [`event`].
//! What its commands (the loader's `window.Quincer`) do is in [`crate::WidgetHandle`] and [`crate::chat::host`].

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

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
        // The loader and what it imports once the widget is needed (`start.js`, which follows `history`).
        let loader = [include_str!("../www/quincer.js"), include_str!("../www/start.js")].concat();
        let used = names(&loader);
        assert!(used.contains(&event::NAVIGATE), "www/quincer.js and start.js no longer send {}", event::NAVIGATE);
        for name in used {
            assert!(
                name == event::NAVIGATE || event::EMITTED.contains(&name),
                "www/quincer.js or start.js uses unknown event {name}"
            );
        }
    }
}
