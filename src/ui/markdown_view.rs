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

use crate::markdown::{parse_split, Block, Inline};

/// Markdown text, rendered as it grows, followed by the message's product cards once it has some.
///
/// Streaming appends to `text`, so the view keeps the DOM of the blocks before the text's last stable boundary
/// ([`crate::markdown::parse_split`]) and on each change re-renders only what follows it (normally the last
/// block): a delta costs the last block's work, not the whole message's. The result is the same DOM as a one-shot
/// render of the whole text.
#[component]
pub fn Markdown(
    /// The message's text, as it streams in.
    text: ArcRwSignal<String>,
    /// The message's product panel, drawn under the text once it arrived.
    products: Arc<OnceLock<ProductPanel>>,
    /// The visitor's language, for prices.
    locale: String,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    // What is rendered for good: the source bytes before the stable boundary, the elements they made, and the
    // final items of the list after them that the text goes on with (0: none).
    let (mut done, mut kept, mut li, mut cards) = (0, 0, 0, false);
    // A render effect (synchronous, like the view's own bindings) rather than an `Effect`: `Effect`s are async
    // tasks in Leptos 0.8, and this was the widget's last one, so their machinery no longer ships in the wasm.
    // It reruns when `text` changes and when the node is mounted (`NodeRef` is reactive).
    let effect = RenderEffect::new(move |_| {
        let Some(el) = node.get() else { return };
        // Borrowed, not cloned: a copy of the whole text per delta would make streaming quadratic again.
        (done, kept, li) = render_from(&el, &text.read(), (done, kept, li));
        if let (false, Some(panel), Some(bubble)) = (cards, products.get(), el.parent_element()) {
            super::product_panel::show_once(&bubble, panel, &locale);
            cards = true;
        }
    });
    // Alive as long as the bubble.
    on_cleanup(move || drop(effect));
    view! { <div class="md" node_ref=node></div> }
}

/// Brings `into` up to date with `text`, given `(done, kept, li)`: its first `kept` elements are the final blocks
/// of `text[..done]`, and if `li` > 0 the next one is a list whose first `li` items are final and which
/// `text[done..]` goes on with. Removes the rest, renders `text[done..]`, and returns the new state. Text is only
/// ever appended (a text that was not would render nothing new, never panic).
#[inline(never)]
fn render_from(into: &Element, text: &str, (done, kept, li): (usize, u32, u32)) -> (usize, u32, u32) {
    let Some(doc) = into.owner_document() else { return (done, kept, li) };
    let list = trim(into, kept + (li > 0) as u32).filter(|_| li > 0);
    if let Some(list) = &list {
        trim(list, li);
    }
    let (blocks, n, at, m) = parse_split(text.get(done..).unwrap_or_default());
    for (i, b) in blocks.into_iter().enumerate() {
        match (i, &list, b) {
            // The kept list goes on: its new items join it.
            (0, Some(list), Block::List { items: more, .. }) => items(&doc, list, more),
            (_, _, b) => block(&doc, into, b),
        }
    }
    // One element per block (`block` always appends one: creating a known tag cannot fail). With `n` 0 the same
    // list goes on, with `m` more final items.
    (done + at, kept + n as u32, m as u32 + if n == 0 { li } else { 0 })
}

/// Removes the children of `el` after the first `keep` elements; returns the last one kept.
fn trim(el: &Element, keep: u32) -> Option<Element> {
    while el.child_element_count() > keep {
        el.last_element_child()?.remove();
    }
    el.last_element_child()
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
        Block::List { ordered, items: content } => {
            if let Some(list) = child(doc, parent, if ordered { "ol" } else { "ul" }) {
                items(doc, &list, content);
            }
        }
    }
}

/// Appends an `<li>` per item to `list`.
fn items(doc: &Document, list: &Element, items: Vec<Vec<Inline>>) {
    for item in items {
        if let Some(li) = child(doc, list, "li") {
            inlines(doc, &li, item);
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
