//! `Inbox`, the one `Copy` owner of the app's reactive state, and what the member does (sign in and out, open,
//! take over, reply, hand back, hand off), each a request followed by the state it leaves behind. Views read the
//! signals and call these methods; nothing here touches the DOM.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::filter::Filter;
use crate::list::Conversations;
use crate::live;
use crate::model::{ConversationDetail, ConversationItem, Me, Persona, Widget};

/// How long to wait before opening the live stream again after the browser gave up on it.
const RETRY_MS: i32 = 3000;

/// Whether anyone is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// `GET /inbox/api/me` has not answered yet.
    Checking,
    /// Nobody: the sign-in form.
    SignedOut,
    /// A member.
    SignedIn(Me),
}

/// The app's state.
#[derive(Clone, Copy)]
pub struct Inbox {
    /// Who is signed in.
    pub session: RwSignal<Session>,
    /// Every conversation known, newest activity first.
    pub conversations: RwSignal<Conversations>,
    /// The list's filters.
    pub filter: RwSignal<Filter>,
    /// The conversation under the keyboard cursor.
    pub cursor: RwSignal<Option<String>>,
    /// The conversation open on the right.
    pub open: RwSignal<Option<String>>,
    /// Its transcript, once read.
    pub detail: RwSignal<Option<ConversationDetail>>,
    /// The composer's text for the open conversation.
    pub draft: RwSignal<String>,
    /// The organisation's widgets (the widget filter's names).
    pub widgets: RwSignal<Vec<Widget>>,
    /// The organisation's personas (hand off).
    pub personas: RwSignal<Vec<Persona>>,
    /// The last failed action's message.
    pub error: RwSignal<Option<String>>,
    /// A short status for screen readers and the eye ("Reply sent", "Taken over").
    pub notice: RwSignal<Option<String>>,
    /// Whether the live stream is connected.
    pub live: RwSignal<bool>,
    /// A request of the open conversation's buttons is in flight.
    pub busy: RwSignal<bool>,
}

impl Inbox {
    /// Fresh state; call [`Inbox::start`] to find out who is signed in.
    pub fn new() -> Self {
        Inbox {
            session: RwSignal::new(Session::Checking),
            conversations: RwSignal::new(Conversations::default()),
            filter: RwSignal::new(Filter::default()),
            cursor: RwSignal::new(None),
            open: RwSignal::new(None),
            detail: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            widgets: RwSignal::new(Vec::new()),
            personas: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            live: RwSignal::new(false),
            busy: RwSignal::new(false),
        }
    }

    /// Asks the server who is signed in; loads the inbox if someone is.
    pub fn start(self) {
        spawn_local(async move {
            match api::me().await {
                Ok(me) => self.signed_in(me),
                Err(_) => self.session.set(Session::SignedOut),
            }
        });
    }

    /// The signed-in member's id ("" when signed out).
    pub fn me_id(&self) -> String {
        match &*self.session.read() {
            Session::SignedIn(me) => me.member.id.clone(),
            _ => String::new(),
        }
    }

    /// The CSRF token of the session.
    fn csrf(&self) -> String {
        match &*self.session.read_untracked() {
            Session::SignedIn(me) => me.csrf_token.clone(),
            _ => String::new(),
        }
    }

    /// Signs in with `email` and `password`; `Err` is the message the form shows.
    pub async fn sign_in(self, email: String, password: String) -> Result<(), String> {
        let me = api::sign_in(email.trim(), &password).await.map_err(|e| e.message)?;
        self.signed_in(me);
        Ok(())
    }

    /// Shows the inbox for `me`: the list, the personas, the live stream.
    fn signed_in(self, me: Me) {
        self.session.set(Session::SignedIn(me));
        self.reload();
        spawn_local(async move {
            // Hand off is offered only when personas can be read, widgets are named only when widgets can be read;
            // the rest of the inbox works without either.
            if let Ok(personas) = api::personas().await {
                self.personas.set(personas);
            }
            // Without them the widget filter shows ids.
            if let Ok(widgets) = api::widgets().await {
                self.widgets.set(widgets);
            }
        });
        self.connect();
    }

    /// Opens the live stream; the server's `ready` (each connection) and `resync` re-read the list and the open
    /// conversation, so nothing missed meanwhile stays missing.
    fn connect(self) {
        live::connect(
            move |item| self.on_stream_item(item),
            move || self.live.set(true),
            move || {
                self.reload();
                self.refresh_open();
            },
            move || {
                self.live.set(false);
                self.stream_closed();
            },
        );
    }
    /// Reads the list again and merges it.
    pub fn reload(self) {
        spawn_local(async move {
            match api::conversations().await {
                Ok(page) => {
                    self.conversations.update(|c| {
                        c.merge(page);
                    });
                }
                Err(e) => self.fail(e),
            }
        });
    }

    /// A `conversation` event: the list entry, and the transcript when it is the open one.
    fn on_stream_item(self, item: ConversationItem) {
        let id = item.id.clone();
        let mut changed = false;
        self.conversations.update(|c| changed = c.upsert(item));
        if changed && self.open.get_untracked().as_deref() == Some(id.as_str()) {
            self.refresh_open();
        }
    }

    /// After the browser gave up on the stream: signed out (the form), or else the server is away or refused the
    /// stream. Meanwhile the list and the open transcript are re-read every few seconds, then the stream is tried
    /// again.
    fn stream_closed(self) {
        spawn_local(async move {
            match api::me().await {
                Err(ApiError { status: 401, .. }) => self.signed_out(),
                _ => {
                    self.reload();
                    self.refresh_open();
                    sleep_ms(RETRY_MS).await;
                    if matches!(self.session.get_untracked(), Session::SignedIn(_)) {
                        self.connect();
                    }
                }
            }
        });
    }

    /// Back to the sign-in form, forgetting everything shown.
    fn signed_out(self) {
        live::disconnect();
        self.live.set(false);
        self.conversations.set(Conversations::default());
        self.open.set(None);
        self.cursor.set(None);
        self.detail.set(None);
        self.session.set(Session::SignedOut);
    }

    /// Signs out (the server revokes the session), then shows the form.
    pub fn sign_out(self) {
        let csrf = self.csrf();
        spawn_local(async move {
            match api::sign_out(&csrf).await {
                Ok(_) | Err(ApiError { status: 401, .. }) => self.signed_out(),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Changes the member's password; `Err` is the message the form shows.
    pub async fn change_password(self, current: String, new: String) -> Result<(), String> {
        match api::change_password(&current, &new, &self.csrf()).await {
            Ok(_) => Ok(()),
            Err(e) if e.status == 401 => {
                self.signed_out();
                Err(e.message)
            }
            Err(e) => Err(e.message),
        }
    }

    /// Connects OpenClaw: its team member and a new key for the skill (owners and admins).
    ///
    /// # Errors
    /// The server's message.
    pub async fn connect_openclaw(self) -> Result<crate::model::OpenClawConnection, String> {
        match api::connect_openclaw(&self.csrf()).await {
            Ok(connection) => Ok(connection),
            Err(e) if e.status == 401 => {
                self.signed_out();
                Err(e.message)
            }
            Err(e) => Err(e.message),
        }
    }

    /// Opens conversation `id` on the right.
    pub fn open_conversation(self, id: String) {
        self.error.set(None);
        self.notice.set(None);
        self.cursor.set(Some(id.clone()));
        if self.open.get_untracked().as_deref() != Some(id.as_str()) {
            self.detail.set(None);
            self.draft.set(String::new());
        }
        self.open.set(Some(id.clone()));
        self.conversations.update(|c| {
            c.mark_read(&id);
        });
        self.refresh_open();
    }

    /// Closes the open conversation.
    pub fn close(self) {
        self.open.set(None);
        self.detail.set(None);
        self.error.set(None);
    }

    /// Reads the open conversation's transcript again.
    pub fn refresh_open(self) {
        let Some(id) = self.open.get_untracked() else { return };
        spawn_local(async move {
            match api::conversation(&id).await {
                // The member may have opened another one meanwhile.
                Ok(d) if self.open.get_untracked().as_deref() == Some(id.as_str()) => self.show(d),
                Ok(_) => {}
                Err(e) => self.fail(e),
            }
        });
    }

    /// Shows `detail` and updates its list entry.
    fn show(self, detail: ConversationDetail) {
        self.conversations.update(|c| {
            c.upsert(detail.item.clone());
        });
        self.detail.set(Some(detail));
    }

    /// Takes the open conversation over.
    pub fn take_over(self) {
        self.act("Taken over: the AI is quiet, you answer", |id, csrf| async move { api::take_over(&id, &csrf).await });
    }

    /// Hands the open conversation back to the AI.
    pub fn hand_back(self) {
        self.act("Handed back: the AI answers again", |id, csrf| async move { api::hand_back(&id, &csrf).await });
    }

    /// Hands the open conversation off to persona `persona_id`.
    pub fn hand_off(self, persona_id: String) {
        let name = self.personas.with_untracked(|ps| ps.iter().find(|p| p.id == persona_id).map(|p| p.name.clone()));
        let notice = format!("Handed off to {}", name.unwrap_or_else(|| persona_id.clone()));
        self.act_owned(notice, move |id, csrf| async move { api::hand_off(&id, &persona_id, &csrf).await });
    }

    fn act<F, Fut>(self, notice: &'static str, request: F)
    where
        F: FnOnce(String, String) -> Fut + 'static,
        Fut: std::future::Future<Output = api::ApiResult<ConversationDetail>> + 'static,
    {
        self.act_owned(notice.to_owned(), request);
    }

    /// Runs one of the open conversation's buttons: `request(id, csrf)`, then shows the conversation it answers.
    fn act_owned<F, Fut>(self, notice: String, request: F)
    where
        F: FnOnce(String, String) -> Fut + 'static,
        Fut: std::future::Future<Output = api::ApiResult<ConversationDetail>> + 'static,
    {
        let Some(id) = self.open.get_untracked() else { return };
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        let csrf = self.csrf();
        spawn_local(async move {
            let result = request(id.clone(), csrf).await;
            self.busy.set(false);
            match result {
                Ok(d) => {
                    self.notice.set(Some(notice));
                    if d.messages.is_empty() {
                        self.refresh_open();
                    } else {
                        self.show(d);
                    }
                }
                Err(e) => self.fail(e),
            }
        });
    }

    /// Sends `text` as a reply in the open conversation; `true` once stored (the composer then clears).
    pub async fn reply(self, text: String) -> bool {
        let Some(id) = self.open.get_untracked() else { return false };
        self.error.set(None);
        match api::reply(&id, &text, &self.csrf()).await {
            Ok(answer) => {
                self.notice.set(Some(match answer.translated_to {
                    Some(lang) => format!("Sent, translated into {lang}: {}", answer.text),
                    None => "Reply sent".into(),
                }));
                self.refresh_open();
                true
            }
            Err(e) => {
                self.fail(e);
                false
            }
        }
    }

    /// Shows a failed request; a 401 means the session ended.
    fn fail(self, e: ApiError) {
        if e.status == 401 {
            self.signed_out();
        } else {
            self.error.set(Some(e.message));
        }
    }
}

impl Default for Inbox {
    fn default() -> Self {
        Self::new()
    }
}

/// Waits `ms` milliseconds (a browser timer).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
