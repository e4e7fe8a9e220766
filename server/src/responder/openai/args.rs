//! The provider's command-line flags and environment variables (`--llm-*`, `QUINCER_LLM_*`), flattened into
//! `quincer-server serve`.

use std::time::Duration;

use super::{LlmConfig, DEFAULT_TIMEOUT};

/// The OpenAI-compatible model provider; all optional: without a base URL, answers come from the offline responder.
#[derive(Debug, Clone, clap::Args)]
pub struct LlmArgs {
    /// Base URL of an OpenAI-compatible API, with its version: http://127.0.0.1:8080/v1 (llama.cpp),
    /// http://127.0.0.1:11434/v1 (Ollama).
    #[arg(long = "llm-base-url", env = "QUINCER_LLM_BASE_URL")]
    pub base_url: Option<String>,
    /// Bearer key for the provider, if it needs one.
    #[arg(long = "llm-api-key", env = "QUINCER_LLM_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// The model answering widgets that did not pick one (required with a base URL).
    #[arg(long = "llm-model", env = "QUINCER_LLM_MODEL")]
    pub model: Option<String>,
    /// Seconds to wait for the provider: to connect, for the response, and between two chunks of an answer.
    #[arg(long = "llm-timeout-secs", env = "QUINCER_LLM_TIMEOUT_SECS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    pub timeout_secs: u64,
    /// Offer the model the show_products tool (turn off for servers without tool support).
    #[arg(long = "llm-tools", env = "QUINCER_LLM_TOOLS", default_value_t = true, action = clap::ArgAction::Set)]
    pub tools: bool,
}

impl LlmArgs {
    /// The provider's configuration, or `None` without a base URL. A missing model is left empty for
    /// [`super::Provider::new`] to refuse with a clear message.
    pub fn config(self) -> Option<LlmConfig> {
        let base_url = self.base_url.filter(|u| !u.trim().is_empty())?;
        Some(LlmConfig {
            base_url,
            api_key: self.api_key,
            model: self.model.unwrap_or_default(),
            // Zero would time out everything at once.
            timeout: Duration::from_secs(self.timeout_secs.max(1)),
            tools: self.tools,
        })
    }
}
