//! Integration tests of who did what to a conversation and of the inbox's live data: the audit trail
//! (`GET /api/v1/conversations/{id}/audit`), the actor in webhooks, the list's inbox fields (preview, activity,
//! unread count, language, holder, `mine`, `order=activity`) and the organisation's live stream
//! (`GET /api/v1/conversations/events`), on SQLite and, with `QUINCER_TEST_BACKEND=postgres`, on PostgreSQL.

mod common;

use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

impl TestServer {
    /// The list item of conversation `id`.
    async fn item(&self, id: &str) -> Value {
        let page = self.dev_ok(Method::GET, "/conversations?limit=200", None).await;
        page["data"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().expect("listed")
    }
}

/// An open SSE stream, read frame by frame.
struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    async fn open(server: &TestServer, key: &str) -> Events {
        let resp = server.dev_with(Method::GET, "/conversations/events", key).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(header(resp.headers(), "content-type"), "text/event-stream");
        let mut events = Events { resp, buf: String::new() };
        let (event, _) = events.next(Duration::from_secs(5)).await.expect("a ready event");
        assert_eq!(event, "ready");
        events
    }

    /// The next named event (comments and `retry:` skipped) within `wait`, or `None`.
    async fn next(&mut self, wait: Duration) -> Option<(String, Value)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..end + 2).collect();
                let event = frame.lines().find_map(|l| l.strip_prefix("event: ")).map(str::to_owned);
                let data =
                    frame.lines().find_map(|l| l.strip_prefix("data: ")).map(|d| serde_json::from_str(d).unwrap());
                if let (Some(event), Some(data)) = (event, data) {
                    return Some((event, data));
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk()).await.ok()?;
            self.buf.push_str(std::str::from_utf8(&chunk.unwrap().expect("stream open")).unwrap());
        }
    }

    /// Waits up to `wait` for a `conversation` event about `id` that `check` accepts.
    async fn conversation(&mut self, id: &str, wait: Duration, check: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some((event, data)) if event == "conversation" && data["id"] == id && check(&data) => {
                    return Some(data)
                }
                Some(_) => continue,
                None => return None,
            }
        }
        None
    }
}

#[tokio::test]
async fn every_action_is_audited_with_its_actor_and_webhooks_name_it() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(vec![]).await;
    let body = json!({"url": receiver.url, "events": ["conversation.takeover", "conversation.handback"]});
    server.dev_ok(Method::POST, "/webhooks", Some(body)).await;
    server.answered_conversation("conv_audit").await;
    let base = "/conversations/conv_audit";

    let empty = server.dev_ok(Method::GET, &format!("{base}/audit"), None).await;
    assert_eq!(empty["data"], json!([]), "nothing done yet");
    server
        .dev_ok(Method::POST, &format!("{base}/takeover"), Some(json!({"actor_name": "Sam", "external_label": "T-1"})))
        .await;
    let sent = server.dev_ok(Method::POST, &format!("{base}/reply"), Some(json!({"text": "Sam here"}))).await;
    server.dev_ok(Method::POST, &format!("{base}/handoff"), Some(json!({"persona_id": null}))).await;
    server.dev_ok(Method::POST, &format!("{base}/handback"), None).await;

    let audit = server.dev_ok(Method::GET, &format!("{base}/audit"), None).await;
    assert_eq!(audit["object"], "list");
    assert_eq!(audit["url"], format!("/api/v1{base}/audit"));
    let entries = audit["data"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["handback", "handoff", "reply", "takeover"], "newest first");
    let key_id = entries[0]["actor_key_id"].as_str().unwrap().to_owned();
    assert!(key_id.starts_with("key_"), "{key_id}");
    for e in entries {
        assert_eq!(e["object"], "audit_entry");
        assert_eq!(e["conversation_id"], "conv_audit");
        assert_eq!(e["actor_kind"], "external_agent", "{e}");
        assert_eq!(e["actor_member_id"], Value::Null);
        assert_eq!(e["actor_key_id"], key_id.as_str());
        assert_eq!(e["surface"], "api");
        assert!(e["id"].as_str().unwrap().starts_with("aud_"));
    }
    // The holder's name and label follow their reply and handback; the handoff carries no name: the key's default.
    assert_eq!(entries[3]["actor_name"], "Sam");
    assert_eq!(entries[3]["external_label"], "T-1");
    assert_eq!(entries[2]["actor_name"], "Sam");
    assert_eq!(entries[2]["detail"]["message_id"], sent["id"]);
    assert_eq!(entries[0]["actor_name"], "Sam");
    assert_eq!(entries[0]["detail"]["previous_holder"], "Sam");
    assert!(entries[1]["detail"].as_object().unwrap().contains_key("persona_id"));

    // Cursor pagination.
    let first = server.dev_ok(Method::GET, &format!("{base}/audit?limit=3"), None).await;
    assert_eq!(first["has_more"], true);
    let last_id = first["data"][2]["id"].as_str().unwrap();
    let rest = server.dev_ok(Method::GET, &format!("{base}/audit?limit=3&starting_after={last_id}"), None).await;
    assert_eq!(rest["has_more"], false);
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest["data"][0]["action"], "takeover");

    // Another organisation sees no such conversation.
    let db = server.db().await;
    let org = quincer_server::provision::create_org(&db, "Other").await.unwrap();
    let other = quincer_server::provision::create_dev_key(&db, &org, "o", &["conversations:read"]).await.unwrap();
    let resp = server.dev_with(Method::GET, &format!("{base}/audit"), &other).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["conv_audit"]).await;

    // Webhooks name the same actor.
    let got = receiver.wait_for(2).await;
    for r in &got {
        let j = r.json();
        assert_eq!(j["actorKind"], "external_agent");
        assert_eq!(j["actorUserId"], key_id.as_str(), "an external agent is its key");
        assert_eq!(j["actorName"], "Sam");
        assert_eq!(j["externalLabel"], "T-1");
        assert_eq!(j["surface"], "api");
        assert!(j.get("actorAvatarUrl").is_none(), "no avatar for a key");
    }
}

#[tokio::test]
async fn a_second_agent_is_refused_with_the_holders_name_and_cannot_reply() {
    let server = TestServer::start().await;
    server.answered_conversation("conv_two").await;
    server.dev_ok(Method::POST, "/conversations/conv_two/takeover", Some(json!({"actor_name": "Sam"}))).await;
    let other = server.mint_key(&["conversations:takeover", "conversations:reply"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_two/takeover", &other)
        .json(&json!({"actor_name": "Kim"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["already taken over by Sam", "handed back first"]).await;
    let resp = server
        .dev_with(Method::POST, "/conversations/conv_two/reply", &other)
        .json(&json!({"text": "me too"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["taken over by Sam"]).await;
    let audit = server.dev_ok(Method::GET, "/conversations/conv_two/audit", None).await;
    assert_eq!(audit["data"].as_array().unwrap().len(), 1, "refused actions leave no audit row");
}

#[tokio::test]
async fn list_items_carry_preview_activity_unread_count_language_and_holder() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let mut body = chat_body("conv_inbox", "u1", SHIPPING_QUESTION);
    body["locale"] = json!("fr-CA");
    body["page_url"] = json!("https://shop.example/jackets");
    server.chat_ok(&token, &body).await.assert_complete_answer();

    let item = server.item("conv_inbox").await;
    assert_eq!(item["unread_count"], 1, "the AI's answer does not count as read: {item}");
    assert_eq!(item["language"], "fr-CA");
    assert_eq!(item["page_url"], "https://shop.example/jackets");
    assert_eq!(item["lead"], Value::Null);
    assert_eq!(item["holder"], Value::Null);
    assert_eq!(item["last_activity_at"], item["updated_at"]);
    let preview = item["last_message_preview"].as_str().unwrap();
    assert!(!preview.is_empty() && preview.chars().count() <= 140, "{preview}");

    server.dev_ok(Method::POST, "/conversations/conv_inbox/takeover", Some(json!({"actor_name": "Sam"}))).await;
    let held = server.item("conv_inbox").await;
    assert_eq!(held["holder"]["actor_kind"], "external_agent");
    assert_eq!(held["holder"]["name"], "Sam");
    assert_eq!(held["holder"]["member_id"], Value::Null);
    assert_eq!(held["holder"]["surface"], "api");
    assert_eq!(held["unread_count"], 1, "taking over reads nothing");
    server.dev_ok(Method::POST, "/conversations/conv_inbox/reply", Some(json!({"text": "Hello from Sam"}))).await;
    let answered = server.item("conv_inbox").await;
    assert_eq!(answered["unread_count"], 0, "an agent replied");
    assert_eq!(answered["last_message_preview"], "Hello from Sam");
    for (i, text) in ["Thanks!", "One more   question\nabout sizes"].iter().enumerate() {
        server.chat_ok(&token, &chat_body("conv_inbox", &format!("u{}", i + 2), text)).await;
    }
    let waiting = server.item("conv_inbox").await;
    assert_eq!(waiting["unread_count"], 2, "two visitor messages after the reply");
    assert_eq!(waiting["last_message_preview"], "One more question about sizes", "one line");
    assert!(waiting["last_activity_at"].as_str() > answered["last_activity_at"].as_str());

    // A long message is cut.
    server.dev_ok(Method::POST, "/conversations/conv_inbox/reply", Some(json!({"text": "word ".repeat(100)}))).await;
    let long = server.item("conv_inbox").await;
    let preview = long["last_message_preview"].as_str().unwrap();
    assert_eq!(preview.chars().count(), 140, "{preview}");
    assert!(preview.ends_with('…'));
}

#[tokio::test]
async fn order_activity_lists_the_most_recently_active_first_and_pages() {
    let server = TestServer::start().await;
    let mut tokens = Vec::new();
    for i in 0..3 {
        tokens.push(server.answered_conversation(&format!("conv_o{i}")).await);
    }
    // The oldest conversation becomes the most recently active.
    server.chat_ok(&tokens[0], &chat_body("conv_o0", "u2", "still there?")).await;
    let ids = |page: &Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
    };
    let created = server.dev_ok(Method::GET, "/conversations", None).await;
    assert_eq!(ids(&created), ["conv_o2", "conv_o1", "conv_o0"], "default: newest created first");
    let active = server.dev_ok(Method::GET, "/conversations?order=activity&limit=2", None).await;
    assert_eq!(ids(&active), ["conv_o0", "conv_o2"]);
    assert_eq!(active["has_more"], true);
    let rest = server.dev_ok(Method::GET, "/conversations?order=activity&limit=2&starting_after=conv_o2", None).await;
    assert_eq!(ids(&rest), ["conv_o1"]);
    let resp =
        server.dev_with(Method::GET, "/conversations?order=sideways", &server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["order"]).await;
    // `mine` needs a member: an unbound key has none.
    let resp = server.dev_with(Method::GET, "/conversations?mine=true", &server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["mine", "member"]).await;
    let resp = server.dev_with(Method::GET, "/conversations?mine=maybe", &server.keys.dev_key).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["mine"]).await;
    let all = server.dev_ok(Method::GET, "/conversations?mine=false", None).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_organisation_stream_sends_new_conversations_and_messages_within_a_second_and_only_its_own() {
    let server = TestServer::start().await;
    let db = server.db().await;
    let org = quincer_server::provision::create_org(&db, "Other").await.unwrap();
    let other_key = quincer_server::provision::create_dev_key(&db, &org, "o", &["conversations:read"]).await.unwrap();
    let mut mine = Events::open(&server, &server.keys.dev_key).await;
    let mut theirs = Events::open(&server, &other_key).await;

    // A new conversation: its first visitor message.
    let token = server.new_visitor().await;
    let started = Instant::now();
    let first = chat_body("conv_live", "u1", SHIPPING_QUESTION);
    let chat = server.chat(&token, &first);
    let (resp, event) = tokio::join!(chat, mine.conversation("conv_live", Duration::from_secs(5), |_| true));
    let event = event.expect("the new conversation is announced");
    assert!(started.elapsed() < Duration::from_secs(1), "announced after {:?}", started.elapsed());
    assert_eq!(event["object"], "conversation");
    assert_eq!(event["status"], "active");
    assert!(event["message_count"].as_i64().unwrap() >= 1);
    assert_eq!(event["unread_count"], 1);
    read_stream(resp).await.assert_complete_answer();

    // A visitor message in it.
    let started = Instant::now();
    let second = chat_body("conv_live", "u2", "And returns?");
    let chat = server.chat(&token, &second);
    let waited = mine.conversation("conv_live", Duration::from_secs(5), |c| c["unread_count"] == 2);
    let (resp, event) = tokio::join!(chat, waited);
    event.expect("the visitor's message is announced");
    assert!(started.elapsed() < Duration::from_secs(1), "announced after {:?}", started.elapsed());
    read_stream(resp).await;

    // A takeover: the status and holder change.
    server.dev_ok(Method::POST, "/conversations/conv_live/takeover", Some(json!({"actor_name": "Sam"}))).await;
    let held = mine.conversation("conv_live", Duration::from_secs(1), |c| c["status"] == "human_active").await;
    assert_eq!(held.expect("the takeover is announced")["holder"]["name"], "Sam");

    // The other organisation heard nothing of it.
    while let Some((event, data)) = theirs.next(Duration::from_millis(300)).await {
        assert_ne!(event, "conversation", "another organisation's conversation leaked: {data}");
    }
    drop((mine, theirs));
    // The streams' channels go with them.
    for _ in 0..50 {
        if server.state.hub.live_inboxes() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.state.hub.live_inboxes(), 0);
}

/// A team member of the demo organisation and a developer key bound to them (the agent role's conversation scopes).
async fn member_key(server: &TestServer, name: &str, avatar: Option<&str>) -> (String, String) {
    use quincer_server::members::Role;
    use quincer_server::provision::{create_member, create_member_key, MemberInput};
    let db = server.db().await;
    let input = MemberInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        avatar_url: avatar.map(str::to_owned),
        role: Role::Agent,
        with_password: false,
    };
    let (member, _) = create_member(&db, &server.keys.org_id, input).await.unwrap();
    let scopes = [
        "conversations:read",
        "conversations:takeover",
        "conversations:reply",
        "conversations:handback",
        "conversations:write",
    ];
    let key = create_member_key(&db, &server.keys.org_id, &member.id, "inbox", &scopes).await.unwrap();
    (member.id, key)
}

/// Posts to the developer API with `key`, asserting success; the JSON answer.
async fn as_key(server: &TestServer, key: &str, path: &str, body: Value) -> Value {
    let resp = server.dev_with(Method::POST, path, key).json(&body).send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{path} → {status}: {text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn a_member_acts_under_their_own_name_and_avatar_everywhere() {
    let server = TestServer::start().await;
    let receiver = Receiver::start(vec![]).await;
    let body = json!({"url": receiver.url, "events": ["conversation.takeover", "conversation.handback"]});
    server.dev_ok(Method::POST, "/webhooks", Some(body)).await;
    let avatar = "https://cdn.example.com/ana.png";
    let (ana, ana_key) = member_key(&server, "Ana", Some(avatar)).await;
    let (_, bo_key) = member_key(&server, "Bo", None).await;
    let token = server.answered_conversation("conv_member").await;
    let base = "/conversations/conv_member";

    // The body's name is ignored for a member: the visitor sees who it is.
    let held = as_key(&server, &ana_key, &format!("{base}/takeover"), json!({"actor_name": "Someone else"})).await;
    assert_eq!(held["holder"]["actor_kind"], "internal_user");
    assert_eq!(held["holder"]["member_id"], ana.as_str());
    assert_eq!(held["holder"]["name"], "Ana");
    assert_eq!(held["holder"]["avatar_url"], avatar);
    assert_eq!(held["takeover"]["actor_kind"], "internal_user");
    // The same member through another of her keys holds it already: nothing changes.
    let db = server.db().await;
    let scopes = ["conversations:takeover", "conversations:reply"];
    let second =
        quincer_server::provision::create_member_key(&db, &server.keys.org_id, &ana, "cli", &scopes).await.unwrap();
    as_key(&server, &second, &format!("{base}/takeover"), json!({})).await;

    // Another member is refused, by name.
    let resp = server.dev_with(Method::POST, &format!("{base}/takeover"), &bo_key).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["already taken over by Ana"]).await;
    let resp = server
        .dev_with(Method::POST, &format!("{base}/reply"), &bo_key)
        .json(&json!({"text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["taken over by Ana"]).await;

    // Her reply carries her name, whatever the body says; from her other key too.
    let sent = as_key(&server, &ana_key, &format!("{base}/reply"), json!({"text": "Hi", "speaker_name": "X"})).await;
    assert_eq!(sent["speaker_name"], "Ana");
    as_key(&server, &second, &format!("{base}/reply"), json!({"text": "Still me"})).await;

    // The widget: the transcript's agent and the live takeover event carry her name and avatar.
    let transcript = server.transcript_ok(&token, "conv_member").await;
    assert_eq!(transcript["agent"], json!({"name": "Ana", "avatar_url": avatar}));
    let resp = server
        .visitor(Method::GET, "/api/widget/conversations/conv_member/events", &token)
        .header("last-event-id", "0")
        .send()
        .await
        .unwrap();
    let mut events = Events { resp, buf: String::new() };
    let (event, data) = events.next(Duration::from_secs(5)).await.expect("the stored takeover event");
    assert_eq!(event, "takeover");
    assert_eq!(data["agent"], json!({"name": "Ana", "avatar_url": avatar}));

    // `mine`: hers, not Bo's.
    let mine = server.dev_with(Method::GET, "/conversations?mine=true", &ana_key).send().await.unwrap();
    let mine: Value = mine.json().await.unwrap();
    assert_eq!(mine["data"].as_array().unwrap().len(), 1);
    assert_eq!(mine["data"][0]["id"], "conv_member");
    let theirs: Value =
        server.dev_with(Method::GET, "/conversations?mine=true", &bo_key).send().await.unwrap().json().await.unwrap();
    assert_eq!(theirs["data"], json!([]));

    as_key(&server, &ana_key, &format!("{base}/handback"), json!({})).await;
    let after: Value =
        server.dev_with(Method::GET, "/conversations?mine=true", &ana_key).send().await.unwrap().json().await.unwrap();
    assert_eq!(after["data"], json!([]), "handed back: no longer hers");

    // The audit trail and the webhooks name her.
    let audit = server.dev_ok(Method::GET, &format!("{base}/audit"), None).await;
    let entries = audit["data"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["handback", "reply", "reply", "takeover"]);
    for e in entries {
        assert_eq!(e["actor_kind"], "internal_user", "{e}");
        assert_eq!(e["actor_member_id"], ana.as_str());
        assert_eq!(e["actor_name"], "Ana");
        assert_eq!(e["surface"], "api", "a key bound to a member acts through the API");
    }
    let got = receiver.wait_for(2).await;
    for r in &got {
        let j = r.json();
        assert_eq!(j["actorKind"], "internal_user");
        assert_eq!(j["actorUserId"], ana.as_str());
        assert_eq!(j["actorName"], "Ana");
        assert_eq!(j["actorAvatarUrl"], avatar);
        assert_eq!(j["surface"], "api");
    }
}

#[tokio::test]
async fn the_organisation_stream_ends_when_its_key_is_revoked_or_its_member_disabled() {
    let server = TestServer::start().await;
    let db = server.db().await;
    let key = quincer_server::provision::create_dev_key(&db, &server.keys.org_id, "revoke-me", &["conversations:read"])
        .await
        .unwrap();
    let (member, member_key) = member_key(&server, "Cy", None).await;
    let mut by_key = Events::open(&server, &key).await;
    let mut by_member = Events::open(&server, &member_key).await;
    sqlx::query("UPDATE developer_keys SET revoked_at = created_at WHERE name = 'revoke-me'")
        .execute(&db)
        .await
        .unwrap();
    quincer_server::store::members::set_disabled(&db, &member, true).await.unwrap();

    // The next change ends both streams instead of reaching them.
    server.answered_conversation("conv_after").await;
    for events in [&mut by_key, &mut by_member] {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let chunk = tokio::time::timeout_at(deadline, events.resp.chunk()).await.expect("the stream ends");
            match chunk.unwrap() {
                None => break,
                Some(bytes) => {
                    assert!(!String::from_utf8_lossy(&bytes).contains("conv_after"), "sent after revocation")
                }
            }
        }
    }
    let resp = server.dev_with(Method::GET, "/conversations/events", &key).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "and cannot reopen");
}

#[tokio::test]
async fn a_captured_lead_appears_on_the_item_and_live() {
    let server = TestServer::start().await;
    let session = server.session(json!({})).await;
    for p in session["personas"].as_array().unwrap() {
        let path = format!("/personas/{}", p["id"].as_str().unwrap());
        server.dev_ok(Method::POST, &path, Some(json!({"captureLeads": true}))).await;
    }
    let token = session["visitor_token"].as_str().unwrap().to_owned();
    server.chat_ok(&token, &chat_body("conv_lead", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    assert_eq!(server.item("conv_lead").await["lead"], Value::Null);
    let mut live = Events::open(&server, &server.keys.dev_key).await;

    let form = json!({"conversation_id": "conv_lead", "email": "ada@example.com", "name": "Ada"});
    let resp = server.visitor(Method::POST, "/api/widget/lead", &token).json(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let lead_id = resp.json::<Value>().await.unwrap()["lead_id"].as_str().unwrap().to_owned();
    let expected = json!({"id": lead_id, "name": "Ada", "email": "ada@example.com"});
    let event = live.conversation("conv_lead", Duration::from_secs(1), |c| !c["lead"].is_null()).await;
    assert_eq!(event.expect("the lead is announced")["lead"], expected);
    assert_eq!(server.item("conv_lead").await["lead"], expected);

    // The visitor's next conversation on the widget shows their lead too.
    server.chat_ok(&token, &chat_body("conv_lead_2", "u1", "Hello again")).await;
    assert_eq!(server.item("conv_lead_2").await["lead"]["id"], lead_id.as_str());
}

#[tokio::test]
async fn a_signed_in_member_acts_from_the_dashboard_and_signing_out_ends_their_stream() {
    use quincer_server::members::Role;
    use quincer_server::provision::{create_member, MemberInput};
    let server = TestServer::start().await;
    let input = MemberInput {
        name: "Dee".into(),
        email: "dee@example.com".into(),
        avatar_url: Some("https://cdn.example.com/dee.png".into()),
        role: Role::Agent,
        with_password: true,
    };
    let (member, password) = create_member(&server.db().await, &server.keys.org_id, input).await.unwrap();
    let body = json!({"email": "dee@example.com", "password": password.unwrap()});
    let resp = server.client.post(server.url("/inbox/api/sign-in")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let session = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find_map(|c| c.strip_prefix("quincer_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("session cookie");
    let csrf = resp.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_owned();
    let cookie = format!("quincer_session={session}; quincer_csrf={csrf}");
    let browser = |method: Method, path: &str| {
        server.client.request(method, server.url(path)).header("cookie", &cookie).header("x-csrf-token", &csrf)
    };

    // The inbox's stream works with the cookie.
    let resp = browser(Method::GET, "/api/v1/conversations/events").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut live = Events { resp, buf: String::new() };
    assert_eq!(live.next(Duration::from_secs(5)).await.expect("ready").0, "ready");

    server.answered_conversation("conv_dash").await;
    let resp = browser(Method::POST, "/api/v1/conversations/conv_dash/takeover").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let held = live.conversation("conv_dash", Duration::from_secs(1), |c| c["status"] == "human_active").await;
    let holder = &held.expect("the takeover, live")["holder"];
    assert_eq!(holder["member_id"], member.id.as_str());
    assert_eq!(holder["surface"], "dashboard");
    assert_eq!(holder["avatar_url"], "https://cdn.example.com/dee.png");
    let resp = browser(Method::POST, "/api/v1/conversations/conv_dash/reply").json(&json!({"text": "Hi"})).send();
    assert_eq!(resp.await.unwrap().status(), StatusCode::CREATED);
    let mine: Value =
        browser(Method::GET, "/api/v1/conversations?mine=true").send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["data"][0]["id"], "conv_dash");

    let audit = server.dev_ok(Method::GET, "/conversations/conv_dash/audit", None).await;
    for e in audit["data"].as_array().unwrap() {
        assert_eq!(e["actor_kind"], "internal_user");
        assert_eq!(e["actor_member_id"], member.id.as_str());
        assert_eq!(e["surface"], "dashboard", "{e}");
        assert!(e["actor_key_id"].as_str().unwrap().starts_with("ses_"), "{e}");
    }

    // Signing out ends the stream at the next change, which it does not send.
    assert_eq!(browser(Method::POST, "/inbox/api/sign-out").send().await.unwrap().status(), StatusCode::OK);
    server.answered_conversation("conv_after_sign_out").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while let Some(bytes) =
        tokio::time::timeout_at(deadline, live.resp.chunk()).await.expect("the stream ends").unwrap()
    {
        assert!(!String::from_utf8_lossy(&bytes).contains("conv_after_sign_out"), "sent after sign-out");
    }
}
