//! "Change password" in the top bar: members get a one-time password from `quincer-server members create` and
//! replace it here (`POST /inbox/api/password`; the server ends their other sessions). A native `<details>`, so it
//! opens and closes from the keyboard without code.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::Inbox;

/// The disclosure and its form.
pub fn view(inbox: Inbox) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let pending = RwSignal::new(false);
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            let result = inbox.change_password(current.get_untracked(), new.get_untracked()).await;
            pending.set(false);
            message.set(Some(match result {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    (true, "Password changed; your other sessions were signed out.".into())
                }
                Err(m) => (false, m),
            }));
        });
    };
    view! {
        <details class="password">
            <summary>"Change password"</summary>
            <form on:submit=submit data-testid="password-form">
                <label for="current-password">"Current password"</label>
                <input id="current-password" type="password" autocomplete="current-password" required
                    prop:value=move || current.get() on:input=move |e| current.set(event_target_value(&e)) />
                <label for="new-password">"New password"</label>
                <input id="new-password" type="password" autocomplete="new-password" required
                    prop:value=move || new.get() on:input=move |e| new.set(event_target_value(&e)) />
                <p role="status" data-testid="password-message"
                    class=move || if message.get().is_some_and(|(ok, _)| !ok) { "error" } else { "notice" }>
                    {move || message.get().map(|(_, m)| m)}
                </p>
                <button type="submit" prop:disabled=move || pending.get()>"Change"</button>
            </form>
        </details>
    }
}
