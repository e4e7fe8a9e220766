//! Integration tests of quincer-server's HTTP API, against a real server on a real socket.
//!
//! Every test starts its own server (port 0, fresh SQLite database in a temp dir, demo workspace seeded, offline
//! responder with no pacing) and talks to it with reqwest, so tests run in parallel and share nothing.
//!
//! Covered:
//! - `POST /api/widget/session`: new and returning visitors, the widget's public configuration and personas.
//! - `POST /api/chat`: the AI SDK request, the UI message stream v1 (headers, chunk sequence, exact chunk fields),
//!   answers from the knowledge base and the offline responder's honesty on unknown topics.
//! - `GET /api/widget/conversations/{id}`: transcripts after a chat, idempotent re-sends, visitor isolation.
//! - Credentials: widget keys vs developer keys vs visitor tokens, and the errors explaining which goes where.
//! - Bad input: every malformed request is a 4xx in the `{"error": "..."}` shape, never a 500.
//! - CORS on the public endpoints: preflight and exposed headers.

mod common;

use common::*;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn session_creates_a_visitor_and_returns_the_widget_config() {
    let server = TestServer::start().await;
    let session = server.session(json!({"page_url": "https://northwind.example/jackets"})).await;

    assert_eq!(session["object"], "widget_session");
    let visitor_id = session["visitor_id"].as_str().expect("visitor_id");
    assert!(!visitor_id.is_empty());
    let token = session["visitor_token"].as_str().expect("visitor_token");
    assert!(token.starts_with("vt_"), "visitor token {token:?} should start with vt_");
    assert!(token.len() >= 3 + 22, "visitor token {token:?} is too short to be a credential");

    let widget = &session["widget"];
    assert_eq!(widget["id"], server.keys.widget_id.as_str());
    assert_eq!(widget["brand"], "Northwind Outfitters");
    assert_eq!(widget["colors"]["primary"], "#0f766e");
    assert_eq!(widget["colors"]["on_primary"], "#ffffff");
    assert!(!widget["greeting"].as_str().expect("greeting").is_empty());
    assert_eq!(widget["locale"], "en");

    let personas = session["personas"].as_array().expect("personas array");
    let names: Vec<&str> = personas.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ava", "Sales", "Docs helper", "Stylist"], "in the owner's order");
    assert_eq!(personas[1]["url_patterns"], json!(["/pricing"]));
    assert!(personas.iter().all(|p| p.get("system_prompt").is_none()), "a page must never see a system prompt");
    let ava = &personas[0];
    assert_eq!(ava["name"], "Ava");
    assert_eq!(ava["is_default"], true);
    assert!(ava["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(ava["bubble_color"].as_str().is_some_and(|c| c.starts_with('#')));
    assert!(ava["url_patterns"].is_array());
    assert!(ava["greeting"].as_str().is_some_and(|g| g.contains("Ava")), "{ava}");
    assert!(ava.get("system_prompt").is_none(), "a page must never see the system prompt: {ava}");
}

#[tokio::test]
async fn session_resumes_a_known_token_and_replaces_an_unknown_one() {
    let server = TestServer::start().await;
    let first = server.session(json!({})).await;
    let (id, token) = (first["visitor_id"].as_str().unwrap(), first["visitor_token"].as_str().unwrap());

    let again = server.session(json!({"visitor_token": token})).await;
    assert_eq!(again["visitor_id"], id, "a known token resumes the same visitor");
    assert_eq!(again["visitor_token"], token);

    let stranger = server.session(json!({"visitor_token": "vt_notarealtokennotarealtoken000000000000"})).await;
    assert_ne!(stranger["visitor_id"], id, "an unknown token starts a new visitor");
    assert_ne!(stranger["visitor_id"], Value::Null);
    let new_token = stranger["visitor_token"].as_str().unwrap();
    assert!(new_token.starts_with("vt_"));
    assert_ne!(new_token, "vt_notarealtokennotarealtoken000000000000", "the server mints tokens, never adopts them");
}

#[tokio::test]
async fn session_accepts_an_empty_body_and_rejects_malformed_json() {
    let server = TestServer::start().await;
    let resp = server.widget(Method::POST, "/api/widget/session").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let session: Value = resp.json().await.unwrap();
    assert_eq!(session["object"], "widget_session");
    assert!(session["visitor_token"].as_str().is_some_and(|t| t.starts_with("vt_")));

    let resp = server
        .widget(Method::POST, "/api/widget/session")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"visitor_token\": ")
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["json"]).await;
}

#[tokio::test]
async fn chat_streams_a_ui_message_stream_v1() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let resp = server.chat(&token, &chat_body("conv_x", "u1", SHIPPING_QUESTION)).await;

    assert_eq!(resp.status(), StatusCode::OK);
    assert!(header(resp.headers(), "content-type").starts_with("text/event-stream"), "{:?}", resp.headers());
    assert_eq!(header(resp.headers(), "x-vercel-ai-ui-message-stream"), "v1");
    let stream = read_stream(resp).await;
    stream.assert_complete_answer();

    // AI SDK clients validate chunks strictly: no field beyond the protocol's.
    let part_id = stream.chunks[1]["id"].as_str().expect("text-start id").to_owned();
    assert!(!part_id.is_empty());
    for chunk in &stream.chunks {
        let expected: &[&str] = match chunk["type"].as_str().unwrap() {
            "start" => &["messageId", "type"],
            "text-start" | "text-end" => &["id", "type"],
            "text-delta" => &["delta", "id", "type"],
            "finish" => &["type"],
            other => panic!("unexpected chunk type {other:?}: {chunk}"),
        };
        assert_eq!(keys_of(chunk), expected, "chunk {chunk}");
        if chunk.get("id").is_some() {
            assert_eq!(chunk["id"], part_id.as_str(), "every text chunk belongs to the one text part: {chunk}");
        }
    }
    assert!(!stream.message_id().is_empty());

    let answer = stream.text();
    assert!(answer.contains("business days"), "the shipping answer should quote the knowledge base: {answer}");
}

#[tokio::test]
async fn chat_about_an_unknown_topic_says_it_found_nothing() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let stream = server.chat_ok(&token, &chat_body("conv_unknown", "u1", "What is the airspeed of a zeppelin?")).await;
    stream.assert_complete_answer();
    let answer = stream.text();
    assert!(answer.contains("couldn't find anything"), "the offline responder must not guess: {answer}");
    assert!(!answer.contains("business days"), "no unrelated knowledge should be quoted: {answer}");
}

#[tokio::test]
async fn transcript_matches_the_streamed_conversation() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let stream = server.chat_ok(&token, &chat_body("conv_x", "u1", SHIPPING_QUESTION)).await;
    stream.assert_complete_answer();

    let conversation = server.transcript_ok(&token, "conv_x").await;
    assert_eq!(conversation["object"], "conversation");
    assert_eq!(conversation["id"], "conv_x");
    assert_eq!(conversation["widget_id"], server.keys.widget_id.as_str());
    assert_eq!(conversation["status"], "active");
    let messages = conversation["messages"].as_array().expect("messages array");
    assert_eq!(messages.len(), 2, "{conversation:#}");

    let (user, assistant) = (&messages[0], &messages[1]);
    assert_eq!(user["object"], "message");
    assert_eq!(user["id"], "u1", "user messages keep the client's id");
    assert_eq!(user["role"], "user");
    assert_eq!(user["text"], SHIPPING_QUESTION);
    assert_eq!(user["parts"], json!([{"type": "text", "text": SHIPPING_QUESTION}]));

    assert_eq!(assistant["object"], "message");
    assert_eq!(assistant["role"], "assistant");
    assert_eq!(assistant["id"], stream.message_id().as_str(), "the stored id is the stream's start messageId");
    assert_eq!(assistant["text"], stream.text().as_str(), "the stored text is exactly what was streamed");
    assert_eq!(assistant["parts"], json!([{"type": "text", "text": stream.text()}]));

    for message in messages {
        let created = message["created_at"].as_str().expect("created_at");
        assert!(created.contains('T') && created.ends_with('Z'), "created_at {created:?} is not RFC 3339 UTC");
    }
}

#[tokio::test]
async fn resending_a_message_replaces_the_answer_without_duplicates() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let body = chat_body("conv_x", "u1", SHIPPING_QUESTION);
    let first = server.chat_ok(&token, &body).await;
    let second = server.chat_ok(&token, &body).await;
    second.assert_complete_answer();
    assert_ne!(first.message_id(), second.message_id(), "a new answer gets a new id");

    let conversation = server.transcript_ok(&token, "conv_x").await;
    let messages = conversation["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages.iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant"], "a re-sent message is stored once, with one answer: {conversation:#}");
    assert_eq!(messages[0]["id"], "u1");
    assert_eq!(messages[1]["id"], second.message_id().as_str(), "the newest answer replaces the earlier one");
    assert_eq!(messages[1]["text"], second.text().as_str());
}

#[tokio::test]
async fn only_the_newest_message_can_be_resent() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_r", "u1", SHIPPING_QUESTION)).await;
    server.chat_ok(&token, &chat_body("conv_r", "u2", "What is your return policy?")).await;
    let before = server.transcript_ok(&token, "conv_r").await;

    let resp = server.chat(&token, &chat_body("conv_r", "u1", SHIPPING_QUESTION)).await;
    assert_error(resp, StatusCode::CONFLICT, &["newest"]).await;
    assert_eq!(server.transcript_ok(&token, "conv_r").await, before, "a refused resend changes nothing");
}

#[tokio::test]
async fn wrong_methods_are_json_405s() {
    let server = TestServer::start().await;
    let resp = server.client.get(server.url("/api/chat")).send().await.unwrap();
    assert_eq!(header(resp.headers(), "allow"), "POST");
    assert_error(resp, StatusCode::METHOD_NOT_ALLOWED, &["method"]).await;
    let resp =
        server.client.delete(server.url("/api/v1/widgets")).bearer_auth(&server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::METHOD_NOT_ALLOWED, &["method"]).await;
}

#[tokio::test]
async fn public_endpoints_require_a_widget_key() {
    let server = TestServer::start().await;
    let resp = server.client.post(server.url("/api/widget/session")).json(&json!({})).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Authorization", "cw_live_"]).await;

    let token = server.new_visitor().await;
    let resp = server
        .client
        .post(server.url("/api/chat"))
        .header(VISITOR, &token)
        .json(&chat_body("conv_x", "u1", SHIPPING_QUESTION))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Authorization"]).await;

    let resp = server.client.get(server.url("/api/v1/widgets")).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Authorization", "cw_dev_"]).await;

    let resp = server
        .client
        .post(server.url("/api/widget/session"))
        .header(AUTHORIZATION, format!("Basic {}", server.keys.widget_key))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Bearer"]).await;
}

#[tokio::test]
async fn developer_keys_are_refused_on_public_endpoints() {
    let server = TestServer::start().await;
    let dev = &server.keys.dev_key;
    assert!(dev.starts_with("cw_dev_"));

    let resp = server.client.post(server.url("/api/widget/session")).bearer_auth(dev).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["developer", "cw_live_"]).await;

    let token = server.new_visitor().await;
    let resp = server
        .client
        .post(server.url("/api/chat"))
        .bearer_auth(dev)
        .header(VISITOR, &token)
        .json(&chat_body("conv_x", "u1", SHIPPING_QUESTION))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["developer"]).await;
}

#[tokio::test]
async fn unknown_and_malformed_widget_keys_are_refused() {
    let server = TestServer::start().await;
    let resp = server
        .client
        .post(server.url("/api/widget/session"))
        .bearer_auth("cw_live_thiskeydoesnotexist00000000000")
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown widget key"]).await;

    let resp = server.client.post(server.url("/api/widget/session")).bearer_auth("sk-abc123").send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["cw_live_"]).await;
}

#[tokio::test]
async fn developer_api_takes_developer_keys_only() {
    let server = TestServer::start().await;
    let resp = server.client.get(server.url("/api/v1/widgets")).bearer_auth(&server.keys.widget_key).send().await;
    assert_error(resp.unwrap(), StatusCode::UNAUTHORIZED, &["widget keys", "cw_dev_"]).await;

    let resp = server.client.get(server.url("/api/v1/widgets")).bearer_auth("cw_dev_nosuchkey").send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown developer key"]).await;

    let resp = server.client.get(server.url("/api/v1/widgets")).bearer_auth(&server.keys.dev_key).send().await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let list: Value = resp.json().await.unwrap();
    assert_eq!(list["object"], "list");
    assert_eq!(list["has_more"], false);
    assert_eq!(list["url"], "/api/v1/widgets");
    let data = list["data"].as_array().expect("data array");
    assert_eq!(data.len(), 1, "{list:#}");
    assert_eq!(data[0]["object"], "widget");
    assert_eq!(data[0]["id"], server.keys.widget_id.as_str());
    assert_eq!(data[0]["brand"], "Northwind Outfitters");
}

#[tokio::test]
async fn conversation_calls_require_a_known_visitor_token() {
    let server = TestServer::start().await;
    let body = chat_body("conv_x", "u1", SHIPPING_QUESTION);

    let resp = server.widget(Method::POST, "/api/chat").json(&body).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Quincer-Visitor-Token", "/api/widget/session"]).await;

    let resp = server.chat("vt_notarealtokennotarealtoken000000000000", &body).await;
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown visitor token"]).await;

    let resp = server.widget(Method::GET, "/api/widget/conversations/conv_x").send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Quincer-Visitor-Token"]).await;

    let resp = server.transcript("vt_notarealtokennotarealtoken000000000000", "conv_x").await;
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown visitor token"]).await;
}

#[tokio::test]
async fn visitors_cannot_read_or_write_each_others_conversations() {
    let server = TestServer::start().await;
    let alice = server.new_visitor().await;
    let bob = server.new_visitor().await;
    assert_ne!(alice, bob);
    server.chat_ok(&alice, &chat_body("conv_alice", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    let before = server.transcript_ok(&alice, "conv_alice").await;

    // Someone else's conversation is indistinguishable from a missing one.
    let stolen =
        assert_error(server.transcript(&bob, "conv_alice").await, StatusCode::NOT_FOUND, &["conv_alice"]).await;
    let missing =
        assert_error(server.transcript(&bob, "conv_nothere").await, StatusCode::NOT_FOUND, &["conv_nothere"]).await;
    assert_eq!(stolen.replace("conv_alice", "<id>"), missing.replace("conv_nothere", "<id>"));

    let hijack = server.chat(&bob, &chat_body("conv_alice", "b1", "What is your returns policy?")).await;
    assert_error(hijack, StatusCode::NOT_FOUND, &["conv_alice"]).await;
    let hijack = server.chat(&bob, &chat_body("conv_alice", "u1", "Overwrite me")).await;
    assert_error(hijack, StatusCode::NOT_FOUND, &["conv_alice"]).await;

    let after = server.transcript_ok(&alice, "conv_alice").await;
    assert_eq!(after, before, "another visitor's attempts must leave the transcript untouched");
}

#[tokio::test]
async fn malformed_chat_bodies_are_client_errors() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;

    let resp = server
        .visitor(Method::POST, "/api/chat", &token)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"id\": \"conv_x\", \"messages\": [")
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["JSON"]).await;

    let resp = server
        .visitor(Method::POST, "/api/chat", &token)
        .header(CONTENT_TYPE, "text/plain")
        .body(chat_body("conv_x", "u1", SHIPPING_QUESTION).to_string())
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE, &["application/json"]).await;

    // Valid JSON of the wrong shape.
    let resp = server.chat(&token, &json!({"id": "conv_x"})).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["messages"]).await;
    let resp = server.chat(&token, &json!([1, 2, 3])).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["JSON"]).await;
}

#[tokio::test]
async fn invalid_chat_requests_are_refused_and_store_nothing() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;

    let resp = server.chat(&token, &json!({"id": "conv_bad", "messages": [], "trigger": "submit-message"})).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["user message"]).await;

    let only_assistant = json!({
        "id": "conv_bad",
        "messages": [{"id": "a1", "role": "assistant", "parts": [{"type": "text", "text": "Hello"}]}],
    });
    assert_error(server.chat(&token, &only_assistant).await, StatusCode::BAD_REQUEST, &["user message"]).await;

    assert_error(server.chat(&token, &chat_body("conv_bad", "u1", "")).await, StatusCode::BAD_REQUEST, &["no text"])
        .await;
    assert_error(server.chat(&token, &chat_body("conv_bad", "u1", "   \n ")).await, StatusCode::BAD_REQUEST, &["text"])
        .await;

    let too_long = "a".repeat(4001);
    let resp = server.chat(&token, &chat_body("conv_bad", "u1", &too_long)).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["4000"]).await;

    for bad_id in ["../x".to_owned(), "a".repeat(200), String::new(), "conv x".to_owned()] {
        let resp = server.chat(&token, &chat_body(&bad_id, "u1", SHIPPING_QUESTION)).await;
        assert_error(resp, StatusCode::BAD_REQUEST, &["conversation id"]).await;
    }

    let resp = server.chat(&token, &chat_body("conv_bad", "../u1", SHIPPING_QUESTION)).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["message id"]).await;

    let mut unknown_trigger = chat_body("conv_bad", "u1", SHIPPING_QUESTION);
    unknown_trigger["trigger"] = json!("delete-everything");
    let resp = server.chat(&token, &unknown_trigger).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["delete-everything", "submit-message"]).await;

    // None of the refused requests created the conversation.
    assert_error(server.transcript(&token, "conv_bad").await, StatusCode::NOT_FOUND, &["conv_bad"]).await;

    // Exactly 4000 characters is still accepted.
    let stream = server.chat_ok(&token, &chat_body("conv_max", "u1", &"a".repeat(4000))).await;
    assert!(stream.done);
}

#[tokio::test]
async fn unknown_resources_are_json_404s() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;

    let resp = server.transcript(&token, "conv_never_created").await;
    assert_error(resp, StatusCode::NOT_FOUND, &["conv_never_created"]).await;

    let resp = server.client.get(server.url("/api/v1/nope")).bearer_auth(&server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no such endpoint"]).await;

    let resp = server.client.get(server.url("/api/nope")).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no such endpoint"]).await;

    let resp = server.client.post(server.url("/api/widget/nope")).json(&json!({})).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no such endpoint"]).await;
}

#[tokio::test]
async fn cors_preflight_allows_the_widget_headers() {
    let server = TestServer::start().await;
    let resp = server
        .client
        .request(Method::OPTIONS, server.url("/api/chat"))
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type,quincer-visitor-token")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "preflight status {}", resp.status());
    let headers = resp.headers();
    assert_eq!(header(headers, "access-control-allow-origin"), "https://shop.example");
    let allowed = header_list(headers, "access-control-allow-headers");
    for needed in ["authorization", "content-type", "quincer-visitor-token"] {
        assert!(allowed.iter().any(|h| h == needed), "{needed} is not allowed: {allowed:?}");
    }
    let methods = header_list(headers, "access-control-allow-methods");
    assert!(methods.iter().any(|m| m == "post"), "POST is not allowed: {methods:?}");
    assert!(
        header(headers, "access-control-allow-credentials").is_empty(),
        "public endpoints must never allow credentials"
    );
}

#[tokio::test]
async fn cors_exposes_the_stream_header_on_chat_responses() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let resp = server
        .visitor(Method::POST, "/api/chat", &token)
        .header("Origin", "https://shop.example")
        .json(&chat_body("conv_x", "u1", SHIPPING_QUESTION))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let headers = resp.headers().clone();
    assert_eq!(header(&headers, "access-control-allow-origin"), "https://shop.example");
    let exposed = header_list(&headers, "access-control-expose-headers");
    assert!(exposed.iter().any(|h| h == "x-vercel-ai-ui-message-stream"), "not exposed: {exposed:?}");
    read_stream(resp).await.assert_complete_answer();
}
