//! The round button that opens and closes the panel.

use leptos::prelude::*;

use crate::state::Chat;

/// Speech-bubble icon (closed panel).
const CHAT_ICON: &str = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
/// Cross icon (open panel).
const CLOSE_ICON: &str = "M6 6l12 12M18 6L6 18";

/// Launcher bubble in the persona's colour.
#[component]
pub fn Launcher(chat: Chat) -> impl IntoView {
    view! {
        <button
            class="launcher"
            type="button"
            data-testid="quincer-launcher"
            aria-label=move || if chat.open.get() { "Close chat" } else { "Open chat" }
            aria-expanded=move || chat.open.get().to_string()
            style:background=move || chat.accent()
            style:color=move || chat.on_accent()
            on:click=move |_| chat.open.update(|o| *o = !*o)
        >
            <svg viewBox="0 0 24 24" aria-hidden="true">
                <path
                    class:stroke=move || chat.open.get()
                    d=move || if chat.open.get() { CLOSE_ICON } else { CHAT_ICON }
                />
            </svg>
        </button>
    }
}
