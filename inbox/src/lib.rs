//! The Quincer live inbox: the web app quincer-server serves at `/inbox/` for signed-in team members.
//!
//! Left, the organisation's conversations, newest activity first, kept live by the org event stream; right, the
//! open conversation's transcript, its Take over / Hand back / Hand off buttons and the composer. Keyboard first
//! (`j`/`k`, Enter, `t`, Esc). Untrusted text (messages, names, product data) only ever reaches the page as text.
//!
//! Pure logic lives in plain modules with native unit tests: `model` (what the server sends), `list` (ordering and
//! merging), `filter`, `nav` (keys), `unread`, `format`; `api` and `live` talk to the server, `state` owns the
//! reactive state and the actions, `ui` draws it.

pub mod api;
pub mod filter;
pub mod format;
pub mod list;
pub mod live;
pub mod model;
pub mod nav;
pub mod state;
pub mod ui;
pub mod unread;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the inbox on `<body>` (index.html's module script calls it through the glue's `default` init).
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(ui::App);
}
