//! `/api/v1/conversations`: discover, take over, reply on, hand back and hand off live conversations.
//!
//! Every state change runs in one transaction that also appends the event the visitor's widget receives, so the
//! stored state and the pushed events never disagree, and both survive a restart.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use quincer_protocol::chat::MAX_MESSAGE_CHARS;
use quincer_protocol::conversation::Message;
use quincer_protocol::error::ErrorBody;
use quincer_protocol::events::{kind, AgentPublic, HandbackEvent, MessageEvent, PersonaEvent, TakeoverEvent};
use quincer_protocol::identify::Visitor;
use quincer_protocol::url_pattern;
use serde::{Deserialize, Serialize};

use super::{ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{optional_json, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, JsonBytes};
use crate::state::AppState;
use crate::store::conversations::{self, Holder, ListFilter, Summary};
use crate::store::personas;
use crate::store::{developer_keys, events, messages, Db, Tx};
use crate::translation;
use crate::visitors;
use crate::webhooks::{self, TakeoverPayload};

/// Longest actor name, speaker name or external label.
const MAX_NAME: usize = 80;

/// Who holds a taken-over conversation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Takeover {
    /// The agent's display name, shown to the visitor.
    pub actor_name: String,
    /// Free label of the external system (e.g. a ticket id).
    pub external_label: Option<String>,
    /// Always `external_agent` for developer-key takeovers.
    #[schema(value_type = String)]
    pub actor_kind: &'static str,
    /// When it was taken over.
    pub taken_over_at: Option<String>,
}

/// A conversation as the developer API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConversationResource {
    /// Always `"conversation"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Conversation id.
    pub id: String,
    /// Widget it belongs to.
    pub widget_id: String,
    /// The visitor.
    pub visitor_id: String,
    /// The visitor and what the host page told us about them (`POST /api/widget/identify`); its fields are `null`
    /// (and `traits` is `{}`) until the page identifies them.
    pub visitor: Visitor,
    /// `active`, `human_active` or `closed`.
    pub status: String,
    /// `web` for the widget.
    pub channel: String,
    /// Persona the AI speaks as.
    pub persona_id: Option<String>,
    /// Page the conversation started on.
    pub page_url: Option<String>,
    /// The current takeover, if any.
    pub takeover: Option<Takeover>,
    /// Number of stored messages.
    pub message_count: i64,
    /// Time of the newest message.
    pub last_message_at: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// The transcript (single-conversation responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Message>>,
}

impl From<Summary> for ConversationResource {
    fn from(r: Summary) -> Self {
        ConversationResource {
            object: "conversation",
            takeover: r.takeover_actor_name.filter(|_| r.status == "human_active").map(|actor_name| Takeover {
                actor_name,
                external_label: r.takeover_external_label,
                actor_kind: "external_agent",
                taken_over_at: r.takeover_at,
            }),
            visitor: visitors::from_columns(
                r.visitor_id.clone(),
                r.visitor_email,
                r.visitor_name,
                r.visitor_phone,
                r.visitor_external_id,
                // The visitor row always exists (a foreign key); the join is LEFT only so a conversation never
                // disappears from the API because of it.
                r.visitor_traits.as_deref().unwrap_or("{}"),
                r.visitor_identified_at,
            ),
            id: r.id,
            widget_id: r.widget_id,
            visitor_id: r.visitor_id,
            status: r.status,
            channel: r.channel,
            persona_id: r.persona_id,
            page_url: r.page_url,
            message_count: r.message_count,
            last_message_at: r.last_message_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            messages: None,
        }
    }
}

/// The conversation `id` if it belongs to the key's organisation.
async fn find(db: &Db, auth: &DevAuth, id: &str) -> ApiResult<Summary> {
    conversations::find(db, &auth.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))
}

/// The same, inside a write transaction: the conversation cannot change before this transaction commits (two
/// racing takeovers are serialised, never both granted).
async fn lock(tx: &mut Tx<'_>, auth: &DevAuth, id: &str) -> ApiResult<Summary> {
    conversations::lock(tx, &auth.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))
}

/// Reads and validates the list filters of the query string (snake_case names, plus the legacy camelCase aliases).
async fn parse_filter(db: &Db, params: &HashMap<String, String>) -> ApiResult<ListFilter> {
    let param = |names: &[&str]| names.iter().find_map(|n| params.get(*n)).map(|v| v.trim().to_owned());
    let mut f = ListFilter {
        widget_id: param(&["widget_id", "widgetId"]),
        channel: param(&["channel"]),
        ..ListFilter::default()
    };
    if let Some(status) = param(&["status"]) {
        f.statuses = status.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        if f.statuses.is_empty()
            || f.statuses.iter().any(|s| !["active", "human_active", "closed"].contains(&s.as_str()))
        {
            return Err(ApiError::bad_request("`status` takes active, human_active or closed (comma-separated)"));
        }
    }
    f.engaged_only = match param(&["engaged"]).as_deref() {
        None | Some("all") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::bad_request("`engaged` takes `true` or `all`")),
    };
    if let Some(since) = param(&["updated_since", "updatedSince"]) {
        f.updated_since = Some(super::since(db, &since, "updated_since").await?);
    }
    Ok(f)
}

/// `GET /api/v1/conversations` (scope `conversations:read`): newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/conversations",
    operation_id = "list_conversations",
    tag = "conversations",
    summary = "List conversations",
    description = "Scope `conversations:read`. Newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's conversations"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
        (
            "status" = Option<String>,
            Query,
            description = "`active`, `human_active` or `closed`, or several, comma-separated",
        ),
        ("channel" = Option<String>, Query, description = "Only this channel (`web` for the widget)"),
        (
            "engaged" = Option<String>,
            Query,
            description = "`true`: only conversations in which the visitor wrote; `all` (default): every one",
        ),
        (
            "updated_since" = Option<String>,
            Query,
            description = "Only conversations changed at or after this ISO 8601 time",
        ),
        ("updatedSince" = Option<String>, Query, deprecated, description = "Legacy alias of `updated_since`"),
        Page,
    ),
    responses((status = 200, description = "A page of conversations", body = ListEnvelope<ConversationResource>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require("conversations:read")?;
    let limit = super::page_limit(&params)?;
    let filter = parse_filter(&state.db, &params).await?;
    // The page after `starting_after` holds the conversations created before it.
    let cursor = match params.get("starting_after").map(|s| s.trim()) {
        None | Some("") => None,
        Some(after) => Some(
            find(&state.db, &auth, after)
                .await
                .map_err(|_| ApiError::bad_request(format!("`starting_after`: no conversation `{after}`")))?
                .seq,
        ),
    };

    let mut rows = conversations::list(&state.db, &auth.org_id, &filter, cursor, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let total = conversations::count(&state.db, &auth.org_id, &filter).await?;

    let data: Vec<ConversationResource> = rows.into_iter().map(Into::into).collect();
    let envelope =
        ListEnvelope { object: "list", has_more, url: "/api/v1/conversations".into(), total, limit, offset: 0, data };
    Ok(Json(envelope.with_legacy_items("conversations")))
}

/// `GET /api/v1/conversations/:id` (scope `conversations:read`): metadata and transcript.
#[utoipa::path(
    get,
    path = "/conversations/{id}",
    operation_id = "get_conversation",
    tag = "conversations",
    summary = "Read a conversation and its transcript",
    description = "Scope `conversations:read`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    responses(
        (status = 200, description = "The conversation, with `messages`", body = ConversationResource),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ConversationResource>> {
    auth.require("conversations:read")?;
    let mut resource = ConversationResource::from(find(&state.db, &auth, &id).await?);
    resource.messages = Some(messages::transcript(&state.db, &id).await?);
    Ok(Json(resource))
}

/// Body of a takeover (camelCase aliases `actorName`, `externalLabel`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TakeoverBody {
    /// Name shown to the visitor, at most 80 characters (default: the key's name, else "Support agent").
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
/// Taking over again with the same key and name is a no-op; a conversation held by another actor is a 409.
#[utoipa::path(
    post,
    path = "/conversations/{id}/takeover",
    operation_id = "take_over_conversation",
    tag = "conversations",
    summary = "Take a conversation over",
    description = "Scope `conversations:takeover`. The AI stops answering; the widget shows the agent joining. \
        Taking over again as the same actor changes nothing. The body may be empty.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = Option<TakeoverBody>,
    responses(
        (status = 200, description = "The conversation, taken over", body = ConversationResource),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
        (status = 409, description = "Closed, or held by another actor", body = ErrorBody),
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
    let actor = match name_field(body.actor_name, "actor_name")? {
        Some(name) => name,
        None => key_name(&state.db, &auth).await?,
    };
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, &auth, &id).await?;
    match row.status.as_str() {
        "closed" => return Err(ApiError::Conflict("the conversation is closed".into())),
        "human_active" => {
            let holder = row.takeover_actor_name.clone().unwrap_or_default();
            if row.takeover_key_id.as_deref() != Some(auth.key_id.as_str()) || holder != actor {
                return Err(ApiError::Conflict(format!(
                    "the conversation is already taken over by {holder}; it must be handed back first"
                )));
            }
            tx.rollback().await?;
            return get(State(state), auth, ApiPath(id)).await;
        }
        _ => {}
    }
    let holder = Holder { actor_name: &actor, external_label: label.as_deref(), key_id: &auth.key_id };
    conversations::take_over(&mut tx, &id, holder).await?;
    let payload =
        takeover_payload(&mut tx, "conversation.takeover", &row, &auth, &actor, label, "human_active").await?;
    webhooks::enqueue(&mut tx, &auth.org_id, payload.event, &payload).await?;
    let event = TakeoverEvent { agent: AgentPublic { name: actor, avatar_url: None } };
    events::append(&mut tx, &id, kind::TAKEOVER, &event).await?;
    tx.commit().await?;
    state.hub.notify(&id);
    state.webhooks.wake();
    get(State(state), auth, ApiPath(id)).await
}

/// The webhook payload of a takeover or handback.
async fn takeover_payload(
    tx: &mut Tx<'_>,
    event: &'static str,
    row: &Summary,
    auth: &DevAuth,
    actor: &str,
    external_label: Option<String>,
    status: &'static str,
) -> ApiResult<TakeoverPayload> {
    let timestamp = crate::store::now(&mut **tx).await?;
    Ok(TakeoverPayload {
        object: "conversation",
        event,
        conversation_id: row.id.clone(),
        widget_id: row.widget_id.clone(),
        actor_kind: "external_agent",
        actor_user_id: auth.key_id.clone(),
        actor_name: actor.to_owned(),
        external_label,
        surface: "api",
        status,
        timestamp,
    })
}

/// The display name a key's takeovers get by default: the member's for a key bound to one (or a session).
async fn key_name(db: &Db, auth: &DevAuth) -> ApiResult<String> {
    if let Some(member) = &auth.member {
        return Ok(member.name.clone());
    }
    let name = developer_keys::name(db, &auth.key_id).await?;
    Ok(if name.trim().is_empty() || name.starts_with("demo") { "Support agent".into() } else { name })
}

/// Body of a reply (camelCase alias `speakerName`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReplyBody {
    /// The message, 1 to 4000 characters.
    #[schema(example = "Hi, Sam here. How can I help?")]
    pub text: String,
    /// Name shown with the message, at most 80 characters (default: the takeover's actor name).
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

/// 409 unless the key's actor holds the conversation `row`.
fn check_holder(row: &Summary, auth: &DevAuth) -> ApiResult<()> {
    if row.status != "human_active" {
        return Err(ApiError::Conflict(format!(
            "take the conversation over first: POST /api/v1/conversations/{}/takeover",
            row.id
        )));
    }
    if row.takeover_key_id.as_deref() != Some(auth.key_id.as_str()) {
        return Err(ApiError::Conflict(format!(
            "the conversation is taken over by {} with another key; only that actor can reply",
            row.takeover_actor_name.clone().unwrap_or_default()
        )));
    }
    Ok(())
}

/// `POST /api/v1/conversations/:id/reply` (scope `conversations:reply`): an agent message, pushed live, translated
/// into the visitor's language when a model provider is configured ([`crate::translation`]).
#[utoipa::path(
    post,
    path = "/conversations/{id}/reply",
    operation_id = "reply_to_conversation",
    tag = "conversations",
    summary = "Reply as the agent holding the conversation",
    description = "Scope `conversations:reply`. Needs a takeover by the same key first; the message is pushed to the \
        visitor at once.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = ReplyBody,
    responses(
        (status = 201, description = "The stored agent message, translated when a provider is configured", body = AgentReply),
        (status = 404, description = "No such conversation in the organisation", body = ErrorBody),
        (status = 409, description = "Not taken over, or taken over with another key", body = ErrorBody),
    ),
)]
pub async fn reply(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<(axum::http::StatusCode, Json<AgentReply>)> {
    auth.require("conversations:reply")?;
    let text = body.text.trim();
    if text.is_empty() {
        return Err(ApiError::bad_request("`text` is empty"));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::bad_request(format!("`text` is longer than {MAX_MESSAGE_CHARS} characters")));
    }
    let speaker = name_field(body.speaker_name, "speaker_name")?;
    // Checked before translating (a model call), so a refused reply costs nothing; checked again under the lock.
    check_holder(&find(&state.db, &auth, &id).await?, &auth)?;
    let shown = translation::for_visitor(&state.db, state.llm.as_deref(), &id, text).await?;
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, &auth, &id).await?;
    check_holder(&row, &auth)?;
    let speaker = speaker.or(row.takeover_actor_name).unwrap_or_else(|| "Support agent".into());
    let original = shown.translated_to.is_some().then_some(text);
    let message = messages::insert_agent(&mut tx, &id, &shown.text, original, &speaker).await?;
    conversations::touch(&mut *tx, &id).await?;
    events::append(&mut tx, &id, kind::MESSAGE, &MessageEvent { message: message.clone() }).await?;
    tx.commit().await?;
    state.hub.notify(&id);
    let reply = AgentReply { message, original_text: text.to_owned(), translated_to: shown.translated_to };
    Ok((axum::http::StatusCode::CREATED, Json(reply)))
}

/// `POST /api/v1/conversations/:id/handback` (scope `conversations:handback`): the AI answers again.
#[utoipa::path(
    post,
    path = "/conversations/{id}/handback",
    operation_id = "hand_back_conversation",
    tag = "conversations",
    summary = "Hand a conversation back to the AI",
    description = "Scope `conversations:handback`.",
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
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, &auth, &id).await?;
    if row.status != "human_active" {
        return Err(ApiError::Conflict("the conversation is not taken over; there is nothing to hand back".into()));
    }
    conversations::hand_back(&mut tx, &id).await?;
    let persona = match &row.persona_id {
        Some(pid) => personas::public_by_id(&mut *tx, pid).await?,
        None => None,
    };
    events::append(&mut tx, &id, kind::HANDBACK, &HandbackEvent { persona }).await?;
    let actor = row.takeover_actor_name.clone().unwrap_or_default();
    let label = row.takeover_external_label.clone();
    let payload = takeover_payload(&mut tx, "conversation.handback", &row, &auth, &actor, label, "active").await?;
    webhooks::enqueue(&mut tx, &auth.org_id, payload.event, &payload).await?;
    tx.commit().await?;
    state.hub.notify(&id);
    state.webhooks.wake();
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
    description = "Scope `conversations:write`.",
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
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, &auth, &id).await?;
    let persona_id: Option<String> = match requested {
        Some(pid) => personas::in_widget(&mut *tx, &pid, &row.widget_id)
            .await?
            .map(Some)
            .ok_or_else(|| ApiError::not_found(format!("no persona `{pid}` in this conversation's widget")))?,
        // `null` clears the override: back to the persona the conversation's page calls for.
        None => {
            let all = personas::public_list(&mut *tx, &row.widget_id).await?;
            url_pattern::choose(&all, row.page_url.as_deref().unwrap_or_default()).map(|p| p.id.clone())
        }
    };
    conversations::set_persona(&mut tx, &id, persona_id.as_deref()).await?;
    if let Some(pid) = &persona_id {
        if let Some(persona) = personas::public_by_id(&mut *tx, pid).await? {
            events::append(&mut tx, &id, kind::PERSONA, &PersonaEvent { persona }).await?;
        }
    }
    tx.commit().await?;
    state.hub.notify(&id);
    get(State(state), auth, ApiPath(id)).await
}
