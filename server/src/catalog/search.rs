//! Catalog search: FTS5 over `products_fts` for the product words, then the [`ProductQuery`]'s conditions checked
//! on each product's variants ([`super::matching`]).
//!
//! Visitor words reach FTS5 only quoted (like [`crate::knowledge::fts_queries`]), so `OR`, `NEAR` or `*` in a message
//! are searched for, never executed. Every product word must occur in the product, and at least one of them in its
//! title, type, tags, options or vendor: a description that merely mentions "shipping" does not make a product an
//! answer about shipping.

use sqlx::SqlitePool;

use super::matching::{best_variant, cheapest_fit, lead_with};
use super::query::ProductQuery;
use super::{StoredImage, StoredOption, StoredProduct, StoredVariant};

/// Products read from SQL before the variant conditions are checked in Rust.
const CANDIDATES: i64 = 200;

/// The columns a product must name at least one product word in (everything but the description).
const STRUCTURED: &str = "{title product_type tags option_values vendor}";

/// The FTS5 query for `keywords`: all of them anywhere, one of them in [`STRUCTURED`] columns; with `strict`, all
/// of them in [`STRUCTURED`] columns. `None` without keywords.
pub fn fts_match(keywords: &[String], strict: bool) -> Option<String> {
    let terms: Vec<String> = keywords.iter().filter_map(|w| quote(w)).collect();
    if terms.is_empty() {
        return None;
    }
    let all = terms.join(" ");
    Some(if strict {
        format!("{STRUCTURED} : ({all})")
    } else {
        format!("({all}) AND ({STRUCTURED} : ({}))", terms.join(" OR "))
    })
}

/// A word as one quoted FTS5 term; `None` if nothing searchable is left once non-alphanumerics are dropped.
fn quote(word: &str) -> Option<String> {
    let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
    (!word.is_empty()).then(|| format!("\"{word}\""))
}

type Row = (i64, String, String, String, String, String, String, String, String, String, String);

const COLUMNS: &str = "p.product_id, p.title, p.handle, p.body_text, p.vendor, p.product_type, p.tags, p.options,
    p.variants, p.images, p.url";

/// The widget's products matching `q`, best first, at most `limit`, each with the variant that fits the question
/// moved first (see [`lead_with`]) when the question sets variant conditions.
///
/// Order: products with a fitting variant that can be bought first, then by relevance (bm25: title and type weigh
/// most, tags and options next, vendor and description least), or by the fitting price with `cheap`; a question
/// without product words lists the catalog in its stored order. A shopping question needs its words anywhere (one in
/// the title, type, tags, options or vendor); any other needs them all in those columns ([`fts_match`]).
///
/// # Errors
/// Database errors. Rows whose JSON columns do not decode are skipped (and logged), not fatal.
pub async fn search(
    db: &SqlitePool,
    widget_id: &str,
    q: &ProductQuery,
    limit: usize,
) -> Result<Vec<StoredProduct>, sqlx::Error> {
    // The cent columns are supersets of the variant checks: the cheapest variant must be under the ceiling, the
    // dearest over the floor; `on_sale` and `available` are "any variant".
    let filters = "p.widget_id = ?2
        AND (?3 IS NULL OR p.max_price_cents IS NULL OR p.max_price_cents >= ?3)
        AND (?4 IS NULL OR p.min_price_cents IS NULL OR p.min_price_cents <= ?4)
        AND (?5 = 0 OR p.on_sale = 1) AND (?6 = 0 OR p.available = 1)";
    let (sql, matcher) = match fts_match(&q.keywords, !q.shopping) {
        Some(m) => (
            format!(
                "SELECT {COLUMNS} FROM products_fts JOIN products p ON p.seq = products_fts.rowid
                 WHERE products_fts MATCH ?1 AND {filters}
                 ORDER BY bm25(products_fts, 10.0, 8.0, 4.0, 3.0, 1.0, 1.0), p.seq LIMIT ?7"
            ),
            m,
        ),
        None if q.shopping => (
            format!("SELECT {COLUMNS} FROM products p WHERE ?1 = ?1 AND {filters} ORDER BY p.seq LIMIT ?7"),
            String::new(),
        ),
        None => return Ok(Vec::new()),
    };
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(matcher)
        .bind(widget_id)
        .bind(q.min_cents)
        .bind(q.max_cents)
        .bind(q.on_sale)
        .bind(q.in_stock)
        .bind(CANDIDATES)
        .fetch_all(db)
        .await?;
    let mut found: Vec<(StoredProduct, bool, i64)> = Vec::new();
    for row in rows {
        let Some(mut product) = decode(row) else { continue };
        let Some(best) = best_variant(&product, q) else { continue };
        let available = product.variants[best].available;
        let price = cheapest_fit(&product, q).unwrap_or(i64::MAX);
        if q.has_variant_constraints() {
            lead_with(&mut product, best);
        }
        found.push((product, available, price));
    }
    // Stable sorts keep relevance order within each group.
    if q.cheap {
        found.sort_by_key(|(_, _, price)| *price);
    }
    found.sort_by_key(|(_, available, _)| !available);
    Ok(found.into_iter().take(limit).map(|(p, _, _)| p).collect())
}

/// The product words that occur anywhere in the widget's catalog, in order.
///
/// # Errors
/// Database errors.
pub async fn known_words(db: &SqlitePool, widget_id: &str, words: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let mut known = Vec::new();
    for word in words {
        let Some(m) = quote(word) else { continue };
        let hit: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM products_fts JOIN products p ON p.seq = products_fts.rowid
             WHERE products_fts MATCH ? AND p.widget_id = ? LIMIT 1",
        )
        .bind(m)
        .bind(widget_id)
        .fetch_optional(db)
        .await?;
        if hit.is_some() {
            known.push(word.clone());
        }
    }
    Ok(known)
}

/// Whether the widget has any product at all.
///
/// # Errors
/// Database errors.
pub async fn has_products(db: &SqlitePool, widget_id: &str) -> Result<bool, sqlx::Error> {
    let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM products WHERE widget_id = ? LIMIT 1")
        .bind(widget_id)
        .fetch_optional(db)
        .await?;
    Ok(any.is_some())
}

/// A row with its JSON columns decoded; `None` (logged) when one does not decode.
fn decode(row: Row) -> Option<StoredProduct> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_words_are_quoted_terms() {
        let words = vec!["waterproof".to_owned(), "jacket".to_owned()];
        assert_eq!(
            fts_match(&words, false).unwrap(),
            r#"("waterproof" "jacket") AND ({title product_type tags option_values vendor} : ("waterproof" OR "jacket"))"#
        );
        assert_eq!(
            fts_match(&words, true).unwrap(),
            r#"{title product_type tags option_values vendor} : ("waterproof" "jacket")"#
        );
        assert_eq!(fts_match(&["\"*".to_owned()], false), None);
        assert_eq!(fts_match(&[], true), None);
    }
}
