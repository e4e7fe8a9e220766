//! `/api/v1/personas`: who the AI speaks as, and on which pages.
//!
//! A widget always has at least one persona and exactly one default: creating or updating a persona with
//! `is_default: true` moves the default to it, deleting the default hands it to the next persona, and deleting the
//! last persona is refused.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use quincer_protocol::url_pattern::UrlPattern;
use serde::Deserialize;
use serde_json::Value;

use super::pagination::PageRequest;
use super::{Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::ids;
use crate::integration_settings::{nullable, EmailInbox, MetaAssets, PersonaSettings, PersonaSettingsPatch, Voice};
use crate::state::AppState;
/// The resource as the store reads it (defined there, so that the store imports nothing of the API).
pub use crate::store::personas::PersonaResource;
use crate::store::{self, personas as store_personas};

/// Longest name.
const MAX_NAME: usize = 80;
/// Longest system prompt.
const MAX_PROMPT: usize = 20_000;
/// Longest greeting.
const MAX_GREETING: usize = 500;
/// Most URL patterns per persona.
const MAX_PATTERNS: usize = 50;

async fn find<'e>(db: impl store::Exec<'e>, auth: &DevAuth, id: &str) -> ApiResult<PersonaResource> {
    store_personas::find(db, &auth.org_id, id).await?.ok_or_else(|| ApiError::not_found(format!("no persona `{id}`")))
}

/// Create and update body; every field optional on update. Unknown fields are refused, so a typo is not ignored.
/// Each field also takes its camelCase name (`systemPrompt` or `prompt`, `widgetId`, `bubbleColor`, …).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaBody {
    /// Display name, 1 to 80 characters (required on create).
    #[schema(example = "Sales")]
    pub name: Option<String>,
    /// Instructions for the model, at most 20,000 characters.
    #[serde(alias = "systemPrompt", alias = "prompt")]
    #[schema(example = "You are Max, our sales assistant.")]
    pub system_prompt: Option<String>,
    /// The widget (create only; optional when the organisation has one widget).
    #[serde(alias = "widgetId")]
    pub widget_id: Option<String>,
    /// CSS hex colour (`#rgb` or `#rrggbb`).
    #[serde(alias = "bubbleColor")]
    #[schema(example = "#b45309")]
    pub bubble_color: Option<String>,
    /// URL patterns (see docs/API.md, "URL pattern rules"), at most 50.
    #[serde(alias = "urlPatterns")]
    #[schema(example = json!(["/pricing", "/plans/*"]))]
    pub url_patterns: Option<Vec<String>>,
    /// Make it the widget's default.
    #[serde(alias = "isDefault")]
    pub is_default: Option<bool>,
    /// Greeting, at most 500 characters; `""` clears it.
    pub greeting: Option<String>,
    /// Avatar URL (http or https); `""` clears it.
    #[serde(alias = "avatarUrl")]
    #[schema(example = "https://shop.example/max.png")]
    pub avatar_url: Option<String>,
    /// Offer the in-chat lead form.
    #[serde(alias = "captureLeads")]
    pub capture_leads: Option<bool>,
    /// `general` (default), `sales` or `support`: `support` personas do not argue from the sales playbook.
    #[serde(default, alias = "agentMode", deserialize_with = "nullable")]
    pub agent_mode: Option<Option<String>>,
    /// Voice: `{"enabled", "voice_id", "language"}` (stored for the voice relay).
    #[serde(default, deserialize_with = "nullable")]
    pub voice: Option<Option<Voice>>,
    /// Slack channel approving this persona's handoffs, e.g. `C0123456789` (stored for the Slack integration).
    #[serde(default, alias = "slackChannelId", deserialize_with = "nullable")]
    pub slack_channel_id: Option<Option<String>>,
    /// Telegram chat for the same: numeric id or `@username` (stored for the Telegram integration).
    #[serde(default, alias = "telegramChatId", deserialize_with = "nullable")]
    pub telegram_chat_id: Option<Option<String>>,
    /// Meta assets: `{"facebook_page_id", "instagram_account_id", "whatsapp_phone_number_id"}` (stored).
    #[serde(default, alias = "metaAssets", deserialize_with = "nullable")]
    pub meta_assets: Option<Option<MetaAssets>>,
    /// Tools it may use (`null`: all). Without `show_products` it never shows product cards.
    #[serde(default, alias = "enabledToolIds", deserialize_with = "nullable")]
    pub enabled_tool_ids: Option<Option<Vec<String>>>,
    /// Its email inbox: `{"address", "display_name", "reply_to", "signature"}` (stored for the email channel).
    #[serde(default, alias = "emailInbox", deserialize_with = "nullable")]
    pub email_inbox: Option<Option<EmailInbox>>,
}

impl PersonaBody {
    /// The channel and integration fields of the body.
    fn settings_patch(&mut self) -> PersonaSettingsPatch {
        PersonaSettingsPatch {
            agent_mode: self.agent_mode.take(),
            voice: self.voice.take(),
            slack_channel_id: self.slack_channel_id.take(),
            telegram_chat_id: self.telegram_chat_id.take(),
            meta_assets: self.meta_assets.take(),
            enabled_tool_ids: self.enabled_tool_ids.take(),
            email_inbox: self.email_inbox.take(),
        }
    }
}

/// Checked values of a body.
struct Checked {
    name: Option<String>,
    patterns: Option<String>,
    color: Option<String>,
    greeting: Option<Option<String>>,
    avatar: Option<Option<String>>,
}

fn check(body: &PersonaBody) -> ApiResult<Checked> {
    let name = match &body.name {
        Some(n) if n.trim().is_empty() => return Err(ApiError::bad_request("`name` is empty")),
        Some(n) if n.trim().chars().count() > MAX_NAME => {
            return Err(ApiError::bad_request(format!("`name` is longer than {MAX_NAME} characters")))
        }
        n => n.as_ref().map(|n| n.trim().to_owned()),
    };
    if body.system_prompt.as_ref().is_some_and(|p| p.chars().count() > MAX_PROMPT) {
        return Err(ApiError::bad_request(format!("`system_prompt` is longer than {MAX_PROMPT} characters")));
    }
    let color = match &body.bubble_color {
        Some(c) => {
            let c = c.trim();
            let hex = c.strip_prefix('#').unwrap_or_default();
            if !matches!(hex.len(), 3 | 6) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ApiError::bad_request("`bubble_color` must be a CSS hex colour such as #0f766e"));
            }
            Some(c.to_ascii_lowercase())
        }
        None => None,
    };
    let patterns = match &body.url_patterns {
        Some(list) if list.len() > MAX_PATTERNS => {
            return Err(ApiError::bad_request(format!("at most {MAX_PATTERNS} `url_patterns`")))
        }
        Some(list) => {
            let mut clean = Vec::new();
            for (i, p) in list.iter().enumerate() {
                UrlPattern::parse(p).map_err(|e| ApiError::bad_request(format!("`url_patterns[{i}]` ({p:?}): {e}")))?;
                clean.push(p.trim().to_owned());
            }
            Some(serde_json::to_string(&clean).unwrap_or_default())
        }
        None => None,
    };
    let greeting = match &body.greeting {
        Some(g) if g.chars().count() > MAX_GREETING => {
            return Err(ApiError::bad_request(format!("`greeting` is longer than {MAX_GREETING} characters")))
        }
        g => g.as_ref().map(|g| Some(g.trim().to_owned()).filter(|g| !g.is_empty())),
    };
    // Empty clears the avatar; anything else must be a web URL.
    let web_url = |a: &str| a.trim().is_empty() || a.starts_with("https://") || a.starts_with("http://");
    let avatar = match &body.avatar_url {
        Some(a) if !web_url(a) || a.len() > 2048 => {
            return Err(ApiError::bad_request("`avatar_url` must be an http(s) URL"))
        }
        a => a.as_ref().map(|a| Some(a.trim().to_owned()).filter(|a| !a.is_empty())),
    };
    Ok(Checked { name, patterns, color, greeting, avatar })
}

/// `GET /api/v1/personas` (scope `personas:read`); filter `widget_id`.
#[utoipa::path(
    get,
    path = "/personas",
    operation_id = "list_personas",
    tag = "personas",
    summary = "List personas",
    description = "Scope `personas:read`. Newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's personas"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
        Page,
    ),
    responses((status = 200, description = "A page of personas", body = ListEnvelope<PersonaResource>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("personas:read")?;
    let page = PageRequest::read(&state.db, &params, "persona", store_personas::CURSOR, &auth.org_id).await?;
    let widget = params.get("widget_id").or_else(|| params.get("widgetId")).map(|w| w.trim().to_owned());
    let data =
        store_personas::list(&state.db, &auth.org_id, widget.as_deref(), page.before_seq, page.limit + 1).await?;
    let total = store_personas::count(&state.db, &auth.org_id, widget.as_deref()).await?;
    Ok(Json(page.envelope(data, total, "/api/v1/personas", "personas")))
}

/// `POST /api/v1/personas` (scope `personas:write`): 201.
#[utoipa::path(
    post,
    path = "/personas",
    operation_id = "create_persona",
    tag = "personas",
    summary = "Create a persona",
    description = "Scope `personas:write`. `is_default: true` moves the widget's default to it.",
    security(("developer_key" = [])),
    request_body = PersonaBody,
    responses(
        (status = 201, description = "The new persona", body = PersonaResource),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(mut body): ApiJson<PersonaBody>,
) -> ApiResult<(StatusCode, Json<PersonaResource>)> {
    auth.require("personas:write")?;
    let checked = check(&body)?;
    let settings = body.settings_patch().apply(PersonaSettings::default()).map_err(ApiError::BadRequest)?;
    let name = checked.name.ok_or_else(|| ApiError::bad_request("`name` is required"))?;
    let widget_id = super::target_widget(&state.db, &auth, body.widget_id.as_deref()).await?;
    let id = ids::new_id("per");
    let mut tx = state.db.begin().await?;
    let greeting = checked.greeting.flatten();
    let avatar = checked.avatar.flatten();
    let persona = store_personas::NewPersona {
        name: &name,
        system_prompt: body.system_prompt.as_deref().unwrap_or_default(),
        bubble_color: checked.color.as_deref(),
        url_patterns: checked.patterns.as_deref(),
        is_default: false,
        greeting: greeting.as_deref(),
        avatar_url: avatar.as_deref(),
        capture_leads: body.capture_leads.unwrap_or(false),
    };
    store_personas::insert(&mut *tx, &id, &widget_id, &persona).await?;
    store_personas::set_settings(&mut *tx, &id, &settings).await?;
    if body.is_default == Some(true) {
        store_personas::make_default(&mut *tx, &widget_id, &id).await?;
    }
    let persona = find(&mut *tx, &auth, &id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(persona)))
}

/// `GET /api/v1/personas/:id` (scope `personas:read`).
#[utoipa::path(
    get,
    path = "/personas/{id}",
    operation_id = "get_persona",
    tag = "personas",
    summary = "Read a persona",
    description = "Scope `personas:read`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Persona id")),
    responses(
        (status = 200, description = "The persona", body = PersonaResource),
        (status = 404, description = "No such persona in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PersonaResource>> {
    auth.require("personas:read")?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/personas/:id` (scope `personas:write`).
#[utoipa::path(
    method(post, patch),
    path = "/personas/{id}",
    operation_id = "update_persona",
    tag = "personas",
    summary = "Update a persona",
    description = "Scope `personas:write`. Absent fields are unchanged.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Persona id")),
    request_body = PersonaBody,
    responses(
        (status = 200, description = "The persona after the change", body = PersonaResource),
        (status = 404, description = "No such persona in the organisation", body = ErrorBody),
        (
            status = 409,
            description = "Unsetting the widget's default persona (make another one the default instead)",
            body = ErrorBody,
        ),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(mut body): ApiJson<PersonaBody>,
) -> ApiResult<Json<PersonaResource>> {
    auth.require("personas:write")?;
    let checked = check(&body)?;
    let patch = body.settings_patch();
    if body.widget_id.is_some() {
        return Err(ApiError::bad_request("a persona cannot move to another widget; create one there instead"));
    }
    // The write lock first, so reading then writing cannot fail on a snapshot another writer moved.
    let mut tx = store::begin_write(&state.db).await?;
    let current = find(&mut *tx, &auth, &id).await?;
    if body.is_default == Some(false) && current.is_default {
        return Err(ApiError::Conflict(
            "a widget needs a default persona: make another persona the default instead".into(),
        ));
    }
    let changes = store_personas::Changes {
        name: checked.name,
        system_prompt: body.system_prompt,
        bubble_color: checked.color,
        url_patterns: checked.patterns,
        greeting: checked.greeting,
        avatar_url: checked.avatar,
        capture_leads: body.capture_leads,
    };
    store_personas::update(&mut *tx, &id, &changes).await?;
    let settings = patch.apply(current.settings.clone()).map_err(ApiError::BadRequest)?;
    if settings != current.settings {
        store_personas::set_settings(&mut *tx, &id, &settings).await?;
    }
    if body.is_default == Some(true) {
        store_personas::make_default(&mut *tx, &current.widget_id, &id).await?;
    }
    let persona = find(&mut *tx, &auth, &id).await?;
    tx.commit().await?;
    Ok(Json(persona))
}

/// `DELETE /api/v1/personas/:id` (scope `personas:delete`): refused for the widget's last persona.
#[utoipa::path(
    delete,
    path = "/personas/{id}",
    operation_id = "delete_persona",
    tag = "personas",
    summary = "Delete a persona",
    description = "Scope `personas:delete`. Deleting the default hands it to the next persona.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Persona id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such persona in the organisation", body = ErrorBody),
        (status = 409, description = "The widget's last persona", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("personas:delete")?;
    let mut tx = state.db.begin().await?;
    // Take the write lock first, so two deletes cannot both see "not the last one".
    store_personas::lock(&mut *tx, &id).await?;
    let current = find(&mut *tx, &auth, &id).await?;
    if store_personas::count_in_widget(&mut *tx, &current.widget_id).await? <= 1 {
        return Err(ApiError::Conflict("this is the widget's last persona; a widget needs at least one".into()));
    }
    store_personas::delete(&mut *tx, &id).await?;
    if current.is_default {
        let next = store_personas::first_in_widget(&mut *tx, &current.widget_id).await?;
        store_personas::make_default(&mut *tx, &current.widget_id, &next).await?;
    }
    tx.commit().await?;
    Ok(super::deleted("persona", &id))
}
