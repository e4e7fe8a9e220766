//! The developer REST API under `/api/v1`: `cw_dev_` keys with scopes, one module per resource.

mod conversations;
mod integrations;
mod knowledge;
mod leads;
pub mod models;
pub(crate) mod pagination;
mod personas;
mod storefront;
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
        .route("/widgets", get(widgets::list).post(widgets::create))
        .route("/widgets/{id}", get(widgets::get).post(widgets::update).patch(widgets::update).delete(widgets::delete))
        .route("/widgets/{id}/keys", get(widgets::keys::list).post(widgets::keys::create))
        .route("/widgets/{id}/keys/{key}", get(widgets::keys::get).delete(widgets::keys::revoke))
        .route("/widgets/{id}/import-storefront", post(storefront::import))
        .route("/models", get(models::list))
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
        .route("/integrations", get(integrations::list))
        .route("/integrations/{provider}", get(integrations::get))
        .route("/leads", get(leads::list).post(leads::create))
        .route("/leads/{id}", get(leads::get).post(leads::update).patch(leads::update).delete(leads::delete))
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

/// The `limit` query parameter: 1 to 200, default 50.
///
/// # Errors
/// 400 for anything else.
pub fn page_limit(params: &std::collections::HashMap<String, String>) -> Result<i64, crate::ApiError> {
    match params.get("limit") {
        None => Ok(50),
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| crate::ApiError::bad_request("`limit` must be an integer from 1 to 200")),
    }
}

/// The widget a new resource goes to: `given` if it is the organisation's, else the organisation's only widget.
///
/// # Errors
/// 404 for another organisation's (or no) widget; 400 when none is given and there are several.
pub async fn target_widget(
    db: &sqlx::SqlitePool,
    auth: &crate::auth::DevAuth,
    given: Option<&str>,
) -> Result<String, crate::ApiError> {
    let widgets: Vec<String> = sqlx::query_scalar("SELECT id FROM widgets WHERE org_id = ? ORDER BY seq")
        .bind(&auth.org_id)
        .fetch_all(db)
        .await?;
    match given {
        Some(id) => {
            widgets.into_iter().find(|w| w == id).ok_or_else(|| crate::ApiError::not_found(format!("no widget `{id}`")))
        }
        None if widgets.len() == 1 => Ok(widgets.into_iter().next().unwrap_or_default()),
        None => Err(crate::ApiError::bad_request("`widget_id` is required: the organisation has several widgets")),
    }
}

/// The answer of a `DELETE`: `{"object", "id", "deleted": true}`.
pub fn deleted(object: &str, id: &str) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "object": object, "id": id, "deleted": true }))
}

/// For a field where `null` means "clear": `Some(None)` for an explicit `null`, `None` when absent (use with
/// `#[serde(default, deserialize_with = "nullable")]`).
///
/// # Errors
/// A value that is neither a string nor `null`.
pub fn nullable<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(<Option<String> as serde::Deserialize>::deserialize(d)?))
}

/// An `updated_since`-style time, normalised to the stored form (`2026-01-31T12:00:00.000Z`) so it compares as text.
///
/// # Errors
/// 400 naming `field` when it is not an ISO 8601 time.
pub async fn since(db: &sqlx::SqlitePool, value: &str, field: &str) -> Result<String, crate::ApiError> {
    let normalized: Option<String> =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ?)").bind(value).fetch_one(db).await?;
    normalized.ok_or_else(|| {
        crate::ApiError::bad_request(format!("`{field}` must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z"))
    })
}
