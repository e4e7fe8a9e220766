//! Renders [`crate::markdown`] trees as elements and text nodes. No markup string is ever parsed, so untrusted
//! text cannot become HTML; links are already filtered by `safe_href` and open in a new tab without an opener.

use leptos::prelude::*;

use crate::markdown::{parse, Block, Inline};

/// Markdown text as a view.
pub fn markdown(text: &str) -> AnyView {
    parse(text).into_iter().map(block).collect_view().into_any()
}

fn block(b: Block) -> AnyView {
    match b {
        Block::Paragraph(content) => view! { <p>{inlines(content)}</p> }.into_any(),
        Block::Heading(content) => view! { <p class="heading"><strong>{inlines(content)}</strong></p> }.into_any(),
        Block::CodeBlock(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
        Block::List { ordered: true, items } => {
            view! { <ol>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ol> }.into_any()
        }
        Block::List { ordered: false, items } => {
            view! { <ul>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ul> }.into_any()
        }
    }
}

fn inlines(content: Vec<Inline>) -> AnyView {
    content.into_iter().map(inline).collect_view().into_any()
}

fn inline(i: Inline) -> AnyView {
    match i {
        Inline::Text(t) => t.into_any(),
        Inline::Strong(c) => view! { <strong>{inlines(c)}</strong> }.into_any(),
        Inline::Emphasis(c) => view! { <em>{inlines(c)}</em> }.into_any(),
        Inline::Code(c) => view! { <code>{c}</code> }.into_any(),
        Inline::LineBreak => view! { <br /> }.into_any(),
        Inline::Link { href, children } => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{inlines(children)}</a> }.into_any()
        }
    }
}
