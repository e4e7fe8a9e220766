//! `/api/v1/integrations` (read-only, API.md "Integrations"): which outside services a workspace is connected to.
//!
//! Connecting takes an interactive OAuth round trip in the dashboard, so this API never connects anything. The
//! Shopify storefront is the one connection this server makes itself: a widget whose catalog was imported
//! (`POST /api/v1/widgets/:id/import-storefront`) is connected to its store, and the details say which store, how
//! many products and when they were last synced.
//!
//! OpenClaw is connected here too, without OAuth: `POST /api/v1/integrations/openclaw/connect` creates the
//! organisation's "OpenClaw" team member and a key bound to it ([`crate::openclaw::connect`]); the provider is
//! connected while that member is enabled and has an active key.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Serialize;
use serde_json::Value;

use super::ListEnvelope;
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use crate::members::Member;
use crate::openclaw::{self, connect};
use crate::state::AppState;

/// Every provider the product integrates with, and its display name.
pub const PROVIDERS: &[(&str, &str)] = &[
    ("shopify", "Shopify storefront"),
    ("slack", "Slack"),
    ("telegram", "Telegram"),
    ("whatsapp", "WhatsApp"),
    ("hubspot", "HubSpot"),
    ("salesforce", "Salesforce"),
    ("openclaw", "OpenClaw"),
];

/// One provider's connection state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Integration {
    /// Always `"integration"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Provider id (`shopify`, `slack`, …).
    #[schema(value_type = String)]
    pub provider: &'static str,
    /// Display name.
    #[schema(value_type = String)]
    pub name: &'static str,
    /// Whether the workspace (or the widget asked about) is connected.
    pub connected: bool,
    /// Connection details, when connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

/// What a connection is to: for Shopify, the storefronts imported into the workspace's widgets; for OpenClaw, its
/// team member.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = IntegrationDetails)]
pub struct Details {
    /// One entry per widget with an imported catalog (empty for other providers).
    pub storefronts: Vec<Storefront>,
    /// OpenClaw's team member and its keys (OpenClaw only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openclaw: Option<OpenClawDetails>,
}

/// The team member OpenClaw acts as.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpenClawDetails {
    /// The member (`OpenClaw`, role `agent`).
    pub member: Member,
    /// Its active developer keys.
    pub active_keys: i64,
}

/// A storefront imported into a widget.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Storefront {
    /// The widget.
    pub widget_id: String,
    /// The store's origin (`https://shop.example`), from its product links.
    pub store_url: Option<String>,
    /// Products in the widget's catalog.
    pub products: i64,
    /// The currency of its prices (the widget's, else the store's).
    pub currency: Option<String>,
    /// When a product last changed in an import.
    pub last_synced_at: String,
}

/// The connection state of `provider` for the organisation, or one of its widgets.
async fn state_of(state: &AppState, auth: &DevAuth, widget: Option<&str>, provider: usize) -> ApiResult<Integration> {
    let (id, name) = PROVIDERS[provider];
    let details = match id {
        "shopify" => shopify(state, auth, widget).await?,
        "openclaw" => openclaw(state, auth).await?,
        _ => None, // connected only through the dashboard's OAuth flow, which this workspace has not done
    };
    Ok(Integration { object: "integration", provider: id, name, connected: details.is_some(), details })
}

/// The imported storefronts: one entry per widget with a catalog.
async fn shopify(state: &AppState, auth: &DevAuth, widget: Option<&str>) -> ApiResult<Option<Details>> {
    let rows = crate::store::widgets::storefronts(&state.db, &auth.org_id, widget).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let storefronts = rows
        .into_iter()
        .map(|row| Storefront {
            store_url: row.product_url.and_then(|u| url::Url::parse(&u).ok()).map(|u| u.origin().ascii_serialization()),
            widget_id: row.widget_id,
            products: row.products,
            currency: row.currency,
            last_synced_at: row.last_synced_at,
        })
        .collect();
    Ok(Some(Details { storefronts, openclaw: None }))
}

/// OpenClaw's member, when it is enabled and has an active key.
async fn openclaw(state: &AppState, auth: &DevAuth) -> ApiResult<Option<Details>> {
    let Some(member) = connect::member(&state.db, &auth.org_id).await?.filter(|m| m.disabled_at.is_none()) else {
        return Ok(None);
    };
    let active_keys = crate::store::openclaw::active_keys(&state.db, &member.id).await?;
    Ok((active_keys > 0)
        .then(|| Details { storefronts: Vec::new(), openclaw: Some(OpenClawDetails { member, active_keys }) }))
}

/// Checks the `widget_id` filter names one of the organisation's widgets.
async fn widget_filter(
    state: &AppState,
    auth: &DevAuth,
    params: &HashMap<String, String>,
) -> ApiResult<Option<String>> {
    let Some(id) = params.get("widget_id").or_else(|| params.get("widgetId")).map(|w| w.trim().to_owned()) else {
        return Ok(None);
    };
    super::target_widget(&state.db, auth, Some(&id)).await.map(Some)
}

/// `GET /api/v1/integrations` (scope `integrations:read`): every provider and its state; filter `widget_id`.
#[utoipa::path(
    get,
    path = "/integrations",
    operation_id = "list_integrations",
    tag = "integrations",
    summary = "List integrations and their connection state",
    description = "Scope `integrations:read`. Every supported provider, in one page.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "The state of this widget rather than the organisation's"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
    ),
    responses(
        (status = 200, description = "Every provider", body = ListEnvelope<Integration>),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("integrations:read")?;
    let widget = widget_filter(&state, &auth, &params).await?;
    let mut data = Vec::new();
    for i in 0..PROVIDERS.len() {
        data.push(state_of(&state, &auth, widget.as_deref(), i).await?);
    }
    let total = data.len() as i64;
    let envelope = ListEnvelope {
        object: "list",
        has_more: false,
        url: "/api/v1/integrations".into(),
        total,
        limit: total,
        offset: 0,
        data,
    };
    Ok(Json(envelope.with_legacy_items("integrations")))
}

/// `GET /api/v1/integrations/:provider` (scope `integrations:read`): `{"connected": false, …}` when not connected.
#[utoipa::path(
    get,
    path = "/integrations/{provider}",
    operation_id = "get_integration",
    tag = "integrations",
    summary = "Read one provider's connection state",
    description = "Scope `integrations:read`. `connected: false` (and no `details`) when not connected.",
    security(("developer_key" = [])),
    params(
        (
            "provider" = String,
            Path,
            description = "`shopify`, `slack`, `telegram`, `whatsapp`, `hubspot`, `salesforce` or `openclaw`",
        ),
        ("widget_id" = Option<String>, Query, description = "The state of this widget rather than the organisation's"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
    ),
    responses(
        (status = 200, description = "The provider's state", body = Integration),
        (status = 404, description = "No such provider, or no such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(provider): ApiPath<String>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Integration>> {
    auth.require("integrations:read")?;
    let index = PROVIDERS.iter().position(|(id, _)| id.eq_ignore_ascii_case(provider.trim())).ok_or_else(|| {
        let known: Vec<&str> = PROVIDERS.iter().map(|(id, _)| *id).collect();
        ApiError::not_found(format!("no integration `{provider}`; known providers: {}", known.join(", ")))
    })?;
    let widget = widget_filter(&state, &auth, &params).await?;
    Ok(Json(state_of(&state, &auth, widget.as_deref(), index).await?))
}

/// The answer of connecting OpenClaw: its member and a new key, shown once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpenClawConnection {
    /// Always `"openclaw_connection"`.
    #[schema(value_type = String, example = "openclaw_connection")]
    pub object: &'static str,
    /// The "OpenClaw" team member (role `agent`) its takeovers and replies appear as.
    pub member: Member,
    /// Whether this call created the member (else it already existed).
    pub created: bool,
    /// The new developer key bound to the member, shown only now: `skills.entries.quincer.env.QUINCER_API_KEY`.
    #[schema(example = "cw_dev_…")]
    pub key: String,
    /// The key's scopes: what the skill's recipes need.
    #[schema(value_type = Vec<String>)]
    pub scopes: &'static [&'static str],
    /// Where to download the skill, with this server's address in it.
    pub skill_url: String,
}

/// `POST /api/v1/integrations/openclaw/connect` (scope `members:write`): the OpenClaw member and a key bound to it.
#[utoipa::path(
    post,
    path = "/integrations/openclaw/connect",
    operation_id = "connect_openclaw",
    tag = "integrations",
    summary = "Connect OpenClaw: its team member and a key for the skill",
    description = "Scope `members:write`, and the caller must hold every scope the OpenClaw key gets (a key hands out \
        no more than it has). Creates the organisation's \"OpenClaw\" team member (role `agent`, with the avatar \
        this server serves at `/integrations/openclaw/avatar.svg`), or reuses it, and issues a new developer key bound \
        to it with `conversations:read`, `conversations:takeover`, `conversations:reply`, `conversations:handback`, \
        `leads:read`, `leads:write`, `tasks:read` and `tasks:write`. The key is in this answer only. Keys issued \
        before stay valid. No body.",
    security(("developer_key" = [])),
    responses(
        (status = 201, description = "Connected; the key is shown only now", body = OpenClawConnection),
        (status = 409, description = "The OpenClaw member is disabled", body = ErrorBody),
    ),
)]
pub async fn connect_openclaw(
    State(state): State<AppState>,
    auth: DevAuth,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<OpenClawConnection>)> {
    auth.require("members:write")?;
    for scope in openclaw::SCOPES {
        auth.require(scope)?;
    }
    let connected = connect::connect(&state.db, &auth.org_id).await?;
    let skill_url = format!("{}{}", crate::embed::public_base(&headers), openclaw::SKILL_PATH);
    let answer = OpenClawConnection {
        object: "openclaw_connection",
        member: connected.member,
        created: connected.created,
        key: connected.key,
        scopes: openclaw::SCOPES,
        skill_url,
    };
    Ok((StatusCode::CREATED, Json(answer)))
}
