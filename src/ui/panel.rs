//! The chat panel: header, transcript, error, composer.

use leptos::prelude::*;

use super::composer::Composer;
use super::error_banner::ErrorBanner;
use super::message_list::MessageList;
use crate::state::Chat;

/// The open chat.
#[component]
pub fn Panel(chat: Chat) -> impl IntoView {
    let brand = chat.widget.with_value(|w| w.brand.clone());
    view! {
        <section class="panel" role="dialog" aria-label=move || format!("Chat with {}", chat.title()) data-testid="quincer-panel">
            <header class="header" style:background=move || chat.accent()
            style:color=move || chat.on_accent()>
                <div class="titles">
                    <strong data-testid="quincer-persona-name">{move || chat.title()}</strong>
                    <span class="brand">{brand}</span>
                </div>
                <button
                    class="close"
                    type="button"
                    aria-label="Close chat"
                    data-testid="quincer-close"
                    on:click=move |_| chat.open.set(false)
                >
                    "×"
                </button>
            </header>
            <MessageList chat=chat />
            <ErrorBanner chat=chat />
            <Composer chat=chat />
        </section>
    }
}
