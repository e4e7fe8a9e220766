//! Sign-in sessions: what the inbox's cookie carries and how a request with it is authenticated.
//!
//! Signing in sets two cookies: `quincer_session`, the credential (`HttpOnly; Secure; SameSite=Lax; Path=/`: page
//! scripts cannot read it, and other sites' requests carry it only on top-level navigations), and `quincer_csrf`,
//! readable by the inbox's script, whose value state-changing requests (`POST`, `PATCH`, `PUT`, `DELETE`) must repeat
//! in the `X-CSRF-Token` header: another site can make the browser send the cookie, but cannot read this one.
//!
//! A session ends after [`IDLE_SECS`] without a request, [`ABSOLUTE_SECS`] after sign-in whatever its activity,
//! when its member signs out, is disabled or has their sessions revoked (`quincer-server members sessions revoke`,
//! a password change). Only the SHA-256 of the cookie's token is stored.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use cookie::{Cookie, SameSite};

use crate::error::{ApiError, ApiResult};
use crate::ids::{self, hash_secret};
use crate::members::Member;
use crate::state::AppState;
use crate::store::{self, members as db, Db};

/// The session cookie (the credential; `HttpOnly`).
pub const SESSION_COOKIE: &str = "quincer_session";
/// The CSRF cookie (readable by the inbox's script).
pub const CSRF_COOKIE: &str = "quincer_csrf";
/// The header state-changing requests repeat the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session unused this long (12 hours) has ended.
pub const IDLE_SECS: i64 = 12 * 3600;
/// A session ends this long (7 days) after sign-in, however active.
pub const ABSOLUTE_SECS: i64 = 7 * 24 * 3600;
/// A session's last use is written at most this often (a write per request would load the database).
pub const TOUCH_SECS: i64 = 60;

/// A new session: the cookie's token (returned once), its CSRF token and its id.
#[derive(Debug, Clone)]
pub struct Started {
    /// Session id (`ses_…`).
    pub id: String,
    /// The cookie's value.
    pub token: String,
    /// The CSRF token.
    pub csrf_token: String,
}

/// Starts a session for `member_id`.
///
/// # Errors
/// Database errors.
pub async fn start(db: &Db, member_id: &str) -> Result<Started, sqlx::Error> {
    let started = Started {
        id: ids::new_id("ses"),
        token: format!("qs_{}", ids::random_string(40)),
        csrf_token: ids::random_string(32),
    };
    let new = db::NewSession {
        id: &started.id,
        member_id,
        token_hash: &hash_secret(&started.token),
        csrf_token: &started.csrf_token,
        lifetime_secs: ABSOLUTE_SECS,
    };
    db::insert_session(db, &new).await?;
    Ok(started)
}

/// The two `Set-Cookie` values that sign a browser in.
pub fn set_cookies(started: &Started) -> [HeaderValue; 2] {
    let max_age = cookie::time::Duration::seconds(ABSOLUTE_SECS);
    let session = Cookie::build((SESSION_COOKIE, started.token.as_str()))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(max_age);
    let csrf = Cookie::build((CSRF_COOKIE, started.csrf_token.as_str()))
        .secure(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(max_age);
    [header_value(&session.build()), header_value(&csrf.build())]
}

/// The two `Set-Cookie` values that sign a browser out (both cookies expired).
pub fn clear_cookies() -> [HeaderValue; 2] {
    let gone = |name: &'static str, http_only: bool| {
        let c = Cookie::build((name, ""))
            .http_only(http_only)
            .secure(true)
            .same_site(SameSite::Lax)
            .path("/")
            .max_age(cookie::time::Duration::ZERO)
            .build();
        header_value(&c)
    };
    [gone(SESSION_COOKIE, true), gone(CSRF_COOKIE, false)]
}

/// A cookie as a header value (tokens are alphanumeric, so always valid).
fn header_value(c: &Cookie<'_>) -> HeaderValue {
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session cookie's value, if the request carries one.
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Whether `method` changes state (and so needs the CSRF header).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A signed-in member's request.
#[derive(Debug, Clone)]
pub struct MemberSession {
    /// Session id.
    pub id: String,
    /// The member.
    pub member: Member,
    /// The session's CSRF token.
    pub csrf_token: String,
}

/// The session of a request's cookie, checked: it exists, is neither revoked nor expired, its member is not
/// disabled, and a state-changing request repeats its CSRF token.
///
/// # Errors
/// 401 naming why the session does not work (sign in again); 403 for a missing or wrong `X-CSRF-Token`.
pub async fn authenticate(state: &AppState, parts: &Parts) -> ApiResult<MemberSession> {
    let token = token(&parts.headers)
        .ok_or_else(|| ApiError::Unauthorized("not signed in: sign in at /inbox/ (POST /inbox/api/sign-in)".into()))?;
    let found = db::session(&state.db, &hash_secret(&token), IDLE_SECS, TOUCH_SECS).await?;
    let s = found.ok_or_else(|| ApiError::Unauthorized("unknown session: sign in again".into()))?;
    if s.revoked_at.is_some() {
        return Err(ApiError::Unauthorized("this session was signed out or revoked: sign in again".into()));
    }
    if s.expires_at <= s.now_at || s.last_seen_at <= s.idle_cutoff {
        return Err(ApiError::Unauthorized("this session has expired: sign in again".into()));
    }
    if s.member.disabled_at.is_some() {
        return Err(ApiError::Unauthorized(format!(
            "team member {} ({}) is disabled: ask an owner or admin of the organisation",
            s.member.name, s.member.id
        )));
    }
    if changes_state(&parts.method) {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        // Compared as hashes: equal-length digests, so the comparison's time says nothing about the token.
        if sent.is_empty() || hash_secret(sent) != hash_secret(&s.csrf_token) {
            return Err(ApiError::Forbidden(
                "missing or wrong X-CSRF-Token header: state-changing requests signed in with the session cookie \
                 must send the csrf_token sign-in returned (also in the quincer_csrf cookie)"
                    .into(),
            ));
        }
    }
    if s.last_seen_at <= s.touch_cutoff {
        store::members::touch_session(&state.db, &s.session_id).await?;
    }
    Ok(MemberSession { id: s.session_id, member: s.member, csrf_token: s.csrf_token })
}

impl FromRequestParts<AppState> for MemberSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        authenticate(state, parts).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_carry_their_attributes() {
        let started = Started { id: "ses_x".into(), token: "qs_abc".into(), csrf_token: "csrf1".into() };
        let [session, csrf] = set_cookies(&started);
        let session = session.to_str().unwrap();
        for part in ["quincer_session=qs_abc", "HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=604800"] {
            assert!(session.contains(part), "{session} has {part}");
        }
        let csrf = csrf.to_str().unwrap();
        assert!(csrf.starts_with("quincer_csrf=csrf1") && csrf.contains("Secure") && !csrf.contains("HttpOnly"));
        let [gone, _] = clear_cookies();
        assert!(gone.to_str().unwrap().contains("Max-Age=0"), "{gone:?}");
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; quincer_csrf=c; quincer_session=qs_tok"));
        assert_eq!(token(&headers).as_deref(), Some("qs_tok"));
        headers.insert(header::COOKIE, HeaderValue::from_static("quincer_session="));
        assert_eq!(token(&headers), None);
        assert!(changes_state(&Method::DELETE) && changes_state(&Method::PATCH) && !changes_state(&Method::GET));
    }
}
