//! Rate-limit counters shared by every instance, in PostgreSQL's `rate_limit_windows`: the same fixed one-minute
//! windows as [`super::Limiter`], counted by one atomic upsert per request, so two instances behind a balancer
//! cannot both let the 101st request of a minute through.

use sqlx::PgPool;

use super::{unix_now, window_of, Decision};

/// Counts the request if the window still has room; returns the new count, or no row when the window is full
/// (a refused request does not count, as in memory).
const HIT: &str = "INSERT INTO rate_limit_windows (client, window_start, hits) VALUES ($1, $2, 1)
    ON CONFLICT (client, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
    WHERE rate_limit_windows.hits < $3
    RETURNING hits";

/// Forgets the windows before the current one.
const PRUNE: &str = "DELETE FROM rate_limit_windows WHERE window_start < $1";

/// Counters in the database, shared by the instances that use it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SharedLimiter {
    db: PgPool,
}

impl SharedLimiter {
    /// Counters in `db` (migrated: it needs `rate_limit_windows`).
    pub fn new(db: PgPool) -> SharedLimiter {
        SharedLimiter { db }
    }

    /// Counts a request of `client` against `limit` per minute, now.
    ///
    /// # Errors
    /// Database errors (callers decide whether to serve without a count).
    pub async fn hit(&self, client: &str, limit: u32) -> Result<Decision, sqlx::Error> {
        self.hit_at(client, limit, unix_now()).await
    }

    /// [`SharedLimiter::hit`] at a given unix time (seconds), for tests.
    ///
    /// # Errors
    /// Database errors.
    pub async fn hit_at(&self, client: &str, limit: u32, now: u64) -> Result<Decision, sqlx::Error> {
        if limit == 0 {
            return Ok(Decision::at(0, 0, false, now));
        }
        let window = i64::try_from(window_of(now)).unwrap_or(i64::MAX);
        let counted: Option<i64> =
            sqlx::query_scalar(HIT).bind(client).bind(window).bind(i64::from(limit)).fetch_optional(&self.db).await?;
        if counted == Some(1) {
            // The first request of a window: the time to drop the windows that have ended (indexed, cheap).
            sqlx::query(PRUNE).bind(window).execute(&self.db).await?;
        }
        Ok(match counted {
            Some(hits) => Decision::at(limit, u32::try_from(hits).unwrap_or(limit), true, now),
            None => Decision::at(limit, limit, false, now),
        })
    }
}
