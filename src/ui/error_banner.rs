//! The failed-request banner, with its retry button.

use leptos::prelude::*;

use crate::state::{Chat, Phase};

/// Shows the last failure and offers to send the message again.
#[component]
pub fn ErrorBanner(
    /// The widget state.
    chat: Chat,
) -> impl IntoView {
    let message = move || match chat.phase.get() {
        Phase::Failed(msg) => Some(msg),
        _ => None,
    };
    move || {
        message().map(|msg| {
            view! {
                <div class="error" role="alert" data-testid="quincer-error">
                    <span>{msg}</span>
                    <button type="button" data-testid="quincer-retry" on:click=move |_| chat.retry()>
                        {crate::i18n::t("error.retry")}
                    </button>
                </div>
            }
        })
    }
}
