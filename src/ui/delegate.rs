//! The widget container's delegated listener: one set of listeners for every panel's `click` and `change` events,
//! the lead form's `submit` and clicks, the transcript's `scroll` and Escape. Panels and forms come and go with
//! messages; listeners per element would need unhooking.
//!
//! A module of its own so that it alone knows every part it dispatches to (the parts do not know each other), and,
//! like [`crate::app::App`] for the components, hands each the part of the state it uses (the lead form, which uses
//! most of it, gets the whole [`Chat`]).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

use crate::chat::Chat;

/// Listens on `container` for the widget's lifetime.
pub fn listen(container: &Element, chat: Chat) {
    let on_event = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
        let kind = e.type_();
        if kind == "keydown" {
            // Escape anywhere in the panel closes it and gives focus back to the launcher.
            if e.unchecked_ref::<web_sys::KeyboardEvent>().key() == "Escape" {
                super::launcher::close(chat);
            }
            return;
        }
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        if kind == "scroll" {
            return super::message_list::scrolled(&target, chat.messages);
        }
        if kind != "change" {
            super::lead_form::handle(&e, &target, chat);
        }
        super::product_panel::handle(&kind, &target, chat.messages, chat.session);
    });
    for kind in ["click", "change", "submit", "keydown"] {
        let _ = container.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
    }
    // Scrolling does not bubble: caught on its way down (the transcript draws older messages near its top).
    let _ = container.add_event_listener_with_callback_and_bool("scroll", on_event.as_ref().unchecked_ref(), true);
    on_event.forget();
}
