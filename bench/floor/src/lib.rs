//! The framework floor: a Leptos 0.8 CSR "hello" app with one signal and one event handler, the least a
//! reactive widget needs. `./build.sh bench` builds it with the widget's release pipeline and compares sizes.

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app into `<body>` when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Hello);
}

/// A greeting with a click counter.
#[component]
fn Hello() -> impl IntoView {
    let (clicks, set_clicks) = signal(0u32);
    view! {
        <button on:click=move |_| set_clicks.update(|n| *n += 1)>"Hello, world! " {clicks}</button>
    }
}
