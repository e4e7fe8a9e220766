//! The provider's models (`GET <base>/models`), cached for [`TTL`].
//!
//! The list changes rarely (someone pulls a model into Ollama), and `GET /api/v1/models` and widget updates read
//! it, so it is fetched at most once per [`TTL`]. The cache sits behind an async mutex held during the fetch:
//! callers arriving meanwhile wait for that one fetch instead of starting their own. Failures are not cached, so
//! the first call after the provider comes back finds its models.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex;

use super::{Provider, ProviderError};

/// How long a fetched list is used.
pub const TTL: Duration = Duration::from_secs(10 * 60);

/// One model the provider serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderModel {
    /// Its id, as requests name it.
    pub id: String,
    /// Who publishes it, if the provider says.
    pub owned_by: Option<String>,
}

/// The last list fetched, and when.
#[derive(Debug, Default)]
pub struct Cache(Mutex<Option<(Instant, Vec<ProviderModel>)>>);

impl Provider {
    /// The provider's models, from the cache when it is younger than [`TTL`].
    ///
    /// # Errors
    /// The fetch's [`ProviderError`], when the cache is stale and the provider cannot be reached.
    pub async fn models(&self) -> Result<Vec<ProviderModel>, ProviderError> {
        let mut cache = self.models.0.lock().await;
        if let Some((at, models)) = cache.as_ref() {
            if at.elapsed() < TTL {
                return Ok(models.clone());
            }
        }
        let models = parse(&self.get_json("/models").await?)?;
        *cache = Some((Instant::now(), models.clone()));
        Ok(models)
    }

    /// The cached list if it is fresh, without waiting or fetching (for the chat path, which must not wait on a
    /// model list to answer).
    pub fn cached_models(&self) -> Option<Vec<ProviderModel>> {
        let cache = self.models.0.try_lock().ok()?;
        cache.as_ref().filter(|(at, _)| at.elapsed() < TTL).map(|(_, models)| models.clone())
    }
}

/// The models of a `{"object": "list", "data": [{"id", "owned_by"}, …]}` answer.
fn parse(list: &Value) -> Result<Vec<ProviderModel>, ProviderError> {
    let data = list.get("data").and_then(Value::as_array).ok_or_else(|| {
        ProviderError::Malformed(format!("no `data` list of models: {}", super::chunks::snippet(&list.to_string())))
    })?;
    let mut models: Vec<ProviderModel> = Vec::new();
    for item in data {
        let Some(id) = item.get("id").and_then(Value::as_str).map(str::trim).filter(|id| !id.is_empty()) else {
            continue;
        };
        if !models.iter().any(|m| m.id == id) {
            let owned_by = item.get("owned_by").and_then(Value::as_str).map(str::to_owned);
            models.push(ProviderModel { id: id.to_owned(), owned_by });
        }
    }
    Ok(models)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_ids_once_in_order() {
        let list = json!({"object": "list", "data": [
            {"id": "llama3.2:3b", "object": "model", "owned_by": "library"},
            {"id": "qwen2.5"}, {"id": ""}, {"object": "model"}, {"id": "qwen2.5"}
        ]});
        let models = parse(&list).unwrap();
        assert_eq!(models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["llama3.2:3b", "qwen2.5"]);
        assert_eq!(models[0].owned_by.as_deref(), Some("library"));
        assert!(parse(&json!({"models": []})).is_err());
    }
}
