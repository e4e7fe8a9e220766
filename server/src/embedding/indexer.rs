//! Keeps every product's and knowledge passage's vector current, in the background.
//!
//! A row needs a vector when its `embedding_model` is not the running model's: it is new, its text changed (writers
//! clear the column), or the server now runs another model. The indexer embeds such rows in batches, oldest first,
//! products before passages, and writes each vector only if the row is still the one it read (a product rewritten
//! meanwhile keeps waiting for its own turn). Writers [`wake`](IndexerHandle::wake) it; it also looks every few
//! seconds, so rows written by another process get their vectors too.
//!
//! Passages of product knowledge items (`source_type = 'product'`) get none: the product's own vector stands for it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::vector::to_blob;
use super::Embedder;
use crate::store::embeddings as store;
use crate::store::Db;

/// Rows embedded per batch: large enough to amortise the model's per-call cost, small enough that a search waiting
/// for a blocking thread never waits long, and that the attention matrices of a batch of 256-token texts stay small
/// (measured on a 5,000-product import: peak RSS 407 MB with 32 rows a batch).
const BATCH: i64 = 8;
/// How often an idle indexer looks for rows written by other processes.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Description characters a product's embedding text keeps: the model reads 256 tokens at most, and the title,
/// type and tags matter most.
const BODY_CHARS: usize = 600;

/// Wakes the indexer; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct IndexerHandle {
    notify: Arc<Notify>,
}

impl IndexerHandle {
    /// Tells the indexer that rows may need vectors (a no-op without a model).
    pub fn wake(&self) {
        self.notify.notify_one();
    }
}

/// The text a product's vector is computed from: what it is (title, type, tags, vendor), then its description.
pub fn product_text(title: &str, product_type: &str, tags: &str, vendor: &str, body: &str) -> String {
    let tags: Vec<String> = serde_json::from_str(tags).unwrap_or_default();
    let body: String = body.chars().take(BODY_CHARS).collect();
    [title, product_type, &tags.join(", "), vendor, &body]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(". ")
}

/// The text a knowledge passage's vector is computed from: the item's title, then the passage.
pub fn passage_text(title: &str, text: &str) -> String {
    format!("{}. {}", title.trim(), text.trim())
}

/// Starts the indexer for `embedder` on `db`; runs until the process ends.
pub fn spawn(db: Db, embedder: Arc<Embedder>, handle: IndexerHandle) {
    tokio::spawn(async move {
        loop {
            match run_once(&db, &embedder).await {
                Ok(()) => {}
                Err(e) => tracing::warn!(error = %e, "embedding indexer: will retry"),
            }
            let _ = tokio::time::timeout(IDLE_POLL, handle.notify.notified()).await;
        }
    });
}

/// Embeds every row that needs it, logging progress when there are many.
async fn run_once(db: &Db, embedder: &Embedder) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let model = embedder.name().to_owned();
    let total = store::pending(db, &model, None).await?;
    if total == 0 {
        return Ok(());
    }
    let started = Instant::now();
    let loud = total > BATCH * 4;
    if loud {
        tracing::info!(rows = total, model = %model, "embedding: computing vectors in the background");
    }
    let mut done: i64 = 0;
    let mut last_log = Instant::now();
    loop {
        let n = match embed_products(db, embedder).await? {
            0 => embed_passages(db, embedder).await?,
            n => n,
        };
        done += n;
        // Rows rewritten while being embedded are picked up again; a bound keeps a row that can never be written
        // from spinning this loop (the next wake-up tries again).
        if n == 0 || done > total * 2 + BATCH {
            break;
        }
        if loud && last_log.elapsed() > Duration::from_secs(5) {
            tracing::info!(done, of = total, "embedding: progress");
            last_log = Instant::now();
        }
    }
    if loud {
        tracing::info!(rows = done, seconds = started.elapsed().as_secs_f32(), "embedding: up to date");
    }
    Ok(())
}

/// One batch of products; returns how many were embedded.
async fn embed_products(db: &Db, embedder: &Embedder) -> Result<i64, Box<dyn std::error::Error + Send + Sync>> {
    let model = embedder.name();
    let rows = store::products(db, model, BATCH).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let texts = rows.iter().map(|(_, _, t, ty, tags, v, b)| product_text(t, ty, tags, v, b)).collect();
    let vectors = embedder.embed(texts).await?;
    let mut tx = db.begin().await?;
    for ((seq, updated_at, ..), vector) in rows.iter().zip(vectors) {
        store::set_product(&mut *tx, *seq, updated_at, model, to_blob(&vector)).await?;
    }
    tx.commit().await?;
    Ok(rows.len() as i64)
}

/// One batch of knowledge passages; returns how many were embedded.
async fn embed_passages(db: &Db, embedder: &Embedder) -> Result<i64, Box<dyn std::error::Error + Send + Sync>> {
    let model = embedder.name();
    let rows = store::passages(db, model, BATCH).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let texts = rows.iter().map(|(_, title, text)| passage_text(title, text)).collect();
    let vectors = embedder.embed(texts).await?;
    let mut tx = db.begin().await?;
    for ((seq, ..), vector) in rows.iter().zip(vectors) {
        store::set_passage(&mut *tx, *seq, model, to_blob(&vector)).await?;
    }
    tx.commit().await?;
    Ok(rows.len() as i64)
}
