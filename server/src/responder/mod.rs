//! Who writes the AI's answers.
//!
//! A [`Responder`] turns a [`ReplyContext`] (persona, history, knowledge found for the question) into a stream of
//! text deltas. The chat endpoint owns everything else: storage, the wire protocol, cancellation. The offline
//! responder is the default, so the product works with no provider account and tests are deterministic.
//!
//! Product questions: the server searches the catalog itself and hands the result to the responder as
//! [`ReplyContext::products`]. The responder only writes the words around it (a lead-in, or an honest "couldn't
//! find"); the product panel is a `show_products` tool result the server owns and streams after the text, so every
//! responder (offline or a model provider) shows the same, exact products and prices.

mod offline;
pub mod shopping;

pub use offline::OfflineResponder;

use futures_util::stream::BoxStream;
use quincer_protocol::conversation::Role;

use crate::catalog::ProductMatches;
use crate::knowledge::KnowledgeHit;

/// The persona the AI speaks as.
#[derive(Debug, Clone, Default)]
pub struct PersonaVoice {
    /// Display name.
    pub name: String,
    /// The site owner's instructions (used verbatim by model providers).
    pub system_prompt: String,
    /// The persona's greeting, if any.
    pub greeting: Option<String>,
}

/// Everything a responder may use to answer.
#[derive(Debug, Clone)]
pub struct ReplyContext {
    /// The brand the widget belongs to.
    pub brand: String,
    /// Who is speaking.
    pub persona: PersonaVoice,
    /// Earlier messages, oldest first (without the question).
    pub history: Vec<(Role, String)>,
    /// The visitor's newest message.
    pub question: String,
    /// Knowledge items matching the question, best first.
    pub knowledge: Vec<KnowledgeHit>,
    /// Set when the question is about products: what the catalog found. With matches, the server shows them in a
    /// panel after the text, so the text only leads into it; with none, the text says so (no panel is shown).
    pub products: Option<ProductMatches>,
}

/// A responder failure; its text is shown to the visitor, so it must say nothing internal.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct ResponderError(pub String);

/// Text deltas of one answer.
pub type DeltaStream = BoxStream<'static, Result<String, ResponderError>>;

/// Writes answers.
pub trait Responder: Send + Sync {
    /// Starts answering; the stream ends when the answer is complete. Dropping it cancels the answer.
    fn reply(&self, ctx: ReplyContext) -> DeltaStream;
}
