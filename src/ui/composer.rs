//! The message box with its send / stop button.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::state::{Chat, Phase};

/// Paper-plane icon.
const SEND_ICON: &str = "M3 20l18-8L3 4v6l12 2-12 2z";
/// Square icon.
const STOP_ICON: &str = "M7 6h10a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z";

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
            // One button that is "send" while idle and "stop" while a reply streams (one element, not two: smaller).
            <button
                class="send"
                type="button"
                aria-label=move || if streaming() { "Stop" } else { "Send" }
                data-testid=move || if streaming() { "quincer-stop" } else { "quincer-send" }
                style:background=move || chat.accent()
            style:color=move || chat.on_accent()
                disabled=move || !streaming() && draft.get().trim().is_empty()
                on:click=move |_| if streaming() { chat.stop() } else { submit() }
            >
                <svg viewBox="0 0 24 24" aria-hidden="true">
                    <path d=move || if streaming() { STOP_ICON } else { SEND_ICON } />
                </svg>
            </button>
        </form>
    }
}
