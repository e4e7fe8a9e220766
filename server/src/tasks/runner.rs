//! The background worker that runs due tasks of the types this server executes ([`EXECUTED`]).
//!
//! Tasks are claimed with a lease (set `running` in the statement that selects them, as the webhook queue claims
//! deliveries), so several instances on one database never run one task twice, and an instance that dies mid-task
//! leaves it to be taken again when the lease runs out. A task that fails is retried with exponential backoff, then
//! set `failed` with the reason; one that cannot run at all (no lead, no conversation) fails at once. Completion,
//! the executor's own changes (a lead's BANT) and their webhooks (`task.completed`, `lead.updated`) commit together.
//!
//! `qualification` fills a lead's BANT ([`qualify`]); `follow_up` drafts the lead's email and `email` sends an
//! approved one ([`emailing`]). The other types are not run here: `crm_sync`, `callback` and `custom` are records of
//! work done by outside agents, who report progress through the API.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use super::emailing::{self, Mail};
use super::qualify;
use crate::store::tasks::{self as store, Claim};
use crate::store::{begin_write, Db};
use crate::webhooks::Dispatcher;

/// The task types this runner executes.
pub const EXECUTED: &[&str] = &["qualification", "follow_up", "email"];

/// Tasks claimed per type and round.
const BATCH: i64 = 8;
/// Longest sleep between looks at the table: tasks due later, and leases of instances that died, are found by then.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// How tasks are retried.
#[derive(Debug, Clone, Copy)]
pub struct TaskPolicy {
    /// Wait before the first retry; doubles with every further attempt.
    pub base: Duration,
    /// Longest wait between attempts.
    pub max_backoff: Duration,
    /// Attempts before a task is given up (`failed`).
    pub max_attempts: u32,
    /// How long an instance holds a task it runs before another may take it.
    pub lease: Duration,
}

impl Default for TaskPolicy {
    /// 5 attempts over about 2½ minutes; a task is held for 5 minutes.
    fn default() -> Self {
        TaskPolicy {
            base: Duration::from_secs(10),
            max_backoff: Duration::from_secs(600),
            max_attempts: 5,
            lease: Duration::from_secs(300),
        }
    }
}

impl TaskPolicy {
    /// The wait after the `attempts`-th failed attempt.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1u32.checked_shl(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Handle on the task runner. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Runner {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
}

impl Runner {
    /// Starts the worker on the current tokio runtime; `webhooks` is woken after tasks complete, `mail` drafts and
    /// sends lead emails.
    pub fn start(db: Db, policy: TaskPolicy, webhooks: Dispatcher, mail: Mail) -> Runner {
        let wake = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        let worker = Worker { db, policy, webhooks, mail };
        tokio::spawn(run(worker, wake.clone(), stopped));
        Runner { wake, stop }
    }

    /// Looks for due tasks now (call after committing new or rescheduled ones).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Stops the worker after the task in progress; scheduled ones wait for the next process.
    pub fn stop(&self) {
        self.stop.send_replace(true);
        self.wake.notify_one();
    }
}

/// What the worker runs tasks with.
struct Worker {
    db: Db,
    policy: TaskPolicy,
    webhooks: Dispatcher,
    mail: Mail,
}

async fn run(worker: Worker, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
    let Worker { db, policy, .. } = &worker;
    while !*stopped.borrow() {
        let mut full = false;
        let mut wait = MAX_WAIT;
        for kind in EXECUTED {
            let claimed = match store::claim(db, kind, policy.lease, BATCH).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::error!(error = %e, kind, "claiming tasks failed");
                    wait = Duration::from_secs(1); // the database is unreachable: look again soon
                    Vec::new()
                }
            };
            full |= claimed.len() as i64 == BATCH;
            for claim in claimed {
                execute(&worker, claim).await;
            }
            if let Ok(Some(due_in)) = store::next_due(db, kind).await {
                wait = wait.min(Duration::from_secs_f64(due_in.clamp(0.0, MAX_WAIT.as_secs_f64())));
            }
        }
        if full {
            continue;
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => {}
        }
    }
}

/// What went wrong with an attempt, and whether another could go better.
enum Failure {
    /// Worth retrying (the database was unreachable).
    Transient(String),
    /// Never worth retrying (no lead to qualify).
    Permanent(String),
}

/// Runs one claimed task and records how it went.
async fn execute(worker: &Worker, claim: Claim) {
    let (db, policy) = (&worker.db, &worker.policy);
    let outcome = match attempt(db, &worker.mail, &claim).await {
        Ok(()) => {
            worker.webhooks.wake();
            return;
        }
        Err(failure) => failure,
    };
    let (reason, give_up) = match outcome {
        Failure::Transient(reason) => (reason, claim.attempts >= i64::from(policy.max_attempts)),
        Failure::Permanent(reason) => (reason, true),
    };
    tracing::warn!(task = %claim.id, attempts = claim.attempts, %reason, give_up, "task attempt failed");
    let retry_in = policy.backoff(u32::try_from(claim.attempts).unwrap_or(u32::MAX));
    if let Err(e) = store::attempt_failed(db, &claim, &reason, give_up, retry_in).await {
        tracing::error!(error = %e, task = %claim.id, "recording a task attempt failed");
    }
}

/// One attempt: reads what the executor needs, then completes the task with the executor's changes in one
/// transaction.
async fn attempt(db: &Db, mail: &Mail, claim: &Claim) -> Result<(), Failure> {
    let transient = |e: sqlx::Error| Failure::Transient(format!("database error: {e}"));
    let Some(org_id) = store::org_of(db, &claim.id).await.map_err(transient)? else { return Ok(()) }; // deleted
    let Some(task) = store::load(db, &org_id, &claim.id).await.map_err(transient)? else { return Ok(()) };
    let permanent = |r: qualify::Refusal| Failure::Permanent(r.0);
    match task.kind.as_str() {
        "qualification" => {
            let reading = qualify::read(db, &org_id, &task).await.map_err(transient)?.map_err(permanent)?;
            let mut tx = begin_write(db).await.map_err(transient)?;
            let result = qualify::apply(&mut tx, &org_id, &reading).await.map_err(transient)?;
            complete(tx, &org_id, claim, &task, &result).await.map_err(transient)
        }
        // Drafting and queueing commit on their own (a model may take seconds) and are idempotent: a retry after a
        // failed completion reuses the draft, or finds the email already sending.
        "follow_up" => {
            let result = emailing::follow_up(db, mail, &org_id, &task).await.map_err(transient)?.map_err(permanent)?;
            complete(begin_write(db).await.map_err(transient)?, &org_id, claim, &task, &result).await.map_err(transient)
        }
        "email" => {
            let result = emailing::send(db, mail, &org_id, &task).await.map_err(transient)?.map_err(permanent)?;
            complete(begin_write(db).await.map_err(transient)?, &org_id, claim, &task, &result).await.map_err(transient)
        }
        other => Err(Failure::Permanent(format!("this server does not run `{other}` tasks"))),
    }
}

/// Completes `task` with `result` in `tx` with its webhooks, and commits.
async fn complete(
    mut tx: crate::store::Tx<'_>,
    org_id: &str,
    claim: &Claim,
    task: &super::Task,
    result: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    let result = serde_json::to_string(result).unwrap_or_else(|_| "{}".into());
    if !store::complete(&mut tx, claim, &result).await? {
        return Ok(()); // changed through the API meanwhile: its word stands, nothing of this attempt is kept
    }
    if let Some(after) = store::load(&mut *tx, org_id, &claim.id).await? {
        super::enqueue_events(&mut tx, org_id, Some(task), &after).await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p =
            TaskPolicy { base: Duration::from_secs(10), max_backoff: Duration::from_secs(60), ..TaskPolicy::default() };
        let waits: Vec<u64> = (1..=5).map(|n| p.backoff(n).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 60, 60]);
    }
}
