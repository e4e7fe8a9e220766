//! `/api/v1/widgets/:id/keys`: a widget's public `cw_live_` keys: list the active ones, mint one, revoke one.
//!
//! Rotation is "mint the new key, deploy it, revoke the old one". A revoked key is refused (401) on every public
//! endpoint from the next request on, and the live event streams opened with it end at once. Revoking the last
//! active key is allowed: it is how a site owner switches a widget off; the answer says how many keys remain.
//! Keys are public (every page that embeds the widget shows one), so a key is its own id and appears in paths.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Serialize;
use serde_json::Value;

use super::super::pagination::PageRequest;
use super::super::{ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::embed::{public_base, Embed};
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use crate::provision;
use crate::state::AppState;
/// The resource as the store reads it (defined there, so that the store imports nothing of the API).
pub use crate::store::keys::KeyResource;
use crate::store::{self, keys as store_keys, Dialect};

/// Most active keys per widget: rotation needs two, a few sites may need more, thousands is a runaway script.
const MAX_ACTIVE_KEYS: i64 = 20;

impl KeyResource {
    fn complete(mut self, base: &str) -> Self {
        self.object = "widget_key";
        // A revoked key embeds nothing.
        self.embed = self.revoked_at.is_none().then(|| Embed::new(base, &self.key));
        self
    }
}

async fn find_key<'e>(db: impl store::Exec<'e>, widget_id: &str, key: &str) -> ApiResult<KeyResource> {
    store_keys::find(db, widget_id, key)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no key `{key}` on widget `{widget_id}`")))
}

/// `GET /api/v1/widgets/:id/keys` (scope `widgets:read`): the active keys, newest first, each with its embed;
/// cursor-paginated like every list.
#[utoipa::path(
    get,
    path = "/widgets/{id}/keys",
    operation_id = "list_widget_keys",
    tag = "widget keys",
    summary = "List a widget's active keys",
    description = "Scope `widgets:read`. Newest first, cursor-paginated, each key with its embed snippet.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Widget id"), Page),
    responses(
        (status = 200, description = "A page of active keys", body = ListEnvelope<KeyResource>),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("widgets:read")?;
    let mut conn = state.db.acquire().await?;
    super::find(&mut *conn, &auth, &id).await?;
    let page =
        PageRequest::read(&state.db, &params, "key", store_keys::cursor(Dialect::of(&state.db)), &auth.org_id).await?;
    let rows = store_keys::list_active(&mut *conn, &id, page.before_seq, page.limit + 1).await?;
    let base = public_base(&headers);
    let data: Vec<KeyResource> = rows.into_iter().map(|k| k.complete(&base)).collect();
    let total = store_keys::active_count(&mut *conn, &id).await?;
    Ok(Json(page.envelope(data, total, &format!("/api/v1/widgets/{id}/keys"), "keys")))
}

/// `POST /api/v1/widgets/:id/keys` (scope `widgets:write`): mints a key (rotation); 201 with its embed.
#[utoipa::path(
    post,
    path = "/widgets/{id}/keys",
    operation_id = "create_widget_key",
    tag = "widget keys",
    summary = "Mint a widget key",
    description = "Scope `widgets:write`. For rotation: mint the new key, deploy it, then revoke the old one.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Widget id")),
    responses(
        (status = 201, description = "The new key with its embed snippet", body = KeyResource),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
        (status = 409, description = "The widget already has 20 active keys", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<KeyResource>)> {
    auth.require("widgets:write")?;
    let mut tx = state.db.begin().await?;
    // Locked first, so concurrent mints cannot both pass the limit.
    store::widgets::lock(&mut *tx, &auth.org_id, &id).await?;
    super::find(&mut *tx, &auth, &id).await?;
    if store_keys::active_count(&mut *tx, &id).await? >= MAX_ACTIVE_KEYS {
        return Err(ApiError::Conflict(format!(
            "this widget already has {MAX_ACTIVE_KEYS} active keys; revoke one with DELETE /api/v1/widgets/{id}/keys/:key"
        )));
    }
    let key = provision::mint_widget_key(&mut tx, &id).await?;
    let resource = find_key(&mut *tx, &id, &key).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(resource.complete(&public_base(&headers)))))
}

/// `GET /api/v1/widgets/:id/keys/:key` (scope `widgets:read`): one key, active or revoked.
#[utoipa::path(
    get,
    path = "/widgets/{id}/keys/{key}",
    operation_id = "get_widget_key",
    tag = "widget keys",
    summary = "Read a widget key",
    description = "Scope `widgets:read`. Revoked keys too (`embed` is then `null`).",
    security(("developer_key" = [])),
    params(
        ("id" = String, Path, description = "Widget id"),
        ("key" = String, Path, description = "The `cw_live_` key (keys are their own ids)"),
    ),
    responses(
        (status = 200, description = "The key", body = KeyResource),
        (status = 404, description = "No such widget, or no such key on it", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    headers: HeaderMap,
    ApiPath((id, key)): ApiPath<(String, String)>,
) -> ApiResult<Json<KeyResource>> {
    auth.require("widgets:read")?;
    let mut conn = state.db.acquire().await?;
    super::find(&mut *conn, &auth, &id).await?;
    let resource = find_key(&mut *conn, &id, &key).await?;
    Ok(Json(resource.complete(&public_base(&headers))))
}

/// The answer of a revocation: the key, now revoked, and how many active keys the widget has left.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RevokedKey {
    /// The key.
    #[serde(flatten)]
    pub key: KeyResource,
    /// Always `true`, like every `DELETE` answer.
    pub deleted: bool,
    /// Active keys left; 0 means the widget answers no page until a key is minted.
    pub active_keys: i64,
}

/// `DELETE /api/v1/widgets/:id/keys/:key` (scope `widgets:write`): revokes the key, at once. Idempotent: revoking
/// a revoked key keeps its first `revoked_at`.
#[utoipa::path(
    delete,
    path = "/widgets/{id}/keys/{key}",
    operation_id = "revoke_widget_key",
    tag = "widget keys",
    summary = "Revoke a widget key",
    description = "Scope `widgets:write`. At once: the key is refused from the next request on and its live streams \
        end. Idempotent. Revoking the last active key switches the widget off (`active_keys: 0`).",
    security(("developer_key" = [])),
    params(
        ("id" = String, Path, description = "Widget id"),
        ("key" = String, Path, description = "The `cw_live_` key (keys are their own ids)"),
    ),
    responses(
        (status = 200, description = "The key, revoked", body = RevokedKey),
        (status = 404, description = "No such widget, or no such key on it", body = ErrorBody),
    ),
)]
pub async fn revoke(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath((id, key)): ApiPath<(String, String)>,
) -> ApiResult<Json<RevokedKey>> {
    auth.require("widgets:write")?;
    let mut tx = state.db.begin().await?;
    store::widgets::lock(&mut *tx, &auth.org_id, &id).await?;
    super::find(&mut *tx, &auth, &id).await?;
    store_keys::revoke(&mut tx, &id, &key).await?;
    let mut resource = find_key(&mut *tx, &id, &key).await?;
    let active_keys = store_keys::active_count(&mut *tx, &id).await?;
    tx.commit().await?;
    state.hub.revoke(&key);
    resource.object = "widget_key";
    Ok(Json(RevokedKey { key: resource, deleted: true, active_keys }))
}
