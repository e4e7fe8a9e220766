//! The Quincer chat widget: a Leptos client-side app compiled to WebAssembly and mounted in a Shadow DOM.
//!
//! The loader (`www/quincer.js`) creates the shadow root, loads this module and calls [`mount`]. Everything the
//! widget draws lives in that shadow root, styles included, so the host page and the widget cannot restyle
//! each other.
//!
//! # Layout
//! Arrows between modules go one way (the `layout` test fails on an import circle): views (`ui/`) read the state
//! and call the logic; the logic changes the state and never calls a view.
//! - [`boot`]: from [`mount`] to a running app: key check, session, transcript restore; it wires the views up.
//! - [`browser`]: small browser helpers every layer may use (console errors, timers, `navigator.onLine`, ids).
//! - [`api`]: `fetch` calls to quincer-server; [`json`]: wire (de)serialisation; [`storage`]: what survives a reload.
//! - [`chat`]: the reactive state ([`chat::Chat`]) and its methods, a module per concern: [`chat::send`] (send,
//!   stop, retry), [`chat::live`] (the takeover event stream), [`chat::page`] (the persona follows the page's URL,
//!   single-page navigations included), [`chat::host`] (open, identify, shutdown, unread).
//! - [`app`] and [`ui`]: the components (launcher, panel, messages, product panel, lead form, composer). [`app`]
//!   holds the state and gives each component the signals and callbacks it uses; [`i18n`]: their text, in the
//!   visitor's language; [`language`]: its `lang`/`dir` and `setLocale`.
//! - [`host_api`]: the `quincer:*` events the host page is told ([`host_api::event`]).
//! - [`products`]: product cards' logic without DOM; [`cart`]: add to cart on a Shopify storefront.
//! - Pure logic with native unit tests: [`sse`] (event-stream parsing), [`stream`] (UI message stream reduction),
//!   [`markdown`] (untrusted text to safe nodes).

#![warn(missing_docs)]

pub mod api;
pub mod app;
pub mod boot;
pub mod browser;
pub mod cart;
pub mod chat;
pub mod host_api;
pub mod i18n;
pub mod json;
pub mod language;
#[cfg(test)]
mod layout;
pub mod markdown;
pub mod products;
pub mod sse;
pub mod storage;
pub mod stream;
pub mod ui;

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// What the loader gets back from [`mount`]: the host page's handle on the widget (`window.Quincer` commands).
///
/// Commands other than open/close/toggle need the booted widget; the loader only sends them after the
/// `quincer:ready` event, and they do nothing before it.
#[wasm_bindgen]
pub struct WidgetHandle {
    open: RwSignal<bool>,
    chat: Rc<Cell<Option<chat::Chat>>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Opens the chat panel.
    pub fn open(&self) {
        self.set_open(true);
    }

    /// Closes the chat panel.
    pub fn close(&self) {
        self.set_open(false);
    }

    /// Opens the panel if closed, closes it if open.
    pub fn toggle(&self) {
        self.set_open(!self.open.get_untracked());
    }

    /// Whether the panel is open.
    #[wasm_bindgen(js_name = isOpen)]
    pub fn is_open(&self) -> bool {
        self.open.get_untracked()
    }

    /// Sends `text` as the visitor, opening the panel.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: JsValue) {
        let Some(chat) = self.chat.get() else { return };
        match text.as_string().filter(|t| !t.trim().is_empty()) {
            Some(t) if quincer_protocol::char_count(&t) <= quincer_protocol::chat::MAX_MESSAGE_CHARS => {
                chat.set_open(true);
                chat.send(&t);
            }
            _ => browser::console_error("sendMessage takes a non-empty string of at most 4000 characters"),
        }
    }

    /// Sets the visitor's language (a BCP 47 tag such as `fr-CA`): the interface's text (if the widget is
    /// translated into it), price formats, and the language agents' replies are translated into.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, tag: JsValue) {
        let Some(chat) = self.chat.get() else { return };
        match tag.as_string().filter(|t| valid_locale(t)) {
            Some(t) => language::switch(chat, t),
            None => browser::console_error("setLocale takes a language tag such as \"en\", \"fr-CA\" or \"zh-Hant\""),
        }
    }

    /// Attaches the host's knowledge of the visitor (`email`, `name`, `phone`, `external_id`, other traits).
    pub fn identify(&self, traits: JsValue) {
        if let Some(chat) = self.chat.get() {
            chat.identify(&traits);
        }
    }

    /// Forgets the visitor (e.g. on logout): stops every request, clears what the widget stored, closes. The
    /// loader then mounts a fresh widget, which starts a new visitor.
    pub fn shutdown(&self) {
        if let Some(chat) = self.chat.take() {
            chat.shutdown();
        }
    }
}

impl WidgetHandle {
    fn set_open(&self, open: bool) {
        match self.chat.get() {
            Some(chat) => chat.set_open(open),
            None => self.open.set(open),
        }
    }
}

/// A plausible BCP 47 tag: letters, then `-`-separated letter/digit subtags.
pub(crate) fn valid_locale(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
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
    let config = boot::Config::from_js(&options).inspect_err(|msg| browser::console_error(msg))?;
    let open = RwSignal::new(false);
    let chat = Rc::new(Cell::new(None));
    // Not leptos::task::spawn_local: its executor only starts when the app mounts, after the session call.
    wasm_bindgen_futures::spawn_local(boot::boot(root, config, open, chat.clone()));
    Ok(WidgetHandle { open, chat })
}

#[cfg(test)]
mod tests {
    #[test]
    fn locale_tags() {
        for good in ["en", "fr-CA", "zh-Hant", "es-419", "sr-Latn-RS"] {
            assert!(super::valid_locale(good), "{good}");
        }
        for bad in ["", "e", "english", "en_US", "en-", "fr-CA-verylongsubtag", "<b>"] {
            assert!(!super::valid_locale(bad), "{bad}");
        }
    }
}
