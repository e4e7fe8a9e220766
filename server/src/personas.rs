//! Personas in the database, as pages may see them.

use quincer_protocol::session::PersonaPublic;
use sqlx::{Sqlite, SqliteExecutor};

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    bubble_color: String,
    url_patterns: String,
    is_default: bool,
    greeting: Option<String>,
    avatar_url: Option<String>,
    capture_leads: bool,
}

impl From<Row> for PersonaPublic {
    fn from(r: Row) -> Self {
        PersonaPublic {
            id: r.id,
            name: r.name,
            on_bubble_color: quincer_protocol::color::on_color(&r.bubble_color).into(),
            bubble_color: r.bubble_color,
            url_patterns: serde_json::from_str(&r.url_patterns).unwrap_or_default(),
            is_default: r.is_default,
            greeting: r.greeting,
            avatar_url: r.avatar_url,
            capture_leads: r.capture_leads,
        }
    }
}

const COLUMNS: &str = "SELECT id, name, bubble_color, url_patterns, is_default, greeting, avatar_url,
    capture_leads FROM personas";

/// The widget's personas, in the owner's order (no system prompts).
///
/// # Errors
/// Database errors.
pub async fn public_list<'e>(db: impl SqliteExecutor<'e>, widget_id: &str) -> Result<Vec<PersonaPublic>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as::<Sqlite, Row>(&format!("{COLUMNS} WHERE widget_id = ? ORDER BY seq"))
        .bind(widget_id)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One persona, as a page may see it.
///
/// # Errors
/// Database errors.
pub async fn public_by_id<'e>(db: impl SqliteExecutor<'e>, id: &str) -> Result<Option<PersonaPublic>, sqlx::Error> {
    let row: Option<Row> =
        sqlx::query_as::<Sqlite, Row>(&format!("{COLUMNS} WHERE id = ?")).bind(id).fetch_optional(db).await?;
    Ok(row.map(Into::into))
}

/// How the AI speaks as a persona: (name, system prompt, greeting).
///
/// # Errors
/// Database errors.
pub async fn voice<'e>(
    db: impl SqliteExecutor<'e>,
    id: Option<&str>,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT name, system_prompt, greeting FROM personas WHERE id = $1").bind(id).fetch_optional(db).await
}

/// `id` if it is a persona of widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn in_widget<'e>(
    db: impl SqliteExecutor<'e>,
    id: &str,
    widget_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM personas WHERE id = $1 AND widget_id = $2")
        .bind(id)
        .bind(widget_id)
        .fetch_optional(db)
        .await
}
