//! Static files: the loader (`/quincer.js`), the built widget (`/dist/…`) and everything else under `www/`, and a
//! JSON 404 for unknown `/api/…` paths. The demo's pages and store are [`crate::demo`]'s.

use axum::http::Method;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::state::AppState;

/// Static routes; everything not matched by the API ends up here.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
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
