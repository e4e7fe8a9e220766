//! Sentence embeddings for semantic search: a local model ([`model`]) turns text into vectors whose dot product
//! says how close two texts are in meaning, so "something to keep my hands warm" finds mittens that never say
//! "hands".
//!
//! Vectors are data: every product and knowledge passage gets one in the database, next to its row, tagged with the
//! model's name ([`indexer`]); a search embeds the visitor's question ([`Embedder::embed_query`]) and compares it
//! with the stored vectors of the same model ([`vector`]). Without a model the server searches words alone.
//!
//! # Layout
//! - [`model`]: loads a sentence-transformers folder into candle's BERT; mean pooling and L2 normalisation (in
//!   builds without the `embedding` feature, a model that refuses to load).
//! - `error`: [`ModelError`].
//! - [`vector`]: vectors as BLOBs, and their dot product.
//! - [`indexer`]: the background task that gives new and changed rows their vectors, and re-embeds on a model change.

mod error;
pub mod indexer;
#[cfg(feature = "embedding")]
pub mod model;
// Builds without candle (the fuzz crate's) keep the same API, refusing to load.
#[cfg(not(feature = "embedding"))]
#[path = "without_model.rs"]
pub mod model;
pub mod vector;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use error::ModelError;
pub use model::SentenceModel;

/// Questions whose vectors are kept, so a repeated question costs no inference.
const QUERY_CACHE: usize = 2048;

/// The loaded model, shared by searches and the indexer; inference runs on Tokio's blocking threads.
#[derive(Debug)]
pub struct Embedder {
    model: Arc<SentenceModel>,
    queries: Mutex<HashMap<String, Arc<Vec<f32>>>>,
}

impl Embedder {
    /// The model in `dir` (see [`model`]), loaded once per process: servers started again in one process (tests,
    /// restarts) share it.
    ///
    /// # Errors
    /// The model's files are missing or not a supported model.
    pub fn load(dir: &Path) -> Result<Arc<Self>, ModelError> {
        static LOADED: Mutex<Vec<(PathBuf, Arc<Embedder>)>> = Mutex::new(Vec::new());
        let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, e)) = loaded.iter().find(|(d, _)| d == dir) {
            return Ok(e.clone());
        }
        let embedder =
            Arc::new(Embedder { model: Arc::new(SentenceModel::load(dir)?), queries: Mutex::new(HashMap::new()) });
        loaded.push((dir.to_owned(), embedder.clone()));
        Ok(embedder)
    }

    /// The model's name with a fingerprint of its weights, as stored with every vector.
    pub fn name(&self) -> &str {
        self.model.name()
    }

    /// Length of every vector.
    pub fn dimensions(&self) -> usize {
        self.model.dimensions()
    }

    /// The vector of a search query (cached by its exact text).
    ///
    /// # Errors
    /// Inference failures.
    pub async fn embed_query(&self, text: &str) -> Result<Arc<Vec<f32>>, ModelError> {
        if let Some(v) = self.queries.lock().unwrap_or_else(|e| e.into_inner()).get(text) {
            return Ok(v.clone());
        }
        let vector = Arc::new(self.embed(vec![text.to_owned()]).await?.pop().unwrap_or_default());
        let mut cache = self.queries.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= QUERY_CACHE {
            cache.clear();
        }
        cache.insert(text.to_owned(), vector.clone());
        Ok(vector)
    }

    /// The vectors of `texts`, in order, computed in one batch on a blocking thread.
    ///
    /// # Errors
    /// Inference failures.
    pub async fn embed(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, ModelError> {
        let model = self.model.clone();
        tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            model.embed(&refs)
        })
        .await
        .map_err(|e| ModelError::Tokenizer(format!("the embedding task failed: {e}")))?
    }
}
