//! `POST /api/widget/lead`: the visitor submits the inline lead form (name, email) a lead-capturing persona offers.
//!
//! The lead is created, or the visitor's existing lead updated, and linked to the conversation; the lead webhooks
//! fire as for any other change. Only a conversation whose persona captures leads accepts the form, so a page
//! cannot fill a widget's pipeline through a persona that never asked.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use quincer_protocol::leads::LeadCaptureRequest;
use serde::Serialize;

use crate::auth::VisitorAuth;
use crate::contact::{check_email, check_name};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::leads::capture::{self as capturing, CaptureSource};
use crate::leads::Captured;
use crate::state::AppState;
use crate::store::{self, conversations};

/// The answer: which lead the form created or updated.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LeadCaptured {
    /// Always `"lead_capture"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// The lead.
    pub lead_id: String,
}

/// The handler: `{"object": "lead_capture", "lead_id"}`, 201 for a new lead, 200 for an update.
#[utoipa::path(
    post,
    path = "/api/widget/lead",
    operation_id = "capture_widget_lead",
    tag = "public widget",
    summary = "Submit the inline lead form",
    description = "Creates the visitor's lead, or updates it, linked to the conversation; the lead webhooks fire. \
        Only a conversation whose persona captures leads accepts the form.",
    security(("widget_key" = [], "visitor_token" = [])),
    request_body = LeadCaptureRequest,
    responses(
        (status = 201, description = "A new lead", body = LeadCaptured),
        (status = 200, description = "The visitor's existing lead, updated", body = LeadCaptured),
        (status = 404, description = "No such conversation for this visitor", body = ErrorBody),
        (status = 409, description = "The conversation's persona does not collect contact details", body = ErrorBody),
    ),
)]
pub async fn capture(
    State(state): State<AppState>,
    visitor: VisitorAuth,
    ApiJson(req): ApiJson<LeadCaptureRequest>,
) -> ApiResult<(StatusCode, Json<LeadCaptured>)> {
    let email = req.email.trim();
    check_email(email)?;
    let name = req.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    name.map(check_name).transpose()?;
    super::own_conversation(&state.db, &visitor, &req.conversation_id).await?;
    if !conversations::captures_leads(&state.db, &req.conversation_id).await? {
        return Err(ApiError::Conflict("this conversation's persona does not collect contact details".into()));
    }
    let widget = &visitor.widget;
    let mut tx = store::begin_write(&state.db).await?;
    let existed = store::leads::of_visitor(&mut tx, &visitor.visitor_id, &widget.widget_id).await?;
    let from = CaptureSource {
        org_id: &widget.org_id,
        widget_id: &widget.widget_id,
        visitor_id: &visitor.visitor_id,
        conversation_id: Some(&req.conversation_id),
        source: "chat_form",
    };
    let details = Captured { name: name.map(str::to_owned), email: Some(email.to_owned()), phone: None };
    let lead_id = capturing::capture(&mut tx, &from, &details, true).await?;
    // The visitor told us who they are: their identity follows them into the developer API too.
    store::visitors::record_contact(&mut *tx, &visitor.visitor_id, email, name).await?;
    // The organisation's inbox shows the conversation's lead.
    let org = crate::handling::feed::changed(&mut tx, &req.conversation_id).await?;
    tx.commit().await?;
    crate::handling::feed::wake(&state.hub, org.as_deref(), &req.conversation_id);
    state.webhooks.wake();
    let status = if existed.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    // A form always carries an email address, and creating is allowed: there is always a lead.
    let lead_id = lead_id.ok_or_else(|| ApiError::Internal("the lead form captured no lead".into()))?;
    Ok((status, Json(LeadCaptured { object: "lead_capture", lead_id })))
}
