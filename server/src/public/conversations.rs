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
    let owned: Option<String> =
        sqlx::query_scalar("SELECT id FROM conversations WHERE id = ? AND visitor_id = ? AND widget_id = ?")
            .bind(&id)
            .bind(&visitor.visitor_id)
            .bind(&visitor.widget.widget_id)
            .fetch_optional(&state.db)
            .await?;
    let not_found = || ApiError::not_found(format!("no conversation `{id}` for this visitor"));
    owned.ok_or_else(not_found)?;
    conversations::load(&state.db, &id).await?.map(Json).ok_or_else(not_found)
}
