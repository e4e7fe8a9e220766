//! `GET /api/widget/conversations/:id`: a visitor's own transcript, for restore after a reload.

use axum::extract::State;
use axum::Json;
use quincer_protocol::conversation::Conversation;
use quincer_protocol::error::ErrorBody;

use crate::auth::VisitorAuth;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::state::AppState;
use crate::store::conversations;

/// The handler. Another visitor's conversation is a 404, exactly like a missing one.
#[utoipa::path(
    get,
    path = "/api/widget/conversations/{id}",
    operation_id = "get_visitor_conversation",
    tag = "public widget",
    summary = "The visitor's own transcript",
    description = "For restore after a reload. Pass `last_event_id` to the event stream as `Last-Event-ID`.",
    security(("widget_key" = [], "visitor_token" = [])),
    params(("id" = String, Path, description = "Conversation id (chosen by the client)")),
    responses(
        (status = 200, description = "The conversation and its messages", body = Conversation),
        (status = 404, description = "No such conversation for this visitor", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    visitor: VisitorAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Conversation>> {
    super::own_conversation(&state.db, &visitor, &id).await?;
    conversations::load(&state.db, &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{id}` for this visitor")))
}
