//! Integration tests of webhooks: the subscriptions API and real deliveries to a receiver bound to port 0.
//!
//! Covered: create (secret returned once) / list / get / update (POST and PATCH) / delete, validation and scopes;
//! signed deliveries of `conversation.message_received`, `conversation.takeover` and `conversation.handback`
//! with the current and legacy headers; retries with backoff after failures; deactivation after repeated
//! failures; and deliveries that survive a server restart.

mod common;

use std::time::Duration;

use common::receiver::{Received, Receiver};
use common::*;
use hmac::{Hmac, Mac};
use quincer_server::webhooks::RetryPolicy;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::Sha256;

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl TestServer {
    fn hooks(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1/webhooks{path}"))).bearer_auth(&self.keys.dev_key)
    }

    /// Subscribes `url` to `events`; returns (id, secret).
    async fn subscribe(&self, url: &str, events: &[&str]) -> (String, String) {
        let resp = self.hooks(Method::POST, "").json(&json!({"url": url, "events": events})).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        let w: Value = resp.json().await.unwrap();
        (w["id"].as_str().unwrap().to_owned(), w["secret"].as_str().unwrap().to_owned())
    }

    async fn takeover(&self, id: &str, actor: &str) {
        let resp = self
            .client
            .post(self.url(&format!("/api/v1/conversations/{id}/takeover")))
            .bearer_auth(&self.keys.dev_key)
            .json(&json!({"actor_name": actor, "external_label": "ticket-7"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{}", resp.text().await.unwrap());
    }

    async fn handback(&self, id: &str) {
        let resp = self
            .client
            .post(self.url(&format!("/api/v1/conversations/{id}/handback")))
            .bearer_auth(&self.keys.dev_key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn subscriptions_api_crud_validation_and_scope() {
    let server = TestServer::start().await;
    let resp = server
        .hooks(Method::POST, "")
        .json(&json!({"url": "https://hooks.example/q", "events": ["conversation.takeover", "conversation.takeover"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["object"], "webhook");
    assert_eq!(created["events"], json!(["conversation.takeover"]), "duplicates are dropped");
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(created["active"], true);
    let id = created["id"].as_str().unwrap();

    let got: Value = server.hooks(Method::GET, &format!("/{id}")).send().await.unwrap().json().await.unwrap();
    assert!(got.get("secret").is_none(), "the secret is shown once: {got}");
    let list: Value = server.hooks(Method::GET, "").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["object"], "list");
    assert_eq!(list["data"][0]["id"], id);
    assert_eq!(list["data"], list["webhooks"]);
    assert!(list["data"][0].get("secret").is_none());

    let updated: Value = server
        .hooks(Method::POST, &format!("/{id}"))
        .json(&json!({"events": ["conversation.handback"], "active": false}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["events"], json!(["conversation.handback"]));
    assert_eq!(updated["active"], false);
    let patched: Value = server
        .hooks(Method::PATCH, &format!("/{id}"))
        .json(&json!({"url": "https://hooks.example/v2", "reset_fail_count": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(patched["url"], "https://hooks.example/v2");
    assert_eq!(patched["fail_count"], 0);

    for (body, needle) in [
        (json!({"url": "ftp://x", "events": ["conversation.takeover"]}), "url"),
        (json!({"url": "https://", "events": ["conversation.takeover"]}), "url"),
        (json!({"url": "https://a.example", "events": []}), "events"),
        (json!({"url": "https://a.example", "events": ["conversation.exploded"]}), "conversation.exploded"),
        (json!({"events": ["conversation.takeover"]}), "url"),
    ] {
        let resp = server.hooks(Method::POST, "").json(&body).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }
    let resp = server.hooks(Method::POST, &format!("/{id}")).json(&json!({"colour": "red"})).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["colour"]).await;

    let weak = server.mint_key(&["conversations:read"]).await;
    let resp = server.client.get(server.url("/api/v1/webhooks")).bearer_auth(&weak).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["webhooks:manage"]).await;

    let deleted: Value = server.hooks(Method::DELETE, &format!("/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(deleted, json!({"object": "webhook", "id": id, "deleted": true}));
    let resp = server.hooks(Method::GET, &format!("/{id}")).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &[id]).await;
}

#[tokio::test]
async fn deliveries_are_signed_and_carry_the_documented_payloads() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(vec![]).await;
    let events = ["conversation.message_received", "conversation.takeover", "conversation.handback"];
    let (_, secret) = server.subscribe(&receiver.url, &events).await;

    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_w", "u1", SHIPPING_QUESTION)).await;
    server.takeover("conv_w", "Sam").await;
    server.chat_ok(&token, &chat_body("conv_w", "u2", "Thanks Sam")).await;
    server.handback("conv_w").await;

    // Deliveries run concurrently, so arrival order is not asserted: each event is found by name and status.
    let got = receiver.wait_for(4).await;
    for r in &got {
        assert_eq!(r.header("quincer-signature"), hmac_hex(&secret, &r.body), "signature of the raw body");
        assert_eq!(r.header("x-quincer-signature"), r.header("quincer-signature"));
        assert_eq!(r.header("x-quincer-event"), r.header("quincer-event"));
        assert_eq!(r.header("x-quincer-timestamp"), r.header("quincer-timestamp"));
        assert!(r.header("quincer-timestamp").parse::<u64>().unwrap() > 1_700_000_000);
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(r.json()["event"], r.header("quincer-event"));
    }
    let mut names: Vec<String> = got.iter().map(|r| r.header("quincer-event")).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "conversation.handback",
            "conversation.message_received",
            "conversation.message_received",
            "conversation.takeover"
        ]
    );
    let find = |event: &str, status: &str| {
        got.iter()
            .map(Received::json)
            .find(|j| j["event"] == event && j["status"] == status)
            .unwrap_or_else(|| panic!("no {event} with status {status}"))
    };
    let first = find("conversation.message_received", "active");
    assert_eq!(first["object"], "message");
    assert_eq!(first["conversationId"], "conv_w");
    assert_eq!(first["widgetId"], server.keys.widget_id.as_str());
    assert_eq!(first["text"], SHIPPING_QUESTION);
    let during = find("conversation.message_received", "human_active");
    assert_eq!(during["text"], "Thanks Sam", "subscribers know an agent is driving");
    let takeover = find("conversation.takeover", "human_active");
    assert_eq!(takeover["object"], "conversation");
    assert_eq!(takeover["actorKind"], "external_agent");
    assert_eq!(takeover["actorName"], "Sam");
    assert_eq!(takeover["externalLabel"], "ticket-7");
    assert_eq!(takeover["surface"], "api");
    assert!(takeover["actorUserId"].as_str().unwrap().starts_with("key_"));
    let handback = find("conversation.handback", "active");
    assert_eq!(handback["actorName"], "Sam");
    assert_eq!(handback["conversationId"], "conv_w");

    // A retried visitor message is stored once, so it is announced once.
    server.chat_ok(&token, &chat_body("conv_w", "u3", "one more")).await;
    server.chat_ok(&token, &chat_body("conv_w", "u3", "one more")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.wait_for(5).await.len(), 5);
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(vec![500, 503]).await;
    let (id, _) = server.subscribe(&receiver.url, &["conversation.message_received"]).await;
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_retry", "u1", "hello")).await;
    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3, "two failures, then the success");
    assert!(got.iter().all(|r| r.body == got[0].body), "every attempt sends the same payload");
    assert_eq!(got[0].header("quincer-delivery"), got[2].header("quincer-delivery"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let w: Value = server.hooks(Method::GET, &format!("/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(w["fail_count"], 0, "a success resets the count");
    assert_eq!(w["last_status"], 200);
    assert_eq!(receiver.got.lock().unwrap().len(), 3, "delivered once, not again");
}

#[tokio::test]
async fn a_subscription_that_keeps_failing_is_deactivated() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(vec![500; 100]).await;
    let (id, _) = server.subscribe(&receiver.url, &["conversation.message_received"]).await;
    let token = server.new_visitor().await;
    // Two messages, 4 attempts each at most (test policy), deactivation after 6 failures in a row.
    server.chat_ok(&token, &chat_body("conv_bad", "u1", "one")).await;
    server.chat_ok(&token, &chat_body("conv_bad", "u2", "two")).await;
    let mut w = Value::Null;
    for _ in 0..100 {
        w = server.hooks(Method::GET, &format!("/{id}")).send().await.unwrap().json().await.unwrap();
        if w["active"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(w["active"], false, "{w}");
    // 6 failures in a row switch it off (an attempt already in flight may still add one).
    assert!((6..=7).contains(&w["fail_count"].as_i64().unwrap()), "{w}");
    assert_eq!(w["last_status"], 500);
    let attempts = receiver.got.lock().unwrap().len();
    server.chat_ok(&token, &chat_body("conv_bad", "u3", "three")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.got.lock().unwrap().len(), attempts, "an inactive subscription gets nothing");

    // Re-activating clears the count.
    let w: Value = server
        .hooks(Method::POST, &format!("/{id}"))
        .json(&json!({"active": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((w["active"].clone(), w["fail_count"].clone()), (json!(true), json!(0)));
}

#[tokio::test]
async fn pending_deliveries_survive_a_restart() {
    // Many quick retries: the delivery must still be pending, not given up, when the server restarts.
    let policy = RetryPolicy { max_attempts: 1000, ..TestServer::policy() };
    let server = TestServer::start_with(tempfile::tempdir().unwrap(), policy).await;
    // A port nobody listens on yet: deliveries fail with "connection refused" and stay queued.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/hooks");
    let (_, secret) = server.subscribe(&url, &["conversation.takeover"]).await;
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_rs", "u1", "hello")).await;
    server.takeover("conv_rs", "Sam").await;
    // Stop before the receiver exists, then start again on the same database.
    let server = server.restart().await;
    let receiver = Receiver::serve(tokio::net::TcpListener::bind(addr).await.unwrap(), vec![]);
    // Wake the new dispatcher's first round (it also finds due work on its own).
    server.new_visitor().await;
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].header("quincer-event"), "conversation.takeover");
    assert_eq!(got[0].header("quincer-signature"), hmac_hex(&secret, &got[0].body));
    assert_eq!(got[0].json()["conversationId"], "conv_rs");
}
