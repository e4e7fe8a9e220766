//! Knowledge items, their persona bindings and their passages (chunks): the developer API's CRUD, the search
//! [`crate::knowledge`] runs, and the rows the storefront import keeps in step with its products. How an item is
//! split into passages and how passages are ranked is [`crate::knowledge`]'s; this module reads and writes the rows.
//!
//! Full-text search is the one dialect-specific part: [`passages_sqlite`] runs FTS5 (`MATCH`, `bm25`) on the
//! `knowledge_chunks_fts` index; Postgres reads the chunks' weighted `search tsvector` instead. The persona
//! bindings' order is SQLite's `rowid` (insertion order), which the Postgres table has no twin for yet.

use super::Builder;
use serde::Serialize;

use super::{now_sql, Db, Dialect, Exec, Tx};

/// A knowledge item as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct KnowledgeResource {
    /// Always `"knowledge_item"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Item id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// The persona it is bound to (first binding), if any.
    pub persona_id: Option<String>,
    /// Every persona it is bound to; empty means all personas.
    #[sqlx(skip)]
    pub personas: Vec<String>,
    /// Title.
    pub title: String,
    /// Text.
    pub content: String,
    /// Source URL.
    pub url: Option<String>,
    /// `manual`, or `product` for a product of an imported storefront (kept in step by the import).
    pub source_type: String,
    /// How many passages the content was split into for search.
    pub chunk_count: i64,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// Every column of an item as the API shows it, joined to its widget (for the organisation check); followed by
/// the organisation.
const SELECT: &str = "SELECT k.id, k.widget_id, k.persona_id, k.title, k.content, k.url, k.source_type,
        (SELECT COUNT(*) FROM knowledge_chunks c WHERE c.knowledge_id = k.id) AS chunk_count, k.created_at, k.updated_at
    FROM knowledge_items k JOIN widgets w ON w.id = k.widget_id WHERE w.org_id = ";
/// The list position of item `$2` among organisation `$1`'s (a page's `starting_after`).
pub const CURSOR: &str =
    "SELECT k.seq FROM knowledge_items k JOIN widgets w ON w.id = k.widget_id WHERE w.org_id = $1 AND k.id = $2";
/// Counts an organisation's items; followed by the organisation.
const COUNT: &str = "SELECT COUNT(*) FROM knowledge_items k JOIN widgets w ON w.id = k.widget_id WHERE w.org_id = ";
/// An item's personas in the order they were bound (SQLite's `rowid`: rows are inserted in that order).
const PERSONAS_SQLITE: &str = "SELECT persona_id FROM knowledge_personas WHERE knowledge_id = $1 ORDER BY rowid";
/// [`PERSONAS_SQLITE`] on Postgres: bindings have a `seq`.
const PERSONAS_POSTGRES: &str = "SELECT persona_id FROM knowledge_personas WHERE knowledge_id = $1 ORDER BY seq";
/// Persona `$1` if it belongs to widget `$2`.
const PERSONA_OF_WIDGET: &str = "SELECT id FROM personas WHERE id = $1 AND widget_id = $2";
/// Drops an item's persona bindings.
const UNBIND: &str = "DELETE FROM knowledge_personas WHERE knowledge_id = $1";
/// Sets the item's first persona (`persona_id`, the API's single binding).
const SET_PERSONA: &str = "UPDATE knowledge_items SET persona_id = $1 WHERE id = $2";
/// Binds an item to a persona (once).
const BIND: &str = "INSERT INTO knowledge_personas (knowledge_id, persona_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
/// A manual item.
const INSERT: &str = "INSERT INTO knowledge_items (id, widget_id, title, content, url) VALUES ($1, $2, $3, $4, $5)";
/// Changes the given fields of an item (`NULL` keeps one).
const UPDATE: &str = concat!(
    "UPDATE knowledge_items SET title = COALESCE($1, title), content = COALESCE($2, content),
        url = COALESCE($3, url), updated_at = ",
    now_sql!(),
    " WHERE id = $4"
);
/// Deletes an item (its passages and bindings go with it).
const DELETE: &str = "DELETE FROM knowledge_items WHERE id = $1";
/// The knowledge item of an imported product.
const INSERT_PRODUCT: &str = "INSERT INTO knowledge_items (id, widget_id, title, content, url, source_type)
    VALUES ($1, $2, $3, $4, $5, 'product')";
/// Rewrites the knowledge item of an imported product.
const UPDATE_PRODUCT: &str = concat!(
    "UPDATE knowledge_items SET title = $1, content = $2, url = $3, source_type = 'product', updated_at = ",
    now_sql!(),
    " WHERE id = $4"
);
/// Item `$1` if it exists.
const EXISTS: &str = "SELECT id FROM knowledge_items WHERE id = $1";
/// Items without passages.
const UNCHUNKED: &str =
    "SELECT id FROM knowledge_items k WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.knowledge_id = k.id)";
/// What an item's passages are cut from.
const TEXT: &str = "SELECT title, content FROM knowledge_items WHERE id = $1";
/// Drops an item's passages.
const DELETE_CHUNKS: &str = "DELETE FROM knowledge_chunks WHERE knowledge_id = $1";
/// One passage of an item.
const INSERT_CHUNK: &str = "INSERT INTO knowledge_chunks (knowledge_id, ord, title, text) VALUES ($1, $2, $3, $4)";

/// The condition that an item serves `$3`, the persona: its own items and the unbound ones.
macro_rules! visible {
    () => {
        "((k.persona_id IS NULL AND NOT EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id))
           OR k.persona_id = $3
           OR EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id AND kp.persona_id = $3))"
    };
}
/// The vectors of model `$2` of widget `$1`'s passages persona `$3` may use, with their passages.
const VECTORS: &str = concat!(
    "SELECT c.seq, k.id, k.title, c.text, k.url, c.embedding
     FROM knowledge_chunks c JOIN knowledge_items k ON k.id = c.knowledge_id
     WHERE k.widget_id = $1 AND c.embedding_model = $2 AND c.embedding IS NOT NULL AND ",
    visible!()
);
/// Widget `$2`'s passages persona `$3` may use matching FTS5 query `$1`, best first, at most `$4`. Titles weigh
/// five times the body: a question naming a topic should find the item about it.
const PASSAGES_SQLITE: &str = concat!(
    "SELECT c.seq, k.id, k.title, c.text AS content, k.url
     FROM knowledge_chunks_fts f JOIN knowledge_chunks c ON c.seq = f.rowid
     JOIN knowledge_items k ON k.id = c.knowledge_id
     WHERE knowledge_chunks_fts MATCH $1 AND k.widget_id = $2 AND ",
    visible!(),
    " ORDER BY bm25(knowledge_chunks_fts, 5.0, 1.0) LIMIT $4"
);

/// [`PASSAGES_SQLITE`] on Postgres: `$1` is a `tsquery`, titles weigh most (A against B).
const PASSAGES_POSTGRES: &str = concat!(
    "SELECT c.seq, k.id, k.title, c.text AS content, k.url
     FROM knowledge_chunks c JOIN knowledge_items k ON k.id = c.knowledge_id
     WHERE c.search @@ to_tsquery('english', $1) AND k.widget_id = $2 AND ",
    visible!(),
    " ORDER BY ts_rank_cd('{0.1, 0.2, 0.2, 1.0}', c.search, to_tsquery('english', $1)) DESC, c.seq LIMIT $4"
);

/// A passage found by search: its `seq`, then its item's id and title, the passage, the item's URL.
pub type Passage = (i64, String, String, String, Option<String>);
/// A passage with its vector: its `seq`, its item's id and title, the passage, the item's URL, the vector.
pub type VectorRow = (i64, String, String, String, Option<String>, Vec<u8>);

/// Knowledge item `id` if it belongs to `org_id`, with its personas.
///
/// # Errors
/// Database errors.
pub async fn find(db: &Db, org_id: &str, id: &str) -> Result<Option<KnowledgeResource>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id).push(" AND k.id = ").push_bind(id);
    let item: Option<KnowledgeResource> = q.build_query_as().fetch_optional(db).await?;
    let Some(mut item) = item else { return Ok(None) };
    complete(db, std::slice::from_mut(&mut item)).await?;
    Ok(Some(item))
}

/// Fills `object` and `personas`.
async fn complete(db: &Db, items: &mut [KnowledgeResource]) -> Result<(), sqlx::Error> {
    for item in items {
        item.object = "knowledge_item";
        let sql = Dialect::of(db).pick(PERSONAS_SQLITE, PERSONAS_POSTGRES);
        item.personas = sqlx::query_scalar(sql).bind(&item.id).fetch_all(db).await?;
        if let Some(p) = &item.persona_id {
            if !item.personas.contains(p) {
                item.personas.insert(0, p.clone());
            }
        }
    }
    Ok(())
}

/// Which items a list shows (all given ones must match).
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Only this widget's.
    pub widget_id: Option<String>,
    /// Only those bound to this persona.
    pub persona_id: Option<String>,
    /// Only this source type (`manual`, `product`).
    pub source_type: Option<String>,
    /// Only those whose title, content or URL contains this text.
    pub text: Option<String>,
}

impl ListFilter {
    /// Appends the filter as `AND …` clauses.
    fn push(&self, q: &mut Builder<'_>) {
        if let Some(w) = &self.widget_id {
            q.push(" AND k.widget_id = ").push_bind(w.clone());
        }
        if let Some(p) = &self.persona_id {
            q.push(" AND (k.persona_id = ").push_bind(p.clone());
            q.push(" OR EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id AND kp.persona_id = ");
            q.push_bind(p.clone()).push("))");
        }
        if let Some(t) = &self.source_type {
            q.push(" AND k.source_type = ").push_bind(t.clone());
        }
        if let Some(text) = &self.text {
            let like = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            // Case-insensitive on both engines: SQLite's LIKE ignores ASCII case, Postgres' does not.
            let like = like.to_lowercase();
            q.push(" AND (lower(k.title) LIKE ").push_bind(like.clone()).push(" ESCAPE '\\' OR lower(k.content) LIKE ");
            q.push_bind(like.clone()).push(" ESCAPE '\\' OR lower(k.url) LIKE ").push_bind(like).push(" ESCAPE '\\')");
        }
    }
}

/// Up to `limit` of the organisation's items matching `filter`, newest first, created before position `before`
/// when given (a page's cursor, [`CURSOR`]), with their personas.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &Db,
    org_id: &str,
    filter: &ListFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<KnowledgeResource>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    if let Some(seq) = before {
        q.push(" AND k.seq < ").push_bind(seq);
    }
    q.push(" ORDER BY k.seq DESC LIMIT ").push_bind(limit);
    let mut items: Vec<KnowledgeResource> = q.build_query_as().fetch_all(db).await?;
    complete(db, &mut items).await?;
    Ok(items)
}

/// How many of the organisation's items match `filter`.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    let mut q = Builder::new(COUNT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    q.build_query_scalar().fetch_one(db).await
}

/// Whether persona `persona_id` belongs to widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn persona_in_widget(tx: &mut Tx<'_>, persona_id: &str, widget_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar(PERSONA_OF_WIDGET).bind(persona_id).bind(widget_id).fetch_optional(&mut **tx).await?;
    Ok(found.is_some())
}

/// Replaces item `id`'s persona bindings with `personas` (the first is also its `persona_id`; none unbinds it).
///
/// # Errors
/// Database errors.
pub async fn bind_personas(tx: &mut Tx<'_>, id: &str, personas: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query(UNBIND).bind(id).execute(&mut **tx).await?;
    sqlx::query(SET_PERSONA).bind(personas.first()).bind(id).execute(&mut **tx).await?;
    for p in personas {
        sqlx::query(BIND).bind(id).bind(p).execute(&mut **tx).await?;
    }
    Ok(())
}

/// A new manual item `id` (its passages are [`crate::knowledge::chunks::index`]'s).
///
/// # Errors
/// Database errors.
pub async fn insert(
    tx: &mut Tx<'_>,
    id: &str,
    widget_id: &str,
    title: &str,
    content: &str,
    url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT).bind(id).bind(widget_id).bind(title).bind(content).bind(url).execute(&mut **tx).await?;
    Ok(())
}

/// Sets the given fields of item `id` (`None` keeps one) and marks it changed now.
///
/// # Errors
/// Database errors.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    title: Option<&str>,
    content: Option<&str>,
    url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(UPDATE))
        .bind(title)
        .bind(content)
        .bind(url)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes item `id` with its passages and bindings.
///
/// # Errors
/// Database errors.
pub async fn delete<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).execute(db).await?;
    Ok(())
}

/// A new knowledge item `id` for an imported product: what the AI quotes about it.
///
/// # Errors
/// Database errors.
pub async fn insert_product(
    tx: &mut Tx<'_>,
    id: &str,
    widget_id: &str,
    title: &str,
    content: &str,
    url: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_PRODUCT).bind(id).bind(widget_id).bind(title).bind(content).bind(url).execute(&mut **tx).await?;
    Ok(())
}

/// Rewrites the knowledge item `id` of an imported product and marks it changed now.
///
/// # Errors
/// Database errors.
pub async fn update_product(
    tx: &mut Tx<'_>,
    id: &str,
    title: &str,
    content: &str,
    url: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(UPDATE_PRODUCT))
        .bind(title)
        .bind(content)
        .bind(url)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether item `id` exists (an imported product's item may have been deleted through the API).
///
/// # Errors
/// Database errors.
pub async fn exists(tx: &mut Tx<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(EXISTS).bind(id).fetch_optional(&mut **tx).await?;
    Ok(found.is_some())
}

/// The ids of items with no passages yet (stored before chunking existed).
///
/// # Errors
/// Database errors.
pub async fn unchunked(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(UNCHUNKED).fetch_all(db).await
}

/// Item `id`'s title and content, if it exists.
///
/// # Errors
/// Database errors.
pub async fn text(tx: &mut Tx<'_>, id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(TEXT).bind(id).fetch_optional(&mut **tx).await
}

/// Deletes item `id`'s passages (and so their search entries and vectors).
///
/// # Errors
/// Database errors.
pub async fn delete_chunks(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE_CHUNKS).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Stores passage number `ord` of item `id` (indexed for search under the item's `title`).
///
/// # Errors
/// Database errors.
pub async fn insert_chunk(tx: &mut Tx<'_>, id: &str, ord: i64, title: &str, text: &str) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_CHUNK).bind(id).bind(ord).bind(title).bind(text).execute(&mut **tx).await?;
    Ok(())
}

/// The vectors of `model` of widget `widget_id`'s passages `persona_id` may use (its own items and the unbound
/// ones), with their passages.
///
/// # Errors
/// Database errors.
pub async fn vectors(
    db: &Db,
    widget_id: &str,
    persona_id: Option<&str>,
    model: &str,
) -> Result<Vec<VectorRow>, sqlx::Error> {
    sqlx::query_as(VECTORS).bind(widget_id).bind(model).bind(persona_id).fetch_all(db).await
}

/// Widget `widget_id`'s passages `persona_id` may use that match the FTS5 `query`, best first (BM25, titles
/// weighing most), at most `limit`. SQLite's full-text search; Postgres ranks the chunks' `search` column.
///
/// # Errors
/// Database errors.
pub async fn passages_sqlite(
    db: &Db,
    widget_id: &str,
    persona_id: Option<&str>,
    query: &str,
    limit: i64,
) -> Result<Vec<Passage>, sqlx::Error> {
    sqlx::query_as(PASSAGES_SQLITE).bind(query).bind(widget_id).bind(persona_id).bind(limit).fetch_all(db).await
}

/// [`passages_sqlite`] on Postgres: `tsquery` (words joined by `&` or `|`) against the chunks' weighted `search`
/// column, best first by `ts_rank_cd`, at most `limit`.
///
/// # Errors
/// Database errors.
pub async fn passages_postgres(
    db: &Db,
    widget_id: &str,
    persona_id: Option<&str>,
    tsquery: &str,
    limit: i64,
) -> Result<Vec<Passage>, sqlx::Error> {
    sqlx::query_as(PASSAGES_POSTGRES).bind(tsquery).bind(widget_id).bind(persona_id).bind(limit).fetch_all(db).await
}
