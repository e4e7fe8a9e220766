//! The transcript.
//!
//! A keyed `For`: adding a message adds one bubble, and a streamed delta re-renders only its own bubble.

use leptos::prelude::*;
use quincer_protocol::conversation::Role;

use super::markdown_view::Markdown;
use crate::state::{Chat, ChatMessage};

/// All bubbles, with the greeting when the conversation is empty; keeps the newest in view.
#[component]
pub fn MessageList(chat: Chat) -> impl IntoView {
    let locale = chat.session.with_value(|s| s.locale.clone());
    // The scroller is a reversed flex column around the log: its scroll origin is the bottom, so the newest
    // message stays in view as bubbles are added and replies stream, with no script, and a visitor who scrolled
    // up to read stays where they are.
    view! {
        <div class="scroller">
        <div class="messages" role="log" aria-live="polite" data-testid="quincer-messages">
            // Always in the DOM, hidden once the conversation has messages (cheaper than mounting it on demand).
            <div class="msg assistant" data-testid="quincer-greeting" hidden=move || !chat.messages.with(Vec::is_empty)>
                <div class="bubble">
                    // The owner's own plain text: no markdown needed.
                    {move || chat.greeting()}
                </div>
            </div>
            <For
                each=move || chat.messages.get()
                key=|m: &ChatMessage| m.key.clone()
                children=move |m: ChatMessage| view! { <Bubble msg=m locale=locale.clone() /> }
            />
        </div>
        </div>
    }
}

/// One message, or a system line.
#[component]
fn Bubble(msg: ChatMessage, locale: String) -> impl IntoView {
    if msg.notice {
        return view! {
            <div class="notice" role="status" data-testid="quincer-notice">{msg.text.get_untracked()}</div>
        }
        .into_any();
    }
    let role = msg.role.as_str();
    let text = msg.text.clone();
    let body = match msg.role {
        // The visitor's own words are shown exactly as typed.
        Role::User => (move || text.get()).into_any(),
        _ => view! { <Markdown text=text products=msg.products.clone() locale=locale /> }.into_any(),
    };
    let streaming = msg.streaming.clone();
    let busy = msg.streaming.clone();
    let typing = move || streaming.get() && msg.text.with(String::is_empty);
    view! {
        <div class=format!("msg {role}") data-testid="quincer-message" data-role=role data-key=msg.key>
            {msg.speaker.map(|s| view! { <span class="speaker">{s}</span> })}
            <div class="bubble" aria-busy=move || busy.get().to_string()>
                {body}
                <span class="typing" data-testid="quincer-typing" aria-hidden="true" hidden=move || !typing()>
                    <i></i><i></i><i></i>
                </span>
            </div>
        </div>
    }
    .into_any()
}
