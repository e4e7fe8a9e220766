//! Several `quincer-server` processes on one PostgreSQL database, as behind a load balancer: live events written
//! on one node reach streams held by another, in order and without gaps under concurrent writers, and rate limits
//! hold across nodes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::postgres::{admin_url, fresh_database, OwnCluster};
use common::receiver::Receiver;
use common::{chat_body, repo_path, SHIPPING_QUESTION, VISITOR};
use futures_util::future::join_all;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

/// A server process on the shared database; killed when dropped.
struct Node {
    child: Child,
    base: String,
    /// The demo workspace's keys, printed by the node that seeded it.
    keys: Vec<(String, String)>,
    _data: tempfile::TempDir,
}

impl Node {
    /// Starts a node on `url`; `demo` seeds the demo workspace (one node does).
    fn start(url: &str, demo: bool) -> Node {
        let data = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_quincer-server"));
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--reply-pace-ms", "0", "--rate-limit-dev-writes", "100000"])
            // The tests' webhook receiver listens on 127.0.0.1.
            .arg("--allow-private-network")
            .arg("--database-url")
            .arg(url)
            .arg("--data")
            .arg(data.path())
            .arg("--www")
            .arg(repo_path("www"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd.spawn().expect("start quincer-server");
        let stdout = child.stdout.take().unwrap();
        let mut keys = Vec::new();
        let mut base = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some((name, value)) = line.split_once('=') {
                if name == "QUINCER_URL" {
                    base = value.to_owned();
                }
                keys.push((name.to_owned(), value.to_owned()));
            }
            // The keys come before the URL is announced as listening; the metrics URL is the last line printed
            // without the demo, the dev key with it.
            if (!demo && name_is(&line, "QUINCER_METRICS_URL")) || (demo && name_is(&line, "QUINCER_DEV_KEY")) {
                break;
            }
        }
        assert!(!base.is_empty(), "the node printed its URL");
        Node { child, base, keys, _data: data }
    }

    /// `kill -9`: the process ends without closing anything.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn key(&self, name: &str) -> String {
        self.keys.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{name}"))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn name_is(line: &str, name: &str) -> bool {
    line.split_once('=').is_some_and(|(n, _)| n == name)
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two nodes on a fresh database (the first seeds the demo), or `None` without a test cluster.
async fn two_nodes(test: &str) -> Option<(Node, Node, String)> {
    let admin = admin_url(test)?;
    let url = fresh_database(&admin).await;
    let a = Node::start(&url, true);
    let b = Node::start(&url, false);
    Some((a, b, url))
}

/// A visitor's token and an answered conversation `id`, through `node`.
async fn conversation(client: &Client, node: &Node, widget_key: &str, id: &str) -> String {
    let session: Value = client
        .post(node.url("/api/widget/session"))
        .bearer_auth(widget_key)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["visitor_token"].as_str().unwrap().to_owned();
    let resp = client
        .post(node.url("/api/chat"))
        .bearer_auth(widget_key)
        .header(VISITOR, &token)
        .json(&chat_body(id, "u1", SHIPPING_QUESTION))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();
    token
}

/// Posts to the developer API on `node`, asserting success.
async fn dev(client: &Client, node: &Node, key: &str, path: &str, body: Value) -> Value {
    let resp = client.post(node.url(&format!("/api/v1{path}"))).bearer_auth(key).json(&body).send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{path} → {status}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Reads SSE events from `resp` until `n` have arrived: (id, event).
async fn read_events(resp: &mut reqwest::Response, n: usize, within: Duration) -> Vec<(i64, String)> {
    let mut buf = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    while out.len() < n {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await.expect("events in time").unwrap();
        buf.push_str(std::str::from_utf8(&chunk.expect("stream still open")).unwrap());
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let id = frame.lines().find_map(|l| l.strip_prefix("id: ")).map(|v| v.parse::<i64>().unwrap());
            let event = frame.lines().find_map(|l| l.strip_prefix("event: ")).map(str::to_owned);
            if let (Some(id), Some(event)) = (id, event) {
                out.push((id, event));
            }
        }
    }
    out
}

#[tokio::test]
async fn a_takeover_and_replies_on_one_node_reach_a_stream_on_the_other_in_order_within_a_second() {
    let test = "a_takeover_and_replies_on_one_node_reach_a_stream_on_the_other_in_order_within_a_second";
    let Some((a, b, _)) = two_nodes(test).await else { return };
    let client = Client::new();
    let (widget_key, dev_key) = (a.key("QUINCER_WIDGET_KEY"), a.key("QUINCER_DEV_KEY"));
    let token = conversation(&client, &b, &widget_key, "conv_x").await;
    let mut stream = client
        .get(b.url("/api/widget/conversations/conv_x/events"))
        .bearer_auth(&widget_key)
        .header(VISITOR, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    let started = Instant::now();
    dev(&client, &a, &dev_key, "/conversations/conv_x/takeover", json!({"actor_name": "Sam"})).await;
    for text in ["One", "Two", "Three"] {
        dev(&client, &a, &dev_key, "/conversations/conv_x/reply", json!({"text": text})).await;
    }
    let events = read_events(&mut stream, 4, Duration::from_secs(1)).await;
    let elapsed = started.elapsed();
    let ids: Vec<i64> = events.iter().map(|e| e.0).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(ids, [1, 2, 3, 4], "in order, none missing");
    assert_eq!(kinds, ["takeover", "message", "message", "message"]);
    assert!(elapsed < Duration::from_secs(1), "written on A, seen on B within 1 s: {elapsed:?}");
}

/// Reads `conversation` events of the organisation stream `resp` until one about `id` passes `check`.
async fn inbox_event(
    resp: &mut reqwest::Response,
    buf: &mut String,
    id: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let event = frame.lines().find_map(|l| l.strip_prefix("event: "));
            let data = frame.lines().find_map(|l| l.strip_prefix("data: "));
            if let (Some("conversation"), Some(data)) = (event, data) {
                let item: Value = serde_json::from_str(data).unwrap();
                if item["id"] == id && check(&item) {
                    return item;
                }
            }
        }
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await.expect("an event within 1 s").unwrap();
        buf.push_str(std::str::from_utf8(&chunk.expect("stream still open")).unwrap());
    }
}

#[tokio::test]
async fn an_inbox_stream_on_one_node_hears_conversations_and_takeovers_made_on_the_other() {
    let test = "an_inbox_stream_on_one_node_hears_conversations_and_takeovers_made_on_the_other";
    let Some((a, b, _)) = two_nodes(test).await else { return };
    let client = Client::new();
    let (widget_key, dev_key) = (a.key("QUINCER_WIDGET_KEY"), a.key("QUINCER_DEV_KEY"));
    let mut stream = client.get(a.url("/api/v1/conversations/events")).bearer_auth(&dev_key).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut buf = String::new();
    // The stream is subscribed once `ready` arrives.
    while !buf.contains("event: ready") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.chunk()).await.expect("ready").unwrap();
        buf.push_str(std::str::from_utf8(&chunk.unwrap()).unwrap());
    }
    buf.clear();

    let started = Instant::now();
    conversation(&client, &b, &widget_key, "conv_inbox").await;
    let item = inbox_event(&mut stream, &mut buf, "conv_inbox", |_| true).await;
    assert_eq!(item["status"], "active");
    assert!(started.elapsed() < Duration::from_secs(2), "chatted on B, seen on A: {:?}", started.elapsed());

    dev(&client, &b, &dev_key, "/conversations/conv_inbox/takeover", json!({"actor_name": "Sam"})).await;
    let held = inbox_event(&mut stream, &mut buf, "conv_inbox", |c| c["status"] == "human_active").await;
    assert_eq!(held["holder"]["name"], "Sam");
}

#[tokio::test]
async fn two_nodes_appending_to_one_conversation_leave_no_gap_and_no_duplicate() {
    let test = "two_nodes_appending_to_one_conversation_leave_no_gap_and_no_duplicate";
    let Some((a, b, url)) = two_nodes(test).await else { return };
    let client = Client::new();
    let (widget_key, dev_key) = (a.key("QUINCER_WIDGET_KEY"), a.key("QUINCER_DEV_KEY"));
    let token = conversation(&client, &a, &widget_key, "conv_y").await;
    dev(&client, &a, &dev_key, "/conversations/conv_y/takeover", json!({"actor_name": "Sam"})).await;
    // Streams on both nodes, from the first event.
    let mut streams = Vec::new();
    for node in [&a, &b] {
        let resp = client
            .get(node.url("/api/widget/conversations/conv_y/events"))
            .bearer_auth(&widget_key)
            .header(VISITOR, &token)
            .header("Last-Event-ID", "0")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        streams.push(resp);
    }

    const EACH: usize = 150;
    let replies = (0..EACH * 2).map(|i| {
        let (client, node, key) = (client.clone(), if i % 2 == 0 { &a } else { &b }, dev_key.clone());
        async move { dev(&client, node, &key, "/conversations/conv_y/reply", json!({"text": format!("r{i}")})).await }
    });
    join_all(replies).await;

    let total = 1 + EACH * 2; // the takeover and every reply
    for stream in &mut streams {
        let ids: Vec<i64> = read_events(stream, total, Duration::from_secs(20)).await.iter().map(|e| e.0).collect();
        assert_eq!(ids, (1..=total as i64).collect::<Vec<_>>(), "strictly increasing, no gap, no duplicate");
    }
    let db = quincer_server::db::connect_postgres(&url, 1).await.unwrap();
    let (rows, newest): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), MAX(seq) FROM conversation_events WHERE conversation_id = $1")
            .bind("conv_y")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((rows, newest), (total as i64, total as i64), "the table holds exactly what the streams saw");
}

#[tokio::test]
async fn the_101st_read_in_a_minute_is_refused_across_alternating_nodes() {
    let test = "the_101st_read_in_a_minute_is_refused_across_alternating_nodes";
    let Some((a, b, _)) = two_nodes(test).await else { return };
    // Away from a minute's end, so the 101 reads fall in one fixed window.
    let second = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() % 60;
    if second > 40 {
        tokio::time::sleep(Duration::from_secs(61 - second)).await;
    }
    let client = Client::new();
    let key = a.key("QUINCER_DEV_KEY");
    for i in 0..100 {
        let node = if i % 2 == 0 { &a } else { &b };
        let resp = client.request(Method::GET, node.url("/api/v1/conversations")).bearer_auth(&key).send().await;
        assert_eq!(resp.unwrap().status(), StatusCode::OK, "read {} of 100", i + 1);
    }
    for node in [&b, &a] {
        let resp = client.get(node.url("/api/v1/conversations")).bearer_auth(&key).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "the 101st read, on either node");
    }
}

/// Opens `conversation`'s event stream on `node` after `last` (`None`: only new events).
async fn stream(
    client: &Client,
    node: &Node,
    key: &str,
    token: &str,
    id: &str,
    last: Option<i64>,
) -> reqwest::Response {
    let mut req =
        client.get(node.url(&format!("/api/widget/conversations/{id}/events"))).bearer_auth(key).header(VISITOR, token);
    if let Some(last) = last {
        req = req.header("Last-Event-ID", last.to_string());
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp
}

#[tokio::test]
async fn after_a_kill_9_the_client_resumes_on_another_node_with_exactly_what_it_missed() {
    let test = "after_a_kill_9_the_client_resumes_on_another_node_with_exactly_what_it_missed";
    let Some((a, mut b, _)) = two_nodes(test).await else { return };
    let client = Client::new();
    let (widget_key, dev_key) = (a.key("QUINCER_WIDGET_KEY"), a.key("QUINCER_DEV_KEY"));
    let token = conversation(&client, &a, &widget_key, "conv_k").await;
    let mut on_b = stream(&client, &b, &widget_key, &token, "conv_k", None).await;
    dev(&client, &a, &dev_key, "/conversations/conv_k/takeover", json!({"actor_name": "Sam"})).await;
    dev(&client, &a, &dev_key, "/conversations/conv_k/reply", json!({"text": "one"})).await;
    let seen = read_events(&mut on_b, 2, Duration::from_secs(2)).await;
    assert_eq!(seen.iter().map(|e| e.0).collect::<Vec<_>>(), [1, 2]);

    b.kill();
    // Written while the client has no stream.
    for text in ["two", "three"] {
        dev(&client, &a, &dev_key, "/conversations/conv_k/reply", json!({"text": text})).await;
    }
    let mut on_a = stream(&client, &a, &widget_key, &token, "conv_k", Some(2)).await;
    let missed = read_events(&mut on_a, 2, Duration::from_secs(2)).await;
    assert_eq!(missed, [(3, "message".to_owned()), (4, "message".to_owned())], "exactly what it missed");
    // And nothing more: no replay of what it had.
    let more =
        tokio::time::timeout(Duration::from_millis(400), read_events(&mut on_a, 1, Duration::from_secs(1))).await;
    assert!(more.is_err(), "no further event: {more:?}");
}

#[tokio::test]
async fn a_postgres_restart_under_load_loses_no_event_and_every_node_recovers() {
    let test = "a_postgres_restart_under_load_loses_no_event_and_every_node_recovers";
    if admin_url(test).is_none() {
        return;
    }
    // A cluster of this test's own (restarting it disturbs no other test) that keeps what it acknowledged.
    let cluster = OwnCluster::start_durable();
    let url = fresh_database(&cluster.url).await;
    let (a, b) = (Node::start(&url, true), Node::start(&url, false));
    let client = Client::new();
    let (widget_key, dev_key) = (a.key("QUINCER_WIDGET_KEY"), a.key("QUINCER_DEV_KEY"));
    let receiver = Receiver::start(Vec::new()).await;
    dev(&client, &a, &dev_key, "/webhooks", json!({"url": receiver.url, "events": ["lead.created"]})).await;
    let token = conversation(&client, &a, &widget_key, "conv_r").await;
    dev(&client, &a, &dev_key, "/conversations/conv_r/takeover", json!({"actor_name": "Sam"})).await;
    let mut on_b = stream(&client, &b, &widget_key, &token, "conv_r", Some(0)).await;

    // Replies keep coming on A while the database restarts; some fail while it is down.
    let load = {
        let (client, base, key) = (client.clone(), a.base.clone(), dev_key.clone());
        tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..120 {
                let resp = client
                    .post(format!("{base}/api/v1/conversations/conv_r/reply"))
                    .bearer_auth(&key)
                    .json(&json!({"text": format!("r{i}")}))
                    .send()
                    .await;
                ok += usize::from(resp.is_ok_and(|r| r.status().is_success()));
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            ok
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    cluster.script("restart"); // `pg_ctl restart -m immediate`: a crash, as far as the nodes can tell
    let succeeded = load.await.unwrap();
    assert!(succeeded > 0, "writes went through around the restart");

    // Both nodes report ready again.
    for node in [&a, &b] {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let resp = client.get(node.url("/readyz")).send().await.unwrap();
            if resp.status() == StatusCode::OK {
                break;
            }
            let body = resp.text().await.unwrap_or_default();
            assert!(Instant::now() < deadline, "{} not ready after the restart: {body}", node.base);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // One more reply after the recovery, then the stream on B holds every stored event, in order, once.
    dev(&client, &a, &dev_key, "/conversations/conv_r/reply", json!({"text": "after"})).await;
    let db = quincer_server::db::connect_postgres(&url, 1).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conversation_events WHERE conversation_id = $1")
        .bind("conv_r")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(stored as usize >= succeeded + 2, "every acknowledged reply is stored");
    let ids: Vec<i64> =
        read_events(&mut on_b, stored as usize, Duration::from_secs(20)).await.iter().map(|e| e.0).collect();
    assert_eq!(ids, (1..=stored).collect::<Vec<_>>(), "nothing lost, nothing twice");

    // The dispatchers work again: a lead created now is delivered.
    let lead = json!({"widget_id": a.key("QUINCER_WIDGET_ID"), "email": "after@restart.test"});
    dev(&client, &b, &dev_key, "/leads", lead).await;
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].header("Quincer-Event"), "lead.created");
}

#[tokio::test]
async fn three_dispatchers_send_each_delivery_once() {
    let test = "three_dispatchers_send_each_delivery_once";
    let Some(admin) = admin_url(test) else { return };
    let url = fresh_database(&admin).await;
    let nodes = [Node::start(&url, true), Node::start(&url, false), Node::start(&url, false)];
    let client = Client::new();
    let (dev_key, widget) = (nodes[0].key("QUINCER_DEV_KEY"), nodes[0].key("QUINCER_WIDGET_ID"));
    let receiver = Receiver::start(Vec::new()).await;
    dev(&client, &nodes[0], &dev_key, "/webhooks", json!({"url": receiver.url, "events": ["lead.created"]})).await;

    const LEADS: usize = 60;
    let creates = (0..LEADS).map(|i| {
        let (client, node, key, widget) = (client.clone(), &nodes[i % 3], dev_key.clone(), widget.clone());
        let lead = json!({"widget_id": widget, "email": format!("lead{i}@example.test")});
        async move { dev(&client, node, &key, "/leads", lead).await }
    });
    join_all(creates).await;

    let deadline = Instant::now() + Duration::from_secs(30);
    while receiver.got.lock().unwrap().len() < LEADS {
        assert!(Instant::now() < deadline, "only {} of {LEADS} delivered", receiver.got.lock().unwrap().len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Time for a duplicate to show up, were a delivery claimed twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = receiver.got.lock().unwrap().clone();
    let mut ids: Vec<String> = got.iter().map(|r| r.header("Quincer-Delivery")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((got.len(), ids.len()), (LEADS, LEADS), "each delivery sent once, by one of the three");
    let db = quincer_server::db::connect_postgres(&url, 1).await.unwrap();
    let delivered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(delivered, LEADS as i64);
}
