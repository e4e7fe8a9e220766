//! The organisation's live stream (`GET /api/v1/conversations/events`): one `EventSource` for the signed-in
//! member, its `conversation` events handed to the inbox as list items.
//!
//! The events carry no ids, so nothing is replayed after a reconnection: the stream opens with `ready` (and says
//! `resync` when the server may have dropped changes), and each asks the inbox to re-read the list. The browser
//! reconnects by itself after a dropped connection; when the server refuses the stream (signed out: the browser
//! gives up and the source is `CLOSED`), `on_closed` runs.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

use crate::model::ConversationItem;

/// The stream's path.
pub const PATH: &str = "/api/v1/conversations/events";

/// An open stream and the callbacks it calls (kept alive as long as it).
struct Live {
    source: EventSource,
    _callbacks: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

thread_local! {
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
}

/// Opens the stream (closing any open one): `on_item` for every `conversation` event, `on_open` on each
/// (re)connection, `on_reload` on `ready` and `resync`, `on_closed` once the browser gives up.
pub fn connect(
    on_item: impl Fn(ConversationItem) + 'static,
    on_open: impl Fn() + 'static,
    on_reload: impl Fn() + 'static,
    on_closed: impl Fn() + 'static,
) {
    disconnect();
    let Ok(source) = EventSource::new(PATH) else { return };
    let item = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let data = e.dyn_ref::<MessageEvent>().and_then(|m| m.data().as_string());
        if let Some(item) = data.and_then(|d| serde_json::from_str::<ConversationItem>(&d).ok()) {
            on_item(item);
        }
    });
    let open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_open());
    let reload = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_reload());
    let src = source.clone();
    let error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if src.ready_state() == EventSource::CLOSED {
            on_closed();
        }
    });
    let _ = source.add_event_listener_with_callback("conversation", item.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("open", open.as_ref().unchecked_ref());
    for name in ["ready", "resync"] {
        let _ = source.add_event_listener_with_callback(name, reload.as_ref().unchecked_ref());
    }
    let _ = source.add_event_listener_with_callback("error", error.as_ref().unchecked_ref());
    LIVE.with(|l| *l.borrow_mut() = Some(Live { source, _callbacks: vec![item, open, reload, error] }));
}

/// Closes the stream, if open.
pub fn disconnect() {
    LIVE.with(|l| {
        if let Some(live) = l.borrow_mut().take() {
            live.source.close();
        }
    });
}
