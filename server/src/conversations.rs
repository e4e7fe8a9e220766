//! Conversations and their messages in the database, shared by the public and developer endpoints.

use quincer_protocol::conversation::{Conversation, ConversationStatus, Message, Role, TextPart};
use sqlx::SqlitePool;

/// Loads a conversation and its whole transcript, or `None` if it does not exist.
///
/// # Errors
/// Database errors.
pub async fn load(db: &SqlitePool, id: &str) -> Result<Option<Conversation>, sqlx::Error> {
    let row: Option<(String, String, Option<String>, String, String)> =
        sqlx::query_as("SELECT widget_id, status, persona_id, created_at, updated_at FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_optional(db)
            .await?;
    let Some((widget_id, status, persona_id, created_at, updated_at)) = row else { return Ok(None) };
    let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, role, text, speaker_name, created_at FROM messages WHERE conversation_id = ? ORDER BY seq",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let messages = rows
        .into_iter()
        .map(|(id, role, text, speaker_name, created_at)| Message {
            object: "message".into(),
            id,
            // The CHECK constraint keeps roles to the three known values.
            role: Role::parse(&role).unwrap_or(Role::Assistant),
            parts: vec![TextPart::new(text.clone())],
            text,
            speaker_name,
            created_at,
        })
        .collect();
    Ok(Some(Conversation {
        object: "conversation".into(),
        id: id.to_owned(),
        widget_id,
        status: parse_status(&status),
        persona_id,
        created_at,
        updated_at,
        messages,
    }))
}

/// Parses a stored status.
pub fn parse_status(s: &str) -> ConversationStatus {
    match s {
        "human_active" => ConversationStatus::HumanActive,
        "closed" => ConversationStatus::Closed,
        _ => ConversationStatus::Active,
    }
}

/// Marks a conversation as changed now.
///
/// # Errors
/// Database errors.
pub async fn touch(db: &SqlitePool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
