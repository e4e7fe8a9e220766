//! How searches rank: by words (SQLite FTS5), by meaning (the [`crate::embedding`] model), or both fused.
//!
//! Hybrid is the default whenever a model is loaded. Lexical finds exact names, SKUs and rare words that a small
//! model blurs; semantic finds what the visitor means in other words ("keep my hands warm" → mittens). The two
//! ranked lists are fused by reciprocal rank fusion ([`fuse`]), which needs no score calibration between them.

use std::collections::HashMap;
use std::sync::Arc;

use crate::catalog::snapshot::{Snapshot, Snapshots};
use crate::embedding::Embedder;
use crate::store::Db;

/// Which rankings a search uses (`--retrieval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Words and meaning, fused (the default).
    Hybrid,
    /// Words only (FTS5).
    Lexical,
    /// Meaning only (needs the embedding model).
    Semantic,
}

/// The search configuration every handler shares.
#[derive(Debug)]
pub struct Retrieval {
    mode: Mode,
    embedder: Option<Arc<Embedder>>,
    snapshots: Snapshots,
}

impl Retrieval {
    /// `mode` with `embedder`; without a model every mode searches words alone.
    pub fn new(mode: Mode, embedder: Option<Arc<Embedder>>) -> Self {
        Retrieval { mode, embedder, snapshots: Snapshots::default() }
    }

    /// Words only, no model: what tests that are not about retrieval use.
    pub fn lexical() -> Self {
        Retrieval::new(Mode::Lexical, None)
    }

    /// The widget's catalog as searches read it, with the running model's vectors ([`Snapshots`]).
    ///
    /// # Errors
    /// Database errors.
    pub async fn snapshot(&self, db: &Db, widget_id: &str) -> Result<Arc<Snapshot>, sqlx::Error> {
        self.snapshots.get(db, widget_id, self.embedder.as_ref().map(|e| e.name())).await
    }

    /// The configured mode, as it actually runs: semantic or hybrid without a model is lexical.
    pub fn mode(&self) -> Mode {
        if self.embedder.is_none() {
            Mode::Lexical
        } else {
            self.mode
        }
    }

    /// Whether searches rank by words.
    pub fn uses_words(&self) -> bool {
        self.mode() != Mode::Semantic
    }

    /// The model, when searches rank by meaning.
    pub fn semantic(&self) -> Option<&Arc<Embedder>> {
        self.embedder.as_ref().filter(|_| self.mode() != Mode::Lexical)
    }

    /// The loaded model, whatever the mode (the indexer keeps vectors current in every mode).
    pub fn embedder(&self) -> Option<&Arc<Embedder>> {
        self.embedder.as_ref()
    }
}

/// Reciprocal rank fusion's constant: a rank's weight is `1 / (K + rank)`; 60 is the value of the original paper
/// (Cormack et al., 2009) and the common default.
const RRF_K: f64 = 60.0;

/// Fuses ranked lists of ids (best first) into one, best first: each id scores the sum of `1 / (60 + rank)` over
/// the lists it is in, so an id near the top of both beats one at the top of either.
pub fn fuse<T: Copy + Eq + std::hash::Hash>(lists: &[&[T]]) -> Vec<(T, f64)> {
    let mut scores: HashMap<T, f64> = HashMap::new();
    let mut order: Vec<T> = Vec::new();
    for list in lists {
        for (rank, id) in list.iter().enumerate() {
            let score = scores.entry(*id).or_insert_with(|| {
                order.push(*id);
                0.0
            });
            *score += 1.0 / (RRF_K + rank as f64 + 1.0);
        }
    }
    let mut fused: Vec<(T, f64)> = order.into_iter().map(|id| (id, scores[&id])).collect();
    // Stable: ties keep the first list's order.
    fused.sort_by(|a, b| b.1.total_cmp(&a.1));
    fused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fusion_rewards_agreement() {
        let words = [1, 2, 3];
        let meaning = [3, 4, 1];
        let fused: Vec<i32> = fuse(&[&words, &meaning]).into_iter().map(|(id, _)| id).collect();
        assert_eq!(fused, [1, 3, 2, 4], "1 and 3 are in both lists; 1 ranks higher on average");
        assert_eq!(fuse::<i32>(&[&[], &[]]), vec![]);
        let single: Vec<i32> = fuse(&[&[7, 8]]).into_iter().map(|(id, _)| id).collect();
        assert_eq!(single, [7, 8]);
    }
}
