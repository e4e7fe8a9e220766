//! Helpers shared by the integration tests: a real server on port 0 with a temporary database, and readers for
//! the API's streams and error bodies.
#![allow(dead_code)] // each test file uses a different subset

pub mod catalog;
pub mod dev_api;
pub mod fixture;
pub mod postgres;
pub mod receiver;

use std::time::Duration;

use quincer_server::demo::DemoKeys;
use quincer_server::outbound::OutboundPolicy;
use quincer_server::webhooks::RetryPolicy;
use quincer_server::Config;
use reqwest::header::HeaderMap;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// `path` from the repository's root (tests run in `server/`, the static files and docs live at the top).
pub fn repo_path(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// The visitor-token header, as the widget sends it.
pub const VISITOR: &str = "Quincer-Visitor-Token";
/// The question every happy-path chat asks; the demo knowledge base answers it.
pub const SHIPPING_QUESTION: &str = "How long does shipping take?";

/// A running server with the demo workspace, torn down when dropped.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The demo workspace's credentials.
    pub keys: DemoKeys,
    pub client: Client,
    /// The served state (shared with the server: its database pool, readiness checks, event hub).
    pub state: quincer_server::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    /// The serving task, to wait for a graceful stop.
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// Holds the database; deleted after the server is told to stop.
    dir: Option<TempDir>,
    /// Webhook retries, kept across restarts.
    policy: RetryPolicy,
    /// The PostgreSQL database this server runs on, kept across restarts; `None` on SQLite.
    database_url: Option<String>,
}

/// The PostgreSQL database the next test server runs on: a fresh one when `QUINCER_TEST_BACKEND=postgres`
/// (`./build.sh test` runs the integration tests once per backend), else `None` (SQLite under the data directory).
pub async fn test_database() -> Option<String> {
    match std::env::var("QUINCER_TEST_BACKEND").as_deref() {
        Ok("postgres") => {
            let admin = postgres::admin_url("QUINCER_TEST_BACKEND=postgres")
                .expect("QUINCER_TEST_BACKEND=postgres needs QUINCER_TEST_DATABASE_URL");
            Some(postgres::fresh_database(&admin).await)
        }
        Ok("sqlite") | Err(_) => None,
        Ok(other) => panic!("QUINCER_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(tempfile::tempdir().expect("temp dir"), Self::policy()).await
    }

    /// Fast webhook retries, so retry and deactivation tests take milliseconds.
    pub fn policy() -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_millis(50),
            max_backoff: Duration::from_millis(400),
            max_attempts: 4,
            deactivate_after: 6,
            timeout: Duration::from_secs(2),
        }
    }

    /// Starts a server on the database in `dir` (seeding the demo on first use).
    pub async fn start_with(dir: TempDir, policy: RetryPolicy) -> TestServer {
        Self::start_configured(dir, policy, |_| {}).await
    }

    /// Starts a server with the test configuration changed by `tweak` (e.g. shorter storefront limits), on the
    /// backend `QUINCER_TEST_BACKEND` names ([`test_database`]).
    pub async fn start_configured(dir: TempDir, policy: RetryPolicy, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let database_url = test_database().await;
        Self::start_on(dir, database_url, policy, tweak).await
    }

    /// Starts a server on `database_url` (PostgreSQL) or SQLite under `dir`.
    pub async fn start_on(
        dir: TempDir,
        database_url: Option<String>,
        policy: RetryPolicy,
        tweak: impl FnOnce(&mut Config),
    ) -> TestServer {
        // Bound first, like `serve`: the demo store's public URL is this address.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let mut config = Config {
            data_dir: dir.path().join("data"),
            database_url: database_url.clone(),
            database_max_connections: 8,
            www_dir: repo_path("www"),
            demo: true,
            reply_pace: Duration::ZERO,
            webhook_policy: policy,
            public_url: Some(format!("http://{addr}")),
            storefront: Default::default(),
            rate_limits: Default::default(),
            trusted_proxies: Default::default(),
            llm: None,
            // Explicit, not left to `demo`: the webhook receivers and fake storefronts of the tests run on
            // 127.0.0.1. tests/ssrf_api.rs turns it off.
            outbound: OutboundPolicy::allow_all(),
            // Words alone: tests about retrieval (tests/retrieval_api.rs) give the model.
            embedding_model: None,
            retrieval: quincer_server::retrieval::Mode::Hybrid,
            // No SMTP: tests/lead_emails_api.rs gives its own listener.
            mail: Default::default(),
        };
        tweak(&mut config);
        let started = quincer_server::start(&config).await.expect("server starts");
        let keys = started.demo.expect("demo keys are returned when demo = true");
        let (tx, rx) = oneshot::channel::<()>();
        let state = started.state.clone();
        let task = tokio::spawn(quincer_server::serve(listener, started.state, async move {
            let _ = rx.await;
        }));
        let client = Client::builder().timeout(Duration::from_secs(30)).build().expect("http client");
        TestServer {
            base: format!("http://{addr}"),
            keys,
            client,
            state,
            shutdown: Some(tx),
            task: Some(task),
            dir: Some(dir),
            policy,
            database_url,
        }
    }

    /// Stops this server gracefully and starts a new one (another port) on the same database.
    pub async fn restart(mut self) -> TestServer {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("graceful shutdown within 10 s")
                .expect("server task")
                .expect("server ran");
        }
        Self::start_on(self.dir.take().expect("data dir"), self.database_url.take(), self.policy, |_| {}).await
    }

    /// A second connection to the server's database, for setting up what only the dashboard could do.
    pub async fn db(&self) -> quincer_server::store::Db {
        match &self.database_url {
            Some(url) => quincer_server::db::connect_postgres(url, 2).await.expect("connect to the database"),
            None => quincer_server::db::open(&self.dir.as_ref().expect("data dir").path().join("data"))
                .await
                .expect("open db"),
        }
    }

    /// The arguments that point a `quincer-server` management command (`keys`, `members`) at this server's
    /// database: `--database-url URL` on PostgreSQL, else `--data DIR`.
    pub fn database_args(&self) -> Vec<String> {
        match &self.database_url {
            Some(url) => vec!["--database-url".into(), url.clone()],
            None => {
                let dir = self.dir.as_ref().expect("data dir").path().join("data");
                vec!["--data".into(), dir.display().to_string()]
            }
        }
    }

    /// Whether this server runs on PostgreSQL (`QUINCER_TEST_BACKEND=postgres`).
    pub fn on_postgres(&self) -> bool {
        self.database_url.is_some()
    }

    /// The SQLite database of a server started on SQLite, through SQLite's own driver (for `export`).
    pub async fn sqlite(&self) -> sqlx::SqlitePool {
        assert!(self.database_url.is_none(), "this server runs on PostgreSQL");
        quincer_server::db::open_sqlite(&self.dir.as_ref().expect("data dir").path().join("data"))
            .await
            .expect("open db")
    }

    /// Mints a developer key for the demo organisation with `scopes`.
    pub async fn mint_key(&self, scopes: &[&str]) -> String {
        quincer_server::provision::create_dev_key(&self.db().await, &self.keys.org_id, "test", scopes)
            .await
            .expect("mint key")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request carrying the demo widget key.
    pub fn widget(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(&self.keys.widget_key)
    }

    /// A request carrying the demo widget key and a visitor token.
    pub fn visitor(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.widget(method, path).header(VISITOR, token)
    }

    /// Starts a session with `body` (JSON) and returns the answer, asserting a 200.
    pub async fn session(&self, body: Value) -> Value {
        let resp = self.widget(Method::POST, "/api/widget/session").json(&body).send().await.expect("send");
        assert_eq!(resp.status(), StatusCode::OK, "session failed: {}", resp.text().await.unwrap_or_default());
        resp.json().await.expect("session JSON")
    }

    /// A new visitor's token.
    pub async fn new_visitor(&self) -> String {
        let session = self.session(json!({})).await;
        session["visitor_token"].as_str().expect("visitor_token is a string").to_owned()
    }

    /// `POST /api/chat` as the visitor `token`.
    pub async fn chat(&self, token: &str, body: &Value) -> Response {
        self.visitor(Method::POST, "/api/chat", token).json(body).send().await.expect("send chat")
    }

    /// Chats and returns the parsed stream, asserting it succeeded.
    pub async fn chat_ok(&self, token: &str, body: &Value) -> Stream {
        let resp = self.chat(token, body).await;
        assert_eq!(resp.status(), StatusCode::OK, "chat failed: {}", resp.text().await.unwrap_or_default());
        read_stream(resp).await
    }

    /// `GET /api/widget/conversations/{id}` as the visitor `token`.
    pub async fn transcript(&self, token: &str, id: &str) -> Response {
        self.visitor(Method::GET, &format!("/api/widget/conversations/{id}"), token).send().await.expect("send")
    }

    /// The transcript, asserting a 200.
    pub async fn transcript_ok(&self, token: &str, id: &str) -> Value {
        let resp = self.transcript(token, id).await;
        assert_eq!(resp.status(), StatusCode::OK, "transcript failed: {}", resp.text().await.unwrap_or_default());
        resp.json().await.expect("transcript JSON")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Waits, when less than 15 s are left in the current clock minute, until the next one starts. Rate limits count in
/// fixed windows aligned on the clock's minutes: a test that expects its requests to share one window (so that the
/// last is refused) must not start just before a boundary, or the window resets halfway and nothing is refused.
pub async fn fresh_rate_window() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let into_minute = now.as_millis() % 60_000;
    if into_minute >= 45_000 {
        tokio::time::sleep(Duration::from_millis((60_000 - into_minute) as u64 + 50)).await;
    }
}

/// The AI SDK `DefaultChatTransport` body for one user message.
pub fn chat_body(conversation: &str, message_id: &str, text: &str) -> Value {
    json!({
        "id": conversation,
        "messages": [{"id": message_id, "role": "user", "parts": [{"type": "text", "text": text}]}],
        "trigger": "submit-message",
    })
}

/// A UI message stream, split into its JSON chunks and whether it ended with `[DONE]`.
pub struct Stream {
    pub chunks: Vec<Value>,
    pub done: bool,
}

impl Stream {
    pub fn types(&self) -> Vec<&str> {
        self.chunks.iter().map(|c| c["type"].as_str().unwrap_or("<no type>")).collect()
    }

    /// The concatenated `text-delta`s.
    pub fn text(&self) -> String {
        self.chunks
            .iter()
            .filter(|c| c["type"] == "text-delta")
            .map(|c| c["delta"].as_str().expect("delta is a string"))
            .collect()
    }

    /// The `messageId` of the `start` chunk.
    pub fn message_id(&self) -> String {
        let start = self.chunks.first().expect("a start chunk");
        assert_eq!(start["type"], "start");
        start["messageId"].as_str().expect("start carries a messageId").to_owned()
    }

    /// Asserts the shape of a complete one-text-part answer: start, text-start, ≥2 deltas, text-end, finish, DONE.
    pub fn assert_complete_answer(&self) {
        let types = self.types();
        assert!(self.done, "the stream must end with `data: [DONE]`: {types:?}");
        assert!(types.len() >= 6, "too few chunks: {types:?}");
        let n = types.len();
        assert_eq!(types[0], "start", "{types:?}");
        assert_eq!(types[1], "text-start", "{types:?}");
        assert!(types[2..n - 2].iter().all(|t| *t == "text-delta"), "{types:?}");
        assert!(n - 4 >= 2, "expected at least two text-delta chunks: {types:?}");
        assert_eq!(types[n - 2], "text-end", "{types:?}");
        assert_eq!(types[n - 1], "finish", "{types:?}");
    }
}

/// Reads a whole SSE body: events are separated by a blank line and carry one `data: ` line each.
pub async fn read_stream(resp: Response) -> Stream {
    let body = tokio::time::timeout(Duration::from_secs(20), resp.text())
        .await
        .expect("the stream ends within 20 s")
        .expect("stream body");
    let mut chunks = Vec::new();
    let mut done = false;
    for event in body.split("\n\n").filter(|e| !e.trim().is_empty()) {
        let data = event.strip_prefix("data: ").unwrap_or_else(|| panic!("not an SSE data event: {event:?}"));
        assert!(!done, "an event after [DONE]: {event:?}");
        if data == "[DONE]" {
            done = true;
        } else {
            chunks.push(serde_json::from_str(data).unwrap_or_else(|e| panic!("chunk is not JSON ({e}): {data:?}")));
        }
    }
    Stream { chunks, done }
}

/// Asserts an error response: its status, a JSON body of exactly `{"error": "<non-empty>"}`, and that the message
/// contains each of `needles` (case-insensitively). Returns the message.
pub async fn assert_error(resp: Response, status: StatusCode, needles: &[&str]) -> String {
    let got = resp.status();
    let content_type = header(resp.headers(), "content-type");
    let text = resp.text().await.expect("error body");
    assert_eq!(got, status, "unexpected status; body: {text}");
    assert!(content_type.starts_with("application/json"), "error content-type is {content_type:?}; body: {text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("error body is not JSON ({e}): {text}"));
    let object = body.as_object().unwrap_or_else(|| panic!("error body is not an object: {text}"));
    assert_eq!(object.len(), 1, "error body must have only `error`: {text}");
    let message = object["error"].as_str().unwrap_or_else(|| panic!("`error` is not a string: {text}")).to_owned();
    assert!(message.len() > 8, "error message too terse to help: {message:?}");
    assert_ne!(message, "internal error");
    for needle in needles {
        assert!(message.to_lowercase().contains(&needle.to_lowercase()), "error {message:?} should mention {needle:?}");
    }
    message
}

/// A header's value, or "" if missing.
pub fn header(headers: &HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The keys of a JSON object, sorted.
pub fn keys_of(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// A comma-separated header as lowercase items.
pub fn header_list(headers: &HeaderMap, name: &str) -> Vec<String> {
    header(headers, name).split(',').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect()
}
