//! What a takeover needs of its developer key. (Key issuing and checking still live in `provision` and `auth`;
//! they move here with the rest of issue 20's storage layer.)

use super::Db;

/// A developer key's name.
const NAME: &str = "SELECT name FROM developer_keys WHERE id = $1";

/// The name developer key `key_id` was given (may be empty).
///
/// # Errors
/// Database errors (`RowNotFound` for no such key).
pub async fn developer_key_name(db: &Db, key_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(NAME).bind(key_id).fetch_one(db).await
}
