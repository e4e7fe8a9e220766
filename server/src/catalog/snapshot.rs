//! A widget's catalog in memory, ready to search: decoded products, their words, capacities and vectors.
//!
//! Searching thousands of products by meaning compares the question's vector with every product's, so the vectors
//! (and everything else a search reads per product) are kept decoded in memory per widget. A snapshot is reused
//! while the widget's products are unchanged: one aggregate query per search over the widget's rows (count, newest
//! update, the sum of ids, stock, the variants' size, and how many vectors of the running model exist) tells,
//! whichever process wrote them.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use sqlx::SqlitePool;

use super::capacity::{stated, Capacity};
use super::search::decode;
use super::words::{fold, folded_words, product_kinds, Vocabulary};
use super::{negated_words, without_negated_words, StoredProduct};
use crate::embedding::vector::from_blob;

/// One product, prepared for searching.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `products.seq`, the FTS rowid.
    pub seq: i64,
    /// The product.
    pub product: StoredProduct,
    /// Folded words of its title, type, tags, option values and vendor.
    pub structured: HashSet<String>,
    /// Those and the words of its description (minus what it says it is not).
    pub all: HashSet<String>,
    /// What it is: the kind words of its title and its type ([`kind_word`]).
    pub kinds: Vec<String>,
    /// Folded words its description says it is not ("a pad, not a rug").
    pub negated: HashSet<String>,
    /// The capacities it states ("sleeps 4").
    pub capacities: Vec<Capacity>,
    /// Its vector from the running model, once computed.
    pub vector: Option<Vec<f32>>,
}

/// A widget's searchable catalog.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Products in stored order.
    pub entries: Vec<Entry>,
    /// Index of each `seq` in `entries`.
    pub by_seq: HashMap<i64, usize>,
    /// The catalog's words.
    pub vocabulary: Vocabulary,
    /// The most common product types, most common first (what the store sells, for "we don't carry that").
    pub top_types: Vec<String>,
}

type Key = (i64, Option<String>, i64, i64, i64, i64);

/// Snapshots by widget.
#[derive(Debug, Default)]
pub struct Snapshots {
    cache: Mutex<HashMap<String, (Key, Arc<Snapshot>)>>,
}

impl Snapshots {
    /// The widget's current catalog, with the vectors of `model` (none without one).
    ///
    /// # Errors
    /// Database errors.
    pub async fn get(
        &self,
        db: &SqlitePool,
        widget_id: &str,
        model: Option<&str>,
    ) -> Result<Arc<Snapshot>, sqlx::Error> {
        let key: Key = sqlx::query_as(
            // The importer bumps `updated_at` on every change; the stock and the variants' size catch a writer that
            // does not (a sold-out variant turns `true` into `false`).
            "SELECT COUNT(*), MAX(updated_at), COALESCE(SUM(seq), 0), COALESCE(SUM(embedding_model IS ?2), 0),
                    COALESCE(SUM(available), 0), COALESCE(SUM(length(variants)), 0)
             FROM products WHERE widget_id = ?1",
        )
        .bind(widget_id)
        .bind(model)
        .fetch_one(db)
        .await?;
        if let Some((k, snap)) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(widget_id) {
            if *k == key {
                return Ok(snap.clone());
            }
        }
        let snap = Arc::new(load(db, widget_id, model).await?);
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(widget_id.to_owned(), (key, snap.clone()));
        Ok(snap)
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<Vec<u8>>,
    Option<String>,
);

async fn load(db: &SqlitePool, widget_id: &str, model: Option<&str>) -> Result<Snapshot, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT product_id, title, handle, body_text, vendor, product_type, tags, options, variants, images, url,
                seq, embedding, embedding_model
         FROM products WHERE widget_id = ? ORDER BY seq",
    )
    .bind(widget_id)
    .fetch_all(db)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for (product_id, title, handle, body, vendor, ptype, tags, options, variants, images, url, seq, blob, m) in rows {
        let Some(product) =
            decode((product_id, title, handle, body, vendor, ptype, tags, options, variants, images, url))
        else {
            continue;
        };
        let s = product.search_text();
        let structured: HashSet<String> = [&s.title, &s.product_type, &s.tags, &s.option_values, &s.vendor]
            .into_iter()
            .flat_map(|t| folded_words(t))
            .collect();
        let mut all = structured.clone();
        all.extend(folded_words(&s.body_text));
        let body = without_negated_words(&product.body_text);
        let capacities = stated(&[&product.title, &s.tags, &body]);
        let vector = match (blob, m.as_deref(), model) {
            (Some(b), Some(m), Some(want)) if m == want => from_blob(&b, b.len() / 4),
            _ => None,
        };
        let kinds = product_kinds(&product);
        let negated = negated_words(&product.body_text).iter().map(|w| fold(w)).collect();
        entries.push(Entry { seq, product, structured, all, kinds, negated, capacities, vector });
    }
    let vocabulary = Vocabulary::build(entries.iter().map(|e| &e.product));
    let mut types: HashMap<&str, usize> = HashMap::new();
    for e in &entries {
        let t = e.product.product_type.trim();
        if !t.is_empty() {
            *types.entry(t).or_default() += 1;
        }
    }
    let mut top: Vec<(&str, usize)> = types.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top_types = top.into_iter().take(5).map(|(t, _)| t.to_owned()).collect();
    let by_seq = entries.iter().enumerate().map(|(i, e)| (e.seq, i)).collect();
    Ok(Snapshot { entries, by_seq, vocabulary, top_types })
}
