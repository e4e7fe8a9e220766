//! Extractors for the three credentials.
//!
//! - [`WidgetAuth`]: `Authorization: Bearer cw_live_…` on public endpoints; identifies a widget, grants nothing else.
//!   It also enforces the widget's allowed origins (see [`crate::origins`]): a browser request from another origin is
//!   refused with 403, after the key is known to be valid.
//! - [`VisitorAuth`]: a widget key plus `Quincer-Visitor-Token`; identifies one visitor of that widget.
//! - [`DevAuth`]: `Authorization: Bearer cw_dev_…` on `/api/v1`; an organisation and its scopes. Or, without an
//!   `Authorization` header, a signed-in member's session cookie ([`crate::members::session`]): the member's
//!   organisation, the scopes of their role, and the CSRF check on state-changing requests.
//!
//! A credential of the wrong kind is refused with a sentence saying which kind belongs where, because pasting the
//! wrong key is the most common integration mistake.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use quincer_protocol::keys::{DEV_KEY_PREFIX, WIDGET_KEY_PREFIX};
use quincer_protocol::VISITOR_TOKEN_HEADER;

use crate::actor::{Actor, ActorKind, Surface, DEFAULT_AGENT_NAME};
use crate::error::ApiError;
use crate::ids::hash_secret;
use crate::members::{session, MemberRef};
use crate::state::AppState;
use crate::store;

/// A query-string parameter: browsers' `EventSource` cannot send headers, so public endpoints also accept the
/// widget key and visitor token as `?widget_key=…&visitor_token=…` (headers win when both are present).
fn query_param(parts: &Parts, name: &str) -> Option<String> {
    let query = axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(&parts.uri).ok()?;
    query.0.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The bearer token of a request.
fn bearer(parts: &Parts, expected: &str) -> Result<String, ApiError> {
    if expected == WIDGET_KEY_PREFIX && parts.headers.get(axum::http::header::AUTHORIZATION).is_none() {
        if let Some(key) = query_param(parts, "widget_key") {
            return Ok(key);
        }
    }
    let header = parts.headers.get(axum::http::header::AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized(format!("missing Authorization header: send `Authorization: Bearer {expected}…`"))
    })?;
    let value = header
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized(format!("malformed Authorization header: expected `Bearer {expected}…`"))
        })?;
    Ok(value.to_owned())
}

/// A widget identified by its public key.
#[derive(Debug, Clone)]
pub struct WidgetAuth {
    /// Widget id.
    pub widget_id: String,
    /// Organisation owning the widget.
    pub org_id: String,
    /// The `cw_live_` key the request carried: live streams end when it is revoked.
    pub key: String,
}

impl FromRequestParts<AppState> for WidgetAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = bearer(parts, WIDGET_KEY_PREFIX)?;
        if key.starts_with(DEV_KEY_PREFIX) {
            return Err(ApiError::Unauthorized(
                "developer keys (cw_dev_…) are server-side secrets for /api/v1 and are refused here; public widget \
                 endpoints take the widget's cw_live_… key"
                    .into(),
            ));
        }
        if !key.starts_with(WIDGET_KEY_PREFIX) {
            return Err(ApiError::Unauthorized("not a widget key: public endpoints take a cw_live_… key".into()));
        }
        match store::keys::credential(&state.db, &key).await? {
            None => Err(ApiError::Unauthorized("unknown widget key".into())),
            Some(found) if found.revoked_at.is_some() => {
                Err(ApiError::Unauthorized("this widget key was revoked: embed one of the widget's active keys".into()))
            }
            Some(found) => {
                check_origin(parts, &found.allowed_origins)?;
                Ok(WidgetAuth { widget_id: found.widget_id, org_id: found.org_id, key })
            }
        }
    }
}

/// Refuses a browser request whose `Origin` the widget's `allowed_origins` (stored JSON) does not list.
fn check_origin(parts: &Parts, allowed: &str) -> Result<(), ApiError> {
    let Some(origin) = parts.headers.get(axum::http::header::ORIGIN) else {
        return Ok(()); // not a browser: servers and curl are not subject to the list
    };
    let allowed: Vec<String> = serde_json::from_str(allowed).unwrap_or_default();
    let origin = origin.to_str().unwrap_or("an unreadable origin");
    if crate::origins::allows(&allowed, origin) {
        Ok(())
    } else {
        Err(ApiError::OriginNotAllowed(format!(
            "this widget does not allow requests from {origin}; add the origin to the widget's allowed_origins"
        )))
    }
}

/// A visitor of the widget whose key the request carries.
#[derive(Debug, Clone)]
pub struct VisitorAuth {
    /// The widget.
    pub widget: WidgetAuth,
    /// Visitor id.
    pub visitor_id: String,
}

impl FromRequestParts<AppState> for VisitorAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let widget = WidgetAuth::from_request_parts(parts, state).await?;
        let token = parts
            .headers
            .get(VISITOR_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .or_else(|| query_param(parts, "visitor_token"))
            .ok_or_else(|| {
                ApiError::Unauthorized(format!(
                    "missing {VISITOR_TOKEN_HEADER} header: start a session with POST /api/widget/session first"
                ))
            })?;
        let visitor_id = store::visitors::by_token(&state.db, &widget.widget_id, &hash_secret(&token)).await?;
        let visitor_id = visitor_id.ok_or_else(|| {
            ApiError::Unauthorized(
                "unknown visitor token for this widget: start a new session with POST /api/widget/session".into(),
            )
        })?;
        Ok(VisitorAuth { widget, visitor_id })
    }
}

/// An organisation's developer key, or a signed-in member's session, and what it may do.
#[derive(Debug, Clone)]
pub struct DevAuth {
    /// Key id (not the key); for a session, the session id (`ses_…`).
    pub key_id: String,
    /// The organisation the key belongs to; it only ever sees this organisation's data.
    pub org_id: String,
    /// Granted scopes, e.g. `conversations:read`.
    pub scopes: Vec<String>,
    /// The team member the request acts as: the key's, for a key bound to one; the signed-in member, for a
    /// session. `None` for a key bound to nobody (an external agent).
    pub member: Option<MemberRef>,
    /// Where the request came from: `Api` for a key, `Dashboard` for a session.
    pub surface: Surface,
}

impl DevAuth {
    /// The actor of a request: its member when the key is bound to one (or the request is a signed-in session),
    /// else an external agent with `external_label`, named [`DEFAULT_AGENT_NAME`] until [`Actor::named`] says
    /// otherwise.
    pub fn actor(&self, external_label: Option<String>) -> Actor {
        match &self.member {
            Some(member) => Actor {
                kind: ActorKind::InternalUser,
                member_id: Some(member.id.clone()),
                key_id: self.key_id.clone(),
                name: member.name.clone(),
                avatar_url: member.avatar_url.clone(),
                external_label,
                surface: self.surface,
            },
            None => Actor {
                kind: ActorKind::ExternalAgent,
                member_id: None,
                key_id: self.key_id.clone(),
                name: DEFAULT_AGENT_NAME.to_owned(),
                avatar_url: None,
                external_label,
                surface: self.surface,
            },
        }
    }

    /// Checks that the key (or the session's role) carries `scope`.
    ///
    /// # Errors
    /// 403 naming the missing scope.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| s == scope) {
            return Ok(());
        }
        match (&self.member, self.surface) {
            (Some(member), Surface::Dashboard) => Err(ApiError::Forbidden(format!(
                "the {} role lacks the `{scope}` scope: ask an owner or admin",
                member.role
            ))),
            _ => Err(ApiError::Forbidden(format!("this developer key lacks the `{scope}` scope"))),
        }
    }
}

impl FromRequestParts<AppState> for DevAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // A signed-in member's browser (the inbox) sends its session cookie instead of a key.
        if parts.headers.get(axum::http::header::AUTHORIZATION).is_none() && session::token(&parts.headers).is_some() {
            let signed_in = session::authenticate(state, parts).await?;
            let role = signed_in.member.role;
            return Ok(DevAuth {
                key_id: signed_in.id,
                org_id: signed_in.member.org_id.clone(),
                scopes: role.scopes().iter().map(|s| (*s).to_owned()).collect(),
                member: Some(signed_in.member.reference()),
                surface: Surface::Dashboard,
            });
        }
        let key = bearer(parts, DEV_KEY_PREFIX)?;
        if key.starts_with(WIDGET_KEY_PREFIX) {
            return Err(ApiError::Unauthorized(
                "widget keys (cw_live_…) only identify a widget to the public chat endpoints; /api/v1 takes a \
                 developer key (cw_dev_…)"
                    .into(),
            ));
        }
        if !key.starts_with(DEV_KEY_PREFIX) {
            return Err(ApiError::Unauthorized("not a developer key: /api/v1 takes a cw_dev_… key".into()));
        }
        match store::developer_keys::by_hash(&state.db, &hash_secret(&key)).await? {
            None => Err(ApiError::Unauthorized("unknown developer key".into())),
            Some(found) if found.revoked_at.is_some() => {
                Err(ApiError::Unauthorized("this developer key was revoked".into()))
            }
            Some(found) => {
                let mut scopes: Vec<String> = found.scopes.split_whitespace().map(str::to_owned).collect();
                let member = match &found.member_id {
                    Some(member_id) => {
                        let member = key_member(state, &found.org_id, member_id).await?;
                        // The role bounds the key: a member demoted since the key was minted loses the rest.
                        scopes.retain(|s| member.role.scopes().contains(&s.as_str()));
                        Some(member)
                    }
                    None => None,
                };
                Ok(DevAuth { key_id: found.id, org_id: found.org_id, scopes, member, surface: Surface::Api })
            }
        }
    }
}

/// The member a developer key is bound to; a disabled (or vanished) member's keys are refused.
async fn key_member(state: &AppState, org_id: &str, member_id: &str) -> Result<MemberRef, ApiError> {
    match store::members::get(&state.db, Some(org_id), member_id).await? {
        None => Err(ApiError::Unauthorized("this developer key's team member no longer exists".into())),
        Some(m) if m.disabled_at.is_some() => Err(ApiError::Unauthorized(format!(
            "this developer key is bound to team member {} ({}), who is disabled",
            m.name, m.id
        ))),
        Some(m) => Ok(m.reference()),
    }
}
