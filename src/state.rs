//! The widget's reactive state.
//!
//! One [`Chat`] handle (all signals, so it is `Copy` and can go into any closure) is created at mount and given to
//! every component. Each message owns its text signal: a streamed delta updates one message, never the list.

use leptos::prelude::*;
use quincer_protocol::conversation::Role;
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
}

impl ChatMessage {
    /// A complete message.
    pub fn new(key: String, role: Role, text: String, speaker: Option<String>) -> Self {
        ChatMessage { key, role, text: ArcRwSignal::new(text), speaker, streaming: ArcRwSignal::new(false) }
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
}

/// The whole widget state.
#[derive(Clone, Copy)]
pub struct Chat {
    /// Server access.
    pub api: StoredValue<Api>,
    /// The visitor's token.
    pub visitor_token: StoredValue<String>,
    /// Current conversation id.
    pub conversation_id: StoredValue<String>,
    /// The page URL at mount.
    pub page_url: StoredValue<String>,
    /// Widget branding.
    pub widget: StoredValue<WidgetPublicConfig>,
    /// The persona speaking.
    pub persona: RwSignal<Option<PersonaPublic>>,
    /// The transcript.
    pub messages: RwSignal<Vec<ChatMessage>>,
    /// Request state.
    pub phase: RwSignal<Phase>,
    /// Panel open.
    pub open: RwSignal<bool>,
    /// What to resend on retry.
    pub last_send: StoredValue<Option<PendingSend>>,
    /// Cancels the streaming request (browser object: lives in thread-local storage).
    pub abort: StoredValue<Option<AbortController>, LocalStorage>,
}

impl Chat {
    /// Colour of the launcher and header: the persona's, else the brand's.
    pub fn accent(&self) -> String {
        self.persona
            .with(|p| p.as_ref().map(|p| p.bubble_color.clone()))
            .unwrap_or_else(|| self.widget.with_value(|w| w.colors.primary.clone()))
    }

    /// Text colour on top of [`Chat::accent`].
    pub fn on_accent(&self) -> &'static str {
        quincer_protocol::color::on_color(&self.accent())
    }

    /// Name in the header: the persona's, else the brand.
    pub fn title(&self) -> String {
        self.persona
            .with(|p| p.as_ref().map(|p| p.name.clone()))
            .unwrap_or_else(|| self.widget.with_value(|w| w.brand.clone()))
    }

    /// First bubble of an empty conversation.
    pub fn greeting(&self) -> String {
        self.persona
            .with(|p| p.as_ref().and_then(|p| p.greeting.clone()))
            .unwrap_or_else(|| self.widget.with_value(|w| w.greeting.clone()))
    }
}
