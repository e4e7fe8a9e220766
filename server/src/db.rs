//! The SQLite pool and its migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "quincer.db";

/// The migrations this binary applies (`server/migrations`); readiness compares them with the database's.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Opens (creating if needed) `dir/quincer.db` and brings its schema up to date.
///
/// # Errors
/// If the file cannot be opened or a migration fails.
pub async fn open(dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(dir.join(DB_FILE))
        .create_if_missing(true)
        // WAL lets readers (transcripts) run while a reply is being stored.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}
