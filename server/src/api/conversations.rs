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
use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use super::{ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::conversations;
use crate::error::{optional_json, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, JsonBytes};
use crate::events;
use crate::personas;
use crate::state::AppState;
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

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    id: String,
    widget_id: String,
    visitor_id: String,
    status: String,
    channel: String,
    persona_id: Option<String>,
    page_url: Option<String>,
    takeover_actor_name: Option<String>,
    takeover_external_label: Option<String>,
    takeover_key_id: Option<String>,
    takeover_at: Option<String>,
    visitor_email: Option<String>,
    visitor_name: Option<String>,
    visitor_phone: Option<String>,
    visitor_external_id: Option<String>,
    visitor_traits: Option<String>,
    visitor_identified_at: Option<String>,
    message_count: i64,
    last_message_at: Option<String>,
    created_at: String,
    updated_at: String,
}

const SELECT: &str = "SELECT c.seq, c.id, c.widget_id, c.visitor_id, c.status, c.channel, c.persona_id, c.page_url,
        c.takeover_actor_name, c.takeover_external_label, c.takeover_key_id, c.takeover_at, c.created_at, c.updated_at,
        v.email AS visitor_email, v.name AS visitor_name, v.phone AS visitor_phone,
        v.external_id AS visitor_external_id, v.traits AS visitor_traits, v.identified_at AS visitor_identified_at,
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
        (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = c.id) AS last_message_at
    FROM conversations c JOIN widgets w ON w.id = c.widget_id LEFT JOIN visitors v ON v.id = c.visitor_id
    WHERE w.org_id = ";

impl From<Row> for ConversationResource {
    fn from(r: Row) -> Self {
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
async fn find(db: &SqlitePool, auth: &DevAuth, id: &str) -> ApiResult<Row> {
    let mut q = QueryBuilder::<Sqlite>::new(SELECT);
    q.push_bind(&auth.org_id).push(" AND c.id = ").push_bind(id);
    q.build_query_as::<Row>()
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))
}

/// The same, inside a write transaction: the first statement takes SQLite's write lock, so the state read next
/// cannot change before this transaction commits (two racing takeovers are serialised, never both granted).
async fn lock(tx: &mut Transaction<'_, Sqlite>, auth: &DevAuth, id: &str) -> ApiResult<Row> {
    sqlx::query("UPDATE conversations SET seq = seq WHERE id = ?").bind(id).execute(&mut **tx).await?;
    let mut q = QueryBuilder::<Sqlite>::new(SELECT);
    q.push_bind(&auth.org_id).push(" AND c.id = ").push_bind(id);
    q.build_query_as::<Row>()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))
}

/// Validated list filters.
#[derive(Debug, Default)]
struct Filters {
    widget_id: Option<String>,
    statuses: Vec<String>,
    channel: Option<String>,
    engaged_only: bool,
    /// Normalised RFC 3339 time.
    updated_since: Option<String>,
}

impl Filters {
    /// Reads and validates the query string (snake_case names, plus the legacy camelCase aliases).
    async fn parse(db: &SqlitePool, params: &HashMap<String, String>) -> ApiResult<Filters> {
        let param = |names: &[&str]| names.iter().find_map(|n| params.get(*n)).map(|v| v.trim().to_owned());
        let mut f = Filters {
            widget_id: param(&["widget_id", "widgetId"]),
            channel: param(&["channel"]),
            ..Filters::default()
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

    /// Appends the filters as `AND …` clauses.
    fn push(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        if let Some(widget_id) = &self.widget_id {
            q.push(" AND c.widget_id = ").push_bind(widget_id.clone());
        }
        if !self.statuses.is_empty() {
            q.push(" AND c.status IN (");
            let mut sep = q.separated(", ");
            for s in &self.statuses {
                sep.push_bind(s.clone());
            }
            q.push(")");
        }
        if let Some(channel) = &self.channel {
            q.push(" AND c.channel = ").push_bind(channel.clone());
        }
        if self.engaged_only {
            q.push(" AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user')");
        }
        if let Some(since) = &self.updated_since {
            q.push(" AND c.updated_at >= ").push_bind(since.clone());
        }
    }
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
    let filters = Filters::parse(&state.db, &params).await?;
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

    let mut page = QueryBuilder::<Sqlite>::new(SELECT);
    page.push_bind(auth.org_id.clone());
    filters.push(&mut page);
    if let Some(seq) = cursor {
        page.push(" AND c.seq < ").push_bind(seq);
    }
    page.push(" ORDER BY c.seq DESC LIMIT ").push_bind(limit + 1);
    let mut rows: Vec<Row> = page.build_query_as().fetch_all(&state.db).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);

    let mut count = QueryBuilder::<Sqlite>::new(
        "SELECT COUNT(*) FROM conversations c JOIN widgets w ON w.id = c.widget_id WHERE w.org_id = ",
    );
    count.push_bind(auth.org_id.clone());
    filters.push(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&state.db).await?;

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
    resource.messages = Some(conversations::messages(&state.db, &id).await?);
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
    sqlx::query(
        "UPDATE conversations SET status = 'human_active', takeover_actor_name = ?, takeover_external_label = ?,
             takeover_key_id = ?, takeover_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?",
    )
    .bind(&actor)
    .bind(&label)
    .bind(&auth.key_id)
    .bind(&id)
    .execute(&mut *tx)
    .await?;
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
    tx: &mut Transaction<'_, Sqlite>,
    event: &'static str,
    row: &Row,
    auth: &DevAuth,
    actor: &str,
    external_label: Option<String>,
    status: &'static str,
) -> ApiResult<TakeoverPayload> {
    let timestamp: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')").fetch_one(&mut **tx).await?;
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

/// The display name a key's takeovers get by default.
async fn key_name(db: &SqlitePool, auth: &DevAuth) -> ApiResult<String> {
    let name: String =
        sqlx::query_scalar("SELECT name FROM developer_keys WHERE id = ?").bind(&auth.key_id).fetch_one(db).await?;
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
fn check_holder(row: &Row, auth: &DevAuth) -> ApiResult<()> {
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
    let message = conversations::insert_agent_message(&mut tx, &id, &shown.text, original, &speaker).await?;
    sqlx::query("UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
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
    sqlx::query(
        "UPDATE conversations SET status = 'active', takeover_actor_name = NULL, takeover_external_label = NULL,
             takeover_key_id = NULL, takeover_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await?;
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
        Some(pid) => sqlx::query_scalar("SELECT id FROM personas WHERE id = ? AND widget_id = ?")
            .bind(&pid)
            .bind(&row.widget_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(Some)
            .ok_or_else(|| ApiError::not_found(format!("no persona `{pid}` in this conversation's widget")))?,
        // `null` clears the override: back to the persona the conversation's page calls for.
        None => {
            let all = personas::public_list(&mut *tx, &row.widget_id).await?;
            url_pattern::choose(&all, row.page_url.as_deref().unwrap_or_default()).map(|p| p.id.clone())
        }
    };
    sqlx::query(
        "UPDATE conversations SET persona_id = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(&persona_id)
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    if let Some(pid) = &persona_id {
        if let Some(persona) = personas::public_by_id(&mut *tx, pid).await? {
            events::append(&mut tx, &id, kind::PERSONA, &PersonaEvent { persona }).await?;
        }
    }
    tx.commit().await?;
    state.hub.notify(&id);
    get(State(state), auth, ApiPath(id)).await
}
