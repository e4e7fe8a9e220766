//! The models a widget can pick (its `ai_model`), and which responder answers a widget.
//!
//! The offline responder is always a model, [`OFFLINE_MODEL`]. With a provider configured, its models are too, and
//! its configured model ([`super::openai::LlmConfig::model`]) answers widgets that did not pick one. A widget that
//! picked a provider model on a server without a provider is answered offline: the server has nothing else.

use std::sync::Arc;

use super::openai::{OpenAiResponder, ProviderError, PROVIDER_NAME};
use super::Responder;
use crate::state::AppState;

/// The offline responder's model id.
pub const OFFLINE_MODEL: &str = "quincer-offline";
/// The offline responder's `provider` in the model list.
pub const OFFLINE_PROVIDER: &str = "offline";

/// A model a widget can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// The id `ai_model` takes.
    pub id: String,
    /// [`PROVIDER_NAME`] or [`OFFLINE_PROVIDER`].
    pub provider: &'static str,
    /// Who publishes it, if its provider says.
    pub owned_by: Option<String>,
    /// It answers widgets that did not pick a model.
    pub default: bool,
}

/// Every model a widget can pick: the provider's, as it lists them (its configured model added if it does not
/// list it), then the offline responder. When the provider cannot be reached, its configured model stands for it
/// and the error is returned too, for the caller to log or to relax its checks.
pub async fn available(state: &AppState) -> (Vec<ModelInfo>, Option<ProviderError>) {
    let mut models = Vec::new();
    let mut failure = None;
    if let Some(provider) = &state.llm {
        let default = provider.default_model();
        let listed = match provider.models().await {
            Ok(listed) => listed,
            Err(e) => {
                failure = Some(e);
                Vec::new()
            }
        };
        if !listed.iter().any(|m| m.id == default) {
            models.push(ModelInfo { id: default.to_owned(), provider: PROVIDER_NAME, owned_by: None, default: true });
        }
        models.extend(listed.into_iter().map(|m| ModelInfo {
            default: m.id == default,
            id: m.id,
            provider: PROVIDER_NAME,
            owned_by: m.owned_by,
        }));
    }
    models.push(ModelInfo {
        id: OFFLINE_MODEL.to_owned(),
        provider: OFFLINE_PROVIDER,
        owned_by: Some("quincer".into()),
        default: state.llm.is_none(),
    });
    (models, failure)
}

/// The responder for a widget whose `ai_model` is `ai_model`.
///
/// [`OFFLINE_MODEL`], or no provider: the offline responder. Unset: the provider's configured model. Any other id is
/// used as is, unless the provider's freshly cached list says it no longer serves it: then the configured model
/// answers (and a warning is logged), so a model removed from the provider does not break the widget.
pub fn responder_for(state: &AppState, ai_model: Option<&str>) -> Arc<dyn Responder> {
    let Some(provider) = state.llm.as_ref().filter(|_| ai_model != Some(OFFLINE_MODEL)) else {
        return state.responder.clone();
    };
    let default = provider.default_model();
    let model = match ai_model {
        None => default,
        Some(m) if m == default => m,
        Some(m) => match provider.cached_models() {
            Some(listed) if !listed.iter().any(|l| l.id == m) => {
                tracing::warn!(model = m, fallback = default, "the widget's model is not served any more");
                default
            }
            _ => m,
        },
    };
    Arc::new(OpenAiResponder::new(provider.clone(), model))
}
