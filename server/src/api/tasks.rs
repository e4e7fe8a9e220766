//! `/api/v1/tasks` (and its legacy alias `/api/v1/activities`): the agent's activity log, readable and writable by
//! outside agents. Creating a task fires `task.created`; a task reaching `completed` fires `task.completed`; both in
//! the transaction of the change. Due tasks of the types the server executes are run by [`crate::tasks::Runner`].

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::Deserialize;
use serde_json::Value;

use super::pagination::PageRequest;
use super::{nullable, since, Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::ids;
use crate::state::AppState;
use crate::store::tasks::{self as store, Changes, ListFilter, NewTask};
use crate::store::{begin_write, conversations};
use crate::tasks::{self, Task, MAX_DATA_BYTES, MAX_TEXT, MAX_TITLE, PRIORITIES, STATUSES, TYPES};

/// Create and update body. `null` clears a nullable field; unknown fields are refused. camelCase aliases:
/// `widgetId`, `leadId`, `conversationId`, `assignedTo` (also `assignee`), `dueAt`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    /// The widget (create only, required).
    #[serde(alias = "widgetId")]
    pub widget_id: Option<String>,
    /// `follow_up`, `qualification`, `crm_sync`, `email`, `callback` or `custom` (create only, required).
    #[serde(rename = "type")]
    #[schema(example = "qualification")]
    pub kind: Option<String>,
    /// What to do (required on create).
    pub title: Option<String>,
    /// More detail.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `scheduled` (the default), `running`, `completed`, `failed` or `cancelled`.
    #[schema(example = "scheduled")]
    pub status: Option<String>,
    /// `low`, `normal` (the default), `high` or `urgent`.
    #[schema(example = "normal")]
    pub priority: Option<String>,
    /// Who does it.
    #[serde(default, alias = "assignedTo", alias = "assignee", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub assigned_to: Option<Option<String>>,
    /// When it should run, ISO 8601 (`null`: as soon as possible).
    #[serde(default, alias = "dueAt", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, example = "2026-12-24T09:00:00Z")]
    pub due_at: Option<Option<String>>,
    /// The lead it is about, one of the widget's (create only; required for `qualification`, `follow_up` and `email`).
    #[serde(default, alias = "leadId", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub lead_id: Option<Option<String>>,
    /// The conversation it is about, one of the widget's (create only).
    #[serde(default, alias = "conversationId", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub conversation_id: Option<Option<String>>,
    /// Data for whoever runs the task: a JSON object. `qualification` reads `{"overwrite": true}` to replace BANT
    /// fields the lead already has.
    #[serde(default, deserialize_with = "nullable_value")]
    #[schema(value_type = Option<Object>)]
    pub execution: Option<Option<Value>>,
    /// What running it produced: a JSON object (outside agents report it with the status).
    #[serde(default, deserialize_with = "nullable_value")]
    #[schema(value_type = Option<Object>)]
    pub result: Option<Option<Value>>,
    /// Why it failed.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub error: Option<Option<String>>,
}

/// For a JSON field where `null` means "clear": `Some(None)` for an explicit `null`, `None` when absent.
fn nullable_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Value>>, D::Error> {
    Ok(Some(<Option<Value> as Deserialize>::deserialize(d)?))
}

/// A value that must be one of `allowed`.
fn one_of(field: &str, value: Option<String>, allowed: &[&str]) -> ApiResult<Option<String>> {
    match value.map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(ApiError::bad_request(format!("`{field}` must be one of {}", allowed.join(", "))))
        }
        v => Ok(v),
    }
}

/// Text trimmed and bounded; blank counts as `null`.
fn text(field: &str, value: Option<Option<String>>, max: usize) -> ApiResult<Option<Option<String>>> {
    let value = value.map(|v| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()));
    if let Some(Some(v)) = &value {
        if v.chars().count() > max {
            return Err(ApiError::bad_request(format!("`{field}` is longer than {max} characters")));
        }
    }
    Ok(value)
}

/// A JSON object field, as stored text.
fn data(field: &str, value: Option<Option<Value>>) -> ApiResult<Option<Option<String>>> {
    match value {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(v @ Value::Object(_))) => {
            let text = v.to_string();
            if text.len() > MAX_DATA_BYTES {
                return Err(ApiError::bad_request(format!("`{field}` is larger than {MAX_DATA_BYTES} bytes of JSON")));
            }
            Ok(Some(Some(text)))
        }
        Some(Some(_)) => Err(ApiError::bad_request(format!("`{field}` must be a JSON object"))),
    }
}

/// The checked changes of a body (create and update share them).
async fn changes(state: &AppState, body: &mut TaskBody) -> ApiResult<Changes> {
    let title = text("title", body.title.take().map(Some), MAX_TITLE)?;
    if matches!(title, Some(None)) {
        return Err(ApiError::bad_request("`title` must not be blank"));
    }
    let due_at = match body.due_at.take() {
        Some(Some(v)) if !v.trim().is_empty() => Some(Some(since(&state.db, v.trim(), "due_at").await?)),
        Some(_) => Some(None),
        None => None,
    };
    Ok(Changes {
        title: title.flatten(),
        description: text("description", body.description.take(), MAX_TEXT)?,
        status: one_of("status", body.status.take(), STATUSES)?,
        priority: one_of("priority", body.priority.take(), PRIORITIES)?,
        assigned_to: text("assigned_to", body.assigned_to.take(), MAX_TITLE)?,
        due_at,
        execution: data("execution", body.execution.take())?,
        result: data("result", body.result.take())?,
        error: text("error", body.error.take(), MAX_TEXT)?,
    })
}

/// The caller's task `id`, or 404.
async fn find(state: &AppState, auth: &DevAuth, id: &str) -> ApiResult<Task> {
    let task = store::load(&state.db, &auth.org_id, id).await?;
    task.ok_or_else(|| ApiError::not_found(format!("no task `{id}`")))
}

/// Reads the list filters: `widget_id`, `lead_id`, `status` and `type` (one value or comma-separated),
/// `updated_since`, with the camelCase aliases.
async fn parse_filter(state: &AppState, params: &HashMap<String, String>) -> ApiResult<ListFilter> {
    let param = |names: &[&str]| names.iter().find_map(|n| params.get(*n)).map(|v| v.trim().to_owned());
    let list = |field: &str, allowed: &[&str]| -> ApiResult<Vec<String>> {
        let mut out = Vec::new();
        for v in param(&[field]).unwrap_or_default().split(',').map(str::trim).filter(|v| !v.is_empty()) {
            out.extend(one_of(field, Some(v.to_owned()), allowed)?);
        }
        Ok(out)
    };
    Ok(ListFilter {
        widget_id: param(&["widget_id", "widgetId"]).filter(|v| !v.is_empty()),
        lead_id: param(&["lead_id", "leadId"]).filter(|v| !v.is_empty()),
        statuses: list("status", STATUSES)?,
        types: list("type", TYPES)?,
        updated_since: match param(&["updated_since", "updatedSince"]) {
            Some(v) => Some(since(&state.db, &v, "updated_since").await?),
            None => None,
        },
    })
}

async fn list_at(
    state: AppState,
    auth: DevAuth,
    params: HashMap<String, String>,
    url: &str,
    plural: &str,
) -> ApiResult<Json<Value>> {
    auth.require("tasks:read")?;
    let filter = parse_filter(&state, &params).await?;
    let page = PageRequest::read(&state.db, &params, "task", store::CURSOR, &auth.org_id).await?;
    // One more than a page, to learn `has_more`.
    let rows = store::list(&state.db, &auth.org_id, &filter, page.before_seq, page.limit + 1).await?;
    let total = store::count(&state.db, &auth.org_id, &filter).await?;
    Ok(Json(page.envelope(rows, total, url, plural)))
}

/// Types the runner executes on a lead: they cannot be created without one.
const RUN_ON_A_LEAD: &[&str] = &["qualification", "follow_up", "email"];

async fn create_task(state: AppState, auth: DevAuth, mut body: TaskBody) -> ApiResult<(StatusCode, Json<Task>)> {
    auth.require("tasks:write")?;
    let widget_id = body.widget_id.take().filter(|w| !w.trim().is_empty());
    let widget_id = widget_id.ok_or_else(|| ApiError::bad_request("`widget_id` is required"))?;
    let kind = body.kind.take().filter(|k| !k.trim().is_empty());
    let kind = kind.ok_or_else(|| ApiError::bad_request(format!("`type` is required: one of {}", TYPES.join(", "))))?;
    let kind = one_of("type", Some(kind), TYPES)?.unwrap_or_default();
    if body.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(ApiError::bad_request("`title` is required"));
    }
    let lead_id = body.lead_id.take().flatten().filter(|l| !l.trim().is_empty());
    let conversation_id = body.conversation_id.take().flatten().filter(|c| !c.trim().is_empty());
    if RUN_ON_A_LEAD.contains(&kind.as_str()) && lead_id.is_none() {
        return Err(ApiError::bad_request(format!("`lead_id` is required for `{kind}` tasks")));
    }
    let c = changes(&state, &mut body).await?;
    let widget_id = super::target_widget(&state.db, &auth, Some(widget_id.trim())).await?;
    let mut tx = begin_write(&state.db).await?;
    if let Some(lead) = &lead_id {
        if !store::lead_in_widget(&mut *tx, lead, &widget_id).await? {
            return Err(ApiError::bad_request(format!("`lead_id`: no lead `{lead}` in this widget")));
        }
    }
    if let Some(conv) = &conversation_id {
        if !conversations::in_widget(&mut *tx, conv, &widget_id).await? {
            return Err(ApiError::bad_request(format!("`conversation_id`: no conversation `{conv}` in this widget")));
        }
    }
    let new = NewTask {
        id: ids::new_id("task"),
        widget_id,
        lead_id,
        conversation_id,
        kind,
        status: c.status.unwrap_or_else(|| "scheduled".into()),
        title: c.title.unwrap_or_default(),
        description: c.description.flatten(),
        priority: c.priority.unwrap_or_else(|| "normal".into()),
        assigned_to: c.assigned_to.flatten(),
        due_at: c.due_at.flatten(),
        execution: c.execution.flatten(),
        result: c.result.flatten(),
        error: c.error.flatten(),
    };
    store::insert(&mut tx, &new).await?;
    let task =
        store::load(&mut *tx, &auth.org_id, &new.id).await?.ok_or_else(|| ApiError::Internal("lost task".into()))?;
    tasks::enqueue_events(&mut tx, &auth.org_id, None, &task).await?;
    tx.commit().await?;
    state.webhooks.wake();
    state.tasks.wake();
    Ok((StatusCode::CREATED, Json(task)))
}

async fn update_task(state: AppState, auth: DevAuth, id: String, mut body: TaskBody) -> ApiResult<Json<Task>> {
    auth.require("tasks:write")?;
    let fixed = [
        ("widget_id", body.widget_id.is_some()),
        ("type", body.kind.is_some()),
        ("lead_id", body.lead_id.is_some()),
        ("conversation_id", body.conversation_id.is_some()),
    ];
    if let Some((field, _)) = fixed.iter().find(|(_, given)| *given) {
        return Err(ApiError::bad_request(format!("a task's `{field}` cannot change")));
    }
    let c = changes(&state, &mut body).await?;
    let mut tx = begin_write(&state.db).await?;
    let before = store::load(&mut *tx, &auth.org_id, &id).await?;
    let before = before.ok_or_else(|| ApiError::not_found(format!("no task `{id}`")))?;
    store::update(&mut tx, &id, &c).await?;
    let after =
        store::load(&mut *tx, &auth.org_id, &id).await?.ok_or_else(|| ApiError::Internal("lost task".into()))?;
    if after == before {
        return Ok(Json(before)); // nothing changed: no new `updated_at`, no webhook
    }
    store::touch(&mut tx, &id).await?;
    let after =
        store::load(&mut *tx, &auth.org_id, &id).await?.ok_or_else(|| ApiError::Internal("lost task".into()))?;
    tasks::enqueue_events(&mut tx, &auth.org_id, Some(&before), &after).await?;
    tx.commit().await?;
    state.webhooks.wake();
    state.tasks.wake();
    Ok(Json(after))
}

async fn delete_task(state: AppState, auth: DevAuth, id: String) -> ApiResult<Json<Deleted>> {
    auth.require("tasks:delete")?;
    find(&state, &auth, &id).await?;
    store::delete(&state.db, &id).await?;
    Ok(super::deleted("task", &id))
}

/// `GET /api/v1/tasks` (scope `tasks:read`): newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/tasks",
    operation_id = "list_tasks",
    tag = "tasks",
    summary = "List tasks",
    description = "Scope `tasks:read`. The agent's activity log, newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's tasks"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
        ("lead_id" = Option<String>, Query, description = "Only this lead's tasks"),
        ("leadId" = Option<String>, Query, deprecated, description = "Legacy alias of `lead_id`"),
        (
            "status" = Option<String>,
            Query,
            description = "One status or several, comma-separated: `scheduled`, `running`, `completed`, `failed`, \
                `cancelled`",
        ),
        (
            "type" = Option<String>,
            Query,
            description = "One type or several, comma-separated: `follow_up`, `qualification`, `crm_sync`, `email`, \
                `callback`, `custom`",
        ),
        ("updated_since" = Option<String>, Query, description = "Only tasks changed at or after this ISO 8601 time"),
        ("updatedSince" = Option<String>, Query, deprecated, description = "Legacy alias of `updated_since`"),
        Page,
    ),
    responses((status = 200, description = "A page of tasks", body = ListEnvelope<Task>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    list_at(state, auth, params, "/api/v1/tasks", "tasks").await
}

/// `POST /api/v1/tasks` (scope `tasks:write`): 201. Requires `widget_id`, `type` and `title`.
#[utoipa::path(
    post,
    path = "/tasks",
    operation_id = "create_task",
    tag = "tasks",
    summary = "Schedule a task",
    description = "Scope `tasks:write`. Requires `widget_id`, `type` and `title` (and `lead_id` for \
        `qualification`). Fires `task.created` (and `task.completed` when created `completed`). The server runs \
        due `qualification` tasks itself; other types wait for an outside agent to report on them.",
    security(("developer_key" = [])),
    request_body = TaskBody,
    responses(
        (status = 201, description = "The new task", body = Task),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<TaskBody>,
) -> ApiResult<(StatusCode, Json<Task>)> {
    create_task(state, auth, body).await
}

/// `GET /api/v1/tasks/:id` (scope `tasks:read`): the full record, with execution and result data.
#[utoipa::path(
    get,
    path = "/tasks/{id}",
    operation_id = "get_task",
    tag = "tasks",
    summary = "Read a task",
    description = "Scope `tasks:read`. The full record, with `execution` and `result` data.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = Task),
        (status = 404, description = "No such task in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(State(state): State<AppState>, auth: DevAuth, ApiPath(id): ApiPath<String>) -> ApiResult<Json<Task>> {
    auth.require("tasks:read")?;
    Ok(Json(find(&state, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/tasks/:id` (scope `tasks:write`).
#[utoipa::path(
    method(post, patch),
    path = "/tasks/{id}",
    operation_id = "update_task",
    tag = "tasks",
    summary = "Update a task",
    description = "Scope `tasks:write`. Status, priority, assignment, schedule, title, description, `execution`, \
        `result`, `error`. Fires `task.completed` when the task becomes `completed`; a change that changes \
        nothing fires nothing. Setting `scheduled` starts the runner's attempts afresh.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskBody,
    responses(
        (status = 200, description = "The task after the change", body = Task),
        (status = 404, description = "No such task in the organisation", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TaskBody>,
) -> ApiResult<Json<Task>> {
    update_task(state, auth, id, body).await
}

/// `DELETE /api/v1/tasks/:id` (scope `tasks:delete`), in any status: clears a stuck task.
#[utoipa::path(
    delete,
    path = "/tasks/{id}",
    operation_id = "delete_task",
    tag = "tasks",
    summary = "Delete a task",
    description = "Scope `tasks:delete`. In any status, `running` included: clears a stuck task.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Task id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such task in the organisation", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    delete_task(state, auth, id).await
}

/// `GET /api/v1/activities`: legacy alias of `GET /api/v1/tasks`.
#[utoipa::path(
    get,
    path = "/activities",
    operation_id = "list_activities",
    tag = "tasks",
    summary = "List tasks (legacy alias)",
    description = "Scope `tasks:read`. Legacy alias of `GET /api/v1/tasks`, with the same filters; the items are \
        also under `activities`.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's tasks"),
        ("lead_id" = Option<String>, Query, description = "Only this lead's tasks"),
        ("leadId" = Option<String>, Query, deprecated, description = "Legacy alias of `lead_id`"),
        ("status" = Option<String>, Query, description = "One status or several, comma-separated"),
        ("type" = Option<String>, Query, description = "One type or several, comma-separated"),
        ("updated_since" = Option<String>, Query, description = "Only tasks changed at or after this ISO 8601 time"),
        Page,
    ),
    responses((status = 200, description = "A page of tasks", body = ListEnvelope<Task>)),
)]
pub async fn list_activities(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    list_at(state, auth, params, "/api/v1/activities", "activities").await
}

/// `POST /api/v1/activities`: legacy alias of `POST /api/v1/tasks`.
#[utoipa::path(
    post,
    path = "/activities",
    operation_id = "create_activity",
    tag = "tasks",
    summary = "Schedule a task (legacy alias)",
    description = "Scope `tasks:write`. Legacy alias of `POST /api/v1/tasks`.",
    security(("developer_key" = [])),
    request_body = TaskBody,
    responses(
        (status = 201, description = "The new task", body = Task),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn create_activity(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<TaskBody>,
) -> ApiResult<(StatusCode, Json<Task>)> {
    create_task(state, auth, body).await
}

/// `GET /api/v1/activities/:id`: legacy alias of `GET /api/v1/tasks/:id`.
#[utoipa::path(
    get,
    path = "/activities/{id}",
    operation_id = "get_activity",
    tag = "tasks",
    summary = "Read a task (legacy alias)",
    description = "Scope `tasks:read`. Legacy alias of `GET /api/v1/tasks/{id}`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = Task),
        (status = 404, description = "No such task in the organisation", body = ErrorBody),
    ),
)]
pub async fn get_activity(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Task>> {
    auth.require("tasks:read")?;
    Ok(Json(find(&state, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/activities/:id`: legacy alias of `POST /api/v1/tasks/:id`.
#[utoipa::path(
    method(post, patch),
    path = "/activities/{id}",
    operation_id = "update_activity",
    tag = "tasks",
    summary = "Update a task (legacy alias)",
    description = "Scope `tasks:write`. Legacy alias of `POST /api/v1/tasks/{id}`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskBody,
    responses(
        (status = 200, description = "The task after the change", body = Task),
        (status = 404, description = "No such task in the organisation", body = ErrorBody),
    ),
)]
pub async fn update_activity(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TaskBody>,
) -> ApiResult<Json<Task>> {
    update_task(state, auth, id, body).await
}

/// `DELETE /api/v1/activities/:id`: legacy alias of `DELETE /api/v1/tasks/:id`.
#[utoipa::path(
    delete,
    path = "/activities/{id}",
    operation_id = "delete_activity",
    tag = "tasks",
    summary = "Delete a task (legacy alias)",
    description = "Scope `tasks:delete`. Legacy alias of `DELETE /api/v1/tasks/{id}`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Task id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such task in the organisation", body = ErrorBody),
    ),
)]
pub async fn delete_activity(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    delete_task(state, auth, id).await
}
