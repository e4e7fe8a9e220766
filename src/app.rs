//! The root component: the panel when open (the launcher is the loader's button, see [`crate::ui::launcher`]).

use leptos::prelude::*;

use crate::state::Chat;
use crate::ui::panel::Panel;

/// The whole widget.
///
/// Conditional parts are plain `move ||` closures returning `Option<View>` rather than `<Show>`: the same
/// behaviour with less generic code in the wasm (size is a product feature).
#[component]
pub fn App(chat: Chat) -> impl IntoView {
    view! {
        {move || {
            // Drawn again when the interface language changes.
            chat.language.track();
            chat.open.get().then(|| view! { <Panel chat=chat /> })
        }}
    }
}
