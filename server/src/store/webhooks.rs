//! Webhooks: subscriptions as the developer API (`api/webhooks`) manages them, the delivery queue producers fill
//! inside their transactions ([`crate::webhooks::enqueue`]), and the dispatcher's claims and bookkeeping
//! ([`crate::webhooks::Dispatcher`]).
//!
//! Dialect notes: the queue's times are computed in SQL (SQLite's `strftime(…, 'now', '+N seconds')`, Postgres'
//! `quincer_now_plus(N)` formatted alike), the event list is matched with SQLite's `json_each` (Postgres:
//! `jsonb_array_elements_text`), the queue's wait with `julianday` (Postgres: `EXTRACT(EPOCH FROM …)`), and
//! Postgres claims with `FOR UPDATE SKIP LOCKED`: these statements have a `…_POSTGRES` twin.

use serde::Serialize;
use std::time::Duration;

use super::Builder;

use super::{now_sql, Db, Dialect, Exec, Flag, Tx};

/// A subscription as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WebhookResource {
    /// Always `"webhook"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Subscription id.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// Subscribed event names.
    #[sqlx(try_from = "crate::store::StringList")]
    pub events: Vec<String>,
    /// Deliveries are attempted only while active.
    #[sqlx(try_from = "crate::store::Flag")]
    pub active: bool,
    /// Failed attempts in a row (reset by a success or `reset_fail_count`).
    pub fail_count: i64,
    /// Time of the last attempt.
    pub last_delivery_at: Option<String>,
    /// HTTP status of the last attempt, if the receiver answered.
    pub last_status: Option<i64>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// The signing secret: only in the creation response.
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// The organisation's active subscriptions to an event.
const SUBSCRIBERS: &str = "SELECT w.id FROM webhooks w, json_each(w.events) e
    WHERE w.org_id = $1 AND w.active = TRUE AND e.value = $2";
/// [`SUBSCRIBERS`] on Postgres.
const SUBSCRIBERS_POSTGRES: &str = "SELECT w.id FROM webhooks w
    WHERE w.org_id = $1 AND w.active = TRUE AND $2 IN (SELECT jsonb_array_elements_text(w.events::jsonb))";
/// A queued delivery.
const INSERT_DELIVERY: &str = "INSERT INTO webhook_deliveries (id, webhook_id, event, payload) VALUES ($1, $2, $3, $4)";
/// A subscription as the developer API shows it; the organisation id is bound (or pushed) after it.
const SELECT: &str = "SELECT id, url, events, active, fail_count, last_delivery_at, last_status, created_at, updated_at
    FROM webhooks WHERE org_id = ";
/// One of the organisation's subscriptions.
const FIND: &str = "SELECT id, url, events, active, fail_count, last_delivery_at, last_status, created_at, updated_at
    FROM webhooks WHERE org_id = $1 AND id = $2";
/// How many subscriptions the organisation has.
const COUNT: &str = "SELECT COUNT(*) FROM webhooks WHERE org_id = $1";
/// A new subscription.
const INSERT: &str = "INSERT INTO webhooks (id, org_id, url, events, secret) VALUES ($1, $2, $3, $4, $5)";
/// Writes the fields given (a `NULL` keeps a field), and clears the failure count when asked.
const UPDATE: &str = concat!(
    "UPDATE webhooks SET url = COALESCE($1, url), events = COALESCE($2, events), active = COALESCE($3, active),
         fail_count = CASE WHEN $4 THEN 0 ELSE fail_count END,
         updated_at = ",
    now_sql!(),
    " WHERE id = $5 AND org_id = $6"
);
/// A subscription; its deliveries go by foreign key.
const DELETE: &str = "DELETE FROM webhooks WHERE id = $1 AND org_id = $2";
/// Claims due deliveries by pushing their next attempt past the lease, in the statement that selects them, so two
/// processes never claim one delivery. SQLite runs one writer at a time, which is what makes this safe here; on
/// Postgres the inner `SELECT` takes `FOR UPDATE SKIP LOCKED`, so concurrent instances claim disjoint rows
/// without waiting on each other.
const CLAIM: &str = concat!(
    "UPDATE webhook_deliveries SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $1 || ' seconds')
     WHERE seq IN (SELECT seq FROM webhook_deliveries
                   WHERE status = 'pending' AND next_attempt_at <= ",
    now_sql!(),
    " ORDER BY seq LIMIT $2)
     RETURNING id, webhook_id, event, payload, attempts"
);
/// [`CLAIM`] on Postgres: instances skip the rows another is claiming instead of waiting for them.
const CLAIM_POSTGRES: &str = "UPDATE webhook_deliveries SET next_attempt_at = quincer_now_plus($1)
     WHERE seq IN (SELECT seq FROM webhook_deliveries
                   WHERE status = 'pending' AND next_attempt_at <= quincer_now()
                   ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, webhook_id, event, payload, attempts";
/// Seconds until the next pending delivery is due (negative: overdue), and how many are pending.
const QUEUE: &str = "SELECT (julianday(MIN(next_attempt_at)) - julianday('now')) * 86400.0, COUNT(*)
    FROM webhook_deliveries WHERE status = 'pending'";
/// [`QUEUE`] on Postgres.
const QUEUE_POSTGRES: &str =
    "SELECT EXTRACT(EPOCH FROM MIN(next_attempt_at)::timestamptz - clock_timestamp())::float8, COUNT(*)
    FROM webhook_deliveries WHERE status = 'pending'";
/// Where and how a delivery is sent.
const TARGET: &str = "SELECT url, secret, active FROM webhooks WHERE id = $1";
/// A delivery of a switched-off subscription is given up.
const FAIL_INACTIVE: &str =
    "UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription inactive' WHERE id = $1";
/// A delivery the receiver accepted.
const DELIVERED: &str = concat!(
    "UPDATE webhook_deliveries SET status = 'delivered', attempts = $1, last_error = NULL, delivered_at = ",
    now_sql!(),
    " WHERE id = $2"
);
/// A subscription whose receiver accepted a delivery.
const SUCCEEDED: &str =
    concat!("UPDATE webhooks SET fail_count = 0, last_status = $1, last_delivery_at = ", now_sql!(), " WHERE id = $2");
/// A failed attempt: retried after the backoff, or given up.
const ATTEMPT_FAILED: &str = "UPDATE webhook_deliveries SET attempts = $1, last_error = $2,
        status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
        next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $4 || ' seconds') WHERE id = $5";
/// [`ATTEMPT_FAILED`] on Postgres.
const ATTEMPT_FAILED_POSTGRES: &str = "UPDATE webhook_deliveries SET attempts = $1, last_error = $2,
        status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END, next_attempt_at = quincer_now_plus($4) WHERE id = $5";
/// A subscription whose receiver failed: one more failure in a row, switched off at the limit.
const FAILED: &str = concat!(
    "UPDATE webhooks SET fail_count = fail_count + 1, last_status = $1, last_delivery_at = ",
    now_sql!(),
    ", active = CASE WHEN fail_count + 1 >= $2 THEN FALSE ELSE active END WHERE id = $3"
);

/// The position of one of the organisation's subscriptions in a page of them (`starting_after`): takes the
/// organisation id and the subscription id.
pub const CURSOR: &str = "SELECT seq FROM webhooks WHERE org_id = $1 AND id = $2";

/// Seconds from now, as the queue's statements take them (to the millisecond).
fn from_now(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// The organisation's active subscriptions to `event`.
///
/// # Errors
/// Database errors.
pub async fn subscribers(tx: &mut Tx<'_>, org_id: &str, event: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = Dialect::of_connection(tx).pick(SUBSCRIBERS, SUBSCRIBERS_POSTGRES);
    sqlx::query_scalar(sql).bind(org_id).bind(event).fetch_all(&mut **tx).await
}

/// Queues delivery `id` of `event` with its JSON `payload` to subscription `webhook_id`.
///
/// # Errors
/// Database errors.
pub async fn insert_delivery(
    tx: &mut Tx<'_>,
    id: &str,
    webhook_id: &str,
    event: &str,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_DELIVERY).bind(id).bind(webhook_id).bind(event).bind(payload).execute(&mut **tx).await?;
    Ok(())
}

/// The organisation's subscription `id` (without its secret), if it has one by that id.
///
/// # Errors
/// Database errors.
pub async fn find(db: &Db, org_id: &str, id: &str) -> Result<Option<WebhookResource>, sqlx::Error> {
    let mut found: Option<WebhookResource> = sqlx::query_as(FIND).bind(org_id).bind(id).fetch_optional(db).await?;
    if let Some(w) = &mut found {
        w.object = "webhook";
    }
    Ok(found)
}

/// Up to `limit` of the organisation's subscriptions, newest first, created before position `before` when given
/// (the cursor, found with [`CURSOR`]).
///
/// # Errors
/// Database errors.
pub async fn list(db: &Db, org_id: &str, before: Option<i64>, limit: i64) -> Result<Vec<WebhookResource>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    if let Some(seq) = before {
        q.push(" AND seq < ").push_bind(seq);
    }
    q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
    let mut rows: Vec<WebhookResource> = q.build_query_as().fetch_all(db).await?;
    for w in &mut rows {
        w.object = "webhook";
    }
    Ok(rows)
}

/// How many subscriptions the organisation has.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(COUNT).bind(org_id).fetch_one(db).await
}

/// A subscription to store.
#[derive(Debug)]
pub struct NewWebhook<'a> {
    /// Subscription id.
    pub id: &'a str,
    /// Its organisation.
    pub org_id: &'a str,
    /// Receiver URL.
    pub url: &'a str,
    /// Event names, a JSON array.
    pub events: &'a str,
    /// Signing secret.
    pub secret: &'a str,
}

/// Stores a subscription.
///
/// # Errors
/// Database errors.
pub async fn insert(db: &Db, w: &NewWebhook<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT).bind(w.id).bind(w.org_id).bind(w.url).bind(w.events).bind(w.secret).execute(db).await?;
    Ok(())
}

/// A change to a subscription; `None` leaves a field unchanged.
#[derive(Debug, Default)]
pub struct Changes {
    /// Receiver URL.
    pub url: Option<String>,
    /// Event names, a JSON array.
    pub events: Option<String>,
    /// Deliveries on or off.
    pub active: Option<bool>,
    /// Clears the failure count.
    pub reset_fail_count: bool,
}

/// Writes `changes` to the organisation's subscription `id` and stamps `updated_at`.
///
/// # Errors
/// Database errors.
pub async fn update(db: &Db, org_id: &str, id: &str, c: &Changes) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(UPDATE))
        .bind(&c.url)
        .bind(&c.events)
        .bind(c.active)
        .bind(c.reset_fail_count)
        .bind(id)
        .bind(org_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes the organisation's subscription `id` with its queued deliveries.
///
/// # Errors
/// Database errors.
pub async fn delete(db: &Db, org_id: &str, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).bind(org_id).execute(db).await?;
    Ok(())
}

/// A delivery the dispatcher claimed.
#[derive(Debug, sqlx::FromRow)]
pub struct Due {
    /// Delivery id (sent as `Quincer-Delivery`).
    pub id: String,
    /// Its subscription.
    pub webhook_id: String,
    /// The event name.
    pub event: String,
    /// The JSON payload.
    pub payload: String,
    /// Attempts made so far.
    pub attempts: i64,
}

/// Claims up to `batch` due deliveries for `lease`: until it runs out no other claim returns them, and a process
/// that dies mid-delivery leaves them to be retried after it.
///
/// # Errors
/// Database errors.
pub async fn claim(db: &Db, lease: Duration, batch: i64) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as(db.dialect().pick(CLAIM, CLAIM_POSTGRES)).bind(from_now(lease)).bind(batch).fetch_all(db).await
}

/// Seconds until the next pending delivery is due (`None`: none pending; negative: overdue), and how many
/// deliveries are pending.
///
/// # Errors
/// Database errors.
pub async fn queue(db: &Db) -> Result<(Option<f64>, i64), sqlx::Error> {
    sqlx::query_as(db.dialect().pick(QUEUE, QUEUE_POSTGRES)).fetch_one(db).await
}

/// Where and how subscription `webhook_id` receives deliveries: (url, secret, active); `None` once deleted.
///
/// # Errors
/// Database errors.
pub async fn target(db: &Db, webhook_id: &str) -> Result<Option<(String, String, bool)>, sqlx::Error> {
    let row: Option<(String, String, Flag)> = sqlx::query_as(TARGET).bind(webhook_id).fetch_optional(db).await?;
    Ok(row.map(|(url, secret, active)| (url, secret, active.0)))
}

/// Gives up delivery `id`: its subscription was switched off.
///
/// # Errors
/// Database errors.
pub async fn fail_inactive(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(FAIL_INACTIVE).bind(id).execute(db).await?;
    Ok(())
}

/// Records that delivery `d` succeeded at attempt `attempts` with the receiver's `status`, and resets its
/// subscription's failure count.
///
/// # Errors
/// Database errors.
pub async fn record_success(db: &Db, d: &Due, attempts: i64, status: Option<u16>) -> Result<(), sqlx::Error> {
    // Both are written even if one fails: the subscription's state should not lag behind its queue.
    let delivery = sqlx::query(db.dialect().sql(DELIVERED)).bind(attempts).bind(&d.id).execute(db).await;
    let subscription =
        sqlx::query(db.dialect().sql(SUCCEEDED)).bind(status.map(i64::from)).bind(&d.webhook_id).execute(db).await;
    delivery.and(subscription).map(|_| ())
}

/// A failed delivery attempt, as recorded.
#[derive(Debug)]
pub struct Failure<'a> {
    /// Attempts made, this one included.
    pub attempts: i64,
    /// What went wrong.
    pub error: &'a str,
    /// The receiver's status, if it answered.
    pub status: Option<u16>,
    /// No more attempts: the delivery is `failed`.
    pub give_up: bool,
    /// Wait before the next attempt.
    pub retry_in: Duration,
    /// Failures in a row after which the subscription is switched off.
    pub deactivate_after: i64,
}

/// Records a failed attempt of delivery `d` (retried after `retry_in` unless given up) and counts it against its
/// subscription, which is switched off once it fails `deactivate_after` times in a row.
///
/// # Errors
/// Database errors.
pub async fn record_failure(db: &Db, d: &Due, f: &Failure<'_>) -> Result<(), sqlx::Error> {
    // Both are written even if one fails (see [`record_success`]).
    let delivery = sqlx::query(db.dialect().pick(ATTEMPT_FAILED, ATTEMPT_FAILED_POSTGRES))
        .bind(f.attempts)
        .bind(f.error)
        .bind(f.give_up)
        .bind(from_now(f.retry_in))
        .bind(&d.id)
        .execute(db)
        .await;
    let subscription = sqlx::query(db.dialect().sql(FAILED))
        .bind(f.status.map(i64::from))
        .bind(f.deactivate_after)
        .bind(&d.webhook_id)
        .execute(db)
        .await;
    delivery.and(subscription).map(|_| ())
}
