//! `/api/v1/models`: the models a widget's `ai_model` can pick, and the check of an `ai_model` value.
//!
//! The list is the configured provider's models (its `GET /models`, cached 10 minutes) and always the offline
//! responder. When the provider cannot be reached, the list still answers, with the provider's configured model and
//! the offline responder, and the failure is logged: a developer browsing models should not get a 502 for a
//! provider that is restarting.

use axum::extract::State;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Serialize;
use serde_json::Value;

use super::ListEnvelope;
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiResult};
use crate::responder::models::{self, ModelInfo, OFFLINE_MODEL};
use crate::retrieval::Mode;
use crate::state::AppState;
use crate::store::embeddings::pending;

/// A model as the developer API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Model)]
pub struct ModelResource {
    /// Always `"model"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// The id a widget's `ai_model` takes.
    pub id: String,
    /// `openai-compatible` (the configured provider) or `offline` (the built-in responder).
    #[schema(value_type = String)]
    pub provider: &'static str,
    /// Who publishes the model, when its provider says.
    pub owned_by: Option<String>,
    /// It answers widgets whose `ai_model` is not set.
    pub default: bool,
    /// `chat` (a widget's `ai_model` can pick it) or `embedding` (the local model semantic search runs on).
    #[schema(value_type = String)]
    pub purpose: &'static str,
    /// Length of the embedding model's vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<usize>,
    /// How searches rank with it: `hybrid`, `lexical` or `semantic`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub retrieval: Option<&'static str>,
    /// The workspace's products and knowledge passages still waiting for their vectors (found by words meanwhile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vectors_pending: Option<i64>,
}

impl From<ModelInfo> for ModelResource {
    fn from(m: ModelInfo) -> Self {
        ModelResource {
            object: "model",
            id: m.id,
            provider: m.provider,
            owned_by: m.owned_by,
            default: m.default,
            purpose: "chat",
            dimensions: None,
            retrieval: None,
            vectors_pending: None,
        }
    }
}

/// `GET /api/v1/models` (scope `widgets:read`): every model, the provider's first, in its order.
#[utoipa::path(
    get,
    path = "/models",
    operation_id = "list_models",
    tag = "models",
    summary = "List the models a widget's ai_model can pick",
    description = "Scope `widgets:read`. The configured provider's models (cached 10 minutes), then the offline \
        responder `quincer-offline`; then, when the server runs a local embedding model for semantic search, that \
        model with `purpose: \"embedding\"`, its vector size, the retrieval mode and how many of the workspace's \
        products and knowledge passages still wait for their vectors. One page.",
    security(("developer_key" = [])),
    responses(
        (status = 200, description = "Every model", body = ListEnvelope<ModelResource>),
        (status = 403, description = "The key lacks `widgets:read`", body = ErrorBody),
    ),
)]
pub async fn list(State(state): State<AppState>, auth: DevAuth) -> ApiResult<Json<Value>> {
    auth.require("widgets:read")?;
    let (available, failure) = models::available(&state).await;
    if let Some(e) = failure {
        tracing::warn!(error = %e, "the model provider's model list is unavailable; listing its configured model only");
    }
    let mut data: Vec<ModelResource> = available.into_iter().map(Into::into).collect();
    if let Some(embedder) = state.retrieval.embedder() {
        data.push(ModelResource {
            object: "model",
            id: embedder.name().to_owned(),
            provider: "local",
            owned_by: None,
            default: false,
            purpose: "embedding",
            dimensions: Some(embedder.dimensions()),
            retrieval: Some(match state.retrieval.mode() {
                Mode::Hybrid => "hybrid",
                Mode::Lexical => "lexical",
                Mode::Semantic => "semantic",
            }),
            vectors_pending: Some(pending(&state.db, embedder.name(), Some(&auth.org_id)).await?),
        });
    }
    let total = data.len() as i64;
    let envelope = ListEnvelope {
        object: "list",
        has_more: false,
        url: "/api/v1/models".into(),
        total,
        limit: total,
        offset: 0,
        data,
    };
    Ok(Json(envelope.with_legacy_items("models")))
}

/// Checks that `id` is a model this server can answer with.
///
/// [`OFFLINE_MODEL`] always is. Without a provider nothing else is. With one, its configured model is, and so is any
/// model its list has; when the list cannot be fetched (the provider is down), any well-formed id is accepted (and a
/// warning logged) rather than refusing every update meanwhile: if the provider turns out not to serve it, chats
/// fall back to the configured model (see [`models::responder_for`]).
///
/// # Errors
/// 400 naming `ai_model` and the models to choose from.
pub async fn check_ai_model(state: &AppState, id: &str) -> ApiResult<()> {
    if id == OFFLINE_MODEL {
        return Ok(());
    }
    let Some(provider) = &state.llm else {
        return Err(ApiError::bad_request(format!(
            "`ai_model` ({id:?}) is not available: this server has no model provider configured, so the only model \
             is \"{OFFLINE_MODEL}\" (or null for the default)"
        )));
    };
    if id == provider.default_model() {
        return Ok(());
    }
    match provider.models().await {
        Ok(listed) if listed.iter().any(|m| m.id == id) => Ok(()),
        Ok(listed) => {
            let mut names: Vec<String> = listed.iter().take(10).map(|m| format!("\"{}\"", m.id)).collect();
            if listed.len() > names.len() {
                names.push("…".into());
            }
            names.push(format!("\"{OFFLINE_MODEL}\""));
            Err(ApiError::bad_request(format!(
                "`ai_model` ({id:?}) is not a model of this server: pick an id from GET /api/v1/models ({})",
                names.join(", ")
            )))
        }
        Err(e) => {
            tracing::warn!(error = %e, model = id, "accepting an ai_model unchecked: the provider's model list is unavailable");
            Ok(())
        }
    }
}
