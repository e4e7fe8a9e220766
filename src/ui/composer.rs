//! The message box with its send / stop button.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::state::{Chat, Phase};

/// Text area; Enter sends, Shift+Enter adds a line.
#[component]
pub fn Composer(chat: Chat) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let streaming = move || chat.phase.get() == Phase::Streaming;
    let submit = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() || chat.phase.get_untracked() == Phase::Streaming {
            return;
        }
        chat.send(&text);
        draft.set(String::new());
    };
    view! {
        <form class="composer" on:submit=move |ev| {
            ev.prevent_default();
            submit();
        }>
            <textarea
                rows="1"
                placeholder="Write a message…"
                aria-label="Message"
                maxlength="4000"
                data-testid="quincer-input"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev: KeyboardEvent| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <Show
                when=streaming
                fallback=move || view! {
                    <button
                        class="send"
                        type="submit"
                        aria-label="Send"
                        data-testid="quincer-send"
                        style:background=move || chat.accent()
                        disabled=move || draft.get().trim().is_empty()
                    >
                        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20l18-8L3 4v6l12 2-12 2z" /></svg>
                    </button>
                }
            >
                <button
                    class="send"
                    type="button"
                    aria-label="Stop"
                    data-testid="quincer-stop"
                    style:background=move || chat.accent()
                    on:click=move |_| chat.stop()
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true"><rect x="6" y="6" width="12" height="12" rx="2" /></svg>
                </button>
            </Show>
        </form>
    }
}
