//! "Connect OpenClaw" in the top bar, for owners and admins: creates (or reuses) the "OpenClaw" team member and
//! shows a new key bound to it once, with the skill to download and where the key goes. A native `<details>`, like
//! "Change password".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::model::OpenClawConnection;
use crate::state::Inbox;

/// Selects the whole key when the field gets focus, ready to copy.
fn select_all(e: leptos::ev::FocusEvent) {
    event_target::<web_sys::HtmlInputElement>(&e).select();
}

/// The disclosure, its button and, once connected, the key.
pub fn view(inbox: Inbox) -> impl IntoView {
    let connection = RwSignal::new(None::<OpenClawConnection>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let connect = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = inbox.connect_openclaw().await;
            pending.set(false);
            match result {
                Ok(c) => connection.set(Some(c)),
                Err(m) => error.set(Some(m)),
            }
        });
    };
    view! {
        <details class="openclaw">
            <summary>"Connect OpenClaw"</summary>
            <div class="panel" data-testid="openclaw-panel">
                <p>
                    "Lets an OpenClaw agent find, take over and answer conversations, and update leads and tasks, as "
                    "the \u{201c}OpenClaw\u{201d} team member."
                </p>
                <button type="button" data-testid="openclaw-connect" on:click=connect
                    prop:disabled=move || pending.get()>
                    {move || if connection.get().is_some() { "Issue another key" } else { "Connect OpenClaw" }}
                </button>
                <p role="alert" class="error" data-testid="openclaw-error">{move || error.get()}</p>
                {move || connection.get().map(|c| view! {
                    <label for="openclaw-key">"Its key, shown only now:"</label>
                    <input id="openclaw-key" data-testid="openclaw-key" readonly
                        on:focus=select_all prop:value=c.key.clone() />
                    <ol>
                        <li>"Download " <a href=c.skill_url.clone() download="SKILL.md">"SKILL.md"</a>
                            " into ~/.openclaw/workspace/skills/quincer/."</li>
                        <li>"Put the key in ~/.openclaw/openclaw.json under skills.entries.quincer.env.QUINCER_API_KEY."</li>
                        <li>"Restart the OpenClaw gateway."</li>
                    </ol>
                })}
            </div>
        </details>
    }
}
