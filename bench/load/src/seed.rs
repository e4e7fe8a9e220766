//! Visitors and conversations written straight into the server's database: creating 10,000 through the public
//! API would cost a chat (and an answer) each, which is not what the stream bench measures.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::BoxError;

/// One seeded visitor with one conversation.
pub struct Seeded {
    /// The visitor token (the database stores its hash).
    pub token: String,
    /// The conversation id.
    pub conversation: String,
}

/// Inserts `n` visitors of `widget_id`, one conversation each, ids prefixed with `tag`, in one transaction, into
/// `db`: the server's SQLite file, or its PostgreSQL URL (several nodes share it).
///
/// # Errors
/// Database errors.
pub async fn visitors(db: &str, widget_id: &str, tag: &str, n: usize) -> Result<Vec<Seeded>, BoxError> {
    let pool = if db.starts_with("postgres") {
        quincer_server::db::connect_postgres(db, 1).await?
    } else {
        // The server holds the same file open in WAL mode, with a busy wait for writers.
        quincer_server::db::open(Path::new(db).parent().ok_or("a database file path")?).await?
    };
    let mut tx = pool.begin().await?;
    let mut seeded = Vec::with_capacity(n);
    for i in 0..n {
        let visitor = format!("vis_bench_{tag}_{i}");
        // Unique and long enough; the server only ever compares hashes.
        let token = format!("vt_bench_{tag}_{i}_{}", std::process::id());
        let conversation = format!("conv_bench_{tag}_{i}");
        sqlx::query("INSERT INTO visitors (id, widget_id, token_hash) VALUES ($1, $2, $3)")
            .bind(&visitor)
            .bind(widget_id)
            .bind(hex::encode(Sha256::digest(token.as_bytes())))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO conversations (id, widget_id, visitor_id) VALUES ($1, $2, $3)")
            .bind(&conversation)
            .bind(widget_id)
            .bind(&visitor)
            .execute(&mut *tx)
            .await?;
        seeded.push(Seeded { token, conversation });
    }
    tx.commit().await?;
    pool.close().await;
    Ok(seeded)
}
