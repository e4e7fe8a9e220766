//! The demo site: `www/demo/*.html`, a page per persona at the paths their URL patterns name (`/`, `/pricing`,
//! `/docs/…`), each with the demo widget's key filled in.

use axum::extract::{Path, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use super::{DemoState, KEY_PLACEHOLDER};

/// The demo pages' routes.
pub fn router() -> Router<DemoState> {
    Router::new()
        .route("/", get(|s: State<DemoState>| page(s, Path("index.html".to_owned()))))
        .route("/pricing", get(|s: State<DemoState>| page(s, Path("pricing.html".to_owned()))))
        .route("/docs/{*rest}", get(|s: State<DemoState>| page(s, Path("docs.html".to_owned()))))
        .route("/demo/", get(|s: State<DemoState>| page(s, Path("index.html".to_owned()))))
        .route("/demo/{page}", get(page))
        // Like the other static files (crate::site).
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]))
}

/// Serves `www/demo/<page>` with the demo key filled in.
async fn page(State(state): State<DemoState>, Path(page): Path<String>) -> Response {
    let Some(key) = state.widget_key.as_deref() else {
        return (StatusCode::NOT_FOUND, "the demo is not enabled: start quincer-server with --demo").into_response();
    };
    // Only plain file names of the demo folder: no traversal.
    if !page.ends_with(".html") || page.contains(['/', '\\']) || page.starts_with('.') {
        return (StatusCode::NOT_FOUND, "no such demo page").into_response();
    }
    match tokio::fs::read_to_string(state.www_dir.join("demo").join(&page)).await {
        Ok(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html.replace(KEY_PLACEHOLDER, key))).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "no such demo page").into_response(),
    }
}
