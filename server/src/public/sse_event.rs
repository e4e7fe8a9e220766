//! How the OpenAPI document describes the public endpoints' event streams.

use serde::Serialize;
use utoipa::ToSchema;

/// One event of a `text/event-stream` answer, as an SSE client reads it (OpenAPI 3.1 has no way to say "a
/// stream of", so the `text/event-stream` schemas describe each event).
#[derive(Debug, Serialize, ToSchema)]
pub struct SseEvent {
    /// The event's data: one JSON value (or `[DONE]`, the chat stream's last event).
    pub data: String,
    /// The event type (`message` when the server names none).
    pub event: String,
    /// The event id, for `Last-Event-ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Reconnection delay suggested to the client, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<u64>,
}
