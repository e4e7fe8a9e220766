//! Reading a store over HTTP, within limits: a store is someone else's server, so every response is bounded in
//! time and size, and every failure becomes a [`FetchError`] naming the URL and the cause.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use super::feed::FeedPage;
use crate::error::ApiError;
use crate::outbound::OutboundPolicy;

/// Where an import reads a store's products from: the store over HTTP ([`super::HttpStore`]), or the demo's
/// catalog file ([`crate::demo::shop`]), paged the same way.
pub trait PageSource {
    /// Page `n` (from 1) of raw products; an empty page means the end.
    fn page(&self, n: u32) -> impl Future<Output = Result<Vec<Value>, FetchError>> + Send;
    /// The store's ISO 4217 currency, if it says.
    fn currency(&self) -> impl Future<Output = Option<String>> + Send;
    /// Most pages to read before refusing the store as too large.
    fn max_pages(&self) -> u32;
}

/// `"usd"` → `"USD"`; `None` unless it is three ASCII letters.
pub fn currency_code(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())).then(|| code.to_ascii_uppercase())
}

/// Default time a store has to answer one request, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on one response's body: a full page of 250 products is rarely over 2 MB.
pub const DEFAULT_MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;
/// Default cap on pages: 100 pages of 250 is 25,000 products.
pub const DEFAULT_MAX_PAGES: u32 = 100;
/// Products asked for per page: Shopify's maximum.
pub const PAGE_LIMIT: u32 = 250;

/// Bounds of one import's fetching ([`crate::Config::storefront`]; tests shorten them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    /// Time a store has to answer one request, body included.
    pub timeout: Duration,
    /// Largest body of one response.
    pub max_page_bytes: usize,
    /// Most pages of products read; a store with more is refused rather than half-imported.
    pub max_pages: u32,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits { timeout: DEFAULT_TIMEOUT, max_page_bytes: DEFAULT_MAX_PAGE_BYTES, max_pages: DEFAULT_MAX_PAGES }
    }
}

/// What went wrong with a store; its `From` conversion into [`ApiError`] gives each its status (see [`super`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// 404: not a Shopify storefront (or not at that path).
    #[error("the store answered 404 for {url}: is this a Shopify storefront? Give the store's home page URL")]
    NotFound {
        /// The URL asked for.
        url: String,
    },
    /// 401 or 403: the storefront is behind a password page.
    #[error(
        "the storefront is password-protected ({status}) at {url}: remove the storefront password (Online Store → \
         Preferences) and import again"
    )]
    Protected {
        /// The URL asked for.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// Any other non-success status.
    #[error("the store answered {status} for {url}")]
    Status {
        /// The URL asked for.
        url: String,
        /// The status.
        status: u16,
    },
    /// A body that is not JSON, or not a product feed.
    #[error("{url} did not return JSON with a `products` array: is this a Shopify storefront?")]
    NotJson {
        /// The URL asked for.
        url: String,
    },
    /// No complete answer in time.
    #[error("{url} did not answer within {}", seconds(*.timeout))]
    Timeout {
        /// The URL asked for.
        url: String,
        /// The limit.
        timeout: Duration,
    },
    /// A body over the cap.
    #[error("{url} is larger than {}: the import stopped reading it", size(*.limit))]
    TooLarge {
        /// The URL asked for.
        url: String,
        /// The cap in bytes.
        limit: usize,
    },
    /// DNS, connection or TLS failure.
    #[error("could not reach {url}: {detail}")]
    Unreachable {
        /// The URL asked for.
        url: String,
        /// The cause, for people.
        detail: String,
    },
    /// More pages than the cap.
    #[error("the store has more than {pages} pages of products (over {} products): it is too large to import", *.pages as u64 * PAGE_LIMIT as u64)]
    TooManyPages {
        /// The cap.
        pages: u32,
    },
}

impl From<FetchError> for ApiError {
    fn from(e: FetchError) -> Self {
        let msg = e.to_string();
        match e {
            FetchError::NotFound { .. } | FetchError::Protected { .. } | FetchError::TooManyPages { .. } => {
                ApiError::Unprocessable(msg)
            }
            FetchError::Timeout { .. } => ApiError::GatewayTimeout(msg),
            _ => ApiError::BadGateway(msg),
        }
    }
}

/// `10 s`, `0.3 s`.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `8 MB`, `64 KB`, `100 bytes`.
fn size(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    match bytes {
        b if b >= MB && b % MB == 0 => format!("{} MB", b / MB),
        b if b >= 1024 && b % 1024 == 0 => format!("{} KB", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// A Shopify store read over HTTP(S).
#[derive(Debug, Clone)]
pub struct HttpStore {
    client: Client,
    base: String,
    limits: FetchLimits,
    /// IP-literal URLs bypass the guarded resolver; [`HttpStore::read`] checks them.
    outbound: Arc<OutboundPolicy>,
}

impl HttpStore {
    /// A store at `base` (already [normalised](super::normalise_base)).
    ///
    /// # Errors
    /// Only if the HTTP client cannot be built (no TLS backend).
    pub fn new(base: &str, limits: FetchLimits, outbound: &Arc<OutboundPolicy>) -> Result<HttpStore, ApiError> {
        // Guarded at connect time and on every redirect (see `crate::outbound`).
        let client = outbound
            .client_builder()
            .user_agent(concat!("quincer-storefront-import/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Internal(format!("http client: {e}")))?;
        Ok(HttpStore { client, base: base.to_owned(), limits, outbound: outbound.clone() })
    }

    /// `GET <base><path>` as JSON, within the limits.
    ///
    /// # Errors
    /// Every [`FetchError`] but `TooManyPages`.
    pub async fn get_json(&self, path: &str) -> Result<Value, FetchError> {
        let url = format!("{}{path}", self.base);
        let timeout = self.limits.timeout;
        // The timeout covers the whole exchange, body included: a store trickling bytes is as stuck as a silent one.
        match tokio::time::timeout(timeout, self.read(&url)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout { url, timeout }),
        }
    }

    async fn read(&self, url: &str) -> Result<Value, FetchError> {
        let limit = self.limits.max_page_bytes;
        let checked = reqwest::Url::parse(url).map_err(|e| e.to_string()).and_then(|u| self.outbound.check_url(&u));
        if let Err(detail) = checked {
            return Err(FetchError::Unreachable { url: url.to_owned(), detail });
        }
        let resp = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.request_error(url, &e))?;
        match resp.status() {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => return Err(FetchError::NotFound { url: url.to_owned() }),
            s @ (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
                return Err(FetchError::Protected { url: url.to_owned(), status: s.as_u16() })
            }
            s => return Err(FetchError::Status { url: url.to_owned(), status: s.as_u16() }),
        }
        let too_large = || FetchError::TooLarge { url: url.to_owned(), limit };
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        // Read incrementally: a missing or lying Content-Length must not let a body grow past the cap.
        let mut body = Vec::new();
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.request_error(url, &e))?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|_| FetchError::NotJson { url: url.to_owned() })
    }

    fn request_error(&self, url: &str, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout { url: url.to_owned(), timeout: self.limits.timeout };
        }
        // The innermost cause says the most ("Connection refused"); reqwest's own text repeats the URL.
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        FetchError::Unreachable { url: url.to_owned(), detail }
    }
}

impl PageSource for HttpStore {
    async fn page(&self, n: u32) -> Result<Vec<Value>, FetchError> {
        let path = format!("/products.json?limit={PAGE_LIMIT}&page={n}");
        let value = self.get_json(&path).await?;
        let page: FeedPage =
            serde_json::from_value(value).map_err(|_| FetchError::NotJson { url: format!("{}{path}", self.base) })?;
        Ok(page.products)
    }

    async fn currency(&self) -> Option<String> {
        // `meta.json` names the store's currency; `cart.js` (the visitor's cart) does too, on every theme.
        for path in ["/meta.json", "/cart.js"] {
            if let Ok(value) = self.get_json(path).await {
                if let Some(code) = value.get("currency").and_then(Value::as_str).and_then(currency_code) {
                    return Some(code);
                }
            }
        }
        None
    }

    fn max_pages(&self) -> u32 {
        self.limits.max_pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes() {
        assert_eq!(currency_code("usd"), Some("USD".into()));
        assert_eq!(currency_code("EURO"), None);
        assert_eq!(currency_code("€"), None);
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(300)), "0.3 s");
        assert_eq!(size(8 * 1024 * 1024), "8 MB");
        assert_eq!(size(64 * 1024), "64 KB");
        assert_eq!(size(100), "100 bytes");
    }

    #[test]
    fn statuses_fit_the_cause() {
        let url = "https://s.example/products.json".to_owned();
        let status = |e: FetchError| ApiError::from(e).status_code().as_u16();
        assert_eq!(status(FetchError::NotFound { url: url.clone() }), 422);
        assert_eq!(status(FetchError::Protected { url: url.clone(), status: 401 }), 422);
        assert_eq!(status(FetchError::NotJson { url: url.clone() }), 502);
        assert_eq!(status(FetchError::Timeout { url: url.clone(), timeout: DEFAULT_TIMEOUT }), 504);
        assert_eq!(status(FetchError::TooLarge { url, limit: DEFAULT_MAX_PAGE_BYTES }), 502);
    }
}
