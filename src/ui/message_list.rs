//! The transcript.
//!
//! A keyed `For`: adding a message adds one bubble, and a streamed delta re-renders only its own bubble.

use leptos::html::Div;
use leptos::prelude::*;
use quincer_protocol::conversation::Role;

use super::markdown_view::markdown;
use crate::state::{Chat, ChatMessage};

/// All bubbles, with the greeting when the conversation is empty; keeps the newest in view.
#[component]
pub fn MessageList(chat: Chat) -> impl IntoView {
    let list = NodeRef::<Div>::new();
    Effect::new(move |_| {
        // Track the newest bubble's text so streaming keeps it scrolled into view.
        chat.messages.with(|m| m.last().map(|msg| msg.text.track()));
        if let Some(el) = list.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    view! {
        <div class="messages" node_ref=list role="log" aria-live="polite" data-testid="quincer-messages">
            {move || {
                chat.messages.with(Vec::is_empty).then(|| {
                    view! {
                        <div class="msg assistant" data-testid="quincer-greeting">
                            <div class="bubble">{markdown(&chat.greeting())}</div>
                        </div>
                    }
                })
            }}
            <For
                each=move || chat.messages.get()
                key=|m: &ChatMessage| m.key.clone()
                children=move |m: ChatMessage| view! { <Bubble msg=m /> }
            />
        </div>
    }
}

/// One message.
#[component]
fn Bubble(msg: ChatMessage) -> impl IntoView {
    let role = msg.role.as_str();
    let text = msg.text.clone();
    let body = move || match msg.role {
        // The visitor's own words are shown exactly as typed.
        Role::User => text.get().into_any(),
        _ => markdown(&text.get()),
    };
    let streaming = msg.streaming.clone();
    let busy = msg.streaming.clone();
    let typing = move || streaming.get() && msg.text.with(String::is_empty);
    view! {
        <div class=format!("msg {role}") data-testid="quincer-message" data-role=role>
            {msg.speaker.map(|s| view! { <span class="speaker">{s}</span> })}
            <div class="bubble" aria-busy=move || busy.get().to_string()>
                {body}
                {move || {
                    typing().then(|| {
                        view! {
                            <span class="typing" data-testid="quincer-typing" aria-label="Typing">
                                <i></i><i></i><i></i>
                            </span>
                        }
                    })
                }}
            </div>
        </div>
    }
}
