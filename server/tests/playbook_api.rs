//! Integration tests of the sales playbook: the CRUD API with its categories, the document upload (Markdown, text
//! and PDFs built here with `lopdf`; the 10 MB limit of that route; scans, corrupt files and wrong types refused),
//! the model path against a fake provider, and the responder answering a visitor's objection from an
//! `objection_handler` entry through `/api/chat`.

mod common;

use std::time::Duration;

use axum::routing::post;
use axum::{Json, Router};
use common::*;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream as PdfStream};
use quincer_server::responder::openai::LlmConfig;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The answer an objection handler gives, distinctive enough to find in a reply.
const ROI_ANSWER: &str = "Most teams earn the subscription back within seven weeks of switching";

impl TestServer {
    fn playbook(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1/playbook{path}"))).bearer_auth(&self.keys.dev_key)
    }

    async fn playbook_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.playbook(method, path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{status}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// `POST /api/v1/playbook/generate` with `file` (name, type, bytes), this widget and `mode`.
    async fn upload(&self, name: &str, mime: &str, bytes: Vec<u8>, mode: &str) -> reqwest::Response {
        let part = Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap();
        let form =
            Form::new().part("file", part).text("widgetId", self.keys.widget_id.clone()).text("mode", mode.to_owned());
        self.playbook(Method::POST, "/generate").multipart(form).send().await.unwrap()
    }

    async fn upload_ok(&self, name: &str, mime: &str, bytes: Vec<u8>, mode: &str) -> Value {
        let resp = self.upload(name, mime, bytes, mode).await;
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// The reply's text, and whether it is a text answer only (no product panel).
    async fn ask(&self, conversation: &str, question: &str) -> (String, bool) {
        let token = self.new_visitor().await;
        let stream = self.chat_ok(&token, &chat_body(conversation, "m1", question)).await;
        let text_only = !stream.types().iter().any(|t| t.starts_with("tool-"));
        if text_only {
            stream.assert_complete_answer();
        }
        (stream.text(), text_only)
    }
}

/// A one-page PDF showing `lines` top to bottom (an empty line leaves a gap), in Helvetica; with no lines, a page
/// holding only a drawn rectangle, as a scan without a text layer has no text either.
fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let resources_id = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font_id}});
    let mut ops = Vec::new();
    if lines.is_empty() {
        ops.push(Operation::new("re", vec![50.into(), 50.into(), 400.into(), 600.into()]));
        ops.push(Operation::new("f", vec![]));
    } else {
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new("Tf", vec!["F1".into(), 12.into()]));
        ops.push(Operation::new("TL", vec![16.into()]));
        ops.push(Operation::new("Td", vec![50.into(), 780.into()]));
        for line in lines {
            if !line.is_empty() {
                ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
            }
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
    }
    let content = Content { operations: ops };
    let content_id = doc.add_object(PdfStream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages_id, "Contents" => content_id});
    let pages = dictionary! {
        "Type" => "Pages",
        "Kids" => vec![page_id.into()],
        "Count" => 1,
        "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[tokio::test]
async fn entries_are_created_listed_updated_and_deleted_with_their_categories() {
    let server = TestServer::start().await;
    let w = server.keys.widget_id.clone();
    let created = server
        .playbook_ok(
            Method::POST,
            "",
            Some(json!({"category": "pricing", "title": "Plans", "content": "Starter is $49 a month.", "widgetId": w})),
        )
        .await;
    assert_eq!(created["object"], "playbook_entry");
    assert_eq!(created["category"], "pricing");
    assert_eq!(created["source"], "manual");
    assert_eq!(created["widget_id"], w.as_str());
    let id = created["id"].as_str().unwrap().to_owned();
    let mirror = created["knowledge_id"].as_str().expect("pricing is answered from").to_owned();
    let knowledge = server.client.get(server.url(&format!("/api/v1/knowledge/{mirror}")));
    let knowledge: Value = knowledge.bearer_auth(&server.keys.dev_key).send().await.unwrap().json().await.unwrap();
    assert_eq!((knowledge["source_type"].as_str(), knowledge["title"].as_str()), (Some("playbook"), Some("Plans")));

    let value = json!({"category": "value_prop", "title": "Why us", "content": "Answers in seconds."});
    let value = server.playbook_ok(Method::POST, "", Some(value)).await;
    assert_eq!(value["knowledge_id"], Value::Null, "value propositions are not answered from");

    // An unknown category names the choices, on create, update and the list filter.
    for (method, path) in [(Method::POST, String::new()), (Method::PATCH, format!("/{id}"))] {
        let resp = server
            .playbook(method, &path)
            .json(&json!({"category": "gossip", "title": "x", "content": "y"}))
            .send()
            .await
            .unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &["category", "objection_handler", "case_study"]).await;
    }
    let resp = server.playbook(Method::GET, "?category=gossip").send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["category", "value_prop"]).await;
    let resp = server.playbook(Method::POST, "").json(&json!({"category": "pricing", "title": "x"})).send().await;
    assert_error(resp.unwrap(), StatusCode::BAD_REQUEST, &["content"]).await;

    let list = server.playbook_ok(Method::GET, &format!("?widget_id={w}&category=pricing"), None).await;
    assert_eq!(list["object"], "list");
    assert_eq!(list["data"], list["playbook"]);
    let ids: Vec<&str> = list["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id.as_str()]);
    let all = server.playbook_ok(Method::GET, "?limit=1", None).await;
    assert_eq!((all["total"].as_i64(), all["has_more"].as_bool()), (Some(2), Some(true)));

    // POST and PATCH update; leaving the answering categories drops the mirror, entering them makes one.
    let got = server.playbook_ok(Method::POST, &format!("/{id}"), Some(json!({"title": "Plans and prices"}))).await;
    assert_eq!(
        (got["title"].as_str(), got["knowledge_id"].as_str()),
        (Some("Plans and prices"), Some(mirror.as_str()))
    );
    let got = server.playbook_ok(Method::PATCH, &format!("/{id}"), Some(json!({"category": "case_study"}))).await;
    assert_eq!(got["knowledge_id"], Value::Null);
    let resp = server.client.get(server.url(&format!("/api/v1/knowledge/{mirror}"))).bearer_auth(&server.keys.dev_key);
    assert_eq!(resp.send().await.unwrap().status(), StatusCode::NOT_FOUND, "the mirror went with the category");
    let got =
        server.playbook_ok(Method::PATCH, &format!("/{id}"), Some(json!({"category": "objection_handler"}))).await;
    assert!(got["knowledge_id"].is_string());
    assert_eq!(server.playbook_ok(Method::GET, &format!("/{id}"), None).await, got);

    let deleted = server.playbook_ok(Method::DELETE, &format!("/{id}"), None).await;
    assert_eq!(deleted, json!({"object": "playbook_entry", "id": id, "deleted": true}));
    let resp = server.playbook(Method::GET, &format!("/{id}")).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["playbook entry"]).await;
    let mirrors = server.client.get(server.url("/api/v1/knowledge?source_type=playbook"));
    let mirrors: Value = mirrors.bearer_auth(&server.keys.dev_key).send().await.unwrap().json().await.unwrap();
    assert_eq!(mirrors["total"], 0, "{mirrors}");
}

#[tokio::test]
async fn a_visitors_objection_is_answered_from_the_objection_handler() {
    let server = TestServer::start().await;
    // The demo is a shop: without a playbook, "too expensive" reads as a request for cheaper products.
    let (before, text_only) = server.ask("conv_pb_before", "it's too expensive").await;
    assert!(!before.contains(ROI_ANSWER) && !text_only, "{before}");
    let entry = json!({
        "category": "objection_handler",
        "title": "It's too expensive",
        "content": format!("{ROI_ANSWER}: one saved sale a week pays for the plan."),
    });
    let entry = server.playbook_ok(Method::POST, "", Some(entry)).await;
    let (reply, text_only) = server.ask("conv_pb_objection", "it's too expensive").await;
    assert!(reply.contains(ROI_ANSWER), "the reply should draw on the objection handler: {reply}");
    assert!(text_only, "the handler answers, not a product panel");

    // A support persona does not argue from the playbook: the shop's reading (cheaper products) is back.
    let set_mode = |mode: &'static str| {
        let personas = server.url("/api/v1/personas");
        let key = server.keys.dev_key.clone();
        let client = server.client.clone();
        async move {
            let list: Value = client.get(&personas).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
            let default = list["data"].as_array().unwrap().iter().find(|p| p["is_default"] == true).unwrap().clone();
            let url = format!("{personas}/{}", default["id"].as_str().unwrap());
            let resp = client.patch(url).bearer_auth(&key).json(&json!({"agent_mode": mode})).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
        }
    };
    set_mode("support").await;
    let (support, text_only) = server.ask("conv_pb_support", "it's too expensive").await;
    assert!(!text_only, "a support persona shows the cheaper products: {support}");
    set_mode("sales").await;
    let (sales, _) = server.ask("conv_pb_sales", "it's too expensive").await;
    assert!(sales.contains(ROI_ANSWER), "{sales}");

    // Deleted, it is no longer used.
    server.playbook_ok(Method::DELETE, &format!("/{}", entry["id"].as_str().unwrap()), None).await;
    let (after, _) = server.ask("conv_pb_after", "it's too expensive").await;
    assert!(!after.contains(ROI_ANSWER), "{after}");
}

#[tokio::test]
async fn markdown_sections_are_imported_as_categorised_entries() {
    let server = TestServer::start().await;
    let doc = format!(
        "# Why Northwind\nWe answer every shopper in seconds.\n\n## Pricing\nStarter is $49 per month, Pro $99 per month.\n\n\
         ## Objection: \"It's too expensive\"\n{ROI_ANSWER}.\n\n## Northwind vs ChatCo\nUnlike ChatCo, no per-seat fees.\n\n\
         ## Case study: Acme\nAcme doubled its conversion rate.\n\n## Results\nA 35% increase in leads and 12 hours per week saved.\n"
    );
    let got = server.upload_ok("sales.md", "text/markdown", doc.into_bytes(), "import").await;
    assert_eq!((got["mode"].as_str(), got["generator"].as_str()), (Some("import"), Some("rules")));
    let entries: Vec<(&str, &str)> = got["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["title"].as_str().unwrap(), e["category"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            ("Why Northwind", "value_prop"),
            ("Pricing", "pricing"),
            ("Objection: \"It's too expensive\"", "objection_handler"),
            ("Northwind vs ChatCo", "competitor_comparison"),
            ("Case study: Acme", "case_study"),
            ("Results", "roi_data"),
        ]
    );
    assert_eq!(got["data"][1]["content"], "Starter is $49 per month, Pro $99 per month.");
    assert_eq!(got["data"][0]["source"], "import");
    let list = server.playbook_ok(Method::GET, "?category=objection_handler", None).await;
    assert_eq!(list["total"], 1);
    // Imported handlers are answered from too.
    let (reply, _) = server.ask("conv_pb_md", "it's too expensive").await;
    assert!(reply.contains(ROI_ANSWER), "{reply}");
}

#[tokio::test]
async fn a_pdfs_text_is_imported_and_generate_falls_back_to_the_rules_without_a_model() {
    let server = TestServer::start().await;
    let bytes = pdf(&[
        "Pricing",
        "The Starter plan costs 49 dollars per month.",
        "",
        "Too expensive objection",
        "Remind them that one saved sale a week pays for the plan.",
    ]);
    let got = server.upload_ok("deck.pdf", "application/pdf", bytes.clone(), "import").await;
    let entries: Vec<(&str, &str)> = got["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["title"].as_str().unwrap(), e["category"].as_str().unwrap()))
        .collect();
    assert_eq!(entries, [("Pricing", "pricing"), ("Too expensive objection", "objection_handler")], "{got}");
    assert!(got["data"][1]["content"].as_str().unwrap().contains("one saved sale a week"), "{got}");
    // No model is configured: `generate` says it used the rules.
    let got = server.upload_ok("deck.pdf", "application/octet-stream", bytes, "generate").await;
    assert_eq!((got["mode"].as_str(), got["generator"].as_str()), (Some("generate"), Some("rules")));
    assert_eq!(got["data"][0]["source"], "generate");
    // A plain-text file of 3 MB: over the 2 MB every other route allows, within this route's 10 MB.
    let mut text = String::from("Pricing\nThe Starter plan costs 49 dollars per month.\n\nWhy us\n");
    while text.len() < 3 * 1024 * 1024 {
        text.push_str("Shoppers get answers in seconds, day and night, in their own language.\n");
    }
    let got = server.upload_ok("notes.txt", "text/plain", text.into_bytes(), "import").await;
    assert_eq!(got["data"][0]["title"], "Pricing");
}

#[tokio::test]
async fn scans_corrupt_files_wrong_types_and_oversized_uploads_are_refused() {
    let server = TestServer::start().await;
    let resp = server.upload("scan.pdf", "application/pdf", pdf(&[]), "import").await;
    assert_error(resp, StatusCode::UNPROCESSABLE_ENTITY, &["no text layer", "scan"]).await;
    let mut corrupt = pdf(&["Pricing", "49 dollars"]);
    corrupt.truncate(60);
    let resp = server.upload("broken.pdf", "application/pdf", corrupt, "import").await;
    assert_error(resp, StatusCode::UNPROCESSABLE_ENTITY, &["PDF", "could not be read"]).await;
    let resp = server.upload("fake.pdf", "application/pdf", b"hello".to_vec(), "import").await;
    assert_error(resp, StatusCode::UNPROCESSABLE_ENTITY, &["not a valid PDF"]).await;
    let resp = server.upload("logo.png", "image/png", b"\x89PNG\r\n\x1a\n\0\0".to_vec(), "import").await;
    assert_error(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE, &["PDF", "Markdown", "plain-text"]).await;
    let resp = server.upload("big.txt", "text/plain", vec![b'a'; 10 * 1024 * 1024 + 1], "import").await;
    assert_error(resp, StatusCode::PAYLOAD_TOO_LARGE, &["10 MB"]).await;
    let resp = server.upload("huge.txt", "text/plain", vec![b'a'; 12 * 1024 * 1024], "import").await;
    assert_error(resp, StatusCode::PAYLOAD_TOO_LARGE, &["10 MB"]).await;
    let resp = server.upload("a.md", "text/markdown", b"# Pricing\n$1".to_vec(), "summarise").await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["mode", "generate", "import"]).await;
    let form = Form::new().text("widgetId", server.keys.widget_id.clone());
    let resp = server.playbook(Method::POST, "/generate").multipart(form).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["file"]).await;
    let form = Form::new().part("file", Part::bytes(b"# Pricing\n$1".to_vec()).file_name("a.md"));
    let resp = server.playbook(Method::POST, "/generate").multipart(form).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["widgetId"]).await;
    let resp = server.playbook(Method::POST, "/generate").json(&json!({"widgetId": "x"})).send().await.unwrap();
    assert_error(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE, &["multipart/form-data"]).await;
    let listed = server.playbook_ok(Method::GET, "", None).await;
    assert_eq!(listed["total"], 0, "nothing refused was stored");
}

/// A provider answering every completion with `answer`; returns its `/v1` base URL.
async fn fake_provider(answer: &'static str) -> String {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |Json(body): Json<Value>| async move {
            assert_eq!(body["stream"], false);
            assert!(body["messages"][0]["content"].as_str().unwrap().contains("objection_handler"));
            Json(json!({"choices": [{"message": {"role": "assistant", "content": answer}}]}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1")
}

async fn server_with_model(answer: &'static str) -> TestServer {
    let config = LlmConfig {
        base_url: fake_provider(answer).await,
        api_key: Some("sk-test".into()),
        model: "fake-large".into(),
        timeout: Duration::from_secs(5),
        tools: true,
    };
    TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| c.llm = Some(config)).await
}

#[tokio::test]
async fn generate_asks_the_model_and_falls_back_to_the_rules_on_a_useless_answer() {
    let server = server_with_model(
        r#"{"entries": [{"category": "objection_handler", "title": "Too expensive", "content": "Point to the seven-week payback."},
            {"category": "pricing", "title": "Plans", "content": "Starter 49 dollars a month."}]}"#,
    )
    .await;
    let doc = b"Pricing\nThe Starter plan costs 49 dollars per month.\n".to_vec();
    let got = server.upload_ok("deck.txt", "text/plain", doc.clone(), "generate").await;
    assert_eq!(got["generator"], "model");
    let titles: Vec<&str> = got["data"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Too expensive", "Plans"]);
    // `import` never asks the model.
    let got = server.upload_ok("deck.txt", "text/plain", doc.clone(), "import").await;
    assert_eq!((got["generator"].as_str(), got["data"][0]["title"].as_str()), (Some("rules"), Some("Pricing")));

    let server = server_with_model("Sorry, I can't do that.").await;
    let got = server.upload_ok("deck.txt", "text/plain", doc, "generate").await;
    assert_eq!(got["generator"], "rules");
    assert!(got["warning"].as_str().unwrap().contains("JSON"), "{got}");
    assert_eq!(got["data"][0]["title"], "Pricing");
}
