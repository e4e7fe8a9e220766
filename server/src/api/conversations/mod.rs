//! `/api/v1/conversations`: discover, take over, reply on, hand back and hand off live conversations, read their
//! audit trail, and follow an organisation's conversations live.
//!
//! The handlers read requests; what the actions do is [`crate::handling`]'s. Submodules: [`actions`] (takeover,
//! reply, handback, handoff), [`audit`] (`GET …/:id/audit`), [`stream`] (`GET …/events`, the inbox's live feed).

pub mod actions;
pub mod audit;
pub mod stream;

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use quincer_protocol::conversation::Message;
use quincer_protocol::error::ErrorBody;
use quincer_protocol::identify::Visitor;
use serde::Serialize;

use super::{ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::store::conversations::{self, ListFilter, Order, Summary};
use crate::store::{messages, Db};
use crate::visitors;

/// Longest preview of the newest message, in characters.
const PREVIEW_CHARS: usize = 140;

/// Who holds a taken-over conversation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Takeover {
    /// The agent's display name, shown to the visitor.
    pub actor_name: String,
    /// Free label of the external system (e.g. a ticket id).
    pub external_label: Option<String>,
    /// `internal_user` (a team member) or `external_agent` (a developer key bound to no member).
    pub actor_kind: String,
    /// When it was taken over.
    pub taken_over_at: Option<String>,
}

/// Who holds a taken-over conversation, as the inbox shows them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HolderResource {
    /// `internal_user` (a team member) or `external_agent` (a developer key bound to no member).
    pub actor_kind: String,
    /// The member, for an `internal_user`.
    pub member_id: Option<String>,
    /// Display name, as the visitor sees it.
    pub name: String,
    /// The member's avatar URL.
    pub avatar_url: Option<String>,
    /// Where they took over: `api` or `dashboard`.
    pub surface: Option<String>,
}

/// The lead a conversation produced, or its visitor gave on this widget (the newest, when several).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeadRef {
    /// Lead id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its email.
    pub email: Option<String>,
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
    /// The newest message's text (any author), whitespace collapsed, cut to 140 characters with `…`.
    pub last_message_preview: Option<String>,
    /// Time of the newest activity: a message from anyone, a takeover, handback or handoff (`updated_at`).
    pub last_activity_at: String,
    /// Visitor messages after the newest human agent reply: all of them when no agent has replied. The AI's
    /// answers do not count as read: the number says how much a human has not answered yet.
    pub unread_count: i64,
    /// The visitor's language (a BCP 47 tag) as the widget last reported it.
    pub language: Option<String>,
    /// The lead captured in the conversation or from its visitor on this widget (the newest), or `null`.
    pub lead: Option<LeadRef>,
    /// Who holds the conversation while it is `human_active`, else `null`.
    pub holder: Option<HolderResource>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// The transcript (single-conversation responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Message>>,
}

/// The newest message's text as a one-line preview.
fn preview(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= PREVIEW_CHARS {
        return line;
    }
    let cut: String = line.chars().take(PREVIEW_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

impl From<Summary> for ConversationResource {
    fn from(r: Summary) -> Self {
        let held = r.status == "human_active";
        // Takeovers from before attribution was recorded were all by unbound developer keys.
        let kind = r.takeover_actor_kind.clone().unwrap_or_else(|| "external_agent".into());
        let holder = r.takeover_actor_name.clone().filter(|_| held).map(|name| HolderResource {
            actor_kind: kind.clone(),
            member_id: r.takeover_member_id.clone(),
            name,
            avatar_url: r.takeover_avatar_url.clone(),
            surface: r.takeover_surface.clone(),
        });
        ConversationResource {
            object: "conversation",
            takeover: r.takeover_actor_name.filter(|_| held).map(|actor_name| Takeover {
                actor_name,
                external_label: r.takeover_external_label,
                actor_kind: kind,
                taken_over_at: r.takeover_at,
            }),
            holder,
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
            last_message_preview: r.last_message_text.as_deref().map(preview),
            last_activity_at: r.updated_at.clone(),
            unread_count: r.unread_count,
            language: r.locale,
            lead: r.lead_id.map(|id| LeadRef { id, name: r.lead_name, email: r.lead_email }),
            created_at: r.created_at,
            updated_at: r.updated_at,
            messages: None,
        }
    }
}

/// The conversation `id` if it belongs to the caller's organisation.
pub(super) async fn find(db: &Db, auth: &DevAuth, id: &str) -> ApiResult<Summary> {
    conversations::find(db, &auth.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))
}

/// Reads and validates the list filters of the query string (snake_case names, plus the legacy camelCase aliases).
async fn parse_filter(db: &Db, auth: &DevAuth, params: &HashMap<String, String>) -> ApiResult<ListFilter> {
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
    f.held_by_member = match param(&["mine"]).as_deref() {
        None | Some("false") => None,
        Some("true") => Some(mine(auth)?),
        Some(_) => return Err(ApiError::bad_request("`mine` takes `true` or `false`")),
    };
    Ok(f)
}

/// The member `mine=true` means: the signed-in member, or the one the key is bound to.
fn mine(auth: &DevAuth) -> ApiResult<String> {
    auth.actor(None).member_id.ok_or_else(|| {
        ApiError::bad_request("`mine=true` needs a member: sign in, or use a developer key bound to a team member")
    })
}

/// `GET /api/v1/conversations` (scope `conversations:read`): newest first (created, or with `order=activity` most
/// recently active), cursor-paginated.
#[utoipa::path(
    get,
    path = "/conversations",
    operation_id = "list_conversations",
    tag = "conversations",
    summary = "List conversations",
    description = "Scope `conversations:read`. Newest first, cursor-paginated: newest created by default, most \
        recently active (`last_activity_at`) with `order=activity`.",
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
        (
            "mine" = Option<bool>,
            Query,
            description = "`true`: only conversations the calling member holds (a signed-in member, or a key bound \
                to one; 400 for an unbound key)",
        ),
        (
            "order" = Option<String>,
            Query,
            description = "`created` (default): newest created first; `activity`: newest `last_activity_at` first \
                (a conversation that changes while you page may move)",
        ),
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
    let filter = parse_filter(&state.db, &auth, &params).await?;
    let by_activity = match params.get("order").map(|s| s.trim()) {
        None | Some("") | Some("created") => false,
        Some("activity") => true,
        Some(_) => return Err(ApiError::bad_request("`order` takes `created` or `activity`")),
    };
    // The page after `starting_after` holds the conversations before it in the list's order.
    let cursor = match params.get("starting_after").map(|s| s.trim()) {
        None | Some("") => None,
        Some(after) => Some(
            find(&state.db, &auth, after)
                .await
                .map_err(|_| ApiError::bad_request(format!("`starting_after`: no conversation `{after}`")))?,
        ),
    };
    let order = if by_activity {
        Order::Activity(cursor.map(|c| (c.updated_at, c.seq)))
    } else {
        Order::Created(cursor.map(|c| c.seq))
    };

    let mut rows = conversations::list(&state.db, &auth.org_id, &filter, order, limit + 1).await?;
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
    with_transcript(&state, &auth, &id).await
}

/// The conversation and its transcript, as `get` and the actions answer them (an action's scope is enough to see
/// the conversation it changed).
pub(super) async fn with_transcript(
    state: &AppState,
    auth: &DevAuth,
    id: &str,
) -> ApiResult<Json<ConversationResource>> {
    let mut resource = ConversationResource::from(find(&state.db, auth, id).await?);
    resource.messages = Some(messages::transcript(&state.db, id).await?);
    Ok(Json(resource))
}
