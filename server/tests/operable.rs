//! Running the server in production: `/healthz` and `/readyz`, Prometheus metrics, request ids in JSON logs, and
//! graceful shutdown of the real binary (SIGTERM while a reply streams).

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::{chat_body, fresh_rate_window, header, read_stream, TestServer, SHIPPING_QUESTION};
use futures_util::StreamExt;
use quincer_server::ratelimit::RateLimits;
use quincer_server::responder::openai::LlmConfig;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// GET `path`, returning the status and the JSON body.
async fn get_json(server: &TestServer, path: &str) -> (StatusCode, Value) {
    let resp = server.client.get(server.url(path)).send().await.unwrap();
    let status = resp.status();
    assert!(header(resp.headers(), "content-type").starts_with("application/json"), "{path}");
    assert_eq!(header(resp.headers(), "cache-control"), "no-store", "{path}");
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn probes_answer_without_credentials_or_rate_limits_and_echo_request_ids() {
    fresh_rate_window().await;
    let dir = tempfile::tempdir().unwrap();
    // One public request a minute: the probes must not count against it.
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| {
        c.rate_limits = RateLimits { public_per_ip: 1, ..RateLimits::default() };
    })
    .await;
    for _ in 0..5 {
        let (status, body) = get_json(&server, "/healthz").await;
        assert_eq!((status, body), (StatusCode::OK, json!({"status": "ok"})));
        let (status, body) = get_json(&server, "/readyz").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // On PostgreSQL the cross-instance listener is checked too.
        let mut checks = json!({"database": "ok", "migrations": "ok"});
        if server.on_postgres() {
            checks["listener"] = json!("ok");
        }
        assert_eq!(body, json!({"status": "ready", "checks": checks}));
    }
    // A request id sent by the balancer is kept; without one, the server makes one up. Either way it comes back.
    let resp = server.client.get(server.url("/healthz")).header("x-request-id", "lb-1234").send().await.unwrap();
    assert_eq!(header(resp.headers(), "x-request-id"), "lb-1234");
    let resp = server.client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(header(resp.headers(), "x-request-id").len(), 36, "a UUID");
    // Every route gets one, the API's too.
    let resp = server.client.get(server.url("/api/v1/widgets")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(resp.headers(), "x-request-id").len(), 36);
    // Probes are not part of the APIs: HEAD works, other methods are refused.
    let resp = server.client.head(server.url("/readyz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = server.client.post(server.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn readyz_names_what_is_not_ready() {
    let server = TestServer::start().await;
    // A check another part of the server requires (the Postgres listener, say) holds readiness until it is set.
    server.state.readiness.require("listener", "not connected yet");
    let (status, body) = get_json(&server, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "not ready");
    assert_eq!(body["error"], "not ready: listener (not connected yet)");
    assert_eq!(body["checks"], json!({"database": "ok", "listener": "not connected yet", "migrations": "ok"}));
    server.state.readiness.set_ready("listener");
    let (status, body) = get_json(&server, "/readyz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["checks"]["listener"], "ok");

    // A database whose newest migration is not applied (an older binary's, or a migration that failed).
    let db = server.db().await;
    let newest: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&db).await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1").bind(newest).execute(&db).await.unwrap();
    let (status, body) = get_json(&server, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["checks"]["migrations"], format!("not applied: {newest}"));
    assert_eq!(body["checks"]["database"], "ok");
    assert!(body["error"].as_str().unwrap().contains("migrations"), "{body}");

    // A database that does not answer.
    server.state.db.close().await;
    let (status, body) = get_json(&server, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_ne!(body["checks"]["database"], "ok", "{body}");
    assert!(body["error"].as_str().unwrap().starts_with("not ready: database ("), "{body}");
    // The process itself is still up.
    let (status, _) = get_json(&server, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

/// The samples of a Prometheus text exposition: `(name, labels) → value`.
fn samples(text: &str) -> Vec<(String, BTreeMap<String, String>, f64)> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a value: {line}"));
        let (name, labels) = match series.split_once('{') {
            None => (series.to_owned(), BTreeMap::new()),
            Some((name, rest)) => {
                let rest = rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line}"));
                let labels = rest
                    .split("\",")
                    .filter(|p| !p.is_empty())
                    .map(|pair| {
                        let (k, v) = pair.split_once("=\"").unwrap_or_else(|| panic!("bad label in {line}"));
                        (k.to_owned(), v.trim_end_matches('"').to_owned())
                    })
                    .collect();
                (name.to_owned(), labels)
            }
        };
        out.push((name, labels, value));
    }
    out
}

/// The value of the sample named `name` with (at least) the labels `want`; `None` if there is none.
fn value(text: &str, name: &str, want: &[(&str, &str)]) -> Option<f64> {
    samples(text)
        .into_iter()
        .find(|(n, labels, _)| n == name && want.iter().all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v)))
        .map(|(_, _, v)| v)
}

async fn scrape(server: &TestServer) -> String {
    let resp = server.client.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(header(resp.headers(), "content-type").starts_with("text/plain"), "the Prometheus text format");
    resp.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_by_route_replies_streams_limits_and_webhooks() {
    fresh_rate_window().await;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| {
        c.rate_limits = RateLimits { chat_per_visitor: 1, ..RateLimits::default() };
    })
    .await;
    // The recorder is shared by the servers of this process (tests run in parallel): compare before and after.
    let before = scrape(&server).await;
    let count = |text: &str, name: &str, labels: &[(&str, &str)]| value(text, name, labels).unwrap_or(0.0);

    let token = server.new_visitor().await;
    let unknown = "conv_metrics_unknown_42";
    let resp = server.visitor(Method::GET, &format!("/api/widget/conversations/{unknown}"), &token).send().await;
    assert_eq!(resp.unwrap().status(), StatusCode::NOT_FOUND);
    // A webhook receiver that fails once: one failed attempt, then the retry succeeds.
    let receiver = Receiver::start(vec![500]).await;
    let resp = server
        .client
        .post(server.url("/api/v1/webhooks"))
        .bearer_auth(&server.keys.dev_key)
        .json(&json!({"url": receiver.url, "events": ["conversation.message_received"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    server.chat_ok(&token, &chat_body("conv_metrics", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    // The second message in the minute is over this visitor's limit.
    let resp = server.chat(&token, &chat_body("conv_metrics", "u2", "And returns?")).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(receiver.wait_for(2).await.len(), 2, "a failure, then the delivery");
    // A live event stream, open while scraping.
    let events =
        server.visitor(Method::GET, "/api/widget/conversations/conv_metrics/events", &token).send().await.unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    let mut events = events.bytes_stream();
    let first = String::from_utf8(events.next().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.starts_with("retry:"), "{first:?}");

    let after = scrape(&server).await;
    let grew = |name: &str, labels: &[(&str, &str)]| {
        let (b, a) = (count(&before, name, labels), count(&after, name, labels));
        assert!(a > b, "{name}{labels:?}: {b} → {a}\n{after}");
    };
    // Requests by matched route (the template, never the id) and status.
    let route = [("method", "GET"), ("route", "/api/widget/conversations/{id}"), ("status", "404")];
    grew("quincer_http_requests_total", &route);
    grew("quincer_http_requests_total", &[("method", "POST"), ("route", "/api/chat"), ("status", "200")]);
    grew("quincer_http_requests_total", &[("method", "POST"), ("route", "/api/chat"), ("status", "429")]);
    grew("quincer_http_requests_total", &[("method", "GET"), ("route", "/metrics"), ("status", "200")]);
    assert!(!after.contains(unknown), "a raw URL in the metrics");
    // Latency histograms, with buckets.
    let buckets = [("method", "POST"), ("route", "/api/chat"), ("le", "+Inf")];
    grew("quincer_http_request_duration_seconds_bucket", &buckets);
    grew("quincer_http_request_duration_seconds_count", &[("route", "/api/chat")]);
    assert!(value(&after, "quincer_http_request_duration_seconds_bucket", &[("le", "0.005")]).is_some());
    grew("quincer_chat_replies_total", &[("outcome", "completed")]);
    grew("quincer_rate_limited_total", &[("limit", "chat")]);
    grew("quincer_webhook_delivery_failures_total", &[("final", "false")]);
    assert!(value(&after, "quincer_webhook_queue_depth", &[]).is_some(), "{after}");
    assert!(count(&after, "quincer_event_streams_open", &[]) >= 1.0, "{after}");
    for name in ["quincer_http_requests_total", "quincer_event_streams_open", "quincer_chat_replies_total"] {
        assert!(after.contains(&format!("# HELP {name} ")), "{name} has no HELP line");
    }
}

#[tokio::test]
async fn metrics_count_responder_errors_and_failed_replies() {
    // A model provider with nothing listening: every answer fails.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let llm = LlmConfig {
        base_url: format!("http://{closed}/v1"),
        api_key: None,
        model: "m".into(),
        timeout: Duration::from_secs(2),
        tools: false,
    };
    let server =
        TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| c.llm = Some(llm)).await;
    let before = scrape(&server).await;
    let token = server.new_visitor().await;
    let stream = server.chat_ok(&token, &chat_body("conv_fail", "u1", SHIPPING_QUESTION)).await;
    assert!(stream.types().contains(&"error"), "{:?}", stream.types());
    let after = scrape(&server).await;
    for (name, labels) in
        [("quincer_responder_errors_total", &[][..]), ("quincer_chat_replies_total", &[("outcome", "failed")])]
    {
        let (b, a) = (value(&before, name, labels).unwrap_or(0.0), value(&after, name, labels).unwrap_or(0.0));
        assert!(a > b, "{name}{labels:?}: {b} → {a}");
    }
}

/// The real binary, started with `args`, its stdout's `QUINCER_*` lines read and its stderr collected.
struct Binary {
    child: Child,
    vars: BTreeMap<String, String>,
    stderr: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Binary {
    fn start(args: &[&str]) -> Binary {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let www = common::repo_path("www");
        let mut child = Command::new(env!("CARGO_BIN_EXE_quincer-server"))
            .args(["serve", "--addr", "127.0.0.1:0", "--demo", "--data"])
            .arg(&data)
            .arg("--www")
            .arg(&www)
            .args(args)
            .env("RUST_LOG", "info")
            .env_remove("QUINCER_LOG_FORMAT")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start quincer-server");
        let (err_tx, stderr) = mpsc::channel();
        let err = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                let _ = err_tx.send(line);
            }
        });
        let mut vars = BTreeMap::new();
        let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
        while !vars.contains_key("QUINCER_DEV_KEY") {
            let line = out.next().expect("the server printed its QUINCER_* lines").unwrap();
            if let Some((k, v)) = line.split_once('=') {
                vars.insert(k.to_owned(), v.to_owned());
            }
        }
        Binary { child, vars, stderr, _dir: dir }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.vars["QUINCER_URL"])
    }

    /// Sends SIGTERM.
    fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `limit`; returns how long it took.
    fn wait_exit(&mut self, limit: Duration) -> Duration {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server exited with {status}");
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not exit within {limit:?}");
    }

    /// Every stderr line (call after the process exited: waits for the end of its stderr).
    fn logs(&self) -> Vec<String> {
        self.stderr.iter().collect()
    }

    /// A new visitor's token.
    async fn visitor(&self, client: &reqwest::Client) -> String {
        let resp = client
            .post(self.url("/api/widget/session"))
            .bearer_auth(&self.vars["QUINCER_WIDGET_KEY"])
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json::<Value>().await.unwrap()["visitor_token"].as_str().unwrap().to_owned()
    }

    fn chat(&self, client: &reqwest::Client, token: &str, body: &Value) -> reqwest::RequestBuilder {
        client
            .post(self.url("/api/chat"))
            .bearer_auth(&self.vars["QUINCER_WIDGET_KEY"])
            .header(common::VISITOR, token)
            .json(body)
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The request ids of the `request` spans a JSON log line was logged in.
fn request_ids(line: &Value) -> Vec<String> {
    line["spans"]
        .as_array()
        .map(|spans| {
            spans
                .iter()
                .filter(|s| s["name"] == "request")
                .filter_map(|s| s["request_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn json_logs_carry_the_request_id_and_metrics_can_have_their_own_address() {
    let mut server = Binary::start(&["--log-format", "json", "--metrics-addr", "127.0.0.1:0"]);
    let client = reqwest::Client::new();
    let token = server.visitor(&client).await;
    let resp = server
        .chat(&client, &token, &chat_body("conv_logs", "u1", SHIPPING_QUESTION))
        .header("x-request-id", "test-chat-7")
        .send()
        .await
        .unwrap();
    assert_eq!(header(resp.headers(), "x-request-id"), "test-chat-7");
    read_stream(resp).await.assert_complete_answer();
    // A request without an id gets one, and its log lines name it.
    let resp = client.get(server.url("/readyz")).send().await.unwrap();
    let made = header(resp.headers(), "x-request-id");
    assert_eq!(resp.status(), StatusCode::OK);

    // `/metrics` is on its own listener, not on the main one.
    let metrics_url = server.vars["QUINCER_METRICS_URL"].clone();
    assert_ne!(metrics_url, server.url("/metrics"));
    let text = client.get(&metrics_url).send().await.unwrap().text().await.unwrap();
    assert!(value(&text, "quincer_http_requests_total", &[("route", "/api/chat"), ("status", "200")]).is_some());
    assert_eq!(client.get(server.url("/metrics")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    server.terminate();
    server.wait_exit(Duration::from_secs(15));
    let lines: Vec<Value> = server
        .logs()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {l}")))
        .collect();
    assert!(lines.iter().all(|l| l["level"].is_string() && l["timestamp"].is_string()), "{lines:?}");
    let of = |id: &str| -> Vec<&Value> { lines.iter().filter(|l| request_ids(l).iter().any(|r| r == id)).collect() };
    let chat = of("test-chat-7");
    assert!(!chat.is_empty(), "no log line names the request id: {lines:#?}");
    let done = chat.iter().find(|l| l["fields"]["message"] == "finished processing request").expect("answer logged");
    assert_eq!(done["span"]["route"], "/api/chat");
    assert_eq!(done["span"]["method"], "POST");
    assert!(!of(&made).is_empty(), "the made-up id {made} is in no line");
    // Every line logged inside a request names its id.
    for line in lines.iter().filter(|l| l["spans"].as_array().is_some_and(|s| !s.is_empty())) {
        assert!(request_ids(line).iter().all(|id| !id.is_empty()), "{line}");
    }
    assert!(!lines.iter().any(|l| l.to_string().contains(&token)), "a visitor token was logged");
}

#[tokio::test]
async fn sigterm_lets_a_streaming_reply_finish_and_tells_event_streams_to_reconnect_soon() {
    // Slow deltas: the reply is still streaming when the signal comes.
    let mut server = Binary::start(&["--reply-pace-ms", "150", "--shutdown-grace-secs", "20"]);
    let client = reqwest::Client::new();
    let token = server.visitor(&client).await;
    let resp = server.chat(&client, &token, &chat_body("conv_term", "u1", SHIPPING_QUESTION)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.bytes_stream();
    let mut text = String::from_utf8(body.next().await.unwrap().unwrap().to_vec()).unwrap();
    let events = client
        .get(server.url("/api/widget/conversations/conv_term/events"))
        .bearer_auth(&server.vars["QUINCER_WIDGET_KEY"])
        .header(common::VISITOR, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);

    let signalled = Instant::now();
    server.terminate();
    // The event stream ends, asking for a quick reconnect (to another instance behind the balancer).
    let rest = tokio::time::timeout(Duration::from_secs(5), events.text()).await.expect("the stream ends").unwrap();
    assert!(rest.ends_with("retry: 250\n: server shutting down, reconnect\n\n"), "{rest:?}");
    // New connections are refused while the reply goes on.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fresh = reqwest::Client::new().get(server.url("/healthz")).send().await;
    assert!(fresh.is_err(), "a new connection was accepted after SIGTERM: {fresh:?}");
    // The reply in flight streams to its end.
    while let Some(chunk) = body.next().await {
        text.push_str(std::str::from_utf8(&chunk.expect("the reply is not cut")).unwrap());
    }
    assert!(text.contains("\"type\":\"finish\""), "{text}");
    assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
    assert!(signalled.elapsed() > Duration::from_millis(500), "the reply was not in flight: {text}");
    server.wait_exit(Duration::from_secs(10));
    // Human logs by default, with the request id in the request's lines.
    let logs = server.logs().join("\n");
    assert!(logs.contains("request_id="), "{logs}");
    assert!(logs.contains("shutting down"), "{logs}");
}

#[tokio::test]
async fn the_grace_period_bounds_shutdown() {
    // A reply that would take minutes (2 s a delta), and one second of grace.
    let mut server = Binary::start(&["--reply-pace-ms", "2000", "--shutdown-grace-secs", "1"]);
    let client = reqwest::Client::new();
    let token = server.visitor(&client).await;
    let resp = server.chat(&client, &token, &chat_body("conv_slow", "u1", SHIPPING_QUESTION)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.bytes_stream();
    body.next().await.unwrap().unwrap();
    server.terminate();
    let took = server.wait_exit(Duration::from_secs(8));
    assert!(took >= Duration::from_millis(900), "exited before the grace period: {took:?}");
    // The cut reply ends for the client too (an error or the end of the body, never a hang).
    let rest = tokio::time::timeout(Duration::from_secs(5), async {
        let mut text = String::new();
        while let Some(Ok(chunk)) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        text
    })
    .await
    .expect("the connection is closed");
    assert!(!rest.contains("[DONE]"), "the slow reply finished: {rest}");
    assert!(server.logs().join("\n").contains("grace period"));
}
