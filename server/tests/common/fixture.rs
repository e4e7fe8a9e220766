//! Writes a [`StoredProduct`] the way the storefront importer does (the `products` row with its JSON columns and
//! derived cents/flags, and its `products_fts` row with [`StoredProduct::search_text`]), so search can be tested
//! independently of the importer.

use sqlx::SqlitePool;

use quincer_server::catalog::{price_cents, StoredProduct};

/// Inserts `product` for `widget_id` with its FTS row, in one transaction; returns its `seq`.
///
/// # Errors
/// Database errors (a product id stored twice for a widget violates `UNIQUE (widget_id, product_id)`).
pub async fn insert_product(db: &SqlitePool, widget_id: &str, product: &StoredProduct) -> Result<i64, sqlx::Error> {
    let cents: Vec<i64> = product.variants.iter().filter_map(|v| price_cents(&v.price)).collect();
    let on_sale = product.variants.iter().any(|v| {
        v.compare_at_price.as_deref().and_then(price_cents).zip(price_cents(&v.price)).is_some_and(|(c, p)| c > p)
    });
    let json = |value: serde_json::Result<String>| value.map_err(|e| sqlx::Error::Encode(Box::new(e)));
    let mut tx = db.begin().await?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO products (widget_id, product_id, title, handle, body_text, vendor, product_type, tags, options,
             variants, images, url, min_price_cents, max_price_cents, available, on_sale)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(widget_id)
    .bind(i64::try_from(product.product_id).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
    .bind(&product.title)
    .bind(&product.handle)
    .bind(&product.body_text)
    .bind(&product.vendor)
    .bind(&product.product_type)
    .bind(json(serde_json::to_string(&product.tags))?)
    .bind(json(serde_json::to_string(&product.options))?)
    .bind(json(serde_json::to_string(&product.variants))?)
    .bind(json(serde_json::to_string(&product.images))?)
    .bind(&product.url)
    .bind(cents.iter().min())
    .bind(cents.iter().max())
    .bind(product.variants.iter().any(|v| v.available))
    .bind(on_sale)
    .fetch_one(&mut *tx)
    .await?;
    let text = product.search_text();
    sqlx::query(
        "INSERT INTO products_fts (rowid, title, product_type, tags, option_values, vendor, body_text)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(text.title)
    .bind(text.product_type)
    .bind(text.tags)
    .bind(text.option_values)
    .bind(text.vendor)
    .bind(text.body_text)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(seq)
}
