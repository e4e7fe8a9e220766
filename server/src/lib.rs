//! quincer-server: the public widget endpoints, the developer API and the offline AI responder.
//!
//! # Layout
//! - [`config`]: what a server needs to start ([`Config`]) and [`start`], which opens the database and seeds.
//! - [`db`]: the SQLite pool and migrations; [`provision`]: organisations, widgets, keys.
//! - [`store`]: the storage layer: conversations, messages, their live event log and leads in the database;
//!   [`events`]: waking the event streams.
//! - [`visitors`]: visitors' identity (what the host page's `identify` said about them), merged and read back.
//! - [`state`]: [`AppState`], shared by every handler.
//! - [`error`]: [`ApiError`], the one error type; every failure leaves as `{"error": "..."}` with its status.
//! - [`auth`]: extractors for the three credentials: widget keys, visitor tokens, developer keys.
//! - [`origins`]: a widget's allowed origins, parsed and matched; [`embed`]: the loader URL and `<script>` snippet.
//! - [`public`]: the endpoints the widget calls (`/api/widget/*`, `/api/chat`), with CORS.
//! - [`api`]: the developer REST API under `/api/v1`.
//! - [`openapi`]: the OpenAPI 3.1 document of both APIs, generated from their routes (`/api/v1/openapi.json`).
//! - [`catalog`]: the products imported from a storefront; product questions, their search and their panels.
//! - [`storefront`]: importing a Shopify store's public catalog (`/products.json`) into a widget's catalog.
//! - [`knowledge`]: hybrid search of a widget's knowledge base; [`personas`]: personas as pages see them.
//! - [`embedding`]: the local sentence-embedding model and the vectors it keeps current; [`retrieval`]: how
//!   searches rank (words, meaning, or both fused).
//! - [`leads`]: leads and their webhooks, from the API, the chat's lead form and `identify`; [`contact`]: the rules
//!   for the email addresses, phone numbers and names all three send.
//! - [`ratelimit`]: requests a minute per developer key, client address and visitor.
//! - [`responder`]: who writes the AI's answers: the offline responder, or an OpenAI-compatible model provider.
//! - [`locale`]: language tags; [`i18n`]: the widget's interface strings and the visitor's language;
//!   [`translation`]: agents' replies in the visitor's language.
//! - [`site`]: static files (loader, wasm bundle).
//! - [`demo`]: the demo (`--demo`): its seeded workspace, its pages and its Shopify-like store, apart from the
//!   product: nothing else imports it.
//! - [`webhooks`]: signed event deliveries from a persisted queue, with retries.
//! - [`outbound`]: calls to URLs clients choose (webhooks, storefronts) kept off internal networks (SSRF).
//! - [`ids`]: random ids, keys and tokens.
//!
//! [`app`] builds the router from a state; [`serve`] runs it on a bound listener until a shutdown future resolves,
//! so tests bind port 0 and talk the real protocol.

// Every public item says what it is for; `cargo clippy -- -D warnings` in `./build.sh test` keeps it so.
#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod contact;
pub mod db;
pub mod demo;
pub mod embed;
pub mod embedding;
pub mod error;
pub mod events;
pub mod i18n;
pub mod ids;
pub mod knowledge;
pub mod leads;
pub mod locale;
pub mod openapi;
pub mod origins;
pub mod outbound;
pub mod personas;
pub mod provision;
pub mod public;
pub mod ratelimit;
pub mod responder;
pub mod retrieval;
pub mod site;
pub mod state;
pub mod store;
pub mod storefront;
pub mod translation;
pub mod visitors;
pub mod webhooks;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use config::{start, Config, Started};
pub use error::ApiError;
pub use state::AppState;

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let demo = state.demo_routes.clone();
    Router::new()
        .merge(public::router(&state))
        .nest("/api/v1", api::router().layer(axum::middleware::from_fn_with_state(state.clone(), ratelimit::dev_api)))
        .merge(site::router(&state))
        .with_state(state)
        .merge(demo)
        // Explicit, so the limit the 413 names is the one applied.
        .layer(axum::extract::DefaultBodyLimit::max(error::MAX_BODY_BYTES))
}

/// Serves [`app`] on `listener` until `shutdown` resolves, then lets open requests finish.
///
/// # Errors
/// Only if accepting connections fails.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (hub, webhooks) = (state.hub.clone(), state.webhooks.clone());
    let shutdown = async move {
        shutdown.await;
        // Live event streams never end on their own; close them so open requests can finish.
        hub.close();
        // Pending deliveries stay queued in the database for the next process.
        webhooks.stop();
    };
    // With the peer address: public endpoints are rate-limited per client address.
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
