//! The error body of every endpoint.

use serde::{Deserialize, Serialize};

/// `{"error": "..."}`: a sentence a developer can act on, never an internal detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong and, where possible, how to fix it.
    pub error: String,
}
