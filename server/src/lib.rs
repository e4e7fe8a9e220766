//! quincer-server: the public widget endpoints, the developer API and the offline AI responder.
//!
//! # Layout
//! - [`config`]: what a server needs to start ([`Config`]) and [`start`], which opens the database and seeds.
//! - [`db`]: the SQLite and PostgreSQL pools and migrations; [`provision`]: organisations, widgets, keys;
//!   [`scopes`]: every developer-key scope;
//!   [`export`]: copying a SQLite deployment into PostgreSQL.
//! - [`store`]: the storage layer, one module per resource (conversations, leads, widgets, webhooks, …);
//!   [`events`]: waking the event streams; [`relay`]: waking them across instances (Postgres `LISTEN`/`NOTIFY`).
//! - [`visitors`]: visitors' identity (what the host page's `identify` said about them), merged and read back.
//! - [`state`]: [`AppState`], shared by every handler.
//! - [`error`]: [`ApiError`], the one error type; every failure leaves as `{"error": "..."}` with its status.
//! - [`auth`]: extractors for the credentials: widget keys, visitor tokens, developer keys and members' sign-in
//!   sessions; [`actor`]: the surface a request came through.
//! - [`members`]: team members, their roles and passwords.
//! - [`origins`]: a widget's allowed origins, parsed and matched; [`embed`]: the loader URL and `<script>` snippet.
//! - [`public`]: the endpoints the widget calls (`/api/widget/*`, `/api/chat`), with CORS.
//! - [`api`]: the developer REST API under `/api/v1`.
//! - [`actor`], [`handling`]: who acts on a conversation, and what takeovers, replies, handbacks and handoffs do
//!   (with their audit trail and the organisation's live inbox feed).
//! - [`openapi`]: the OpenAPI 3.1 document of both APIs, generated from their routes (`/api/v1/openapi.json`).
//! - [`catalog`]: the products imported from a storefront; product questions, their search and their panels.
//! - [`storefront`]: importing a Shopify store's public catalog (`/products.json`) into a widget's catalog.
//! - [`knowledge`]: hybrid search of a widget's knowledge base.
//! - [`playbook`]: the sales playbook: categories, reading uploaded documents into entries, the knowledge mirror.
//! - [`embedding`]: the local sentence-embedding model and the vectors it keeps current; [`retrieval`]: how
//!   searches rank (words, meaning, or both fused).
//! - [`leads`]: leads and their webhooks, from the API, the chat's lead form and `identify`; [`contact`]: the rules
//!   for the email addresses, phone numbers and names all three send.
//! - [`ratelimit`]: requests a minute per developer key, client address and visitor.
//! - [`responder`]: who writes the AI's answers: the offline responder, or an OpenAI-compatible model provider.
//! - [`locale`]: language tags; [`i18n`]: the widget's interface strings and the visitor's language;
//!   [`translation`]: agents' replies in the visitor's language.
//! - [`site`]: static files (loader, wasm bundle); [`inbox_site`]: the live inbox's page and assets at `/inbox/`.
//! - [`demo`]: the demo (`--demo`): its seeded workspace, its pages and its Shopify-like store, apart from the
//!   product: nothing else imports it.
//! - [`webhooks`]: signed event deliveries from a persisted queue, with retries.
//! - [`outbound`]: calls to URLs clients choose (webhooks, storefronts) kept off internal networks (SSRF).
//! - [`ids`]: random ids, keys and tokens.
//! - [`ops`]: health and readiness probes, Prometheus metrics, log formats and request ids.
//! - [`openclaw`]: the OpenClaw integration: its skill (served with this server's URL), avatar and key scopes.
//!
//! [`app`] builds the router from a state; [`serve`] runs it on a bound listener until a shutdown future resolves,
//! so tests bind port 0 and talk the real protocol; [`serve_with`] also bounds the shutdown and can put `/metrics`
//! on a listener of its own.

// Every public item says what it is for; `cargo clippy -- -D warnings` in `./build.sh test` keeps it so.
#![warn(missing_docs)]

pub mod actor;
pub mod api;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod contact;
pub mod db;
pub mod demo;
pub mod emails;
pub mod embed;
pub mod embedding;
pub mod error;
pub mod events;
pub mod export;
pub mod handling;
pub mod i18n;
pub mod ids;
pub mod inbox_site;
pub mod integration_settings;
pub mod knowledge;
pub mod leads;
pub mod locale;
pub mod members;
pub mod openapi;
pub mod openclaw;
pub mod ops;
pub mod origins;
pub mod outbound;
pub mod playbook;
pub mod provision;
pub mod public;
pub mod ratelimit;
pub mod relay;
pub mod responder;
pub mod retrieval;
pub mod scopes;
pub mod site;
pub mod state;
pub mod store;
pub mod storefront;
pub mod tasks;
pub mod translation;
pub mod visitors;
pub mod webhooks;

use std::future::{Future, IntoFuture};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use config::{start, Config, Started};
pub use error::ApiError;
pub use state::AppState;

/// How long replies in flight may take to finish once shutdown begins, unless told otherwise.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The whole HTTP application, with `/metrics`.
pub fn app(state: AppState) -> Router {
    build(state, true)
}

/// The application; `/metrics` only if `metrics` (else it has a listener of its own).
fn build(state: AppState, metrics: bool) -> Router {
    let demo = state.demo_routes.clone();
    let mut router = Router::new()
        .merge(ops::probes())
        .merge(public::router(&state))
        // The inbox's sign-in endpoints (`/inbox/api/…`).
        .merge(members::http::router())
        .nest(
            "/api/v1",
            openapi::api_router().layer(axum::middleware::from_fn_with_state(state.clone(), ratelimit::dev_api)),
        )
        .merge(inbox_site::router(&state))
        .merge(openclaw::router())
        .merge(site::router(&state))
        .with_state(state)
        .merge(demo);
    if metrics {
        router = router.merge(ops::metrics_router());
    }
    // Innermost: the route is matched by then, so metrics and the request's span can name it.
    let router = router.layer(axum::middleware::from_fn(ops::metrics::track));
    ops::logging::layers(router)
        .layer(axum::middleware::from_fn(ops::unread_body::finish_reading))
        // Explicit, so the limit the 413 names is the one applied.
        .layer(axum::extract::DefaultBodyLimit::max(error::MAX_BODY_BYTES))
}

/// How [`serve_with`] runs.
#[derive(Debug)]
pub struct ServeOptions {
    /// Once shutdown begins, how long replies in flight may take to finish before their connections are closed.
    pub grace: Duration,
    /// A listener of its own for `/metrics` (then the main one does not serve it).
    pub metrics: Option<TcpListener>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { grace: DEFAULT_SHUTDOWN_GRACE, metrics: None }
    }
}

/// Serves [`app`] on `listener` until `shutdown` resolves, then lets open requests finish (at most
/// [`DEFAULT_SHUTDOWN_GRACE`]).
///
/// # Errors
/// Only if accepting connections fails.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, shutdown, ServeOptions::default()).await
}

/// Serves the app on `listener` until `shutdown` resolves. Then, in order: `/readyz` answers 503, the listener
/// stops accepting, live event streams are told to reconnect (to another instance, through the balancer) and end,
/// the webhook dispatcher stops (pending deliveries stay queued), and replies in flight get `options.grace` to
/// finish. It returns when they have, or when the grace period ends: connections still open then are no longer
/// waited for, and end with the runtime (the `quincer-server` binary exits).
///
/// # Errors
/// Only if accepting connections fails.
pub async fn serve_with(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ServeOptions,
) -> std::io::Result<()> {
    ops::metrics::install();
    let metrics_on_main = options.metrics.is_none();
    // `true` once shutdown has begun: starts the grace period, and stops the metrics listener and upkeep.
    let (began, _) = watch::channel(false);
    let ended = |began: &watch::Sender<bool>| {
        let mut rx = began.subscribe();
        async move {
            // An error means the server is gone: nothing left to wait for.
            let _ = rx.wait_for(|b| *b).await;
        }
    };
    tokio::spawn(ops::metrics::upkeep(ended(&began)));
    if let Some(metrics) = options.metrics {
        let app = ops::metrics_router::<()>().layer(axum::middleware::from_fn(ops::metrics::track));
        tokio::spawn(axum::serve(metrics, app).with_graceful_shutdown(ended(&began)).into_future());
    }
    let deadline = ended(&began);
    let (hub, webhooks, readiness) = (state.hub.clone(), state.webhooks.clone(), state.readiness.clone());
    let outbox = state.outbox.clone();
    let tasks = state.tasks.clone();
    let signal = async move {
        shutdown.await;
        tracing::info!(grace_secs = options.grace.as_secs_f64(), "shutting down: finishing the requests in flight");
        began.send_replace(true);
        readiness.set_not_ready(ops::readiness::SHUTDOWN, "shutting down");
        // Live event streams never end on their own; they end now, telling clients to reconnect soon.
        hub.close();
        // Pending deliveries stay queued in the database for the next process.
        webhooks.stop();
        // Queued lead emails too.
        if let Some(outbox) = outbox {
            outbox.stop();
        }
        // Scheduled tasks stay in the database for the next process; a running one finishes first.
        tasks.stop();
    };
    // With the peer address: public endpoints are rate-limited per client address.
    let app = build(state, metrics_on_main).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(signal).into_future();
    tokio::select! {
        result = server => result,
        () = async move {
            deadline.await;
            tokio::time::sleep(options.grace).await;
        } => {
            tracing::warn!(grace_secs = options.grace.as_secs_f64(), "requests still open after the grace period: closed");
            Ok(())
        }
    }
}
