//! The one error type of every handler.
//!
//! Client errors explain themselves in `{"error": "..."}`; internal errors are logged and leave as a bare
//! "internal error", so nothing about the database or the code leaks.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use quincer_protocol::error::ErrorBody;

/// The largest request body any endpoint reads (applied by [`crate::app`]); a larger one is answered 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The 413 answer, naming the limit so a client knows how far to cut.
pub fn body_too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the request body is larger than the {} MB limit",
        MAX_BODY_BYTES / (1024 * 1024)
    ))
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed or invalid input (400).
    #[error("{0}")]
    BadRequest(String),
    /// Missing, unknown, revoked or wrong-kind credential (401).
    #[error("{0}")]
    Unauthorized(String),
    /// A valid credential without the right (403).
    #[error("{0}")]
    Forbidden(String),
    /// A public request from an origin the widget does not allow (403). Its response carries [`WithoutCors`], so
    /// the public router strips every CORS header from it and the browser refuses it too.
    #[error("{0}")]
    OriginNotAllowed(String),
    /// No such resource, or not the caller's (404): the two are indistinguishable on purpose.
    #[error("{0}")]
    NotFound(String),
    /// The path exists but not with this method (405).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The resource's state forbids the operation (409).
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than allowed (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Too many requests from this client; `retry_after` seconds until it may try again (429, with `Retry-After`).
    #[error("{message}")]
    TooManyRequests {
        /// What the client reads.
        message: String,
        /// Seconds until the limit resets.
        retry_after: u64,
    },
    /// The body is not JSON (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed, but what it points at cannot be used, e.g. a URL that is no storefront (422).
    #[error("{0}")]
    Unprocessable(String),
    /// A server we called failed or answered nonsense (502).
    #[error("{0}")]
    BadGateway(String),
    /// A server we called did not answer in time (504).
    #[error("{0}")]
    GatewayTimeout(String),
    /// A failure of ours, logged and never detailed to the client (500).
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status this error answers with.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::OriginNotAllowed(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            ApiError::GatewayTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Shorthand for a 400.
    pub fn bad_request(msg: impl Into<String>) -> Self {
        ApiError::BadRequest(msg.into())
    }

    /// Shorthand for a 404.
    pub fn not_found(msg: impl Into<String>) -> Self {
        ApiError::NotFound(msg.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let without_cors = matches!(self, ApiError::OriginNotAllowed(_));
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let mut response = (self.status_code(), Json(ErrorBody { error: self.to_string() })).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if without_cors {
            response.extensions_mut().insert(WithoutCors);
        }
        response
    }
}

/// Marks a response that must leave without CORS headers (see [`ApiError::OriginNotAllowed`]).
#[derive(Debug, Clone, Copy)]
pub struct WithoutCors;

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType("the body must be JSON: send `Content-Type: application/json`".into())
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => body_too_large(),
            other => ApiError::BadRequest(format!("invalid JSON body: {}", other.body_text())),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query string: {}", r.body_text()))
    }
}

/// The raw body of an endpoint whose JSON body is optional: a blank body needs no content type, any other must
/// be declared JSON (415 otherwise, like [`ApiJson`]) and be UTF-8 (400), and a body over [`MAX_BODY_BYTES`] is a
/// 413.
#[derive(Debug, Clone, Default)]
pub struct JsonBytes(pub Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for JsonBytes {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let declared_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json_content_type);
        let body = Bytes::from_request(req, state).await.map_err(|_: BytesRejection| body_too_large())?;
        if !declared_json && !body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::UnsupportedMediaType(
                "the body must be JSON: send `Content-Type: application/json`".into(),
            ));
        }
        // JSON text is UTF-8 (RFC 8259); serde would skip bad bytes inside strings of ignored fields unread.
        if std::str::from_utf8(&body).is_err() {
            return Err(ApiError::bad_request("the body is not valid UTF-8: JSON text must be UTF-8"));
        }
        Ok(JsonBytes(body))
    }
}

/// `application/json`, with parameters (`; charset=utf-8`) or as a `+json` suffix, as `axum::Json` accepts.
fn is_json_content_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a JSON object body that may be empty (empty means `T::default()`).
///
/// # Errors
/// 400 for invalid JSON or JSON that is not an object.
pub fn optional_json<T: serde::de::DeserializeOwned + Default>(JsonBytes(body): JsonBytes) -> ApiResult<T> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Ok(T::default()),
        // serde reads a struct from an array too (`[]` would be an empty body); the API's bodies are objects.
        Some(b'{') => {}
        Some(_) => return Err(ApiError::bad_request("the body must be a JSON object")),
    }
    serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
}

/// `axum::extract::Query`, with rejections in the API's error shape.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path`, with rejections in the API's error shape.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `axum::Json`, but malformed bodies come back in the API's own error shape.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Answers a known path called with the wrong method (use as `method_not_allowed_fallback`).
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed("this endpoint does not support that HTTP method".into())
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types_are_recognised_as_axum_does() {
        for yes in ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/ld+json"] {
            assert!(is_json_content_type(yes), "{yes}");
        }
        for no in ["text/plain", "application/x-www-form-urlencoded", "text/json", "application/jsonx", ""] {
            assert!(!is_json_content_type(no), "{no}");
        }
    }

    #[test]
    fn the_413_names_the_limit() {
        assert_eq!(body_too_large().to_string(), "the request body is larger than the 2 MB limit");
    }
}
