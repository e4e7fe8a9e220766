//! The database pools and their migrations: SQLite (`migrations/sqlite`, the default) and PostgreSQL
//! (`migrations/postgres`, the same schema).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "quincer.db";

/// The migrations this binary applies (`server/migrations/sqlite`); readiness compares them with the database's.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The PostgreSQL migrations (`server/migrations/postgres`): the same schema as [`MIGRATOR`]'s.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

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

/// Connects to the PostgreSQL database at `url` and brings its schema up to date.
///
/// Instances starting together do not race: sqlx's migrator holds a Postgres advisory lock (per database) while
/// it compares and applies migrations, so one instance migrates and the others find the work done.
///
/// # Errors
/// If the database cannot be reached or a migration fails (including a migration applied from a different file,
/// which sqlx reports by its checksum).
pub async fn open_postgres(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await?;
    POSTGRES_MIGRATOR.run(&pool).await?;
    Ok(pool)
}
