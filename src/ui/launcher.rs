//! The round button that opens and closes the panel.
//!
//! The loader draws it (so it shows before the wasm arrives); the widget takes it over once booted: one render
//! effect keeps its colour, label and icon in step with the state, and its clicks toggle the panel. Plain DOM, not
//! a view: the element already exists outside the app's container.

use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, ShadowRoot};

use crate::state::Chat;

/// Speech-bubble icon (closed panel); the loader draws the same.
const CHAT_ICON: &str = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
/// Cross icon (open panel).
const CLOSE_ICON: &str = "M6 6l12 12M18 6L6 18";

/// Takes over the loader's launcher in `root` (drawing one if the widget was mounted without the loader).
///
/// # Errors
/// DOM failures.
pub fn attach(root: &ShadowRoot, chat: Chat, doc: &Document) -> Result<(), JsValue> {
    let button = match root.query_selector("button.launcher")? {
        Some(b) => b,
        None => {
            let b = doc.create_element("button")?;
            b.set_class_name("launcher");
            b.set_attribute("type", "button")?;
            b.set_attribute("data-testid", "quincer-launcher")?;
            let svg = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "svg")?;
            svg.set_attribute("viewBox", "0 0 24 24")?;
            svg.set_attribute("aria-hidden", "true")?;
            let path = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "path")?;
            svg.append_child(&path)?;
            b.append_child(&svg)?;
            root.append_child(&b)?;
            b
        }
    };
    let (label, left) =
        chat.session.with_value(|s| (s.widget.launcher_label.clone(), s.widget.launcher_position == "left"));
    if left {
        root.host().class_list().add_1("left")?;
    }
    let on_click = Closure::<dyn FnMut()>::new(move || chat.set_open(!chat.open.get_untracked()));
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    // For the widget's lifetime, like the button.
    on_click.forget();
    let path = button.query_selector("path")?;
    let effect = RenderEffect::new(move |_| sync(&button, path.as_ref(), chat, &label));
    std::mem::forget(effect);
    Ok(())
}

/// Colour, label and icon for the current state.
fn sync(button: &Element, path: Option<&Element>, chat: Chat, label: &str) {
    let open = chat.open.get();
    let label = if open {
        "Close chat"
    } else if label.is_empty() {
        "Open chat"
    } else {
        label
    };
    let _ = button.set_attribute("aria-label", label);
    let _ = button.set_attribute("title", label);
    let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    super::paint(button, &chat.accent(), chat.on_accent());
    if let Some(path) = path {
        let _ = path.set_attribute("d", if open { CLOSE_ICON } else { CHAT_ICON });
        let _ = path.set_attribute("class", if open { "stroke" } else { "" });
    }
}
