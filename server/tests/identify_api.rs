//! Integration tests of visitor identity: `POST /api/widget/identify` (the server side of the host page's
//! `Quincer('identify', {...})`) and the `visitor` the developer API shows on conversations, against a real server.
//!
//! Covered: the answer's shape; the identity on `GET /api/v1/conversations/{id}` and on list items; merge semantics
//! (given fields replace, absent ones stay, `null` clears a field or removes a trait); identifying before any
//! conversation exists; every validation rule as a 400 naming the field, with nothing stored; credentials (401 for a
//! missing or unknown visitor token, and for another widget's key with this visitor's token); allowed origins and
//! CORS like the other public endpoints.

mod common;

use common::*;
use quincer_protocol::identify::{IdentifyRequest, TraitValue, Visitor};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const IDENTIFY: &str = "/api/widget/identify";

impl TestServer {
    /// `POST /api/widget/identify` as visitor `token` with `body` (JSON).
    async fn identify(&self, token: &str, body: &Value) -> Response {
        self.visitor(Method::POST, IDENTIFY, token).json(body).send().await.expect("send identify")
    }

    /// The same, asserting a 200; returns the visitor.
    async fn identify_ok(&self, token: &str, body: &Value) -> Value {
        let resp = self.identify(token, body).await;
        let status = resp.status();
        let text = resp.text().await.expect("identify body");
        assert_eq!(status, StatusCode::OK, "identify {body} failed: {text}");
        serde_json::from_str(&text).expect("identify JSON")
    }

    /// `GET /api/v1{path}` with the demo developer key, asserting a 200.
    async fn dev_get(&self, path: &str) -> Value {
        let resp = self.client.get(self.url(&format!("/api/v1{path}"))).bearer_auth(&self.keys.dev_key).send().await;
        let resp = resp.expect("send dev GET");
        let status = resp.status();
        let text = resp.text().await.expect("dev body");
        assert_eq!(status, StatusCode::OK, "GET {path}: {text}");
        serde_json::from_str(&text).expect("dev JSON")
    }

    /// The `visitor` of conversation `id`, as the developer API shows it.
    async fn dev_visitor(&self, id: &str) -> Value {
        self.dev_get(&format!("/conversations/{id}")).await["visitor"].clone()
    }

    /// A new visitor: (id, token).
    async fn new_visitor_with_id(&self) -> (String, String) {
        let session = self.session(json!({})).await;
        (session["visitor_id"].as_str().unwrap().to_owned(), session["visitor_token"].as_str().unwrap().to_owned())
    }
}

/// Asserts a 400 naming each of `needles`, and that the visitor's identity did not change.
async fn assert_refused(server: &TestServer, token: &str, body: Value, needles: &[&str]) {
    let before = server.identify_ok(token, &json!({"probe": 0})).await;
    let resp = server.identify(token, &body).await;
    assert_error(resp, StatusCode::BAD_REQUEST, needles).await;
    let after = server.identify_ok(token, &json!({"probe": 0})).await;
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("identified_at");
        v
    };
    assert_eq!(strip(after), strip(before), "a refused body ({body}) must change nothing");
}

#[tokio::test]
async fn identify_answers_the_visitor_and_the_developer_api_shows_it() {
    let server = TestServer::start().await;
    let (visitor_id, token) = server.new_visitor_with_id().await;
    server.chat_ok(&token, &chat_body("conv_id1", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();

    // Before identify: the visitor is there, with nulls.
    let anonymous = server.dev_visitor("conv_id1").await;
    assert_eq!(
        anonymous,
        json!({"object": "visitor", "id": visitor_id, "email": null, "name": null, "phone": null,
            "external_id": null, "traits": {}, "identified_at": null})
    );

    let body = json!({"email": "ada@example.com", "name": "Ada Lovelace", "phone": "+44 20 7946 0000",
        "external_id": "user_42", "plan": "pro", "seats": 3, "trial": false});
    let answer = server.identify_ok(&token, &body).await;
    assert_eq!(
        keys_of(&answer),
        ["email", "external_id", "id", "identified_at", "name", "object", "phone", "traits"],
        "{answer}"
    );
    assert_eq!(answer["object"], "visitor");
    assert_eq!(answer["id"], visitor_id.as_str());
    assert_eq!(answer["email"], "ada@example.com");
    assert_eq!(answer["name"], "Ada Lovelace");
    assert_eq!(answer["phone"], "+44 20 7946 0000");
    assert_eq!(answer["external_id"], "user_42");
    assert_eq!(answer["traits"], json!({"plan": "pro", "seats": 3, "trial": false}));
    let identified_at = answer["identified_at"].as_str().expect("identified_at is a time");
    assert!(identified_at.starts_with("20") && identified_at.ends_with('Z'), "{identified_at}");
    // The wire type reads it.
    let typed: Visitor = serde_json::from_value(answer.clone()).expect("a protocol Visitor");
    assert_eq!(typed.traits["plan"], TraitValue::String("pro".into()));

    // The single conversation and the list items carry the same visitor; other fields are unchanged.
    let conversation = server.dev_get("/conversations/conv_id1").await;
    assert_eq!(conversation["visitor"], answer);
    assert_eq!(conversation["object"], "conversation");
    assert_eq!(conversation["visitor_id"], visitor_id.as_str());
    assert!(conversation["messages"].as_array().is_some_and(|m| m.len() == 2), "{conversation}");
    let list = server.dev_get("/conversations").await;
    assert_eq!(list["object"], "list");
    let item = list["data"].as_array().unwrap().iter().find(|c| c["id"] == "conv_id1").expect("listed");
    assert_eq!(item["visitor"], answer);
    assert_eq!(list["conversations"], list["data"], "the legacy items carry it too");
}

#[tokio::test]
async fn later_calls_merge_and_null_clears() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let first = server
        .identify_ok(&token, &json!({"email": "ada@example.com", "name": "Ada", "plan": "free", "seats": 1}))
        .await;

    // Given fields replace, absent ones stay, new traits are added.
    let second = server.identify_ok(&token, &json!({"name": "Ada Lovelace", "plan": "pro", "company": "ACME"})).await;
    assert_eq!(second["email"], "ada@example.com", "absent fields keep their value");
    assert_eq!(second["name"], "Ada Lovelace");
    assert_eq!(second["traits"], json!({"company": "ACME", "plan": "pro", "seats": 1}));
    assert!(second["identified_at"].as_str() >= first["identified_at"].as_str(), "identified_at is the latest call");

    // null clears a known field and removes a trait; removing an unknown trait is a no-op.
    let third = server.identify_ok(&token, &json!({"email": null, "seats": null, "never_set": null})).await;
    assert_eq!(third["email"], Value::Null);
    assert_eq!(third["name"], "Ada Lovelace");
    assert_eq!(third["traits"], json!({"company": "ACME", "plan": "pro"}));

    // A blank string clears too (host pages often send "" for "unknown"), and values are trimmed.
    let fourth = server.identify_ok(&token, &json!({"name": "   ", "phone": " 555-0100 ", "external_id": 42})).await;
    assert_eq!(fourth["name"], Value::Null);
    assert_eq!(fourth["phone"], "555-0100");
    assert_eq!(fourth["external_id"], "42", "a numeric external id is stored as text");

    // The protocol's request type serializes to a body the server accepts.
    let typed = IdentifyRequest { email: Some(Some("grace@example.org".into())), ..IdentifyRequest::default() };
    let fifth = server.identify_ok(&token, &serde_json::to_value(&typed).unwrap()).await;
    assert_eq!(fifth["email"], "grace@example.org");
    assert_eq!(fifth["phone"], "555-0100");
}

#[tokio::test]
async fn identify_before_any_conversation_reaches_later_conversations() {
    let server = TestServer::start().await;
    let (visitor_id, token) = server.new_visitor_with_id().await;
    let identified = server.identify_ok(&token, &json!({"email": "early@example.com", "segment": "beta"})).await;
    assert_eq!(identified["id"], visitor_id.as_str());

    // A returning session keeps the identity: it is the visitor's, not the session's.
    let resumed = server.session(json!({"visitor_token": token})).await;
    assert_eq!(resumed["visitor_id"], visitor_id.as_str());

    for id in ["conv_later1", "conv_later2"] {
        server.chat_ok(&token, &chat_body(id, "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
        let visitor = server.dev_visitor(id).await;
        assert_eq!(visitor["email"], "early@example.com", "{visitor}");
        assert_eq!(visitor["traits"], json!({"segment": "beta"}));
    }

    // Another visitor's conversations stay anonymous.
    let stranger = server.new_visitor().await;
    server.chat_ok(&stranger, &chat_body("conv_stranger", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    assert_eq!(server.dev_visitor("conv_stranger").await["email"], Value::Null);

    // A later identify shows on the earlier conversations too: they name the visitor, not a copy.
    server.identify_ok(&token, &json!({"name": "Early Bird"})).await;
    assert_eq!(server.dev_visitor("conv_later1").await["name"], "Early Bird");
}

#[tokio::test]
async fn each_invalid_field_is_a_400_naming_it() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    server.identify_ok(&token, &json!({"email": "kept@example.com", "name": "Kept", "keep": "me"})).await;

    assert_refused(&server, &token, json!({"email": "not-an-email"}), &["`email`", "@"]).await;
    assert_refused(&server, &token, json!({"email": "ada@example"}), &["`email`", "dot"]).await;
    assert_refused(&server, &token, json!({"email": "a@b@example.com"}), &["`email`", "one `@`"]).await;
    let long_email = format!("{}@example.com", "a".repeat(250));
    assert_refused(&server, &token, json!({ "email": long_email }), &["`email`", "254"]).await;
    assert_refused(&server, &token, json!({"email": 42}), &["`email`", "string or null"]).await;

    assert_refused(&server, &token, json!({"name": "n".repeat(201)}), &["`name`", "200 characters"]).await;
    // Characters, not bytes: 200 accented letters are fine.
    server.identify_ok(&token, &json!({"name": "é".repeat(200)})).await;

    assert_refused(&server, &token, json!({"phone": "call me maybe"}), &["`phone`", "digits"]).await;
    assert_refused(&server, &token, json!({"phone": "1".repeat(41)}), &["`phone`", "40 characters"]).await;
    assert_refused(&server, &token, json!({"external_id": "x".repeat(201)}), &["`external_id`", "200"]).await;
    assert_refused(&server, &token, json!({"external_id": ["a"]}), &["`external_id`", "an array"]).await;

    // Traits: flat values, valid names, bounded strings, at most 50.
    assert_refused(&server, &token, json!({"address": {"city": "Paris"}}), &["trait `address`", "an object"]).await;
    assert_refused(&server, &token, json!({"tags": ["a", "b"]}), &["trait `tags`", "an array"]).await;
    assert_refused(&server, &token, json!({"bad key!": 1}), &["trait name `bad key!`", "letters, digits"]).await;
    let long_key = serde_json::Map::from_iter([("k".repeat(65), json!(1))]);
    assert_refused(&server, &token, Value::Object(long_key), &["trait name", "64"]).await;
    assert_refused(&server, &token, json!({"bio": "b".repeat(501)}), &["trait `bio`", "500 characters"]).await;
    let many: serde_json::Map<String, Value> = (0..51).map(|i| (format!("t{i}"), json!(i))).collect();
    assert_refused(&server, &token, Value::Object(many), &["too many traits", "50"]).await;
    // One bad field refuses the whole body: the valid ones are not stored either.
    assert_refused(&server, &token, json!({"name": "Changed", "phone": "nope"}), &["`phone`"]).await;

    let visitor = server.identify_ok(&token, &json!({"probe": 1})).await;
    assert_eq!(visitor["email"], "kept@example.com");
    assert_eq!(visitor["traits"]["keep"], "me");
}

#[tokio::test]
async fn the_trait_limit_counts_the_merged_traits() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let first: serde_json::Map<String, Value> = (0..50).map(|i| (format!("a{i}"), json!(i))).collect();
    let full = server.identify_ok(&token, &Value::Object(first)).await;
    assert_eq!(full["traits"].as_object().unwrap().len(), 50, "exactly 50 is allowed");

    // One more would make 51: refused, and nothing of the request is stored.
    let resp = server.identify(&token, &json!({"name": "Ada", "one_more": true})).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["too many traits", "50", "51"]).await;

    // Replacing one and removing one in the same call stays within the limit.
    let swapped = server.identify_ok(&token, &json!({"a0": "changed", "a1": null, "one_more": true})).await;
    let traits = swapped["traits"].as_object().unwrap();
    assert_eq!(traits.len(), 50);
    assert_eq!(traits["a0"], "changed");
    assert!(!traits.contains_key("a1"));
    assert_eq!(swapped["name"], Value::Null, "the refused call's name was rolled back");
}

#[tokio::test]
async fn bodies_that_are_not_an_identity_are_400() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let send = |body: &'static str| {
        server.visitor(Method::POST, IDENTIFY, &token).header(CONTENT_TYPE, "application/json").body(body).send()
    };
    assert_error(send("").await.unwrap(), StatusCode::BAD_REQUEST, &["empty"]).await;
    assert_error(send("  \n").await.unwrap(), StatusCode::BAD_REQUEST, &["empty"]).await;
    assert_error(send("{}").await.unwrap(), StatusCode::BAD_REQUEST, &["no fields"]).await;
    assert_error(send("[]").await.unwrap(), StatusCode::BAD_REQUEST, &["JSON object", "an array"]).await;
    assert_error(send("\"ada@example.com\"").await.unwrap(), StatusCode::BAD_REQUEST, &["JSON object", "a string"])
        .await;
    assert_error(send("null").await.unwrap(), StatusCode::BAD_REQUEST, &["JSON object"]).await;
    assert_error(send("{\"email\": ").await.unwrap(), StatusCode::BAD_REQUEST, &["invalid JSON"]).await;
    // A wrong method is a 405 like on every public path.
    let resp = server.visitor(Method::GET, IDENTIFY, &token).send().await.unwrap();
    assert_error(resp, StatusCode::METHOD_NOT_ALLOWED, &["method"]).await;
}

#[tokio::test]
async fn credentials_are_checked_like_every_visitor_endpoint() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let body = json!({"email": "ada@example.com"});

    // No visitor token, or one this widget never issued.
    let resp = server.widget(Method::POST, IDENTIFY).json(&body).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Quincer-Visitor-Token", "/api/widget/session"]).await;
    let resp = server.identify("vt_notarealtokennotarealtoken000000000000", &body).await;
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown visitor token"]).await;
    // Credentials come before the body: a bad token with a bad body is still a 401.
    let resp = server.identify("vt_unknown", &json!({})).await;
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown visitor token"]).await;

    // No key, or a developer key.
    let resp = server.client.post(server.url(IDENTIFY)).header(VISITOR, &token).json(&body).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Authorization"]).await;
    let resp =
        server.client.post(server.url(IDENTIFY)).bearer_auth(&server.keys.dev_key).header(VISITOR, &token).json(&body);
    assert_error(resp.send().await.unwrap(), StatusCode::UNAUTHORIZED, &["cw_dev_"]).await;

    // Another widget's key with this visitor's token: tokens belong to one widget.
    let other =
        quincer_server::provision::create_widget(&server.db().await, &server.keys.org_id, "Other", None, "#123456")
            .await
            .unwrap();
    let resp = server
        .client
        .post(server.url(IDENTIFY))
        .bearer_auth(&other.widget_key)
        .header(VISITOR, &token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown visitor token for this widget"]).await;

    // None of that identified anyone.
    let visitor = server.identify_ok(&token, &json!({"probe": true})).await;
    assert_eq!(visitor["email"], Value::Null);
}

#[tokio::test]
async fn cors_and_allowed_origins_like_the_other_public_endpoints() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let body = json!({"name": "Ada"});

    // A preflight names the visitor-token header the widget sends.
    let preflight = server
        .client
        .request(Method::OPTIONS, server.url(IDENTIFY))
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type,quincer-visitor-token")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(header(preflight.headers(), "access-control-allow-origin"), "https://shop.example");
    assert!(
        header_list(preflight.headers(), "access-control-allow-headers").contains(&"quincer-visitor-token".to_owned())
    );

    // The answer mirrors the origin, and never allows credentials.
    let resp =
        server.visitor(Method::POST, IDENTIFY, &token).header("Origin", "https://shop.example").json(&body).send();
    let resp = resp.await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "https://shop.example");
    assert_eq!(header(resp.headers(), "access-control-allow-credentials"), "");

    // Once the widget lists its origins, another origin is refused with 403 and no CORS headers.
    sqlx::query("UPDATE widgets SET allowed_origins = '[\"https://shop.example\"]' WHERE id = $1")
        .bind(&server.keys.widget_id)
        .execute(&server.db().await)
        .await
        .unwrap();
    let resp = server
        .visitor(Method::POST, IDENTIFY, &token)
        .header("Origin", "https://evil.example")
        .json(&json!({"name": "Mallory"}))
        .send()
        .await
        .unwrap();
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "");
    assert_error(resp, StatusCode::FORBIDDEN, &["https://evil.example", "allowed_origins"]).await;
    let resp = server.visitor(Method::POST, IDENTIFY, &token).header("Origin", "https://shop.example").json(&body);
    assert_eq!(resp.send().await.unwrap().status(), StatusCode::OK, "a listed origin still works");
    assert_eq!(server.identify_ok(&token, &json!({"probe": 1})).await["name"], "Ada", "Mallory was never stored");
}
