//! What can go wrong loading or running an embedding model.

use std::path::PathBuf;

/// Why a model folder could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A file is missing or unreadable.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The tokenizer refused the text or its settings.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// The network's maths failed (shapes, dtypes): a model this code does not support.
    #[cfg(feature = "embedding")]
    #[error("model: {0}")]
    Candle(#[from] candle_core::Error),
    /// This server was built without the `embedding` feature.
    #[error(
        "this quincer-server was built without its `embedding` feature: build it with default features to load a model"
    )]
    NotBuilt,
}
