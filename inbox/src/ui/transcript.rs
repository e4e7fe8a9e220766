//! The transcript: each message with who wrote it and when, its text as text (never markup), and its product
//! panels as cards, like the widget shows the visitor.

use leptos::prelude::*;
use quincer_protocol::conversation::{Message, MessagePart, Role};
use quincer_protocol::products::ProductPanel;

use crate::format::card_summary;

/// The transcript of `messages`, oldest first, scrolled to the newest.
pub fn view(messages: Vec<Message>) -> impl IntoView {
    let list = NodeRef::<leptos::html::Div>::new();
    // Newest at the bottom, in view: scroll once the list is in the page.
    Effect::new(move |_| {
        if let Some(log) = list.get() {
            log.set_scroll_top(log.scroll_height());
        }
    });
    let empty = messages.is_empty();
    view! {
        // The log role on a wrapper: on the <ol> itself it would hide the list from assistive technology.
        <div class="transcript" role="log" aria-label="Transcript" tabindex="0" node_ref=list data-testid="transcript">
            <ol class="messages">{messages.into_iter().map(message).collect_view()}</ol>
        </div>
        {empty.then(|| view! { <p class="empty">"No messages yet."</p> })}
    }
}

/// One message.
fn message(m: Message) -> impl IntoView {
    let (class, who) = match m.role {
        Role::User => ("msg user", "Visitor".to_owned()),
        Role::Assistant => ("msg assistant", "AI".to_owned()),
        Role::Agent => ("msg agent", m.speaker_name.clone().unwrap_or_else(|| "Agent".into())),
    };
    let panels: Vec<ProductPanel> = m
        .parts
        .iter()
        .filter_map(|p| match p {
            MessagePart::ShowProducts { output, .. } => Some(output.clone()),
            MessagePart::Text { .. } => None,
        })
        .collect();
    let time = m.created_at.get(11..16).unwrap_or_default().to_owned();
    view! {
        <li class=class data-testid="message" data-role=m.role.as_str()>
            <p class="by"><span class="who">{who}</span> <time datetime=m.created_at.clone()>{time}</time></p>
            <p class="text">{m.text.clone()}</p>
            {panels.into_iter().map(panel).collect_view()}
        </li>
    }
}

/// A product panel as a row of cards.
fn panel(panel: ProductPanel) -> impl IntoView {
    let currency = panel.currency.clone();
    view! {
        <ul class="cards" aria-label="Products shown" data-testid="product-cards">
            {panel.products.iter().map(|card| {
                let s = card_summary(card, &currency);
                let title = s.title.to_owned();
                view! {
                    <li class="card" data-testid="product-card">
                        {s.image.map(|img| view! {
                            <img src=img.src.clone() alt=img.alt.clone() width=img.width.map(|w| w.to_string())
                                height=img.height.map(|h| h.to_string()) loading="lazy" />
                        })}
                        <p class="title">{match s.url {
                            Some(href) => view! { <a href=href.to_owned() target="_blank" rel="noopener noreferrer">{title}</a> }.into_any(),
                            None => view! { <span>{title}</span> }.into_any(),
                        }}</p>
                        {s.vendor.map(|v| view! { <p class="vendor">{v.to_owned()}</p> })}
                        {s.variant.map(|v| view! { <p class="variant">{v.to_owned()}</p> })}
                        <p class="price">
                            {s.price.clone()}
                            {s.compare_at.clone().map(|c| view! { " " <s aria-label=format!("was {c}")>{c.clone()}</s> })}
                            {(!s.available).then(|| view! { " · " <span class="sold-out">"sold out"</span> })}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
