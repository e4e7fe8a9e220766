//! `GET /api/widget/conversations/:id`: a visitor's own transcript, for restore after a reload.

use axum::extract::State;
use axum::Json;
use quincer_protocol::conversation::Conversation;

use crate::auth::VisitorAuth;
use crate::conversations;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::state::AppState;

/// The handler. Another visitor's conversation is a 404, exactly like a missing one.
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
