//! The chat panel: header, transcript, error, composer.

use leptos::prelude::*;

use super::composer::Composer;
use super::error_banner::ErrorBanner;
use super::message_list::MessageList;
use crate::state::Chat;

/// The open chat.
#[component]
pub fn Panel(chat: Chat) -> impl IntoView {
    let brand = chat.session.with_value(|s| s.widget.brand.clone());
    view! {
        <section class="panel" role="dialog" aria-label=move || format!("Chat with {}", chat.title()) data-testid="quincer-panel">
            // Human mode is a class on the header: the avatar and badge are always in the DOM and shown by CSS,
            // which costs less wasm than creating and removing elements.
            <header
                class="header"
                class:human=move || chat.agent.with(Option::is_some)
                style:background=move || chat.accent()
                style:color=move || chat.on_accent()
            >
                <span class="avatar" aria-hidden="true">
                    {move || chat.agent.with(|a| a.as_ref().map(|a| initials(&a.name)).unwrap_or_default())}
                </span>
                <div class="titles">
                    <strong data-testid="quincer-persona-name">{move || chat.title()}</strong>
                    <span class="brand">
                        <span class="badge" data-testid="quincer-human-badge">"Human agent · "</span>
                        {brand}
                    </span>
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

/// Up to two initials of a name, for the agent's avatar.
///
/// ASCII upper-casing only: full Unicode case mapping would add its tables (~15 KB) to the wasm, and names are
/// usually written capitalised anyway.
fn initials(name: &str) -> String {
    name.split(' ').filter_map(|w| w.chars().next()).take(2).map(|c| c.to_ascii_uppercase()).collect()
}
