//! Hostile input on every endpoint that takes a body (driven by the OpenAPI document) and on the known soft spots:
//! oversized bodies, invalid UTF-8, wrong JSON types, huge arrays, deep nesting, wrong content types, a 1 MB chat
//! message, 10,000 URL patterns. Each gets a clear 4xx in the API's error shape, never a 500, a panic or a hang,
//! and the server keeps answering a visitor's ordinary requests meanwhile.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use quincer_server::ratelimit::RateLimits;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};

/// The limit the server documents for request bodies.
const LIMIT_TEXT: &str = "2 MB";

/// A server whose rate limits stay out of the way: these tests send hundreds of requests.
async fn server() -> TestServer {
    TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| {
        c.rate_limits = RateLimits {
            dev_reads: 1_000_000,
            dev_writes: 1_000_000,
            public_per_ip: 1_000_000,
            chat_per_visitor: 1_000_000,
            sign_in_per_ip: 1_000_000,
            sign_in_per_email: 1_000_000,
        };
    })
    .await
}

/// One hostile body: what it is, its bytes, its content type, and the statuses that answer it correctly.
struct Hostile {
    name: &'static str,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    expect: &'static [u16],
}

fn hostile_bodies() -> Vec<Hostile> {
    let json = Some("application/json");
    let oversized = format!("{{\"text\": \"{}\"}}", "a".repeat(3 * 1024 * 1024)).into_bytes();
    let huge_array = format!("[{}0]", "0,".repeat(400_000)).into_bytes();
    let object_of_wrong_types = json!({
        "text": {"a": 1}, "name": 5, "url": [], "messages": "none", "email": false, "events": {}, "title": [],
        "content": 1.5, "widget_id": [1], "url_patterns": "x", "persona_id": {}, "id": 7, "conversation_id": [],
        "page_url": 5, "visitor_token": [], "actor_name": 5, "external_label": {}, "brand": [], "active": "yes",
    });
    let mut out = vec![
        Hostile { name: "oversized", body: oversized, content_type: json, expect: &[413] },
        Hostile { name: "invalid UTF-8", body: b"\xff\xfe{\"text\": 1}".to_vec(), content_type: json, expect: &[400] },
        // Inside a string of a field the endpoint ignores, serde skips the bytes unread: any clear 4xx will do.
        Hostile {
            name: "invalid UTF-8 in a string",
            body: b"{\"text\": \"\xff\xfe\xfd\"}".to_vec(),
            content_type: json,
            expect: &[400, 404, 422],
        },
        Hostile { name: "deep nesting", body: "[".repeat(100_000).into_bytes(), content_type: json, expect: &[400] },
        Hostile {
            name: "deep objects",
            body: "{\"a\":".repeat(50_000).into_bytes(),
            content_type: json,
            expect: &[400],
        },
        Hostile { name: "truncated", body: b"{\"text\": \"hel".to_vec(), content_type: json, expect: &[400] },
        Hostile { name: "huge array", body: huge_array, content_type: json, expect: &[400, 404, 422] },
        Hostile {
            name: "wrong types",
            body: object_of_wrong_types.to_string().into_bytes(),
            content_type: json,
            expect: &[400, 404, 422],
        },
        Hostile {
            name: "text/plain",
            body: br#"{"name": "x"}"#.to_vec(),
            content_type: Some("text/plain"),
            expect: &[415],
        },
        Hostile { name: "no content type", body: br#"{"name": "x"}"#.to_vec(), content_type: None, expect: &[415] },
    ];
    for scalar in ["[]", "123", "\"text\"", "null", "true"] {
        out.push(Hostile {
            name: scalar,
            body: scalar.as_bytes().to_vec(),
            content_type: json,
            expect: &[400, 404, 422],
        });
    }
    out
}

/// `(method, path, multipart)` of every documented operation that takes a request body; `multipart` for a
/// multipart/form-data upload.
async fn body_operations(server: &TestServer) -> Vec<(Method, String, bool)> {
    let doc: Value = server.client.get(server.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("requestBody").is_some() {
                // Path parameters name nothing that exists: bodies are read before anything is looked up.
                let path =
                    path.split('/').map(|s| if s.starts_with('{') { "x_missing" } else { s }).collect::<Vec<_>>();
                let multipart = op["requestBody"]["content"].get("multipart/form-data").is_some();
                out.push((method.to_uppercase().parse().unwrap(), path.join("/"), multipart));
            }
        }
    }
    assert!(out.len() >= 20, "the document should list the body-taking operations: {out:?}");
    out
}

/// A request with the credentials its path takes, on a fresh connection: the server answers an oversized body
/// with 413 before reading it and closes that connection, which a pooled client could otherwise reuse.
fn authorised(server: &TestServer, visitor: &str, method: Method, path: &str) -> RequestBuilder {
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let req = client.request(method, server.url(path));
    if path.starts_with("/api/v1/") {
        req.bearer_auth(&server.keys.dev_key)
    } else {
        req.bearer_auth(&server.keys.widget_key).header(VISITOR, visitor)
    }
}

/// Sends ordinary session requests until `stop`; each must succeed within 5 s. Returns how many did.
fn heartbeat(server: &TestServer, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<usize> {
    let (client, url, key) = (server.client.clone(), server.url("/api/widget/session"), server.keys.widget_key.clone());
    let done = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            let send = client.post(&url).bearer_auth(&key).json(&json!({})).send();
            let resp = tokio::time::timeout(Duration::from_secs(5), send).await.expect("the server stays responsive");
            assert_eq!(resp.unwrap().status(), StatusCode::OK);
            done.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        done.load(Ordering::Relaxed)
    })
}

/// Asserts a clear client error: one of `expect`, `{"error": "<sentence>"}`, within 20 s. Returns the message.
async fn clear_error(req: RequestBuilder, expect: &[u16], what: &str) -> String {
    let resp = tokio::time::timeout(Duration::from_secs(20), req.send())
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within 20 s"))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert!(expect.contains(&status), "{what}: expected one of {expect:?}, got {status}: {text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{what}: only `error`: {text}");
    let message = body["error"].as_str().unwrap_or_else(|| panic!("{what}: no `error` string: {text}")).to_owned();
    assert!(message.len() > 8 && message != "internal error", "{what}: {message}");
    message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_body_taking_operation_answers_hostile_bodies_with_a_clear_4xx() {
    let server = server().await;
    let visitor = server.new_visitor().await;
    let stop = Arc::new(AtomicBool::new(false));
    let beats = heartbeat(&server, stop.clone());
    let operations = body_operations(&server).await;
    let bodies = hostile_bodies();
    for (method, path, multipart) in &operations {
        for hostile in &bodies {
            let what = format!("{method} {path} ({})", hostile.name);
            // An upload takes multipart/form-data only: every one of these bodies is the wrong type there (its
            // own 10 MB limit is tested in tests/playbook_api.rs).
            let expect = if *multipart { &[415][..] } else { hostile.expect };
            let mut req = authorised(&server, &visitor, method.clone(), path).body(hostile.body.clone());
            if let Some(ct) = hostile.content_type {
                req = req.header("content-type", ct);
            }
            let message = clear_error(req, expect, &what).await;
            if expect == [413] {
                assert!(message.contains(LIMIT_TEXT), "{what}: the message should name the limit: {message}");
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let beats = beats.await.expect("the heartbeat never failed");
    assert!(beats > 0, "ordinary requests were served meanwhile");
    eprintln!(
        "{} operations x {} hostile bodies; {beats} ordinary requests served meanwhile",
        operations.len(),
        bodies.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_soft_spots_answer_clearly() {
    let server = server().await;
    let visitor = server.new_visitor().await;
    let stop = Arc::new(AtomicBool::new(false));
    let beats = heartbeat(&server, stop.clone());
    // A 1 MB chat message: under the body limit, over the message limit.
    let body = chat_body("conv_hostile_1", "m1", &"a".repeat(1024 * 1024));
    let req = server.visitor(Method::POST, "/api/chat", &visitor).json(&body);
    let message = clear_error(req, &[400], "1 MB chat message").await;
    assert!(message.contains("4000"), "{message}");
    // Thousands of messages in one chat request: only the last one is the visitor's new message.
    let many: Vec<Value> = (0..20_000)
        .map(|i| json!({"id": format!("m{i}"), "role": "user", "parts": [{"type": "text", "text": "hi"}]}))
        .collect();
    let body = json!({"id": "conv_hostile_2", "messages": many, "trigger": "submit-message"});
    let resp = tokio::time::timeout(Duration::from_secs(20), server.chat(&visitor, &body)).await.expect("an answer");
    assert!(resp.status().as_u16() < 500, "20,000 messages: {}", resp.status());
    let _ = tokio::time::timeout(Duration::from_secs(20), resp.text()).await.expect("the answer ends");
    // 10,000 URL patterns on a persona.
    let patterns: Vec<String> = (0..10_000).map(|i| format!("/p{i}/**")).collect();
    let body =
        json!({"name": "Many", "systemPrompt": "x", "widget_id": server.keys.widget_id, "url_patterns": patterns});
    let req = server.client.post(server.url("/api/v1/personas")).bearer_auth(&server.keys.dev_key).json(&body);
    let message = clear_error(req, &[400], "10,000 url_patterns").await;
    assert!(message.contains("url_patterns"), "{message}");
    // Patterns built to make matching explode: refused, or matched in bounded time.
    let nasty = format!("/{}x", "**/".repeat(60));
    let body =
        json!({"name": "Nasty", "systemPrompt": "x", "widget_id": server.keys.widget_id, "url_patterns": [nasty]});
    let req = server.client.post(server.url("/api/v1/personas")).bearer_auth(&server.keys.dev_key).json(&body);
    let resp = tokio::time::timeout(Duration::from_secs(20), req.send()).await.expect("an answer").unwrap();
    assert!(resp.status().as_u16() < 500, "nested ** pattern: {}", resp.status());
    let page = format!("https://shop.example/{}", "a/".repeat(200));
    let send = server.widget(Method::POST, "/api/widget/session").json(&json!({"page_url": page})).send();
    let resp =
        tokio::time::timeout(Duration::from_secs(10), send).await.expect("choosing a persona stays fast").unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    // A huge query string and a hostile path segment.
    let req = server
        .client
        .get(server.url(&format!("/api/v1/leads?limit={}", "9".repeat(10_000))))
        .bearer_auth(&server.keys.dev_key);
    clear_error(req, &[400], "huge limit").await;
    let req = server.client.get(server.url("/api/v1/leads/%FF%FE")).bearer_auth(&server.keys.dev_key);
    clear_error(req, &[400, 404], "invalid UTF-8 in a path").await;
    stop.store(true, Ordering::Relaxed);
    assert!(beats.await.expect("the heartbeat never failed") > 0);
}

/// A body the server answers without reading (here a JSON body to the multipart upload: 415) is still read to its
/// end before the connection closes. Otherwise the unread bytes make the connection close with a reset, and a
/// client that is still sending gets "connection reset" instead of the answer (CI saw it once on an 800 KB body).
/// A plain socket, so nothing in a client library can mask the reset: the whole request is written, then read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_answered_before_it_is_read_still_gets_its_answer() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = server().await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    // Larger than a socket's buffers, so the server answers long before the client has finished sending.
    let body = vec![b'0'; 8 * 1024 * 1024];
    for attempt in 0..3 {
        let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /api/v1/playbook/generate HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {}\r\n\
             content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            server.keys.dev_key,
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        let sent = tokio::time::timeout(Duration::from_secs(20), socket.write_all(&body)).await;
        sent.expect("the body is taken within 20 s").unwrap_or_else(|e| panic!("attempt {attempt}: sending: {e}"));
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(20), socket.read_to_end(&mut answer)).await;
        read.expect("an answer within 20 s").unwrap_or_else(|e| panic!("attempt {attempt}: reading: {e}"));
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 415"), "attempt {attempt}: {answer}");
        assert!(answer.contains(r#"{"error":"#), "attempt {attempt}: the API's error shape: {answer}");
    }
}
