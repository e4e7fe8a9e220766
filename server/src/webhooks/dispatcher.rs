//! The background worker that delivers queued webhook events.
//!
//! Deliveries are claimed with a lease (their next attempt is pushed into the future in the same statement that
//! selects them), so two server processes on one database never send the same delivery twice, and a process that
//! dies mid-delivery leaves it to be retried when the lease runs out.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{watch, Notify};

use super::signature;
use crate::outbound::OutboundPolicy;
use crate::store::webhooks::{self as store, Due, Failure};
use crate::store::Db;

/// How deliveries are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Wait before the first retry; doubles with every further attempt.
    pub base: Duration,
    /// Longest wait between attempts.
    pub max_backoff: Duration,
    /// Attempts before a delivery is given up (`failed`).
    pub max_attempts: u32,
    /// Failed attempts in a row after which a subscription is deactivated.
    pub deactivate_after: u32,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    /// 8 attempts over about 8 minutes; a subscription failing 20 times in a row is switched off.
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_secs(2),
            max_backoff: Duration::from_secs(3600),
            max_attempts: 8,
            deactivate_after: 20,
            timeout: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait after the `attempts`-th failed attempt.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1u32.checked_shl(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Handle on the delivery worker. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
}

/// Deliveries claimed per round.
const BATCH: i64 = 16;

impl Dispatcher {
    /// Starts the worker on the current tokio runtime.
    pub fn start(db: Db, policy: RetryPolicy, outbound: Arc<OutboundPolicy>) -> Dispatcher {
        let wake = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        // Guarded at connect time: a receiver's name may resolve elsewhere now than when it was registered.
        let client = outbound
            .client_builder()
            .timeout(policy.timeout)
            // A receiver that redirects is misconfigured; following it would send signed payloads elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Quincer-Webhooks/1")
            .build()
            .expect("an HTTP client with default TLS settings");
        tokio::spawn(run(db, policy, client, outbound, wake.clone(), stopped));
        Dispatcher { wake, stop }
    }

    /// Looks for due deliveries now (call after committing new ones).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Stops the worker after the delivery in progress; pending ones stay queued for the next process.
    pub fn stop(&self) {
        self.stop.send_replace(true);
        self.wake.notify_one();
    }
}

async fn run(
    db: Db,
    policy: RetryPolicy,
    client: reqwest::Client,
    outbound: Arc<OutboundPolicy>,
    wake: Arc<Notify>,
    mut stopped: watch::Receiver<bool>,
) {
    let lease = Duration::from_secs(policy.timeout.as_secs() + 30);
    while !*stopped.borrow() {
        let due = match store::claim(&db, lease, BATCH).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "claiming webhook deliveries failed");
                Vec::new()
            }
        };
        let full = due.len() as i64 == BATCH;
        futures_util::future::join_all(due.into_iter().map(|d| attempt(&db, &client, &outbound, &policy, d))).await;
        if full {
            continue;
        }
        // Sleep until the next pending delivery is due, or until woken; the queue's depth is read with it.
        let next = store::queue(&db).await;
        if let Ok((_, depth)) = next {
            crate::ops::metrics::webhook_queue(depth);
        }
        let wait = match next {
            Ok((due_in, _)) => due_in.map_or(Duration::from_secs(60), |s| Duration::from_secs_f64(s.clamp(0.0, 60.0))),
            // The database is unreachable (a restart, a failover): look again soon rather than in a minute.
            Err(_) => Duration::from_secs(1),
        };
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => {}
        }
    }
}

/// Posts one delivery: the receiver's status, and the error when it is no success.
async fn send(client: &reqwest::Client, url: &str, secret: &str, d: &Due) -> (Option<u16>, Option<String>) {
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |t| t.as_secs()).to_string();
    let sig = signature(secret, d.payload.as_bytes());
    let result = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Quincer-Signature", &sig)
        .header("Quincer-Event", &d.event)
        .header("Quincer-Timestamp", &timestamp)
        .header("Quincer-Delivery", &d.id)
        // Legacy names, kept for one major version.
        .header("X-Quincer-Signature", &sig)
        .header("X-Quincer-Event", &d.event)
        .header("X-Quincer-Timestamp", &timestamp)
        .body(d.payload.clone())
        .send()
        .await;
    match result {
        Ok(res) if res.status().is_success() => (Some(res.status().as_u16()), None),
        Ok(res) => (Some(res.status().as_u16()), Some(format!("receiver answered {}", res.status()))),
        Err(e) => (None, Some(format!("request failed: {}", innermost(&e)))),
    }
}

/// The innermost cause of an error says the most (e.g. the resolver's refusal); reqwest's own text is generic.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let Some(mut cause) = e.source() else { return e.to_string() };
    while let Some(next) = cause.source() {
        cause = next;
    }
    format!("{e}: {cause}")
}

/// One delivery attempt, and its bookkeeping.
async fn attempt(db: &Db, client: &reqwest::Client, outbound: &OutboundPolicy, policy: &RetryPolicy, d: Due) {
    let webhook = store::target(db, &d.webhook_id).await.unwrap_or(None);
    let Some((url, secret, active)) = webhook else { return }; // deleted: its deliveries went with it
    if !active {
        let _ = store::fail_inactive(db, &d.id).await;
        return;
    }
    // IP literals never reach the guarded resolver: they are checked here, on every attempt.
    let checked = reqwest::Url::parse(&url).map_err(|e| e.to_string()).and_then(|u| outbound.check_url(&u));
    let (status, error) = match checked {
        Err(reason) => (None, Some(format!("refused: {reason}"))),
        Ok(()) => send(client, &url, &secret, &d).await,
    };
    let attempts = d.attempts + 1;
    let outcome = match error {
        None => store::record_success(db, &d, attempts, status).await,
        Some(error) => {
            tracing::warn!(delivery = %d.id, %url, %error, attempts, "webhook delivery failed");
            let give_up = attempts >= i64::from(policy.max_attempts);
            crate::ops::metrics::webhook_failure(give_up);
            let failure = Failure {
                attempts,
                error: &error,
                status,
                give_up,
                retry_in: policy.backoff(attempts as u32),
                deactivate_after: i64::from(policy.deactivate_after),
            };
            store::record_failure(db, &d, &failure).await
        }
    };
    if let Err(e) = outcome {
        tracing::error!(error = %e, delivery = %d.id, "recording a webhook attempt failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            base: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            ..RetryPolicy::default()
        };
        let waits: Vec<u64> = (1..=7).map(|n| p.backoff(n).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(p.backoff(200), Duration::from_secs(60));
    }
}
