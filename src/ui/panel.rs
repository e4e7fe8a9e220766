//! The chat panel: header, transcript, error, composer.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;

use super::composer::Composer;
use super::error_banner::ErrorBanner;
use super::message_list::MessageList;
use crate::i18n::t;
use crate::state::Chat;

/// The chat, mounted at the first open and hidden while closed: the stylesheet hides it while the launcher is not
/// `aria-expanded` (see `www/quincer.css`).
#[component]
pub fn Panel(
    /// The widget state.
    chat: Chat,
) -> impl IntoView {
    let brand = chat.session.with_value(|s| s.widget.brand.clone());
    // One render effect keeps the header in step (colours, human mode, names): a reactive binding per attribute
    // would each add generic code to the wasm. Human mode is a class: the avatar and badge are always in the DOM
    // and shown by CSS.
    let header = NodeRef::<Div>::new();
    let effect = RenderEffect::new(move |_| {
        let title = chat.title();
        let agent_initials = chat.agent.with(|a| a.as_ref().map(|a| initials(&a.name)));
        let (accent, on_accent) = (chat.accent(), chat.on_accent());
        let Some(el) = header.get() else { return };
        super::paint(&el, &accent, &on_accent);
        let _ = el.class_list().toggle_with_force("human", agent_initials.is_some());
        let text = |selector: &str, value: &str| {
            if let Ok(Some(node)) = el.query_selector(selector) {
                node.set_text_content(Some(value));
            }
        };
        text(".avatar", agent_initials.as_deref().unwrap_or_default());
        text("strong", &title);
        if let Some(section) = el.parent_element() {
            let _ = section.set_attribute("aria-label", &crate::i18n::fill("panel.label", &[("title", &title)]));
        }
    });
    on_cleanup(move || drop(effect));
    view! {
        <section class="panel" role="dialog" data-testid="quincer-panel">
            <div class="header" node_ref=header>
                <span class="avatar" aria-hidden="true"></span>
                <div class="titles">
                    <strong data-testid="quincer-persona-name"></strong>
                    <span class="brand">
                        <span class="badge" data-testid="quincer-human-badge">{t("panel.human_agent")}" · "</span>
                        {brand}
                    </span>
                </div>
                <button
                    class="close"
                    type="button"
                    aria-label=t("launcher.close")
                    data-testid="quincer-close"
                    on:click=move |_| super::launcher::close(chat)
                >
                    "×"
                </button>
            </div>
            <MessageList chat=chat />
            // Shown by CSS while the live stream is down (see `live::show_reconnecting`).
            <p class="reconnecting-line" role="status" data-testid="quincer-reconnecting">{t("panel.reconnecting")}</p>
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
