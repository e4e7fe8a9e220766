//! The message box with its send / stop button.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use web_sys::KeyboardEvent;

use crate::chat::Phase;
use crate::i18n::t;

/// Paper-plane icon.
const SEND_ICON: &str = "M3 20l18-8L3 4v6l12 2-12 2z";
/// Square icon.
const STOP_ICON: &str = "M7 6h10a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z";

/// Text area; Enter sends, Shift+Enter adds a line.
///
/// Given `draft`, what the visitor is typing (kept outside the composer, so it survives the panel being drawn
/// again); `phase`, the request's (while a reply streams the button stops it, and nothing can be sent); `colors`,
/// the button's background and text colours; `on_send`, which sends the text and says whether it did (not while a
/// reply streams: the draft is kept), and `on_stop`.
///
/// A plain function, like the other views given closures: as a `#[component]` with closure props it measured
/// 240 bytes more wasm (the props builder per generic component).
pub fn composer(
    draft: RwSignal<String>,
    phase: RwSignal<Phase>,
    colors: impl Fn() -> (String, String) + Copy + 'static,
    on_send: impl Fn(&str) -> bool + Copy + Send + Sync + 'static,
    on_stop: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let streaming = move || phase.get() == Phase::Streaming;
    let submit = move || {
        if draft.with_untracked(|text| on_send(text)) {
            draft.set(String::new());
        }
    };
    // One render effect sets every state-dependent attribute of the button: a reactive binding per attribute would
    // each add generic code to the wasm.
    let slot = NodeRef::<Div>::new();
    let effect = RenderEffect::new(move |_| {
        let busy = streaming();
        let disabled = !busy && draft.with(|d| d.trim().is_empty());
        let (accent, on_accent) = colors();
        let Some(button) = slot.get().and_then(|s| s.first_element_child()) else { return };
        let _ = button.set_attribute("aria-label", &t(if busy { "composer.stop" } else { "composer.send" }));
        let _ = button.set_attribute("data-testid", if busy { "quincer-stop" } else { "quincer-send" });
        super::paint(&button, &accent, &on_accent);
        let _ = if disabled { button.set_attribute("disabled", "") } else { button.remove_attribute("disabled") };
        if let Ok(Some(path)) = button.query_selector("path") {
            let _ = path.set_attribute("d", if busy { STOP_ICON } else { SEND_ICON });
        }
    });
    on_cleanup(move || drop(effect));
    view! {
        <form class="composer" on:submit=move |ev| {
            ev.prevent_default();
            submit();
        }>
            <textarea
                rows="1"
                placeholder=t("composer.placeholder")
                aria-label=t("composer.label")
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
            <div class="send-slot" node_ref=slot>
                <button class="send" type="button" on:click=move |_| if streaming() { on_stop() } else { submit() }>
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path />
                    </svg>
                </button>
            </div>
        </form>
    }
}
