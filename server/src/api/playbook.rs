//! `/api/v1/playbook`: the sales playbook (value propositions, ROI data, objection handlers, competitor
//! comparisons, pricing, case studies), written one entry at a time or made from an uploaded document. The
//! domain rules (categories, the knowledge mirror the responder reads, document reading) are [`crate::playbook`]'s.

use std::collections::HashMap;

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::pagination::PageRequest;
use super::{Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::ids;
use crate::playbook::{self, document, model, rules};
use crate::state::AppState;
/// The resource as the store reads it (defined there, so that the store imports nothing of the API).
pub use crate::store::playbook::PlaybookEntry;
use crate::store::playbook::{self as store, ListFilter, NewEntry};
use crate::store::{begin_write, Db};

/// Longest title.
const MAX_TITLE: usize = 300;
/// Longest content.
const MAX_CONTENT: usize = 100_000;

impl PlaybookEntry {
    /// Fills `object`.
    pub fn complete(mut self) -> Self {
        self.object = "playbook_entry";
        self
    }
}

async fn find(db: &Db, auth: &DevAuth, id: &str) -> ApiResult<PlaybookEntry> {
    store::find(db, &auth.org_id, id).await?.ok_or_else(|| ApiError::not_found(format!("no playbook entry `{id}`")))
}

/// `GET /api/v1/playbook` (scope `playbook:read`): filters `widget_id`, `category`; newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/playbook",
    operation_id = "list_playbook",
    tag = "playbook",
    summary = "List playbook entries",
    description = "Scope `playbook:read`. Newest first, cursor-paginated.",
    security(("developer_key" = [])),
    params(
        ("widget_id" = Option<String>, Query, description = "Only this widget's entries"),
        ("widgetId" = Option<String>, Query, deprecated, description = "Legacy alias of `widget_id`"),
        ("category" = Option<String>, Query, description = "Only this category"),
        Page,
    ),
    responses(
        (status = 200, description = "A page of entries", body = ListEnvelope<PlaybookEntry>),
        (status = 400, description = "An unknown category", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("playbook:read")?;
    let param = |names: &[&str]| names.iter().find_map(|n| params.get(*n)).map(|v| v.trim().to_owned());
    let page = PageRequest::read(&state.db, &params, "playbook entry", store::CURSOR, &auth.org_id).await?;
    let category = match param(&["category"]) {
        Some(c) => Some(playbook::category(&c)?.to_owned()),
        None => None,
    };
    let filter = ListFilter { widget_id: param(&["widget_id", "widgetId"]), category };
    // One more than a page, to learn `has_more`.
    let rows = store::list(&state.db, &auth.org_id, &filter, page.before_seq, page.limit + 1).await?;
    let total = store::count(&state.db, &auth.org_id, &filter).await?;
    Ok(Json(page.envelope(rows, total, "/api/v1/playbook", "playbook")))
}

/// Create and update body (camelCase alias `widgetId`). Unknown fields are refused.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookBody {
    /// `value_prop`, `roi_data`, `objection_handler`, `competitor_comparison`, `pricing` or `case_study`
    /// (required on create).
    #[schema(example = "objection_handler")]
    pub category: Option<String>,
    /// Title, at most 300 characters (required on create).
    #[schema(example = "It's too expensive")]
    pub title: Option<String>,
    /// Text, at most 100,000 characters (required on create).
    #[schema(example = "Most teams earn the subscription back within two months: one saved sale a week covers it.")]
    pub content: Option<String>,
    /// The widget (create only; optional when the organisation has one widget).
    #[serde(alias = "widgetId")]
    pub widget_id: Option<String>,
}

fn check_text(value: &Option<String>, field: &str, max: usize) -> ApiResult<()> {
    match value {
        Some(v) if v.trim().is_empty() => Err(ApiError::bad_request(format!("`{field}` is empty"))),
        Some(v) if v.chars().count() > max => {
            Err(ApiError::bad_request(format!("`{field}` is longer than {max} characters")))
        }
        _ => Ok(()),
    }
}

fn check(body: &PlaybookBody) -> ApiResult<()> {
    check_text(&body.title, "title", MAX_TITLE)?;
    check_text(&body.content, "content", MAX_CONTENT)?;
    if let Some(c) = &body.category {
        playbook::category(c)?;
    }
    Ok(())
}

/// `POST /api/v1/playbook` (scope `playbook:write`): 201.
#[utoipa::path(
    post,
    path = "/playbook",
    operation_id = "create_playbook_entry",
    tag = "playbook",
    summary = "Create a playbook entry",
    description = "Scope `playbook:write`. Objection handlers, pricing and comparisons are answered from at once.",
    security(("developer_key" = [])),
    request_body = PlaybookBody,
    responses(
        (status = 201, description = "The new entry", body = PlaybookEntry),
        (status = 400, description = "A missing field or an unknown category", body = ErrorBody),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<PlaybookBody>,
) -> ApiResult<(StatusCode, Json<PlaybookEntry>)> {
    auth.require("playbook:write")?;
    check(&body)?;
    let required = |v: &Option<String>, field: &str| {
        v.as_deref().map(|s| s.trim().to_owned()).ok_or_else(|| ApiError::bad_request(format!("`{field}` is required")))
    };
    let entry = NewEntry {
        category: required(&body.category, "category")?,
        title: required(&body.title, "title")?,
        content: required(&body.content, "content")?,
    };
    let widget_id = super::target_widget(&state.db, &auth, body.widget_id.as_deref()).await?;
    let id = ids::new_id("pb");
    let mut tx = begin_write(&state.db).await?;
    store::insert(&mut tx, &id, &widget_id, &entry, "manual").await?;
    playbook::sync_mirror(&mut tx, &id, &widget_id, &entry, None).await?;
    tx.commit().await?;
    state.indexer.wake();
    Ok((StatusCode::CREATED, Json(find(&state.db, &auth, &id).await?)))
}

/// `GET /api/v1/playbook/:id` (scope `playbook:read`).
#[utoipa::path(
    get,
    path = "/playbook/{id}",
    operation_id = "get_playbook_entry",
    tag = "playbook",
    summary = "Read a playbook entry",
    description = "Scope `playbook:read`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Playbook entry id")),
    responses(
        (status = 200, description = "The entry", body = PlaybookEntry),
        (status = 404, description = "No such entry in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PlaybookEntry>> {
    auth.require("playbook:read")?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/playbook/:id` (scope `playbook:write`).
#[utoipa::path(
    method(post, patch),
    path = "/playbook/{id}",
    operation_id = "update_playbook_entry",
    tag = "playbook",
    summary = "Update a playbook entry",
    description = "Scope `playbook:write`. Category, title, content.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Playbook entry id")),
    request_body = PlaybookBody,
    responses(
        (status = 200, description = "The entry after the change", body = PlaybookEntry),
        (status = 400, description = "An empty field or an unknown category", body = ErrorBody),
        (status = 404, description = "No such entry in the organisation", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PlaybookBody>,
) -> ApiResult<Json<PlaybookEntry>> {
    auth.require("playbook:write")?;
    check(&body)?;
    if body.widget_id.is_some() {
        return Err(ApiError::bad_request("a playbook entry cannot move to another widget"));
    }
    let current = find(&state.db, &auth, &id).await?;
    let pick = |v: &Option<String>, old: String| v.as_deref().map_or(old, |s| s.trim().to_owned());
    let entry = NewEntry {
        category: pick(&body.category, current.category),
        title: pick(&body.title, current.title),
        content: pick(&body.content, current.content),
    };
    let mut tx = begin_write(&state.db).await?;
    store::update(&mut tx, &id, &entry).await?;
    playbook::sync_mirror(&mut tx, &id, &current.widget_id, &entry, current.knowledge_id.as_deref()).await?;
    tx.commit().await?;
    state.indexer.wake();
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `DELETE /api/v1/playbook/:id` (scope `playbook:delete`): the entry and its knowledge mirror.
#[utoipa::path(
    delete,
    path = "/playbook/{id}",
    operation_id = "delete_playbook_entry",
    tag = "playbook",
    summary = "Delete a playbook entry",
    description = "Scope `playbook:delete`. The responder stops using it at once.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Playbook entry id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such entry in the organisation", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("playbook:delete")?;
    let current = find(&state.db, &auth, &id).await?;
    let mut tx = begin_write(&state.db).await?;
    store::delete(&mut tx, &id).await?;
    if let Some(k) = &current.knowledge_id {
        store::delete_mirror(&mut tx, k).await?;
    }
    tx.commit().await?;
    Ok(super::deleted("playbook_entry", &id))
}

/// The form of `POST /api/v1/playbook/generate` (multipart/form-data).
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code, non_snake_case)] // Documents the form; the handler reads it field by field.
pub struct GenerateForm {
    /// The document: PDF (with a text layer), Markdown or plain text, at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The widget the entries go to (alias `widget_id`).
    widgetId: String,
    /// `generate` (the model writes entries when one is configured, the rules otherwise; the default) or `import`
    /// (the document's sections as they are).
    #[schema(example = "import")]
    mode: Option<String>,
}

/// The answer of `POST /api/v1/playbook/generate`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Generated {
    /// Always `"list"`.
    #[schema(value_type = String)]
    pub object: &'static str,
    /// The entries created, in document order.
    pub data: Vec<PlaybookEntry>,
    /// `generate` or `import`.
    pub mode: String,
    /// `model` when the configured model wrote the entries, else `rules` (sections and keyword rules).
    pub generator: &'static str,
    /// Why the model's entries were not used, when it was asked and failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// An uploaded file.
struct Upload {
    bytes: Vec<u8>,
    name: Option<String>,
    content_type: Option<String>,
}

/// A multipart read failure: too large is the 413 naming this route's limit; anything else a 400.
fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        document::too_large()
    } else {
        ApiError::bad_request(format!("malformed multipart body: {}", e.body_text()))
    }
}

/// `POST /api/v1/playbook/generate` (scope `playbook:write`): 201 with the entries made from the document.
#[utoipa::path(
    post,
    path = "/playbook/generate",
    operation_id = "generate_playbook",
    tag = "playbook",
    summary = "Make playbook entries from a document",
    description = "Scope `playbook:write`. multipart/form-data with `file` (PDF, Markdown or text, at most 10 MB), \
        `widgetId` and `mode` (`generate` or `import`). `import` turns the document's sections into entries \
        (headings are titles, categories from keyword rules); `generate` asks the configured model, and uses the \
        rules when there is none.",
    security(("developer_key" = [])),
    request_body(content = GenerateForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The entries created", body = Generated),
        (status = 400, description = "A missing field or an unknown mode", body = ErrorBody),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
        (status = 413, description = "The document is larger than 10 MB", body = ErrorBody),
        (status = 415, description = "Not multipart, or not a PDF, Markdown or text file", body = ErrorBody),
        (status = 422, description = "A corrupt PDF, a PDF without text (a scan), or no sections", body = ErrorBody),
    ),
)]
pub async fn generate(
    State(state): State<AppState>,
    auth: DevAuth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Generated>)> {
    auth.require("playbook:write")?;
    let mut form = form.map_err(|_| {
        ApiError::UnsupportedMediaType("send multipart/form-data with `file`, `widgetId` and `mode`".into())
    })?;
    let (mut upload, mut widget, mut mode) = (None, None, None);
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().map(str::to_owned);
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if bytes.len() > document::MAX_DOCUMENT_BYTES {
                    return Err(document::too_large());
                }
                upload = Some(Upload { bytes: bytes.to_vec(), name, content_type });
            }
            "widgetId" | "widget_id" => widget = Some(field.text().await.map_err(multipart_error)?.trim().to_owned()),
            "mode" => mode = Some(field.text().await.map_err(multipart_error)?.trim().to_owned()),
            _ => {}
        }
    }
    let upload = upload.ok_or_else(|| ApiError::bad_request("`file` is required"))?;
    let widget = widget.filter(|w| !w.is_empty()).ok_or_else(|| ApiError::bad_request("`widgetId` is required"))?;
    let mode = match mode.as_deref().unwrap_or("generate") {
        m @ ("generate" | "import") => m.to_owned(),
        _ => return Err(ApiError::bad_request("`mode` must be `generate` or `import`")),
    };
    let widget_id = super::target_widget(&state.db, &auth, Some(&widget)).await?;
    let kind = document::kind(&upload.bytes, upload.name.as_deref(), upload.content_type.as_deref())?;
    let text = document::text(upload.bytes, kind).await?;
    let rules_entries = || rules::entries(&text, kind == document::Kind::Markdown);
    let (entries, generator, warning) = match (&mode[..], &state.llm) {
        ("generate", Some(provider)) => match model::generate(provider, &text).await {
            Ok(entries) => (entries, "model", None),
            Err(why) => {
                tracing::warn!(error = %why, "playbook generation by the model failed; using the rules");
                (rules_entries(), "rules", Some(why))
            }
        },
        _ => (rules_entries(), "rules", None),
    };
    if entries.is_empty() {
        return Err(ApiError::Unprocessable("the document has no text to make entries from".into()));
    }
    let mut tx = begin_write(&state.db).await?;
    let ids = playbook::insert_all(&mut tx, &widget_id, &entries, &mode).await?;
    tx.commit().await?;
    state.indexer.wake();
    let mut data = Vec::with_capacity(ids.len());
    for id in &ids {
        data.push(find(&state.db, &auth, id).await?);
    }
    Ok((StatusCode::CREATED, Json(Generated { object: "list", data, mode, generator, warning })))
}
