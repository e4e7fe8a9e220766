//! The import pipeline: read every page from a [`PageSource`], convert the products to the catalog's shapes, then
//! write products, their knowledge items and their FTS rows in one transaction.
//!
//! Re-importing matches products on `(widget_id, product_id)`: a product still in the store keeps its `seq` (the
//! FTS rowid) and its knowledge item id, and is rewritten only if something changed; a product gone from the store
//! is removed with its knowledge item and FTS row.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::feed::{FeedImage, FeedProduct};
use super::fetch::{FetchError, PageSource};
use super::text::html_to_text;
use crate::catalog::{self, on_sale, price_cents, StoredImage, StoredOption, StoredProduct, StoredVariant};
use crate::error::ApiError;
use crate::ids;
use crate::store::knowledge as knowledge_store;
use crate::store::products as products_store;
use crate::store::{Db, Tx};

/// What an import did: the API's answer, less `object`, `widget_id` and `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// The currency the widget's prices are in now ([`catalog::currency::currency`]).
    pub currency: String,
    /// Products in the catalog after the import.
    pub products: i64,
    /// New products.
    pub created: i64,
    /// Products that changed.
    pub updated: i64,
    /// Products that did not change.
    pub unchanged: i64,
    /// Products no longer in the store, removed.
    pub removed: i64,
    /// Products of the feed left out: unreadable (no id, a variant without a price…), or without a title or
    /// variants (a product panel needs both).
    pub skipped: i64,
    /// Pages read, the final empty one included.
    pub pages: u32,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The store.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// Our database.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Fetch(f) => f.into(),
            ImportError::Db(d) => d.into(),
        }
    }
}

/// Imports the store at `base` (normalised) from `source` into `widget_id`'s catalog.
///
/// Everything is read before anything is written; the write is one transaction. Two imports of one widget at once
/// are serialised by SQLite's write lock (the transaction's first statement is a write, so it waits for the lock
/// instead of failing on a stale snapshot); the later one wins.
///
/// # Errors
/// The store's failure, or a database error; either way the previous catalog is untouched.
pub async fn import(
    db: &Db,
    widget_id: &str,
    base: &str,
    source: &impl PageSource,
) -> Result<ImportSummary, ImportError> {
    let (feed, pages, garbled) = fetch_all(source).await?;
    let detected = source.currency().await;
    let mut skipped = garbled;
    let mut products = Vec::with_capacity(feed.len());
    for product in feed {
        match to_stored(product, base) {
            Some(p) => products.push(p),
            None => skipped += 1,
        }
    }

    let mut tx = db.begin().await?;
    // First statement a write: see above. Keeps the last detected currency when this import detected none.
    if !products_store::set_storefront_currency(&mut tx, widget_id, detected.as_deref()).await? {
        return Err(sqlx::Error::RowNotFound.into());
    }
    let currency = catalog::currency::pick_currency(products_store::currencies(&mut *tx, widget_id).await?);
    let mut summary =
        ImportSummary { currency, products: 0, created: 0, updated: 0, unchanged: 0, removed: 0, skipped, pages };

    let existing: HashMap<u64, (i64, Option<String>)> = products_store::existing(&mut tx, widget_id)
        .await?
        .into_iter()
        .map(|(seq, id, kn)| (id as u64, (seq, kn)))
        .collect();
    let wanted: HashSet<u64> = products.iter().map(|p| p.product_id).collect();
    for (product_id, (seq, knowledge_id)) in &existing {
        if !wanted.contains(product_id) {
            remove(&mut tx, *seq, knowledge_id.as_deref()).await?;
            summary.removed += 1;
        }
    }
    for product in &products {
        match existing.get(&product.product_id) {
            Some((seq, knowledge_id)) => {
                if write_existing(&mut tx, *seq, knowledge_id.as_deref(), widget_id, product, &summary.currency).await?
                {
                    summary.updated += 1;
                } else {
                    summary.unchanged += 1;
                }
            }
            None => {
                write_new(&mut tx, widget_id, product, &summary.currency).await?;
                summary.created += 1;
            }
        }
    }
    tx.commit().await?;
    summary.products = products.len() as i64;
    Ok(summary)
}

/// Reads pages until an empty one, de-duplicating by product id, keeping the first occurrence's position.
/// Returns the products, the pages read and how many products could not be read.
async fn fetch_all(source: &impl PageSource) -> Result<(Vec<FeedProduct>, u32, i64), FetchError> {
    let mut seen = HashSet::new();
    let mut products = Vec::new();
    let mut garbled = 0;
    let mut n = 0;
    loop {
        n += 1;
        let page = source.page(n).await?;
        if page.is_empty() {
            break;
        }
        // Refused rather than cut short: a partial import would remove the products it did not reach.
        if n > source.max_pages() {
            return Err(FetchError::TooManyPages { pages: source.max_pages() });
        }
        let mut new = 0;
        for raw in page {
            match serde_json::from_value::<FeedProduct>(raw) {
                Ok(p) if seen.insert(p.id) => {
                    products.push(p);
                    new += 1;
                }
                Ok(_) => {}
                Err(e) => {
                    garbled += 1;
                    tracing::warn!(error = %e, "storefront import: skipping a product the feed garbled");
                }
            }
        }
        // A page of nothing new: the store ignores `page` (or repeats its last page); reading on would loop.
        if new == 0 {
            break;
        }
    }
    Ok((products, n, garbled))
}

/// A feed product in the catalog's shape; `None` when it has no title or no variants.
pub fn to_stored(p: FeedProduct, base: &str) -> Option<StoredProduct> {
    let title = p.title.trim().to_owned();
    if title.is_empty() || p.variants.is_empty() {
        return None;
    }
    let handle = if p.handle.trim().is_empty() { p.id.to_string() } else { p.handle.trim().to_owned() };
    let variants = p
        .variants
        .into_iter()
        .map(|v| StoredVariant {
            id: v.id,
            title: v.title,
            option1: v.option1,
            option2: v.option2,
            option3: v.option3,
            sku: v.sku.filter(|s| !s.trim().is_empty()),
            price: v.price,
            compare_at_price: v.compare_at_price,
            available: v.available,
            image: v.featured_image.and_then(image),
        })
        .collect();
    Some(StoredProduct {
        product_id: p.id,
        url: format!("{base}/products/{}", encode_segment(&handle)),
        title,
        handle,
        body_text: html_to_text(&p.body_html),
        vendor: p.vendor.trim().to_owned(),
        product_type: p.product_type.trim().to_owned(),
        tags: p.tags,
        options: p
            .options
            .into_iter()
            .filter(|o| !o.name.trim().is_empty())
            .map(|o| StoredOption { name: o.name.trim().to_owned(), values: o.values })
            .collect(),
        variants,
        images: p.images.into_iter().filter_map(image).collect(),
    })
}

/// An image with an absolute `http(s)` URL: protocol-relative CDN URLs get `https:`, anything else is dropped.
fn image(img: FeedImage) -> Option<StoredImage> {
    let src = img.src.trim();
    let src = if src.starts_with("//") { format!("https:{src}") } else { src.to_owned() };
    let lower = src.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    Some(StoredImage { src, width: img.width, height: img.height, alt: img.alt, variant_ids: img.variant_ids })
}

/// Percent-encodes a handle for a URL path segment (handles are usually plain already).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The product as a knowledge item's text: what the AI quotes when asked about it.
pub fn summary(p: &StoredProduct, currency: &str) -> String {
    let mut lines = Vec::new();
    let kind = if p.product_type.is_empty() { "Product".to_owned() } else { p.product_type.clone() };
    lines.push(match p.vendor.as_str() {
        "" => format!("{}: {kind}.", p.title),
        vendor => format!("{}: {kind} by {vendor}.", p.title),
    });
    let priced: Vec<(i64, &StoredVariant)> =
        p.variants.iter().filter_map(|v| price_cents(&v.price).map(|c| (c, v))).collect();
    if let (Some(min), Some(max)) = (priced.iter().min_by_key(|(c, _)| *c), priced.iter().max_by_key(|(c, _)| *c)) {
        lines.push(if min.0 == max.0 {
            format!("Price: {} {currency}.", min.1.price)
        } else {
            format!("Price: from {} to {} {currency}.", min.1.price, max.1.price)
        });
    }
    let mut was: Vec<&str> = Vec::new();
    for v in p.variants.iter().filter(|v| on_sale(v)) {
        if let Some(c) = v.compare_at_price.as_deref().filter(|c| !was.contains(c)) {
            was.push(c);
        }
    }
    if !was.is_empty() {
        lines.push(format!("On sale: was {} {currency}.", was.join(" or ")));
    }
    let sold_out: Vec<&str> = p.variants.iter().filter(|v| !v.available).map(|v| v.title.as_str()).collect();
    lines.push(if sold_out.len() == p.variants.len() {
        "Availability: sold out.".to_owned()
    } else if sold_out.is_empty() || p.variants.len() == 1 {
        "Availability: in stock.".to_owned()
    } else {
        format!("Availability: in stock; sold out in {}.", sold_out.join(", "))
    });
    let has_options = !(p.variants.len() == 1 && p.variants[0].title == "Default Title");
    if has_options {
        for o in &p.options {
            lines.push(format!("{}: {}.", o.name, o.values.join(", ")));
        }
    }
    if !p.tags.is_empty() {
        lines.push(format!("Tags: {}.", p.tags.join(", ")));
    }
    if !p.body_text.is_empty() {
        lines.push(p.body_text.clone());
    }
    lines.join("\n")
}

/// Stores a new product with its knowledge item.
async fn write_new(tx: &mut Tx<'_>, widget_id: &str, p: &StoredProduct, currency: &str) -> Result<(), sqlx::Error> {
    let knowledge_id = ids::new_id("kn");
    knowledge_store::insert_product(tx, &knowledge_id, widget_id, &p.title, &summary(p, currency), &p.url).await?;
    crate::knowledge::chunks::index(tx, &knowledge_id).await?;
    products_store::insert(tx, widget_id, p, Some(&knowledge_id)).await?;
    Ok(())
}

/// Rewrites a product still in the store when anything about it changed; `true` if it did.
async fn write_existing(
    tx: &mut Tx<'_>,
    seq: i64,
    knowledge_id: Option<&str>,
    widget_id: &str,
    p: &StoredProduct,
    currency: &str,
) -> Result<bool, sqlx::Error> {
    let content = summary(p, currency);
    if products_store::unchanged(tx, seq, p, &content).await? {
        return Ok(false);
    }
    // The knowledge item keeps its id; if someone deleted it through the API, the product gets a new one.
    let live = match knowledge_id {
        Some(id) if knowledge_store::exists(tx, id).await? => Some(id.to_owned()),
        _ => None,
    };
    let knowledge_id = match live {
        Some(id) => {
            knowledge_store::update_product(tx, &id, &p.title, &content, &p.url).await?;
            id
        }
        None => {
            let id = ids::new_id("kn");
            knowledge_store::insert_product(tx, &id, widget_id, &p.title, &content, &p.url).await?;
            id
        }
    };
    crate::knowledge::chunks::index(tx, &knowledge_id).await?;
    products_store::update(tx, seq, p, &knowledge_id).await?;
    Ok(true)
}

/// Removes a product with its FTS row and knowledge item.
async fn remove(tx: &mut Tx<'_>, seq: i64, knowledge_id: Option<&str>) -> Result<(), sqlx::Error> {
    products_store::delete(tx, seq).await?;
    if let Some(id) = knowledge_id {
        knowledge_store::delete(&mut **tx, id).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn feed(value: Value) -> FeedProduct {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn converts_a_feed_product() {
        let p = to_stored(
            feed(json!({
                "id": 7301234567890u64, "title": " Jökull Parka ", "handle": "jökull parka", "vendor": "NW",
                "product_type": "Down Jackets", "body_html": "<p>Warm &amp; light.</p>", "tags": ["down"],
                "options": [{"name": "Size", "values": ["S", "M"]}],
                "variants": [
                    {"id": 1, "title": "S", "option1": "S", "price": "249.00", "compare_at_price": "299.00", "sku": "",
                     "featured_image": {"src": "//cdn.example/s.jpg", "width": 10, "height": 20}},
                    {"id": 2, "title": "M", "option1": "M", "price": "259.00", "available": false}
                ],
                "images": [{"src": "//cdn.example/a.jpg"}, {"src": "data:image/png;base64,xx"}, {"src": "/rel.jpg"}]
            })),
            "https://shop.example",
        )
        .unwrap();
        assert_eq!(p.title, "Jökull Parka");
        assert_eq!(p.url, "https://shop.example/products/j%C3%B6kull%20parka");
        assert_eq!(p.body_text, "Warm & light.");
        assert_eq!(p.images.len(), 1);
        assert_eq!(p.images[0].src, "https://cdn.example/a.jpg");
        assert_eq!(p.variants[0].image.as_ref().unwrap().src, "https://cdn.example/s.jpg");
        assert_eq!(p.variants[0].sku, None);
        let c = products_store::Columns::of(&p);
        assert_eq!((c.min, c.max, c.available, c.on_sale), (Some(24900), Some(25900), true, true));
        let text = summary(&p, "EUR");
        assert!(text.starts_with("Jökull Parka: Down Jackets by NW.\nPrice: from 249.00 to 259.00 EUR."), "{text}");
        assert!(text.contains("On sale: was 299.00 EUR."), "{text}");
        assert!(text.contains("Availability: in stock; sold out in M."), "{text}");
        assert!(text.contains("Size: S, M.") && text.ends_with("Warm & light."), "{text}");
    }

    #[test]
    fn leaves_out_products_a_panel_cannot_show() {
        assert!(to_stored(feed(json!({"id": 1, "title": "No variants"})), "https://s.example").is_none());
        let untitled = json!({"id": 1, "title": " ", "variants": [{"id": 2, "price": "1.00"}]});
        assert!(to_stored(feed(untitled), "https://s.example").is_none());
    }
}
