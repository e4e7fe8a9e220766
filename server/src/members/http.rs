//! The inbox's sign-in endpoints, under `/inbox/api/` (the browser app's, not the developer API's): JSON,
//! same-origin only (no CORS headers), answers never cached.
//!
//! - `POST /inbox/api/sign-in` `{email, password}` → `{member, csrf_token}` and the two cookies of
//!   [`super::session`]; wrong credentials → 401 `wrong email or password`, limited per client address and per
//!   email (429 with `Retry-After`).
//! - `POST /inbox/api/sign-out` ends the session and clears the cookies.
//! - `GET /inbox/api/me` → the same body as sign-in, or 401.
//! - `POST /inbox/api/password` `{current_password, new_password}` changes the member's password and ends their
//!   other sessions.
//!
//! With the session cookie, the developer API (`/api/v1`) works too ([`crate::auth::DevAuth`]).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;

use super::session::{self, MemberSession};
use super::{password, Member};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::ids::hash_secret;
use crate::ops::metrics::{self, Limit};
use crate::state::AppState;
use crate::store::{self, members as db};

/// What wrong credentials are told, whichever part was wrong.
const WRONG: &str = "wrong email or password";

/// The routes, merged into the app by [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox/api/sign-in", post(sign_in))
        .route("/inbox/api/sign-out", post(sign_out))
        .route("/inbox/api/me", get(me))
        .route("/inbox/api/password", post(change_password))
        .route(
            "/inbox/api/{*rest}",
            any(|| async {
                ApiError::not_found(
                    "no such endpoint: the inbox's are sign-in, sign-out, me and password under /inbox/api/",
                )
            }),
        )
        .method_not_allowed_fallback(crate::error::method_not_allowed)
        // Answers carry the CSRF token and who is signed in: never kept by a cache.
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// `POST /inbox/api/sign-in`'s body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    /// The member's email address (case does not matter).
    pub email: String,
    /// Their password.
    pub password: String,
}

/// The answer of sign-in and of `GET /inbox/api/me`.
#[derive(Debug, Serialize)]
pub struct SignedIn {
    /// Who is signed in.
    pub member: Member,
    /// The token state-changing requests send as `X-CSRF-Token`.
    pub csrf_token: String,
}

/// `POST /inbox/api/password`'s body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The password now.
    pub current_password: String,
    /// The new one: at least [`password::MIN_CHARS`] characters.
    pub new_password: String,
}

/// The client's address (the TCP peer's; `None` when the server runs without connection info).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// Counts a sign-in attempt of `client` against `limit` a minute.
///
/// # Errors
/// 429 with `Retry-After` over the limit.
async fn count_attempt(state: &AppState, client: &str, limit: u32, which: Limit) -> ApiResult<()> {
    let decision = state.limiter.hit(client, limit).await;
    if decision.allowed {
        return Ok(());
    }
    metrics::rate_limited(which);
    Err(ApiError::TooManyRequests {
        message: format!("too many sign-in attempts; retry after {} seconds", decision.retry_after),
        retry_after: decision.retry_after,
    })
}

/// The per-email counter's client key: hashed, so the counters hold no addresses in the clear.
fn email_client(email: &str) -> String {
    format!("sign-in:email:{}", hash_secret(&email.trim().to_lowercase()))
}

/// `POST /inbox/api/sign-in`.
async fn sign_in(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(body): ApiJson<SignInBody>,
) -> ApiResult<Response> {
    if let Some(ip) = ip.0 {
        count_attempt(&state, &format!("sign-in:ip:{ip}"), state.limits.sign_in_per_ip, Limit::SignInIp).await?;
    }
    let email = body.email.trim();
    if email.is_empty() || body.password.is_empty() {
        return Err(ApiError::bad_request("`email` and `password` are required"));
    }
    count_attempt(&state, &email_client(email), state.limits.sign_in_per_email, Limit::SignInEmail).await?;
    if body.password.chars().count() > password::MAX_CHARS {
        return Err(ApiError::Unauthorized(WRONG.into()));
    }
    let candidates = db::for_sign_in(&state.db, email).await?;
    if candidates.is_empty() {
        // As long as a wrong password: the answer's time does not tell whether the email is a member's.
        password::verify(None, &body.password).await;
    }
    let mut signed_in = None;
    for (member, hash) in candidates {
        if password::verify(hash, &body.password).await {
            signed_in = Some(member);
            break;
        }
    }
    let member = signed_in.ok_or_else(|| ApiError::Unauthorized(WRONG.into()))?;
    if member.disabled_at.is_some() {
        return Err(ApiError::Unauthorized(format!(
            "team member {} is disabled: ask an owner or admin of the organisation",
            member.name
        )));
    }
    let started = session::start(&state.db, &member.id).await?;
    let [a, b] = session::set_cookies(&started);
    let body = SignedIn { member, csrf_token: started.csrf_token };
    Ok((AppendHeaders([(header::SET_COOKIE, a), (header::SET_COOKIE, b)]), Json(body)).into_response())
}

/// `GET /inbox/api/me`.
async fn me(session: MemberSession) -> Json<SignedIn> {
    Json(SignedIn { member: session.member, csrf_token: session.csrf_token })
}

/// `POST /inbox/api/sign-out` (CSRF checked by [`MemberSession`]).
async fn sign_out(State(state): State<AppState>, session: MemberSession) -> ApiResult<Response> {
    db::revoke_session(&state.db, &session.id).await?;
    let [a, b] = session::clear_cookies();
    let body = serde_json::json!({"signed_out": true});
    Ok((AppendHeaders([(header::SET_COOKIE, a), (header::SET_COOKIE, b)]), Json(body)).into_response())
}

/// `POST /inbox/api/password` (CSRF checked by [`MemberSession`]): the member's other sessions end.
async fn change_password(
    State(state): State<AppState>,
    session: MemberSession,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<Json<serde_json::Value>> {
    // Guesses of the current password through a stolen session count like sign-in attempts.
    let client = email_client(&session.member.email);
    count_attempt(&state, &client, state.limits.sign_in_per_email, Limit::SignInEmail).await?;
    password::check_new(&body.new_password)?;
    let hash = db::password_hash(&state.db, &session.member.id).await?;
    if body.current_password.chars().count() > password::MAX_CHARS
        || !password::verify(hash, &body.current_password).await
    {
        return Err(ApiError::Forbidden("`current_password` is wrong".into()));
    }
    let new_hash = password::hash(&body.new_password).await?;
    let mut tx = store::begin_write(&state.db).await?;
    db::set_password(&mut *tx, &session.member.id, &new_hash).await?;
    let ended = db::revoke_other_sessions(&mut *tx, &session.member.id, &session.id).await?;
    tx.commit().await?;
    Ok(Json(serde_json::json!({"changed": true, "other_sessions_ended": ended})))
}
