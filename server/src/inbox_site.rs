//! The live inbox's files at `/inbox/` (built by `build.sh` from the `inbox/` crate into `www/dist/inbox/`).
//!
//! `index.html` names its assets by a hash of their content, so the page itself is never cached (`no-cache`: a new
//! build is picked up on the next load) while `/inbox/assets/*` may be kept for a year. The page gets a strict
//! Content-Security-Policy: the app's own scripts and wasm only, requests to this server only, no framing. Who is
//! signed in is the app's business: it asks `GET /inbox/api/me` and shows the sign-in form to a visitor.

use std::path::PathBuf;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;

use crate::state::AppState;

/// Where `build.sh` puts the inbox, under the `--www` directory.
const BUILT: &str = "dist/inbox";

/// Scripts and wasm from this server only (`wasm-unsafe-eval` lets the page compile its own wasm); product images
/// may come from any https store.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' https: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; \
    object-src 'none'";

/// `/inbox` (a redirect), `/inbox/` (the page) and `/inbox/assets/*` (its hashed files).
pub fn router(state: &AppState) -> Router<AppState> {
    let assets = state.www_dir.join(BUILT).join("assets");
    Router::new()
        .route("/inbox", get(|| async { Redirect::permanent("/inbox/") }))
        .route("/inbox/", get(page))
        .route("/inbox/index.html", get(|| async { Redirect::permanent("/inbox/") }))
        .nest_service(
            "/inbox/assets",
            Router::new().fallback_service(ServeDir::new(assets)).layer(axum::middleware::map_response(cache_forever)),
        )
}

/// The built `index.html`, never cached; a 503 saying how to build it when it is not there.
async fn page(State(state): State<AppState>) -> Response {
    let file: PathBuf = state.www_dir.join(BUILT).join("index.html");
    match tokio::fs::read(&file).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
                (header::CONTENT_SECURITY_POLICY, CSP),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::REFERRER_POLICY, "same-origin"),
            ],
            html,
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            "The inbox is not built: run ./build.sh (it builds www/dist/inbox/).\n",
        )
            .into_response(),
    }
}

/// Hashed assets never change under their name: successful answers may be cached for a year.
async fn cache_forever(mut response: Response) -> Response {
    if response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    response
}
