//! Rate limits: per developer key on `/api/v1` (API.md: 100 reads and 30 writes a minute), and abuse protection on
//! the public widget endpoints (per client address, and per visitor for chat messages).
//!
//! Fixed one-minute windows aligned on the clock's minutes, so `Quincer-RateLimit-Reset` is the same instant for
//! every client of a key and a client can compute it too. On one instance ([`Limiter`]) counters live in memory: a
//! restart forgets them, which errs on the side of serving. Several instances on PostgreSQL share their counters
//! in the database ([`SharedLimiter`]), so a limit holds whichever instance a request reaches. Keys of old windows are pruned as the map grows, so memory stays bounded by the
//! number of clients active within one minute.

mod layers;
mod shared;

pub use layers::{dev_api, public_api};
pub use shared::SharedLimiter;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue};

/// The window length, in seconds.
const WINDOW_SECS: u64 = 60;
/// Prune stale counters once the map holds this many.
const PRUNE_AT: usize = 10_000;

/// How many requests a minute each kind of client may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// `GET` requests per developer key.
    pub dev_reads: u32,
    /// Other requests per developer key.
    pub dev_writes: u32,
    /// Requests to public widget endpoints per client address (pages behind one NAT share it, so it is generous).
    pub public_per_ip: u32,
    /// Chat messages per visitor.
    pub chat_per_visitor: u32,
    /// Sign-in attempts per client address (offices behind one NAT share it).
    pub sign_in_per_ip: u32,
    /// Sign-in attempts per email address, whichever address they come from (password guessing).
    pub sign_in_per_email: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            dev_reads: 100,
            dev_writes: 30,
            public_per_ip: 600,
            chat_per_visitor: 20,
            sign_in_per_ip: 30,
            sign_in_per_email: 10,
        }
    }
}

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The limit of the window.
    pub limit: u32,
    /// Requests left in the window after this one.
    pub remaining: u32,
    /// Unix time (seconds) at which the window resets.
    pub reset: u64,
    /// Seconds until then (at least 1).
    pub retry_after: u64,
    /// Whether this request is within the limit.
    pub allowed: bool,
}

impl Decision {
    /// Adds `Quincer-RateLimit-Limit`, `-Remaining` and `-Reset` (and `Retry-After` when refused).
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert("quincer-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("quincer-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("quincer-ratelimit-reset", HeaderValue::from(self.reset));
        if !self.allowed {
            headers.insert(axum::http::header::RETRY_AFTER, HeaderValue::from(self.retry_after));
        }
    }
}

/// Counters of every client, shared by all requests.
#[derive(Debug, Default)]
pub struct Limiter {
    /// Client key → (window start, requests counted in it).
    windows: Mutex<HashMap<String, (u64, u32)>>,
}

impl Limiter {
    /// Counts a request of `client` against `limit` per minute, now.
    pub fn hit(&self, client: &str, limit: u32) -> Decision {
        self.hit_at(client, limit, unix_now())
    }

    /// [`Limiter::hit`] at a given unix time (seconds), for tests.
    pub fn hit_at(&self, client: &str, limit: u32, now: u64) -> Decision {
        let window = window_of(now);
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() >= PRUNE_AT {
            windows.retain(|_, (start, _)| *start == window);
        }
        let entry = windows.entry(client.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        // A refused request does not count, so a client hammering while limited is let in at the reset.
        let allowed = entry.1 < limit;
        if allowed {
            entry.1 += 1;
        }
        Decision::at(limit, entry.1, allowed, now)
    }
}

/// The request counters a server uses: in memory (one SQLite process), or shared in PostgreSQL by every instance.
#[derive(Debug)]
pub enum RateCounter {
    /// This process's counters.
    Memory(Limiter),
    /// Counters in the database, shared by the instances behind a balancer.
    Shared(SharedLimiter),
}

impl Default for RateCounter {
    fn default() -> Self {
        RateCounter::Memory(Limiter::default())
    }
}

impl RateCounter {
    /// Counts a request of `client` against `limit` per minute, now. When the shared counter cannot be reached the
    /// request is let through uncounted (and logged): a database hiccup must not refuse every visitor.
    pub async fn hit(&self, client: &str, limit: u32) -> Decision {
        match self {
            RateCounter::Memory(limiter) => limiter.hit(client, limit),
            RateCounter::Shared(shared) => shared.hit(client, limit).await.unwrap_or_else(|error| {
                tracing::warn!(%error, "rate limit: shared counter unavailable, request not counted");
                Decision::at(limit, 0, true, unix_now())
            }),
        }
    }
}

/// The start (unix seconds) of the fixed window `now` falls in.
fn window_of(now: u64) -> u64 {
    now - now % WINDOW_SECS
}

impl Decision {
    /// The decision for a request at `now` that left `counted` requests in its window.
    fn at(limit: u32, counted: u32, allowed: bool, now: u64) -> Decision {
        let reset = window_of(now) + WINDOW_SECS;
        Decision { limit, remaining: limit.saturating_sub(counted), reset, retry_after: (reset - now).max(1), allowed }
    }
}

/// The current unix time in seconds.
fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_within_a_window_and_resets_on_the_next() {
        let limiter = Limiter::default();
        let t = 1_714_435_200; // a whole minute
        for i in 0..3 {
            let d = limiter.hit_at("k", 3, t + 10);
            assert!(d.allowed);
            assert_eq!(d.remaining, 2 - i);
            assert_eq!(d.reset, t + 60);
        }
        let refused = limiter.hit_at("k", 3, t + 18);
        assert!(!refused.allowed);
        assert_eq!((refused.remaining, refused.retry_after), (0, 42));
        assert!(limiter.hit_at("other", 3, t + 18).allowed, "clients are counted apart");
        let next = limiter.hit_at("k", 3, t + 60);
        assert!(next.allowed);
        assert_eq!((next.remaining, next.reset), (2, t + 120));
    }

    #[test]
    fn headers_carry_the_state() {
        let d = Limiter::default().hit_at("k", 1, 59);
        let mut h = HeaderMap::new();
        d.write_headers(&mut h);
        assert_eq!(h["quincer-ratelimit-remaining"], "0");
        assert_eq!(h["quincer-ratelimit-reset"], "60");
        assert!(h.get("retry-after").is_none());
        let refused = Limiter { windows: Mutex::new(HashMap::from([("k".into(), (0, 1))])) }.hit_at("k", 1, 59);
        refused.write_headers(&mut h);
        assert_eq!(h["retry-after"], "1");
    }

    #[test]
    fn stale_windows_are_pruned() {
        let limiter = Limiter::default();
        for i in 0..PRUNE_AT {
            limiter.hit_at(&i.to_string(), 5, 0);
        }
        limiter.hit_at("new", 5, 120);
        assert_eq!(limiter.windows.lock().unwrap().len(), 1);
    }
}
