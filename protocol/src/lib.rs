//! Wire types shared by the Quincer widget and quincer-server.
//!
//! Both sides compile this crate, so a field renamed here is renamed everywhere; it holds types and the few pure
//! rules both sides enforce (key shapes), and nothing that needs an async runtime or a browser.
//!
//! # Layout
//! - [`keys`]: the two credential kinds (`cw_live_` widget keys, `cw_dev_` developer keys) and their validation.
//! - [`session`]: `POST /api/widget/session`, the widget's bootstrap call.
//! - [`identify`]: `POST /api/widget/identify`, the host page naming its visitor; [`identify::Visitor`], the identity.
//! - [`leads`]: `POST /api/widget/lead`, the inline lead form's body, and the email rule both sides apply.
//! - [`url_pattern`]: the URL patterns that pick a page's persona.
//! - [`color`]: readable text colours for brand and persona colours.
//! - [`chat`]: the AI SDK chat request and the UI message stream v1 chunks `/api/chat` answers with.
//! - [`conversation`]: transcripts, as the widget restores them.
//! - [`products`]: the product panels of the `show_products` generative-UI tool part.
//! - [`events`]: the live event stream of a conversation (takeover, agent messages, handback, persona).
//! - [`error`]: the one error body every endpoint uses.
//! - `openapi` (private, only with the `openapi` feature): the OpenAPI schemas the derive cannot say.
//!
//! With the `openapi` feature (the server enables it; the widget does not), the types also carry their OpenAPI
//! schemas: derived where they are defined, and written by hand in `openapi.rs` where the derive cannot say it.

#![warn(missing_docs)]

pub mod chat;
pub mod color;
pub mod conversation;
pub mod error;
pub mod events;
pub mod identify;
pub mod keys;
pub mod leads;
#[cfg(feature = "openapi")]
mod openapi;
pub mod products;
pub mod session;
pub mod url_pattern;

/// Header carrying the visitor's token on public conversation calls.
pub const VISITOR_TOKEN_HEADER: &str = "Quincer-Visitor-Token";

/// Header that marks a response as an AI SDK UI message stream, with the protocol version we speak.
pub const UI_MESSAGE_STREAM_HEADER: &str = "x-vercel-ai-ui-message-stream";

/// The UI message stream protocol version `/api/chat` speaks.
pub const UI_MESSAGE_STREAM_VERSION: &str = "v1";

/// The number of characters (Unicode scalar values) of `s`: its bytes that do not continue a UTF-8 sequence.
/// Written out because `str::chars().count()` brings core's ~900-byte optimised counter into the widget's wasm.
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}
