//! Rate-limit counters shared by every instance, in PostgreSQL's `rate_limit_windows`: the same fixed one-minute
//! windows as [`super::Limiter`], counted by one atomic upsert per request, so two instances behind a balancer
//! cannot both let the 101st request of a minute through.

use crate::store::{rate_limits, Db};

use super::{unix_now, window_of, Decision};

/// Counters in the database, shared by the instances that use it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SharedLimiter {
    db: Db,
}

impl SharedLimiter {
    /// Counters in `db`, a PostgreSQL database (migrated: it needs `rate_limit_windows`).
    pub fn new(db: Db) -> SharedLimiter {
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
        let counted = rate_limits::hit(&self.db, client, window, i64::from(limit)).await?;
        if counted == Some(1) {
            // The first request of a window: the time to drop the windows that have ended (indexed, cheap).
            rate_limits::prune(&self.db, window).await?;
        }
        Ok(match counted {
            Some(hits) => Decision::at(limit, u32::try_from(hits).unwrap_or(limit), true, now),
            None => Decision::at(limit, limit, false, now),
        })
    }
}
