//! The root component: the launcher, and the panel when open.

use leptos::prelude::*;

use crate::state::Chat;
use crate::ui::launcher::Launcher;
use crate::ui::panel::Panel;

/// The whole widget.
#[component]
pub fn App(chat: Chat) -> impl IntoView {
    view! {
        <Show when=move || chat.open.get()>
            <Panel chat=chat />
        </Show>
        <Launcher chat=chat />
    }
}
