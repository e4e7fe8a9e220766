//! The vectors of products and knowledge passages: which rows still need one of the running model, and writing
//! them. What a vector is computed from, and when, is [`crate::embedding::indexer`]'s; this module reads and writes
//! the rows.
//!
//! Passages of product knowledge items (`source_type = 'product'`) get none: the product's own vector stands for it.

use super::{Db, Exec};

/// Rows needing a vector of model `$1`, products and passages together; of organisation `$2` when not `NULL`.
const PENDING: &str = "SELECT (SELECT COUNT(*) FROM products p JOIN widgets w ON w.id = p.widget_id
            WHERE p.embedding_model IS DISTINCT FROM $1 AND ($2 IS NULL OR w.org_id = $2))
        + (SELECT COUNT(*) FROM knowledge_chunks c JOIN knowledge_items k ON k.id = c.knowledge_id
            JOIN widgets w ON w.id = k.widget_id
            WHERE c.embedding_model IS DISTINCT FROM $1 AND k.source_type IS DISTINCT FROM 'product'
                AND ($2 IS NULL OR w.org_id = $2))";
/// Up to `$2` products needing a vector of model `$1`, oldest first, with what it is computed from.
const PRODUCTS: &str = "SELECT seq, updated_at, title, product_type, tags, vendor, body_text FROM products
    WHERE embedding_model IS DISTINCT FROM $1 ORDER BY seq LIMIT $2";
/// Stores a product's vector, unless the product changed since it was read.
const SET_PRODUCT: &str = "UPDATE products SET embedding = $1, embedding_model = $2 WHERE seq = $3 AND updated_at = $4";
/// Up to `$2` passages needing a vector of model `$1`, oldest first, with their item's title.
const PASSAGES: &str = "SELECT c.seq, c.title, c.text FROM knowledge_chunks c
    JOIN knowledge_items k ON k.id = c.knowledge_id
    WHERE c.embedding_model IS DISTINCT FROM $1 AND k.source_type IS DISTINCT FROM 'product'
    ORDER BY c.seq LIMIT $2";
/// Stores a passage's vector.
const SET_PASSAGE: &str = "UPDATE knowledge_chunks SET embedding = $1, embedding_model = $2 WHERE seq = $3";

/// A product needing a vector: `seq`, `updated_at`, then title, type, tags (JSON), vendor and description.
pub type ProductRow = (i64, String, String, String, String, String, String);

/// Rows that still need a vector of `model`, products and passages together; `org_id` counts one workspace's.
///
/// # Errors
/// Database errors.
pub async fn pending(db: &Db, model: &str, org_id: Option<&str>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(PENDING).bind(model).bind(org_id).fetch_one(db).await
}

/// Up to `limit` products without a vector of `model`, oldest first.
///
/// # Errors
/// Database errors.
pub async fn products(db: &Db, model: &str, limit: i64) -> Result<Vec<ProductRow>, sqlx::Error> {
    sqlx::query_as(PRODUCTS).bind(model).bind(limit).fetch_all(db).await
}

/// Stores product `seq`'s vector of `model`, unless it was rewritten since its row said `updated_at`.
///
/// # Errors
/// Database errors.
pub async fn set_product<'e>(
    db: impl Exec<'e>,
    seq: i64,
    updated_at: &str,
    model: &str,
    vector: Vec<u8>,
) -> Result<(), sqlx::Error> {
    sqlx::query(SET_PRODUCT).bind(vector).bind(model).bind(seq).bind(updated_at).execute(db).await?;
    Ok(())
}

/// Up to `limit` passages without a vector of `model`, oldest first: `(seq, the item's title, the passage)`.
///
/// # Errors
/// Database errors.
pub async fn passages(db: &Db, model: &str, limit: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(PASSAGES).bind(model).bind(limit).fetch_all(db).await
}

/// Stores passage `seq`'s vector of `model`. Passages are never rewritten in place (an item's write replaces
/// them), so the id is enough.
///
/// # Errors
/// Database errors.
pub async fn set_passage<'e>(db: impl Exec<'e>, seq: i64, model: &str, vector: Vec<u8>) -> Result<(), sqlx::Error> {
    sqlx::query(SET_PASSAGE).bind(vector).bind(model).bind(seq).execute(db).await?;
    Ok(())
}
