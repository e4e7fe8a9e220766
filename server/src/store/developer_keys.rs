//! Developer keys (`cw_dev_…`): minted by the CLI and the demo seed ([`crate::provision`]), checked on every
//! `/api/v1` request ([`crate::auth::DevAuth`]). Only a key's hash is stored.

use super::{Db, Exec};

/// A new key.
const INSERT: &str = "INSERT INTO developer_keys (id, org_id, key_hash, prefix, name, scopes, member_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
/// What a request needs of the key it carries.
const BY_HASH: &str = "SELECT id, org_id, scopes, revoked_at, member_id FROM developer_keys WHERE key_hash = $1";
/// Revokes the active keys bound to a member.
const REVOKE_OF_MEMBER: &str = concat!(
    "UPDATE developer_keys SET revoked_at = ",
    super::now_sql!(),
    " WHERE member_id = $1 AND revoked_at IS NULL"
);
/// A key's name.
const NAME: &str = "SELECT name FROM developer_keys WHERE id = $1";

/// A developer key to store.
#[derive(Debug)]
pub struct NewKey<'a> {
    /// Key id.
    pub id: &'a str,
    /// Its organisation.
    pub org_id: &'a str,
    /// The hash of the key ([`crate::ids::hash_secret`]).
    pub key_hash: &'a str,
    /// The key's first characters, to recognise it by.
    pub prefix: &'a str,
    /// Its name (may be empty).
    pub name: &'a str,
    /// Granted scopes, space-separated.
    pub scopes: &'a str,
    /// The team member the key acts as, if bound to one.
    pub member_id: Option<&'a str>,
}

/// Stores a developer key.
///
/// # Errors
/// Database errors.
pub async fn insert<'e>(db: impl Exec<'e>, key: &NewKey<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(key.id)
        .bind(key.org_id)
        .bind(key.key_hash)
        .bind(key.prefix)
        .bind(key.name)
        .bind(key.scopes)
        .bind(key.member_id)
        .execute(db)
        .await?;
    Ok(())
}

/// A stored developer key, as a request checks it.
#[derive(Debug, sqlx::FromRow)]
pub struct Credential {
    /// Key id.
    pub id: String,
    /// Its organisation.
    pub org_id: String,
    /// Granted scopes, space-separated.
    pub scopes: String,
    /// When it was revoked; `None` while active.
    pub revoked_at: Option<String>,
    /// The team member the key acts as, if bound to one.
    pub member_id: Option<String>,
}

/// The key whose hash is `key_hash`, or `None` for an unknown key.
///
/// # Errors
/// Database errors.
pub async fn by_hash(db: &Db, key_hash: &str) -> Result<Option<Credential>, sqlx::Error> {
    sqlx::query_as(BY_HASH).bind(key_hash).fetch_optional(db).await
}

/// The name developer key `key_id` was given (may be empty); a takeover shows it as the agent's.
///
/// # Errors
/// Database errors (`RowNotFound` for no such key).
pub async fn name(db: &Db, key_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(NAME).bind(key_id).fetch_one(db).await
}

/// Revokes every active key bound to member `member_id` (the member is being removed: its keys must not live on
/// as keys of nobody); returns how many.
///
/// # Errors
/// Database errors.
pub async fn revoke_of_member<'e>(db: impl Exec<'e>, member_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(db.dialect().sql(REVOKE_OF_MEMBER)).bind(member_id).execute(db).await?.rows_affected())
}
