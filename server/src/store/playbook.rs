//! Sales playbook entries: the developer API's CRUD and the knowledge items that mirror the entries the responder
//! answers from (objection handlers, pricing, comparisons: `source_type = 'playbook'`, see [`crate::playbook`]).

use super::{now_sql, Builder, Db, Dialect, Tx};
use serde::Serialize;

/// A playbook entry as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PlaybookEntry {
    /// Always `"playbook_entry"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Entry id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// `value_prop`, `roi_data`, `objection_handler`, `competitor_comparison`, `pricing` or `case_study`.
    pub category: String,
    /// Title (for an objection handler, the objection).
    pub title: String,
    /// Text (for an objection handler, the answer).
    pub content: String,
    /// `manual`, or `import` / `generate` for entries made from a document.
    pub source: String,
    /// The knowledge item the responder answers from (objection handlers, pricing, comparisons), kept in step.
    pub knowledge_id: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// Every column of an entry as the API shows it, joined to its widget (for the organisation check); followed by
/// the organisation.
const SELECT: &str = "SELECT p.id, p.widget_id, p.category, p.title, p.content, p.source, p.knowledge_id,
        p.created_at, p.updated_at
    FROM playbook_entries p JOIN widgets w ON w.id = p.widget_id WHERE w.org_id = ";
/// The list position of entry `$2` among organisation `$1`'s (a page's `starting_after`).
pub const CURSOR: &str =
    "SELECT p.seq FROM playbook_entries p JOIN widgets w ON w.id = p.widget_id WHERE w.org_id = $1 AND p.id = $2";
/// Counts an organisation's entries; followed by the organisation.
const COUNT: &str = "SELECT COUNT(*) FROM playbook_entries p JOIN widgets w ON w.id = p.widget_id WHERE w.org_id = ";
/// A new entry.
const INSERT: &str = "INSERT INTO playbook_entries (id, widget_id, category, title, content, source)
    VALUES ($1, $2, $3, $4, $5, $6)";
/// Rewrites an entry's category, title and content.
const UPDATE: &str = concat!(
    "UPDATE playbook_entries SET category = $1, title = $2, content = $3, updated_at = ",
    now_sql!(),
    " WHERE id = $4"
);
/// Links (or unlinks, `NULL`) an entry to its knowledge mirror.
const LINK: &str = "UPDATE playbook_entries SET knowledge_id = $1 WHERE id = $2";
/// Deletes an entry.
const DELETE: &str = "DELETE FROM playbook_entries WHERE id = $1";
/// A knowledge item mirroring an entry.
const INSERT_MIRROR: &str = "INSERT INTO knowledge_items (id, widget_id, title, content, source_type)
    VALUES ($1, $2, $3, $4, 'playbook')";
/// Rewrites a mirror.
const UPDATE_MIRROR: &str = concat!(
    "UPDATE knowledge_items SET title = $1, content = $2, source_type = 'playbook', updated_at = ",
    now_sql!(),
    " WHERE id = $3"
);
/// Mirror `$1` if it still exists.
const MIRROR_EXISTS: &str = "SELECT id FROM knowledge_items WHERE id = $1";
/// An entry mirrored by knowledge item `$1`.
const MIRRORED: &str = "SELECT id FROM playbook_entries WHERE knowledge_id = $1";
/// Deletes a mirror (its passages go with it).
const DELETE_MIRROR: &str = "DELETE FROM knowledge_items WHERE id = $1";

/// Entry `id` if it belongs to `org_id`.
///
/// # Errors
/// Database errors.
pub async fn find(db: &Db, org_id: &str, id: &str) -> Result<Option<PlaybookEntry>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id).push(" AND p.id = ").push_bind(id);
    let entry: Option<PlaybookEntry> = q.build_query_as().fetch_optional(db).await?;
    Ok(entry.map(PlaybookEntry::complete))
}

/// Which entries a list shows (all given ones must match).
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Only this widget's.
    pub widget_id: Option<String>,
    /// Only this category.
    pub category: Option<String>,
}

impl ListFilter {
    /// Appends the filter as `AND …` clauses.
    fn push(&self, q: &mut Builder<'_>) {
        if let Some(w) = &self.widget_id {
            q.push(" AND p.widget_id = ").push_bind(w.clone());
        }
        if let Some(c) = &self.category {
            q.push(" AND p.category = ").push_bind(c.clone());
        }
    }
}

/// Up to `limit` of the organisation's entries matching `filter`, newest first, created before position `before`
/// when given (a page's cursor, [`CURSOR`]).
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &Db,
    org_id: &str,
    filter: &ListFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<PlaybookEntry>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    if let Some(seq) = before {
        q.push(" AND p.seq < ").push_bind(seq);
    }
    q.push(" ORDER BY p.seq DESC LIMIT ").push_bind(limit);
    let entries: Vec<PlaybookEntry> = q.build_query_as().fetch_all(db).await?;
    Ok(entries.into_iter().map(PlaybookEntry::complete).collect())
}

/// How many of the organisation's entries match `filter`.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    let mut q = Builder::new(COUNT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    q.build_query_scalar().fetch_one(db).await
}

/// The fields of a new entry.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    /// One of [`crate::playbook::CATEGORIES`].
    pub category: String,
    /// Title.
    pub title: String,
    /// Text.
    pub content: String,
}

/// A new entry `id` of widget `widget_id`, from `source` (`manual`, `import`, `generate`).
///
/// # Errors
/// Database errors.
pub async fn insert(
    tx: &mut Tx<'_>,
    id: &str,
    widget_id: &str,
    entry: &NewEntry,
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(id)
        .bind(widget_id)
        .bind(&entry.category)
        .bind(&entry.title)
        .bind(&entry.content)
        .bind(source)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Rewrites entry `id` and marks it changed now.
///
/// # Errors
/// Database errors.
pub async fn update(tx: &mut Tx<'_>, id: &str, entry: &NewEntry) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(UPDATE))
        .bind(&entry.category)
        .bind(&entry.title)
        .bind(&entry.content)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes entry `id`.
///
/// # Errors
/// Database errors.
pub async fn delete(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Links entry `id` to knowledge item `knowledge_id` (`None` unlinks).
///
/// # Errors
/// Database errors.
pub async fn link(tx: &mut Tx<'_>, id: &str, knowledge_id: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query(LINK).bind(knowledge_id).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Whether knowledge item `id` exists (a developer may have deleted a mirror through the knowledge API).
///
/// # Errors
/// Database errors.
pub async fn mirror_exists(tx: &mut Tx<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(MIRROR_EXISTS).bind(id).fetch_optional(&mut **tx).await?;
    Ok(found.is_some())
}

/// Whether knowledge item `knowledge_id` mirrors a playbook entry.
///
/// # Errors
/// Database errors.
pub async fn is_mirror(db: &Db, knowledge_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(MIRRORED).bind(knowledge_id).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// A knowledge item `id` of widget `widget_id` mirroring an entry.
///
/// # Errors
/// Database errors.
pub async fn insert_mirror(
    tx: &mut Tx<'_>,
    id: &str,
    widget_id: &str,
    title: &str,
    content: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_MIRROR).bind(id).bind(widget_id).bind(title).bind(content).execute(&mut **tx).await?;
    Ok(())
}

/// Rewrites mirror `id`.
///
/// # Errors
/// Database errors.
pub async fn update_mirror(tx: &mut Tx<'_>, id: &str, title: &str, content: &str) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(UPDATE_MIRROR))
        .bind(title)
        .bind(content)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes mirror `id` and its passages.
///
/// # Errors
/// Database errors.
pub async fn delete_mirror(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE_MIRROR).bind(id).execute(&mut **tx).await?;
    Ok(())
}
