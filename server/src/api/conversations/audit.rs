//! `GET /api/v1/conversations/:id/audit`: who took the conversation over, replied, handed it back or off.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Serialize;

use super::find;
use crate::api::pagination::PageRequest;
use crate::api::{ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::store::audit::{self, Entry};

/// One audit entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Always `"audit_entry"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Entry id (`aud_…`), usable as `starting_after`.
    pub id: String,
    /// The conversation.
    pub conversation_id: String,
    /// `takeover`, `reply`, `handback` or `handoff`.
    pub action: String,
    /// `internal_user` (a team member) or `external_agent` (a developer key bound to no member).
    pub actor_kind: String,
    /// The member, for an `internal_user`.
    pub actor_member_id: Option<String>,
    /// The developer key (`key_…`) or sign-in session (`ses_…`) the request carried.
    pub actor_key_id: Option<String>,
    /// The actor's name as shown at the time.
    pub actor_name: String,
    /// The external system's label, if one was given.
    pub external_label: Option<String>,
    /// `api` (the developer API) or `dashboard` (the inbox).
    pub surface: String,
    /// What changed: `{message_id, speaker_name, translated_to}` for a reply, `{previous_holder}` for a handback,
    /// `{from_persona_id, persona_id}` for a handoff, `{}` for a takeover.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<Entry> for AuditEntry {
    fn from(e: Entry) -> Self {
        AuditEntry {
            object: "audit_entry",
            id: e.id,
            conversation_id: e.conversation_id,
            action: e.action,
            actor_kind: e.actor_kind,
            actor_member_id: e.actor_member_id,
            actor_key_id: e.actor_key_id,
            actor_name: e.actor_name,
            external_label: e.external_label,
            surface: e.surface,
            detail: serde_json::from_str(&e.detail).unwrap_or_default(),
            created_at: e.created_at,
        }
    }
}

/// `GET /api/v1/conversations/:id/audit` (scope `conversations:read`): newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/conversations/{id}/audit",
    operation_id = "list_conversation_audit",
    tag = "conversations",
    summary = "Read a conversation's audit trail",
    description = "Scope `conversations:read`. Every takeover, reply, handback and handoff, with its actor (a team \
        member or an external agent) and surface (`api` or `dashboard`); newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id"), Page),
    responses(
        (status = 200, description = "A page of audit entries", body = ListEnvelope<AuditEntry>),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require("conversations:read")?;
    find(&state.db, &auth, &id).await?;
    let page = PageRequest::read(&state.db, &params, "audit entry", audit::CURSOR, &auth.org_id).await?;
    let rows = audit::list(&state.db, &auth.org_id, &id, page.before_seq, page.limit + 1).await?;
    let total = audit::count(&state.db, &auth.org_id, &id).await?;
    let rows: Vec<AuditEntry> = rows.into_iter().map(Into::into).collect();
    Ok(Json(page.envelope(rows, total, &format!("/api/v1/conversations/{id}/audit"), "entries")))
}
