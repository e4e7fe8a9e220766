//! From [`crate::mount`] to a running widget.
//!
//! The session call comes first: it tells us whether the key is good, who the visitor is and what the widget
//! looks like. Nothing is drawn until it succeeds, so a bad key leaves the page exactly as it was.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Reflect;
use leptos::prelude::*;
use quincer_protocol::keys::validate_widget_key;
use quincer_protocol::session::SessionRequest;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::ShadowRoot;

use crate::api::{Api, ApiFailure};
use crate::app::App;
use crate::browser::{console_error, random_id, sleep_ms};
use crate::chat::{Chat, ChatMessage, Controllers, Phase, Session};
use crate::storage::{self, Slot};

/// Session attempts before giving up on an unreachable server.
const SESSION_ATTEMPTS: u32 = 3;

/// What the loader passes to [`crate::mount`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Public widget key.
    pub widget_key: String,
    /// quincer-server origin.
    pub api_base: String,
    /// The host page's URL.
    pub page_url: String,
    /// The language the host page asked for before the widget loaded (`Quincer('setLocale')`), if any.
    pub locale: Option<String>,
}

impl Config {
    /// Reads and checks the options object.
    ///
    /// # Errors
    /// A message naming the fix: missing or wrong-kind key, missing API base.
    pub fn from_js(options: &JsValue) -> Result<Config, String> {
        let field = |name: &str| Reflect::get(options, &name.into()).ok().and_then(|v| v.as_string());
        let widget_key = field("widgetKey").unwrap_or_default().trim().to_owned();
        validate_widget_key(&widget_key).map_err(|e| e.to_string())?;
        let api_base = field("apiBase")
            .filter(|b| !b.is_empty())
            .ok_or("no API base: set data-api-base on the Quincer <script> tag")?
            .trim_end_matches('/')
            .to_owned();
        let page_url =
            field("pageUrl").or_else(|| web_sys::window().and_then(|w| w.location().href().ok())).unwrap_or_default();
        // The loader passes only a well-formed tag.
        let locale = field("locale");
        Ok(Config { widget_key, api_base, page_url, locale })
    }
}

/// Starts a session, restores the conversation and mounts the app into `root`.
pub async fn boot(root: ShadowRoot, config: Config, open: RwSignal<bool>, handle: Rc<Cell<Option<Chat>>>) {
    let api = Api { base: config.api_base.clone(), key: config.widget_key.clone() };
    let key = config.widget_key.as_str();
    let request = SessionRequest {
        visitor_token: storage::get(key, Slot::VisitorToken),
        page_url: Some(config.page_url.clone()),
        // The browser's languages go as the request's `Accept-Language`.
        locale: config.locale.clone(),
    };
    let mut attempt = 0;
    let (session, strings) = loop {
        attempt += 1;
        match api.session(&request).await {
            Ok(s) => break s,
            Err(ApiFailure::Http(status @ (401 | 403), msg)) => {
                withdraw(&root);
                return console_error(&format!(
                    "the server refused the widget key ({status}: {msg}). Check data-widget-key on the Quincer \
                     <script> tag: it must be an active cw_live_ key of this widget."
                ));
            }
            Err(e) if attempt >= SESSION_ATTEMPTS => {
                withdraw(&root);
                return console_error(&format!(
                    "could not start a chat session at {}: {}",
                    config.api_base,
                    e.detail()
                ));
            }
            Err(_) => sleep_ms(500 * attempt).await,
        }
    };
    storage::set(key, Slot::VisitorToken, &session.visitor_token);
    crate::i18n::install(strings, &session.interface.locale, &session.interface.direction);

    // Restore the last conversation if the server still has it for this visitor.
    let stored = storage::get(key, Slot::ConversationId);
    let restored = match stored {
        Some(id) => api.transcript(&session.visitor_token, &id).await.ok().flatten(),
        None => None,
    };
    if restored.is_none() {
        storage::remove(key, Slot::ConversationId);
    }
    let conversation_id = restored.as_ref().map(|c| c.id.clone()).unwrap_or_else(|| random_id("conv"));
    // A restored conversation keeps its own persona (a handoff may have changed it); otherwise the one the server
    // chose for the page's URL.
    let conversation_persona = restored.as_ref().and_then(|c| c.persona_id.clone());
    let persona = session
        .personas
        .iter()
        .find(|p| Some(&p.id) == conversation_persona.as_ref())
        .or_else(|| session.personas.iter().find(|p| Some(&p.id) == session.persona_id.as_ref()))
        .cloned();
    let live = restored.as_ref().map(|c| (c.agent.clone(), c.last_event_id));
    let messages: Vec<ChatMessage> =
        restored.map(|c| c.messages.into_iter().map(ChatMessage::restored).collect()).unwrap_or_default();

    let chat = Chat {
        session: StoredValue::new(Session {
            api,
            visitor_token: session.visitor_token,
            conversation_id,
            widget: session.widget,
            locale: session.interface.visitor_locale,
            personas: session.personas,
            last_send: None,
            last_event_id: live.as_ref().map_or(0, |(_, id)| *id),
            live: false,
            stopped: false,
        }),
        controllers: StoredValue::new_local(Controllers::default()),
        persona: RwSignal::new(persona),
        messages: RwSignal::new(messages),
        phase: RwSignal::new(Phase::Idle),
        open,
        agent: RwSignal::new(live.as_ref().and_then(|(agent, _)| agent.clone())),
        language: RwSignal::new(false),
        draft: RwSignal::new(String::new()),
        answered: RwSignal::new(false),
        unread: RwSignal::new(0),
    };
    if attach(&root, chat, &config.api_base).is_err() {
        return console_error("could not draw the widget into its shadow root");
    }
    crate::language::apply(chat);
    // A restored conversation exists on the server: follow it live (a new one starts after its first reply).
    if live.is_some() {
        chat.start_live();
    }
    crate::chat::page::follow_navigation(chat);
    handle.set(Some(chat));
    let widget_id = chat.session.with_value(|s| s.widget.id.clone());
    crate::host_api::emit(crate::host_api::event::READY, &[("widget_id", widget_id.into())]);
}

/// Adds the app's container to the shadow root (and the stylesheet, unless the loader already linked it) and
/// mounts the app.
fn attach(root: &ShadowRoot, chat: Chat, api_base: &str) -> Result<(), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    if root.query_selector("link[rel=stylesheet]")?.is_none() {
        let link = document.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", &format!("{api_base}/dist/quincer.css"))?;
        root.append_child(&link)?;
    }
    let container: web_sys::HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("quincer");
    root.append_child(&container)?;
    crate::ui::delegate::listen(&container, chat);
    chat.controllers.update_value(|c| c.container = Some(container.clone().into()));
    leptos::mount::mount_to(container, move || view! { <App chat=chat /> }).forget();
    // After mounting: render effects need the executor that `mount_to` starts.
    // The launcher also moves focus into the composer if the panel was asked to open while loading, and the lead
    // form offers itself under a restored conversation that has an answer.
    crate::ui::launcher::attach(root, chat, &document)?;
    crate::ui::lead_form::watch(chat);
    Ok(())
}

/// Removes the widget from the page (the loader's launcher included) when it cannot work: a refused key or an
/// unreachable server leave the page as if the snippet were not there.
fn withdraw(root: &ShadowRoot) {
    root.host().remove();
}
