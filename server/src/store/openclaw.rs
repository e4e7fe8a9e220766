//! What the OpenClaw integration ([`crate::openclaw`]) reads: an organisation's OpenClaw member and its keys.

use super::Exec;

/// The member of organisation `$1` with email `$2` (without regard to case).
const MEMBER_BY_EMAIL: &str = "SELECT id FROM members WHERE org_id = $1 AND lower(email) = lower($2)";
/// The active (unrevoked) developer keys bound to member `$1`.
const ACTIVE_KEYS: &str = "SELECT COUNT(*) FROM developer_keys WHERE member_id = $1 AND revoked_at IS NULL";

/// The id of organisation `org_id`'s member whose email is `email`, if any.
///
/// # Errors
/// Database errors.
pub async fn member_by_email<'e>(db: impl Exec<'e>, org_id: &str, email: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(MEMBER_BY_EMAIL).bind(org_id).bind(email).fetch_optional(db).await
}

/// How many unrevoked developer keys are bound to member `member_id`.
///
/// # Errors
/// Database errors.
pub async fn active_keys<'e>(db: impl Exec<'e>, member_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(ACTIVE_KEYS).bind(member_id).fetch_one(db).await
}
