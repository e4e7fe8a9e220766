//! The right pane: the open conversation's header (visitor, page, language, lead, who holds it), its buttons
//! (Take over, Hand back, Hand off to a persona), the error and notice lines, the transcript and the composer.

use leptos::prelude::*;

use crate::format::http_url;
use crate::model::ConversationDetail;
use crate::state::Inbox;

/// The pane.
pub fn view(inbox: Inbox) -> impl IntoView {
    view! {
        <section class="conversation-pane" aria-labelledby="conversation-heading" data-testid="conversation-pane">
            {move || match inbox.detail.get() {
                None if inbox.open.get().is_some() => view! {
                    <h2 id="conversation-heading">"Loading the conversation…"</h2>
                }.into_any(),
                None => view! {
                    <h2 id="conversation-heading" class="visually-hidden">"Conversation"</h2>
                    <p class="empty">"Pick a conversation: " <kbd>"j"</kbd> " / " <kbd>"k"</kbd> " to move, "
                        <kbd>"Enter"</kbd> " to open."</p>
                }.into_any(),
                Some(detail) => open(inbox, detail).into_any(),
            }}
            // Outside the block above, which redraws with every update of the conversation: a visitor's message
            // arriving must not take the composer's focus or text away.
            <Show when=move || inbox.detail.with(Option::is_some)>
                {super::composer::view(inbox)}
            </Show>
            <p class="error" role="alert" data-testid="error">{move || inbox.error.get()}</p>
            <p class="notice" role="status" data-testid="notice">{move || inbox.notice.get()}</p>
        </section>
    }
}

/// An open conversation.
fn open(inbox: Inbox, detail: ConversationDetail) -> impl IntoView {
    let item = detail.item.clone();
    let held = item.status == "human_active";
    let holder = item.holder_name().map(str::to_owned);
    let widget = item.widget_id.clone();
    let personas = move || inbox.personas.get().into_iter().filter(|p| p.widget_id == widget).collect::<Vec<_>>();
    let chosen = RwSignal::new(String::new());
    let status = match (item.status.as_str(), &holder) {
        ("human_active", Some(h)) => format!("Held by {h}"),
        ("human_active", None) => "Taken over".to_owned(),
        ("closed", _) => "Closed".to_owned(),
        _ => "The AI is answering".to_owned(),
    };
    let page = item.page_url.clone();
    view! {
        <header class="conversation-head">
            <h2 id="conversation-heading" data-testid="conversation-title">{item.visitor_label()}</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd data-testid="conversation-holder">{status}</dd>
                {page.map(|u| view! {
                    <dt>"Page"</dt>
                    <dd>{match http_url(&u) {
                        Some(href) => view! { <a href=href.to_owned() target="_blank" rel="noopener noreferrer">{u.clone()}</a> }.into_any(),
                        None => view! { <span>{u.clone()}</span> }.into_any(),
                    }}</dd>
                })}
                {item.language.clone().map(|l| view! { <dt>"Language"</dt><dd>{l}</dd> })}
                {item.lead.clone().map(|l| view! {
                    <dt>"Lead"</dt>
                    <dd>{[l.name, l.email].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</dd>
                })}
            </dl>
            <div class="actions">
                <Show when=move || !held>
                    <button type="button" data-testid="take-over" aria-keyshortcuts="t"
                        prop:disabled=move || inbox.busy.get() on:click=move |_| inbox.take_over()>
                        "Take over"
                    </button>
                </Show>
                <Show when=move || held>
                    <button type="button" data-testid="hand-back"
                        prop:disabled=move || inbox.busy.get() on:click=move |_| inbox.hand_back()>
                        "Hand back to the AI"
                    </button>
                </Show>
                <Show when={ let personas = personas.clone(); move || !personas().is_empty() }>
                    <label class="handoff">
                        "Persona"
                        <select data-testid="persona" on:change=move |e| chosen.set(event_target_value(&e))>
                            <option value="">"Choose…"</option>
                            {let personas = personas.clone(); move || personas().into_iter().map(|p| view! {
                                <option value=p.id.clone()>{p.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" data-testid="hand-off"
                        prop:disabled=move || inbox.busy.get() || chosen.get().is_empty()
                        on:click=move |_| inbox.hand_off(chosen.get_untracked())>
                        "Hand off"
                    </button>
                </Show>
            </div>
        </header>
        {super::transcript::view(detail.messages)}
    }
}
