//! The middleware that applies [`super::Limiter`] to the two APIs.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quincer_protocol::keys::DEV_KEY_PREFIX;

use crate::error::ApiError;
use crate::ids::hash_secret;
use crate::ops::metrics::Limit;
use crate::state::AppState;

/// `/api/v1`: counts each developer key's reads and writes; every answer to a known key carries the
/// `Quincer-RateLimit-*` headers, and the request over the limit gets 429 with `Retry-After`.
///
/// Requests without a developer key pass through uncounted: [`crate::auth::DevAuth`] refuses them anyway.
pub async fn dev_api(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| t.starts_with(DEV_KEY_PREFIX));
    let Some(token) = token else { return next.run(request).await };
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    let (kind, limit) = if read { ("read", state.limits.dev_reads) } else { ("write", state.limits.dev_writes) };
    // Hashed: the counters must not keep developer keys in memory in the clear.
    let decision = state.limiter.hit(&format!("dev:{kind}:{}", hash_secret(token)), limit).await;
    if !decision.allowed {
        crate::ops::metrics::rate_limited(if read { Limit::DevReads } else { Limit::DevWrites });
        let mut response = ApiError::TooManyRequests {
            message: format!(
                "Rate limit exceeded. 0 {kind} requests remaining. Retry after {} seconds.",
                decision.retry_after
            ),
            retry_after: decision.retry_after,
        }
        .into_response();
        decision.write_headers(response.headers_mut());
        return response;
    }
    let mut response = next.run(request).await;
    // An unknown or revoked key is not "authenticated": it gets its 401 without the key's counters.
    if response.status() != StatusCode::UNAUTHORIZED {
        decision.write_headers(response.headers_mut());
    }
    response
}

/// Public widget endpoints: requests per client address (behind a trusted balancer, the address it forwarded),
/// against floods from one machine.
pub async fn public_api(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        return next.run(request).await;
    };
    let client = state.proxies.client(addr.ip(), request.headers());
    let decision = state.limiter.hit(&format!("ip:{client}"), state.limits.public_per_ip).await;
    if decision.allowed {
        return next.run(request).await;
    }
    crate::ops::metrics::rate_limited(Limit::PublicIp);
    ApiError::TooManyRequests {
        message: format!("too many requests from this address; retry after {} seconds", decision.retry_after),
        retry_after: decision.retry_after,
    }
    .into_response()
}
