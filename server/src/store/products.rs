//! A widget's product catalog: the rows the storefront import writes (each product with its full-text row), the
//! catalog snapshot and the lexical ranking that [`crate::catalog`] searches with, and the widget's currencies.
//! What a product means (its search text, its price in cents, what it answers) is [`crate::catalog`]'s; this module
//! reads and writes the rows.
//!
//! Full-text search is the one dialect-specific part: on SQLite the code keeps an FTS5 table, `products_fts`
//! (rowid = `products.seq`), in step with every product write (`FTS_DELETE_SQLITE`, `FTS_INSERT_SQLITE`) and
//! ranks with `MATCH` and `bm25` ([`rank_sqlite`]); Postgres keeps a weighted `search tsvector` column on `products`
//! itself (see `migrations/postgres/0001_schema.sql`) and ranks with `ts_rank_cd`.

use serde::Serialize;

use super::{now_sql, Db, Dialect, Exec, Tx};
use crate::catalog::{on_sale, price_cents, StoredProduct};

/// The catalog's version: triggers bump it on every write to the widget's products (migration 0015).
const VERSION: &str = "SELECT version FROM catalog_versions WHERE widget_id = $1";
/// Every product of a widget as the snapshot reads it, in stored order.
const SNAPSHOT: &str = "SELECT product_id, title, handle, body_text, vendor, product_type, tags, options, variants,
        images, url, seq, embedding, embedding_model
    FROM products WHERE widget_id = $1 ORDER BY seq";
/// Widget `$2`'s products matching FTS5 query `$1`, best first, at most `$3`: title and type weigh most, tags and
/// option values next, vendor and description least.
const RANK_SQLITE: &str = "SELECT p.seq FROM products_fts JOIN products p ON p.seq = products_fts.rowid
    WHERE products_fts MATCH $1 AND p.widget_id = $2
    ORDER BY bm25(products_fts, 10.0, 8.0, 4.0, 3.0, 1.0, 1.0), p.seq LIMIT $3";
/// Widget `$2`'s products matching `tsquery` `$1` (Postgres), best first, at most `$3`: weights as in SQLite's
/// ranking (see [`SEARCH_POSTGRES`]). Like FTS5's BM25, which
/// normalises each column by its length, each weight class is ranked on its own (`ts_filter`) and normalised by its
/// own length, so a match in a short field counts more than the same match in a long one.
const RANK_POSTGRES: &str = "SELECT seq FROM products, to_tsquery('english', $1) q
    WHERE search @@ q AND widget_id = $2
    ORDER BY 10 * ts_rank_cd('{1, 1, 1, 1}', ts_filter(search, '{a}'), q, 1)
        + 8 * ts_rank_cd('{1, 1, 1, 1}', ts_filter(search, '{b}'), q, 1)
        + 4 * ts_rank_cd('{1, 1, 1, 1}', ts_filter(search, '{c}'), q, 1)
        + ts_rank_cd('{1, 1, 1, 1}', ts_filter(search, '{d}'), q, 1) DESC, seq LIMIT $3";
/// Whether a widget has a product.
const ANY: &str = "SELECT 1 FROM products WHERE widget_id = $1 LIMIT 1";
/// A widget's configured and detected currencies.
const CURRENCIES: &str = "SELECT currency, storefront_currency FROM widgets WHERE id = $1";
/// A widget's website (where its store is, unless an import names another).
const WEBSITE_URL: &str = "SELECT website_url FROM widgets WHERE id = $1";
/// Records the currency an import detected (`NULL` keeps the last one).
const SET_STOREFRONT_CURRENCY: &str =
    "UPDATE widgets SET storefront_currency = COALESCE($1, storefront_currency) WHERE id = $2";
/// A widget's stored products: position, the store's id, knowledge item.
const EXISTING: &str = "SELECT seq, product_id, knowledge_id FROM products WHERE widget_id = $1";
/// A new product.
const INSERT: &str = "INSERT INTO products (widget_id, product_id, title, handle, body_text, vendor, product_type,
        tags, options, variants, images, url, min_price_cents, max_price_cents, available, on_sale, knowledge_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING seq";
/// Whether product `$1` and its knowledge item already hold these values.
const UNCHANGED: &str = "SELECT 1 FROM products pr JOIN knowledge_items k ON k.id = pr.knowledge_id
    WHERE pr.seq = $1 AND pr.title = $2 AND pr.handle = $3 AND pr.body_text = $4 AND pr.vendor = $5
      AND pr.product_type = $6 AND pr.tags = $7 AND pr.options = $8 AND pr.variants = $9 AND pr.images = $10
      AND pr.url = $11 AND k.title = $2 AND k.content = $12 AND k.url IS NOT DISTINCT FROM $11";
/// Rewrites a product.
const UPDATE: &str = concat!(
    "UPDATE products SET title = $1, handle = $2, body_text = $3, vendor = $4, product_type = $5, tags = $6,
        options = $7, variants = $8, images = $9, url = $10, min_price_cents = $11, max_price_cents = $12,
        available = $13, on_sale = $14, knowledge_id = $15, updated_at = ",
    now_sql!(),
    ",
        -- The vector goes when the text it was computed from changes (not for a new price or stock): the
        -- embedding indexer computes a new one. SET expressions read the row's old values.
        embedding_model = CASE WHEN title = $1 AND body_text = $3 AND vendor = $4 AND product_type = $5
            AND tags = $6 AND options = $7 THEN embedding_model END
    WHERE seq = $16"
);
/// Deletes a product.
const DELETE: &str = "DELETE FROM products WHERE seq = $1";
/// Drops a product's FTS5 row.
const FTS_DELETE_SQLITE: &str = "DELETE FROM products_fts WHERE rowid = $1";
/// A product's weighted `search` column (Postgres), from the texts of SQLite's FTS5 row: `$1` the product's `seq`,
/// then title, type, tags, option values, vendor, description. The weight classes follow SQLite's column weights
/// (10, 8, 4, 3, 1, 1): title A, type B, tags and option values C, vendor and description D. `quincer-server
/// export` writes the same from a SQLite deployment.
pub const SEARCH_POSTGRES: &str = "UPDATE products SET search =
        setweight(to_tsvector('english', $2), 'A') || setweight(to_tsvector('english', $3), 'B')
        || setweight(to_tsvector('english', $4), 'C') || setweight(to_tsvector('english', $5), 'C')
        || setweight(to_tsvector('english', $6), 'D') || setweight(to_tsvector('english', $7), 'D')
    WHERE seq = $1";
/// A product's FTS5 row, in the columns [`StoredProduct::search_text`] fills.
const FTS_INSERT_SQLITE: &str =
    "INSERT INTO products_fts (rowid, title, product_type, tags, option_values, vendor, body_text)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// A product as the snapshot reads it: the columns [`crate::catalog`] decodes (store id, title, handle,
/// description, vendor, type, then the JSON tags, options, variants and images, URL), then `seq`, the vector and
/// its model.
pub type SnapshotRow = (
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

/// Widget `widget_id`'s catalog version (`None` before its first product).
///
/// # Errors
/// Database errors.
pub async fn version(db: &Db, widget_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(VERSION).bind(widget_id).fetch_optional(db).await
}

/// Every product of widget `widget_id`, in stored order, as the catalog snapshot reads them.
///
/// # Errors
/// Database errors.
pub async fn for_snapshot(db: &Db, widget_id: &str) -> Result<Vec<SnapshotRow>, sqlx::Error> {
    sqlx::query_as(SNAPSHOT).bind(widget_id).fetch_all(db).await
}

/// The `seq` of widget `widget_id`'s products matching the FTS5 `query`, best first (BM25 with the catalog's
/// column weights, then stored order), at most `limit`. SQLite's full-text search; Postgres ranks `search`.
///
/// # Errors
/// Database errors.
pub async fn rank_sqlite(db: &Db, widget_id: &str, query: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(RANK_SQLITE).bind(query).bind(widget_id).bind(limit).fetch_all(db).await
}

/// The `seq` of widget `widget_id`'s products matching the Postgres `tsquery` (words joined by `|`), best first
/// (`ts_rank_cd` with the catalog's weights, then stored order), at most `limit`. Postgres' full-text search.
///
/// # Errors
/// Database errors.
pub async fn rank_postgres(db: &Db, widget_id: &str, tsquery: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(RANK_POSTGRES).bind(tsquery).bind(widget_id).bind(limit).fetch_all(db).await
}

/// Whether widget `widget_id` has any product.
///
/// # Errors
/// Database errors.
pub async fn any(db: &Db, widget_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(ANY).bind(widget_id).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// Widget `widget_id`'s `(currency, storefront_currency)`: the configured one and the one the last import
/// detected; `None` for no such widget.
///
/// # Errors
/// Database errors.
pub async fn currencies<'e>(
    db: impl Exec<'e>,
    widget_id: &str,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as(CURRENCIES).bind(widget_id).fetch_optional(db).await
}

/// Widget `widget_id`'s website URL, if set.
///
/// # Errors
/// Database errors (`RowNotFound` for no such widget).
pub async fn website_url(db: &Db, widget_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(WEBSITE_URL).bind(widget_id).fetch_one(db).await
}

/// Records the currency an import `detected` on widget `widget_id` (`None` keeps the last one). Returns whether
/// the widget exists. As an import's first statement, a write: it takes SQLite's write lock at once.
///
/// # Errors
/// Database errors.
pub async fn set_storefront_currency(
    tx: &mut Tx<'_>,
    widget_id: &str,
    detected: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(SET_STOREFRONT_CURRENCY).bind(detected).bind(widget_id).execute(&mut **tx).await?;
    Ok(updated.rows_affected() > 0)
}

/// Widget `widget_id`'s stored products: `(seq, the store's product id, knowledge item id)`.
///
/// # Errors
/// Database errors.
pub async fn existing(tx: &mut Tx<'_>, widget_id: &str) -> Result<Vec<(i64, i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as(EXISTING).bind(widget_id).fetch_all(&mut **tx).await
}

/// The `products` columns derived from a product: its JSON lists, its price range in cents and its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Tags, as JSON.
    pub tags: String,
    /// Options, as JSON.
    pub options: String,
    /// Variants, as JSON.
    pub variants: String,
    /// Images, as JSON.
    pub images: String,
    /// The lowest variant price in cents.
    pub min: Option<i64>,
    /// The highest variant price in cents.
    pub max: Option<i64>,
    /// Whether some variant is available.
    pub available: bool,
    /// Whether some variant is on sale.
    pub on_sale: bool,
}

impl Columns {
    /// The columns of `p`.
    pub fn of(p: &StoredProduct) -> Self {
        let cents: Vec<i64> = p.variants.iter().filter_map(|v| price_cents(&v.price)).collect();
        Columns {
            tags: json(&p.tags),
            options: json(&p.options),
            variants: json(&p.variants),
            images: json(&p.images),
            min: cents.iter().copied().min(),
            max: cents.iter().copied().max(),
            available: p.variants.iter().any(|v| v.available),
            on_sale: p.variants.iter().any(on_sale),
        }
    }
}

/// A JSON column; lists of plain data cannot fail to serialise.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Binds a product's text and JSON columns in the order every product statement names them: title, handle,
/// description, vendor, type, tags, options, variants, images, URL (`$p`: the product, `$c`: its [`Columns`]).
macro_rules! bind_text {
    ($query:expr, $p:expr, $c:expr) => {
        $query
            .bind(&$p.title)
            .bind(&$p.handle)
            .bind(&$p.body_text)
            .bind(&$p.vendor)
            .bind(&$p.product_type)
            .bind(&$c.tags)
            .bind(&$c.options)
            .bind(&$c.variants)
            .bind(&$c.images)
            .bind(&$p.url)
    };
}

/// Binds the columns derived from a product's variants, after [`bind_text!`]'s: lowest and highest price in
/// cents, available, on sale.
macro_rules! bind_derived {
    ($query:expr, $c:expr) => {
        $query.bind($c.min).bind($c.max).bind($c.available).bind($c.on_sale)
    };
}

/// Stores product `p` of widget `widget_id` with its full-text row; returns its `seq`.
///
/// # Errors
/// Database errors (a product id stored twice for a widget violates `UNIQUE (widget_id, product_id)`).
pub async fn insert(
    tx: &mut Tx<'_>,
    widget_id: &str,
    p: &StoredProduct,
    knowledge_id: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let c = Columns::of(p);
    let insert = sqlx::query_scalar(INSERT).bind(widget_id).bind(p.product_id as i64);
    let seq: i64 = bind_derived!(bind_text!(insert, p, c), c).bind(knowledge_id).fetch_one(&mut **tx).await?;
    write_fts(tx, seq, p).await?;
    Ok(seq)
}

/// Whether product `seq` already stores `p`, and its knowledge item `p`'s title and URL with `content`.
///
/// # Errors
/// Database errors.
pub async fn unchanged(tx: &mut Tx<'_>, seq: i64, p: &StoredProduct, content: &str) -> Result<bool, sqlx::Error> {
    let c = Columns::of(p);
    let same: Option<i64> =
        bind_text!(sqlx::query_scalar(UNCHANGED).bind(seq), p, c).bind(content).fetch_optional(&mut **tx).await?;
    Ok(same.is_some())
}

/// Rewrites product `seq` as `p` with its full-text row; its vector is dropped when its text changed.
///
/// # Errors
/// Database errors.
pub async fn update(tx: &mut Tx<'_>, seq: i64, p: &StoredProduct, knowledge_id: &str) -> Result<(), sqlx::Error> {
    let c = Columns::of(p);
    let update = sqlx::query(Dialect::of_connection(tx).sql(UPDATE));
    bind_derived!(bind_text!(update, p, c), c).bind(knowledge_id).bind(seq).execute(&mut **tx).await?;
    write_fts(tx, seq, p).await
}

/// Deletes product `seq` with its full-text row (its knowledge item is the caller's).
///
/// # Errors
/// Database errors.
pub async fn delete(tx: &mut Tx<'_>, seq: i64) -> Result<(), sqlx::Error> {
    if Dialect::of_connection(tx) == Dialect::Sqlite {
        sqlx::query(FTS_DELETE_SQLITE).bind(seq).execute(&mut **tx).await?;
    }
    sqlx::query(DELETE).bind(seq).execute(&mut **tx).await?;
    Ok(())
}

/// Replaces product `seq`'s full-text row (SQLite's FTS5 row, Postgres' `search` column) with `p`'s search text.
async fn write_fts(tx: &mut Tx<'_>, seq: i64, p: &StoredProduct) -> Result<(), sqlx::Error> {
    let s = p.search_text();
    if Dialect::of_connection(tx) == Dialect::Postgres {
        sqlx::query(SEARCH_POSTGRES)
            .bind(seq)
            .bind(s.title)
            .bind(s.product_type)
            .bind(s.tags)
            .bind(s.option_values)
            .bind(s.vendor)
            .bind(s.body_text)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query(FTS_DELETE_SQLITE).bind(seq).execute(&mut **tx).await?;
    sqlx::query(FTS_INSERT_SQLITE)
        .bind(seq)
        .bind(s.title)
        .bind(s.product_type)
        .bind(s.tags)
        .bind(s.option_values)
        .bind(s.vendor)
        .bind(s.body_text)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
