//! Conversations and their messages in the database, shared by the public and developer endpoints.

use quincer_protocol::conversation::{Conversation, ConversationStatus, Message, MessagePart, Role};
use quincer_protocol::events::AgentPublic;
use quincer_protocol::products::{ProductPanel, ProductSearch};
use serde::{Deserialize, Serialize};
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

/// A product panel as stored with its assistant message (`messages.panel`): the `show_products` tool call exactly
/// as it was streamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelCall {
    /// The streamed `toolCallId`.
    pub tool_call_id: String,
    /// The tool input (what was searched).
    pub input: ProductSearch,
    /// The panel.
    pub output: ProductPanel,
}

impl PanelCall {
    /// The restored `tool-show_products` part.
    pub fn part(&self) -> MessagePart {
        MessagePart::products(self.tool_call_id.clone(), self.input.clone(), self.output.clone())
    }
}

/// A message's parts: its text (unless empty), then its product panel.
fn parts(text: &str, panel: Option<&str>) -> Vec<MessagePart> {
    let mut parts = Vec::new();
    if !text.is_empty() || panel.is_none() {
        parts.push(MessagePart::text(text));
    }
    match panel.map(serde_json::from_str::<PanelCall>) {
        Some(Ok(call)) => parts.push(call.part()),
        // Only the server writes panels; one it cannot read back is logged and left out rather than failing the
        // whole transcript.
        Some(Err(e)) => tracing::warn!(error = %e, "a stored product panel does not decode"),
        None => {}
    }
    parts
}

/// A conversation's messages, oldest first.
///
/// # Errors
/// Database errors.
pub async fn messages(db: &SqlitePool, id: &str) -> Result<Vec<Message>, sqlx::Error> {
    // id, role, text, speaker_name, created_at, panel.
    type Row = (String, String, String, Option<String>, String, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, role, text, speaker_name, created_at, panel FROM messages WHERE conversation_id = ? ORDER BY seq",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, role, text, speaker_name, created_at, panel)| Message {
            object: "message".into(),
            id,
            // The CHECK constraint keeps roles to the three known values.
            role: Role::parse(&role).unwrap_or(Role::Assistant),
            parts: parts(&text, panel.as_deref()),
            text,
            speaker_name,
            created_at,
        })
        .collect())
}

/// Stores an agent's message in `tx` and returns it: `text` as the visitor sees it, and `original_text` when that
/// is a translation of what the agent wrote.
///
/// # Errors
/// Database errors.
pub async fn insert_agent_message(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: &str,
    text: &str,
    original_text: Option<&str>,
    speaker_name: &str,
) -> Result<Message, sqlx::Error> {
    let id = ids::new_id("msg");
    let created_at: String = sqlx::query_scalar(
        "INSERT INTO messages (id, conversation_id, role, text, original_text, speaker_name)
         VALUES (?, ?, 'agent', ?, ?, ?) RETURNING created_at",
    )
    .bind(&id)
    .bind(conversation_id)
    .bind(text)
    .bind(original_text)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_text_then_panel() {
        let panel = r#"{"tool_call_id":"call_1","input":{"query":"jacket"},"output":{"currency":"USD","products":[]}}"#;
        let restored = parts("Here you go:", Some(panel));
        assert_eq!(restored.len(), 2);
        assert_eq!(
            serde_json::to_value(&restored[1]).unwrap(),
            serde_json::json!({"type": "tool-show_products", "toolCallId": "call_1", "state": "output-available",
                "input": {"query": "jacket"}, "output": {"currency": "USD", "products": []}})
        );
        assert_eq!(parts("", Some(panel)).len(), 1, "a panel-only message has no empty text part");
        assert_eq!(parts("", None), vec![MessagePart::text("")]);
        assert_eq!(parts("hi", Some("{not json")), vec![MessagePart::text("hi")]);
    }
}
