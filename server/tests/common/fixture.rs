//! Writes a [`StoredProduct`] the way the storefront importer does, through the same storage function
//! (`store::products::insert`: the `products` row with its JSON columns and derived cents/flags, and its full-text
//! row), so search can be tested independently of the importer.

use quincer_server::store::Db;

use quincer_server::catalog::StoredProduct;
use quincer_server::store::products;

/// Inserts `product` for `widget_id` with its FTS row, in one transaction; returns its `seq`.
///
/// # Errors
/// Database errors (a product id stored twice for a widget violates `UNIQUE (widget_id, product_id)`).
pub async fn insert_product(db: &Db, widget_id: &str, product: &StoredProduct) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let seq = products::insert(&mut tx, widget_id, product, None).await?;
    tx.commit().await?;
    Ok(seq)
}
