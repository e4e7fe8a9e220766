//! `/api/v1/knowledge`: what the AI answers from.
//!
//! An item belongs to a widget and may be bound to personas (`persona_id`, or several with `personas: []`): bound
//! items serve only those personas, unbound ones serve all. Items are indexed for full-text search on write.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Deserialize;
use serde_json::Value;

use super::pagination::PageRequest;
use super::{Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::ids;
use crate::state::AppState;
/// The resource as the store reads it (defined there, so that the store imports nothing of the API).
pub use crate::store::knowledge::KnowledgeResource;
use crate::store::knowledge::{self as store, ListFilter};
use crate::store::{begin_write, Db, Tx};

/// Longest title.
const MAX_TITLE: usize = 300;
/// Longest content.
const MAX_CONTENT: usize = 100_000;

async fn find(db: &Db, auth: &DevAuth, id: &str) -> ApiResult<KnowledgeResource> {
    store::find(db, &auth.org_id, id).await?.ok_or_else(|| ApiError::not_found(format!("no knowledge item `{id}`")))
}

/// `GET /api/v1/knowledge` (scope `knowledge:read`): filters `widget_id`, `persona_id`, `source_type`, `query`/`q`
/// (title, content or URL contains); newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/knowledge",
    operation_id = "list_knowledge",
    tag = "knowledge",
    summary = "List knowledge items",
    description = "Scope `knowledge:read`. Newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's items"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
        ("persona_id" = Option<String>, Query, description = "Only items bound to this persona"),
        ("personaId" = Option<String>, Query, deprecated, description = "Legacy alias of `persona_id`"),
        ("source_type" = Option<String>, Query, description = "`manual`, or `product` for imported products"),
        ("sourceType" = Option<String>, Query, deprecated, description = "Legacy alias of `source_type`"),
        ("query" = Option<String>, Query, description = "Only items whose title, content or URL contains this text"),
        ("q" = Option<String>, Query, description = "Alias of `query`"),
        Page,
    ),
    responses((status = 200, description = "A page of knowledge items", body = ListEnvelope<KnowledgeResource>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("knowledge:read")?;
    let param = |names: &[&str]| names.iter().find_map(|n| params.get(*n)).map(|v| v.trim().to_owned());
    let page = PageRequest::read(&state.db, &params, "knowledge item", store::CURSOR, &auth.org_id).await?;
    let filter = ListFilter {
        widget_id: param(&["widget_id", "widgetId"]),
        persona_id: param(&["persona_id", "personaId"]),
        source_type: param(&["source_type", "sourceType"]),
        text: param(&["query", "q"]).filter(|t| !t.is_empty()),
    };
    // One more than a page, to learn `has_more`.
    let rows = store::list(&state.db, &auth.org_id, &filter, page.before_seq, page.limit + 1).await?;
    let total = store::count(&state.db, &auth.org_id, &filter).await?;
    Ok(Json(page.envelope(rows, total, "/api/v1/knowledge", "knowledge")))
}

/// Create and update body (camelCase aliases `widgetId`, `personaId`). Unknown fields are refused.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeBody {
    /// Title, at most 300 characters (required on create).
    #[schema(example = "Shipping times")]
    pub title: Option<String>,
    /// Text, at most 100,000 characters (required on create).
    #[schema(example = "Orders ship within 2 business days.")]
    pub content: Option<String>,
    /// The widget (create only; optional when the organisation has one widget).
    #[serde(alias = "widgetId")]
    pub widget_id: Option<String>,
    /// Bind to one persona (`null` or `""` unbinds on update).
    #[serde(alias = "personaId", default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub persona_id: Option<Option<String>>,
    /// Bind to these personas (replaces the bindings; `[]` unbinds).
    pub personas: Option<Vec<String>>,
    /// Source URL.
    pub url: Option<String>,
}

fn check_text(value: &Option<String>, field: &str, max: usize) -> ApiResult<()> {
    match value {
        Some(v) if v.trim().is_empty() => Err(ApiError::bad_request(format!("`{field}` is empty"))),
        Some(v) if v.chars().count() > max => {
            Err(ApiError::bad_request(format!("`{field}` is longer than {max} characters")))
        }
        _ => Ok(()),
    }
}

/// Replaces an item's persona bindings, checking every persona belongs to its widget.
async fn bind_personas(tx: &mut Tx<'_>, id: &str, widget_id: &str, body: &KnowledgeBody) -> ApiResult<()> {
    let wanted: Option<Vec<String>> = match (&body.personas, &body.persona_id) {
        (Some(list), _) => Some(list.clone()),
        (None, Some(single)) => Some(single.iter().filter(|p| !p.is_empty()).cloned().collect()),
        (None, None) => None,
    };
    let Some(wanted) = wanted else { return Ok(()) };
    for p in &wanted {
        if !store::persona_in_widget(tx, p, widget_id).await? {
            return Err(ApiError::bad_request(format!("no persona `{p}` in this item's widget")));
        }
    }
    store::bind_personas(tx, id, &wanted).await?;
    Ok(())
}

/// `POST /api/v1/knowledge` (scope `knowledge:write`): 201.
#[utoipa::path(
    post,
    path = "/knowledge",
    operation_id = "create_knowledge",
    tag = "knowledge",
    summary = "Create a knowledge item",
    description = "Scope `knowledge:write`. Searchable by the AI at once.",
    security(("developer_key" = [])),
    request_body = KnowledgeBody,
    responses(
        (status = 201, description = "The new item", body = KnowledgeResource),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<KnowledgeBody>,
) -> ApiResult<(StatusCode, Json<KnowledgeResource>)> {
    auth.require("knowledge:write")?;
    let title = body.title.clone().ok_or_else(|| ApiError::bad_request("`title` is required"))?;
    let content = body.content.clone().ok_or_else(|| ApiError::bad_request("`content` is required"))?;
    check_text(&body.title, "title", MAX_TITLE)?;
    check_text(&body.content, "content", MAX_CONTENT)?;
    let widget_id = super::target_widget(&state.db, &auth, body.widget_id.as_deref()).await?;
    let id = ids::new_id("kn");
    let mut tx = begin_write(&state.db).await?;
    let url = body.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    store::insert(&mut tx, &id, &widget_id, title.trim(), content.trim(), url).await?;
    bind_personas(&mut tx, &id, &widget_id, &body).await?;
    crate::knowledge::chunks::index(&mut tx, &id).await?;
    tx.commit().await?;
    // The passages get their vectors in the background (API.md: "Embedding is regenerated automatically").
    state.indexer.wake();
    Ok((StatusCode::CREATED, Json(find(&state.db, &auth, &id).await?)))
}

/// `GET /api/v1/knowledge/:id` (scope `knowledge:read`).
#[utoipa::path(
    get,
    path = "/knowledge/{id}",
    operation_id = "get_knowledge",
    tag = "knowledge",
    summary = "Read a knowledge item",
    description = "Scope `knowledge:read`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Knowledge item id")),
    responses(
        (status = 200, description = "The item", body = KnowledgeResource),
        (status = 404, description = "No such knowledge item in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<KnowledgeResource>> {
    auth.require("knowledge:read")?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/knowledge/:id` (scope `knowledge:write`).
#[utoipa::path(
    method(post, patch),
    path = "/knowledge/{id}",
    operation_id = "update_knowledge",
    tag = "knowledge",
    summary = "Update a knowledge item",
    description = "Scope `knowledge:write`. Title, content, URL, persona bindings (`personas: []` unbinds).",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Knowledge item id")),
    request_body = KnowledgeBody,
    responses(
        (status = 200, description = "The item after the change", body = KnowledgeResource),
        (status = 404, description = "No such knowledge item in the organisation", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<KnowledgeBody>,
) -> ApiResult<Json<KnowledgeResource>> {
    auth.require("knowledge:write")?;
    check_text(&body.title, "title", MAX_TITLE)?;
    check_text(&body.content, "content", MAX_CONTENT)?;
    if body.widget_id.is_some() {
        return Err(ApiError::bad_request("a knowledge item cannot move to another widget"));
    }
    let current = find(&state.db, &auth, &id).await?;
    let mut tx = begin_write(&state.db).await?;
    let trimmed = |v: &Option<String>| v.as_deref().map(str::trim).map(str::to_owned);
    let (title, content, url) = (trimmed(&body.title), trimmed(&body.content), trimmed(&body.url));
    store::update(&mut tx, &id, title.as_deref(), content.as_deref(), url.as_deref()).await?;
    bind_personas(&mut tx, &id, &current.widget_id, &body).await?;
    if body.title.is_some() || body.content.is_some() {
        crate::knowledge::chunks::index(&mut tx, &id).await?;
    }
    tx.commit().await?;
    state.indexer.wake();
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `DELETE /api/v1/knowledge/:id` (scope `knowledge:delete`): the item and its search index entry.
#[utoipa::path(
    delete,
    path = "/knowledge/{id}",
    operation_id = "delete_knowledge",
    tag = "knowledge",
    summary = "Delete a knowledge item",
    description = "Scope `knowledge:delete`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Knowledge item id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such knowledge item in the organisation", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("knowledge:delete")?;
    find(&state.db, &auth, &id).await?;
    store::delete(&state.db, &id).await?;
    Ok(super::deleted("knowledge_item", &id))
}
