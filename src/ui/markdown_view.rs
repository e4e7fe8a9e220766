//! Renders [`crate::markdown`] trees into the DOM with `createElement` and `createTextNode`.
//!
//! Never a markup string: untrusted text cannot become HTML, and links (already filtered by `safe_href`) open in a
//! new tab without an opener. Plain DOM calls rather than `view!`: one small function handles every tag, where
//! Leptos would instantiate its generic element code once per tag type (~10 KB of wasm for this module alone).

use std::sync::{Arc, OnceLock};

use leptos::html::Div;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use quincer_protocol::products::ProductPanel;
use web_sys::{Document, Element};

use crate::markdown::{parse, Block, Inline};

/// Markdown text, re-rendered whenever `text` changes (only this element's children are replaced), followed by
/// the message's product cards once it has some.
#[component]
pub fn Markdown(text: ArcRwSignal<String>, products: Arc<OnceLock<ProductPanel>>, locale: String) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    // A render effect (synchronous, like the view's own bindings) rather than an `Effect`: `Effect`s are async
    // tasks in Leptos 0.8, and this was the widget's last one, so their machinery no longer ships in the wasm.
    // It reruns when `text` changes and when the node is mounted (`NodeRef` is reactive).
    let effect = RenderEffect::new(move |_| {
        let text = text.get();
        if let Some(el) = node.get() {
            render(&el, &text);
            if let (Some(panel), Some(bubble)) = (products.get(), el.parent_element()) {
                super::product_panel::show_once(&bubble, panel, &locale);
            }
        }
    });
    // Alive as long as the bubble.
    on_cleanup(move || drop(effect));
    view! { <div class="md" node_ref=node></div> }
}

/// Replaces the children of `into` with `text` rendered as markdown.
pub fn render(into: &Element, text: &str) {
    let Some(doc) = into.owner_document() else { return };
    into.set_text_content(None);
    for b in parse(text) {
        block(&doc, into, b);
    }
}

/// Appends a `<tag>` to `parent`.
fn child(doc: &Document, parent: &Element, tag: &str) -> Option<Element> {
    let el = doc.create_element(tag).ok()?;
    parent.append_child(&el).ok()?;
    Some(el)
}

fn text(doc: &Document, parent: &Element, s: &str) {
    let _ = parent.append_child(&doc.create_text_node(s));
}

fn block(doc: &Document, parent: &Element, b: Block) {
    match b {
        Block::Paragraph(content) => {
            if let Some(p) = child(doc, parent, "p") {
                inlines(doc, &p, content);
            }
        }
        Block::Heading(content) => {
            if let Some(strong) = child(doc, parent, "p").and_then(|p| child(doc, &p, "strong")) {
                inlines(doc, &strong, content);
            }
        }
        Block::CodeBlock(code) => {
            if let Some(c) = child(doc, parent, "pre").and_then(|pre| child(doc, &pre, "code")) {
                text(doc, &c, &code);
            }
        }
        Block::List { ordered, items } => {
            if let Some(list) = child(doc, parent, if ordered { "ol" } else { "ul" }) {
                for item in items {
                    if let Some(li) = child(doc, &list, "li") {
                        inlines(doc, &li, item);
                    }
                }
            }
        }
    }
}

fn inlines(doc: &Document, parent: &Element, content: Vec<Inline>) {
    for i in content {
        let (tag, children) = match i {
            Inline::Text(t) => {
                text(doc, parent, &t);
                continue;
            }
            Inline::Code(c) => {
                if let Some(code) = child(doc, parent, "code") {
                    text(doc, &code, &c);
                }
                continue;
            }
            Inline::LineBreak => {
                child(doc, parent, "br");
                continue;
            }
            Inline::Strong(c) => ("strong", c),
            Inline::Emphasis(c) => ("em", c),
            Inline::Link { href, children } => {
                if let Some(a) = child(doc, parent, "a") {
                    let _ = a.set_attribute("href", &href);
                    let _ = a.set_attribute("target", "_blank");
                    let _ = a.set_attribute("rel", "noopener noreferrer");
                    inlines(doc, &a, children);
                }
                continue;
            }
        };
        if let Some(el) = child(doc, parent, tag) {
            inlines(doc, &el, children);
        }
    }
}
