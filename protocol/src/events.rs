//! The live event stream of a conversation (`GET /api/widget/conversations/:id/events`).
//!
//! Each SSE event is `id: <seq>`, `event: <kind>`, `data: <json>`; the ids number the conversation's events (1, 2,
//! 3…, no gaps), and a client reconnecting with `Last-Event-ID` gets exactly the events after it.

use serde::{Deserialize, Serialize};

pub use crate::conversation::AgentPublic;
use crate::conversation::Message;
use crate::session::PersonaPublic;

/// `data` of a `takeover` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TakeoverEvent {
    /// Who joined.
    pub agent: AgentPublic,
}

/// `data` of a `message` event: an agent's reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageEvent {
    /// The stored message (role `agent`, with `speaker_name`).
    pub message: Message,
}

/// `data` of a `handback` event: the AI answers again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandbackEvent {
    /// The persona the AI speaks as from now on.
    pub persona: Option<PersonaPublic>,
}

/// `data` of a `persona` event: a handoff switched the persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonaEvent {
    /// The persona now speaking.
    pub persona: PersonaPublic,
}

/// Any event of the stream, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// `takeover`.
    Takeover(TakeoverEvent),
    /// `message`.
    Message(MessageEvent),
    /// `handback`.
    Handback(HandbackEvent),
    /// `persona`.
    Persona(PersonaEvent),
}

/// Event kinds, as SSE `event:` names.
pub mod kind {
    /// A human agent took the conversation over.
    pub const TAKEOVER: &str = "takeover";
    /// An agent's reply.
    pub const MESSAGE: &str = "message";
    /// The agent handed the conversation back to the AI.
    pub const HANDBACK: &str = "handback";
    /// The persona changed.
    pub const PERSONA: &str = "persona";
}
