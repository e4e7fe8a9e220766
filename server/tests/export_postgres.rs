//! `quincer-server export`: a SQLite deployment (the demo workspace, its store and a conversation) moves into
//! PostgreSQL row for row, and the copy works there: flags, vectors, search, counters.

mod common;

use common::postgres::{admin_url, fresh_database};
use common::{chat_body, TestServer, SHIPPING_QUESTION};
use quincer_server::export::{self, ExportError};
use sqlx::postgres::PgPoolOptions;

#[tokio::test]
async fn a_sqlite_deployment_moves_to_postgres_row_for_row() {
    let Some(admin) = admin_url("a_sqlite_deployment_moves_to_postgres_row_for_row") else { return };
    // A SQLite deployment, whichever backend the other tests run on.
    let server = TestServer::start_on(tempfile::tempdir().unwrap(), None, TestServer::policy(), |_| {}).await;
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_export", "m1", SHIPPING_QUESTION)).await;
    server.chat_ok(&token, &chat_body("conv_export", "m2", "Show me rain jackets")).await;
    // A takeover and a handback: two audit rows.
    for action in ["takeover", "handback"] {
        let url = server.url(&format!("/api/v1/conversations/conv_export/{action}"));
        let resp = server.client.post(url).bearer_auth(&server.keys.dev_key).send().await.unwrap();
        assert!(resp.status().is_success(), "{action}: {}", resp.status());
    }
    let sqlite = server.sqlite().await;
    let postgres = PgPoolOptions::new().connect(&fresh_database(&admin).await).await.unwrap();

    let report = export::to_postgres(&sqlite, &postgres).await.expect("export");
    for (table, rows) in &report.tables {
        let source: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&sqlite).await.unwrap();
        assert_eq!(*rows, source, "{table}");
    }
    let rows = |table: &str| report.tables.iter().find(|(name, _)| name == table).map(|(_, rows)| *rows).unwrap();
    assert!(rows("products") > 50 && rows("knowledge_chunks") > 5, "the demo store and its knowledge");
    assert_eq!((rows("conversations"), rows("messages")), (1, 4), "the conversation: two questions, two answers");
    assert_eq!(rows("audit_log"), 2, "who took it over and handed it back");

    // Flags arrive as booleans, vectors byte for byte, and the message's stored panel query as written.
    let flags: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT seq, available, on_sale FROM products ORDER BY seq").fetch_all(&sqlite).await.unwrap();
    let copied: Vec<(i64, bool, bool)> =
        sqlx::query_as("SELECT seq, available, on_sale FROM products ORDER BY seq").fetch_all(&postgres).await.unwrap();
    assert_eq!(flags.iter().map(|(s, a, o)| (*s, *a != 0, *o != 0)).collect::<Vec<_>>(), copied);
    let texts = "SELECT id, text, product_query FROM messages ORDER BY seq";
    let before: Vec<(String, String, Option<String>)> = sqlx::query_as(texts).fetch_all(&sqlite).await.unwrap();
    let after: Vec<(String, String, Option<String>)> = sqlx::query_as(texts).fetch_all(&postgres).await.unwrap();
    assert_eq!(before, after);
    let vectors = "SELECT seq, embedding FROM knowledge_chunks ORDER BY seq";
    let before: Vec<(i64, Option<Vec<u8>>)> = sqlx::query_as(vectors).fetch_all(&sqlite).await.unwrap();
    let after: Vec<(i64, Option<Vec<u8>>)> = sqlx::query_as(vectors).fetch_all(&postgres).await.unwrap();
    assert_eq!(before, after);

    // Each product's search vector comes from its FTS text: a word finds the same products on both sides.
    let fts: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM products_fts WHERE products_fts MATCH 'jacket' ORDER BY rowid")
            .fetch_all(&sqlite)
            .await
            .unwrap();
    let tsv: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM products WHERE search @@ to_tsquery('english', 'jacket') ORDER BY seq")
            .fetch_all(&postgres)
            .await
            .unwrap();
    assert!(!fts.is_empty());
    assert_eq!(fts, tsv);

    // Counters continue after the copied rows: a new widget gets the next `seq`.
    let max: i64 = sqlx::query_scalar("SELECT max(seq) FROM widgets").fetch_one(&postgres).await.unwrap();
    let org: String = sqlx::query_scalar("SELECT id FROM organizations LIMIT 1").fetch_one(&postgres).await.unwrap();
    let seq: i64 =
        sqlx::query_scalar("INSERT INTO widgets (id, org_id, brand) VALUES ('w_new', $1, 'New') RETURNING seq")
            .bind(&org)
            .fetch_one(&postgres)
            .await
            .unwrap();
    assert_eq!(seq, max + 1);

    // A second export into the same database is refused, and changes nothing.
    let again = export::to_postgres(&sqlite, &postgres).await;
    assert!(matches!(again, Err(ExportError::TargetNotEmpty(_))), "{again:?}");
    let conversations: i64 =
        sqlx::query_scalar("SELECT count(*) FROM conversations").fetch_one(&postgres).await.unwrap();
    assert_eq!(conversations, 1);
}
