//! Who writes the AI's answers.
//!
//! A [`Responder`] turns a [`ReplyContext`] (persona, history, knowledge found for the question) into a stream of
//! text deltas. The chat endpoint owns everything else: storage, the wire protocol, cancellation. The offline
//! responder is the default, so the product works with no provider account and tests are deterministic.
//!
//! Product questions: the product panel is a `show_products` tool result the server owns (the catalog search, the
//! exact products and prices, the stream and storage). Who decides to show one depends on the responder:
//! - The offline responder does not call tools ([`Responder::calls_tools`] is false): the server searches the catalog
//!   for the question itself and hands the result over as [`ReplyContext::products`]; the responder only writes
//!   the words around it (a lead-in, or an honest "couldn't find"), and the server streams the panel after them.
//! - A model with tools ([`openai`]) is offered `show_products` when the widget has a catalog
//!   ([`ReplyContext::catalog`]) and answers with [`ReplyEvent::ShowProducts`]: the server runs that search and
//!   streams its panel the same way.
//!
//! # Layout
//! - [`offline`](OfflineResponder): answers from knowledge, no network; [`shopping`]: its product sentences.
//! - [`openai`]: an OpenAI-compatible provider (streaming chat completions, models, translation).
//! - [`models`]: the model ids a widget can pick, and which responder answers a widget.

pub mod models;
mod offline;
pub mod openai;
pub mod shopping;

pub use offline::OfflineResponder;

use futures_util::stream::BoxStream;
use quincer_protocol::conversation::Role;
use quincer_protocol::products::ProductSearch;

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
    /// The question in English search words when it was asked in another language ([`crate::catalog::glossary`]),
    /// else the question: what the knowledge and products were found with, and which sentences of a passage the
    /// offline responder quotes.
    pub search_text: String,
    /// Knowledge items matching the question, best first.
    pub knowledge: Vec<KnowledgeHit>,
    /// Set when the question is about products: what the catalog found. With matches, the server shows them in a
    /// panel after the text, so the text only leads into it; with none, the text says so (no panel is shown).
    /// Always `None` for a responder that [calls tools](Responder::calls_tools): it searches itself.
    pub products: Option<ProductMatches>,
    /// The widget has a product catalog: a responder that calls tools may call `show_products`.
    pub catalog: bool,
}

/// A responder failure; its text is shown to the visitor, so it must say nothing internal.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct ResponderError(pub String);

/// One step of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyEvent {
    /// More text (markdown), appended to the answer.
    Text(String),
    /// Show the catalog's products for this search after the text (a model's `show_products` call). Only the
    /// first one of an answer is shown: a message has one panel.
    ShowProducts(ProductSearch),
}

/// The steps of one answer; an error ends it.
pub type DeltaStream = BoxStream<'static, Result<ReplyEvent, ResponderError>>;

/// Writes answers.
pub trait Responder: Send + Sync {
    /// Starts answering; the stream ends when the answer is complete. Dropping it cancels the answer.
    ///
    /// The stream must end on its own, in bounded time, even when a network peer stalls: the visitor's widget waits
    /// for it.
    fn reply(&self, ctx: ReplyContext) -> DeltaStream;

    /// Whether this responder decides itself when to show products ([`ReplyEvent::ShowProducts`]); if not, the
    /// server searches the catalog for product questions ([`ReplyContext::products`]).
    fn calls_tools(&self) -> bool {
        false
    }
}
