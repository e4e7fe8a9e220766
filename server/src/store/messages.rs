//! A conversation's messages: the visitor's (`user`), the AI's (`assistant`) and human agents' (`agent`).
//!
//! Message ids come from clients (AI SDK ids), so they are unique per conversation; `seq` orders them.

use quincer_protocol::conversation::{Message, MessagePart, Role};
use quincer_protocol::products::{ProductPanel, ProductSearch};
use serde::{Deserialize, Serialize};

use super::{Db, Exec, Tx};
use crate::ids;

/// A conversation's messages, oldest first.
const TRANSCRIPT: &str =
    "SELECT id, role, text, speaker_name, created_at, panel FROM messages WHERE conversation_id = $1 ORDER BY seq";
/// Stores a visitor message unless its id is taken (a retry); returns its time when it was new.
const INSERT_USER: &str = "INSERT INTO messages (id, conversation_id, role, text) VALUES ($1, $2, 'user', $3)
    ON CONFLICT (conversation_id, id) DO NOTHING RETURNING created_at";
/// Stores an assistant answer.
const INSERT_ASSISTANT: &str =
    "INSERT INTO messages (id, conversation_id, role, text, persona_id, panel, product_query)
    VALUES ($1, $2, 'assistant', $3, $4, $5, $6)";
/// Stores an agent's reply.
const INSERT_AGENT: &str = "INSERT INTO messages (id, conversation_id, role, text, original_text, speaker_name)
    VALUES ($1, $2, 'agent', $3, $4, $5) RETURNING created_at";
/// One message by id.
const FIND: &str = "SELECT seq, role, text FROM messages WHERE conversation_id = $1 AND id = $2";
/// Whether a visitor message follows a position.
const NEWER_USER: &str = "SELECT seq FROM messages WHERE conversation_id = $1 AND role = 'user' AND seq > $2 LIMIT 1";
/// The answers after a position (replaced when the question is answered again).
const DELETE_ANSWERS_AFTER: &str =
    "DELETE FROM messages WHERE conversation_id = $1 AND role = 'assistant' AND seq > $2";
/// The newest messages before a position, newest first.
const HISTORY: &str =
    "SELECT role, text FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3";
/// The newest answer before a position: its product query and panel.
const PREVIOUS_ANSWER: &str = "SELECT product_query, panel FROM messages
    WHERE conversation_id = $1 AND seq < $2 AND role = 'assistant' ORDER BY seq DESC LIMIT 1";

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
pub async fn transcript<'e>(db: impl Exec<'e>, conversation_id: &str) -> Result<Vec<Message>, sqlx::Error> {
    // id, role, text, speaker_name, created_at, panel.
    type Row = (String, String, String, Option<String>, String, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(TRANSCRIPT).bind(conversation_id).fetch_all(db).await?;
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

/// Stores the visitor's message `id` unless the conversation already has a message with that id (a retried
/// send keeps its first text). Returns its creation time when it was stored now, `None` for a retry.
///
/// # Errors
/// Database errors.
pub async fn insert_user(
    tx: &mut Tx<'_>,
    conversation_id: &str,
    id: &str,
    text: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(INSERT_USER).bind(id).bind(conversation_id).bind(text).fetch_optional(&mut **tx).await
}

/// An assistant answer to store.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The message id (streamed in `start`).
    pub id: &'a str,
    /// Its text, as streamed.
    pub text: &'a str,
    /// The persona it spoke as.
    pub persona_id: Option<&'a str>,
    /// The product panel shown after the text, as JSON ([`PanelCall`]).
    pub panel: Option<&'a str>,
    /// The product query it answered, as JSON, for follow-ups.
    pub product_query: Option<&'a str>,
}

/// Stores an assistant answer.
///
/// # Errors
/// Database errors.
pub async fn insert_assistant(tx: &mut Tx<'_>, conversation_id: &str, answer: Answer<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_ASSISTANT)
        .bind(answer.id)
        .bind(conversation_id)
        .bind(answer.text)
        .bind(answer.persona_id)
        .bind(answer.panel)
        .bind(answer.product_query)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores an agent's message in `tx` and returns it: `text` as the visitor sees it, and `original_text` when that
/// is a translation of what the agent wrote.
///
/// # Errors
/// Database errors.
pub async fn insert_agent(
    tx: &mut Tx<'_>,
    conversation_id: &str,
    text: &str,
    original_text: Option<&str>,
    speaker_name: &str,
) -> Result<Message, sqlx::Error> {
    let id = ids::new_id("msg");
    let created_at: String = sqlx::query_scalar(INSERT_AGENT)
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

/// A stored message's position, role and text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    /// Its position in the conversation (`seq`, increasing).
    pub seq: i64,
    /// `user`, `assistant` or `agent`.
    pub role: String,
    /// Its text.
    pub text: String,
}

/// The message `id` of `conversation_id`.
///
/// # Errors
/// Database errors (`RowNotFound` when there is none).
pub async fn find(db: &Db, conversation_id: &str, id: &str) -> Result<Stored, sqlx::Error> {
    sqlx::query_as(FIND).bind(conversation_id).bind(id).fetch_one(db).await
}

/// Whether the visitor wrote again after position `seq`.
///
/// # Errors
/// Database errors.
pub async fn newer_user_exists(db: &Db, conversation_id: &str, seq: i64) -> Result<bool, sqlx::Error> {
    let newer: Option<i64> = sqlx::query_scalar(NEWER_USER).bind(conversation_id).bind(seq).fetch_optional(db).await?;
    Ok(newer.is_some())
}

/// Deletes the assistant answers after position `seq` (the question there is being answered again).
///
/// # Errors
/// Database errors.
pub async fn delete_answers_after(tx: &mut Tx<'_>, conversation_id: &str, seq: i64) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE_ANSWERS_AFTER).bind(conversation_id).bind(seq).execute(&mut **tx).await?;
    Ok(())
}

/// Up to `limit` messages before position `seq`, oldest first: (role, text).
///
/// # Errors
/// Database errors.
pub async fn history(
    db: &Db,
    conversation_id: &str,
    seq: i64,
    limit: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut rows: Vec<(String, String)> =
        sqlx::query_as(HISTORY).bind(conversation_id).bind(seq).bind(limit).fetch_all(db).await?;
    rows.reverse();
    Ok(rows)
}

/// The newest assistant answer before position `seq`: its product query and panel, as stored (JSON).
///
/// # Errors
/// Database errors.
pub async fn previous_answer(
    db: &Db,
    conversation_id: &str,
    seq: i64,
) -> Result<(Option<String>, Option<String>), sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as(PREVIOUS_ANSWER).bind(conversation_id).bind(seq).fetch_optional(db).await?;
    Ok(row.unwrap_or_default())
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
