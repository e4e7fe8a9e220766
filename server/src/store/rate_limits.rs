//! Rate-limit counters shared by every instance on PostgreSQL (`rate_limit_windows`, a Postgres-only table:
//! SQLite deployments are one process and count in memory). One row per client and fixed one-minute window.

use super::Db;

/// Counts the request if the window still has room; returns the new count, or no row when the window is full
/// (a refused request does not count, as in memory).
const HIT: &str = "INSERT INTO rate_limit_windows (client, window_start, hits) VALUES ($1, $2, 1)
    ON CONFLICT (client, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
    WHERE rate_limit_windows.hits < $3
    RETURNING hits";

/// Forgets the windows before the current one.
const PRUNE: &str = "DELETE FROM rate_limit_windows WHERE window_start < $1";

/// Counts a request of `client` in the window starting at `window` (unix seconds) unless it already holds
/// `limit`; the new count, or `None` when the window was full. One atomic statement: two instances cannot both
/// let the last request through.
///
/// # Errors
/// Database errors.
pub async fn hit(db: &Db, client: &str, window: i64, limit: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(HIT).bind(client).bind(window).bind(limit).fetch_optional(db).await
}

/// Deletes the windows that started before `window`.
///
/// # Errors
/// Database errors.
pub async fn prune(db: &Db, window: i64) -> Result<(), sqlx::Error> {
    sqlx::query(PRUNE).bind(window).execute(db).await.map(|_| ())
}
