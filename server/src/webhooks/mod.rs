//! Webhooks: signed event deliveries from a persisted queue.
//!
//! Producers call [`enqueue`] inside the transaction that makes the change, so an event is queued if and only if
//! the change is stored. A background [`Dispatcher`] posts due deliveries, retries failures with exponential
//! backoff, counts consecutive failures per subscription and deactivates one that keeps failing. Because the queue
//! is a table, a restart resumes exactly where the previous process stopped.

mod dispatcher;
mod signing;

pub use dispatcher::{Dispatcher, RetryPolicy};
pub use signing::signature;

use crate::ids;
use crate::store::{self, Tx};
use serde::Serialize;

/// Every event a subscription can ask for (API reference, "Webhooks").
pub const EVENTS: &[&str] = &[
    "conversation.message_received",
    "conversation.takeover",
    "conversation.handback",
    "lead.created",
    "lead.updated",
    "lead.stage_changed",
    "task.created",
    "task.completed",
    "email.sent",
    "email.draft_created",
];

/// Queues `payload` for every active subscription of `org_id` that asked for `event`; returns how many.
/// Call [`Dispatcher::wake`] after the commit.
///
/// # Errors
/// Database errors.
pub async fn enqueue(tx: &mut Tx<'_>, org_id: &str, event: &str, payload: &impl Serialize) -> Result<u64, sqlx::Error> {
    let body = serde_json::to_string(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let subscribers = store::webhooks::subscribers(tx, org_id, event).await?;
    for webhook_id in &subscribers {
        store::webhooks::insert_delivery(tx, &ids::new_id("whd"), webhook_id, event, &body).await?;
    }
    Ok(subscribers.len() as u64)
}

/// Payload of `conversation.takeover` and `conversation.handback`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TakeoverPayload {
    /// Always `"conversation"`: the resource the event is about.
    pub object: &'static str,
    /// The event name.
    pub event: &'static str,
    /// Conversation id.
    pub conversation_id: String,
    /// Widget id.
    pub widget_id: String,
    /// `internal_user` (a team member) or `external_agent` (a developer key bound to no member).
    pub actor_kind: &'static str,
    /// The member's id for an `internal_user`, the developer key's id for an `external_agent`.
    pub actor_user_id: String,
    /// The agent's display name.
    pub actor_name: String,
    /// The member's avatar URL, if they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_avatar_url: Option<String>,
    /// Label of the external system, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_label: Option<String>,
    /// Where it happened: `api` (the developer API) or `dashboard` (the inbox).
    pub surface: &'static str,
    /// The conversation's status after the event.
    pub status: &'static str,
    /// When it happened (RFC 3339).
    pub timestamp: String,
}

/// Payload of `conversation.message_received`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageReceivedPayload {
    /// Always `"message"`: the resource the event is about.
    pub object: &'static str,
    /// The event name.
    pub event: &'static str,
    /// Message id.
    pub message_id: String,
    /// Conversation id.
    pub conversation_id: String,
    /// Widget id.
    pub widget_id: String,
    /// Visitor id.
    pub visitor_id: String,
    /// The visitor's text.
    pub text: String,
    /// `active` (the AI answers) or `human_active` (an agent is driving).
    pub status: String,
    /// When it was received (RFC 3339).
    pub timestamp: String,
}
