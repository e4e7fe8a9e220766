//! Integration tests of human takeover: the developer conversations API (`/api/v1/conversations…`) and the
//! visitor's live event stream (`/api/widget/conversations/{id}/events`), against a real server.
//!
//! Covered: listing with filters and cursor pagination, the transcript, takeover / reply / handback / handoff with
//! their 401 / 403 / 404 / 409 cases, the AI staying quiet while taken over, persistence across a restart, and the
//! event stream's ids, replay after `Last-Event-ID` and query-string credentials.

mod common;

use std::time::Duration;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Reads SSE events from `resp` until `n` have arrived (comments and `retry:` skipped): (id, event, data).
async fn read_events(resp: reqwest::Response, n: usize) -> Vec<(i64, String, Value)> {
    let mut resp = resp;
    let mut buf = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while out.len() < n {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await.expect("events within 10 s").unwrap();
        buf.push_str(std::str::from_utf8(&chunk.expect("stream still open")).unwrap());
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let (mut id, mut event, mut data) = (None, None, None);
            for line in frame.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    id = Some(v.parse::<i64>().unwrap());
                } else if let Some(v) = line.strip_prefix("event: ") {
                    event = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = Some(serde_json::from_str(v).unwrap());
                }
            }
            if let (Some(id), Some(event), Some(data)) = (id, event, data) {
                out.push((id, event, data));
            }
        }
    }
    out
}

#[tokio::test]
async fn lists_conversations_with_filters_and_cursor_pagination() {
    let server = TestServer::start().await;
    for i in 0..5 {
        server.answered_conversation(&format!("conv_{i}")).await;
    }
    let page = server.dev_ok(Method::GET, "/conversations?limit=2", None).await;
    assert_eq!(page["object"], "list");
    assert_eq!(page["url"], "/api/v1/conversations");
    assert_eq!(page["has_more"], true);
    assert_eq!(page["total"], 5);
    assert_eq!(page["limit"], 2);
    assert_eq!(page["data"], page["conversations"], "legacy items mirror data");
    let ids = |p: &Value| {
        p["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&page), ["conv_4", "conv_3"], "newest first");
    assert_eq!(page["data"][0]["object"], "conversation");
    assert_eq!(page["data"][0]["message_count"], 2);

    let next = server.dev_ok(Method::GET, "/conversations?limit=2&starting_after=conv_3", None).await;
    assert_eq!(ids(&next), ["conv_2", "conv_1"]);
    let last = server.dev_ok(Method::GET, "/conversations?limit=2&starting_after=conv_1", None).await;
    assert_eq!(ids(&last), ["conv_0"]);
    assert_eq!(last["has_more"], false);

    server.dev_ok(Method::POST, "/conversations/conv_2/takeover", Some(json!({"actor_name": "Sam"}))).await;
    let taken = server.dev_ok(Method::GET, "/conversations?status=human_active", None).await;
    assert_eq!(ids(&taken), ["conv_2"]);
    let both = server.dev_ok(Method::GET, "/conversations?status=active,human_active&engaged=true", None).await;
    assert_eq!(both["total"], 5);
    let widget = &server.keys.widget_id;
    let by_widget = server.dev_ok(Method::GET, &format!("/conversations?widgetId={widget}&channel=web"), None).await;
    assert_eq!(by_widget["total"], 5);
    let future = server.dev_ok(Method::GET, "/conversations?updated_since=2999-01-01T00:00:00Z", None).await;
    assert_eq!(future["total"], 0);
    let past = server.dev_ok(Method::GET, "/conversations?updated_since=2000-01-01", None).await;
    assert_eq!(past["total"], 5);

    for (query, needle) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("status=open", "status"),
        ("engaged=yes", "engaged"),
        ("updated_since=yesterday", "updated_since"),
        ("starting_after=conv_nope", "starting_after"),
    ] {
        let resp = server
            .dev_with(Method::GET, &format!("/conversations?{query}"), &server.keys.dev_key)
            .send()
            .await
            .unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }
}

#[tokio::test]
async fn fetches_the_transcript_with_metadata() {
    let server = TestServer::start().await;
    server.answered_conversation("conv_t").await;
    let c = server.dev_ok(Method::GET, "/conversations/conv_t", None).await;
    assert_eq!(c["object"], "conversation");
    assert_eq!(c["status"], "active");
    assert_eq!(c["widget_id"], server.keys.widget_id.as_str());
    assert!(c["takeover"].is_null());
    let roles: Vec<&str> = c["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant"]);
    assert_eq!(c["messages"][0]["object"], "message");
}

#[tokio::test]
async fn takeover_reply_handback_and_the_ai_stays_quiet_meanwhile() {
    let server = TestServer::start().await;
    let token = server.answered_conversation("conv_h").await;
    let taken = server
        .dev_ok(
            Method::POST,
            "/conversations/conv_h/takeover",
            Some(json!({"actor_name": "Sam", "external_label": "T-42"})),
        )
        .await;
    assert_eq!(taken["status"], "human_active");
    assert_eq!(taken["takeover"]["actor_name"], "Sam");
    assert_eq!(taken["takeover"]["external_label"], "T-42");
    assert_eq!(taken["takeover"]["actor_kind"], "external_agent");
    // Taking over again as the same actor is a no-op.
    server.dev_ok(Method::POST, "/conversations/conv_h/takeover", Some(json!({"actor_name": "Sam"}))).await;

    let reply =
        server.dev_ok(Method::POST, "/conversations/conv_h/reply", Some(json!({"text": "Hi, Sam here."}))).await;
    assert_eq!(reply["object"], "message");
    assert_eq!(reply["role"], "agent");
    assert_eq!(reply["speaker_name"], "Sam");
    let named = server
        .dev_ok(Method::POST, "/conversations/conv_h/reply", Some(json!({"text": "Hello!", "speaker_name": "Sam R."})))
        .await;
    assert_eq!(named["speaker_name"], "Sam R.");

    // The visitor writes: stored, answered by nobody.
    let stream = server.chat_ok(&token, &chat_body("conv_h", "u2", "Thanks Sam")).await;
    assert_eq!(stream.types(), ["start", "finish"]);
    assert!(stream.done);
    let transcript = server.transcript_ok(&token, "conv_h").await;
    let roles: Vec<&str> =
        transcript["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant", "agent", "agent", "user"]);
    assert_eq!(transcript["status"], "human_active");
    assert_eq!(transcript["agent"]["name"], "Sam");
    assert_eq!(transcript["messages"][2]["speaker_name"], "Sam");

    let back = server.dev_ok(Method::POST, "/conversations/conv_h/handback", None).await;
    assert_eq!(back["status"], "active");
    assert!(back["takeover"].is_null());
    server.chat_ok(&token, &chat_body("conv_h", "u3", "What is your return policy?")).await.assert_complete_answer();
}

#[tokio::test]
async fn takeover_conflicts_and_preconditions_are_409s() {
    let server = TestServer::start().await;
    server.answered_conversation("conv_c").await;
    let other = server.mint_key(&["conversations:takeover", "conversations:reply", "conversations:handback"]).await;

    let resp = server
        .dev_with(Method::POST, "/conversations/conv_c/reply", &server.keys.dev_key)
        .json(&json!({"text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["takeover"]).await;
    let resp =
        server.dev_with(Method::POST, "/conversations/conv_c/handback", &server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["not taken over"]).await;

    server.dev_ok(Method::POST, "/conversations/conv_c/takeover", Some(json!({"actor_name": "Sam"}))).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_c/takeover", &other)
        .json(&json!({"actor_name": "Alex"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["already taken over by Sam"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_c/takeover", &server.keys.dev_key)
        .json(&json!({"actor_name": "Alex"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["Sam"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_c/reply", &other)
        .json(&json!({"text": "me too"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["Sam"]).await;
}

#[tokio::test]
async fn scopes_ownership_and_bad_bodies() {
    let server = TestServer::start().await;
    server.answered_conversation("conv_s").await;
    let read_only = server.mint_key(&["conversations:read"]).await;
    let resp = server.dev_with(Method::POST, "/conversations/conv_s/takeover", &read_only).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["conversations:takeover"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_s/handoff", &read_only)
        .json(&json!({"persona_id": null}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["conversations:write"]).await;
    let resp = server.dev_with(Method::GET, "/conversations", "cw_dev_unknown0000000000000000").send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["unknown developer key"]).await;
    let resp =
        server.dev_with(Method::POST, "/conversations/conv_s/takeover", &server.keys.widget_key).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["cw_dev_"]).await;
    let resp = server.client.post(server.url("/api/v1/conversations/conv_s/reply")).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Authorization"]).await;
    let none = server.mint_key(&["widgets:read"]).await;
    let resp = server.dev_with(Method::GET, "/conversations", &none).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["conversations:read"]).await;

    // Another organisation's key sees none of it.
    let db = server.db().await;
    let org = quincer_server::provision::create_org(&db, "Other org").await.unwrap();
    quincer_server::provision::create_widget(&db, &org, "Other", None, "#111111").await.unwrap();
    let foreign =
        quincer_server::provision::create_dev_key(&db, &org, "x", quincer_server::provision::ALL_SCOPES).await.unwrap();
    for (method, path) in [
        (Method::GET, "/conversations/conv_s"),
        (Method::POST, "/conversations/conv_s/takeover"),
        (Method::POST, "/conversations/conv_s/handback"),
    ] {
        let resp = server.dev_with(method, path, &foreign).send().await.unwrap();
        assert_error(resp, StatusCode::NOT_FOUND, &["conv_s"]).await;
    }
    let list: Value =
        server.dev_with(Method::GET, "/conversations", &foreign).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 0);
    let resp = server.dev_with(Method::GET, "/conversations/conv_nope", &server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["conv_nope"]).await;

    server.dev_ok(Method::POST, "/conversations/conv_s/takeover", None).await;
    for (body, needle) in [
        (json!({}), "text"),
        (json!({"text": "   "}), "empty"),
        (json!({"text": "x".repeat(4001)}), "longer"),
        (json!({"text": "ok", "speaker_name": "n".repeat(81)}), "speaker_name"),
    ] {
        let resp = server
            .dev_with(Method::POST, "/conversations/conv_s/reply", &server.keys.dev_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_s/handoff", &server.keys.dev_key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["persona_id"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_s/handoff", &server.keys.dev_key)
        .json(&json!({"persona_id": "per_nope"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["per_nope"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_s/handoff", &server.keys.dev_key)
        .json(&json!({"persona_id": 7}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["persona_id"]).await;
}

#[tokio::test]
async fn handoff_switches_the_persona_and_null_restores_the_default() {
    let server = TestServer::start().await;
    let token = server.answered_conversation("conv_p").await;
    let db = server.db().await;
    sqlx::query("INSERT INTO personas (id, widget_id, name, bubble_color) VALUES ('per_sales', $1, 'Max', '#b91c1c')")
        .bind(&server.keys.widget_id)
        .execute(&db)
        .await
        .unwrap();
    let c =
        server.dev_ok(Method::POST, "/conversations/conv_p/handoff", Some(json!({"persona_id": "per_sales"}))).await;
    assert_eq!(c["persona_id"], "per_sales");
    let stream = server.chat_ok(&token, &chat_body("conv_p", "u2", "Do you ship to Canada?")).await;
    assert!(stream.text().contains("Canada"), "{}", stream.text());
    let c = server.dev_ok(Method::POST, "/conversations/conv_p/handoff", Some(json!({"persona_id": null}))).await;
    assert_ne!(c["persona_id"], "per_sales");
}

#[tokio::test]
async fn takeover_survives_a_restart() {
    let server = TestServer::start().await;
    let token = server.answered_conversation("conv_r").await;
    server.dev_ok(Method::POST, "/conversations/conv_r/takeover", Some(json!({"actor_name": "Sam"}))).await;
    let server = server.restart().await;
    let c = server.dev_ok(Method::GET, "/conversations/conv_r", None).await;
    assert_eq!(c["status"], "human_active");
    assert_eq!(c["takeover"]["actor_name"], "Sam");
    let stream = server.chat_ok(&token, &chat_body("conv_r", "u2", "hello?")).await;
    assert_eq!(stream.types(), ["start", "finish"], "the AI stays quiet after a restart too");
}

#[tokio::test]
async fn the_event_stream_pushes_and_replays_after_last_event_id() {
    let server = TestServer::start().await;
    let token = server.answered_conversation("conv_e").await;
    let transcript = server.transcript_ok(&token, "conv_e").await;
    let start = transcript["last_event_id"].as_i64().unwrap();

    // Live: open the stream, then act.
    let resp = server
        .visitor(Method::GET, "/api/widget/conversations/conv_e/events", &token)
        .header("Last-Event-ID", start.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), "content-type"), "text/event-stream");
    server.dev_ok(Method::POST, "/conversations/conv_e/takeover", Some(json!({"actor_name": "Sam"}))).await;
    server.dev_ok(Method::POST, "/conversations/conv_e/reply", Some(json!({"text": "one"}))).await;
    server.dev_ok(Method::POST, "/conversations/conv_e/reply", Some(json!({"text": "two"}))).await;
    server.dev_ok(Method::POST, "/conversations/conv_e/handback", None).await;
    let live = read_events(resp, 4).await;
    let kinds: Vec<&str> = live.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["takeover", "message", "message", "handback"]);
    // Ids count this conversation's events: 1, 2, 3, 4, with no gap.
    assert_eq!(start, 0, "a new conversation has no events");
    assert_eq!(live.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(live[0].2["agent"]["name"], "Sam");
    assert_eq!(live[1].2["message"]["text"], "one");
    assert_eq!(live[1].2["message"]["role"], "agent");
    assert_eq!(live[3].2["persona"]["name"], "Ava");

    // Replay: reconnect after the first message; exactly the rest comes back (query-string credentials).
    let after = live[1].0;
    let path = format!(
        "/api/widget/conversations/conv_e/events?widget_key={}&visitor_token={}",
        server.keys.widget_key, token
    );
    let resp = server.client.get(server.url(&path)).header("Last-Event-ID", after.to_string()).send().await.unwrap();
    let replay = read_events(resp, 2).await;
    assert_eq!(replay.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(), [live[2].0, live[3].0]);

    // An id above the newest comes from a database that no longer exists: the whole conversation is replayed.
    let resp = server
        .visitor(Method::GET, "/api/widget/conversations/conv_e/events", &token)
        .header("Last-Event-ID", "999")
        .send()
        .await
        .unwrap();
    let replay = read_events(resp, 4).await;
    assert_eq!(
        replay.iter().map(|(id, k, _)| (*id, k.as_str())).collect::<Vec<_>>(),
        [(1, "takeover"), (2, "message"), (3, "message"), (4, "handback")]
    );

    // Another conversation numbers its own events from 1; the transcript's `last_event_id` follows them.
    let other = server.answered_conversation("conv_e2").await;
    server.dev_ok(Method::POST, "/conversations/conv_e2/takeover", Some(json!({"actor_name": "Kim"}))).await;
    let resp = server
        .visitor(Method::GET, "/api/widget/conversations/conv_e2/events", &other)
        .header("Last-Event-ID", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(read_events(resp, 1).await[0].0, 1);
    assert_eq!(server.transcript_ok(&other, "conv_e2").await["last_event_id"], 1);
    assert_eq!(server.transcript_ok(&token, "conv_e").await["last_event_id"], 4);

    // Another visitor cannot listen in; a bad Last-Event-ID is a 400.
    let stranger = server.new_visitor().await;
    let resp = server.visitor(Method::GET, "/api/widget/conversations/conv_e/events", &stranger).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["conv_e"]).await;
    let resp = server
        .visitor(Method::GET, "/api/widget/conversations/conv_e/events", &token)
        .header("Last-Event-ID", "abc")
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["Last-Event-ID"]).await;
}

#[tokio::test]
async fn event_streams_end_at_shutdown_so_restarts_are_graceful() {
    let server = TestServer::start().await;
    let token = server.answered_conversation("conv_g").await;
    let resp = server.visitor(Method::GET, "/api/widget/conversations/conv_g/events", &token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    // restart() waits for the graceful stop: it would time out if the open stream kept the server alive.
    let _server = server.restart().await;
    drop(resp);
}
