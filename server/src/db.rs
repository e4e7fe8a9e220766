//! The database pools and their migrations: SQLite (`migrations/sqlite`, the default) and PostgreSQL
//! (`migrations/postgres`, the same schema). Handlers get a [`Db`], a `sqlx::Any` pool over either.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Executor, PgPool, SqlitePool};

use crate::store::Db;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "quincer.db";

/// The migrations this binary applies (`server/migrations/sqlite`); readiness compares them with the database's.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The PostgreSQL migrations (`server/migrations/postgres`): the same schema as [`MIGRATOR`]'s.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The SQLite file's options: created if missing, WAL (readers, such as transcripts, run while a reply is being
/// stored), foreign keys on, a 5 s wait for the write lock.
fn sqlite_options(dir: &Path) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str("sqlite:")?
        .filename(dir.join(DB_FILE))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5)))
}

/// Opens (creating if needed) `dir/quincer.db` with SQLite's own driver and brings its schema up to date: for
/// tools that read SQLite as such (`export`).
///
/// # Errors
/// If the file cannot be opened or a migration fails.
pub async fn open_sqlite(dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(sqlite_options(dir)?).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Opens (creating if needed) `dir/quincer.db`, brings its schema up to date, and returns the pool handlers use.
///
/// # Errors
/// If the file cannot be opened or a migration fails.
pub async fn open(dir: &Path) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    // Created, migrated and switched to WAL (which the file keeps) with SQLite's own options, then reopened by URL
    // through `sqlx::Any`, which carries only what a URL says: the per-connection settings are set on connect.
    let options = sqlite_options(dir)?;
    open_sqlite(dir).await?.close().await;
    let url = options.to_url_lossy();
    AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 5000").await?;
                Ok(())
            })
        })
        .connect_with(AnyConnectOptions::from_url(&url)?)
        .await
}

/// Connects to the PostgreSQL database at `url` with Postgres' own driver and brings its schema up to date.
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

/// Connects to the PostgreSQL database at `url`, brings its schema up to date (see [`open_postgres`]), and returns
/// the pool handlers use, of at most `max_connections`.
///
/// # Errors
/// If the database cannot be reached or a migration fails.
pub async fn connect_postgres(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    open_postgres(url, 1).await?.close().await;
    AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(Duration::from_secs(5)).connect(url).await
}
