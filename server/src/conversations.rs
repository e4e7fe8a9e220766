//! Conversations and their messages in the database, shared by the public and developer endpoints.

use quincer_protocol::conversation::{Conversation, ConversationStatus, Message, MessagePart, Role};
use quincer_protocol::events::AgentPublic;
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::{events, ids};

/// Loads a conversation and its whole transcript, or `None` if it does not exist.
///
/// # Errors
/// Database errors.
pub async fn load(db: &SqlitePool, id: &str) -> Result<Option<Conversation>, sqlx::Error> {
    type Row = (String, String, Option<String>, Option<String>, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT widget_id, status, persona_id, takeover_actor_name, created_at, updated_at
         FROM conversations WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some((widget_id, status, persona_id, actor, created_at, updated_at)) = row else { return Ok(None) };
    let status = parse_status(&status);
    Ok(Some(Conversation {
        object: "conversation".into(),
        id: id.to_owned(),
        widget_id,
        agent: actor
            .filter(|_| status == ConversationStatus::HumanActive)
            .map(|name| AgentPublic { name, avatar_url: None }),
        status,
        persona_id,
        created_at,
        updated_at,
        last_event_id: events::latest(db, id).await?,
        messages: messages(db, id).await?,
    }))
}

/// A conversation's messages, oldest first.
///
/// # Errors
/// Database errors.
pub async fn messages(db: &SqlitePool, id: &str) -> Result<Vec<Message>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, role, text, speaker_name, created_at FROM messages WHERE conversation_id = ? ORDER BY seq",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, role, text, speaker_name, created_at)| Message {
            object: "message".into(),
            id,
            // The CHECK constraint keeps roles to the three known values.
            role: Role::parse(&role).unwrap_or(Role::Assistant),
            parts: vec![MessagePart::text(text.clone())],
            text,
            speaker_name,
            created_at,
        })
        .collect())
}

/// Stores an agent's message in `tx` and returns it.
///
/// # Errors
/// Database errors.
pub async fn insert_agent_message(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: &str,
    text: &str,
    speaker_name: &str,
) -> Result<Message, sqlx::Error> {
    let id = ids::new_id("msg");
    let created_at: String = sqlx::query_scalar(
        "INSERT INTO messages (id, conversation_id, role, text, speaker_name) VALUES (?, ?, 'agent', ?, ?)
         RETURNING created_at",
    )
    .bind(&id)
    .bind(conversation_id)
    .bind(text)
    .bind(speaker_name)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Message {
        object: "message".into(),
        id,
        role: Role::Agent,
        text: text.to_owned(),
        parts: vec![MessagePart::text(text)],
        speaker_name: Some(speaker_name.to_owned()),
        created_at,
    })
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
