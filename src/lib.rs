//! The Quincer chat widget: a Leptos client-side app compiled to WebAssembly and mounted in a Shadow DOM.
//!
//! The loader (`www/quincer.js`) creates the shadow root, loads this module and calls [`mount`]. Everything the
//! widget draws lives in that shadow root, styles included, so the host page and the widget cannot restyle
//! each other.
//!
//! # Layout
//! - [`boot`]: from [`mount`] to a running app: key check, session, transcript restore.
//! - [`api`]: `fetch` calls to quincer-server; [`json`]: wire (de)serialisation; [`storage`]: what survives a reload.
//! - [`state`]: the reactive state; [`chat`]: send, stop, retry; [`live`]: the takeover event stream;
//!   [`page`]: the persona follows the page's URL (single-page navigations included).
//! - [`app`] and `ui/`: the components (launcher, panel, messages, composer).
//! - Pure logic with native unit tests: [`sse`] (event-stream parsing), [`stream`] (UI message stream reduction),
//!   [`markdown`] (untrusted text to safe nodes).

pub mod api;
pub mod app;
pub mod boot;
pub mod cart;
pub mod chat;
pub mod host;
pub mod json;
pub mod live;
pub mod markdown;
pub mod page;
pub mod products;
pub mod sse;
pub mod state;
pub mod storage;
pub mod stream;
pub mod ui;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// What the loader gets back from [`mount`]: the host page's handle on the widget.
#[wasm_bindgen]
pub struct WidgetHandle {
    open: RwSignal<bool>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Opens the chat panel.
    pub fn open(&self) {
        self.open.set(true);
    }

    /// Closes the chat panel.
    pub fn close(&self) {
        self.open.set(false);
    }

    /// Opens the panel if closed, closes it if open.
    pub fn toggle(&self) {
        self.open.update(|o| *o = !*o);
    }

    /// Whether the panel is open.
    #[wasm_bindgen(js_name = isOpen)]
    pub fn is_open(&self) -> bool {
        self.open.get_untracked()
    }
}

/// Mounts the widget into `root`.
///
/// `options` is `{ widgetKey, apiBase, pageUrl? }`. A key that is not a public `cw_live_` key (a developer key
/// above all) is refused here, before any request is made, with a console error that says how to fix it.
///
/// # Errors
/// The refusal message, also logged to the console.
#[wasm_bindgen]
pub fn mount(root: web_sys::ShadowRoot, options: JsValue) -> Result<WidgetHandle, JsValue> {
    let config = boot::Config::from_js(&options).inspect_err(|msg| boot::console_error(msg))?;
    let open = RwSignal::new(false);
    // Not leptos::task::spawn_local: its executor only starts when the app mounts, after the session call.
    wasm_bindgen_futures::spawn_local(boot::boot(root, config, open));
    Ok(WidgetHandle { open })
}
