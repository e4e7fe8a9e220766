//! Lead emails: drafts as the developer API (`api/lead_emails`) reads and changes them, what a draft is written
//! from (the conversation's messages and panels, the persona), and the send outbox ([`crate::emails::Outbox`]):
//! queued emails (`sending`) claimed under a lease, retried, then `sent` or `failed`.
//!
//! Dialect notes: the outbox's times are computed in SQL (SQLite's `strftime(…, 'now', '+N seconds')`, Postgres'
//! `quincer_now_plus(N)`), its wait with `julianday` (Postgres: `EXTRACT(EPOCH FROM …)`), and Postgres claims with
//! `FOR UPDATE SKIP LOCKED`: these statements have a `…_POSTGRES` twin.

use std::time::Duration;

use serde::Serialize;

use super::{now_sql, Db, Dialect, Exec, Tx};

/// A lead email as the API and webhooks show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LeadEmail {
    /// Always `"email"`.
    #[sqlx(skip)]
    #[schema(value_type = String, example = "email")]
    pub object: EmailObject,
    /// Email id.
    pub id: String,
    /// Its lead.
    pub lead_id: String,
    /// The lead's widget.
    pub widget_id: String,
    /// The persona it was written as (its name signs it).
    pub persona_id: Option<String>,
    /// `draft`, `approved`, `sending`, `sent` or `failed`.
    #[schema(example = "draft")]
    pub status: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body (the HTML part is made from it when sending).
    pub body: String,
    /// Who wrote the current text: `model` or `template`.
    pub writer: String,
    /// The template writer's style (internal).
    #[serde(skip)]
    pub style: String,
    /// The last redraft's instructions.
    pub instructions: Option<String>,
    /// The recipient, once sending was asked for.
    #[serde(rename = "to")]
    pub to_address: Option<String>,
    /// The `Message-ID` it was sent with.
    pub message_id: Option<String>,
    /// Send attempts made.
    pub attempts: i64,
    /// The last send attempt's error.
    pub last_error: Option<String>,
    /// When it was approved (or queued, which approves it).
    pub approved_at: Option<String>,
    /// When the SMTP server accepted it.
    pub sent_at: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// The `object` field of [`LeadEmail`]: always `"email"`, also for rows read from the database.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmailObject;

impl Serialize for EmailObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("email")
    }
}

/// An email as the API shows it, of organisation `$1`'s lead `$2` (joined to its widget for the organisation
/// check); the statements below add their conditions.
macro_rules! select {
    () => {
        "SELECT e.id, e.lead_id, e.widget_id, e.persona_id, e.status, e.subject, e.body, e.writer,
        e.style, e.instructions, e.to_address, e.message_id, e.attempts, e.last_error, e.approved_at, e.sent_at,
        e.created_at, e.updated_at
    FROM lead_emails e JOIN widgets w ON w.id = e.widget_id WHERE w.org_id = $1 AND e.lead_id = $2"
    };
}
/// The list cursor: the position of email `$2` among organisation `$1`'s.
pub const CURSOR: &str =
    "SELECT e.seq FROM lead_emails e JOIN widgets w ON w.id = e.widget_id WHERE w.org_id = $1 AND e.id = $2";
/// How many emails a lead has.
const COUNT: &str = "SELECT COUNT(*) FROM lead_emails WHERE lead_id = $1";
/// A new draft.
const INSERT: &str = "INSERT INTO lead_emails (id, lead_id, widget_id, persona_id, subject, body, writer, style)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
/// A draft's text edited by hand; only while it is a draft.
const EDIT: &str = concat!(
    "UPDATE lead_emails SET subject = COALESCE($1, subject), body = COALESCE($2, body), updated_at = ",
    now_sql!(),
    " WHERE id = $3 AND status = 'draft'"
);
/// A draft written again (redraft); only while it is a draft.
const REWRITE: &str = concat!(
    "UPDATE lead_emails SET subject = $1, body = $2, writer = $3, style = $4, instructions = $5, updated_at = ",
    now_sql!(),
    " WHERE id = $6 AND status = 'draft'"
);
/// A draft approved for sending.
const APPROVE: &str = concat!(
    "UPDATE lead_emails SET status = 'approved', approved_at = ",
    now_sql!(),
    ", updated_at = ",
    now_sql!(),
    " WHERE id = $1 AND status = 'draft'"
);
/// An email queued in the outbox, due now (a failed one starts its attempts again).
const QUEUE: &str = concat!(
    "UPDATE lead_emails SET status = 'sending', to_address = $1, attempts = 0, last_error = NULL, next_attempt_at = ",
    now_sql!(),
    ", approved_at = COALESCE(approved_at, ",
    now_sql!(),
    "), updated_at = ",
    now_sql!(),
    " WHERE id = $2 AND status IN ('draft', 'approved', 'failed')"
);
/// The conversation's messages, oldest first: role, text and product panel.
const MESSAGES: &str = "SELECT role, text, panel FROM messages WHERE conversation_id = $1 ORDER BY seq";
/// Who speaks for the lead's conversation: its persona, else the widget's default, else its first.
const PERSONA: &str = "SELECT id, name, system_prompt FROM personas
    WHERE widget_id = $2 AND (id = (SELECT persona_id FROM conversations WHERE id = $1) OR is_default = TRUE OR
        seq = (SELECT MIN(seq) FROM personas WHERE widget_id = $2))
    ORDER BY CASE WHEN id = (SELECT persona_id FROM conversations WHERE id = $1) THEN 0
        WHEN is_default = TRUE THEN 1 ELSE 2 END LIMIT 1";
/// Claims due queued emails by pushing their next attempt past the lease, in the statement that selects them (see
/// `store::webhooks`' `CLAIM`: SQLite's single writer makes this safe there).
const CLAIM: &str = concat!(
    "UPDATE lead_emails SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $1 || ' seconds')
     WHERE seq IN (SELECT seq FROM lead_emails WHERE status = 'sending' AND next_attempt_at <= ",
    now_sql!(),
    " ORDER BY seq LIMIT $2)
     RETURNING id"
);
/// [`CLAIM`] on Postgres: instances skip the rows another is claiming.
const CLAIM_POSTGRES: &str = "UPDATE lead_emails SET next_attempt_at = quincer_now_plus($1)
     WHERE seq IN (SELECT seq FROM lead_emails WHERE status = 'sending' AND next_attempt_at <= quincer_now()
                   ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id";
/// A claimed email with what sending it needs: its organisation and the lead's name.
const OUTGOING: &str = "SELECT e.id, e.lead_id, e.widget_id, e.persona_id, e.status, e.subject, e.body, e.writer,
        e.style, e.instructions, e.to_address, e.message_id, e.attempts, e.last_error, e.approved_at, e.sent_at,
        e.created_at, e.updated_at, w.org_id, l.name AS lead_name
    FROM lead_emails e JOIN widgets w ON w.id = e.widget_id JOIN leads l ON l.id = e.lead_id
    WHERE e.id = $1 AND e.status = 'sending'";
/// Seconds until the next queued email is due (negative: overdue).
const WAIT: &str = "SELECT (julianday(MIN(next_attempt_at)) - julianday('now')) * 86400.0
    FROM lead_emails WHERE status = 'sending'";
/// [`WAIT`] on Postgres.
const WAIT_POSTGRES: &str = "SELECT EXTRACT(EPOCH FROM MIN(next_attempt_at)::timestamptz - clock_timestamp())::float8
    FROM lead_emails WHERE status = 'sending'";
/// An email the server accepted.
const SENT: &str = concat!(
    "UPDATE lead_emails SET status = 'sent', message_id = $1, attempts = $2, last_error = NULL,
        next_attempt_at = NULL, sent_at = ",
    now_sql!(),
    ", updated_at = ",
    now_sql!(),
    " WHERE id = $3 AND status = 'sending'"
);
/// A failed attempt: retried after the backoff, or given up (`failed`).
const ATTEMPT_FAILED: &str = concat!(
    "UPDATE lead_emails SET attempts = $1, last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE 'sending' END,
        next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $4 || ' seconds'), updated_at = ",
    now_sql!(),
    " WHERE id = $5 AND status = 'sending'"
);
/// [`ATTEMPT_FAILED`] on Postgres.
const ATTEMPT_FAILED_POSTGRES: &str = "UPDATE lead_emails SET attempts = $1, last_error = $2,
        status = CASE WHEN $3 THEN 'failed' ELSE 'sending' END, next_attempt_at = quincer_now_plus($4),
        updated_at = quincer_now() WHERE id = $5 AND status = 'sending'";

/// Seconds from now, as the outbox's statements take them (to the millisecond).
fn from_now(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// Up to `limit` of lead `lead_id`'s emails (the organisation's), newest first, created before position `before`.
///
/// # Errors
/// Database errors.
pub async fn list<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    lead_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<LeadEmail>, sqlx::Error> {
    let sql: &'static str = match before {
        Some(_) => concat!(select!(), " AND e.seq < $4 ORDER BY e.seq DESC LIMIT $3"),
        None => concat!(select!(), " ORDER BY e.seq DESC LIMIT $3"),
    };
    let mut q = sqlx::query_as(sql).bind(org_id).bind(lead_id).bind(limit);
    if let Some(seq) = before {
        q = q.bind(seq);
    }
    q.fetch_all(db).await
}

/// How many emails lead `lead_id` has.
///
/// # Errors
/// Database errors.
pub async fn count<'e>(db: impl Exec<'e>, lead_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(COUNT).bind(lead_id).fetch_one(db).await
}

/// The organisation's email `id` of lead `lead_id`.
///
/// # Errors
/// Database errors.
pub async fn find<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    lead_id: &str,
    id: &str,
) -> Result<Option<LeadEmail>, sqlx::Error> {
    let sql = concat!(select!(), " AND e.id = $3");
    sqlx::query_as(sql).bind(org_id).bind(lead_id).bind(id).fetch_optional(db).await
}

/// Lead `lead_id`'s newest draft, if it has one.
///
/// # Errors
/// Database errors.
pub async fn latest_draft<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    lead_id: &str,
) -> Result<Option<LeadEmail>, sqlx::Error> {
    let sql = concat!(select!(), " AND e.status = 'draft' ORDER BY e.seq DESC LIMIT 1");
    sqlx::query_as(sql).bind(org_id).bind(lead_id).fetch_optional(db).await
}

/// Lead `lead_id`'s newest approved email (what an `email` task sends when it names none), if it has one.
///
/// # Errors
/// Database errors.
pub async fn latest_approved<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    lead_id: &str,
) -> Result<Option<LeadEmail>, sqlx::Error> {
    let sql = concat!(select!(), " AND e.status = 'approved' ORDER BY e.seq DESC LIMIT 1");
    sqlx::query_as(sql).bind(org_id).bind(lead_id).fetch_optional(db).await
}

/// A draft to store.
#[derive(Debug)]
pub struct NewDraft<'a> {
    /// Email id.
    pub id: &'a str,
    /// Its lead.
    pub lead_id: &'a str,
    /// The lead's widget.
    pub widget_id: &'a str,
    /// The persona it speaks as.
    pub persona_id: Option<&'a str>,
    /// Subject.
    pub subject: &'a str,
    /// Plain-text body.
    pub body: &'a str,
    /// `model` or `template`.
    pub writer: &'a str,
    /// The template writer's style, JSON.
    pub style: &'a str,
}

/// Stores a draft.
///
/// # Errors
/// Database errors.
pub async fn insert(tx: &mut Tx<'_>, d: &NewDraft<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(d.id)
        .bind(d.lead_id)
        .bind(d.widget_id)
        .bind(d.persona_id)
        .bind(d.subject)
        .bind(d.body)
        .bind(d.writer)
        .bind(d.style)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes a hand edit of draft `id` (`None` keeps a field); `false` when it is no longer a draft.
///
/// # Errors
/// Database errors.
pub async fn edit(tx: &mut Tx<'_>, id: &str, subject: Option<&str>, body: Option<&str>) -> Result<bool, sqlx::Error> {
    let sql = Dialect::of_connection(tx).sql(EDIT);
    let done = sqlx::query(sql).bind(subject).bind(body).bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

/// A redraft of draft `id`; `false` when it is no longer a draft.
///
/// # Errors
/// Database errors.
pub async fn rewrite(tx: &mut Tx<'_>, id: &str, d: &NewDraft<'_>, instructions: &str) -> Result<bool, sqlx::Error> {
    let sql = Dialect::of_connection(tx).sql(REWRITE);
    let done = sqlx::query(sql)
        .bind(d.subject)
        .bind(d.body)
        .bind(d.writer)
        .bind(d.style)
        .bind(instructions)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Approves draft `id`; `false` when it is no longer a draft.
///
/// # Errors
/// Database errors.
pub async fn approve(tx: &mut Tx<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let sql = Dialect::of_connection(tx).sql(APPROVE);
    Ok(sqlx::query(sql).bind(id).execute(&mut **tx).await?.rows_affected() == 1)
}

/// Queues email `id` for sending to `to` (from `draft`, `approved` or `failed`); `false` otherwise.
///
/// # Errors
/// Database errors.
pub async fn queue(tx: &mut Tx<'_>, id: &str, to: &str) -> Result<bool, sqlx::Error> {
    let sql = Dialect::of_connection(tx).sql(QUEUE);
    Ok(sqlx::query(sql).bind(to).bind(id).execute(&mut **tx).await?.rows_affected() == 1)
}

/// A conversation's messages, oldest first: (role, text, product panel JSON).
///
/// # Errors
/// Database errors.
pub async fn messages<'e>(
    db: impl Exec<'e>,
    conversation_id: &str,
) -> Result<Vec<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(MESSAGES).bind(conversation_id).fetch_all(db).await
}

/// The persona speaking for conversation `conversation_id` on `widget_id` (its own, else the widget's default, else
/// its first): (id, name, system prompt).
///
/// # Errors
/// Database errors.
pub async fn persona<'e>(
    db: impl Exec<'e>,
    conversation_id: Option<&str>,
    widget_id: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(PERSONA).bind(conversation_id).bind(widget_id).fetch_optional(db).await
}

/// Claims up to `batch` due queued emails for `lease`; returns their ids.
///
/// # Errors
/// Database errors.
pub async fn claim(db: &Db, lease: Duration, batch: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(db.dialect().pick(CLAIM, CLAIM_POSTGRES)).bind(from_now(lease)).bind(batch).fetch_all(db).await
}

/// A claimed email, its organisation and its lead's name.
#[derive(Debug, sqlx::FromRow)]
pub struct Outgoing {
    /// The email.
    #[sqlx(flatten)]
    pub email: LeadEmail,
    /// Its organisation (for the webhook).
    pub org_id: String,
    /// The lead's name, for the `To` header.
    pub lead_name: Option<String>,
}

/// Claimed email `id` with what sending needs; `None` if it is no longer queued.
///
/// # Errors
/// Database errors.
pub async fn outgoing(db: &Db, id: &str) -> Result<Option<Outgoing>, sqlx::Error> {
    sqlx::query_as(OUTGOING).bind(id).fetch_optional(db).await
}

/// Seconds until the next queued email is due (`None`: none queued; negative: overdue).
///
/// # Errors
/// Database errors.
pub async fn wait(db: &Db) -> Result<Option<f64>, sqlx::Error> {
    sqlx::query_scalar(db.dialect().pick(WAIT, WAIT_POSTGRES)).fetch_one(db).await
}

/// Records that email `id` was sent at attempt `attempts` as `message_id`; `false` if it was no longer queued.
///
/// # Errors
/// Database errors.
pub async fn record_sent(tx: &mut Tx<'_>, id: &str, message_id: &str, attempts: i64) -> Result<bool, sqlx::Error> {
    let sql = Dialect::of_connection(tx).sql(SENT);
    let done = sqlx::query(sql).bind(message_id).bind(attempts).bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

/// Records failed attempt `attempts` of email `id`: retried after `retry_in`, or `failed` when `give_up`.
///
/// # Errors
/// Database errors.
pub async fn record_failure(
    db: &Db,
    id: &str,
    attempts: i64,
    error: &str,
    give_up: bool,
    retry_in: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().pick(ATTEMPT_FAILED, ATTEMPT_FAILED_POSTGRES))
        .bind(attempts)
        .bind(error)
        .bind(give_up)
        .bind(from_now(retry_in))
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
