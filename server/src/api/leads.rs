//! `/api/v1/leads`: the sales pipeline, readable and writable from a CRM or a script.
//!
//! Writes fire the lead webhooks in the same transaction (`lead.created`, `lead.updated`, and
//! `lead.stage_changed` when the stage moves), and a write that changes nothing fires nothing.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use quincer_protocol::identify::{MAX_NAME_CHARS, MAX_PHONE_CHARS};
use serde::Deserialize;
use serde_json::Value;

use super::pagination::PageRequest;
use super::{nullable, since, Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::ids;
use crate::leads::{self, Change, Lead, MAX_NOTES, MAX_TAGS, MAX_TAG_CHARS, MAX_TEXT, STAGES, TEMPERATURES};
use crate::state::AppState;
use crate::store::leads::{self as store, Fields, ListFilter};
use crate::store::{begin_write, conversations};

/// Create and update body. Text fields take `null` to clear them; unknown fields are refused. camelCase aliases:
/// `widgetId`, `conversationId`, `jobTitle`, `assignedTo`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadBody {
    /// The widget (create only, required).
    #[serde(alias = "widgetId")]
    pub widget_id: Option<String>,
    /// Link to one of the widget's conversations (create only).
    #[serde(alias = "conversationId")]
    pub conversation_id: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// Email address.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// Phone number.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// Company.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub company: Option<Option<String>>,
    /// Job title.
    #[serde(default, alias = "jobTitle", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub job_title: Option<Option<String>>,
    /// Pipeline stage: `new`, `contacted`, `qualified`, `proposal`, `negotiation`, `won` or `lost`.
    #[schema(example = "qualified")]
    pub stage: Option<String>,
    /// `cold`, `warm` or `hot`.
    #[schema(example = "warm")]
    pub temperature: Option<String>,
    /// 0–100.
    #[schema(minimum = 0, maximum = 100)]
    pub score: Option<i64>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    /// Owner.
    #[serde(default, alias = "assignedTo", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub assigned_to: Option<Option<String>>,
    /// BANT: budget.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub budget: Option<Option<String>>,
    /// BANT: authority.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub authority: Option<Option<String>>,
    /// BANT: need.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub need: Option<Option<String>>,
    /// BANT: timeline.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub timeline: Option<Option<String>>,
    /// The four BANT fields as one object, as the full record shows them.
    pub bant: Option<BantBody>,
    /// Free notes.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

/// `bant` in a body: the four BANT fields, each a string or `null`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BantBody {
    #[serde(default, deserialize_with = "nullable")]
    budget: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    authority: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    need: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    timeline: Option<Option<String>>,
}

/// A body's values, checked and trimmed; blank strings count as `null`.
#[derive(Debug, Default)]
struct Checked {
    text: Vec<(&'static str, Option<Option<String>>)>,
    stage: Option<String>,
    temperature: Option<String>,
    score: Option<i64>,
    tags: Option<String>,
}

impl Checked {
    /// The checked value of text column `name`: absent, `null`, or a value.
    fn get(&self, name: &str) -> Option<Option<String>> {
        self.text.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.clone())
    }

    /// The columns the body sets (absent fields left out).
    fn fields(&self) -> Fields {
        Fields {
            text: self.text.iter().filter_map(|(name, value)| Some((*name, value.clone()?))).collect(),
            stage: self.stage.clone(),
            temperature: self.temperature.clone(),
            score: self.score,
            tags: self.tags.clone(),
        }
    }
}

fn check(body: LeadBody) -> ApiResult<Checked> {
    let bant = body.bant.unwrap_or_default();
    let fields = [
        ("name", body.name, MAX_NAME_CHARS),
        ("email", body.email, MAX_TEXT),
        ("phone", body.phone, MAX_PHONE_CHARS),
        ("company", body.company, MAX_TEXT),
        ("job_title", body.job_title, MAX_TEXT),
        ("assigned_to", body.assigned_to, MAX_TEXT),
        ("budget", body.budget.or(bant.budget), MAX_TEXT),
        ("authority", body.authority.or(bant.authority), MAX_TEXT),
        ("need", body.need.or(bant.need), MAX_TEXT),
        ("timeline", body.timeline.or(bant.timeline), MAX_TEXT),
        ("notes", body.notes, MAX_NOTES),
    ];
    let mut checked = Checked::default();
    for (name, value, max) in fields {
        let value = value.map(|v| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()));
        if let Some(Some(v)) = &value {
            if v.chars().count() > max {
                return Err(ApiError::bad_request(format!("`{name}` is longer than {max} characters")));
            }
            match name {
                "email" => crate::contact::check_email(v)?,
                "phone" => crate::contact::check_phone(v)?,
                _ => {}
            }
        }
        checked.text.push((name, value));
    }
    checked.stage = one_of("stage", body.stage, STAGES)?;
    checked.temperature = one_of("temperature", body.temperature, TEMPERATURES)?;
    if let Some(score) = body.score {
        if !(0..=100).contains(&score) {
            return Err(ApiError::bad_request("`score` must be an integer from 0 to 100"));
        }
        checked.score = Some(score);
    }
    if let Some(tags) = body.tags {
        if tags.len() > MAX_TAGS {
            return Err(ApiError::bad_request(format!("at most {MAX_TAGS} `tags`")));
        }
        let mut clean: Vec<String> = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            let tag = tag.trim();
            if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
                return Err(ApiError::bad_request(format!("`tags[{i}]` must be 1 to {MAX_TAG_CHARS} characters")));
            }
            if !clean.iter().any(|t| t == tag) {
                clean.push(tag.to_owned());
            }
        }
        checked.tags = Some(serde_json::to_string(&clean).unwrap_or_default());
    }
    Ok(checked)
}

/// A value that must be one of `allowed`.
fn one_of(field: &str, value: Option<String>, allowed: &[&str]) -> ApiResult<Option<String>> {
    match value.map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(ApiError::bad_request(format!("`{field}` must be one of {}", allowed.join(", "))))
        }
        v => Ok(v),
    }
}

/// The caller's lead `id`, or 404.
async fn find(state: &AppState, auth: &DevAuth, id: &str) -> ApiResult<Lead> {
    let mut tx = state.db.begin().await?;
    let lead = store::load(&mut tx, &auth.org_id, id).await?;
    lead.ok_or_else(|| ApiError::not_found(format!("no lead `{id}`")))
}

/// Reads the list filters: `widget_id`, `stage` and `temperature` (one value or comma-separated), `assigned_to`,
/// `updated_since`, with the camelCase aliases.
async fn parse_filter(state: &AppState, params: &HashMap<String, String>) -> ApiResult<ListFilter> {
    let param = |names: &[&str]| names.iter().find_map(|n| params.get(*n)).map(|v| v.trim().to_owned());
    let list = |field: &str, allowed: &[&str]| -> ApiResult<Vec<String>> {
        let mut out = Vec::new();
        for v in param(&[field]).unwrap_or_default().split(',').map(str::trim).filter(|v| !v.is_empty()) {
            out.extend(one_of(field, Some(v.to_owned()), allowed)?);
        }
        Ok(out)
    };
    Ok(ListFilter {
        widget_id: param(&["widget_id", "widgetId"]).filter(|v| !v.is_empty()),
        stages: list("stage", STAGES)?,
        temperatures: list("temperature", TEMPERATURES)?,
        assigned_to: param(&["assigned_to", "assignedTo"]).filter(|v| !v.is_empty()),
        updated_since: match param(&["updated_since", "updatedSince"]) {
            Some(v) => Some(since(&state.db, &v, "updated_since").await?),
            None => None,
        },
    })
}

/// `GET /api/v1/leads` (scope `leads:read`): newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/leads",
    operation_id = "list_leads",
    tag = "leads",
    summary = "List leads",
    description = "Scope `leads:read`. Newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's leads"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
        (
            "stage" = Option<String>,
            Query,
            description = "One stage or several, comma-separated: `new`, `contacted`, `qualified`, `proposal`, \
                `negotiation`, `won`, `lost`",
        ),
        (
            "temperature" = Option<String>,
            Query,
            description = "One temperature or several, comma-separated: `cold`, `warm`, `hot`",
        ),
        ("assigned_to" = Option<String>, Query, description = "Only leads assigned to this owner"),
        ("assignedTo" = Option<String>, Query, deprecated, description = "Legacy alias of `assigned_to`"),
        ("updated_since" = Option<String>, Query, description = "Only leads changed at or after this ISO 8601 time"),
        ("updatedSince" = Option<String>, Query, deprecated, description = "Legacy alias of `updated_since`"),
        Page,
    ),
    responses((status = 200, description = "A page of leads", body = ListEnvelope<Lead>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("leads:read")?;
    let filter = parse_filter(&state, &params).await?;
    let page = PageRequest::read(&state.db, &params, "lead", store::CURSOR, &auth.org_id).await?;
    // One more than a page, to learn `has_more`.
    let rows = store::list(&state.db, &auth.org_id, &filter, page.before_seq, page.limit + 1).await?;
    let total = store::count(&state.db, &auth.org_id, &filter).await?;
    Ok(Json(page.envelope(rows, total, "/api/v1/leads", "leads")))
}

/// `POST /api/v1/leads` (scope `leads:write`): 201. Requires `widget_id` and one of `email`, `name`, `phone`.
#[utoipa::path(
    post,
    path = "/leads",
    operation_id = "create_lead",
    tag = "leads",
    summary = "Create a lead",
    description = "Scope `leads:write`. Requires `widget_id` and at least one of `email`, `name`, `phone`. Fires \
        `lead.created`.",
    security(("developer_key" = [])),
    request_body = LeadBody,
    responses(
        (status = 201, description = "The new lead", body = Lead),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<LeadBody>,
) -> ApiResult<(StatusCode, Json<Lead>)> {
    auth.require("leads:write")?;
    let widget_id = body.widget_id.clone().filter(|w| !w.trim().is_empty());
    let widget_id = widget_id.ok_or_else(|| ApiError::bad_request("`widget_id` is required"))?;
    let conversation_id = body.conversation_id.clone();
    let c = check(body)?;
    if ["email", "name", "phone"].iter().all(|f| c.get(f).flatten().is_none()) {
        return Err(ApiError::bad_request("a lead needs at least one of `email`, `name` or `phone`"));
    }
    let widget_id = super::target_widget(&state.db, &auth, Some(widget_id.trim())).await?;
    let mut tx = begin_write(&state.db).await?;
    if let Some(conv) = &conversation_id {
        if !conversations::in_widget(&mut *tx, conv, &widget_id).await? {
            return Err(ApiError::bad_request(format!("`conversation_id`: no conversation `{conv}` in this widget")));
        }
    }
    let id = ids::new_id("lead");
    let stage = c.stage.clone().unwrap_or_else(|| "new".into());
    let fields = c.fields();
    store::insert(&mut tx, &id, &widget_id, conversation_id.as_deref(), &stage, &fields).await?;
    store::record_stage(&mut *tx, &id, None, &stage).await?;
    let lead = store::load(&mut tx, &auth.org_id, &id).await?.ok_or_else(|| ApiError::Internal("lost lead".into()))?;
    leads::enqueue_events(&mut tx, &auth.org_id, &lead, Change::Created).await?;
    tx.commit().await?;
    state.webhooks.wake();
    Ok((StatusCode::CREATED, Json(lead)))
}

/// `GET /api/v1/leads/:id` (scope `leads:read`): the full record, with BANT and the stage history.
#[utoipa::path(
    get,
    path = "/leads/{id}",
    operation_id = "get_lead",
    tag = "leads",
    summary = "Read a lead",
    description = "Scope `leads:read`. The full record, with `stage_history` and its `tasks` (newest first).",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id")),
    responses(
        (status = 200, description = "The lead", body = Lead),
        (status = 404, description = "No such lead in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(State(state): State<AppState>, auth: DevAuth, ApiPath(id): ApiPath<String>) -> ApiResult<Json<Lead>> {
    auth.require("leads:read")?;
    Ok(Json(find(&state, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/leads/:id` (scope `leads:write`).
#[utoipa::path(
    method(post, patch),
    path = "/leads/{id}",
    operation_id = "update_lead",
    tag = "leads",
    summary = "Update a lead",
    description = "Scope `leads:write`. Fires `lead.updated` (and `lead.stage_changed` when the stage moves); a change \
        that changes nothing fires nothing.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id")),
    request_body = LeadBody,
    responses(
        (status = 200, description = "The lead after the change", body = Lead),
        (status = 404, description = "No such lead in the organisation", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<LeadBody>,
) -> ApiResult<Json<Lead>> {
    auth.require("leads:write")?;
    if body.widget_id.is_some() || body.conversation_id.is_some() {
        return Err(ApiError::bad_request("a lead's `widget_id` and `conversation_id` cannot change"));
    }
    let c = check(body)?;
    let mut tx = begin_write(&state.db).await?;
    let before =
        store::load(&mut tx, &auth.org_id, &id).await?.ok_or_else(|| ApiError::not_found(format!("no lead `{id}`")))?;
    store::update_fields(&mut tx, &id, &c.fields()).await?;
    let after = store::load(&mut tx, &auth.org_id, &id).await?.ok_or_else(|| ApiError::Internal("lost lead".into()))?;
    if same_fields(&before, &after) {
        return Ok(Json(before)); // nothing changed: no new `updated_at`, no webhook
    }
    store::touch(&mut tx, &id).await?;
    if after.stage != before.stage {
        store::record_stage(&mut *tx, &id, Some(&before.stage), &after.stage).await?;
    }
    let after = store::load(&mut tx, &auth.org_id, &id).await?.ok_or_else(|| ApiError::Internal("lost lead".into()))?;
    leads::enqueue_events(&mut tx, &auth.org_id, &after, Change::Updated { previous_stage: Some(&before.stage) })
        .await?;
    tx.commit().await?;
    state.webhooks.wake();
    Ok(Json(after))
}

/// Whether two versions of a lead have the same data (times aside).
fn same_fields(a: &Lead, b: &Lead) -> bool {
    let data = |l: &Lead| {
        let mut v = serde_json::to_value(l).unwrap_or_default();
        if let Value::Object(map) = &mut v {
            map.remove("updated_at");
        }
        v
    };
    data(a) == data(b)
}

/// `DELETE /api/v1/leads/:id` (scope `leads:delete`): the lead and its history.
#[utoipa::path(
    delete,
    path = "/leads/{id}",
    operation_id = "delete_lead",
    tag = "leads",
    summary = "Delete a lead",
    description = "Scope `leads:delete`. With its stage history.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such lead in the organisation", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("leads:delete")?;
    find(&state, &auth, &id).await?;
    store::delete(&state.db, &id).await?;
    Ok(super::deleted("lead", &id))
}
