//! `/api/v1/leads/:id/emails`: follow-up emails to a lead: drafted (by the model or the template writer), edited,
//! redrafted, approved and sent over SMTP ([`crate::emails`]).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Deserialize;
use serde_json::Value;

use super::pagination::PageRequest;
use super::{ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::emails::{self, LeadEmail, RedraftError, SendRefused};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::leads::Lead;
use crate::state::AppState;
use crate::store::lead_emails::{self as store, NewDraft};
use crate::store::{begin_write, leads};

/// Longest subject, in characters.
const MAX_SUBJECT: usize = 300;
/// Longest body, in characters.
const MAX_BODY: usize = 50_000;
/// Longest redraft instructions, in characters.
const MAX_INSTRUCTIONS: usize = 2_000;

/// The caller's lead `id`, or 404.
async fn lead(state: &AppState, auth: &DevAuth, id: &str) -> ApiResult<Lead> {
    let mut tx = state.db.begin().await?;
    let lead = leads::load(&mut tx, &auth.org_id, id).await?;
    lead.ok_or_else(|| ApiError::not_found(format!("no lead `{id}`")))
}

/// The caller's email `email_id` of lead `lead_id`, or 404.
async fn email(state: &AppState, auth: &DevAuth, lead_id: &str, email_id: &str) -> ApiResult<LeadEmail> {
    let found = store::find(&state.db, &auth.org_id, lead_id, email_id).await?;
    found.ok_or_else(|| ApiError::not_found(format!("no email `{email_id}` for lead `{lead_id}`")))
}

fn not_a_draft(e: &LeadEmail) -> ApiError {
    ApiError::Conflict(format!("email `{}` is `{}`: only drafts can be changed", e.id, e.status))
}

/// `GET /api/v1/leads/:id/emails` (scope `leads:read`).
#[utoipa::path(
    get,
    path = "/leads/{id}/emails",
    operation_id = "list_lead_emails",
    tag = "leads",
    summary = "List a lead's emails",
    description = "Scope `leads:read`. Drafted and sent follow-up emails, newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id"), Page),
    responses(
        (status = 200, description = "A page of emails", body = ListEnvelope<LeadEmail>),
        (status = 404, description = "No such lead in the organisation", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("leads:read")?;
    lead(&state, &auth, &id).await?;
    let page = PageRequest::read(&state.db, &params, "email", store::CURSOR, &auth.org_id).await?;
    let rows = store::list(&state.db, &auth.org_id, &id, page.before_seq, page.limit + 1).await?;
    let total = store::count(&state.db, &id).await?;
    Ok(Json(page.envelope(rows, total, &format!("/api/v1/leads/{id}/emails"), "emails")))
}

/// `POST /api/v1/leads/:id/emails/generate` (scope `leads:write`): the latest draft (200), or a new one (201).
#[utoipa::path(
    post,
    path = "/leads/{id}/emails/generate",
    operation_id = "generate_lead_email",
    tag = "leads",
    summary = "Draft a follow-up email",
    description = "Scope `leads:write`. Reuses the lead's latest draft if it has one (200); otherwise writes one from \
        the lead and its conversation (the configured model, else the template writer) and fires \
        `email.draft_created` (201).",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id")),
    responses(
        (status = 200, description = "The lead's existing draft", body = LeadEmail),
        (status = 201, description = "A new draft", body = LeadEmail),
        (status = 404, description = "No such lead in the organisation", body = ErrorBody),
    ),
)]
pub async fn generate(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<LeadEmail>)> {
    auth.require("leads:write")?;
    let lead = lead(&state, &auth, &id).await?;
    let (email, created) = emails::draft_for(&state.db, state.llm.as_deref(), &auth.org_id, &lead).await?;
    if !created {
        return Ok((StatusCode::OK, Json(email)));
    }
    state.webhooks.wake();
    Ok((StatusCode::CREATED, Json(email)))
}

/// `PATCH` body: the draft's new text.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// New subject.
    pub subject: Option<String>,
    /// New plain-text body.
    pub body: Option<String>,
}

/// `PATCH /api/v1/leads/:id/emails/:email_id` (scope `leads:write`): drafts only.
#[utoipa::path(
    patch,
    path = "/leads/{id}/emails/{email_id}",
    operation_id = "edit_lead_email",
    tag = "leads",
    summary = "Edit a draft",
    description = "Scope `leads:write`. Changes a draft's `subject` and/or `body`; 409 once it is no longer a draft.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id"), ("email_id" = String, Path, description = "Email id")),
    request_body = EditBody,
    responses(
        (status = 200, description = "The draft after the edit", body = LeadEmail),
        (status = 404, description = "No such lead or email", body = ErrorBody),
        (status = 409, description = "Not a draft", body = ErrorBody),
    ),
)]
pub async fn edit(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath((id, email_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<EditBody>,
) -> ApiResult<Json<LeadEmail>> {
    auth.require("leads:write")?;
    let subject = checked_text("subject", body.subject, MAX_SUBJECT)?;
    if subject.as_deref().is_some_and(|s| s.contains(['\r', '\n'])) {
        return Err(ApiError::bad_request("`subject` must be one line"));
    }
    let text = checked_text("body", body.body, MAX_BODY)?;
    if subject.is_none() && text.is_none() {
        return Err(ApiError::bad_request("give `subject`, `body` or both"));
    }
    let current = email(&state, &auth, &id, &email_id).await?;
    let mut tx = begin_write(&state.db).await?;
    if !store::edit(&mut tx, &email_id, subject.as_deref(), text.as_deref()).await? {
        return Err(not_a_draft(&current));
    }
    let after = store::find(&mut *tx, &auth.org_id, &id, &email_id).await?;
    tx.commit().await?;
    after.map(Json).ok_or_else(|| ApiError::Internal("lost email".into()))
}

/// A text field: absent, or non-blank and at most `max` characters.
fn checked_text(field: &str, value: Option<String>, max: usize) -> ApiResult<Option<String>> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if v.is_empty() => Err(ApiError::bad_request(format!("`{field}` must not be empty"))),
        Some(v) if v.chars().count() > max => {
            Err(ApiError::bad_request(format!("`{field}` is longer than {max} characters")))
        }
        v => Ok(v),
    }
}

/// `POST` body: what to do with the email.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `approve` (a draft becomes `approved`, sent later by `send` or an `email` task) or `send` (queued now).
    #[schema(example = "send")]
    pub action: String,
}

/// `POST /api/v1/leads/:id/emails/:email_id` (scope `leads:write`): approve or send.
#[utoipa::path(
    post,
    path = "/leads/{id}/emails/{email_id}",
    operation_id = "act_on_lead_email",
    tag = "leads",
    summary = "Approve or send an email",
    description = "Scope `leads:write`. `{\"action\": \"approve\"}` approves a draft and, when an SMTP server is \
        configured and the lead has an address, sends it as `send` does (202); otherwise it stays `approved` (200) for \
        a later `send` or `email` task. `{\"action\": \"send\"}` queues a draft, approved or failed email for sending over SMTP to the lead's address (202, status `sending`; \
        then `sent` with its `message_id` and `email.sent`, or `failed` after the retries). 409 without SMTP \
        configured (`--smtp-url`), without a lead address, or in another status.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id"), ("email_id" = String, Path, description = "Email id")),
    request_body = ActionBody,
    responses(
        (status = 200, description = "Approved", body = LeadEmail),
        (status = 202, description = "Queued for sending", body = LeadEmail),
        (status = 404, description = "No such lead or email", body = ErrorBody),
        (status = 409, description = "Cannot do that now (status, SMTP, recipient)", body = ErrorBody),
    ),
)]
pub async fn act(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath((id, email_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<ActionBody>,
) -> ApiResult<(StatusCode, Json<LeadEmail>)> {
    auth.require("leads:write")?;
    let action = body.action.trim().to_ascii_lowercase();
    if action != "approve" && action != "send" {
        return Err(ApiError::bad_request("`action` must be one of approve, send"));
    }
    let lead = lead(&state, &auth, &id).await?;
    let current = email(&state, &auth, &id, &email_id).await?;
    // Approving is the go-ahead to send: with somewhere to send it, it goes at once.
    let approve_sends = state.outbox.is_some() && lead.email.is_some() && current.status == "draft";
    if action == "send" || approve_sends {
        let after =
            emails::queue_send(&state.db, state.outbox.as_ref(), &auth.org_id, &lead, &current).await.map_err(|e| {
                match e {
                    SendRefused::Database(e) => ApiError::from(e),
                    refused => ApiError::Conflict(refused.to_string()),
                }
            })?;
        return Ok((StatusCode::ACCEPTED, Json(after)));
    }
    let mut tx = begin_write(&state.db).await?;
    if !store::approve(&mut tx, &email_id).await? {
        return Err(ApiError::Conflict(format!(
            "email `{email_id}` is `{}`: only drafts can be approved",
            current.status
        )));
    }
    let after = store::find(&mut *tx, &auth.org_id, &id, &email_id).await?;
    tx.commit().await?;
    let after = after.ok_or_else(|| ApiError::Internal("lost email".into()))?;
    Ok((StatusCode::OK, Json(after)))
}

/// `POST …/redraft` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedraftBody {
    /// What to change, in words ("shorter", "more formal", "without products", …).
    #[schema(example = "shorter and more formal")]
    pub instructions: String,
}

/// `POST /api/v1/leads/:id/emails/:email_id/redraft` (scope `leads:write`).
#[utoipa::path(
    post,
    path = "/leads/{id}/emails/{email_id}/redraft",
    operation_id = "redraft_lead_email",
    tag = "leads",
    summary = "Rewrite a draft per instructions",
    description = "Scope `leads:write`. The model rewrites the draft per `instructions`; without a model, the \
        template writer applies the instructions it recognises (shorter, longer, more formal, more casual, without \
        products, with products) and answers 422 listing them when it recognises none. Fires \
        `email.draft_created`. 409 once it is no longer a draft.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Lead id"), ("email_id" = String, Path, description = "Email id")),
    request_body = RedraftBody,
    responses(
        (status = 200, description = "The rewritten draft", body = LeadEmail),
        (status = 404, description = "No such lead or email", body = ErrorBody),
        (status = 409, description = "Not a draft", body = ErrorBody),
        (status = 422, description = "Instructions the template writer does not recognise", body = ErrorBody),
        (status = 502, description = "The model failed", body = ErrorBody),
    ),
)]
pub async fn redraft(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath((id, email_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<RedraftBody>,
) -> ApiResult<Json<LeadEmail>> {
    auth.require("leads:write")?;
    let instructions = checked_text("instructions", Some(body.instructions), MAX_INSTRUCTIONS)?.unwrap_or_default();
    let lead = lead(&state, &auth, &id).await?;
    let current = email(&state, &auth, &id, &email_id).await?;
    if current.status != "draft" {
        return Err(not_a_draft(&current));
    }
    let (ctx, _) = emails::context(&state.db, &lead).await?;
    let written =
        emails::write_again(state.llm.as_deref(), &ctx, &current, &instructions).await.map_err(|e| match e {
            RedraftError::Unrecognised(m) => ApiError::Unprocessable(m),
            RedraftError::Model(m) => ApiError::BadGateway(m),
        })?;
    let style = serde_json::to_string(&written.style).unwrap_or_else(|_| "{}".into());
    let new = NewDraft {
        id: &email_id,
        lead_id: &id,
        widget_id: &lead.widget_id,
        persona_id: current.persona_id.as_deref(),
        subject: &written.subject,
        body: &written.body,
        writer: written.writer,
        style: &style,
    };
    let mut tx = begin_write(&state.db).await?;
    if !store::rewrite(&mut tx, &email_id, &new, &instructions).await? {
        return Err(not_a_draft(&current));
    }
    let after = store::find(&mut *tx, &auth.org_id, &id, &email_id).await?;
    let after = after.ok_or_else(|| ApiError::Internal("lost email".into()))?;
    emails::enqueue_event(
        &mut tx,
        &auth.org_id,
        "email.draft_created",
        &after,
        emails::event_lead(&lead),
        Some("redrafted"),
    )
    .await?;
    tx.commit().await?;
    state.webhooks.wake();
    Ok(Json(after))
}
