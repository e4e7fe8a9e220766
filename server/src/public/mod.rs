//! The endpoints the widget calls from visitors' browsers, with CORS.
//!
//! Every call carries the widget's public key; conversation and identify calls also carry the visitor's token. Any page may call
//! them (the key is public), so CORS allows every origin but never credentials (cookies), unless the widget lists
//! its `allowed_origins`: then a request from another origin is refused with 403 by [`crate::auth::WidgetAuth`],
//! and that answer leaves without CORS headers, so the browser refuses it too. Preflights carry no key, so they
//! are granted to every origin; the actual request is the one that fails.

mod chat;
mod conversations;
mod events;
mod identify;
mod lead;
mod session;
mod sse_event;

use std::time::Duration;

use axum::http::{header, HeaderName, Method};
use axum::response::Response;
use axum::Router;
use quincer_protocol::{UI_MESSAGE_STREAM_HEADER, VISITOR_TOKEN_HEADER};
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use sse_event::SseEvent;

/// How `POST /api/widget/identify` reads its body, public for the fuzz targets (`fuzz/`).
pub use identify::parse as parse_identify_body;

use crate::error::WithoutCors;
use crate::state::AppState;

/// The documented routes of the public widget API, each registered with its `#[utoipa::path]` operation (see
/// [`crate::openapi`]).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(session::create))
        .routes(routes!(identify::identify))
        .routes(routes!(lead::capture))
        .routes(routes!(chat::chat))
        .routes(routes!(conversations::get))
        .routes(routes!(events::stream))
}

/// Routes of the public widget API, with CORS and the per-address rate limit.
pub fn router(state: &AppState) -> Router<AppState> {
    let (router, _) = routes().split_for_parts();
    router
        // Before the CORS layer, so that preflight `OPTIONS` requests still reach it.
        .method_not_allowed_fallback(crate::error::method_not_allowed)
        // Inside the CORS layer: a 429 must carry CORS headers, or the widget cannot read its `Retry-After`.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::ratelimit::public_api))
        .layer(cors())
        // Outside the CORS layer, so it sees (and removes) the headers that layer added.
        .layer(axum::middleware::map_response(strip_cors_if_refused))
}

/// Removes the CORS headers of a response marked [`WithoutCors`] (a refused origin).
async fn strip_cors_if_refused(mut response: Response) -> Response {
    if response.extensions().get::<WithoutCors>().is_some() {
        let headers = response.headers_mut();
        for name in [
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
        ] {
            headers.remove(name);
        }
    }
    response
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
        .expose_headers([HeaderName::from_static(UI_MESSAGE_STREAM_HEADER), header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// Checks that conversation `id` belongs to this visitor of this widget.
///
/// # Errors
/// 404, the same for a missing conversation and another visitor's.
pub(crate) async fn own_conversation(
    db: &crate::store::Db,
    visitor: &crate::auth::VisitorAuth,
    id: &str,
) -> Result<(), crate::ApiError> {
    let owned =
        crate::store::conversations::for_visitor(db, id, &visitor.widget.widget_id, &visitor.visitor_id).await?;
    owned.map(|_| ()).ok_or_else(|| crate::ApiError::not_found(format!("no conversation `{id}` for this visitor")))
}

/// Conversation ids are chosen by clients; this keeps them short and printable.
pub(crate) fn valid_client_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

// The visitor-token header name is matched case-insensitively by HTTP; keep the constant in step with the literal.
const _: () = assert!(VISITOR_TOKEN_HEADER.len() == "quincer-visitor-token".len());
