//! Leads and their stage history: created and changed through the developer API, and captured from visitors (the
//! chat's lead form, the host page's `identify`). What a change means (its webhooks, when a lead may be created)
//! is [`crate::leads`]'s; this module reads and writes the rows.

use super::Builder;

use super::{now_sql, Db, Dialect, Exec, Tx};
use crate::leads::{Captured, Lead, StageChange};

/// Every column of a lead, joined to its widget (for the organisation check); followed by the organisation.
const SELECT: &str = "SELECT l.id, l.widget_id, l.conversation_id, l.visitor_id, l.name, l.email, l.phone,
        l.company, l.job_title, l.stage, l.temperature, l.score, l.tags, l.assigned_to, l.source, l.budget,
        l.authority, l.need, l.timeline, l.notes, l.created_at, l.updated_at
    FROM leads l JOIN widgets w ON w.id = l.widget_id WHERE w.org_id = ";
/// Counts an organisation's leads; followed by the organisation.
const COUNT: &str = "SELECT COUNT(*) FROM leads l JOIN widgets w ON w.id = l.widget_id WHERE w.org_id = ";
/// The list cursor: the position of lead `$2` among organisation `$1`'s.
pub const CURSOR: &str =
    "SELECT l.seq FROM leads l JOIN widgets w ON w.id = l.widget_id WHERE w.org_id = $1 AND l.id = $2";
/// A lead's stage history, oldest first.
const STAGE_HISTORY: &str =
    "SELECT previous_stage, stage, changed_at FROM lead_stage_changes WHERE lead_id = $1 ORDER BY seq";
/// Records a stage move.
const RECORD_STAGE: &str = "INSERT INTO lead_stage_changes (lead_id, previous_stage, stage) VALUES ($1, $2, $3)";
/// The visitor's lead on a widget.
const OF_VISITOR: &str = "SELECT id FROM leads WHERE visitor_id = $1 AND widget_id = $2";
/// The lead captured details belong to: the visitor's own, else the widget's lead with the same email address
/// (one linked to a visitor first, then the newest; spelt with `CASE` because engines sort `NULL` differently). `COLLATE NOCASE` is SQLite's, matching the `leads_email` index; Postgres compares `lower(email)`.
const FIND_FOR_CAPTURE: &str = "SELECT id FROM leads
    WHERE widget_id = $1 AND (visitor_id = $2 OR ($3 IS NOT NULL AND email = $3 COLLATE NOCASE))
    ORDER BY CASE WHEN visitor_id = $2 THEN 0 WHEN visitor_id IS NOT NULL THEN 1 ELSE 2 END, seq DESC LIMIT 1";
/// [`FIND_FOR_CAPTURE`] on Postgres, served by its `lower(email)` index.
const FIND_FOR_CAPTURE_POSTGRES: &str = "SELECT id FROM leads
    WHERE widget_id = $1 AND (visitor_id = $2 OR ($3 IS NOT NULL AND lower(email) = lower($3)))
    ORDER BY CASE WHEN visitor_id = $2 THEN 0 WHEN visitor_id IS NOT NULL THEN 1 ELSE 2 END, seq DESC LIMIT 1";
/// Merges captured details into a lead; changes nothing (and touches no time) when they are already there.
const MERGE_CAPTURED: &str = concat!(
    "UPDATE leads SET name = COALESCE($1, name), email = COALESCE($2, email), phone = COALESCE($3, phone),
        visitor_id = COALESCE(visitor_id, $4), conversation_id = COALESCE($5, conversation_id), updated_at = ",
    now_sql!(),
    " WHERE id = $6 AND (COALESCE($1, name) IS DISTINCT FROM name OR COALESCE($2, email) IS DISTINCT FROM email
        OR COALESCE($3, phone) IS DISTINCT FROM phone OR visitor_id IS NULL
        OR ($5 IS NOT NULL AND conversation_id IS DISTINCT FROM $5))"
);
/// A lead captured from a visitor.
const INSERT_CAPTURED: &str =
    "INSERT INTO leads (id, widget_id, conversation_id, visitor_id, name, email, phone, source)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
/// A lead created through the API; absent fields take the columns' defaults.
const INSERT: &str = "INSERT INTO leads (id, widget_id, conversation_id, name, email, phone, company, job_title,
        stage, temperature, score, tags, assigned_to, budget, authority, need, timeline, notes, source)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, 'cold'), COALESCE($11, 0), COALESCE($12, '[]'),
        $13, $14, $15, $16, $17, $18, 'api')";
/// Marks a lead changed now.
const TOUCH: &str = concat!("UPDATE leads SET updated_at = ", now_sql!(), " WHERE id = $1");
/// Deletes a lead (its history goes with it).
const DELETE: &str = "DELETE FROM leads WHERE id = $1";

/// Text columns a create or update may set. Update statements name them, so only these names are accepted.
pub const TEXT_COLUMNS: &[&str] = &[
    "name",
    "email",
    "phone",
    "company",
    "job_title",
    "assigned_to",
    "budget",
    "authority",
    "need",
    "timeline",
    "notes",
];

/// Column values a create or update sets; `None` leaves a column as it is (on create: its default).
#[derive(Debug, Default, Clone)]
pub struct Fields {
    /// Text columns (from [`TEXT_COLUMNS`]) with their values (`None`: cleared).
    pub text: Vec<(&'static str, Option<String>)>,
    /// Pipeline stage.
    pub stage: Option<String>,
    /// Temperature.
    pub temperature: Option<String>,
    /// Score, 0–100.
    pub score: Option<i64>,
    /// Tags, as a JSON array.
    pub tags: Option<String>,
}

impl Fields {
    /// The value set for text column `name` (`None` when not set or cleared).
    fn text(&self, name: &str) -> Option<&str> {
        self.text.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.as_deref())
    }
}

/// Lead `id` if it belongs to `org_id`, with its stage history.
///
/// # Errors
/// Database errors.
pub async fn load(tx: &mut Tx<'_>, org_id: &str, id: &str) -> Result<Option<Lead>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id).push(" AND l.id = ").push_bind(id);
    let lead: Option<Lead> = q.build_query_as().fetch_optional(&mut **tx).await?;
    let Some(mut lead) = lead else { return Ok(None) };
    lead.object = "lead";
    let history: Vec<StageChange> = sqlx::query_as(STAGE_HISTORY).bind(id).fetch_all(&mut **tx).await?;
    lead.stage_history = Some(history);
    lead.tasks = Some(super::tasks::of_lead(&mut **tx, id, crate::tasks::LEAD_HISTORY).await?);
    Ok(Some(lead))
}

/// Records a stage move (or the first stage, with `previous = None`).
///
/// # Errors
/// Database errors.
pub async fn record_stage<'e>(
    db: impl Exec<'e>,
    lead_id: &str,
    previous: Option<&str>,
    stage: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(RECORD_STAGE).bind(lead_id).bind(previous).bind(stage).execute(db).await?;
    Ok(())
}

/// The id of the visitor's lead on the widget, if any.
///
/// # Errors
/// Database errors.
pub async fn of_visitor(tx: &mut Tx<'_>, visitor_id: &str, widget_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(OF_VISITOR).bind(visitor_id).bind(widget_id).fetch_optional(&mut **tx).await
}

/// The lead captured details update: the visitor's own on the widget, else the widget's newest lead with the
/// same email address (compared without case).
///
/// # Errors
/// Database errors.
pub async fn find_for_capture(
    tx: &mut Tx<'_>,
    widget_id: &str,
    visitor_id: &str,
    email: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    let sql = Dialect::of_connection(tx).pick(FIND_FOR_CAPTURE, FIND_FOR_CAPTURE_POSTGRES);
    sqlx::query_scalar(sql).bind(widget_id).bind(visitor_id).bind(email).fetch_optional(&mut **tx).await
}

/// Merges captured `details` into lead `id` (given ones replace stored ones, absent ones are kept), links the
/// visitor if none is, and the conversation when given. Returns whether anything changed.
///
/// # Errors
/// Database errors.
pub async fn merge_captured(
    tx: &mut Tx<'_>,
    id: &str,
    visitor_id: &str,
    conversation_id: Option<&str>,
    details: &Captured,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(Dialect::of_connection(tx).sql(MERGE_CAPTURED))
        .bind(&details.name)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(visitor_id)
        .bind(conversation_id)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// Where a captured lead comes from.
#[derive(Debug, Clone, Copy)]
pub struct CapturedFrom<'a> {
    /// The widget.
    pub widget_id: &'a str,
    /// The visitor.
    pub visitor_id: &'a str,
    /// The conversation, if any.
    pub conversation_id: Option<&'a str>,
    /// `chat_form` or `identify`.
    pub source: &'a str,
}

/// Stores a new lead `id` from captured `details`.
///
/// # Errors
/// Database errors.
pub async fn insert_captured(
    tx: &mut Tx<'_>,
    id: &str,
    from: CapturedFrom<'_>,
    details: &Captured,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_CAPTURED)
        .bind(id)
        .bind(from.widget_id)
        .bind(from.conversation_id)
        .bind(from.visitor_id)
        .bind(&details.name)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(from.source)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores a new lead `id` created through the API, in stage `stage`.
///
/// # Errors
/// Database errors.
pub async fn insert(
    tx: &mut Tx<'_>,
    id: &str,
    widget_id: &str,
    conversation_id: Option<&str>,
    stage: &str,
    fields: &Fields,
) -> Result<(), sqlx::Error> {
    let mut q = sqlx::query(INSERT).bind(id).bind(widget_id).bind(conversation_id);
    for column in ["name", "email", "phone", "company", "job_title"] {
        q = q.bind(fields.text(column));
    }
    q = q.bind(stage).bind(&fields.temperature).bind(fields.score).bind(&fields.tags);
    for column in ["assigned_to", "budget", "authority", "need", "timeline", "notes"] {
        q = q.bind(fields.text(column));
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Sets the given `fields` of lead `id` (its `updated_at` is left to [`touch`], once the caller knows something
/// changed). Text columns outside [`TEXT_COLUMNS`] are ignored.
///
/// # Errors
/// Database errors.
pub async fn update_fields(tx: &mut Tx<'_>, id: &str, fields: &Fields) -> Result<(), sqlx::Error> {
    // `seq = seq` starts the list, so every set column follows a comma.
    let mut q = Builder::new("UPDATE leads SET seq = seq");
    for (column, value) in &fields.text {
        if let Some(column) = TEXT_COLUMNS.iter().find(|c| *c == column) {
            q.push(format!(", {column} = ")).push_bind(value.clone());
        }
    }
    for (column, value) in [("stage", &fields.stage), ("temperature", &fields.temperature), ("tags", &fields.tags)] {
        if let Some(v) = value {
            q.push(format!(", {column} = ")).push_bind(v.clone());
        }
    }
    if let Some(score) = fields.score {
        q.push(", score = ").push_bind(score);
    }
    q.push(" WHERE id = ").push_bind(id.to_owned());
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// Marks lead `id` as changed now.
///
/// # Errors
/// Database errors.
pub async fn touch(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(TOUCH)).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Deletes lead `id` and its stage history.
///
/// # Errors
/// Database errors.
pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).execute(db).await?;
    Ok(())
}

/// Which leads a list shows (all given ones must match).
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Only this widget's.
    pub widget_id: Option<String>,
    /// Only these stages (empty: any).
    pub stages: Vec<String>,
    /// Only these temperatures (empty: any).
    pub temperatures: Vec<String>,
    /// Only those assigned to this owner.
    pub assigned_to: Option<String>,
    /// Only those changed at or after this stored-form time.
    pub updated_since: Option<String>,
}

impl ListFilter {
    /// Appends the filter as `AND …` clauses.
    fn push(&self, q: &mut Builder<'_>) {
        if let Some(w) = &self.widget_id {
            q.push(" AND l.widget_id = ").push_bind(w.clone());
        }
        for (column, values) in [("l.stage", &self.stages), ("l.temperature", &self.temperatures)] {
            if !values.is_empty() {
                q.push(format!(" AND {column} IN ("));
                let mut sep = q.separated(", ");
                for v in values {
                    sep.push_bind(v.clone());
                }
                q.push(")");
            }
        }
        if let Some(a) = &self.assigned_to {
            q.push(" AND l.assigned_to = ").push_bind(a.clone());
        }
        if let Some(s) = &self.updated_since {
            q.push(" AND l.updated_at >= ").push_bind(s.clone());
        }
    }
}

/// Up to `limit` of the organisation's leads matching `filter`, newest first, created before position `before`
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
) -> Result<Vec<Lead>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    if let Some(seq) = before {
        q.push(" AND l.seq < ").push_bind(seq);
    }
    q.push(" ORDER BY l.seq DESC LIMIT ").push_bind(limit);
    let mut rows: Vec<Lead> = q.build_query_as().fetch_all(db).await?;
    for lead in &mut rows {
        lead.object = "lead";
    }
    Ok(rows)
}

/// How many of the organisation's leads match `filter`.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    let mut q = Builder::new(COUNT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    q.build_query_scalar().fetch_one(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn setup() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(dir.path()).await.expect("open db");
        for sql in [
            "INSERT INTO organizations (id, name) VALUES ('org', 'Org')",
            "INSERT INTO widgets (id, org_id, brand) VALUES ('wgt', 'org', 'Brand')",
            "INSERT INTO visitors (id, widget_id, token_hash) VALUES ('ann', 'wgt', 'h1')",
            "INSERT INTO visitors (id, widget_id, token_hash) VALUES ('bob', 'wgt', 'h2')",
            "INSERT INTO conversations (id, widget_id, visitor_id) VALUES ('conv', 'wgt', 'bob')",
        ] {
            sqlx::query(sql).execute(&db).await.expect("fixture row");
        }
        (dir, db)
    }

    fn details(name: Option<&str>, email: Option<&str>) -> Captured {
        Captured { name: name.map(Into::into), email: email.map(Into::into), phone: None }
    }

    #[tokio::test]
    async fn capture_finds_the_visitors_lead_then_one_with_the_same_address() {
        let (_dir, db) = setup().await;
        let mut tx = db.begin().await.unwrap();
        let from =
            |visitor_id| CapturedFrom { widget_id: "wgt", visitor_id, conversation_id: None, source: "identify" };
        insert_captured(&mut tx, "lead_ann", from("ann"), &details(Some("Ann"), Some("ann@example.com")))
            .await
            .unwrap();
        assert_eq!(find_for_capture(&mut tx, "wgt", "ann", None).await.unwrap().as_deref(), Some("lead_ann"));
        // Another visitor with Ann's address, spelt in capitals, finds her lead; with none, nothing.
        let found = find_for_capture(&mut tx, "wgt", "bob", Some("ANN@example.com")).await.unwrap();
        assert_eq!(found.as_deref(), Some("lead_ann"));
        assert_eq!(find_for_capture(&mut tx, "wgt", "bob", None).await.unwrap(), None);
        // Once Bob has his own lead, his own comes first even when the address is Ann's.
        insert_captured(&mut tx, "lead_bob", from("bob"), &details(Some("Bob"), None)).await.unwrap();
        let found = find_for_capture(&mut tx, "wgt", "bob", Some("ann@example.com")).await.unwrap();
        assert_eq!(found.as_deref(), Some("lead_bob"));
    }

    #[tokio::test]
    async fn merging_the_same_details_changes_nothing() {
        let (_dir, db) = setup().await;
        let mut tx = db.begin().await.unwrap();
        let from = CapturedFrom { widget_id: "wgt", visitor_id: "bob", conversation_id: None, source: "chat_form" };
        insert_captured(&mut tx, "lead", from, &details(Some("Bob"), Some("bob@example.com"))).await.unwrap();
        let same = details(None, Some("bob@example.com"));
        assert!(!merge_captured(&mut tx, "lead", "bob", None, &same).await.unwrap(), "nothing new");
        assert!(merge_captured(&mut tx, "lead", "bob", Some("conv"), &same).await.unwrap(), "linked to a conversation");
        assert!(!merge_captured(&mut tx, "lead", "bob", Some("conv"), &same).await.unwrap(), "already linked");
        let renamed = details(Some("Robert"), None);
        assert!(merge_captured(&mut tx, "lead", "bob", None, &renamed).await.unwrap());
        let lead = load(&mut tx, "org", "lead").await.unwrap().expect("the lead");
        let got = (lead.name.as_deref(), lead.email.as_deref(), lead.conversation_id.as_deref());
        assert_eq!(got, (Some("Robert"), Some("bob@example.com"), Some("conv")));
        assert_eq!(load(&mut tx, "other_org", "lead").await.unwrap().map(|l| l.id), None, "another organisation's");
    }
}
