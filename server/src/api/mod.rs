//! The developer REST API under `/api/v1`: `cw_dev_` keys with scopes, one module per resource.

pub mod bodies;
mod conversations;
mod integrations;
pub mod knowledge;
mod lead_emails;
mod leads;
mod members;
pub mod models;
pub(crate) mod pagination;
pub(crate) mod personas;
pub mod playbook;
mod storefront;
mod tasks;
pub(crate) mod webhooks;
pub(crate) mod widgets;

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The documented routes of `/api/v1`: every route is registered with its `#[utoipa::path]` operation, so the
/// router and the OpenAPI document cannot disagree. `routes!` groups the handlers of one path. `openapi.rs` adds
/// the document's own route and makes the router the app serves from these.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(widgets::list, widgets::create))
        .routes(routes!(widgets::get, widgets::update, widgets::delete))
        .routes(routes!(widgets::keys::list, widgets::keys::create))
        .routes(routes!(widgets::keys::get, widgets::keys::revoke))
        .routes(routes!(storefront::import))
        .routes(routes!(conversations::list))
        .routes(routes!(conversations::stream::stream))
        .routes(routes!(conversations::get))
        .routes(routes!(conversations::audit::list))
        .routes(routes!(conversations::actions::takeover))
        .routes(routes!(conversations::actions::reply))
        .routes(routes!(conversations::actions::handback))
        .routes(routes!(conversations::actions::handoff))
        .routes(routes!(knowledge::list, knowledge::create))
        .routes(routes!(knowledge::get, knowledge::update, knowledge::delete))
        .routes(routes!(models::list))
        .routes(routes!(integrations::list))
        .routes(routes!(integrations::get))
        .routes(routes!(integrations::connect_openclaw))
        .routes(routes!(leads::list, leads::create))
        .routes(routes!(leads::get, leads::update, leads::delete))
        .routes(routes!(members::list, members::create))
        .routes(routes!(members::get, members::update, members::delete))
        .routes(routes!(personas::list, personas::create))
        .routes(routes!(personas::get, personas::update, personas::delete))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::get, webhooks::update, webhooks::delete))
        .routes(routes!(lead_emails::list))
        .routes(routes!(lead_emails::generate))
        .routes(routes!(lead_emails::edit, lead_emails::act))
        .routes(routes!(lead_emails::redraft))
        .routes(routes!(tasks::list, tasks::create))
        .routes(routes!(tasks::get, tasks::update, tasks::delete))
        .routes(routes!(tasks::list_activities, tasks::create_activity))
        .routes(routes!(tasks::get_activity, tasks::update_activity, tasks::delete_activity))
        .routes(routes!(playbook::list, playbook::create))
        .routes(playbook_upload())
        .routes(routes!(playbook::get, playbook::update, playbook::delete))
}

/// `POST /api/v1/playbook/generate` with its own body limit: a 10 MB document plus the form around it, where every
/// other route keeps [`crate::error::MAX_BODY_BYTES`].
fn playbook_upload() -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    let (schemas, paths, method) = routes!(playbook::generate);
    let limit = crate::playbook::document::MAX_DOCUMENT_BYTES + 64 * 1024;
    (schemas, paths, method.layer(axum::extract::DefaultBodyLimit::max(limit)))
}

/// The query parameters of cursor pagination, the same on every list (read by `pagination::PageRequest`).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Items per page: 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The id of an item of this list: the page holds the items created before it.
    pub starting_after: Option<String>,
}

/// The list envelope of API.md: `data` + `has_more` + `url`, plus the legacy fields kept for one major version.
/// The items are also repeated under the resource's plural name (`"widgets"`, `"leads"`, …), another legacy field.
#[derive(Debug, Serialize, ToSchema)]
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
    db: &crate::store::Db,
    auth: &crate::auth::DevAuth,
    given: Option<&str>,
) -> Result<String, crate::ApiError> {
    let widgets = crate::store::widgets::ids_of_org(db, &auth.org_id).await?;
    match given {
        Some(id) => {
            widgets.into_iter().find(|w| w == id).ok_or_else(|| crate::ApiError::not_found(format!("no widget `{id}`")))
        }
        None if widgets.len() == 1 => Ok(widgets.into_iter().next().unwrap_or_default()),
        None => Err(crate::ApiError::bad_request("`widget_id` is required: the organisation has several widgets")),
    }
}

/// The answer of a `DELETE`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    /// The type of the deleted resource (`"widget"`, `"lead"`, …).
    pub object: String,
    /// Its id.
    pub id: String,
    /// Always `true`.
    pub deleted: bool,
}

/// The answer of a `DELETE`: `{"object", "id", "deleted": true}`.
pub fn deleted(object: &str, id: &str) -> Json<Deleted> {
    Json(Deleted { object: object.to_owned(), id: id.to_owned(), deleted: true })
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
pub async fn since(db: &crate::store::Db, value: &str, field: &str) -> Result<String, crate::ApiError> {
    crate::store::normalize_time(db, value).await?.ok_or_else(|| {
        crate::ApiError::bad_request(format!("`{field}` must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z"))
    })
}
