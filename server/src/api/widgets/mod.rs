//! `/api/v1/widgets`: the organisation's widgets, their settings ([`settings`]) and their public keys ([`keys`]).
//!
//! Creating a widget seeds its default persona and, unless `with_api_key` is `false`, mints its first `cw_live_`
//! key and returns it with a ready-to-paste embed snippet, so one call yields a deployable widget. An organisation
//! always keeps at least one widget: deleting its only one is refused.

pub mod keys;
mod settings;

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Serialize;
use serde_json::Value;

use super::pagination::PageRequest;
use super::{Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::embed::{public_base, Embed};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::integration_settings::WidgetSettings;
use crate::provision;
use crate::state::AppState;
/// The resource as the store reads it (defined there, so that the store imports nothing of the API).
pub use crate::store::widgets::WidgetResource;
use crate::store::{self, widgets as store_widgets};
use settings::check;
pub use settings::WidgetBody;

/// The colour of a widget created without one (the schema's default).
const DEFAULT_COLOR: &str = "#4f46e5";

/// The organisation's widget `id`.
///
/// # Errors
/// 404 for a missing widget and for another organisation's alike.
pub(crate) async fn find<'e>(db: impl store::Exec<'e>, auth: &DevAuth, id: &str) -> ApiResult<WidgetResource> {
    store_widgets::find(db, &auth.org_id, id).await?.ok_or_else(|| ApiError::not_found(format!("no widget `{id}`")))
}

/// `GET /api/v1/widgets` (scope `widgets:read`): newest first, cursor-paginated (`limit`, `starting_after`).
#[utoipa::path(
    get,
    path = "/widgets",
    operation_id = "list_widgets",
    tag = "widgets",
    summary = "List the organisation's widgets",
    description = "Scope `widgets:read`. Newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(Page),
    responses((status = 200, description = "A page of widgets", body = ListEnvelope<WidgetResource>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("widgets:read")?;
    // The page after `starting_after` holds the widgets created before it.
    let page = PageRequest::read(&state.db, &params, "widget", store_widgets::CURSOR, &auth.org_id).await?;
    let mut conn = state.db.acquire().await?;
    // One more than a page, to learn `has_more`.
    let rows = store_widgets::list(&mut *conn, &auth.org_id, page.before_seq, page.limit + 1).await?;
    let total = store_widgets::count(&mut *conn, &auth.org_id).await?;
    Ok(Json(page.envelope(rows, total, "/api/v1/widgets", "widgets")))
}

/// The answer of `POST /api/v1/widgets`: the widget, plus its first key and how to embed it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedWidget {
    /// The widget.
    #[serde(flatten)]
    pub widget: WidgetResource,
    /// Its first `cw_live_` key; `null` with `with_api_key: false`.
    pub api_key: Option<String>,
    /// Alias of `api_key`: API.md spells it `apiKey`.
    #[serde(rename = "apiKey")]
    pub api_key_alias: Option<String>,
    /// How to embed the widget with that key; `null` without a key.
    pub embed: Option<Embed>,
}

/// `POST /api/v1/widgets` (scope `widgets:write`): 201 with the widget, its key and its embed snippet.
#[utoipa::path(
    post,
    path = "/widgets",
    operation_id = "create_widget",
    tag = "widgets",
    summary = "Create a widget",
    description = "Scope `widgets:write`. Seeds the default persona and, unless `with_api_key` is `false`, mints a \
        `cw_live_` key returned with its embed snippet. Every field but `brand` is optional; camelCase aliases \
        (`websiteUrl`, `withApiKey`, `primaryColor`, …) are accepted.",
    security(("developer_key" = [])),
    request_body = WidgetBody,
    responses((status = 201, description = "The widget, its first key and its embed snippet", body = CreatedWidget)),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    headers: HeaderMap,
    ApiJson(mut body): ApiJson<WidgetBody>,
) -> ApiResult<(StatusCode, Json<CreatedWidget>)> {
    auth.require("widgets:write")?;
    let checked = check(&body)?;
    let settings = body.settings_patch().apply(WidgetSettings::default()).map_err(ApiError::BadRequest)?;
    if let Some(Some(model)) = &checked.ai_model {
        super::models::check_ai_model(&state, model).await?;
    }
    let brand = checked.brand.clone().ok_or_else(|| {
        ApiError::bad_request("`brand` is required: the brand name shown in the chat panel, e.g. {\"brand\": \"Acme\"}")
    })?;
    let color = checked.primary_color.clone().unwrap_or_else(|| DEFAULT_COLOR.into());
    let mut tx = state.db.begin().await?;
    let website_url = checked.website_url.clone().flatten();
    let id = provision::insert_widget(&mut tx, &auth.org_id, &brand, website_url.as_deref(), &color).await?;
    apply(&mut tx, &id, &checked).await?;
    store_widgets::set_settings(&mut *tx, &id, &settings).await?;
    let key = match body.with_api_key {
        Some(false) => None,
        _ => Some(provision::mint_widget_key(&mut tx, &id).await?),
    };
    let widget = find(&mut *tx, &auth, &id).await?;
    tx.commit().await?;
    let embed = key.as_deref().map(|k| Embed::new(&public_base(&headers), k));
    Ok((StatusCode::CREATED, Json(CreatedWidget { widget, api_key_alias: key.clone(), api_key: key, embed })))
}

/// Writes the checked fields of a body to widget `id` (absent fields unchanged).
async fn apply(tx: &mut store::Tx<'_>, id: &str, c: &store_widgets::Changes) -> Result<(), sqlx::Error> {
    // Personas still wearing the old brand colour follow a new one; personas with their own colour keep it.
    if let Some(color) = &c.primary_color {
        store::personas::follow_brand_color(&mut **tx, id, color).await?;
    }
    store_widgets::update(&mut **tx, id, c).await
}

/// `GET /api/v1/widgets/:id` (scope `widgets:read`).
#[utoipa::path(
    get,
    path = "/widgets/{id}",
    operation_id = "get_widget",
    tag = "widgets",
    summary = "Read a widget's settings",
    description = "Scope `widgets:read`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Widget id")),
    responses(
        (status = 200, description = "The widget", body = WidgetResource),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WidgetResource>> {
    auth.require("widgets:read")?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/widgets/:id` (scope `widgets:write`): any configurable field.
#[utoipa::path(
    method(post, patch),
    path = "/widgets/{id}",
    operation_id = "update_widget",
    tag = "widgets",
    summary = "Update a widget's settings",
    description = "Scope `widgets:write`. Absent fields are unchanged; `null` or `\"\"` clears `website_url` and \
        `currency`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Widget id")),
    request_body = WidgetBody,
    responses(
        (status = 200, description = "The widget after the change", body = WidgetResource),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(mut body): ApiJson<WidgetBody>,
) -> ApiResult<Json<WidgetResource>> {
    auth.require("widgets:write")?;
    if body.with_api_key.is_some() {
        return Err(ApiError::bad_request(
            "`with_api_key` only applies when creating a widget; mint a key with POST /api/v1/widgets/:id/keys",
        ));
    }
    let checked = check(&body)?;
    let patch = body.settings_patch();
    if let Some(Some(model)) = &checked.ai_model {
        super::models::check_ai_model(&state, model).await?;
    }
    let mut tx = state.db.begin().await?;
    store_widgets::lock(&mut *tx, &auth.org_id, &id).await?;
    let current = find(&mut *tx, &auth, &id).await?;
    let settings = patch.apply(current.settings.clone()).map_err(ApiError::BadRequest)?;
    apply(&mut tx, &id, &checked).await?;
    if settings != current.settings {
        store_widgets::set_settings(&mut *tx, &id, &settings).await?;
    }
    let widget = find(&mut *tx, &auth, &id).await?;
    tx.commit().await?;
    Ok(Json(widget))
}

/// `DELETE /api/v1/widgets/:id` (scope `widgets:write`): the widget and everything of it; refused for the
/// organisation's only widget. Live streams opened with its keys end at once.
#[utoipa::path(
    delete,
    path = "/widgets/{id}",
    operation_id = "delete_widget",
    tag = "widgets",
    summary = "Delete a widget",
    description = "Scope `widgets:write`. Deletes the widget with everything of it; its keys stop working at once.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Widget id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
        (status = 409, description = "The organisation's only widget", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("widgets:write")?;
    let mut tx = state.db.begin().await?;
    // Take the write lock first, so two deletes cannot both see "not the only one".
    store_widgets::lock_org(&mut *tx, &auth.org_id).await?;
    find(&mut *tx, &auth, &id).await?;
    if store_widgets::count(&mut *tx, &auth.org_id).await? <= 1 {
        return Err(ApiError::Conflict(
            "this is the organisation's only widget; create another one before deleting it".into(),
        ));
    }
    let keys = store::keys::of_widget(&mut *tx, &id).await?;
    store_widgets::delete(&mut tx, &id).await?;
    tx.commit().await?;
    for key in &keys {
        state.hub.revoke(key);
    }
    Ok(super::deleted("widget", &id))
}
