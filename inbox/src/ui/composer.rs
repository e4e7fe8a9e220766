//! The composer: a textarea and Send, enabled while the signed-in member holds the conversation. Enter sends,
//! Shift+Enter makes a new line, Esc leaves it (the window's key handler). A refused reply keeps the text.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::Inbox;

/// The composer; `enabled` when the member may reply, `holder` names who holds the conversation otherwise.
pub fn view(inbox: Inbox, enabled: bool, holder: Option<String>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let send = move || {
        let body = text.get_untracked();
        if body.trim().is_empty() || sending.get_untracked() {
            return;
        }
        sending.set(true);
        spawn_local(async move {
            if inbox.reply(body).await {
                text.set(String::new());
            }
            sending.set(false);
        });
    };
    let hint = if enabled {
        "Enter sends, Shift+Enter adds a line, Esc leaves the composer.".to_owned()
    } else {
        match holder {
            Some(h) => format!("{h} holds this conversation; only they can reply."),
            None => "Take the conversation over (t) to reply.".to_owned(),
        }
    };
    view! {
        <form class="composer" data-testid="composer" on:submit=move |e| {
            e.prevent_default();
            send();
        }>
            <label for=super::COMPOSER_ID class="visually-hidden">"Reply to the visitor"</label>
            <textarea id=super::COMPOSER_ID rows="2" maxlength="4000" aria-describedby="composer-hint"
                placeholder=if enabled { "Write a reply…" } else { "" }
                prop:disabled=!enabled prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e))
                on:keydown=move |e: leptos::ev::KeyboardEvent| {
                    if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
                        e.prevent_default();
                        send();
                    }
                }></textarea>
            <button type="submit" data-testid="send" prop:disabled=move || !enabled || sending.get()>"Send"</button>
            <p id="composer-hint" class="hint">{hint}</p>
        </form>
    }
}
