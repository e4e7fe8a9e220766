//! Whether the credential a long-lived stream was opened with still works: a developer key not revoked (and, when
//! bound to a member, the member not disabled), or a sign-in session neither revoked nor expired of a member not
//! disabled. The organisation stream (`GET /api/v1/conversations/events`) asks before it sends anything, so
//! revoking a key, signing out or disabling a member stops the feed.

use super::{now_sql, Exec};

/// A developer key still works.
const KEY_ACTIVE: &str = "SELECT COUNT(*) FROM developer_keys k LEFT JOIN members m ON m.id = k.member_id
    WHERE k.id = $1 AND k.revoked_at IS NULL AND m.disabled_at IS NULL";
/// A sign-in session still works.
const SESSION_ACTIVE: &str = concat!(
    "SELECT COUNT(*) FROM member_sessions s JOIN members m ON m.id = s.member_id
    WHERE s.id = $1 AND s.revoked_at IS NULL AND m.disabled_at IS NULL AND s.expires_at > ",
    now_sql!()
);

/// Whether credential `id` (a developer key's `key_…` id or a session's `ses_…` id, as `DevAuth::key_id` holds
/// it) still works.
///
/// # Errors
/// Database errors.
pub async fn active<'e>(db: impl Exec<'e>, id: &str) -> Result<bool, sqlx::Error> {
    let sql = if id.starts_with("ses_") { db.dialect().sql(SESSION_ACTIVE) } else { KEY_ACTIVE };
    let n: i64 = sqlx::query_scalar(sql).bind(id).fetch_one(db).await?;
    Ok(n > 0)
}
