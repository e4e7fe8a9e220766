//! Moving a SQLite deployment to PostgreSQL (`quincer-server export --data DIR --to postgres://…`): every row of
//! every table, in one Postgres transaction, checked by counting both sides before it commits.
//!
//! The two schemas are the same column for column (`server/tests/postgres_schema.rs` keeps them so), so rows are
//! copied by column name; flags turn from SQLite's 0/1 into booleans; each product's weighted `search` vector is
//! computed from the texts SQLite's `products_fts` holds for it; identity counters continue after the copied
//! `seq`s. A table this module does not know stops the export before anything is written, so a new table cannot
//! be left behind silently.

use std::collections::BTreeSet;

use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::sqlite::SqliteRow;
use sqlx::{PgPool, Postgres, Row, SqlitePool};

// Each product's search vector, weighted as the storage layer writes it.
use crate::store::products::SEARCH_POSTGRES as PRODUCT_SEARCH;

/// The tables, parents before children (foreign keys), and whether their `seq` is an identity counter.
const TABLES: &[(&str, bool)] = &[
    ("organizations", false),
    ("widgets", true),
    ("widget_keys", false),
    // Before developer keys, which may be bound to a member.
    ("members", true),
    ("member_sessions", false),
    ("developer_keys", false),
    ("personas", true),
    ("knowledge_items", true),
    ("knowledge_personas", false),
    ("knowledge_chunks", true),
    ("visitors", false),
    ("conversations", true),
    ("messages", true),
    // `seq` here is the conversation's own event number, not a counter of the table.
    ("conversation_events", false),
    ("webhooks", true),
    ("webhook_deliveries", true),
    ("products", true),
    ("leads", true),
    ("lead_stage_changes", true),
    ("lead_emails", true),
    ("tasks", true),
    ("playbook_entries", true),
    // Last: the products' triggers wrote counters of their own while products were copied; these replace them.
    ("catalog_versions", false),
];

/// Rows per multi-row `INSERT`: well under Postgres' 65,535 bind parameters for the widest table.
const BATCH: usize = 200;

/// Why an export stopped; nothing was written to the target.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target already holds data: exporting into it would mix two deployments.
    #[error("the target database is not empty ({0} organisations): export into a new, empty database")]
    TargetNotEmpty(i64),
    /// The SQLite database has tables this version does not know how to copy.
    #[error("the SQLite database has tables the export does not know: {0} (upgrade quincer-server)")]
    UnknownTables(String),
    /// A table's row counts differ after the copy.
    #[error("table {table}: {source_rows} rows in SQLite, {target_rows} in Postgres after the copy")]
    CountMismatch {
        /// The table.
        table: String,
        /// Rows in the SQLite database.
        source_rows: i64,
        /// Rows in Postgres after the copy.
        target_rows: i64,
    },
    /// Migrating the target failed.
    #[error("migrating the target database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A database error on either side.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// What was copied: each table and its rows, in copy order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Table name and rows copied.
    pub tables: Vec<(String, i64)>,
}

/// Copies every row of `sqlite` into `postgres` (migrated first; it must hold no data), in one transaction that
/// commits only when every table's count matches.
///
/// # Errors
/// [`ExportError`]: a non-empty target, unknown tables, a count mismatch, or a database error.
pub async fn to_postgres(sqlite: &SqlitePool, postgres: &PgPool) -> Result<Report, ExportError> {
    let unknown = unknown_tables(sqlite).await?;
    if !unknown.is_empty() {
        return Err(ExportError::UnknownTables(unknown.join(", ")));
    }
    crate::db::POSTGRES_MIGRATOR.run(postgres).await?;
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM organizations").fetch_one(postgres).await?;
    if existing > 0 {
        return Err(ExportError::TargetNotEmpty(existing));
    }
    let mut tx = postgres.begin().await?;
    let mut report = Report { tables: Vec::new() };
    for &(table, identity) in TABLES {
        if table == "catalog_versions" {
            sqlx::query("DELETE FROM catalog_versions").execute(&mut *tx).await?;
        }
        copy_table(sqlite, &mut tx, table).await?;
        if identity {
            let reset = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'seq'), COALESCE(MAX(seq), 0) + 1, false) FROM {table}"
            );
            sqlx::query(&reset).execute(&mut *tx).await?;
        }
        if table == "products" {
            product_search(sqlite, &mut tx).await?;
        }
        let source_rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(sqlite).await?;
        let target_rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&mut *tx).await?;
        if source_rows != target_rows {
            return Err(ExportError::CountMismatch { table: table.to_owned(), source_rows, target_rows });
        }
        report.tables.push((table.to_owned(), target_rows));
    }
    tx.commit().await?;
    Ok(report)
}

/// SQLite tables that are neither in [`TABLES`] nor SQLite's own (FTS5 shadow tables, migrations, sequences).
async fn unknown_tables(sqlite: &SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT LIKE '%_fts' AND name NOT LIKE '%_fts_%' AND name != '_sqlx_migrations'",
    )
    .fetch_all(sqlite)
    .await?;
    let known: BTreeSet<&str> = TABLES.iter().map(|(name, _)| *name).collect();
    Ok(names.into_iter().filter(|name| !known.contains(name.as_str())).collect())
}

/// How a column's values travel: SQLite's declared type, and whether Postgres keeps it as a boolean.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Flag,
    Blob,
}

/// The columns of `table` with their [`Kind`], from both schemas.
async fn columns(
    sqlite: &SqlitePool,
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
) -> Result<Vec<(String, Kind)>, sqlx::Error> {
    let flags: BTreeSet<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'boolean'",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    let rows =
        sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid").bind(table).fetch_all(sqlite).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (name, ty): (String, String) = (row.get("name"), row.get::<String, _>("type").to_uppercase());
            let kind = match ty.as_str() {
                _ if flags.contains(&name) => Kind::Flag,
                "INTEGER" => Kind::Integer,
                "BLOB" => Kind::Blob,
                _ => Kind::Text,
            };
            (name, kind)
        })
        .collect())
}

/// Copies every row of `table`, [`BATCH`] rows per statement.
async fn copy_table(
    sqlite: &SqlitePool,
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
) -> Result<(), sqlx::Error> {
    let columns = columns(sqlite, tx, table).await?;
    let names = columns.iter().map(|(name, _)| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(&format!("SELECT {names} FROM {table} ORDER BY rowid")).fetch_all(sqlite).await?;
    for batch in rows.chunks(BATCH) {
        let mut insert = sqlx::QueryBuilder::<Postgres>::new(format!("INSERT INTO {table} ({names}) "));
        insert.push_values(batch, |mut values, row| {
            for (i, (_, kind)) in columns.iter().enumerate() {
                push_value(&mut values, row, i, *kind);
            }
        });
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Binds column `i` of `row` as Postgres expects it.
fn push_value(
    values: &mut sqlx::query_builder::Separated<'_, '_, Postgres, &str>,
    row: &SqliteRow,
    i: usize,
    kind: Kind,
) {
    match kind {
        Kind::Text => values.push_bind(row.get::<Option<String>, _>(i)),
        Kind::Integer => values.push_bind(row.get::<Option<i64>, _>(i)),
        Kind::Flag => values.push_bind(row.get::<Option<i64>, _>(i).map(|flag| flag != 0)),
        Kind::Blob => values.push_bind(row.get::<Option<Vec<u8>>, _>(i)),
    };
}

/// Writes each product's `search` vector from the texts `products_fts` holds for it.
async fn product_search(sqlite: &SqlitePool, tx: &mut sqlx::Transaction<'_, Postgres>) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT rowid, title, product_type, tags, option_values, vendor, body_text FROM products_fts ORDER BY rowid",
    )
    .fetch_all(sqlite)
    .await?;
    for row in rows {
        let mut update: Query<'_, Postgres, PgArguments> = sqlx::query(PRODUCT_SEARCH).bind(row.get::<i64, _>(0));
        for column in 1..=6 {
            update = update.bind(row.get::<Option<String>, _>(column).unwrap_or_default());
        }
        update.execute(&mut **tx).await?;
    }
    Ok(())
}
