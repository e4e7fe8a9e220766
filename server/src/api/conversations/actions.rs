//! Takeover, reply, handback and handoff: the handlers read the request and name the actor; [`crate::handling`]
//! does the rest.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::conversation::Message;
use quincer_protocol::error::ErrorBody;
use serde::{Deserialize, Serialize};

use super::{get, ConversationResource};
use crate::auth::DevAuth;
use crate::error::{optional_json, ApiError, ApiJson, ApiPath, ApiResult, JsonBytes};
use crate::handling;
use crate::state::AppState;

/// Longest actor name, speaker name or external label.
const MAX_NAME: usize = 80;

/// Body of a takeover (camelCase aliases `actorName`, `externalLabel`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TakeoverBody {
    /// Name shown to the visitor, at most 80 characters (default: the key's name, else "Support agent"). Ignored
    /// for a team member (a signed-in session or a key bound to a member): the visitor sees the member's name.
    #[serde(default, alias = "actorName")]
    #[schema(example = "Sam")]
    pub actor_name: Option<String>,
    /// Free label of the external system, at most 80 characters.
    #[serde(default, alias = "externalLabel")]
    #[schema(example = "ticket-42")]
    pub external_label: Option<String>,
}

/// Trims an optional name and checks its length.
fn name_field(value: Option<String>, field: &str) -> ApiResult<Option<String>> {
    let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    if value.as_ref().is_some_and(|v| v.chars().count() > MAX_NAME) {
        return Err(ApiError::bad_request(format!("`{field}` is longer than {MAX_NAME} characters")));
    }
    Ok(value)
}

/// `POST /api/v1/conversations/:id/takeover` (scope `conversations:takeover`): the AI stops answering.
///
/// Taking over again as the same actor is a no-op; a conversation held by another actor is a 409 naming them.
#[utoipa::path(
    post,
    path = "/conversations/{id}/takeover",
    operation_id = "take_over_conversation",
    tag = "conversations",
    summary = "Take a conversation over",
    description = "Scope `conversations:takeover`. The AI stops answering; the widget shows the agent (a team \
        member's name and avatar, or the external agent's `actor_name`) joining. Taking over again as the same actor \
        changes nothing. The actor is recorded in the audit log. The body may be empty.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = Option<TakeoverBody>,
    responses(
        (status = 200, description = "The conversation, taken over", body = ConversationResource),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
        (status = 409, description = "Closed, or held by another actor (the message names them)", body = ErrorBody),
    ),
)]
pub async fn takeover(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    body: JsonBytes,
) -> ApiResult<Json<ConversationResource>> {
    auth.require("conversations:takeover")?;
    let body: TakeoverBody = optional_json(body)?;
    let label = name_field(body.external_label, "external_label")?;
    let name = name_field(body.actor_name, "actor_name")?;
    let actor = handling::actor_for(&state.db, &auth, name, label).await?;
    handling::take_over(&state, &actor, &auth.org_id, &id).await?;
    get(State(state), auth, ApiPath(id)).await
}

/// Body of a reply (camelCase alias `speakerName`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReplyBody {
    /// The message, 1 to 4000 characters.
    #[schema(example = "Hi, Sam here. How can I help?")]
    pub text: String,
    /// Name shown with the message, at most 80 characters (default: the takeover's actor name). Ignored for a team
    /// member, whose own name is shown.
    #[serde(default, alias = "speakerName")]
    pub speaker_name: Option<String>,
}

/// The answer of a reply: the message as the visitor sees it, and what the agent wrote.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentReply {
    /// The stored message; its `text` is in the visitor's language.
    #[serde(flatten)]
    pub message: Message,
    /// The text as the agent sent it (equal to `text` when it was not translated).
    pub original_text: String,
    /// The visitor's language `text` was translated into, or `null` when it was sent as written.
    pub translated_to: Option<String>,
}

/// `POST /api/v1/conversations/:id/reply` (scope `conversations:reply`): an agent message, pushed live, translated
/// into the visitor's language when a model provider is configured ([`crate::translation`]).
#[utoipa::path(
    post,
    path = "/conversations/{id}/reply",
    operation_id = "reply_to_conversation",
    tag = "conversations",
    summary = "Reply as the agent holding the conversation",
    description = "Scope `conversations:reply`. Needs a takeover by the same actor first (the same team member, or \
        for an external agent the same key); the message is pushed to the visitor at once and recorded in the audit \
        log.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = ReplyBody,
    responses(
        (status = 201, description = "The stored agent message, translated when a provider is configured", body = AgentReply),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
        (status = 409, description = "Not taken over, or held by another actor", body = ErrorBody),
    ),
)]
pub async fn reply(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<(StatusCode, Json<AgentReply>)> {
    auth.require("conversations:reply")?;
    let text = body.text.trim();
    if text.is_empty() {
        return Err(ApiError::bad_request("`text` is empty"));
    }
    let speaker = name_field(body.speaker_name, "speaker_name")?;
    let actor = handling::actor_for(&state.db, &auth, speaker.clone(), None).await?;
    let replied = handling::reply(&state, &actor, &auth.org_id, &id, text, speaker).await?;
    let reply =
        AgentReply { message: replied.message, original_text: text.to_owned(), translated_to: replied.translated_to };
    Ok((StatusCode::CREATED, Json(reply)))
}

/// `POST /api/v1/conversations/:id/handback` (scope `conversations:handback`): the AI answers again.
#[utoipa::path(
    post,
    path = "/conversations/{id}/handback",
    operation_id = "hand_back_conversation",
    tag = "conversations",
    summary = "Hand a conversation back to the AI",
    description = "Scope `conversations:handback`. Recorded in the audit log.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    responses(
        (status = 200, description = "The conversation, handed back", body = ConversationResource),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
        (status = 409, description = "Nobody holds the conversation", body = ErrorBody),
    ),
)]
pub async fn handback(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ConversationResource>> {
    auth.require("conversations:handback")?;
    let actor = handling::actor_for(&state.db, &auth, None, None).await?;
    handling::hand_back(&state, &actor, &auth.org_id, &id).await?;
    get(State(state), auth, ApiPath(id)).await
}

/// Body of a handoff (camelCase alias `personaId`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct HandoffBody {
    /// The persona to switch to, or `null` to go back to the one the conversation's page URL picks. Required.
    #[serde(alias = "personaId")]
    #[schema(required = true)]
    pub persona_id: Option<String>,
}

/// `POST /api/v1/conversations/:id/handoff` (scope `conversations:write`): switches the persona.
#[utoipa::path(
    post,
    path = "/conversations/{id}/handoff",
    operation_id = "hand_off_conversation",
    tag = "conversations",
    summary = "Switch a conversation's persona",
    description = "Scope `conversations:write`. Recorded in the audit log.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = HandoffBody,
    responses(
        (status = 200, description = "The conversation, with its new persona", body = ConversationResource),
        (
            status = 404,
            description = "No such conversation in the organisation, or no such persona in its widget",
            body = ErrorBody,
        ),
    ),
)]
pub async fn handoff(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<ConversationResource>> {
    auth.require("conversations:write")?;
    // `persona_id` must be present: `null` is meaningful (clear the override), a missing field is a mistake.
    let requested = match body.get("persona_id").or_else(|| body.get("personaId")) {
        None => return Err(ApiError::bad_request("`persona_id` is required (a persona id, or null for the default)")),
        Some(v) => {
            serde_json::from_value::<HandoffBody>(serde_json::json!({ "persona_id": v }))
                .map_err(|_| ApiError::bad_request("`persona_id` must be a string or null"))?
                .persona_id
        }
    };
    let actor = handling::actor_for(&state.db, &auth, None, None).await?;
    handling::hand_off(&state, &actor, &auth.org_id, &id, requested).await?;
    get(State(state), auth, ApiPath(id)).await
}
