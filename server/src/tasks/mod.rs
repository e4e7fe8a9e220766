//! Tasks: the agent's activity log. A task is work on a lead or conversation — a follow-up, a qualification, a CRM
//! sync, a callback — scheduled through the developer API (`api/tasks`) and run either by this server's
//! [`Runner`] (for the types in [`runner::EXECUTED`]) or by an outside agent that reports its progress through the
//! API (every other type).
//!
//! Every change is stored together with its webhooks (`task.created`, `task.completed`) in one transaction
//! ([`crate::webhooks::enqueue`]); the caller wakes the dispatcher after the commit. The rows are read and written
//! by [`crate::store::tasks`].

pub mod emailing;
pub mod qualify;
pub mod runner;

pub use emailing::Mail;
pub use runner::{Runner, TaskPolicy};

use serde::Serialize;
use serde_json::Value;

use crate::store::Tx;
use crate::webhooks;

/// Task types.
pub const TYPES: &[&str] = &["follow_up", "qualification", "crm_sync", "email", "callback", "custom"];
/// Task statuses.
pub const STATUSES: &[&str] = &["scheduled", "running", "completed", "failed", "cancelled"];
/// Priorities, lowest first.
pub const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];
/// Statuses a task ends in: they stamp `completed_at`.
pub const FINAL_STATUSES: &[&str] = &["completed", "failed", "cancelled"];
/// Longest title, in characters.
pub const MAX_TITLE: usize = 500;
/// Longest description, error or assignee, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Largest `execution` or `result` object, in bytes of JSON.
pub const MAX_DATA_BYTES: usize = 64 * 1024;
/// Most tasks a lead's full record lists (newest first); the rest are listed with `GET /api/v1/tasks?lead_id=`.
pub const LEAD_HISTORY: i64 = 100;

/// A task as the API and webhooks show it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Task {
    /// Always `"task"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Task id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// The lead it is about, if any.
    pub lead_id: Option<String>,
    /// The conversation it is about, if any.
    pub conversation_id: Option<String>,
    /// One of [`TYPES`].
    #[serde(rename = "type")]
    #[schema(example = "qualification")]
    pub kind: String,
    /// One of [`STATUSES`].
    #[schema(example = "scheduled")]
    pub status: String,
    /// What to do.
    pub title: String,
    /// More detail.
    pub description: Option<String>,
    /// One of [`PRIORITIES`].
    #[schema(example = "normal")]
    pub priority: String,
    /// Who does it (a name, email or id of the caller's choosing).
    pub assigned_to: Option<String>,
    /// When it should run (`null`: as soon as possible).
    pub due_at: Option<String>,
    /// Data for whoever runs the task (a JSON object).
    #[schema(value_type = Option<Object>)]
    pub execution: Option<Value>,
    /// What running it produced (a JSON object).
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    /// Why the last attempt failed (the reason of a `failed` task).
    pub error: Option<String>,
    /// Attempts the runner made.
    pub attempts: i64,
    /// When it first started running.
    pub started_at: Option<String>,
    /// When it ended (completed, failed or cancelled).
    pub completed_at: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// Payload of `task.created` and `task.completed`.
#[derive(Debug, Clone, Serialize)]
pub struct TaskEvent<'a> {
    /// Always `"task"`.
    pub object: &'static str,
    /// The event name.
    pub event: &'static str,
    /// Task id.
    pub id: &'a str,
    /// Same, in the camelCase of the conversation events.
    #[serde(rename = "taskId")]
    pub task_id: &'a str,
    /// Widget id.
    pub widget_id: &'a str,
    /// Same, camelCase.
    #[serde(rename = "widgetId")]
    pub widget_id_legacy: &'a str,
    /// The lead, if any.
    pub lead_id: Option<&'a str>,
    /// Same, camelCase.
    #[serde(rename = "leadId")]
    pub lead_id_legacy: Option<&'a str>,
    /// The task after the change.
    pub task: &'a Task,
    /// When (RFC 3339).
    pub timestamp: &'a str,
}

/// Queues the webhooks of a change from `before` (`None`: the task is new) to `task`: `task.created` for a new
/// task, and `task.completed` when it reached `completed`.
///
/// # Errors
/// Database errors.
pub async fn enqueue_events(
    tx: &mut Tx<'_>,
    org_id: &str,
    before: Option<&Task>,
    task: &Task,
) -> Result<(), sqlx::Error> {
    let mut event = TaskEvent {
        object: "task",
        event: "task.created",
        id: &task.id,
        task_id: &task.id,
        widget_id: &task.widget_id,
        widget_id_legacy: &task.widget_id,
        lead_id: task.lead_id.as_deref(),
        lead_id_legacy: task.lead_id.as_deref(),
        task,
        timestamp: &task.updated_at,
    };
    if before.is_none() {
        webhooks::enqueue(tx, org_id, "task.created", &event).await?;
    }
    if task.status == "completed" && before.is_none_or(|b| b.status != "completed") {
        event.event = "task.completed";
        webhooks::enqueue(tx, org_id, "task.completed", &event).await?;
    }
    Ok(())
}
