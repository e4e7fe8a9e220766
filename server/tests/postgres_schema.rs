//! The PostgreSQL schema (`migrations/postgres`) is the SQLite schema (`migrations`) column for column, and its
//! dialect-specific parts (triggers, full-text search, time format, JSON checks) behave as SQLite's do.

mod common;

use std::collections::BTreeMap;

use common::postgres::{admin_url, migrated_pool};
use sqlx::{PgPool, Row, SqlitePool};

/// Columns Postgres has and SQLite keeps elsewhere (SQLite's FTS5 tables hold the text search, its `rowid` the
/// order of keys and persona bindings).
const POSTGRES_ONLY: &[(&str, &str)] =
    &[("products", "search"), ("knowledge_chunks", "search"), ("widget_keys", "seq"), ("knowledge_personas", "seq")];

/// Tables only Postgres has: counters SQLite deployments (one process) keep in memory.
const POSTGRES_ONLY_TABLES: &[&str] = &["rate_limit_windows"];

/// table → column → (type, nullable), with types as the shared code sees them.
type Schema = BTreeMap<String, BTreeMap<String, (String, bool)>>;

async fn sqlite_schema(db: &SqlitePool) -> Schema {
    let rows = sqlx::query(
        "SELECT m.name AS tbl, c.name AS col, c.type AS ty, c.\"notnull\" AS not_null, c.pk AS pk
         FROM sqlite_master m JOIN pragma_table_info(m.name) c
         WHERE m.type = 'table' AND m.name NOT LIKE '%fts%' AND m.name NOT LIKE 'sqlite_%'
           AND m.name != '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in rows {
        let ty: String = row.get("ty");
        // A primary key is never null, whatever SQLite's table_info says of it.
        let nullable = row.get::<i64, _>("not_null") == 0 && row.get::<i64, _>("pk") == 0;
        schema.entry(row.get("tbl")).or_default().insert(row.get("col"), (ty.to_lowercase(), nullable));
    }
    schema
}

async fn postgres_schema(db: &PgPool) -> Schema {
    let rows = sqlx::query(
        "SELECT table_name::text AS tbl, column_name::text AS col, data_type::text AS ty, is_nullable::text AS nullable
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name != '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in rows {
        let (table, column): (String, String) = (row.get("tbl"), row.get("col"));
        if POSTGRES_ONLY.contains(&(table.as_str(), column.as_str())) || POSTGRES_ONLY_TABLES.contains(&table.as_str())
        {
            continue;
        }
        let ty = match row.get::<String, _>("ty").as_str() {
            "text" => "text",
            "bigint" => "integer",
            // SQLite keeps flags as 0/1 integers; both decode to bool.
            "boolean" => "integer",
            "bytea" => "blob",
            other => panic!("{table}.{column}: type {other} has no SQLite counterpart"),
        };
        schema.entry(table).or_default().insert(column, (ty.to_owned(), row.get::<String, _>("nullable") == "YES"));
    }
    schema
}

#[tokio::test]
async fn postgres_has_every_table_and_column_of_sqlite() {
    let Some(admin) = admin_url("postgres_has_every_table_and_column_of_sqlite") else { return };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = quincer_server::db::open_sqlite(dir.path()).await.unwrap();
    let postgres = migrated_pool(&admin).await;
    let (expected, actual) = (sqlite_schema(&sqlite).await, postgres_schema(&postgres).await);
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "the same tables on both backends"
    );
    for (table, columns) in &expected {
        assert_eq!(columns, &actual[table], "table {table}: columns, types and nullability");
    }
}

#[tokio::test]
async fn postgres_triggers_times_json_and_search_behave_like_sqlite() {
    let Some(admin) = admin_url("postgres_triggers_times_json_and_search_behave_like_sqlite") else { return };
    let db = migrated_pool(&admin).await;
    let exec = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query(sql).execute(&db).await }
    };
    exec("INSERT INTO organizations (id, name) VALUES ('org', 'Org')").await.unwrap();
    exec("INSERT INTO widgets (id, org_id, brand) VALUES ('w', 'org', 'Shop')").await.unwrap();

    // Times: the same RFC 3339 text SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') writes.
    let created: String = sqlx::query_scalar("SELECT created_at FROM widgets").fetch_one(&db).await.unwrap();
    let shape = created.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect::<String>();
    assert_eq!(shape, "9999-99-99T99:99:99.999Z", "{created}");

    // The catalog version: bumped by every insert, update and delete of a product, dropped with the widget.
    let version = || {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT version FROM catalog_versions WHERE widget_id = 'w'")
                .fetch_optional(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(version().await, None);
    exec("INSERT INTO products (widget_id, product_id, title, handle, url) VALUES ('w', 1, 'Tent', 'tent', 'u')")
        .await
        .unwrap();
    assert_eq!(version().await, Some(1));
    exec("UPDATE products SET title = 'Basecamp Tent'").await.unwrap();
    assert_eq!(version().await, Some(2));
    exec("DELETE FROM products").await.unwrap();
    assert_eq!(version().await, Some(3));
    exec("INSERT INTO products (widget_id, product_id, title, handle, url) VALUES ('w', 2, 'Mat', 'mat', 'u')")
        .await
        .unwrap();
    exec("DELETE FROM widgets WHERE id = 'w'").await.unwrap();
    assert_eq!(version().await, None, "a deleted widget leaves no counter behind");

    // JSON columns refuse text that is not JSON, as SQLite's json_valid checks do.
    exec("INSERT INTO widgets (id, org_id, brand) VALUES ('w2', 'org', 'Shop')").await.unwrap();
    let bad = exec("INSERT INTO visitors (id, widget_id, token_hash, traits) VALUES ('v', 'w2', 'h', '{nope')").await;
    assert!(bad.is_err(), "invalid JSON traits are refused");
    exec("INSERT INTO visitors (id, widget_id, token_hash, traits) VALUES ('v', 'w2', 'h', '{\"plan\": \"pro\"}')")
        .await
        .unwrap();

    // Knowledge passages are searchable by stem, titles first, as with FTS5's porter tokenizer.
    exec("INSERT INTO knowledge_items (id, widget_id, title, content) VALUES ('k', 'w2', 'Shipping', 'x')")
        .await
        .unwrap();
    exec(
        "INSERT INTO knowledge_chunks (knowledge_id, ord, title, text) VALUES
         ('k', 0, 'Shipping', 'We send parcels worldwide.'),
         ('k', 1, 'Returns', 'Items shipped back within 30 days are refunded.')",
    )
    .await
    .unwrap();
    let found: Vec<i64> = sqlx::query_scalar(
        "SELECT ord FROM knowledge_chunks WHERE search @@ websearch_to_tsquery('english', $1)
         ORDER BY ts_rank_cd(search, websearch_to_tsquery('english', $1)) DESC, ord",
    )
    .bind("ship")
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(found, [0, 1], "\"ship\" finds \"Shipping\" (a title, ranked first) and \"shipped\"");
}

#[tokio::test]
async fn instances_migrating_one_database_together_do_not_race() {
    let Some(admin) = admin_url("instances_migrating_one_database_together_do_not_race") else { return };
    let url = common::postgres::fresh_database(&admin).await;
    // Three `quincer-server migrate` processes at once, as three instances starting together would.
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_quincer-server"))
                    .args(["migrate", "--database-url", &url])
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for run in runs {
        let out = run.join().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("PostgreSQL schema up to date"));
    }
    let db = sqlx::PgPool::connect(&url).await.unwrap();
    let applied: i64 =
        sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success").fetch_one(&db).await.unwrap();
    assert_eq!(applied, quincer_server::db::POSTGRES_MIGRATOR.iter().count() as i64, "each migration applied once");
}
