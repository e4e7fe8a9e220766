//! A widget's catalog in memory, ready to search: decoded products, their words, capacities and vectors.
//!
//! Searching thousands of products by meaning compares the question's vector with every product's, so the vectors
//! (and everything else a search reads per product) are kept decoded in memory per widget. A snapshot is reused
//! while the widget's products are unchanged: database triggers bump a per-widget version on every insert, update
//! and delete of its products, whichever process or writer made them, so one single-row read per search tells.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::capacity::{stated, Capacity};
use super::words::{fold, folded_words, product_kinds, Vocabulary};
use super::{negated_words, without_negated_words, StoredImage, StoredOption, StoredProduct, StoredVariant};
use crate::embedding::vector::from_blob;
use crate::store::products as store;
use crate::store::Db;

type Row = (i64, String, String, String, String, String, String, String, String, String, String);

/// A row with its JSON columns decoded; `None` (logged) when one does not decode.
pub(super) fn decode(row: Row) -> Option<StoredProduct> {
    let (product_id, title, handle, body_text, vendor, product_type, tags, options, variants, images, url) = row;
    let json = |column: &str, text: &str| {
        tracing::warn!(product_id, column, text = %text.chars().take(80).collect::<String>(), "undecodable product JSON");
    };
    let tags: Vec<String> = serde_json::from_str(&tags).map_err(|_| json("tags", &tags)).ok()?;
    let options: Vec<StoredOption> = serde_json::from_str(&options).map_err(|_| json("options", &options)).ok()?;
    let variants: Vec<StoredVariant> = serde_json::from_str(&variants).map_err(|_| json("variants", &variants)).ok()?;
    let images: Vec<StoredImage> = serde_json::from_str(&images).map_err(|_| json("images", &images)).ok()?;
    if variants.is_empty() {
        return None;
    }
    Some(StoredProduct {
        product_id: u64::try_from(product_id).ok()?,
        title,
        handle,
        body_text,
        vendor,
        product_type,
        tags,
        options,
        variants,
        images,
        url,
    })
}

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

/// The catalog's version and the model whose vectors the snapshot holds.
type Key = (i64, Option<String>);

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
    pub async fn get(&self, db: &Db, widget_id: &str, model: Option<&str>) -> Result<Arc<Snapshot>, sqlx::Error> {
        // Every write to the widget's products bumps its version (triggers of migration 0015).
        let version = store::version(db, widget_id).await?;
        let key: Key = (version.unwrap_or(0), model.map(str::to_owned));
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

async fn load(db: &Db, widget_id: &str, model: Option<&str>) -> Result<Snapshot, sqlx::Error> {
    let rows = store::for_snapshot(db, widget_id).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn version(db: &Db, widget: &str) -> Option<i64> {
        store::version(db, widget).await.expect("read the version")
    }

    #[tokio::test]
    async fn every_write_to_a_widgets_products_bumps_its_version_and_renews_its_snapshot() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(dir.path()).await.expect("open the database");
        for sql in [
            "INSERT INTO organizations (id, name) VALUES ('org_t', 'T')",
            "INSERT INTO widgets (id, org_id, brand) VALUES ('wgt_t', 'org_t', 'T'), ('wgt_u', 'org_t', 'U')",
            r#"INSERT INTO products (widget_id, product_id, title, handle, url, variants) VALUES ('wgt_t', 1, 'Tent', 't',
               'u', '[{"id": 1, "title": "Default", "price": "10.00", "available": true}]')"#,
        ] {
            sqlx::query(sql).execute(&db).await.expect(sql);
        }
        let snapshots = Snapshots::default();
        let first = snapshots.get(&db, "wgt_t", None).await.expect("snapshot");
        assert!(Arc::ptr_eq(&first, &snapshots.get(&db, "wgt_t", None).await.expect("snapshot")), "unchanged: reused");
        // A writer that touches neither `updated_at` nor anything an aggregate would see: a title fixed by hand.
        let before = version(&db, "wgt_t").await;
        sqlx::query("UPDATE products SET title = 'Dome Tent' WHERE widget_id = 'wgt_t'")
            .execute(&db)
            .await
            .expect("update");
        assert!(version(&db, "wgt_t").await > before);
        let renewed = snapshots.get(&db, "wgt_t", None).await.expect("snapshot");
        assert_eq!(renewed.entries[0].product.title, "Dome Tent");
        assert_eq!(version(&db, "wgt_u").await, None, "another widget's catalog is untouched");
        sqlx::query("DELETE FROM products").execute(&db).await.expect("delete");
        assert!(snapshots.get(&db, "wgt_t", None).await.expect("snapshot").entries.is_empty());
        sqlx::query("DELETE FROM widgets WHERE id = 'wgt_t'").execute(&db).await.expect("delete the widget");
        assert_eq!(version(&db, "wgt_t").await, None, "a deleted widget leaves no version behind");
    }
}
