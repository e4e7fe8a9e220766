//! The conversation audit trail: one row per takeover, reply, handback and handoff, with its actor, written in
//! the action's own transaction ([`record`]) and read per conversation, newest first ([`list`]).

use crate::actor::Actor;
use crate::ids;

use super::{Db, Tx};

/// Appends an audit row.
const INSERT: &str = "INSERT INTO audit_log (id, org_id, conversation_id, action, actor_kind, actor_member_id,
        actor_key_id, actor_name, external_label, surface, detail)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// A conversation's audit rows, newest first; followed by the cursor clause and the limit.
const LIST: &str = "SELECT seq, id, conversation_id, action, actor_kind, actor_member_id, actor_key_id, actor_name,
        external_label, surface, detail, created_at
    FROM audit_log WHERE org_id = $1 AND conversation_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4";
/// The list cursor: the position of audit entry `$2` among organisation `$1`'s.
pub const CURSOR: &str = "SELECT seq FROM audit_log WHERE org_id = $1 AND id = $2";
/// How many audit rows a conversation has.
const COUNT: &str = "SELECT COUNT(*) FROM audit_log WHERE org_id = $1 AND conversation_id = $2";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An agent took the conversation over.
    Takeover,
    /// The holder replied.
    Reply,
    /// The conversation went back to the AI.
    Handback,
    /// The persona changed.
    Handoff,
}

impl Action {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Takeover => "takeover",
            Action::Reply => "reply",
            Action::Handback => "handback",
            Action::Handoff => "handoff",
        }
    }
}

/// Records in `tx` that `actor` did `action` to conversation `conversation_id` of `org_id`; `detail` is a JSON
/// object with what the action changed (a message id, a persona).
///
/// # Errors
/// Database errors.
pub async fn record(
    tx: &mut Tx<'_>,
    org_id: &str,
    conversation_id: &str,
    action: Action,
    actor: &Actor,
    detail: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(ids::new_id("aud"))
        .bind(org_id)
        .bind(conversation_id)
        .bind(action.as_str())
        .bind(actor.kind.as_str())
        .bind(actor.member_id.as_deref())
        .bind(&actor.key_id)
        .bind(&actor.name)
        .bind(actor.external_label.as_deref())
        .bind(actor.surface.as_str())
        .bind(detail.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One audit row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    /// Position (the list's cursor).
    pub seq: i64,
    /// Entry id (`aud_…`).
    pub id: String,
    /// The conversation.
    pub conversation_id: String,
    /// `takeover`, `reply`, `handback` or `handoff`.
    pub action: String,
    /// `internal_user` or `external_agent`.
    pub actor_kind: String,
    /// The member, for an `internal_user`.
    pub actor_member_id: Option<String>,
    /// The key (or session) the request carried.
    pub actor_key_id: Option<String>,
    /// The name shown at the time.
    pub actor_name: String,
    /// The external system's label.
    pub external_label: Option<String>,
    /// `api` or `dashboard`.
    pub surface: String,
    /// JSON object: what changed.
    pub detail: String,
    /// When.
    pub created_at: String,
}

/// Up to `limit` audit rows of a conversation, newest first, before position `before` when given.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &Db,
    org_id: &str,
    conversation_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as(LIST)
        .bind(org_id)
        .bind(conversation_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(db)
        .await
}

/// How many audit rows a conversation has.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str, conversation_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(COUNT).bind(org_id).bind(conversation_id).fetch_one(db).await
}
