//! The developer REST API under `/api/v1`: `cw_dev_` keys with scopes, one module per resource.

mod conversations;
mod knowledge;
mod personas;
mod webhooks;
mod widgets;

use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;

use crate::state::AppState;

/// Routes of `/api/v1` (nested by [`crate::app`]).
pub fn router() -> Router<AppState> {
    // Unknown paths fall through to the site's `/api/*` catch-all, which answers a JSON 404.
    Router::new()
        .route("/widgets", get(widgets::list))
        .route("/conversations", get(conversations::list))
        .route("/conversations/{id}", get(conversations::get))
        .route("/conversations/{id}/takeover", post(conversations::takeover))
        .route("/conversations/{id}/reply", post(conversations::reply))
        .route("/conversations/{id}/handback", post(conversations::handback))
        .route("/conversations/{id}/handoff", post(conversations::handoff))
        .route("/knowledge", get(knowledge::list).post(knowledge::create))
        .route(
            "/knowledge/{id}",
            get(knowledge::get).post(knowledge::update).patch(knowledge::update).delete(knowledge::delete),
        )
        .route("/personas", get(personas::list).post(personas::create))
        .route(
            "/personas/{id}",
            get(personas::get).post(personas::update).patch(personas::update).delete(personas::delete),
        )
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{id}",
            get(webhooks::get).post(webhooks::update).patch(webhooks::update).delete(webhooks::delete),
        )
        .method_not_allowed_fallback(crate::error::method_not_allowed)
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

impl<T: Serialize> ListEnvelope<T> {
    /// The envelope as JSON, with the items repeated under the legacy plural key (`"conversations"`, …).
    pub fn with_legacy_items(self, plural: &str) -> serde_json::Value {
        let mut value = serde_json::to_value(&self).unwrap_or_default();
        if let serde_json::Value::Object(map) = &mut value {
            let data = map.get("data").cloned().unwrap_or_else(|| serde_json::Value::Array(Vec::new()));
            map.insert(plural.to_owned(), data);
        }
        value
    }
}
