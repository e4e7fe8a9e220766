//! `/api/v1/webhooks`: subscription management (scope `webhooks:manage`).
//!
//! The signing secret is returned once, in the creation response; reads never include it.

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
pub use crate::store::webhooks::WebhookResource;
use crate::store::{webhooks as store, Db};
use crate::webhooks::EVENTS;

async fn find(db: &Db, auth: &DevAuth, id: &str) -> ApiResult<WebhookResource> {
    store::find(db, &auth.org_id, id).await?.ok_or_else(|| ApiError::not_found(format!("no webhook `{id}`")))
}

/// Checks a receiver URL: absolute http(s), no credentials, bounded.
fn valid_url(url: &str) -> ApiResult<String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default()).unwrap_or_default();
    if url.len() > 2048 || host.is_empty() || host.contains('@') || url.chars().any(|c| c.is_whitespace()) {
        return Err(ApiError::bad_request("`url` must be an absolute http:// or https:// URL (at most 2048 bytes)"));
    }
    Ok(url.to_owned())
}

/// Checks an event list: non-empty, known names, no duplicates kept.
fn valid_events(events: Vec<String>) -> ApiResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for e in events {
        let e = e.trim().to_owned();
        if !EVENTS.contains(&e.as_str()) {
            return Err(ApiError::bad_request(format!("unknown event `{e}`; known events: {}", EVENTS.join(", "))));
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(ApiError::bad_request(format!("`events` is empty; known events: {}", EVENTS.join(", "))));
    }
    Ok(out)
}

/// `GET /api/v1/webhooks`: newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/webhooks",
    operation_id = "list_webhooks",
    tag = "webhooks",
    summary = "List webhook subscriptions",
    description = "Scope `webhooks:manage`. Newest first, cursor-paginated. Secrets are never shown again.",
    security(("developer_key" = [])),
    params(Page),
    responses((status = 200, description = "A page of subscriptions", body = ListEnvelope<WebhookResource>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("webhooks:manage")?;
    let page = PageRequest::read(&state.db, &params, "webhook", store::CURSOR, &auth.org_id).await?;
    let data = store::list(&state.db, &auth.org_id, page.before_seq, page.limit + 1).await?;
    let total = store::count(&state.db, &auth.org_id).await?;
    Ok(Json(page.envelope(data, total, "/api/v1/webhooks", "webhooks")))
}

/// Body of a creation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = WebhookCreateBody)]
pub struct CreateBody {
    /// Receiver URL: absolute http(s), without credentials, at most 2048 bytes.
    #[schema(example = "https://hooks.example/quincer")]
    pub url: String,
    /// Event names (at least one), e.g. `conversation.takeover`, `lead.created`.
    #[schema(example = json!(["conversation.takeover", "lead.created"]))]
    pub events: Vec<String>,
}

/// `POST /api/v1/webhooks`: answers 201 with the secret, once.
#[utoipa::path(
    post,
    path = "/webhooks",
    operation_id = "create_webhook",
    tag = "webhooks",
    summary = "Subscribe to events",
    description = "Scope `webhooks:manage`. The signing `secret` is returned here only.",
    security(("developer_key" = [])),
    request_body = CreateBody,
    responses((status = 201, description = "The subscription, with its `secret`", body = WebhookResource)),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<(StatusCode, Json<WebhookResource>)> {
    auth.require("webhooks:manage")?;
    let url = valid_url(&body.url)?;
    state.outbound.check_destination(&url).await.map_err(ApiError::BadRequest)?;
    let events = valid_events(body.events)?;
    let id = ids::new_id("wh");
    let secret = format!("whsec_{}", ids::random_string(40));
    let events = serde_json::to_string(&events).unwrap_or_default();
    let new = store::NewWebhook { id: &id, org_id: &auth.org_id, url: &url, events: &events, secret: &secret };
    store::insert(&state.db, &new).await?;
    let mut w = find(&state.db, &auth, &id).await?;
    w.secret = Some(secret);
    Ok((StatusCode::CREATED, Json(w)))
}

/// `GET /api/v1/webhooks/:id`.
#[utoipa::path(
    get,
    path = "/webhooks/{id}",
    operation_id = "get_webhook",
    tag = "webhooks",
    summary = "Read a webhook subscription",
    description = "Scope `webhooks:manage`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Webhook subscription id")),
    responses(
        (status = 200, description = "The subscription", body = WebhookResource),
        (status = 404, description = "No such subscription in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WebhookResource>> {
    auth.require("webhooks:manage")?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// Body of an update: every field optional.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = WebhookUpdateBody)]
pub struct UpdateBody {
    /// New receiver URL.
    pub url: Option<String>,
    /// New event list.
    pub events: Option<Vec<String>>,
    /// Switch deliveries on or off (switching on also clears the failure count).
    pub active: Option<bool>,
    /// `true` clears the failure count.
    pub reset_fail_count: Option<bool>,
}

/// `POST` (or `PATCH`) `/api/v1/webhooks/:id`.
#[utoipa::path(
    method(post, patch),
    path = "/webhooks/{id}",
    operation_id = "update_webhook",
    tag = "webhooks",
    summary = "Update a webhook subscription",
    description = "Scope `webhooks:manage`. `active: true` or `reset_fail_count: true` clears the failure count.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Webhook subscription id")),
    request_body = UpdateBody,
    responses(
        (status = 200, description = "The subscription after the change", body = WebhookResource),
        (status = 404, description = "No such subscription in the organisation", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> ApiResult<Json<WebhookResource>> {
    auth.require("webhooks:manage")?;
    find(&state.db, &auth, &id).await?;
    let url = body.url.as_deref().map(valid_url).transpose()?;
    if let Some(url) = &url {
        state.outbound.check_destination(url).await.map_err(ApiError::BadRequest)?;
    }
    let events = body.events.map(valid_events).transpose()?.map(|e| serde_json::to_string(&e).unwrap_or_default());
    let changes = store::Changes {
        url,
        events,
        active: body.active,
        reset_fail_count: body.reset_fail_count == Some(true) || body.active == Some(true),
    };
    store::update(&state.db, &auth.org_id, &id, &changes).await?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `DELETE /api/v1/webhooks/:id`: the subscription and its queued deliveries.
#[utoipa::path(
    delete,
    path = "/webhooks/{id}",
    operation_id = "delete_webhook",
    tag = "webhooks",
    summary = "Delete a webhook subscription",
    description = "Scope `webhooks:manage`. Its queued deliveries go with it.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Webhook subscription id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such subscription in the organisation", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("webhooks:manage")?;
    find(&state.db, &auth, &id).await?;
    store::delete(&state.db, &auth.org_id, &id).await?;
    Ok(super::deleted("webhook", &id))
}
