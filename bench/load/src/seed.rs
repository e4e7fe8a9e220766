//! Visitors and conversations written straight into the server's database: creating 10,000 through the public
//! API would cost a chat (and an answer) each, which is not what the stream bench measures.

use std::str::FromStr;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::ConnectOptions;

use crate::BoxError;

/// One seeded visitor with one conversation.
pub struct Seeded {
    /// The visitor token (the database stores its hash).
    pub token: String,
    /// The conversation id.
    pub conversation: String,
}

/// Inserts `n` visitors of `widget_id`, one conversation each, ids prefixed with `tag`, in one transaction.
///
/// # Errors
/// Database errors.
pub async fn visitors(db_file: &str, widget_id: &str, tag: &str, n: usize) -> Result<Vec<Seeded>, BoxError> {
    // The server holds the same file open in WAL mode; a short busy wait covers its own writes.
    let mut conn = SqliteConnectOptions::from_str("sqlite:")?
        .filename(db_file)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await?;
    let mut tx = sqlx::Connection::begin(&mut conn).await?;
    let mut seeded = Vec::with_capacity(n);
    for i in 0..n {
        let visitor = format!("vis_bench_{tag}_{i}");
        // Unique and long enough; the server only ever compares hashes.
        let token = format!("vt_bench_{tag}_{i}_{}", std::process::id());
        let conversation = format!("conv_bench_{tag}_{i}");
        sqlx::query("INSERT INTO visitors (id, widget_id, token_hash) VALUES (?, ?, ?)")
            .bind(&visitor)
            .bind(widget_id)
            .bind(hex::encode(Sha256::digest(token.as_bytes())))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO conversations (id, widget_id, visitor_id) VALUES (?, ?, ?)")
            .bind(&conversation)
            .bind(widget_id)
            .bind(&visitor)
            .execute(&mut *tx)
            .await?;
        seeded.push(Seeded { token, conversation });
    }
    tx.commit().await?;
    Ok(seeded)
}
