//! Transcripts: what `GET /api/widget/conversations/:id` returns for restore.

use serde::{Deserialize, Serialize};

/// The human (or external) agent holding a conversation, as the visitor sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentPublic {
    /// Display name.
    pub name: String,
    /// Avatar image URL, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The visitor.
    User,
    /// The AI, speaking as a persona.
    Assistant,
    /// A human (or external) agent who took the conversation over.
    Agent,
}

impl Role {
    /// The wire name, as stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Agent => "agent",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "user" => Some(Role::User),
            "assistant" => Some(Role::Assistant),
            "agent" => Some(Role::Agent),
            _ => None,
        }
    }
}

/// Who is answering the visitor right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// The AI answers.
    Active,
    /// A human agent took over; the AI is quiet.
    HumanActive,
    /// Ended.
    Closed,
}

/// A conversation with its transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    /// Always `"conversation"`.
    pub object: String,
    /// Conversation id.
    pub id: String,
    /// Widget it belongs to.
    pub widget_id: String,
    /// Who answers now.
    pub status: ConversationStatus,
    /// The persona the AI speaks as in this conversation.
    pub persona_id: Option<String>,
    /// The human agent holding the conversation, while `status` is `human_active`.
    #[serde(default)]
    pub agent: Option<AgentPublic>,
    /// Id of the newest live event: open the event stream with `Last-Event-ID` set to it to miss nothing.
    #[serde(default)]
    pub last_event_id: i64,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
    /// Messages, oldest first.
    pub messages: Vec<Message>,
}

/// One message of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// Always `"message"`.
    pub object: String,
    /// Message id (unique within its conversation).
    pub id: String,
    /// Who wrote it.
    pub role: Role,
    /// The whole text.
    pub text: String,
    /// The message as AI SDK parts, so an AI SDK client can restore it as `UIMessage`s (map the `agent` role,
    /// which the AI SDK does not have, to `assistant` and show `speaker_name`): its text, then its product panel.
    pub parts: Vec<MessagePart>,
    /// The agent's display name, for agent messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_name: Option<String>,
    /// RFC 3339 time it was stored.
    pub created_at: String,
}

/// One part of a stored message, shaped like the AI SDK's `UIMessage` parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type")]
// Parts live in short vectors of a transcript; boxing the panel would change the pattern every reader matches on
// (the widget included) to save a few hundred bytes per text part.
#[allow(clippy::large_enum_variant)]
pub enum MessagePart {
    /// Text (markdown for AI and agent messages).
    #[serde(rename = "text")]
    Text {
        /// The text.
        text: String,
    },
    /// A product panel: a `show_products` tool call in state `output-available`.
    #[serde(rename = "tool-show_products")]
    ShowProducts {
        /// The tool call id, as it was streamed.
        #[serde(rename = "toolCallId")]
        tool_call_id: String,
        /// Always `"output-available"`.
        state: String,
        /// What the products were searched for.
        input: crate::products::ProductSearch,
        /// The panel.
        output: crate::products::ProductPanel,
    },
}

impl MessagePart {
    /// A text part.
    pub fn text(text: impl Into<String>) -> Self {
        MessagePart::Text { text: text.into() }
    }

    /// A finished `show_products` tool part.
    pub fn products(
        tool_call_id: impl Into<String>,
        input: crate::products::ProductSearch,
        output: crate::products::ProductPanel,
    ) -> Self {
        MessagePart::ShowProducts { tool_call_id: tool_call_id.into(), state: "output-available".into(), input, output }
    }
}
