//! An OpenAI-compatible model provider: any server speaking `POST /chat/completions` (streamed as SSE) and
//! `GET /models` under a base URL, such as llama.cpp's `llama-server`, vLLM, Ollama or a hosted API.
//!
//! The provider is configured once for the server ([`LlmConfig`], from `QUINCER_LLM_*`); each widget picks one of
//! its models ([`super::models`]). Nothing the provider does can hang a visitor: connecting, the response headers
//! and every read of the stream are bounded by [`LlmConfig::timeout`], so a silent peer ends the answer with a
//! visitor-safe error, and the details are logged.
//!
//! # Layout
//! - [`sse`]: the `data:` payloads of an SSE body cut anywhere; [`chunks`]: chat-completion chunks, tool calls
//!   assembled from their fragments.
//! - [`request`]: the request body (persona prompt, knowledge, history, the `show_products` tool).
//! - [`stream`]: a streamed answer as [`super::ReplyEvent`]s ([`OpenAiResponder`]); [`tool`]: `show_products`
//!   arguments as a [`quincer_protocol::products::ProductSearch`].
//! - [`models`]: the provider's model list, cached; [`translate`]: one-shot translations.
//! - [`LlmArgs`]: the `--llm-*` flags and `QUINCER_LLM_*` variables.

mod args;
pub mod chunks;
pub mod models;
pub mod request;
pub mod sse;
pub mod stream;
pub mod tool;
pub mod translate;

pub use args::LlmArgs;
pub use models::ProviderModel;
pub use stream::OpenAiResponder;

use std::time::Duration;

use axum::body::Bytes;
use futures_util::StreamExt;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;

/// The `provider` of this provider's models in `GET /api/v1/models`.
pub const PROVIDER_NAME: &str = "openai-compatible";

/// Largest error or JSON body read from the provider (a models list of a few hundred entries fits).
const MAX_BODY: usize = 4 << 20;

/// How to reach the provider.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The API's base URL, up to and including its version (`http://127.0.0.1:8080/v1`): requests go to
    /// `<base>/chat/completions` and `<base>/models`.
    pub base_url: String,
    /// Sent as `Authorization: Bearer <key>` when set (local servers usually need none).
    pub api_key: Option<String>,
    /// The model answering widgets that did not pick one.
    pub model: String,
    /// Bound on connecting, on the response headers, on each read of a streamed answer (the time between two
    /// chunks), and on whole non-streamed exchanges (model list, translations).
    pub timeout: Duration,
    /// Offer the model the `show_products` tool. Off for servers or models without tool support (llama.cpp needs
    /// `--jinja`): the server then searches the catalog itself, as for the offline responder.
    pub tools: bool,
}

/// The default of [`LlmConfig::timeout`]: generous, because a local model on a CPU may think for a while before its
/// first token.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What a visitor is told when the provider fails.
pub const UNAVAILABLE: &str = "The assistant is unavailable right now. Please try again in a moment.";
/// What a visitor is told when the provider stalls.
pub const TOO_SLOW: &str = "The assistant is taking too long to answer. Please try again in a moment.";

/// What went wrong talking to the provider. Logged in full; visitors see only [`ProviderError::visitor_message`].
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    /// Nothing came within the timeout.
    #[error("no answer within {} ms", .0.as_millis())]
    Timeout(Duration),
    /// The connection failed.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// A non-2xx answer.
    #[error("HTTP {status}: {detail}")]
    Status {
        /// The status code.
        status: u16,
        /// The error message of its body, or the start of the body.
        detail: String,
    },
    /// The provider reported an error inside a successful answer.
    #[error("the provider reported: {0}")]
    Reported(String),
    /// An answer that is not what the API specifies.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

impl ProviderError {
    /// What the visitor is told: nothing internal, and what to do.
    pub fn visitor_message(&self) -> &'static str {
        match self {
            ProviderError::Timeout(_) => TOO_SLOW,
            _ => UNAVAILABLE,
        }
    }

    fn from_reqwest(e: &reqwest::Error, timeout: Duration) -> ProviderError {
        if e.is_timeout() {
            return ProviderError::Timeout(timeout);
        }
        // The innermost cause says the most ("Connection refused").
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        ProviderError::Unreachable(detail)
    }
}

/// The configured provider: an HTTP client and the model list cache.
#[derive(Debug)]
pub struct Provider {
    config: LlmConfig,
    client: Client,
    models: models::Cache,
}

impl Provider {
    /// A provider for `config`.
    ///
    /// # Errors
    /// If the base URL is not an http(s) URL, the model is empty, or the HTTP client cannot be built.
    pub fn new(mut config: LlmConfig) -> Result<Provider, String> {
        config.base_url = config.base_url.trim().trim_end_matches('/').to_owned();
        config.model = config.model.trim().to_owned();
        config.api_key = config.api_key.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
        let url = url::Url::parse(&config.base_url)
            .map_err(|e| format!("QUINCER_LLM_BASE_URL ({:?}) is not a URL: {e}", config.base_url))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("QUINCER_LLM_BASE_URL ({:?}) must be an http:// or https:// URL", config.base_url));
        }
        if config.model.is_empty() {
            return Err("QUINCER_LLM_MODEL is required with QUINCER_LLM_BASE_URL: the model that answers by default \
                        (see GET <base>/models)"
                .into());
        }
        let client = Client::builder()
            .user_agent(concat!("quincer-server/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| format!("http client: {e}"))?;
        Ok(Provider { config, client, models: models::Cache::default() })
    }

    /// The configuration (normalised).
    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// The model answering widgets that did not pick one.
    pub fn default_model(&self) -> &str {
        &self.config.model
    }

    fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        let req = self.client.request(method, format!("{}{path}", self.config.base_url));
        match &self.config.api_key {
            Some(key) => req.bearer_auth(key),
            None => req,
        }
    }

    /// Sends `req`, waiting at most the timeout for the response headers; a non-2xx answer is an error.
    async fn send(&self, req: RequestBuilder) -> Result<Response, ProviderError> {
        let timeout = self.config.timeout;
        let resp = tokio::time::timeout(timeout, req.send())
            .await
            .map_err(|_| ProviderError::Timeout(timeout))?
            .map_err(|e| ProviderError::from_reqwest(&e, timeout))?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status().as_u16();
        // The body says why (`{"error": {"message": "model not found"}}`); it is only logged.
        let detail = match self.read_body(resp).await {
            Ok(body) => match serde_json::from_slice::<Value>(&body) {
                Ok(json) => json.get("error").map(chunks::error_message).unwrap_or_else(|| json.to_string()),
                Err(_) => chunks::snippet(&String::from_utf8_lossy(&body)),
            },
            Err(e) => e.to_string(),
        };
        Err(ProviderError::Status { status, detail: chunks::snippet(&detail) })
    }

    /// A whole body, at most [`MAX_BODY`] bytes, each read bounded by the timeout.
    async fn read_body(&self, resp: Response) -> Result<Vec<u8>, ProviderError> {
        let timeout = self.config.timeout;
        let mut body = Vec::new();
        let mut stream = resp.bytes_stream();
        loop {
            let next: Option<reqwest::Result<Bytes>> =
                tokio::time::timeout(timeout, stream.next()).await.map_err(|_| ProviderError::Timeout(timeout))?;
            match next {
                None => return Ok(body),
                Some(Err(e)) => return Err(ProviderError::from_reqwest(&e, timeout)),
                Some(Ok(bytes)) if body.len() + bytes.len() > MAX_BODY => {
                    return Err(ProviderError::Malformed(format!("a body over {MAX_BODY} bytes")))
                }
                Some(Ok(bytes)) => body.extend_from_slice(&bytes),
            }
        }
    }

    /// `GET <base><path>` as JSON, the whole exchange within the timeout.
    async fn get_json(&self, path: &str) -> Result<Value, ProviderError> {
        let timeout = self.config.timeout;
        let exchange = async {
            let resp = self.send(self.request(reqwest::Method::GET, path).header(ACCEPT, "application/json")).await?;
            let body = self.read_body(resp).await?;
            serde_json::from_slice(&body)
                .map_err(|_| ProviderError::Malformed(chunks::snippet(&String::from_utf8_lossy(&body))))
        };
        tokio::time::timeout(timeout, exchange).await.map_err(|_| ProviderError::Timeout(timeout))?
    }

    /// `POST <base><path>` with a JSON body.
    fn post_json(&self, path: &str, body: &Value) -> RequestBuilder {
        self.request(reqwest::Method::POST, path)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).unwrap_or_default())
    }

    /// A non-streamed chat completion's text, the whole exchange within the timeout.
    ///
    /// # Errors
    /// Every [`ProviderError`]; an answer without text is [`ProviderError::Malformed`].
    pub async fn complete(&self, mut body: Value) -> Result<String, ProviderError> {
        body["stream"] = Value::Bool(false);
        let timeout = self.config.timeout;
        let exchange = async {
            let resp = self.send(self.post_json("/chat/completions", &body).header(ACCEPT, "application/json")).await?;
            let body = self.read_body(resp).await?;
            let json: Value = serde_json::from_slice(&body)
                .map_err(|_| ProviderError::Malformed(chunks::snippet(&String::from_utf8_lossy(&body))))?;
            if let Some(error) = json.get("error") {
                return Err(ProviderError::Reported(chunks::error_message(error)));
            }
            json.pointer("/choices/0/message/content")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| ProviderError::Malformed(chunks::snippet(&json.to_string())))
        };
        tokio::time::timeout(timeout, exchange).await.map_err(|_| ProviderError::Timeout(timeout))?
    }
}
