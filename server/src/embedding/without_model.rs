//! The embedding model's place in a build without the `embedding` feature (the fuzz crate's): no model can be
//! loaded, so none can be called.

use std::path::Path;

use super::ModelError;

/// A model that cannot exist in this build: [`SentenceModel::load`] always says why.
#[derive(Debug)]
pub struct SentenceModel {
    never: std::convert::Infallible,
}

impl SentenceModel {
    /// Always [`ModelError::NotBuilt`].
    ///
    /// # Errors
    /// Always.
    pub fn load(_dir: &Path) -> Result<Self, ModelError> {
        Err(ModelError::NotBuilt)
    }

    /// Unreachable: no model exists.
    pub fn name(&self) -> &str {
        match self.never {}
    }

    /// Unreachable: no model exists.
    pub fn dimensions(&self) -> usize {
        match self.never {}
    }

    /// Unreachable: no model exists.
    ///
    /// # Errors
    /// Never returns.
    pub fn embed(&self, _texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        match self.never {}
    }
}
