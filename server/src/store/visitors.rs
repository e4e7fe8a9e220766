//! Visitors: their sessions (a token's hash per widget), and their identity as the host page's `identify` and the
//! lead form tell it. What a merge means (traits, the lead it feeds) is decided in [`crate::visitors`].

use quincer_protocol::identify::IdentifyRequest;

use super::{now_sql, Exec};

/// The visitor a token identifies on a widget.
const BY_TOKEN: &str = "SELECT id FROM visitors WHERE token_hash = $1 AND widget_id = $2";
/// A visitor came back.
const TOUCH: &str = concat!("UPDATE visitors SET last_seen_at = ", now_sql!(), " WHERE id = $1");
/// A new visitor.
const INSERT: &str = "INSERT INTO visitors (id, widget_id, token_hash) VALUES ($1, $2, $3)";
/// A visitor's identity columns.
const IDENTITY: &str = "SELECT id, email, name, phone, external_id, traits, identified_at FROM visitors WHERE id = $1";
/// Writes the known fields `identify` gave (flags say which), and stamps it.
const SET_IDENTITY: &str = concat!(
    "UPDATE visitors SET
         email = CASE WHEN $1 THEN $2 ELSE email END,
         name = CASE WHEN $3 THEN $4 ELSE name END,
         phone = CASE WHEN $5 THEN $6 ELSE phone END,
         external_id = CASE WHEN $7 THEN $8 ELSE external_id END,
         identified_at = ",
    now_sql!(),
    ", last_seen_at = ",
    now_sql!(),
    " WHERE id = $9"
);
/// A visitor's stored traits (JSON).
const TRAITS: &str = "SELECT traits FROM visitors WHERE id = $1";
/// Replaces a visitor's traits.
const SET_TRAITS: &str = "UPDATE visitors SET traits = $1 WHERE id = $2";
/// The contact details of the lead form.
const RECORD_CONTACT: &str = concat!(
    "UPDATE visitors SET email = $1, name = COALESCE($2, name), identified_at = ",
    now_sql!(),
    " WHERE id = $3"
);
/// A visitor's widget and its organisation.
const WIDGET_AND_ORG: &str =
    "SELECT v.widget_id, w.org_id FROM visitors v JOIN widgets w ON w.id = v.widget_id WHERE v.id = $1";
/// The visitor's newest conversation with a persona that captures leads.
const CAPTURING_CONVERSATION: &str = "SELECT c.id FROM conversations c JOIN personas p ON p.id = c.persona_id
    WHERE c.visitor_id = $1 AND p.capture_leads = TRUE ORDER BY c.seq DESC LIMIT 1";

/// The visitor of widget `widget_id` whose token hashes to `token_hash`.
///
/// # Errors
/// Database errors.
pub async fn by_token<'e>(db: impl Exec<'e>, widget_id: &str, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(BY_TOKEN).bind(token_hash).bind(widget_id).fetch_optional(db).await
}

/// Records that visitor `id` came back (`last_seen_at`).
///
/// # Errors
/// Database errors.
pub async fn touch<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(TOUCH)).bind(id).execute(db).await?;
    Ok(())
}

/// Stores a new visitor `id` of widget `widget_id`, known by the hash of its token.
///
/// # Errors
/// Database errors.
pub async fn insert<'e>(db: impl Exec<'e>, id: &str, widget_id: &str, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT).bind(id).bind(widget_id).bind(token_hash).execute(db).await?;
    Ok(())
}

/// A visitor's identity columns, as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct Identity {
    /// Visitor id.
    pub id: String,
    /// Email address.
    pub email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// The host site's id for them.
    pub external_id: Option<String>,
    /// Custom traits, a JSON object.
    pub traits: String,
    /// When the host page last identified them.
    pub identified_at: Option<String>,
}

/// Visitor `id`'s identity, or `None` if it does not exist.
///
/// # Errors
/// Database errors.
pub async fn identity<'e>(db: impl Exec<'e>, id: &str) -> Result<Option<Identity>, sqlx::Error> {
    sqlx::query_as(IDENTITY).bind(id).fetch_optional(db).await
}

/// Writes the known fields of an identify request to visitor `id` (fields left out keep their values, `null`
/// clears one) and stamps `identified_at`; returns whether the visitor exists. Traits are written by
/// [`set_traits`].
///
/// # Errors
/// Database errors.
pub async fn set_identity<'e>(db: impl Exec<'e>, id: &str, patch: &IdentifyRequest) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(db.dialect().sql(SET_IDENTITY))
        .bind(patch.email.is_some())
        .bind(patch.email.clone().flatten())
        .bind(patch.name.is_some())
        .bind(patch.name.clone().flatten())
        .bind(patch.phone.is_some())
        .bind(patch.phone.clone().flatten())
        .bind(patch.external_id.is_some())
        .bind(patch.external_id.clone().flatten())
        .bind(id)
        .execute(db)
        .await?;
    Ok(updated.rows_affected() > 0)
}

/// Visitor `id`'s stored traits (a JSON object).
///
/// # Errors
/// Database errors (`RowNotFound` for no such visitor).
pub async fn traits<'e>(db: impl Exec<'e>, id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(TRAITS).bind(id).fetch_one(db).await
}

/// Replaces visitor `id`'s traits with `json` (a JSON object).
///
/// # Errors
/// Database errors.
pub async fn set_traits<'e>(db: impl Exec<'e>, id: &str, json: &str) -> Result<(), sqlx::Error> {
    sqlx::query(SET_TRAITS).bind(json).bind(id).execute(db).await?;
    Ok(())
}

/// Records the contact details a visitor gave in the lead form: their email address, and their name when given.
///
/// # Errors
/// Database errors.
pub async fn record_contact<'e>(
    db: impl Exec<'e>,
    id: &str,
    email: &str,
    name: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(RECORD_CONTACT)).bind(email).bind(name).bind(id).execute(db).await?;
    Ok(())
}

/// Visitor `id`'s widget and that widget's organisation.
///
/// # Errors
/// Database errors (`RowNotFound` for no such visitor).
pub async fn widget_and_org<'e>(db: impl Exec<'e>, id: &str) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as(WIDGET_AND_ORG).bind(id).fetch_one(db).await
}

/// Visitor `id`'s newest conversation with a persona that captures leads, if any.
///
/// # Errors
/// Database errors.
pub async fn capturing_conversation<'e>(db: impl Exec<'e>, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(CAPTURING_CONVERSATION).bind(id).fetch_optional(db).await
}
