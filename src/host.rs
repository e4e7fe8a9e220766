//! Events the widget announces to the host page, as `quincer:<name>` `CustomEvent`s on `window`.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

/// Dispatches `quincer:<name>` on `window` with `detail` built from `fields`.
pub fn emit(name: &str, fields: &[(&str, JsValue)]) {
    let init = CustomEventInit::new();
    init.set_detail(&crate::host_api::object(fields));
    if let (Some(window), Ok(event)) =
        (web_sys::window(), CustomEvent::new_with_event_init_dict(&format!("quincer:{name}"), &init))
    {
        let _ = window.dispatch_event(&event);
    }
}
