//! The widget's state and what changes it: [`Chat`], the one owner of the reactive state, and its methods, one
//! module per concern.
//!
//! - here: the state itself (`Chat`, its messages, phase and session) and the values views draw from it (accent
//!   colours, title, greeting);
//! - [`send`]: what the visitor does: send, stop, retry, with resends after connection failures and 429s;
//! - [`live`]: the conversation's live event stream (takeover, agent messages, handback, persona changes);
//! - [`page`]: the persona follows the host page's URL until the conversation starts;
//! - [`host`]: what the host page's commands change (open, identify, shutdown) and the unread count.
//!
//! `Chat` is all signals, so it is `Copy` and can go into any closure. It is created at boot; the root component
//! ([`crate::app::App`]) and the container's delegated listener ([`crate::ui::delegate`]) hand each part of the view
//! only the signals and callbacks it uses. Each message owns its text signal: a streamed delta updates one message,
//! never the list.

pub mod host;
pub mod live;
pub mod page;
pub mod send;

use std::sync::{Arc, OnceLock};

use leptos::prelude::*;
use quincer_protocol::conversation::Role;
use quincer_protocol::events::AgentPublic;
use quincer_protocol::products::ProductPanel;
use quincer_protocol::session::{PersonaPublic, WidgetPublicConfig};
use web_sys::AbortController;

use crate::api::Api;

/// One bubble of the transcript.
///
/// Its signals are reference-counted (`Arc*`), not owned by the component that happened to create them: a message
/// created from a button that then disappears (the retry button) must outlive that button.
#[derive(Debug, Clone)]
pub struct ChatMessage {
    /// Key of the bubble in the list (the client's id for visitor messages).
    pub key: String,
    /// Who wrote it.
    pub role: Role,
    /// The text so far.
    pub text: ArcRwSignal<String>,
    /// Agent's display name, for agent messages.
    pub speaker: Option<String>,
    /// Still streaming.
    pub streaming: ArcRwSignal<bool>,
    /// A system line ("Sam joined the conversation"), not a message anyone wrote.
    pub notice: bool,
    /// Product cards shown with the text (the `show_products` tool part), once they arrived. Set once, then
    /// announced through `text`'s change notification: a signal of its own would cost wasm bytes for nothing.
    pub products: Arc<OnceLock<ProductPanel>>,
}

impl ChatMessage {
    /// A complete message.
    pub fn new(key: String, role: Role, text: String, speaker: Option<String>) -> Self {
        ChatMessage {
            key,
            role,
            text: ArcRwSignal::new(text),
            speaker,
            streaming: ArcRwSignal::new(false),
            notice: false,
            products: Arc::default(),
        }
    }

    /// A stored message, with its product panel if it has one.
    pub fn restored(m: quincer_protocol::conversation::Message) -> Self {
        use quincer_protocol::conversation::MessagePart;
        let panel = m.parts.into_iter().find_map(|p| match p {
            MessagePart::ShowProducts { output, .. } => Some(output),
            MessagePart::Text { .. } => None,
        });
        let msg = ChatMessage::new(m.id, m.role, m.text, m.speaker_name);
        if let Some(panel) = panel {
            let _ = msg.products.set(panel);
        }
        msg
    }

    /// A system line.
    pub fn notice(text: String) -> Self {
        ChatMessage { notice: true, ..ChatMessage::new(crate::browser::random_id("n"), Role::Assistant, text, None) }
    }
}

/// What the composer can do now.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Ready to send.
    Idle,
    /// A reply is streaming; the stop button shows.
    Streaming,
    /// The last request failed; the error and a retry button show.
    Failed(String),
}

/// The message a retry sends again.
#[derive(Debug, Clone)]
pub struct PendingSend {
    /// The visitor message's id (the server stores it once, however often it is sent).
    pub id: String,
    /// Its text.
    pub text: String,
    /// How many times it was resent automatically after a connection failure.
    pub attempt: u32,
    /// Its bubble's busy flag: set while it waits to be sent again.
    pub waiting: ArcRwSignal<bool>,
}

/// The whole widget state.
#[derive(Clone, Copy)]
pub struct Chat {
    /// Non-reactive session data (one `StoredValue`: each distinct stored type costs wasm bytes).
    pub session: StoredValue<Session>,
    /// In-flight requests to cancel (browser objects: thread-local storage).
    pub controllers: StoredValue<Controllers, LocalStorage>,
    /// The persona speaking.
    pub persona: RwSignal<Option<PersonaPublic>>,
    /// The transcript.
    pub messages: RwSignal<Vec<ChatMessage>>,
    /// Request state.
    pub phase: RwSignal<Phase>,
    /// Panel open.
    pub open: RwSignal<bool>,
    /// The human agent holding the conversation, while taken over.
    pub agent: RwSignal<Option<AgentPublic>>,
    /// Flips when the interface language changes: what is drawn with its strings reads it, to be drawn again (a
    /// `bool` signal: that type is already in the wasm, a new one would cost bytes).
    pub language: RwSignal<bool>,
    /// What the visitor is typing (outside the composer: it survives the panel being drawn again).
    pub draft: RwSignal<String>,
    /// Flips each time an answer is complete: the lead form (a view) then checks whether to offer itself, so the
    /// chat logic need not know it exists.
    pub answered: RwSignal<bool>,
    /// Messages from the AI or an agent that arrived while the panel was closed; the launcher shows the count.
    pub unread: RwSignal<u32>,
}

/// What the widget knows that the view does not react to.
#[derive(Debug, Clone)]
pub struct Session {
    /// Server access.
    pub api: Api,
    /// The visitor's token.
    pub visitor_token: String,
    /// Current conversation id.
    pub conversation_id: String,
    /// Widget branding.
    pub widget: WidgetPublicConfig,
    /// The visitor's language (BCP 47): sent with chat requests, and prices are formatted for it.
    pub locale: String,
    /// Every persona of the widget, for choosing by URL.
    pub personas: Vec<PersonaPublic>,
    /// What to resend on retry.
    pub last_send: Option<PendingSend>,
    /// Id of the newest live event applied: where the event stream resumes.
    pub last_event_id: i64,
    /// The live event stream is running (it starts once the conversation exists on the server).
    pub live: bool,
    /// The host shut the widget down: nothing may reconnect.
    pub stopped: bool,
}

/// Requests that can be cancelled.
#[derive(Debug, Default)]
pub struct Controllers {
    /// The streaming reply.
    pub reply: Option<AbortController>,
    /// The live event stream's current connection (aborted to reconnect at once).
    pub live: Option<AbortController>,
    /// The widget's container in the shadow root, for the parts drawn with plain DOM (the lead form).
    pub container: Option<web_sys::Element>,
}

impl Chat {
    /// Colour of the launcher and header: the persona's, else the brand's.
    pub fn accent(&self) -> String {
        self.persona
            .with(|p| p.as_ref().map(|p| p.bubble_color.clone()))
            .unwrap_or_else(|| self.session.with_value(|s| s.widget.colors.primary.clone()))
    }

    /// Text colour on top of [`Chat::accent`], as the server chose it (contrast at least 4.5:1).
    pub fn on_accent(&self) -> String {
        self.persona
            .with(|p| p.as_ref().map(|p| p.on_bubble_color.clone()))
            .unwrap_or_else(|| self.session.with_value(|s| s.widget.colors.on_primary.clone()))
    }

    /// Name in the header: the human agent's while taken over, else the persona's, else the brand.
    pub fn title(&self) -> String {
        if let Some(agent) = self.agent.with(|a| a.as_ref().map(|a| a.name.clone())) {
            return agent;
        }
        self.persona
            .with(|p| p.as_ref().map(|p| p.name.clone()))
            .unwrap_or_else(|| self.session.with_value(|s| s.widget.brand.clone()))
    }

    /// First bubble of an empty conversation.
    pub fn greeting(&self) -> String {
        self.persona
            .with(|p| p.as_ref().and_then(|p| p.greeting.clone()))
            .unwrap_or_else(|| self.session.with_value(|s| s.widget.greeting.clone()))
    }
}
