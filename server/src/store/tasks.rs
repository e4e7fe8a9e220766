//! Tasks: the rows of the agent's activity log, as the developer API (`api/tasks`) writes them and the task runner
//! ([`crate::tasks::Runner`]) claims and settles them.
//!
//! Dialect notes: the runner's lease and retry times are computed in SQL (SQLite's
//! `strftime(…, 'now', '+N seconds')`, Postgres' `quincer_now_plus(N)` formatted alike), the wait for the next due
//! task with `julianday` (Postgres: `EXTRACT(EPOCH FROM …)`), and Postgres claims with `FOR UPDATE SKIP LOCKED`:
//! these statements have a `…_POSTGRES` twin, as the webhook queue's do.

use std::time::Duration;

use serde_json::Value;

use super::{now_sql, Builder, Db, Dialect, Exec, Tx};
use crate::tasks::Task;

/// A task's columns (`t`).
macro_rules! columns {
    () => {
        "SELECT t.id, t.widget_id, t.lead_id, t.conversation_id, t.type, t.status, t.title, t.description,
            t.priority, t.assigned_to, t.due_at, t.execution, t.result, t.error, t.attempts, t.started_at,
            t.completed_at, t.created_at, t.updated_at FROM tasks t"
    };
}

/// Every column of a task, joined to its widget (for the organisation check); followed by the organisation.
const SELECT: &str = concat!(columns!(), " JOIN widgets w ON w.id = t.widget_id WHERE w.org_id = ");
/// Counts an organisation's tasks; followed by the organisation.
const COUNT: &str = "SELECT COUNT(*) FROM tasks t JOIN widgets w ON w.id = t.widget_id WHERE w.org_id = ";
/// The list cursor: the position of task `$2` among organisation `$1`'s.
pub const CURSOR: &str =
    "SELECT t.seq FROM tasks t JOIN widgets w ON w.id = t.widget_id WHERE w.org_id = $1 AND t.id = $2";
/// A lead's tasks, newest first.
const OF_LEAD: &str = concat!(columns!(), " WHERE t.lead_id = $1 ORDER BY t.seq DESC LIMIT $2");
/// A task and its organisation, whoever it belongs to (the runner's view).
const FIND_ANY: &str = "SELECT w.org_id FROM tasks t JOIN widgets w ON w.id = t.widget_id WHERE t.id = $1";
/// Whether lead `$1` is on widget `$2`.
const LEAD_IN_WIDGET: &str = "SELECT id FROM leads WHERE id = $1 AND widget_id = $2";
/// A new task; it may run from its due time on.
const INSERT: &str = "INSERT INTO tasks (id, widget_id, lead_id, conversation_id, type, status, title, description,
        priority, assigned_to, due_at, execution, result, error, run_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $11)";
/// The runner may take a task from its (new) due time on.
const RUN_AT_DUE: &str = "UPDATE tasks SET run_at = due_at WHERE id = $1";
/// Marks a task changed now.
const TOUCH: &str = concat!("UPDATE tasks SET updated_at = ", now_sql!(), " WHERE id = $1");
/// Deletes a task.
const DELETE: &str = "DELETE FROM tasks WHERE id = $1";
/// The visitor's messages of a conversation, oldest first.
const VISITOR_MESSAGES: &str = "SELECT text FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY seq";

/// Claims due tasks of type `$2` for the lease `$1` (seconds), in the statement that selects them: scheduled ones
/// whose time has come, and running ones whose runner's lease ran out (it died). SQLite runs one writer at a time,
/// which makes this safe; on Postgres [`CLAIM_POSTGRES`] skips rows another instance is claiming.
const CLAIM: &str = concat!(
    "UPDATE tasks SET status = 'running', attempts = attempts + 1,
        lease_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $1 || ' seconds'),
        started_at = COALESCE(started_at, ",
    now_sql!(),
    "), updated_at = ",
    now_sql!(),
    " WHERE seq IN (SELECT seq FROM tasks WHERE type = $2
        AND ((status = 'scheduled' AND (run_at IS NULL OR run_at <= ",
    now_sql!(),
    ")) OR (status = 'running' AND lease_until <= ",
    now_sql!(),
    ")) ORDER BY seq LIMIT $3)
     RETURNING id, attempts"
);
/// [`CLAIM`] on Postgres: instances skip the rows another is claiming instead of waiting for them.
const CLAIM_POSTGRES: &str = "UPDATE tasks SET status = 'running', attempts = attempts + 1,
        lease_until = quincer_now_plus($1), started_at = COALESCE(started_at, quincer_now()), updated_at = quincer_now()
     WHERE seq IN (SELECT seq FROM tasks WHERE type = $2
        AND ((status = 'scheduled' AND (run_at IS NULL OR run_at <= quincer_now()))
             OR (status = 'running' AND lease_until <= quincer_now()))
        ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id, attempts";
/// Seconds until the next scheduled task of type `$1` may run (negative: overdue; `NULL`: none waits).
const NEXT_DUE: &str = "SELECT (julianday(MIN(run_at)) - julianday('now')) * 86400.0
    FROM tasks WHERE status = 'scheduled' AND type = $1";
/// [`NEXT_DUE`] on Postgres.
const NEXT_DUE_POSTGRES: &str = "SELECT EXTRACT(EPOCH FROM MIN(run_at)::timestamptz - clock_timestamp())::float8
    FROM tasks WHERE status = 'scheduled' AND type = $1";
/// The runner completed its claim `$2`/`$3` (id, attempt) with result `$1`; matches nothing once the task was
/// changed through the API meanwhile (cancelled, rescheduled, deleted).
const COMPLETE: &str = concat!(
    "UPDATE tasks SET status = 'completed', result = $1, error = NULL, lease_until = NULL, completed_at = ",
    now_sql!(),
    ", updated_at = ",
    now_sql!(),
    " WHERE id = $2 AND status = 'running' AND attempts = $3 AND lease_until IS NOT NULL"
);
/// A failed attempt of claim `$4`/`$5`: retried from `$3` seconds on, or given up (`$1`) with reason `$2`.
const ATTEMPT_FAILED: &str = concat!(
    "UPDATE tasks SET status = CASE WHEN $1 THEN 'failed' ELSE 'scheduled' END, error = $2, lease_until = NULL,
        run_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $3 || ' seconds'),
        completed_at = CASE WHEN $1 THEN ",
    now_sql!(),
    " ELSE NULL END, updated_at = ",
    now_sql!(),
    " WHERE id = $4 AND status = 'running' AND attempts = $5 AND lease_until IS NOT NULL"
);
/// [`ATTEMPT_FAILED`] on Postgres.
const ATTEMPT_FAILED_POSTGRES: &str = "UPDATE tasks SET status = CASE WHEN $1 THEN 'failed' ELSE 'scheduled' END,
        error = $2, lease_until = NULL, run_at = quincer_now_plus($3),
        completed_at = CASE WHEN $1 THEN quincer_now() ELSE NULL END, updated_at = quincer_now()
     WHERE id = $4 AND status = 'running' AND attempts = $5 AND lease_until IS NOT NULL";

/// A task row; `execution` and `result` are JSON text.
#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: String,
    widget_id: String,
    lead_id: Option<String>,
    conversation_id: Option<String>,
    #[sqlx(rename = "type")]
    kind: String,
    status: String,
    title: String,
    description: Option<String>,
    priority: String,
    assigned_to: Option<String>,
    due_at: Option<String>,
    execution: Option<String>,
    result: Option<String>,
    error: Option<String>,
    attempts: i64,
    started_at: Option<String>,
    completed_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<Row> for Task {
    fn from(r: Row) -> Task {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str::<Value>(&t).ok());
        Task {
            object: "task",
            id: r.id,
            widget_id: r.widget_id,
            lead_id: r.lead_id,
            conversation_id: r.conversation_id,
            kind: r.kind,
            status: r.status,
            title: r.title,
            description: r.description,
            priority: r.priority,
            assigned_to: r.assigned_to,
            due_at: r.due_at,
            execution: json(r.execution),
            result: json(r.result),
            error: r.error,
            attempts: r.attempts,
            started_at: r.started_at,
            completed_at: r.completed_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Task `id` if it belongs to `org_id`.
///
/// # Errors
/// Database errors.
pub async fn load<'e>(db: impl Exec<'e>, org_id: &str, id: &str) -> Result<Option<Task>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned()).push(" AND t.id = ").push_bind(id.to_owned());
    let row: Option<Row> = q.build_query_as().fetch_optional(db).await?;
    Ok(row.map(Task::from))
}

/// The organisation of task `id`, whoever's it is (the runner works for every organisation).
///
/// # Errors
/// Database errors.
pub async fn org_of<'e>(db: impl Exec<'e>, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(FIND_ANY).bind(id).fetch_optional(db).await
}

/// Up to `limit` of lead `lead_id`'s tasks, newest first (its full record's history).
///
/// # Errors
/// Database errors.
pub async fn of_lead<'e>(db: impl Exec<'e>, lead_id: &str, limit: i64) -> Result<Vec<Task>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(OF_LEAD).bind(lead_id).bind(limit).fetch_all(db).await?;
    Ok(rows.into_iter().map(Task::from).collect())
}

/// Whether lead `lead_id` is on widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn lead_in_widget<'e>(db: impl Exec<'e>, lead_id: &str, widget_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar(LEAD_IN_WIDGET).bind(lead_id).bind(widget_id).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// A task to store.
#[derive(Debug, Default)]
pub struct NewTask {
    /// Task id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// The lead, if any.
    pub lead_id: Option<String>,
    /// The conversation, if any.
    pub conversation_id: Option<String>,
    /// Its type.
    pub kind: String,
    /// Its status.
    pub status: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Priority.
    pub priority: String,
    /// Assignee.
    pub assigned_to: Option<String>,
    /// Due time, in the stored form.
    pub due_at: Option<String>,
    /// Execution data, JSON text.
    pub execution: Option<String>,
    /// Result data, JSON text.
    pub result: Option<String>,
    /// Failure reason.
    pub error: Option<String>,
}

/// Stores a new task (a final status also stamps `completed_at`, a running one `started_at`).
///
/// # Errors
/// Database errors.
pub async fn insert(tx: &mut Tx<'_>, t: &NewTask) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(&t.id)
        .bind(&t.widget_id)
        .bind(&t.lead_id)
        .bind(&t.conversation_id)
        .bind(&t.kind)
        .bind(&t.status)
        .bind(&t.title)
        .bind(&t.description)
        .bind(&t.priority)
        .bind(&t.assigned_to)
        .bind(&t.due_at)
        .bind(&t.execution)
        .bind(&t.result)
        .bind(&t.error)
        .execute(&mut **tx)
        .await?;
    stamp_status(tx, &t.id, &t.status).await
}

/// Column values an update sets; `None` leaves a column as it is, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct Changes {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<Option<String>>,
    /// Status.
    pub status: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Assignee.
    pub assigned_to: Option<Option<String>>,
    /// Due time, in the stored form.
    pub due_at: Option<Option<String>>,
    /// Execution data, JSON text.
    pub execution: Option<Option<String>>,
    /// Result data, JSON text.
    pub result: Option<Option<String>>,
    /// Failure reason.
    pub error: Option<Option<String>>,
}

/// Writes `changes` to task `id` (its `updated_at` is left to [`touch`], once the caller knows something changed).
/// A new status takes the task from the runner (its lease ends); `scheduled` also starts its attempts afresh, and a
/// new status or due time lets the runner take it from its due time on.
///
/// # Errors
/// Database errors.
pub async fn update(tx: &mut Tx<'_>, id: &str, c: &Changes) -> Result<(), sqlx::Error> {
    // `seq = seq` starts the list, so every set column follows a comma.
    let mut q = Builder::new("UPDATE tasks SET seq = seq");
    if let Some(v) = &c.title {
        q.push(", title = ").push_bind(v.clone());
    }
    if let Some(v) = &c.status {
        q.push(", status = ").push_bind(v.clone());
    }
    if let Some(v) = &c.priority {
        q.push(", priority = ").push_bind(v.clone());
    }
    let nullable = [
        ("description", &c.description),
        ("assigned_to", &c.assigned_to),
        ("due_at", &c.due_at),
        ("execution", &c.execution),
        ("result", &c.result),
        ("error", &c.error),
    ];
    for (column, value) in nullable {
        if let Some(v) = value {
            q.push(format!(", {column} = ")).push_bind(v.clone());
        }
    }
    q.push(" WHERE id = ").push_bind(id.to_owned());
    q.build().execute(&mut **tx).await?;
    if let Some(status) = &c.status {
        stamp_status(tx, id, status).await?;
    }
    if c.status.is_some() || c.due_at.is_some() {
        sqlx::query(RUN_AT_DUE).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The bookkeeping of a status set through the API: the runner's lease ends; `scheduled` starts the attempts
/// afresh and clears the end; `running` stamps the start; a final status stamps the end.
async fn stamp_status(tx: &mut Tx<'_>, id: &str, status: &str) -> Result<(), sqlx::Error> {
    const SCHEDULED: &str = "UPDATE tasks SET lease_until = NULL, attempts = 0, completed_at = NULL WHERE id = $1";
    const RUNNING: &str = concat!(
        "UPDATE tasks SET lease_until = NULL, completed_at = NULL, started_at = COALESCE(started_at, ",
        now_sql!(),
        ") WHERE id = $1"
    );
    const FINAL: &str = concat!(
        "UPDATE tasks SET lease_until = NULL, completed_at = COALESCE(completed_at, ",
        now_sql!(),
        ") WHERE id = $1"
    );
    let sql = match status {
        "scheduled" => SCHEDULED,
        "running" => RUNNING,
        _ => FINAL,
    };
    sqlx::query(Dialect::of_connection(tx).sql(sql)).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Marks task `id` as changed now.
///
/// # Errors
/// Database errors.
pub async fn touch(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(TOUCH)).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Deletes task `id`.
///
/// # Errors
/// Database errors.
pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).execute(db).await?;
    Ok(())
}

/// Which tasks a list shows (all given ones must match).
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Only this widget's.
    pub widget_id: Option<String>,
    /// Only this lead's.
    pub lead_id: Option<String>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only these types (empty: any).
    pub types: Vec<String>,
    /// Only those changed at or after this stored-form time.
    pub updated_since: Option<String>,
}

impl ListFilter {
    /// Appends the filter as `AND …` clauses.
    fn push(&self, q: &mut Builder<'_>) {
        for (column, value) in [("t.widget_id", &self.widget_id), ("t.lead_id", &self.lead_id)] {
            if let Some(v) = value {
                q.push(format!(" AND {column} = ")).push_bind(v.clone());
            }
        }
        for (column, values) in [("t.status", &self.statuses), ("t.type", &self.types)] {
            if !values.is_empty() {
                q.push(format!(" AND {column} IN ("));
                let mut sep = q.separated(", ");
                for v in values {
                    sep.push_bind(v.clone());
                }
                q.push(")");
            }
        }
        if let Some(s) = &self.updated_since {
            q.push(" AND t.updated_at >= ").push_bind(s.clone());
        }
    }
}

/// Up to `limit` of the organisation's tasks matching `filter`, newest first, created before position `before`
/// when given (the cursor, found with [`CURSOR`]).
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &Db,
    org_id: &str,
    filter: &ListFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Task>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    if let Some(seq) = before {
        q.push(" AND t.seq < ").push_bind(seq);
    }
    q.push(" ORDER BY t.seq DESC LIMIT ").push_bind(limit);
    let rows: Vec<Row> = q.build_query_as().fetch_all(db).await?;
    Ok(rows.into_iter().map(Task::from).collect())
}

/// How many of the organisation's tasks match `filter`.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    let mut q = Builder::new(COUNT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    q.build_query_scalar().fetch_one(db).await
}

/// The visitor's messages in conversation `conversation_id`, oldest first.
///
/// # Errors
/// Database errors.
pub async fn visitor_messages(db: &Db, conversation_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(VISITOR_MESSAGES).bind(conversation_id).fetch_all(db).await
}

/// Seconds from now, as the runner's statements take them (to the millisecond).
fn from_now(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// A task the runner claimed: its id and the attempt this is (the claim's identity).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claim {
    /// Task id.
    pub id: String,
    /// Attempts made, this one included.
    pub attempts: i64,
}

/// Claims up to `batch` due tasks of type `kind` for `lease`: until it runs out no other claim returns them, and an
/// instance that dies mid-task leaves them to be taken again after it.
///
/// # Errors
/// Database errors.
pub async fn claim(db: &Db, kind: &str, lease: Duration, batch: i64) -> Result<Vec<Claim>, sqlx::Error> {
    sqlx::query_as(db.dialect().pick(CLAIM, CLAIM_POSTGRES))
        .bind(from_now(lease))
        .bind(kind)
        .bind(batch)
        .fetch_all(db)
        .await
}

/// Seconds until the next scheduled task of type `kind` may run (`None`: none waits; negative: overdue).
///
/// # Errors
/// Database errors.
pub async fn next_due(db: &Db, kind: &str) -> Result<Option<f64>, sqlx::Error> {
    sqlx::query_scalar(db.dialect().pick(NEXT_DUE, NEXT_DUE_POSTGRES)).bind(kind).fetch_one(db).await
}

/// Completes claim `c` with `result` (JSON text). Returns `false` when the task is no longer this claim's (changed
/// through the API, or deleted): the caller then rolls back.
///
/// # Errors
/// Database errors.
pub async fn complete(tx: &mut Tx<'_>, c: &Claim, result: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(Dialect::of_connection(tx).sql(COMPLETE))
        .bind(result)
        .bind(&c.id)
        .bind(c.attempts)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records a failed attempt of claim `c`: retried after `retry_in`, or given up (`failed` with `reason`).
///
/// # Errors
/// Database errors.
pub async fn attempt_failed(
    db: &Db,
    c: &Claim,
    reason: &str,
    give_up: bool,
    retry_in: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().pick(ATTEMPT_FAILED, ATTEMPT_FAILED_POSTGRES))
        .bind(give_up)
        .bind(reason)
        .bind(from_now(retry_in))
        .bind(&c.id)
        .bind(c.attempts)
        .execute(db)
        .await?;
    Ok(())
}
