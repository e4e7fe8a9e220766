//! The failed-request banner, with its retry button.

use leptos::prelude::*;

use crate::chat::Phase;

/// Shows the last failure (a [`Phase::Failed`] `phase`) and offers to send the message again (`on_retry`). A plain
/// function, not a `#[component]`: see [`super::composer::composer`].
pub fn error_banner(phase: RwSignal<Phase>, on_retry: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let message = move || match phase.get() {
        Phase::Failed(msg) => Some(msg),
        _ => None,
    };
    move || {
        message().map(|msg| {
            view! {
                <div class="error" role="alert" data-testid="quincer-error">
                    <span>{msg}</span>
                    <button type="button" data-testid="quincer-retry" on:click=move |_| on_retry()>
                        {crate::i18n::t("error.retry")}
                    </button>
                </div>
            }
        })
    }
}
