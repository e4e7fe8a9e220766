//! Lead emails (`/api/v1/leads/:id/emails`): drafts written from the lead and its conversation by the template
//! writer, edits, redrafts that change the text, approval, and real SMTP sends to a listener running in this test
//! (envelope, headers, a text/plain and a text/html part), with `email.draft_created` and `email.sent` webhooks;
//! an unreachable SMTP server leaves the email `failed` after the retries.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::receiver::Receiver;
use common::*;
use mail_parser::MessageParser;
use quincer_server::emails::{MailConfig, SendPolicy};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message the SMTP listener accepted.
#[derive(Debug, Clone)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

/// A small SMTP server on port 0: greets, answers EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-unstuffed), RSET, NOOP
/// and QUIT, and records each message.
#[derive(Clone)]
struct SmtpListener {
    port: u16,
    got: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpListener {
    async fn start() -> SmtpListener {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, g.clone()));
            }
        });
        SmtpListener { port, got }
    }

    async fn wait_for(&self, n: usize) -> Vec<Mail> {
        for _ in 0..400 {
            let got = self.got.lock().unwrap().clone();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("expected {n} messages, got {}", self.got.lock().unwrap().len());
    }
}

async fn session(socket: tokio::net::TcpStream, got: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 test.invalid ESMTP ready\r\n").await;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-test.invalid\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("RSET") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_owned();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().to_owned());
            b"250 OK\r\n"
        } else if upper.starts_with("DATA") {
            let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
            let mut data = Vec::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).await.unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                let l = l.strip_prefix('.').unwrap_or(&l);
                data.extend_from_slice(l.as_bytes());
            }
            got.lock().unwrap().push(Mail { from: from.clone(), to: to.clone(), data });
            b"250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// Fast retries: an unreachable server fails in well under a second.
fn fast() -> SendPolicy {
    SendPolicy {
        base: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        max_attempts: 3,
        timeout: Duration::from_secs(5),
    }
}

/// A server sending through `smtp_url` (none: sending off), with the fixture catalog.
async fn server(smtp_url: Option<String>) -> TestServer {
    let server = TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| {
        c.mail = MailConfig {
            smtp_url,
            mail_from: Some("Northwind Sales <sales@northwind.example>".into()),
            policy: fast(),
        };
    })
    .await;
    server.seed_catalog().await;
    server
}

struct Api {
    key: String,
}

impl Api {
    async fn new(server: &TestServer) -> Api {
        Api { key: server.mint_key(&["leads:read", "leads:write", "webhooks:manage"]).await }
    }

    async fn call(&self, server: &TestServer, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = server.client.request(method, server.url(path)).bearer_auth(&self.key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

/// A lead captured from a chat about a waterproof jacket (the assistant showed a product panel).
async fn lead_from_chat(server: &TestServer, api: &Api, email: Option<&str>) -> String {
    let token = server.new_visitor().await;
    let conversation = format!("conv_{}", quincer_server::ids::random_string(8));
    let stream =
        server.chat_ok(&token, &chat_body(&conversation, "u1", "Do you have a waterproof jacket under 150?")).await;
    assert!(stream.types().iter().any(|t| t.starts_with("tool-")), "the chat shows products: {:?}", stream.types());
    let mut body = json!({"widget_id": server.keys.widget_id, "name": "Ada Lovelace", "conversation_id": conversation});
    if let Some(e) = email {
        body["email"] = json!(e);
    }
    let (status, lead) = api.call(server, Method::POST, "/api/v1/leads", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{lead}");
    lead["id"].as_str().unwrap().to_owned()
}

async fn email_of(server: &TestServer, api: &Api, lead: &str, id: &str) -> Value {
    let (status, list) = api.call(server, Method::GET, &format!("/api/v1/leads/{lead}/emails"), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["data"].as_array().unwrap().iter().find(|e| e["id"] == id).cloned().expect("the email is listed")
}

#[tokio::test]
async fn a_draft_from_the_chat_is_edited_approved_and_sent_over_smtp() {
    let smtp = SmtpListener::start().await;
    let server = server(Some(format!("smtp://127.0.0.1:{}", smtp.port))).await;
    let api = Api::new(&server).await;
    let hooks = Receiver::start(vec![]).await;
    let (status, _) = api
        .call(
            &server,
            Method::POST,
            "/api/v1/webhooks",
            Some(json!({"url": hooks.url, "events": ["email.draft_created", "email.sent"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let lead = lead_from_chat(&server, &api, Some("ada@engines.example")).await;
    let base = format!("/api/v1/leads/{lead}/emails");

    // Generate: a draft written from the lead, the chat's topics and products, signed by the persona.
    let (status, draft) = api.call(&server, Method::POST, &format!("{base}/generate"), None).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["object"], "email");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["writer"], "template");
    let body = draft["body"].as_str().unwrap();
    // The demo persona (Ava) is told to be friendly: the casual register.
    assert!(body.starts_with("Hey Ada!"), "{body}");
    assert!(body.ends_with("Cheers,\nAva at Northwind Outfitters"), "signed by the persona: {body}");
    assert!(body.contains("your waterproof jacket question"), "the visitor's topic: {body}");
    assert!(body.contains("http"), "a product link from the panel: {body}");
    assert!(body.contains("USD"), "a price from the panel: {body}");
    let subject = draft["subject"].as_str().unwrap();
    assert_eq!(subject, "Your waterproof jacket question, answered!");
    let id = draft["id"].as_str().unwrap().to_owned();

    // Generating again reuses the draft.
    let (status, again) = api.call(&server, Method::POST, &format!("{base}/generate"), None).await;
    assert_eq!((status, again["id"].clone()), (StatusCode::OK, json!(id)));

    // Redraft: recognised instructions change the text itself; others are refused with the list.
    let (status, short) = api
        .call(
            &server,
            Method::POST,
            &format!("{base}/{id}/redraft"),
            Some(json!({"instructions": "Shorter, and more formal"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{short}");
    let short_body = short["body"].as_str().unwrap();
    assert!(short_body.len() < body.len(), "shorter:\n{short_body}\nthan:\n{body}");
    assert!(short_body.starts_with("Dear Ada Lovelace,") && short_body.contains("Kind regards"), "{short_body}");
    assert!(!short_body.to_lowercase().contains("shorter"), "the instruction is not pasted in: {short_body}");
    assert_eq!(short["instructions"], "Shorter, and more formal");
    let (status, err) = api
        .call(
            &server,
            Method::POST,
            &format!("{base}/{id}/redraft"),
            Some(json!({"instructions": "mention the summer sale"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"].as_str().unwrap().contains("more formal"), "{err}");

    // Edit by hand.
    let (status, edited) = api
        .call(&server, Method::PATCH, &format!("{base}/{id}"), Some(json!({"subject": "Your Storm Shell & more"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["subject"], "Your Storm Shell & more");
    let (status, _) = api.call(&server, Method::PATCH, &format!("{base}/{id}"), Some(json!({"subject": ""}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Approve: with an SMTP server configured, approving sends (202, queued); drafts-only operations are refused.
    let (status, queued) =
        api.call(&server, Method::POST, &format!("{base}/{id}"), Some(json!({"action": "approve"}))).await;
    assert_eq!((status, queued["status"].clone()), (StatusCode::ACCEPTED, json!("sending")), "{queued}");
    assert_eq!(queued["to"], "ada@engines.example");
    assert!(queued["approved_at"].is_string());
    let (status, err) = api.call(&server, Method::PATCH, &format!("{base}/{id}"), Some(json!({"body": "x"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    let (status, _) =
        api.call(&server, Method::POST, &format!("{base}/{id}/redraft"), Some(json!({"instructions": "longer"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = api.call(&server, Method::POST, &format!("{base}/{id}"), Some(json!({"action": "burn"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Accepted by the SMTP listener.
    let mail = smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.from, "<sales@northwind.example>");
    assert_eq!(mail.to, vec!["<ada@engines.example>".to_owned()]);
    let msg = MessageParser::default().parse(&mail.data).expect("a MIME message");
    let from = msg.from().and_then(|a| a.first()).unwrap();
    assert_eq!((from.name(), from.address()), (Some("Northwind Sales"), Some("sales@northwind.example")));
    let to = msg.to().and_then(|a| a.first()).unwrap();
    assert_eq!((to.name(), to.address()), (Some("Ada Lovelace"), Some("ada@engines.example")));
    assert_eq!(msg.subject(), Some("Your Storm Shell & more"));
    let message_id = msg.message_id().expect("a Message-ID").to_owned();
    assert!(message_id.starts_with(&id) && message_id.ends_with("@northwind.example"), "{message_id}");
    assert!(msg.date().is_some(), "a Date header");
    let text = msg.body_text(0).expect("a text/plain part");
    assert!(text.starts_with("Dear Ada Lovelace,"), "{text}");
    let html = msg.body_html(0).expect("a text/html part");
    assert!(html.contains("<p>Dear Ada Lovelace,</p>"), "{html}");
    assert_eq!(msg.text_body.len() + msg.html_body.len(), 2);

    // Recorded as sent with its Message-ID.
    let mut sent = Value::Null;
    for _ in 0..100 {
        sent = email_of(&server, &api, &lead, &id).await;
        if sent["status"] == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(sent["status"], "sent", "{sent}");
    assert_eq!(sent["message_id"], format!("<{message_id}>"));
    assert_eq!(sent["attempts"], 1);
    assert!(sent["sent_at"].is_string());
    let (status, _) = api.call(&server, Method::POST, &format!("{base}/{id}"), Some(json!({"action": "send"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a sent email is not sent twice");

    // Webhooks: the draft (generated, then redrafted) and the send, self-contained.
    let got = hooks.wait_for(3).await;
    let events: Vec<Value> = got.iter().map(|r| r.json()).collect();
    let names: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(names, ["email.draft_created", "email.draft_created", "email.sent"]);
    assert_eq!(events[0]["reason"], "generated");
    assert_eq!(events[0]["email"]["body"], body);
    assert_eq!(events[0]["lead"]["email"], "ada@engines.example");
    assert_eq!(events[1]["reason"], "redrafted");
    assert_eq!(events[2]["email"]["message_id"], format!("<{message_id}>"));
    assert_eq!(events[2]["leadId"], lead.as_str());
}

#[tokio::test]
async fn without_smtp_sending_is_409_naming_the_setting() {
    let server = server(None).await;
    let api = Api::new(&server).await;
    let lead = lead_from_chat(&server, &api, Some("ada@engines.example")).await;
    let (_, draft) = api.call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/generate"), None).await;
    let path = format!("/api/v1/leads/{lead}/emails/{}", draft["id"].as_str().unwrap());
    let (status, err) = api.call(&server, Method::POST, &path, Some(json!({"action": "send"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["error"].as_str().unwrap().contains("--smtp-url"), "{err}");
    // Approving needs no SMTP.
    let (status, _) = api.call(&server, Method::POST, &path, Some(json!({"action": "approve"}))).await;
    assert_eq!(status, StatusCode::OK);
    // Unknown lead and email: 404.
    let (status, _) = api.call(&server, Method::GET, "/api/v1/leads/lead_nope/emails", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .call(&server, Method::PATCH, &format!("/api/v1/leads/{lead}/emails/lem_nope"), Some(json!({"body": "x"})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unreachable_smtp_server_leaves_the_email_failed_after_the_retries() {
    // A port nothing listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let server = server(Some(format!("smtp://127.0.0.1:{port}"))).await;
    let api = Api::new(&server).await;
    let lead = lead_from_chat(&server, &api, Some("ada@engines.example")).await;
    let (_, draft) = api.call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/generate"), None).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    // No address on the lead: refused before queueing.
    let bare = lead_from_chat(&server, &api, None).await;
    let (_, bare_draft) = api.call(&server, Method::POST, &format!("/api/v1/leads/{bare}/emails/generate"), None).await;
    let (status, err) = api
        .call(
            &server,
            Method::POST,
            &format!("/api/v1/leads/{bare}/emails/{}", bare_draft["id"].as_str().unwrap()),
            Some(json!({"action": "send"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["error"].as_str().unwrap().contains("no email address"), "{err}");

    let (status, _) = api
        .call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/{id}"), Some(json!({"action": "send"})))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let mut email = Value::Null;
    for _ in 0..200 {
        email = email_of(&server, &api, &lead, &id).await;
        if email["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(email["status"], "failed", "{email}");
    assert_eq!(email["attempts"], 3, "every attempt of the policy was made: {email}");
    assert!(email["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{email}");
    assert!(email["message_id"].is_null());
    // Not lost: a failed email can be sent again.
    let (status, again) = api
        .call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/{id}"), Some(json!({"action": "send"})))
        .await;
    assert_eq!((status, again["status"].clone()), (StatusCode::ACCEPTED, json!("sending")));
}

/// A fake OpenAI-compatible provider answering non-streamed completions: a draft (`Subject: …`), or 500 when the
/// facts contain `FAIL`; it records the requests.
async fn fake_provider() -> (String, Arc<Mutex<Vec<Value>>>) {
    use axum::{extract::State, routing::post, Json, Router};
    async fn complete(State(seen): State<Arc<Mutex<Vec<Value>>>>, Json(body): Json<Value>) -> axum::response::Response {
        use axum::response::IntoResponse;
        seen.lock().unwrap().push(body.clone());
        let user = body["messages"][1]["content"].as_str().unwrap_or_default().to_owned();
        if user.contains("FAIL") {
            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": {"message": "down"}})))
                .into_response();
        }
        let text = if user.contains("Rewrite the draft") {
            "Subject: Storm Shell, briefly\n\nAda, the Storm Shell is yours for 129 USD.\n\nAva"
        } else {
            "Subject: Your Storm Shell\n\nHi Ada,\n\nThanks for asking about our jackets.\n\nAva"
        };
        Json(json!({"object": "chat.completion", "choices": [{"index": 0,
            "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}))
        .into_response()
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new().route("/v1/chat/completions", post(complete)).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/v1"), seen)
}

#[tokio::test]
async fn with_a_model_configured_the_model_writes_and_redrafts() {
    let (base_url, seen) = fake_provider().await;
    let server = TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| {
        c.llm = Some(quincer_server::responder::openai::LlmConfig {
            base_url,
            api_key: None,
            model: "fake-large".into(),
            timeout: Duration::from_secs(5),
            tools: true,
        });
    })
    .await;
    let api = Api::new(&server).await;
    let create = |name: &str| json!({"widget_id": server.keys.widget_id, "name": name, "email": "ada@engines.example", "company": "Engines"});
    let (_, lead) = api.call(&server, Method::POST, "/api/v1/leads", Some(create("Ada Lovelace"))).await;
    let lead = lead["id"].as_str().unwrap().to_owned();
    let (status, draft) = api.call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/generate"), None).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!((draft["writer"].as_str(), draft["subject"].as_str()), (Some("model"), Some("Your Storm Shell")));
    assert_eq!(draft["body"], "Hi Ada,\n\nThanks for asking about our jackets.\n\nAva");
    let request = seen.lock().unwrap()[0].clone();
    let system = request["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("Northwind Outfitters") && system.contains("Ava"), "brand and persona: {system}");
    let user = request["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("Ada Lovelace") && user.contains("Engines"), "the lead's facts: {user}");

    let id = draft["id"].as_str().unwrap();
    let (status, redrafted) = api
        .call(
            &server,
            Method::POST,
            &format!("/api/v1/leads/{lead}/emails/{id}/redraft"),
            Some(json!({"instructions": "much shorter, mention the price"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{redrafted}");
    assert_eq!(redrafted["subject"], "Storm Shell, briefly");
    let user = seen.lock().unwrap()[1]["messages"][1]["content"].as_str().unwrap().to_owned();
    assert!(user.contains("much shorter, mention the price") && user.contains("Thanks for asking"), "{user}");

    // The model failing: the template writer drafts instead, and says so.
    let (_, failing) = api.call(&server, Method::POST, "/api/v1/leads", Some(create("FAIL Test"))).await;
    let failing = failing["id"].as_str().unwrap().to_owned();
    let (status, draft) =
        api.call(&server, Method::POST, &format!("/api/v1/leads/{failing}/emails/generate"), None).await;
    assert_eq!((status, draft["writer"].as_str()), (StatusCode::CREATED, Some("template")), "{draft}");
    assert!(draft["body"].as_str().unwrap().contains("FAIL"), "greets the lead: {draft}");
}

/// Polls task `id` until the runner has finished it (`completed` or `failed`).
async fn finished_task(server: &TestServer, key: &str, id: &str) -> Value {
    for _ in 0..200 {
        let task: Value = server
            .client
            .get(server.url(&format!("/api/v1/tasks/{id}")))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if task["status"] == "completed" || task["status"] == "failed" {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("task {id} did not finish");
}

#[tokio::test]
async fn a_follow_up_task_drafts_the_email_and_an_email_task_sends_it_once_approved() {
    let smtp = SmtpListener::start().await;
    let server = server(Some(format!("smtp://127.0.0.1:{}", smtp.port))).await;
    let api = Api::new(&server).await;
    let key = server.mint_key(&["tasks:read", "tasks:write"]).await;
    let lead = lead_from_chat(&server, &api, Some("ada@engines.example")).await;
    let task = |kind: &str, execution: Option<Value>| {
        let mut body = json!({"widget_id": server.keys.widget_id, "type": kind, "title": kind, "lead_id": lead});
        if let Some(e) = execution {
            body["execution"] = e;
        }
        body
    };
    let schedule = |body: Value| {
        let request = server.client.post(server.url("/api/v1/tasks")).bearer_auth(&key).json(&body);
        async move {
            let resp = request.send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::CREATED);
            resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
        }
    };

    // follow_up: the runner writes the draft (the template writer: no model here).
    let done = finished_task(&server, &key, &schedule(task("follow_up", None)).await).await;
    assert_eq!(done["status"], "completed", "{done}");
    let email_id = done["result"]["email_id"].as_str().expect("the draft's id").to_owned();
    assert_eq!(done["result"]["reused_draft"], false);
    let draft = email_of(&server, &api, &lead, &email_id).await;
    assert_eq!((draft["status"].as_str(), draft["writer"].as_str()), (Some("draft"), Some("template")));
    assert_eq!(done["result"]["subject"], draft["subject"]);
    // A second follow-up reuses the draft rather than writing another.
    let again = finished_task(&server, &key, &schedule(task("follow_up", None)).await).await;
    assert_eq!(
        (again["result"]["email_id"].as_str(), again["result"]["reused_draft"].as_bool()),
        (Some(&*email_id), Some(true))
    );

    // email: nothing is approved and none is named, so the task fails at once, saying how to fix it.
    let refused = finished_task(&server, &key, &schedule(task("email", None)).await).await;
    assert_eq!(refused["status"], "failed", "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("no approved email"), "{refused}");
    let unknown =
        finished_task(&server, &key, &schedule(task("email", Some(json!({"email_id": "lem_nope"})))).await).await;
    assert!(unknown["error"].as_str().unwrap().contains("has no email `lem_nope`"), "{unknown}");
    assert_eq!(email_of(&server, &api, &lead, &email_id).await["status"], "draft", "nothing was sent");

    // An email task naming the draft sends it over SMTP (scheduling the send approves it).
    let sent = finished_task(&server, &key, &schedule(task("email", Some(json!({"email_id": email_id})))).await).await;
    assert_eq!(sent["status"], "completed", "{sent}");
    assert_eq!(
        (sent["result"]["email_id"].as_str(), sent["result"]["to"].as_str()),
        (Some(&*email_id), Some("ada@engines.example"))
    );
    let mail = smtp.wait_for(1).await.remove(0);
    let msg = MessageParser::default().parse(&mail.data).expect("a MIME message");
    assert_eq!(msg.subject(), draft["subject"].as_str());
    for _ in 0..100 {
        if email_of(&server, &api, &lead, &email_id).await["status"] == "sent" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the email was not recorded as sent");
}

#[tokio::test]
async fn email_tasks_without_smtp_fail_naming_the_setting_and_need_a_lead() {
    let server = server(None).await;
    let api = Api::new(&server).await;
    let key = server.mint_key(&["tasks:read", "tasks:write"]).await;
    let lead = lead_from_chat(&server, &api, Some("ada@engines.example")).await;
    let (_, draft) = api.call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/generate"), None).await;
    let id = draft["id"].as_str().unwrap();
    let (status, _) = api
        .call(&server, Method::POST, &format!("/api/v1/leads/{lead}/emails/{id}"), Some(json!({"action": "approve"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let post = |body: Value| server.client.post(server.url("/api/v1/tasks")).bearer_auth(&key).json(&body).send();
    let resp = post(json!({"widget_id": server.keys.widget_id, "type": "email", "title": "Send"})).await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("`lead_id` is required for `email` tasks"));
    let resp = post(json!({"widget_id": server.keys.widget_id, "type": "email", "title": "Send", "lead_id": lead}))
        .await
        .unwrap();
    let task: Value = resp.json().await.unwrap();
    let failed = finished_task(&server, &key, task["id"].as_str().unwrap()).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(failed["error"].as_str().unwrap().contains("--smtp-url"), "{failed}");
    assert_eq!(email_of(&server, &api, &lead, id).await["status"], "approved", "the email is kept, not lost");
}
