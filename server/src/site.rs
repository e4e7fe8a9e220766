//! Static files and the demo pages.
//!
//! The loader (`/quincer.js`), the built widget (`/dist/…`) and the demo pages are files under `www/`. Demo HTML
//! pages carry the placeholder `{{QUINCER_WIDGET_KEY}}`, replaced by the demo widget's key when they are served,
//! because that key is minted on the first start and differs between installations. The store under `/shop/` is
//! [`crate::shop`].

use axum::extract::{Path, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::state::AppState;

/// Placeholder replaced in demo pages.
pub const KEY_PLACEHOLDER: &str = "{{QUINCER_WIDGET_KEY}}";

/// Static routes; everything not matched by the API ends up here.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        // The demo site: a page per persona, at the paths their URL patterns name.
        .route("/", get(|s: State<AppState>| demo_page(s, Path("index.html".to_owned()))))
        .route("/pricing", get(|s: State<AppState>| demo_page(s, Path("pricing.html".to_owned()))))
        .route("/docs/{*rest}", get(|s: State<AppState>| demo_page(s, Path("docs.html".to_owned()))))
        .route("/demo/", get(|s: State<AppState>| demo_page(s, Path("index.html".to_owned()))))
        .route("/demo/{page}", get(demo_page))
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async {
                ApiError::not_found("no such endpoint: see docs/PROTOCOL.md and the API reference")
            }),
        )
        // The loader as built (minified into dist/ by build.sh), else its source.
        .route_service("/quincer.js", ServeFile::new(loader_file(&state.www_dir)))
        // Pages on other origins import the bundle as a module and fetch the wasm: both need CORS.
        .fallback_service(ServeDir::new(&state.www_dir))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]))
}

/// `www/dist/quincer.js` (the minified loader) if it was built, else the source `www/quincer.js`.
fn loader_file(www: &std::path::Path) -> std::path::PathBuf {
    let built = www.join("dist").join("quincer.js");
    if built.is_file() {
        built
    } else {
        www.join("quincer.js")
    }
}

/// Serves `www/demo/<page>` with the demo key filled in.
async fn demo_page(State(state): State<AppState>, Path(page): Path<String>) -> Response {
    let Some(key) = state.demo_widget_key.as_deref() else {
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
