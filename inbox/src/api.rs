//! The inbox's requests: same-origin `fetch` with the session cookie (`credentials: 'same-origin'`), the
//! `X-CSRF-Token` header on every state-changing request, and errors as the server words them
//! (`{"error": "…"}`), so a 409 reads "already taken over by Priya" on screen.

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use web_sys::RequestCredentials;

use crate::model::{
    ConversationDetail, ConversationItem, ConversationPage, Me, OpenClawConnection, Persona, PersonaPage, ReplyAnswer,
    Widget, WidgetPage,
};

/// A failed request: the HTTP status (0 when the server could not be reached) and the server's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status, or 0 for a network failure.
    pub status: u16,
    /// What to show.
    pub message: String,
}

/// What a request answers.
pub type ApiResult<T> = Result<T, ApiError>;

/// The message of an error body, else a sentence naming the status.
pub fn error_message(status: u16, body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| match status {
            401 => "you are signed out".into(),
            403 => "you are not allowed to do that".into(),
            404 => "not found".into(),
            s => format!("the server answered {s}"),
        })
}

/// Sends `req` (a `POST` with `body` when given) and reads a JSON answer.
async fn send<T: DeserializeOwned>(req: RequestBuilder, body: Option<Value>) -> ApiResult<T> {
    let req = req.credentials(RequestCredentials::SameOrigin).header("Accept", "application/json");
    let sent = match body {
        Some(body) => match req.json(&body) {
            Ok(r) => r.send().await,
            Err(e) => return Err(ApiError { status: 0, message: e.to_string() }),
        },
        None => req.send().await,
    };
    let resp =
        sent.map_err(|_| ApiError { status: 0, message: "cannot reach the server; check your connection".into() })?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(ApiError { status, message: error_message(status, &text) });
    }
    // An empty success body reads as `null`.
    serde_json::from_str(if text.is_empty() { "null" } else { &text })
        .map_err(|e| ApiError { status, message: format!("unexpected answer from the server: {e}") })
}

/// A `POST` carrying the CSRF token.
fn post(path: &str, csrf: &str) -> RequestBuilder {
    Request::post(path).header("X-CSRF-Token", csrf)
}

/// `GET /inbox/api/me`: who is signed in (401 when nobody).
pub async fn me() -> ApiResult<Me> {
    send(Request::get("/inbox/api/me"), None).await
}

/// `POST /inbox/api/sign-in`.
pub async fn sign_in(email: &str, password: &str) -> ApiResult<Me> {
    send(Request::post("/inbox/api/sign-in"), Some(json!({ "email": email, "password": password }))).await
}

/// `POST /inbox/api/sign-out`.
pub async fn sign_out(csrf: &str) -> ApiResult<Value> {
    send(post("/inbox/api/sign-out", csrf), Some(json!({}))).await
}

/// `POST /inbox/api/password`: the member's other sessions end.
pub async fn change_password(current: &str, new: &str, csrf: &str) -> ApiResult<Value> {
    let body = json!({ "current_password": current, "new_password": new });
    send(post("/inbox/api/password", csrf), Some(body)).await
}

/// `POST /api/v1/integrations/openclaw/connect`: the OpenClaw team member and a new key bound to it.
pub async fn connect_openclaw(csrf: &str) -> ApiResult<OpenClawConnection> {
    send(post("/api/v1/integrations/openclaw/connect", csrf), Some(json!({}))).await
}

/// `GET /api/v1/conversations`: the 200 with the newest activity.
pub async fn conversations() -> ApiResult<Vec<ConversationItem>> {
    send::<ConversationPage>(Request::get("/api/v1/conversations?order=activity&limit=200"), None).await.map(|p| p.data)
}

/// `GET /api/v1/conversations/:id`, with the transcript.
pub async fn conversation(id: &str) -> ApiResult<ConversationDetail> {
    send(Request::get(&format!("/api/v1/conversations/{}", encode(id))), None).await
}

/// `POST /api/v1/conversations/:id/takeover` as the signed-in member.
pub async fn take_over(id: &str, csrf: &str) -> ApiResult<ConversationDetail> {
    send(post(&format!("/api/v1/conversations/{}/takeover", encode(id)), csrf), Some(json!({}))).await
}

/// `POST /api/v1/conversations/:id/handback`.
pub async fn hand_back(id: &str, csrf: &str) -> ApiResult<ConversationDetail> {
    send(post(&format!("/api/v1/conversations/{}/handback", encode(id)), csrf), Some(json!({}))).await
}

/// `POST /api/v1/conversations/:id/handoff` to `persona_id`.
pub async fn hand_off(id: &str, persona_id: &str, csrf: &str) -> ApiResult<ConversationDetail> {
    let body = json!({ "persona_id": persona_id });
    send(post(&format!("/api/v1/conversations/{}/handoff", encode(id)), csrf), Some(body)).await
}

/// `POST /api/v1/conversations/:id/reply`.
pub async fn reply(id: &str, text: &str, csrf: &str) -> ApiResult<ReplyAnswer> {
    send(post(&format!("/api/v1/conversations/{}/reply", encode(id)), csrf), Some(json!({ "text": text }))).await
}

/// `GET /api/v1/personas`: every persona of the organisation (the first 200).
pub async fn personas() -> ApiResult<Vec<Persona>> {
    send::<PersonaPage>(Request::get("/api/v1/personas?limit=200"), None).await.map(|p| p.data)
}

/// `GET /api/v1/widgets`: the organisation's widgets (the first 200).
pub async fn widgets() -> ApiResult<Vec<Widget>> {
    send::<WidgetPage>(Request::get("/api/v1/widgets?limit=200"), None).await.map(|p| p.data)
}

/// `id` for a path segment: ids are `[A-Za-z0-9_-]`, anything else is percent-encoded.
pub fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_the_servers_message() {
        let body = r#"{"error":"the conversation is already taken over by Priya; it must be handed back first"}"#;
        assert!(error_message(409, body).contains("taken over by Priya"));
        assert_eq!(error_message(401, ""), "you are signed out");
        assert_eq!(error_message(502, "<html>"), "the server answered 502");
    }

    #[test]
    fn ids_are_encoded_for_paths() {
        assert_eq!(encode("conv_a-1"), "conv_a-1");
        assert_eq!(encode("../x y"), "%2E%2E%2Fx%20y");
    }
}
