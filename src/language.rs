//! The interface language at run time: its `lang`/`dir` on the widget's elements, and the host page switching it
//! with `Quincer('setLocale', tag)`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::chat::Chat;

/// Sets `lang` and `dir` of the interface language on the shadow host: the whole shadow tree (launcher and panel)
/// inherits them, and the stylesheet mirrors with `:host([dir=rtl])`. Messages pick their own direction from their text (`unicode-bidi: plaintext` in the
/// stylesheet), so an English reply reads left to right in an Arabic panel.
pub fn apply(chat: Chat) {
    let (lang, rtl) = crate::i18n::language();
    let dir = if rtl { "rtl" } else { "ltr" };
    let host =
        chat.controllers.with_value(|c| c.container.as_ref()?.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok());
    if let Some(host) = host.map(|root| root.host()) {
        let _ = host.set_attribute("lang", &lang);
        let _ = host.set_attribute("dir", dir);
    }
}

/// Switches to the language `tag`: the server resolves it as for a new session (the visitor stays the same), then
/// everything drawn with the interface strings is drawn again; the visitor's draft is kept. A failure keeps the
/// current language and says why in the console.
pub fn switch(chat: Chat, tag: String) {
    if chat.session.with_value(|s| s.locale == tag) {
        return;
    }
    spawn_local(async move {
        let (session, strings) = match chat.ask_session(None, Some(tag.clone())).await {
            Ok(answer) => answer,
            Err(e) => return crate::browser::console_error(&format!("could not switch to \"{tag}\": {}", e.detail())),
        };
        let interface = session.interface;
        crate::i18n::install(strings, &interface.locale, &interface.direction);
        chat.session.update_value(|s| s.locale = interface.visitor_locale);
        apply(chat);
        // Everything drawn with the strings reads this signal: flipping it draws them again (the lead form too).
        chat.language.update(|flag| *flag = !*flag);
    });
}
