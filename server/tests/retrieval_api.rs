//! Retrieval with the real embedding model (all-MiniLM-L6-v2), on the demo store: vectors kept current in the
//! background, the model listed with its backlog, and answers only meaning finds (need-based questions, follow-ups,
//! honest "we don't carry that").
//!
//! The model comes from `QUINCER_TEST_EMBEDDING_MODEL` (`./build.sh test` sets it), else from `./build.sh`'s cache
//! in `target/models/`. The ranking's quality over many questions is measured by the eval (`./build.sh eval`).

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use serde_json::Value;

fn model_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("QUINCER_TEST_EMBEDDING_MODEL") {
        return dir.into();
    }
    let cached = common::repo_path("target/models/all-MiniLM-L6-v2");
    assert!(
        cached.join("model.safetensors").exists(),
        "no embedding model: run `./build.sh eval` once to fetch it into target/models, or set QUINCER_TEST_EMBEDDING_MODEL"
    );
    cached
}

/// The demo server with the model, once every product and passage has its vector.
async fn server() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| {
        c.embedding_model = Some(model_dir());
    })
    .await;
    wait_for_vectors(&server).await;
    server
}

/// The embedding model's entry of `GET /api/v1/models` (read with a key of its own: the demo key's reads are
/// rate limited).
async fn embedding_model(server: &TestServer, key: &str) -> Value {
    let resp = server.client.get(server.url("/api/v1/models")).bearer_auth(key).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let list: Value = resp.json().await.unwrap();
    list["data"].as_array().unwrap().iter().find(|m| m["purpose"] == "embedding").expect("the model is listed").clone()
}

async fn wait_for_vectors(server: &TestServer) {
    let key = server.mint_key(&["widgets:read"]).await;
    for _ in 0..120 {
        if embedding_model(server, &key).await["vectors_pending"] == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("vectors still pending after 60 s: {}", embedding_model(server, &key).await);
}

/// The titles of a stream's panel (empty without one).
fn titles(stream: &Stream) -> Vec<String> {
    stream
        .chunks
        .iter()
        .find(|c| c["type"] == "tool-output-available")
        .map(|c| {
            c["output"]["products"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["title"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn vectors_are_data_kept_current_in_the_background() {
    let server = server().await;
    let key = server.mint_key(&["widgets:read"]).await;
    let model = embedding_model(&server, &key).await;
    assert_eq!((model["provider"].as_str(), model["dimensions"].as_u64()), (Some("local"), Some(384)));
    assert_eq!(model["retrieval"], "hybrid");
    let name = model["id"].as_str().unwrap().to_owned();
    assert!(name.starts_with("all-MiniLM-L6-v2@"), "{name}");
    let db = server.db().await;
    let (products, embedded): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(embedding) FROM products WHERE embedding_model = $1")
            .bind(&name)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((products, embedded), (68, 68), "every demo product has a vector of the running model");
    let product_passages: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM knowledge_chunks c JOIN knowledge_items k ON k.id = c.knowledge_id
         WHERE k.source_type = 'product' AND c.embedding IS NOT NULL",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(product_passages, 0, "a product's own vector stands for its knowledge item");

    // A new knowledge item gets its vectors without anyone asking.
    let created: Value = server
        .client
        .post(server.url("/api/v1/knowledge"))
        .bearer_auth(&server.keys.dev_key)
        .json(&serde_json::json!({"widget_id": server.keys.widget_id, "title": "Pets",
            "content": "Well-behaved dogs are welcome in both of our stores."}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    wait_for_vectors(&server).await;
    let vectors: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM knowledge_chunks WHERE knowledge_id = $1 AND embedding_model = $2 AND embedding IS NOT NULL",
    )
    .bind(created["id"].as_str().unwrap())
    .bind(&name)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(vectors, 1);
    let token = server.new_visitor().await;
    let answer = server.chat_ok(&token, &chat_body("conv_pets", "u1", "can I bring my puppy along?")).await;
    assert!(answer.text().contains("**Pets**"), "found by meaning alone: {}", answer.text());

    // Vectors of another model are recomputed, not compared.
    sqlx::query("UPDATE products SET embedding_model = 'old-model@00000000'").execute(&db).await.unwrap();
    assert!(embedding_model(&server, &key).await["vectors_pending"].as_i64().unwrap() >= 68);
    wait_for_vectors(&server).await;
}

#[tokio::test]
async fn meaning_finds_what_words_miss() {
    let server = server().await;
    let token = server.new_visitor().await;
    let hands = server.chat_ok(&token, &chat_body("conv_hands", "u1", "something to keep my hands warm")).await;
    let shown = titles(&hands);
    assert!(!shown.is_empty(), "{}", hands.text());
    assert!(shown.iter().all(|t| t.contains("Mittens") || t.contains("Gloves")), "{shown:?}");

    let tent = server.chat_ok(&token, &chat_body("conv_tent", "u1", "a tent that sleeps 4 people")).await;
    assert_eq!(titles(&tent), ["Basecamp 4 Family Tent"], "{}", tent.text());

    let goggles = server.chat_ok(&token, &chat_body("conv_goggles", "u1", "Do you have any ski goggles?")).await;
    assert!(titles(&goggles).is_empty(), "{:?}", titles(&goggles));
    assert!(goggles.text().contains("not something we carry"), "{}", goggles.text());
}

#[tokio::test]
async fn follow_ups_refine_the_last_product_question() {
    let server = server().await;
    let token = server.new_visitor().await;
    let first = server.chat_ok(&token, &chat_body("conv_follow", "u1", "Show me rain jackets")).await;
    assert!(titles(&first).len() >= 5, "{:?}", titles(&first));
    let blue = server.chat_ok(&token, &chat_body("conv_follow", "u2", "any of those in blue?")).await;
    let shown = titles(&blue);
    // The demo's rain jackets with a blue, navy, sky, glacier or teal variant.
    let blue_rain_jackets = [
        "Stormline 3L Jacket",
        "Drizzle Packable Rain Jacket",
        "Cloudburst 2.5L Jacket",
        "Squall Lightweight Rain Jacket",
        "Mistral Women's Rain Jacket",
        "Fjordline Insulated Rain Jacket",
        "Kids' Puddle Jumper Rain Jacket",
    ];
    assert!(shown.len() >= 5 && shown.iter().all(|t| blue_rain_jackets.contains(&t.as_str())), "{shown:?}");
    assert!(!blue.text().contains("those"), "the visitor's words are not echoed: {}", blue.text());
    // The query is stored with the answer: it survives a reload, and a new topic starts afresh.
    let transcript = server.transcript_ok(&token, "conv_follow").await;
    assert_eq!(transcript["messages"].as_array().unwrap().len(), 4);
    let tents = server.chat_ok(&token, &chat_body("conv_follow", "u3", "do you have tents?")).await;
    assert!(titles(&tents).iter().all(|t| t.contains("Tent") || t.contains("Shelter")), "{:?}", titles(&tents));
}
