//! The endpoints the widget calls from visitors' browsers, with CORS.
//!
//! Every call carries the widget's public key; conversation calls also carry the visitor's token. Any page may call
//! them (the key is public), so CORS allows every origin but never credentials (cookies).

mod chat;
mod conversations;
mod events;
mod session;

use std::time::Duration;

use axum::http::{header, HeaderName, Method};
use axum::routing::{get, post};
use axum::Router;
use quincer_protocol::{UI_MESSAGE_STREAM_HEADER, VISITOR_TOKEN_HEADER};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::state::AppState;

/// Routes of the public widget API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/widget/session", post(session::create))
        .route("/api/chat", post(chat::chat))
        .route("/api/widget/conversations/{id}", get(conversations::get))
        .route("/api/widget/conversations/{id}/events", get(events::stream))
        // Before the CORS layer, so that preflight `OPTIONS` requests still reach it.
        .method_not_allowed_fallback(crate::error::method_not_allowed)
        .layer(cors())
}

/// CORS for public endpoints: any origin, our two headers, no cookies.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("quincer-visitor-token"),
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([HeaderName::from_static(UI_MESSAGE_STREAM_HEADER)])
        .max_age(Duration::from_secs(600))
}

/// Checks that conversation `id` belongs to this visitor of this widget.
///
/// # Errors
/// 404, the same for a missing conversation and another visitor's.
pub(crate) async fn own_conversation(
    db: &sqlx::SqlitePool,
    visitor: &crate::auth::VisitorAuth,
    id: &str,
) -> Result<(), crate::ApiError> {
    let owned: Option<String> =
        sqlx::query_scalar("SELECT id FROM conversations WHERE id = ? AND visitor_id = ? AND widget_id = ?")
            .bind(id)
            .bind(&visitor.visitor_id)
            .bind(&visitor.widget.widget_id)
            .fetch_optional(db)
            .await?;
    owned.map(|_| ()).ok_or_else(|| crate::ApiError::not_found(format!("no conversation `{id}` for this visitor")))
}

/// Conversation ids are chosen by clients; this keeps them short and printable.
pub(crate) fn valid_client_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

// The visitor-token header name is matched case-insensitively by HTTP; keep the constant in step with the literal.
const _: () = assert!(VISITOR_TOKEN_HEADER.len() == "quincer-visitor-token".len());
