//! Integration tests of the knowledge base as the AI uses it: long items are split into passages, the chat answers
//! from the passage that matches, and updates and deletes keep the passages in step.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const FACT: &str = "Our Rotterdam warehouse ships orders to Iceland every Tuesday by sea freight.";

/// A long handbook: many paragraphs about other things, with `FACT` deep inside.
fn handbook(with_fact: bool) -> String {
    let mut paragraphs: Vec<String> = (0..40)
        .map(|i| format!("Section {i}. Our staff handbook covers opening hours, uniforms, parking permits and lunch breaks in detail, number {i}."))
        .collect();
    if with_fact {
        paragraphs.insert(23, FACT.to_owned());
    }
    paragraphs.join("\n\n")
}

impl TestServer {
    fn knowledge(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1/knowledge{path}"))).bearer_auth(&self.keys.dev_key)
    }

    async fn ask(&self, conversation: &str, question: &str) -> String {
        let token = self.new_visitor().await;
        let stream = self.chat_ok(&token, &chat_body(conversation, "m1", question)).await;
        stream.assert_complete_answer();
        stream.text()
    }
}

#[tokio::test]
async fn long_items_are_answered_from_the_matching_passage_and_kept_in_step() {
    let server = TestServer::start().await;
    let resp =
        server.knowledge(Method::POST, "").json(&json!({"title": "Staff handbook", "content": handbook(true)})).send();
    let resp = resp.await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let item: Value = resp.json().await.unwrap();
    let id = item["id"].as_str().unwrap().to_owned();
    let chunks = item["chunk_count"].as_i64().unwrap();
    assert!(chunks >= 4, "a 5,000-character handbook is several passages, got {chunks}");

    let answer = server.ask("conv_k1", "Do you ship to Iceland?").await;
    assert!(answer.contains("Rotterdam") && answer.contains("Tuesday"), "{answer}");
    assert!(!answer.contains("Section 3."), "the answer is the passage, not the whole handbook: {answer}");

    // Without the fact, the handbook no longer answers it.
    let resp = server.knowledge(Method::PATCH, &format!("/{id}")).json(&json!({"content": handbook(false)})).send();
    assert_eq!(resp.await.unwrap().status(), StatusCode::OK);
    let answer = server.ask("conv_k2", "Do you ship to Iceland?").await;
    assert!(!answer.contains("Rotterdam"), "{answer}");

    // A title-only change re-indexes too (titles are searched with every passage).
    let resp = server.knowledge(Method::POST, &format!("/{id}")).json(&json!({"title": "Iceland travel guide"})).send();
    assert_eq!(resp.await.unwrap().status(), StatusCode::OK);
    let db = server.db().await;
    let titles: Vec<String> = sqlx::query_scalar("SELECT DISTINCT title FROM knowledge_chunks WHERE knowledge_id = $1")
        .bind(&id)
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(titles, ["Iceland travel guide"]);

    let resp = server.knowledge(Method::DELETE, &format!("/{id}")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM knowledge_chunks WHERE knowledge_id = $1")
        .bind(&id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(left, 0, "deleting an item deletes its passages");
    // SQLite's FTS5 table, or Postgres' search column (which goes with its row).
    let found: i64 = sqlx::query_scalar(match quincer_server::store::Dialect::of(&db) {
        quincer_server::store::Dialect::Sqlite => {
            "SELECT COUNT(*) FROM knowledge_chunks_fts WHERE knowledge_chunks_fts MATCH 'handbook'"
        }
        quincer_server::store::Dialect::Postgres => {
            "SELECT COUNT(*) FROM knowledge_chunks WHERE search @@ to_tsquery('english', 'handbook')"
        }
    })
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(found, 0, "and their search entries");
}

#[tokio::test]
async fn every_demo_item_and_product_is_searchable_by_passage() {
    let server = TestServer::start().await;
    let db = server.db().await;
    let unchunked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM knowledge_items k WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.knowledge_id = k.id)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(unchunked, 0);
    let answer = server.ask("conv_k3", SHIPPING_QUESTION).await;
    assert!(answer.contains("business days"), "{answer}");
}
