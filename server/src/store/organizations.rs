//! Organisations: created by the CLI and the demo seed ([`crate::provision`]); `keys create` checks one exists.

use super::Exec;

/// A new organisation.
const INSERT: &str = "INSERT INTO organizations (id, name) VALUES ($1, $2)";
/// An organisation's id, if it exists.
const EXISTS: &str = "SELECT id FROM organizations WHERE id = $1";

/// Stores organisation `id`.
///
/// # Errors
/// Database errors.
pub async fn insert<'e>(db: impl Exec<'e>, id: &str, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT).bind(id).bind(name).execute(db).await?;
    Ok(())
}

/// Whether organisation `id` exists.
///
/// # Errors
/// Database errors.
pub async fn exists<'e>(db: impl Exec<'e>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(EXISTS).bind(id).fetch_optional(db).await?;
    Ok(found.is_some())
}
