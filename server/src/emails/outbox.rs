//! The send outbox's worker: claims due queued emails (one instance each: the claim pushes their next attempt past a
//! lease in the statement that selects them, `FOR UPDATE SKIP LOCKED` on Postgres), sends them, retries failures
//! with exponential backoff, and records `sent` (firing `email.sent` in the same transaction) or `failed`. A
//! process that dies mid-send leaves the email to be retried when its lease runs out: nothing is lost.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use super::mailer::{self, Mailer, SendPolicy};
use super::EventLead;
use crate::store::lead_emails as store;
use crate::store::{begin_write, Db};
use crate::webhooks::Dispatcher;

/// Handle on the outbox worker. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    mailer: Mailer,
}

/// Emails claimed per round.
const BATCH: i64 = 8;

impl Outbox {
    /// Starts the worker on the current tokio runtime.
    pub fn start(db: Db, mailer: Mailer, policy: SendPolicy, webhooks: Dispatcher) -> Outbox {
        let wake = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(run(db, mailer.clone(), policy, webhooks, wake.clone(), stopped));
        Outbox { wake, stop, mailer }
    }

    /// Looks for due emails now (call after committing a queued one).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Stops the worker after the sends in progress; queued emails stay for the next process.
    pub fn stop(&self) {
        self.stop.send_replace(true);
        self.wake.notify_one();
    }

    /// The mailer it sends with.
    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }
}

async fn run(
    db: Db,
    mailer: Mailer,
    policy: SendPolicy,
    webhooks: Dispatcher,
    wake: Arc<Notify>,
    mut stopped: watch::Receiver<bool>,
) {
    let lease = policy.timeout + Duration::from_secs(30);
    while !*stopped.borrow() {
        let due = match store::claim(&db, lease, BATCH).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "claiming queued lead emails failed");
                Vec::new()
            }
        };
        let full = due.len() as i64 == BATCH;
        futures_util::future::join_all(due.iter().map(|id| attempt(&db, &mailer, &policy, &webhooks, id))).await;
        if full {
            continue;
        }
        let wait = match store::wait(&db).await {
            Ok(due_in) => due_in.map_or(Duration::from_secs(60), |s| Duration::from_secs_f64(s.clamp(0.0, 60.0))),
            Err(_) => Duration::from_secs(1),
        };
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => {}
        }
    }
}

/// One send attempt, and its bookkeeping.
async fn attempt(db: &Db, mailer: &Mailer, policy: &SendPolicy, webhooks: &Dispatcher, id: &str) {
    let out = match store::outgoing(db, id).await {
        Ok(Some(out)) => out,
        Ok(None) => return, // no longer queued (deleted with its lead)
        Err(e) => {
            tracing::error!(error = %e, email = %id, "reading a queued lead email failed");
            return;
        }
    };
    let e = &out.email;
    let attempts = e.attempts + 1;
    let sent = match e.to_address.as_deref() {
        Some(to) => {
            let outgoing = mailer::Outgoing {
                id: &e.id,
                to,
                to_name: out.lead_name.as_deref(),
                subject: &e.subject,
                body: &e.body,
            };
            mailer.send(outgoing).await
        }
        None => Err("no recipient".to_owned()),
    };
    let recorded = match sent {
        Ok(message_id) => record_sent(db, &out, &message_id, attempts).await.map(|fired| {
            if fired {
                webhooks.wake();
            }
        }),
        Err(error) => {
            let give_up = attempts >= i64::from(policy.max_attempts);
            tracing::warn!(email = %e.id, %error, attempts, give_up, "sending a lead email failed");
            store::record_failure(db, &e.id, attempts, &error, give_up, policy.backoff(attempts as u32)).await
        }
    };
    if let Err(err) = recorded {
        tracing::error!(error = %err, email = %e.id, "recording a lead email send failed");
    }
}

/// Marks the email sent and fires `email.sent`, in one transaction; `true` when it did.
async fn record_sent(db: &Db, out: &store::Outgoing, message_id: &str, attempts: i64) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(db).await?;
    if !store::record_sent(&mut tx, &out.email.id, message_id, attempts).await? {
        return Ok(false);
    }
    let email = store::find(&mut *tx, &out.org_id, &out.email.lead_id, &out.email.id).await?;
    let Some(email) = email else { return Ok(false) };
    let lead = EventLead {
        id: &email.lead_id,
        name: out.lead_name.as_deref(),
        email: email.to_address.as_deref(),
        company: None,
    };
    super::enqueue_event(&mut tx, &out.org_id, "email.sent", &email, lead, None).await?;
    tx.commit().await?;
    Ok(true)
}
