//! Running the server in production: health and readiness probes, Prometheus metrics, request ids in the logs.
//!
//! - `GET /healthz`: the process is up and serving (`{"status": "ok"}`); nothing else is checked, so a
//!   supervisor restarts only a process that truly hangs.
//! - `GET /readyz`: this instance should get traffic: the database answers, its migrations are applied, and every
//!   named check of [`Readiness`] passes; else 503 naming what is not ready ([`readiness`]).
//! - `GET /metrics`: the Prometheus text format ([`metrics`]), on the main address unless `--metrics-addr` gives
//!   it a listener of its own.
//!
//! None of them is rate-limited or needs credentials; they are not part of the widget and developer APIs (and so
//! not of their OpenAPI document): docs/OPERATIONS.md describes them. [`logging`] has the log formats and the
//! per-request span, and [`unread_body`] reads what is left of a body answered unread, so its client gets the
//! answer instead of a reset connection.

pub mod logging;
pub mod metrics;
pub mod readiness;
pub mod unread_body;

use crate::store::Dialect;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub use readiness::Readiness;

use crate::state::AppState;

/// `/healthz` and `/readyz`.
pub fn probes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// `/metrics` alone: merged into the app, or served on its own listener.
pub fn metrics_router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/metrics", get(metrics::render))
}

/// Probes must never be cached by a proxy between the balancer and the server.
const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// `GET /healthz`: 200 `{"status": "ok"}` while the process serves requests.
async fn healthz() -> Response {
    ([NO_STORE], Json(json!({"status": "ok"}))).into_response()
}

/// `GET /readyz`: 200 `{"status": "ready", "checks": {…: "ok"}}`, or 503 `{"status": "not ready", "error": "not
/// ready: <name> (<why>), …", "checks": {…}}`.
async fn readyz(State(state): State<AppState>) -> Response {
    // The migrations of the engine this instance serves from.
    let migrator = match Dialect::of(&state.db) {
        Dialect::Postgres => &crate::db::POSTGRES_MIGRATOR,
        Dialect::Sqlite => &crate::db::MIGRATOR,
    };
    let report = readiness::probe(&state.db, migrator, &state.readiness).await;
    let checks: serde_json::Map<String, serde_json::Value> =
        report.0.iter().map(|(name, why)| (name.clone(), json!(why.as_deref().unwrap_or("ok")))).collect();
    if report.ready() {
        return ([NO_STORE], Json(json!({"status": "ready", "checks": checks}))).into_response();
    }
    let error = format!("not ready: {}", report.failing());
    tracing::warn!(%error, "readiness probe failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [NO_STORE],
        Json(json!({"status": "not ready", "error": error, "checks": checks})),
    )
        .into_response()
}
