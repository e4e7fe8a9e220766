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
use sqlx::SqliteConnection;

use super::{Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::embed::{public_base, Embed};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::provision;
use crate::state::AppState;
use settings::check;
pub use settings::WidgetBody;

/// The colour of a widget created without one (the schema's default).
const DEFAULT_COLOR: &str = "#4f46e5";

/// A widget as the developer API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WidgetResource {
    /// Always `"widget"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    #[serde(skip)]
    seq: i64,
    /// Widget id.
    pub id: String,
    /// Brand name.
    pub brand: String,
    /// Site the widget is deployed on.
    pub website_url: Option<String>,
    /// Brand colour.
    pub primary_color: String,
    /// The bottom corner of the launcher: `right` or `left`.
    pub launcher_position: String,
    /// The launcher's label.
    pub launcher_label: String,
    /// Colour scheme: `auto` (the visitor's system setting), `light` or `dark`.
    pub theme: String,
    /// Greeting of an empty conversation.
    pub greeting: String,
    /// Default language: the site's and its team's (agents' replies are translated from it).
    pub locale: String,
    /// Language of the widget's interface: `auto` (the visitor's: the host page's `setLocale`, else the browser's)
    /// or a BCP 47 tag every visitor gets.
    pub interface_locale: String,
    /// ISO 4217 currency of prices, if set.
    pub currency: Option<String>,
    /// The model that answers (an id of `GET /api/v1/models`); `null`: the server's default model.
    pub ai_model: Option<String>,
    /// Origins allowed to use the widget from a browser; empty allows every origin.
    #[sqlx(json)]
    pub allowed_origins: Vec<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

const SELECT: &str = "SELECT seq, id, brand, website_url, primary_color, launcher_position, launcher_label, theme,
        greeting, locale, interface_locale, currency, ai_model, allowed_origins, created_at, updated_at
    FROM widgets WHERE org_id = ?";

/// The organisation's widget `id`.
///
/// # Errors
/// 404 for a missing widget and for another organisation's alike.
pub(crate) async fn find(conn: &mut SqliteConnection, auth: &DevAuth, id: &str) -> ApiResult<WidgetResource> {
    let mut w: WidgetResource = sqlx::query_as(&format!("{SELECT} AND id = ?"))
        .bind(&auth.org_id)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no widget `{id}`")))?;
    w.object = "widget";
    Ok(w)
}

/// Takes the write lock on widget `id` (if it is the organisation's) at the start of a transaction.
///
/// A transaction that reads and then writes can fail in SQLite when another writer committed in between (its read
/// snapshot cannot be upgraded); writing first makes the transaction a writer from the start, so it waits its turn
/// instead, and whatever it then reads stays true until it commits.
pub(crate) async fn lock(conn: &mut SqliteConnection, auth: &DevAuth, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE widgets SET seq = seq WHERE id = ? AND org_id = ?")
        .bind(id)
        .bind(&auth.org_id)
        .execute(conn)
        .await?;
    Ok(())
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
    let limit = super::page_limit(&params)?;
    let mut conn = state.db.acquire().await?;
    // The page after `starting_after` holds the widgets created before it.
    let cursor = match params.get("starting_after").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(after) => Some(
            find(&mut conn, &auth, after)
                .await
                .map_err(|_| ApiError::bad_request(format!("`starting_after`: no widget `{after}`")))?
                .seq,
        ),
        None => None,
    };
    let mut data: Vec<WidgetResource> =
        sqlx::query_as(&format!("{SELECT} AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?"))
            .bind(&auth.org_id)
            .bind(cursor)
            .bind(cursor)
            .bind(limit + 1)
            .fetch_all(&mut *conn)
            .await?;
    let has_more = data.len() as i64 > limit;
    data.truncate(limit as usize);
    for w in &mut data {
        w.object = "widget";
    }
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM widgets WHERE org_id = ?")
        .bind(&auth.org_id)
        .fetch_one(&mut *conn)
        .await?;
    let envelope =
        ListEnvelope { object: "list", has_more, url: "/api/v1/widgets".into(), total, limit, offset: 0, data };
    Ok(Json(envelope.with_legacy_items("widgets")))
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
    ApiJson(body): ApiJson<WidgetBody>,
) -> ApiResult<(StatusCode, Json<CreatedWidget>)> {
    auth.require("widgets:write")?;
    let checked = check(&body)?;
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
    let key = match body.with_api_key {
        Some(false) => None,
        _ => Some(provision::mint_widget_key(&mut tx, &id).await?),
    };
    let widget = find(&mut tx, &auth, &id).await?;
    tx.commit().await?;
    let embed = key.as_deref().map(|k| Embed::new(&public_base(&headers, &state), k));
    Ok((StatusCode::CREATED, Json(CreatedWidget { widget, api_key_alias: key.clone(), api_key: key, embed })))
}

/// Writes the checked fields of a body to widget `id` (absent fields unchanged).
async fn apply(conn: &mut SqliteConnection, id: &str, c: &settings::Checked) -> Result<(), sqlx::Error> {
    // Personas still wearing the old brand colour follow a new one; personas with their own colour keep it.
    if let Some(color) = &c.primary_color {
        sqlx::query(
            "UPDATE personas SET bubble_color = ?
             WHERE widget_id = ? AND bubble_color = (SELECT primary_color FROM widgets WHERE id = ?)",
        )
        .bind(color)
        .bind(id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE widgets SET brand = COALESCE(?, brand),
             website_url = CASE WHEN ? THEN ? ELSE website_url END,
             primary_color = COALESCE(?, primary_color), launcher_position = COALESCE(?, launcher_position),
             launcher_label = COALESCE(?, launcher_label), theme = COALESCE(?, theme),
             greeting = COALESCE(?, greeting),
             locale = COALESCE(?, locale), interface_locale = COALESCE(?, interface_locale), currency = CASE WHEN ? THEN ? ELSE currency END,
             allowed_origins = COALESCE(?, allowed_origins), ai_model = CASE WHEN ? THEN ? ELSE ai_model END,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?",
    )
    .bind(&c.brand)
    .bind(c.website_url.is_some())
    .bind(c.website_url.clone().flatten())
    .bind(&c.primary_color)
    .bind(&c.launcher_position)
    .bind(&c.launcher_label)
    .bind(&c.theme)
    .bind(&c.greeting)
    .bind(&c.locale)
    .bind(&c.interface_locale)
    .bind(c.currency.is_some())
    .bind(c.currency.clone().flatten())
    .bind(&c.allowed_origins)
    .bind(c.ai_model.is_some())
    .bind(c.ai_model.clone().flatten())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
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
    Ok(Json(find(&mut *state.db.acquire().await?, &auth, &id).await?))
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
    ApiJson(body): ApiJson<WidgetBody>,
) -> ApiResult<Json<WidgetResource>> {
    auth.require("widgets:write")?;
    if body.with_api_key.is_some() {
        return Err(ApiError::bad_request(
            "`with_api_key` only applies when creating a widget; mint a key with POST /api/v1/widgets/:id/keys",
        ));
    }
    let checked = check(&body)?;
    if let Some(Some(model)) = &checked.ai_model {
        super::models::check_ai_model(&state, model).await?;
    }
    let mut tx = state.db.begin().await?;
    lock(&mut tx, &auth, &id).await?;
    find(&mut tx, &auth, &id).await?;
    apply(&mut tx, &id, &checked).await?;
    let widget = find(&mut tx, &auth, &id).await?;
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
    sqlx::query("UPDATE widgets SET seq = seq WHERE org_id = ?").bind(&auth.org_id).execute(&mut *tx).await?;
    find(&mut tx, &auth, &id).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM widgets WHERE org_id = ?")
        .bind(&auth.org_id)
        .fetch_one(&mut *tx)
        .await?;
    if count <= 1 {
        return Err(ApiError::Conflict(
            "this is the organisation's only widget; create another one before deleting it".into(),
        ));
    }
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT key FROM widget_keys WHERE widget_id = ?").bind(&id).fetch_all(&mut *tx).await?;
    // Search indexes are not covered by foreign keys: delete through the tables whose triggers keep them in step,
    // and clear the catalog index, which its importer maintains by hand.
    sqlx::query("DELETE FROM products_fts WHERE rowid IN (SELECT seq FROM products WHERE widget_id = ?)")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM knowledge_items WHERE widget_id = ?").bind(&id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM widgets WHERE id = ?").bind(&id).execute(&mut *tx).await?;
    tx.commit().await?;
    for key in &keys {
        state.hub.revoke(key);
    }
    Ok(super::deleted("widget", &id))
}
