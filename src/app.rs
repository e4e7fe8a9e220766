//! The root component: the panel once opened (the launcher is the loader's button, see [`crate::ui::launcher`]).
//!
//! The one component that holds the whole [`Chat`]: it hands each view only the signals and callbacks it uses.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::i18n::t;
use crate::ui;
use crate::ui::composer::composer;
use crate::ui::error_banner::error_banner;
use crate::ui::message_list::message_list;

/// The whole widget.
///
/// The panel is mounted at the first open and then only hidden and shown (see [`ui::panel::panel`]): reopening costs nothing,
/// a long transcript is not rebuilt, and nothing is left for the garbage collector on each close. A plain `move ||`
/// closure rather than `<Show>`: the same behaviour with less generic code in the wasm (size is a product feature).
#[component]
pub fn App(
    /// The widget state.
    chat: Chat,
) -> impl IntoView {
    // Subscribes to `open` only while closed: once the panel is drawn the closure has no dependency left, so it
    // never runs again (cheaper than a "mounted" signal and an effect to set it).
    view! {
        {move || {
            // Drawn again when the interface language changes.
            chat.language.track();
            let open = chat.open.get_untracked();
            if !open {
                chat.open.track();
            }
            open.then(|| panel(chat))
        }}
    }
}

/// The panel and its parts, each given what it draws and what it may do.
fn panel(chat: Chat) -> impl IntoView {
    let (brand, locale, api_base) =
        chat.session.with_value(|s| (s.widget.brand.clone(), s.locale.clone(), s.api.base.clone()));
    let colors = move || (chat.accent(), chat.on_accent());
    let header = ui::panel::header(
        move || chat.title(),
        move || chat.agent.get(),
        colors,
        brand,
        api_base,
        move || ui::launcher::close(chat),
    );
    // Hidden while closed: the stylesheet hides it while the launcher is not `aria-expanded` (`www/quincer.css`).
    view! {
        <section class="panel" role="dialog" data-testid="quincer-panel">
            {header}
            {message_list(chat.messages, move || chat.greeting(), locale)}
            // Shown by CSS while the live stream is down (see `chat::live::show_reconnecting`).
            <p class="reconnecting-line" role="status" data-testid="quincer-reconnecting">{t("panel.reconnecting")}</p>
            {error_banner(chat.phase, move || chat.retry())}
            {composer(
                chat.draft,
                chat.phase,
                colors,
                move |text: &str| chat.send(text),
                move || chat.stop(),
            )}
        </section>
    }
}
