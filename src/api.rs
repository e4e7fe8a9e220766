//! Calls to quincer-server's public endpoints, over the browser's `fetch`.
//!
//! Plain `web-sys` fetch rather than a wrapper crate: we need a streamed body and an abort signal, and every
//! dependency is paid for in wasm bytes.

use js_sys::{Reflect, Uint8Array};
use quincer_protocol::chat::ChatRequest;
use quincer_protocol::conversation::Conversation;
use quincer_protocol::session::{SessionRequest, WidgetSession};
use quincer_protocol::VISITOR_TOKEN_HEADER;

use crate::i18n::t;
use crate::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestInit, Response};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The server answered with an error status and message.
    Http(u16, String),
    /// The request never got an answer (offline, DNS, CORS, server down).
    Network(String),
    /// The visitor stopped the request.
    Aborted,
    /// The server is rate-limiting this visitor (429): try again after this many seconds (its `Retry-After`).
    Busy(u32),
}

impl ApiFailure {
    /// A sentence for developers (console).
    pub fn detail(&self) -> String {
        match self {
            ApiFailure::Http(status, msg) => format!("HTTP {status}: {msg}"),
            ApiFailure::Network(msg) => msg.clone(),
            ApiFailure::Aborted => "aborted".into(),
            ApiFailure::Busy(s) => format!("HTTP 429: retry after {s} s"),
        }
    }

    /// A sentence for the visitor.
    pub fn visitor_message(&self) -> String {
        match self {
            ApiFailure::Http(status, _) if *status >= 500 => t("error.server"),
            ApiFailure::Http(_, msg) => msg.clone(),
            ApiFailure::Network(_) => t("error.network"),
            ApiFailure::Aborted => t("error.stopped"),
            ApiFailure::Busy(s) => crate::i18n::count("error.busy", *s),
        }
    }
}

/// Where and as whom the widget talks to the server.
#[derive(Debug, Clone)]
pub struct Api {
    /// Origin of quincer-server, without a trailing slash.
    pub base: String,
    /// The widget's public key.
    pub key: String,
}

impl Api {
    /// `POST /api/widget/session`, with the interface strings it carries (see [`crate::i18n`]).
    pub async fn session(&self, req: &SessionRequest) -> Result<(WidgetSession, JsValue), ApiFailure> {
        let body = json::session_request(req);
        let res =
            self.send("/api/widget/session", Req { method: "POST", body: Some(&body), ..Req::default() }, None).await?;
        read_json(res, json::session).await
    }

    /// `GET /api/widget/conversations/:id`; `None` if the server does not know it (any more).
    pub async fn transcript(&self, token: &str, id: &str) -> Result<Option<Conversation>, ApiFailure> {
        let path = format!("/api/widget/conversations/{}", js_sys::encode_uri_component(id));
        match self.send(&path, Req { token: Some(token), ..Req::default() }, None).await {
            Ok(res) => read_json(res, json::conversation).await.map(Some),
            Err(ApiFailure::Http(404, _)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST` of a JSON `body` as the visitor (`/api/widget/identify`, `/api/widget/lead`).
    pub async fn post(&self, token: &str, path: &str, body: &str) -> Result<(), ApiFailure> {
        let req = Req { method: "POST", token: Some(token), body: Some(body), ..Req::default() };
        self.send(path, req, None).await.map(|_| ())
    }

    /// `POST /api/chat`, handing every received chunk of the stream to `on_bytes`.
    pub async fn chat(
        &self,
        token: &str,
        req: &ChatRequest,
        signal: &AbortSignal,
        on_bytes: impl FnMut(&[u8]),
    ) -> Result<(), ApiFailure> {
        let req = Req { method: "POST", token: Some(token), body: Some(&json::chat_request(req)), ..Req::default() };
        let res = self.send("/api/chat", req, Some(signal)).await?;
        read_body(res, signal, on_bytes).await
    }

    /// `GET /api/widget/conversations/:id/events` from after event `last_event_id`, until the stream ends.
    pub async fn events(
        &self,
        token: &str,
        id: &str,
        last_event_id: i64,
        signal: &AbortSignal,
        on_bytes: impl FnMut(&[u8]),
    ) -> Result<(), ApiFailure> {
        let path = format!("/api/widget/conversations/{}/events", js_sys::encode_uri_component(id));
        let last = last_event_id.to_string();
        let req = Req { token: Some(token), last_event_id: Some(&last), ..Req::default() };
        let res = self.send(&path, req, Some(signal)).await?;
        read_body(res, signal, on_bytes).await
    }

    async fn send(&self, path: &str, req: Req<'_>, signal: Option<&AbortSignal>) -> Result<Response, ApiFailure> {
        let headers = Headers::new().map_err(net)?;
        headers.set("Authorization", &format!("Bearer {}", self.key)).map_err(net)?;
        if let Some(token) = req.token {
            headers.set(VISITOR_TOKEN_HEADER, token).map_err(net)?;
        }
        if let Some(last) = req.last_event_id {
            headers.set("Last-Event-ID", last).map_err(net)?;
        }
        let init = RequestInit::new();
        init.set_method(req.method);
        init.set_headers(&headers);
        if let Some(body) = req.body {
            headers.set("Content-Type", "application/json").map_err(net)?;
            init.set_body(&JsValue::from_str(body));
        }
        if let Some(signal) = signal {
            init.set_signal(Some(signal));
        }
        let window = web_sys::window().ok_or_else(|| ApiFailure::Network("no window".into()))?;
        let url = format!("{}{}", self.base, path);
        let res: Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
            .await
            .map_err(|e| match signal {
                Some(s) => failure(s, e),
                None => net(e),
            })?
            .unchecked_into();
        if res.ok() {
            return Ok(res);
        }
        let status = res.status();
        if status == 429 {
            // Honour the server's wait (seconds), within reason; a missing or odd header means a short wait.
            let wait = res.headers().get("retry-after").ok().flatten().and_then(|s| s.trim().parse::<u32>().ok());
            return Err(ApiFailure::Busy(wait.unwrap_or(5).clamp(1, 120)));
        }
        let text = match res.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
            Err(_) => String::new(),
        };
        let message = json::error_message(&text).unwrap_or(text);
        Err(ApiFailure::Http(status, message))
    }
}

/// What a request carries besides the widget key.
struct Req<'a> {
    method: &'static str,
    token: Option<&'a str>,
    body: Option<&'a str>,
    last_event_id: Option<&'a str>,
}

impl Default for Req<'_> {
    fn default() -> Self {
        Req { method: "GET", token: None, body: None, last_event_id: None }
    }
}

/// Hands the response body to `on_bytes` chunk by chunk, as it arrives.
async fn read_body(res: Response, signal: &AbortSignal, mut on_bytes: impl FnMut(&[u8])) -> Result<(), ApiFailure> {
    let body = res.body().ok_or_else(|| ApiFailure::Network("empty response".into()))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    loop {
        let step = JsFuture::from(reader.read()).await.map_err(|e| failure(signal, e))?;
        if Reflect::get(&step, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(());
        }
        let chunk = Reflect::get(&step, &"value".into()).map_err(|e| failure(signal, e))?;
        on_bytes(&Uint8Array::new(&chunk).to_vec());
    }
}

async fn read_json<T>(res: Response, decode: fn(&str) -> Option<T>) -> Result<T, ApiFailure> {
    let text = JsFuture::from(res.text().map_err(net)?).await.map_err(net)?;
    decode(&text.as_string().unwrap_or_default())
        .ok_or_else(|| ApiFailure::Network("unreadable response from the server".into()))
}

/// A failed `fetch` as a network failure, keeping the browser's message (no `Debug` formatting: it costs bytes).
fn net(e: JsValue) -> ApiFailure {
    let message = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string());
    ApiFailure::Network(message.unwrap_or_else(|| "network error".into()))
}

/// A rejected promise of a cancellable request: aborted if the signal says so, else a network failure.
fn failure(signal: &AbortSignal, e: JsValue) -> ApiFailure {
    if signal.aborted() {
        ApiFailure::Aborted
    } else {
        net(e)
    }
}
