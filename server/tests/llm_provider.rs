//! Integration tests of the OpenAI-compatible model provider, against a fake provider started in the test (axum on
//! 127.0.0.1:0) that speaks the chat-completions streaming format.
//!
//! The fake picks its behaviour from the visitor's newest message: a plain question streams text in chunks cut
//! mid-JSON; `PRODUCTS` streams text then a `show_products` call whose arguments arrive in fragments; `ONLY
//! PRODUCTS` the call alone; `FAIL` answers 500, `GARBAGE` a stream of non-JSON, `STALL` one chunk then silence,
//! `SILENT` no headers at all. Non-streamed requests are translations: the fake answers `(<language>) <text>`.
//!
//! Covered:
//! - What the provider receives: the persona's system prompt, the knowledge found, the history, `stream: true`, the
//!   Bearer key, the `show_products` tool only with a catalog.
//! - The widget's stream: the model's text; for a tool call, the panel of real catalog products, stored and restored.
//! - Failures (500, garbage, a stall past the timeout, no answer at all, nothing listening): an `error` chunk and a
//!   finished stream, quickly.
//! - `GET /api/v1/models`: the provider's models and the offline responder, cached (the fake counts calls); the
//!   offline responder alone without a provider; the configured model when the provider is down.
//! - `ai_model`: validated against the provider's models, and it picks the model (or the offline responder).
//! - Agent replies: translated into the visitor's language with a provider; unchanged without one or on failure.

mod common;

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::catalog::ids::{DRIZZLE, STORM_SHELL};
use common::*;
use futures_util::StreamExt;
use quincer_server::responder::openai::LlmConfig;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The provider's timeout in these tests: long enough for a loaded machine, short enough for stall tests.
const TIMEOUT: Duration = Duration::from_millis(1500);
const KEY: &str = "sk-test-123";
const DEFAULT_MODEL: &str = "fake-large";

/// What the fake provider saw.
#[derive(Clone, Default)]
struct Fake {
    /// (Authorization header, body) of every chat-completions request.
    requests: Arc<Mutex<Vec<(String, Value)>>>,
    /// `GET /models` calls.
    model_lists: Arc<AtomicUsize>,
}

impl Fake {
    fn requests(&self) -> Vec<(String, Value)> {
        self.requests.lock().unwrap().clone()
    }

    /// Streamed (chat) requests only.
    fn chats(&self) -> Vec<Value> {
        self.requests().into_iter().map(|(_, b)| b).filter(|b| b["stream"] == true).collect()
    }

    /// Starts the fake on port 0; returns its `/v1` base URL.
    async fn start(&self) -> String {
        let app = Router::new()
            .route("/v1/chat/completions", post(completions))
            .route("/v1/models", get(models))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}/v1")
    }
}

async fn models(State(fake): State<Fake>) -> Json<Value> {
    fake.model_lists.fetch_add(1, Ordering::SeqCst);
    Json(json!({"object": "list", "data": [
        {"id": DEFAULT_MODEL, "object": "model", "owned_by": "fakes"},
        {"id": "fake-small", "object": "model", "owned_by": "fakes"},
    ]}))
}

fn chunk(delta: Value, finish: Option<&str>) -> String {
    let c = json!({"id": "c1", "object": "chat.completion.chunk", "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
    format!("data: {c}\n\n")
}

/// A `text/event-stream` body of `pieces`, one network write each (a few ms apart, so reads see them apart).
fn sse(pieces: Vec<String>, then_stall: bool) -> Response {
    let items = futures_util::stream::iter(pieces).then(|p| async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok::<_, Infallible>(Bytes::from(p))
    });
    let body = if then_stall {
        Body::from_stream(items.chain(futures_util::stream::pending()))
    } else {
        Body::from_stream(items)
    };
    Response::builder().header("content-type", "text/event-stream").body(body).unwrap()
}

/// The tool call `show_products` with `args`, cut into fragments mid-string.
fn tool_call_pieces(args: &str) -> Vec<String> {
    let mut pieces = vec![chunk(
        json!({"tool_calls": [{"index": 0, "id": "call_fake", "type": "function",
            "function": {"name": "show_products", "arguments": ""}}]}),
        None,
    )];
    let cut = [0, args.len() / 3, 2 * args.len() / 3, args.len()];
    for w in cut.windows(2) {
        pieces.push(chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": &args[w[0]..w[1]]}}]}), None));
    }
    pieces.push(chunk(json!({}), Some("tool_calls")));
    pieces.push("data: [DONE]\n\n".into());
    pieces
}

async fn completions(State(fake): State<Fake>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    fake.requests.lock().unwrap().push((auth, body.clone()));
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    let last = messages.last().and_then(|m| m["content"].as_str()).unwrap_or_default().to_owned();
    if body["stream"] != true {
        // A translation: the system prompt names the language.
        let system = messages[0]["content"].as_str().unwrap_or_default();
        if last.contains("FAIL") {
            return (AxumStatus::INTERNAL_SERVER_ERROR, Json(json!({"error": {"message": "translator down"}})))
                .into_response();
        }
        let language = ["French", "German", "Spanish"].into_iter().find(|l| system.contains(l)).unwrap_or("?");
        return Json(json!({"object": "chat.completion", "choices": [{"index": 0,
            "message": {"role": "assistant", "content": format!("({language}) {last}")}, "finish_reason": "stop"}]}))
        .into_response();
    }
    if last.contains("FAIL") {
        return (AxumStatus::INTERNAL_SERVER_ERROR, Json(json!({"error": {"message": "CUDA out of memory"}})))
            .into_response();
    }
    if last.contains("GARBAGE") {
        return sse(vec!["data: <html>502 Bad Gateway</html>\n\n".into()], false);
    }
    if last.contains("STALL") {
        return sse(vec![chunk(json!({"content": "Let me "}), None)], true);
    }
    if last.contains("SILENT") {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    let args = r#"{"query": "waterproof jacket", "max_price": "150"}"#;
    if last.contains("ONLY PRODUCTS") {
        return sse(tool_call_pieces(args), false);
    }
    if last.contains("PRODUCTS") {
        let mut pieces = vec![chunk(json!({"role": "assistant", "content": "Let me check our jackets."}), None)];
        pieces.extend(tool_call_pieces(args));
        return sse(pieces, false);
    }
    // Plain text, with a chunk cut in the middle of its JSON and a keep-alive comment.
    let hello = chunk(json!({"content": "Hello"}), None);
    let (a, b) = hello.split_at(hello.len() / 2);
    sse(
        vec![
            chunk(json!({"role": "assistant", "content": ""}), None),
            a.to_owned(),
            b.to_owned(),
            ": keep-alive\n\n".into(),
            chunk(json!({"content": " from the"}), None) + &chunk(json!({"content": " model."}), None),
            chunk(json!({}), Some("stop")),
            "data: [DONE]\n\n".into(),
        ],
        false,
    )
}

/// A server whose provider is the fake at `base_url`.
async fn server_with(base_url: &str) -> TestServer {
    let config = LlmConfig {
        base_url: base_url.to_owned(),
        api_key: Some(KEY.into()),
        model: DEFAULT_MODEL.into(),
        timeout: TIMEOUT,
        tools: true,
    };
    TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| c.llm = Some(config)).await
}

/// A fake provider and a server using it, with a visitor.
async fn setup() -> (Fake, TestServer, String) {
    let fake = Fake::default();
    let server = server_with(&fake.start().await).await;
    let token = server.new_visitor().await;
    (fake, server, token)
}

async fn dev(server: &TestServer, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
    let mut req =
        server.client.request(method, server.url(&format!("/api/v1{path}"))).bearer_auth(&server.keys.dev_key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

async fn dev_ok(server: &TestServer, method: Method, path: &str, body: Option<Value>) -> Value {
    let resp = dev(server, method.clone(), path, body).await;
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{method} {path} → {status}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn system_prompt(request: &Value) -> String {
    assert_eq!(request["messages"][0]["role"], "system", "{request}");
    request["messages"][0]["content"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn answers_stream_from_the_model_with_persona_knowledge_and_history() {
    let (fake, server, token) = setup().await;
    server.clear_catalog().await;
    let first = server.chat_ok(&token, &chat_body("conv_llm", "u1", "hello there")).await;
    first.assert_complete_answer();
    assert_eq!(first.text(), "Hello from the model.");

    let second = server.chat_ok(&token, &chat_body("conv_llm", "u2", SHIPPING_QUESTION)).await;
    second.assert_complete_answer();
    assert_eq!(second.text(), "Hello from the model.");

    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    let (auth, body) = &requests[1];
    assert_eq!(auth, &format!("Bearer {KEY}"));
    assert_eq!(body["model"], DEFAULT_MODEL);
    assert_eq!(body["stream"], true);
    let system = system_prompt(body);
    assert!(
        system.starts_with("You are Ava, Northwind Outfitters' friendly and concise outdoor-gear assistant."),
        "{system}"
    );
    assert!(system.contains("## Shipping times and costs"), "the knowledge found is the context: {system}");
    assert!(system.contains("3 to 5 business days"), "{system}");
    let turns: Vec<(&str, &str)> = body["messages"].as_array().unwrap()[1..]
        .iter()
        .map(|m| (m["role"].as_str().unwrap(), m["content"].as_str().unwrap()))
        .collect();
    assert_eq!(
        turns,
        [("user", "hello there"), ("assistant", "Hello from the model."), ("user", SHIPPING_QUESTION)],
        "the history, then the question"
    );
    assert!(body.get("tools").is_none(), "no catalog, no show_products tool: {body}");

    let transcript = server.transcript_ok(&token, "conv_llm").await;
    assert_eq!(transcript["messages"][3]["text"], "Hello from the model.", "{transcript}");
}

/// The `tool-input-available` and `tool-output-available` chunks of a stream.
fn tool_chunks(stream: &Stream) -> (Value, Value) {
    let input = stream.chunks.iter().find(|c| c["type"] == "tool-input-available").expect("tool input").clone();
    let output = stream.chunks.iter().find(|c| c["type"] == "tool-output-available").expect("tool output").clone();
    (input, output)
}

#[tokio::test]
async fn a_show_products_call_streams_a_panel_of_real_products() {
    let (fake, server, token) = setup().await;
    server.seed_catalog().await;
    let stream = server.chat_ok(&token, &chat_body("conv_tool", "u1", "PRODUCTS: any waterproof jackets?")).await;
    assert!(stream.done);
    assert_eq!(
        stream.types(),
        ["start", "text-start", "text-delta", "text-end", "tool-input-available", "tool-output-available", "finish"]
    );
    assert_eq!(stream.text(), "Let me check our jackets.");
    let (input, output) = tool_chunks(&stream);
    assert_eq!(input["toolName"], "show_products");
    assert_eq!(input["input"], json!({"query": "waterproof jacket", "max_price": "150.00"}), "what was searched");
    assert_eq!(output["toolCallId"], input["toolCallId"]);
    let ids: Vec<u64> =
        output["output"]["products"].as_array().unwrap().iter().map(|p| p["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [DRIZZLE, STORM_SHELL], "the catalog's products, found by the server");
    assert_eq!(output["output"]["products"][1]["variants"][0]["price"], "129.00");

    let request = &fake.chats()[0];
    assert_eq!(request["tools"][0]["function"]["name"], "show_products");
    assert!(system_prompt(request).contains("call `show_products`"));

    // Stored as one message with its panel, restored as the offline path restores it.
    let transcript = server.transcript_ok(&token, "conv_tool").await;
    let parts = transcript["messages"][1]["parts"].as_array().unwrap().clone();
    assert_eq!(parts.len(), 2, "{transcript}");
    assert_eq!(parts[0], json!({"type": "text", "text": "Let me check our jackets."}));
    assert_eq!(parts[1]["type"], "tool-show_products");
    assert_eq!(parts[1]["output"], output["output"]);

    // A call without text gets the server's lead-in, naming what was understood.
    let stream = server.chat_ok(&token, &chat_body("conv_tool2", "u1", "ONLY PRODUCTS please")).await;
    assert_eq!(stream.text(), "Here are 2 jackets under $150:");
    assert_eq!(tool_chunks(&stream).1["output"]["products"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn provider_failures_end_the_stream_with_an_error_chunk() {
    let (_fake, server, token) = setup().await;
    for (i, question) in ["FAIL please", "GARBAGE please", "STALL please", "SILENT please"].iter().enumerate() {
        let started = Instant::now();
        let stream = server.chat_ok(&token, &chat_body(&format!("conv_fail{i}"), "u1", question)).await;
        let elapsed = started.elapsed();
        assert!(stream.done, "{question}: the stream finishes");
        let types = stream.types();
        assert_eq!(types[types.len() - 2..], ["error", "finish"], "{question}: {types:?}");
        let error = stream.chunks[types.len() - 2]["errorText"].as_str().unwrap().to_owned();
        assert!(error.contains("Please try again"), "{question}: {error}");
        for leak in ["500", "CUDA", "html", "127.0.0.1", "timeout"] {
            assert!(!error.contains(leak), "{question}: the visitor sees nothing internal: {error}");
        }
        assert!(elapsed < TIMEOUT * 3, "{question}: took {elapsed:?}");
        if question.starts_with("STALL") {
            assert!(elapsed >= TIMEOUT, "the stall is waited for up to the timeout: {elapsed:?}");
            assert_eq!(stream.text(), "Let me ", "what came before the stall is kept");
            assert!(error.contains("too long"), "{error}");
        }
    }
    // Nothing listening at all.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}/v1", closed.local_addr().unwrap());
    drop(closed);
    let server = server_with(&dead).await;
    let token = server.new_visitor().await;
    let stream = server.chat_ok(&token, &chat_body("conv_dead", "u1", SHIPPING_QUESTION)).await;
    assert_eq!(stream.types(), ["start", "error", "finish"]);
    assert!(stream.done);
}

#[tokio::test]
async fn models_lists_the_provider_and_offline_and_caches() {
    let (fake, server, _token) = setup().await;
    let first = dev_ok(&server, Method::GET, "/models", None).await;
    let again = dev_ok(&server, Method::GET, "/models", None).await;
    assert_eq!(first, again);
    assert_eq!(fake.model_lists.load(Ordering::SeqCst), 1, "cached for 10 minutes");
    assert_eq!(first["object"], "list");
    assert_eq!(first["url"], "/api/v1/models");
    assert_eq!(first["has_more"], false);
    assert_eq!(first["total"], 3);
    assert_eq!(first["models"], first["data"], "legacy items");
    assert_eq!(
        first["data"],
        json!([
            {"object": "model", "id": "fake-large", "provider": "openai-compatible", "owned_by": "fakes", "default": true, "purpose": "chat"},
            {"object": "model", "id": "fake-small", "provider": "openai-compatible", "owned_by": "fakes", "default": false, "purpose": "chat"},
            {"object": "model", "id": "quincer-offline", "provider": "offline", "owned_by": "quincer", "default": false, "purpose": "chat"},
        ])
    );
    let reader = server.mint_key(&["conversations:read"]).await;
    let resp = server.client.get(server.url("/api/v1/models")).bearer_auth(&reader).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["widgets:read"]).await;

    // Without a provider: the offline responder alone, the default.
    let plain = TestServer::start().await;
    let list = dev_ok(&plain, Method::GET, "/models", None).await;
    assert_eq!(
        list["data"],
        json!([{"object": "model", "id": "quincer-offline", "provider": "offline", "owned_by": "quincer", "default": true, "purpose": "chat"}])
    );

    // The provider down: its configured model and the offline responder, still a 200.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}/v1", closed.local_addr().unwrap());
    drop(closed);
    let down = server_with(&dead).await;
    let list = dev_ok(&down, Method::GET, "/models", None).await;
    let ids: Vec<&str> = list["data"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["fake-large", "quincer-offline"]);
}

#[tokio::test]
async fn ai_model_is_validated_and_picks_the_model() {
    let (fake, server, token) = setup().await;
    server.clear_catalog().await;
    let path = format!("/widgets/{}", server.keys.widget_id);
    let widget = dev_ok(&server, Method::GET, &path, None).await;
    assert_eq!(widget["ai_model"], Value::Null, "unset: the server's default");

    let resp = dev(&server, Method::POST, &path, Some(json!({"aiModel": "gpt-imaginary"}))).await;
    let msg = assert_error(resp, StatusCode::BAD_REQUEST, &["`ai_model`", "fake-small", "quincer-offline"]).await;
    assert!(msg.contains("/api/v1/models"), "{msg}");
    let resp = dev(&server, Method::POST, &path, Some(json!({"ai_model": "two words"}))).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["`ai_model`"]).await;

    let widget = dev_ok(&server, Method::POST, &path, Some(json!({"aiModel": "fake-small"}))).await;
    assert_eq!(widget["ai_model"], "fake-small");
    server.chat_ok(&token, &chat_body("conv_small", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    assert_eq!(fake.chats().last().unwrap()["model"], "fake-small");

    let widget = dev_ok(&server, Method::PATCH, &path, Some(json!({"ai_model": "quincer-offline"}))).await;
    assert_eq!(widget["ai_model"], "quincer-offline");
    let before = fake.chats().len();
    let stream = server.chat_ok(&token, &chat_body("conv_offline", "u1", SHIPPING_QUESTION)).await;
    assert!(stream.text().contains("business days"), "the offline responder answers: {}", stream.text());
    assert_eq!(fake.chats().len(), before, "the provider is not asked");

    let widget = dev_ok(&server, Method::POST, &path, Some(json!({"ai_model": null}))).await;
    assert_eq!(widget["ai_model"], Value::Null);
    server.chat_ok(&token, &chat_body("conv_default", "u1", SHIPPING_QUESTION)).await;
    assert_eq!(fake.chats().last().unwrap()["model"], DEFAULT_MODEL);

    // A new widget can pick a model when it is created.
    let created =
        dev_ok(&server, Method::POST, "/widgets", Some(json!({"brand": "Acme", "ai_model": "fake-small"}))).await;
    assert_eq!(created["ai_model"], "fake-small");

    // Without a provider, only the offline responder can be picked.
    let plain = TestServer::start().await;
    let path = format!("/widgets/{}", plain.keys.widget_id);
    let resp = dev(&plain, Method::POST, &path, Some(json!({"ai_model": "fake-small"}))).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["`ai_model`", "no model provider"]).await;
    let widget = dev_ok(&plain, Method::POST, &path, Some(json!({"ai_model": "quincer-offline"}))).await;
    assert_eq!(widget["ai_model"], "quincer-offline");
}

/// Chats once in `conversation` with the visitor's `locale`, then takes the conversation over.
async fn taken_over(server: &TestServer, token: &str, conversation: &str, locale: Option<&str>) {
    let mut body = chat_body(conversation, "u1", "hello");
    if let Some(locale) = locale {
        body["locale"] = json!(locale);
    }
    server.chat_ok(token, &body).await;
    dev_ok(
        server,
        Method::POST,
        &format!("/conversations/{conversation}/takeover"),
        Some(json!({"actor_name": "Sam"})),
    )
    .await;
}

async fn reply(server: &TestServer, conversation: &str, text: &str) -> Value {
    let resp =
        dev(server, Method::POST, &format!("/conversations/{conversation}/reply"), Some(json!({"text": text}))).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn agent_replies_are_translated_into_the_visitors_language() {
    let (fake, server, token) = setup().await;
    taken_over(&server, &token, "conv_fr", Some("fr-fr")).await;
    let sent = reply(&server, "conv_fr", "Your order has shipped.").await;
    assert_eq!(sent["object"], "message");
    assert_eq!(sent["text"], "(French) Your order has shipped.");
    assert_eq!(sent["original_text"], "Your order has shipped.");
    assert_eq!(sent["translated_to"], "fr-FR", "the visitor's language, canonical");
    let translation =
        fake.requests().into_iter().map(|(_, b)| b).find(|b| b["stream"] == false).expect("a translation");
    assert_eq!(translation["model"], DEFAULT_MODEL);
    assert!(system_prompt(&translation).contains("French (fr-FR)"));
    // The visitor's transcript has the translation.
    let transcript = server.transcript_ok(&token, "conv_fr").await;
    let last = transcript["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["role"].as_str(), last["text"].as_str()),
        (Some("agent"), Some("(French) Your order has shipped."))
    );

    // A failed translation sends the original.
    let sent = reply(&server, "conv_fr", "FAIL: we are looking into it").await;
    assert_eq!(sent["text"], "FAIL: we are looking into it");
    assert_eq!(sent["translated_to"], Value::Null);

    // The widget's own language, or no language reported: unchanged, and no model call.
    let before = fake.requests().len();
    taken_over(&server, &token, "conv_en", Some("en-GB")).await;
    taken_over(&server, &token, "conv_none", None).await;
    let after_chats = fake.requests().len();
    assert_eq!(after_chats, before + 2, "two chats only");
    for conversation in ["conv_en", "conv_none"] {
        let sent = reply(&server, conversation, "Your order has shipped.").await;
        assert_eq!((sent["text"].as_str(), sent["translated_to"].as_str()), (Some("Your order has shipped."), None));
        assert_eq!(sent["original_text"], "Your order has shipped.");
    }
    assert_eq!(fake.requests().len(), after_chats, "no translation requested");

    // A malformed locale is refused, naming the field.
    let mut body = chat_body("conv_bad", "u1", "hello");
    body["locale"] = json!("french please");
    assert_error(server.chat(&token, &body).await, StatusCode::BAD_REQUEST, &["`locale`"]).await;
}

#[tokio::test]
async fn without_a_provider_agent_replies_pass_through() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    taken_over(&server, &token, "conv_plain", Some("de")).await;
    let sent = reply(&server, "conv_plain", "Your order has shipped.").await;
    assert_eq!(sent["text"], "Your order has shipped.");
    assert_eq!(sent["original_text"], "Your order has shipped.");
    assert_eq!(sent["translated_to"], Value::Null);
}
