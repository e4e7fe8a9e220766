//! The left pane: the filters and the conversation list, a `listbox` whose options are the conversations passing
//! the filters (newest activity first). Focus stays on the list; `aria-activedescendant` names the option under
//! the keyboard cursor and `aria-selected` the open one.

use leptos::prelude::*;

use crate::filter::{Filter, StatusFilter};
use crate::format::{page_label, short_time};
use crate::model::ConversationItem;
use crate::state::Inbox;
use crate::unread;

/// The DOM id of conversation `id`'s option.
pub fn option_id(id: &str) -> String {
    format!("c-{id}")
}

/// Today's date as `YYYY-MM-DD` (UTC, like the server's times).
fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.get(..10).unwrap_or_default().to_owned()
}

/// The pane.
pub fn view(inbox: Inbox) -> impl IntoView {
    let visible = Memo::new(move |_| {
        let me = inbox.me_id();
        inbox.filter.with(|f| inbox.conversations.with(|c| c.visible(f, &me).cloned().collect::<Vec<_>>()))
    });
    // The widgets with conversations, by brand when the widgets could be read.
    let widgets = Memo::new(move |_| {
        let ids = inbox.conversations.with(|c| c.widget_ids());
        inbox.widgets.with(|ws| {
            ids.into_iter()
                .map(|id| {
                    let name = ws.iter().find(|w| w.id == id && !w.brand.is_empty()).map(|w| w.brand.clone());
                    (id.clone(), name.unwrap_or(id))
                })
                .collect::<Vec<_>>()
        })
    });
    let set_filter = move |change: &dyn Fn(&mut Filter)| inbox.filter.update(|f| change(f));
    view! {
        <section class="list-pane" aria-labelledby="list-heading">
            <h2 id="list-heading" class="visually-hidden">"Conversations"</h2>
            <div class="filters">
                <label>
                    "Widget"
                    <select data-testid="filter-widget" on:change=move |e| {
                        let v = event_target_value(&e);
                        set_filter(&|f| f.widget_id = (!v.is_empty()).then(|| v.clone()));
                    }>
                        <option value="">"All widgets"</option>
                        <For each=move || widgets.get() key=|w| w.clone() let((id, name))>
                            <option value=id>{name}</option>
                        </For>
                    </select>
                </label>
                <label>
                    "Status"
                    <select data-testid="filter-status" on:change=move |e| {
                        let v = StatusFilter::parse(&event_target_value(&e));
                        set_filter(&|f| f.status = v);
                    }>
                        {StatusFilter::ALL.into_iter().map(|s| view! { <option value=s.value()>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="mine">
                    <input type="checkbox" data-testid="filter-mine" on:change=move |e| {
                        let on = event_target_checked(&e);
                        set_filter(&|f| f.mine = on);
                    } />
                    "Mine"
                </label>
            </div>
            <ul id=super::LIST_ID role="listbox" tabindex="0" aria-labelledby="list-heading" data-testid="conversations"
                aria-activedescendant=move || inbox.cursor.get().map(|c| option_id(&c))>
                <For each=move || visible.get() key=|c| (c.id.clone(), c.updated_at.clone(), c.activity().to_owned(), c.unread_count) let(item)>
                    {row(inbox, item)}
                </For>
            </ul>
            <Show when=move || visible.with(Vec::is_empty)>
                <p class="empty" data-testid="no-conversations">"No conversations match these filters yet."</p>
            </Show>
        </section>
    }
}

/// One option.
fn row(inbox: Inbox, item: ConversationItem) -> impl IntoView {
    let id = item.id.clone();
    let (id_open, id_cursor, id_click) = (id.clone(), id.clone(), id.clone());
    let selected = Memo::new(move |_| inbox.open.get().as_deref() == Some(id_open.as_str()));
    let is_cursor = Memo::new(move |_| inbox.cursor.get().as_deref() == Some(id_cursor.as_str()));
    let count = {
        let item = item.clone();
        move || unread::shown(&item, inbox.open.get().as_deref())
    };
    let holder = item.holder_name().map(|h| format!("Held by {h}"));
    let status = match item.status.as_str() {
        "human_active" => holder.unwrap_or_else(|| "Taken over".into()),
        "closed" => "Closed".into(),
        _ => "AI answering".into(),
    };
    let lead = item.lead.as_ref().map(|l| {
        let who = l.name.clone().or(l.email.clone()).unwrap_or_else(|| l.id.clone());
        format!("Lead: {who}")
    });
    view! {
        <li id=option_id(&id) role="option" data-testid="conversation" data-id=id.clone()
            aria-selected=move || if selected.get() { "true" } else { "false" }
            class:cursor=is_cursor class:open=selected class:held=item.status == "human_active"
            on:click=move |_| {
                inbox.open_conversation(id_click.clone());
                super::focus_list();
            }>
            <span class="who">{item.visitor_label()}</span>
            <span class="when">{short_time(item.activity(), &today())}</span>
            <span class="preview">{item.last_message_preview.clone().unwrap_or_default()}</span>
            <span class="meta">
                <span class="status" data-testid="conversation-status">{status}</span>
                {item.page_url.as_deref().map(|u| view! { <span class="page">{page_label(u)}</span> })}
                {item.language.clone().map(|l| view! { <span class="lang">{l}</span> })}
                {lead.map(|l| view! { <span class="lead">{l}</span> })}
            </span>
            <Show when={ let count = count.clone(); move || count() > 0 }>
                <span class="unread" data-testid="unread">
                    {let count = count.clone(); move || count()}
                    <span class="visually-hidden">{let count = count.clone(); move || format!(" {}", unread::label(count()).trim_start_matches(|c: char| c.is_ascii_digit()).trim_start())}</span>
                </span>
            </Show>
        </li>
    }
}
