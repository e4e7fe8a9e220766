//! The developer REST API under `/api/v1`: `cw_dev_` keys with scopes, one module per resource.

mod widgets;

use axum::routing::get;
use axum::Router;
use serde::Serialize;

use crate::state::AppState;

/// Routes of `/api/v1` (nested by [`crate::app`]).
pub fn router() -> Router<AppState> {
    // Unknown paths fall through to the site's `/api/*` catch-all, which answers a JSON 404.
    Router::new().route("/widgets", get(widgets::list)).method_not_allowed_fallback(crate::error::method_not_allowed)
}

/// The list envelope of API.md: `data` + `has_more` + `url`, plus the legacy fields kept for one major version.
#[derive(Debug, Serialize)]
pub struct ListEnvelope<T: Serialize> {
    /// Always `"list"`.
    pub object: &'static str,
    /// The page of items.
    pub data: Vec<T>,
    /// More items exist after this page.
    pub has_more: bool,
    /// The endpoint's path.
    pub url: String,
    /// Legacy: total matching items.
    pub total: i64,
    /// Legacy: the page size used.
    pub limit: i64,
    /// Legacy: always 0 (cursor pagination).
    pub offset: i64,
}
