//! The root component: the panel once opened (the launcher is the loader's button, see [`crate::ui::launcher`]).

use leptos::prelude::*;

use crate::state::Chat;
use crate::ui::panel::Panel;

/// The whole widget.
///
/// The panel is mounted at the first open and then only hidden and shown (see [`Panel`]): reopening costs nothing,
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
            open.then(|| view! { <Panel chat=chat /> })
        }}
    }
}
