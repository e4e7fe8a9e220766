//! The sign-in form: email and password to `POST /inbox/api/sign-in`; the server's refusal ("wrong email or
//! password", the rate limit) shown under it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::Inbox;

/// The form, alone on the page.
pub fn view(inbox: Inbox) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = inbox.sign_in(email.get_untracked(), password.get_untracked()).await;
            pending.set(false);
            if let Err(message) = result {
                error.set(Some(message));
            }
        });
    };
    view! {
        <main class="sign-in">
            <form on:submit=submit data-testid="sign-in-form" aria-describedby="sign-in-error">
                <h1>"Sign in to the inbox"</h1>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required autofocus
                    prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e)) />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get() on:input=move |e| password.set(event_target_value(&e)) />
                <p id="sign-in-error" class="error" role="alert" data-testid="sign-in-error">
                    {move || error.get()}
                </p>
                <button type="submit" prop:disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
