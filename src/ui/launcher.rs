//! The round button that opens and closes the panel.
//!
//! The loader draws it (so it shows before the wasm arrives); the widget takes it over once booted: one render
//! effect keeps its colour, label and icon in step with the state, one its unread badge ([`Chat::unread`]), one
//! moves focus into the composer when the panel opens; its clicks toggle the panel. Plain DOM, not a view: the
//! element already exists outside the app's container.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

use crate::chat::Chat;
use crate::i18n::t;

/// Speech-bubble icon (closed panel); the loader cuts its icon to the same path (`www/quincer.js`).
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
            root.append_child(&b)?;
            b
        }
    };
    // The loader's icon is one element cut to the speech bubble (cheaper for every page view); the widget's is an
    // SVG, whose path `sync` morphs into a cross.
    let svg = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "svg")?;
    svg.set_attribute("viewBox", "0 0 24 24")?;
    svg.set_attribute("aria-hidden", "true")?;
    let path = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "path")?;
    svg.append_child(&path)?;
    button.set_text_content(None);
    button.append_child(&svg)?;
    let (label, left, theme) = chat.session.with_value(|s| {
        (s.widget.launcher_label.clone(), s.widget.launcher_position == "left", s.widget.theme.clone())
    });
    // Set both ways: the loader may have drawn the launcher with the look it remembered from an earlier page, and
    // the settings may have changed since. A fixed scheme overrides the visitor's system setting (the stylesheet
    // follows it for "auto").
    let classes = root.host().class_list();
    classes.toggle_with_force("left", left)?;
    classes.toggle_with_force("light", theme == "light")?;
    classes.toggle_with_force("dark", theme == "dark")?;
    let on_click = Closure::<dyn FnMut()>::new(move || chat.set_open(!chat.open.get_untracked()));
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    // For the widget's lifetime, like the button.
    on_click.forget();
    // A polite live region outside the panel: unread replies are announced while the panel is closed.
    let announcer = doc.create_element("span")?;
    announcer.set_class_name("sr-only");
    announcer.set_attribute("role", "status")?;
    announcer.set_attribute("data-testid", "quincer-announcer")?;
    announcer.set_attribute("id", "q-unread")?;
    root.append_child(&announcer)?;
    // The unread count is also the launcher's accessible description.
    button.set_attribute("aria-describedby", "q-unread")?;
    let effect = RenderEffect::new(move |_| sync(&button, &path, chat, &label));
    std::mem::forget(effect);
    let effect = RenderEffect::new(move |_| show_unread(chat, chat.unread.get()));
    std::mem::forget(effect);
    // Each time the panel opens (already open: it was asked to while the widget loaded).
    let was_open = Cell::new(false);
    let effect = RenderEffect::new(move |_| {
        let open = chat.open.get();
        let opened = open && !was_open.get();
        was_open.set(open);
        if opened {
            focus_composer(chat);
        }
    });
    std::mem::forget(effect);
    Ok(())
}

/// Colour, label and icon for the current state.
fn sync(button: &Element, path: &Element, chat: Chat, label: &str) {
    let open = chat.open.get();
    // Tracked: the labels follow the interface language.
    chat.language.track();
    let label = if open {
        t("launcher.close")
    } else if label.is_empty() {
        t("launcher.open")
    } else {
        label.to_owned()
    };
    let _ = button.set_attribute("aria-label", &label);
    let _ = button.set_attribute("title", &label);
    let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    super::paint(button, &chat.accent(), &chat.on_accent());
    let _ = path.set_attribute("d", if open { CLOSE_ICON } else { CHAT_ICON });
    let _ = path.set_attribute("class", if open { "stroke" } else { "" });
}

/// Shows `count` unread replies: a badge on the launcher (`data-unread`), and the text of the live region that
/// describes it, so it is announced; 0 clears both.
fn show_unread(chat: Chat, count: u32) {
    let Some(root) = shadow_root(chat) else { return };
    let (Ok(Some(button)), Some(announcer)) =
        (root.query_selector("button.launcher"), root.get_element_by_id("q-unread"))
    else {
        return;
    };
    let n = count.to_string();
    let _ = if count == 0 { button.remove_attribute("data-unread") } else { button.set_attribute("data-unread", &n) };
    announcer.set_text_content(Some(&if count == 0 {
        String::new()
    } else {
        crate::i18n::count("launcher.unread", count)
    }));
}

/// After the panel opened: if the visitor opened it from the launcher (it has focus: a keyboard press, or a click
/// before the widget had loaded), moves focus into the composer once the panel is drawn. Opening from the page's
/// own controls (`Quincer('open')`) leaves focus where the page put it.
fn focus_composer(chat: Chat) {
    let root = shadow_root(chat);
    let launcher_focused =
        root.as_ref().and_then(|r| r.active_element()).is_some_and(|el| el.class_list().contains("launcher"));
    if launcher_focused {
        leptos::task::spawn_local(async move {
            crate::browser::sleep_ms(0).await;
            focus(chat, "textarea");
        });
    }
}

/// Closes the panel and moves focus back to the launcher (Escape, the close button).
pub fn close(chat: Chat) {
    chat.set_open(false);
    focus(chat, "button.launcher");
}

/// The widget's shadow root, once mounted.
fn shadow_root(chat: Chat) -> Option<ShadowRoot> {
    let node = chat.controllers.with_value(|c| c.container.as_ref().map(|el| el.get_root_node()));
    node.and_then(|r| r.dyn_into::<ShadowRoot>().ok())
}

/// Focuses the first element matching `selector` in the widget's shadow root.
fn focus(chat: Chat, selector: &str) {
    let target = shadow_root(chat).and_then(|r| r.query_selector(selector).ok().flatten());
    if let Some(el) = target {
        let _ = el.unchecked_into::<HtmlElement>().focus();
    }
}
