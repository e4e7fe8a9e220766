//! The composer: a textarea and Send, enabled while the signed-in member holds the conversation. Enter sends,
//! Shift+Enter makes a new line, Esc leaves it (the window's key handler). A refused reply keeps the text, and so
//! does an update of the conversation arriving while the member types.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{Inbox, Session};

/// Whether the signed-in member may write in the open conversation: they hold it (or the server does not say who
/// holds it); else who does.
fn permission(inbox: Inbox) -> Result<(), Option<String>> {
    let me = match inbox.session.get() {
        Session::SignedIn(me) => me.member.id,
        _ => return Err(None),
    };
    inbox.detail.with(|d| {
        let Some(item) = d.as_ref().map(|d| &d.item) else { return Err(None) };
        if item.status == "human_active" && (item.held_by(&me) || item.holder.is_none()) {
            Ok(())
        } else {
            Err(item.holder_name().map(str::to_owned))
        }
    })
}

/// The composer of the open conversation; its text is [`Inbox::draft`], kept across updates of the conversation.
pub fn view(inbox: Inbox) -> impl IntoView {
    let text = inbox.draft;
    let sending = RwSignal::new(false);
    let allowed = Memo::new(move |_| permission(inbox));
    let enabled = move || allowed.get().is_ok();
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
    let hint = move || match allowed.get() {
        Ok(()) => "Enter sends, Shift+Enter adds a line, Esc leaves the composer.".to_owned(),
        Err(Some(h)) => format!("{h} holds this conversation; only they can reply."),
        Err(None) => "Take the conversation over (t) to reply.".to_owned(),
    };
    view! {
        <form class="composer" data-testid="composer" on:submit=move |e| {
            e.prevent_default();
            send();
        }>
            <label for=super::COMPOSER_ID class="visually-hidden">"Reply to the visitor"</label>
            <textarea id=super::COMPOSER_ID rows="2" maxlength="4000" aria-describedby="composer-hint"
                placeholder=move || if enabled() { "Write a reply…" } else { "" }
                prop:disabled=move || !enabled() prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e))
                on:keydown=move |e: leptos::ev::KeyboardEvent| {
                    if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
                        e.prevent_default();
                        send();
                    }
                }></textarea>
            <button type="submit" data-testid="send" prop:disabled=move || !enabled() || sending.get()>"Send"</button>
            <p id="composer-hint" class="hint">{hint}</p>
        </form>
    }
}
