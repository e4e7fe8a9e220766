//! The chat panel's header: who is speaking (the persona, or the human agent with their initials and a badge), the
//! brand, and the close button. The panel lays it out above the transcript, error and composer
//! ([`crate::app::App`]).

use leptos::html::Div;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;

use crate::i18n::t;

/// The header shows `title`, the human agent's initials while `agent` names one, and `brand`, in `colors`
/// (background, text); its close button calls `on_close`. It also names the panel after `title`.
///
/// A plain function, not a `#[component]`: see [`super::composer::composer`].
pub fn header(
    title: impl Fn() -> String + 'static,
    agent: impl Fn() -> Option<String> + 'static,
    colors: impl Fn() -> (String, String) + 'static,
    brand: String,
    on_close: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    // One render effect keeps the header in step (colours, human mode, names): a reactive binding per attribute
    // would each add generic code to the wasm. Human mode is a class: the avatar and badge are always in the DOM
    // and shown by CSS.
    let header = NodeRef::<Div>::new();
    let effect = RenderEffect::new(move |_| {
        let title = title();
        let agent_initials = agent().map(|name| initials(&name));
        let (accent, on_accent) = colors();
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
                    on:click=move |_| on_close()
                >
                    "×"
                </button>
            </div>
    }
}

/// Up to two initials of a name, for the agent's avatar.
///
/// ASCII upper-casing only: full Unicode case mapping would add its tables (~15 KB) to the wasm, and names are
/// usually written capitalised anyway.
fn initials(name: &str) -> String {
    name.split(' ').filter_map(|w| w.chars().next()).take(2).map(|c| c.to_ascii_uppercase()).collect()
}
