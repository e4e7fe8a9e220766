//! The chat panel's header: who is speaking (the persona, or the human agent with their photo or initials and a
//! badge), the brand, and the close button. The panel lays it out above the transcript, error and composer
//! ([`crate::app::App`]).

use leptos::html::Div;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;

use quincer_protocol::events::AgentPublic;

use crate::i18n::t;

/// The header shows `title`, the human agent's photo (over their initials) while `agent` names one, and `brand`,
/// in `colors` (background, text); its close button calls `on_close`. It also names the panel after `title`. A
/// photo path on the widget's server (`/…`) is loaded from `api_base`.
///
/// A plain function, not a `#[component]`: see [`super::composer::composer`].
pub fn header(
    title: impl Fn() -> String + 'static,
    agent: impl Fn() -> Option<AgentPublic> + 'static,
    colors: impl Fn() -> (String, String) + 'static,
    brand: String,
    api_base: String,
    on_close: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    // One render effect keeps the header in step (colours, human mode, names): a reactive binding per attribute
    // would each add generic code to the wasm. Human mode is a class: the avatar and badge are always in the DOM
    // and shown by CSS.
    let header = NodeRef::<Div>::new();
    let effect = RenderEffect::new(move |_| {
        let title = title();
        let agent = agent();
        let agent_initials = agent.as_ref().map(|a| initials(&a.name));
        let (accent, on_accent) = colors();
        let Some(el) = header.get() else { return };
        super::paint(&el, &accent, &on_accent);
        let _ = el.class_list().toggle_with_force("human", agent_initials.is_some());
        let text = |selector: &str, value: &str| {
            if let Ok(Some(node)) = el.query_selector(selector) {
                node.set_text_content(Some(value));
            }
        };
        // The initials, then (plain DOM, cheaper in wasm than a view) the photo over them, set as an attribute, never
        // markup. An `<img alt="">` whose image fails to load is drawn as nothing (HTML's rendering rules), so the
        // initials show through without an error handler.
        if let Ok(Some(avatar)) = el.query_selector(".avatar") {
            avatar.set_text_content(agent_initials.as_deref());
            let photo = agent.and_then(|a| a.avatar_url).map(|url| photo_url(url, &api_base));
            let photo = photo.filter(|u| u.starts_with("https://") || u.starts_with("http://"));
            if let (Some(url), Some(doc)) = (photo, avatar.owner_document()) {
                if let Some(img) = super::product_panel::child(&doc, &avatar, "img", "") {
                    super::product_panel::attrs(&img, &[("alt", ""), ("src", &url)]);
                }
            }
        }
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

/// The URL of an agent's photo: a path (`/…`) is on the widget's server, `api_base`; anything else is as given,
/// and the caller loads only `http(s)` URLs (no `javascript:` or `data:`).
fn photo_url(url: String, api_base: &str) -> String {
    if url.starts_with('/') {
        api_base.to_owned() + &url
    } else {
        url
    }
}

/// Up to two initials of a name, for the agent's avatar.
///
/// ASCII upper-casing only: full Unicode case mapping would add its tables (~15 KB) to the wasm, and names are
/// usually written capitalised anyway.
fn initials(name: &str) -> String {
    name.split(' ').filter_map(|w| w.chars().next()).take(2).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_paths_are_on_the_widgets_server() {
        let base = "https://chat.example";
        assert_eq!(photo_url("https://cdn.example/a.png".into(), base), "https://cdn.example/a.png");
        assert_eq!(
            photo_url("/integrations/openclaw/avatar.svg".into(), base),
            "https://chat.example/integrations/openclaw/avatar.svg"
        );
        // A protocol-relative URL stays on the server too.
        assert_eq!(photo_url("//evil.example/a.png".into(), base), "https://chat.example//evil.example/a.png");
        assert_eq!(photo_url("javascript:alert(1)".into(), base), "javascript:alert(1)", "refused by the caller");
    }
}
