//! Integration tests of personas: the CRUD API with its validation and invariants (one default, never zero
//! personas), the persona a new conversation gets from its page URL, and persona-scoped knowledge.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

impl TestServer {
    fn personas(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1/personas{path}"))).bearer_auth(&self.keys.dev_key)
    }

    async fn personas_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.personas(method, path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{status}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// The widget's personas by name → (id, is_default).
    async fn persona_table(&self) -> Vec<(String, bool)> {
        let list = self.personas_ok(Method::GET, "", None).await;
        // The API lists newest first; the table is in creation order.
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|p| (p["name"].as_str().unwrap().to_owned(), p["is_default"].as_bool().unwrap()))
            .collect()
    }
}

#[tokio::test]
async fn the_demo_has_personas_for_parts_of_the_site() {
    let server = TestServer::start().await;
    assert_eq!(
        server.persona_table().await,
        [("Ava".into(), true), ("Sales".into(), false), ("Docs helper".into(), false), ("Stylist".into(), false)]
    );
    let list = server.personas_ok(Method::GET, &format!("?widget_id={}", server.keys.widget_id), None).await;
    assert_eq!(list["object"], "list");
    assert_eq!(list["data"], list["personas"]);
    assert_eq!(list["data"][2]["url_patterns"], json!(["/pricing"]), "Sales, second created, third newest");
    assert_eq!(list["data"][0]["object"], "persona");
}

#[tokio::test]
async fn create_update_and_delete_keep_one_default_and_at_least_one_persona() {
    let server = TestServer::start().await;
    let created = server
        .personas_ok(
            Method::POST,
            "",
            Some(json!({"name": "Concierge", "systemPrompt": "Be brief.", "bubble_color": "#0EA5E9",
                        "url_patterns": ["/vip/**"], "greeting": "Welcome back!", "avatar_url": "https://cdn.example/c.png"})),
        )
        .await;
    assert_eq!(created["system_prompt"], "Be brief.");
    assert_eq!(created["bubble_color"], "#0ea5e9");
    assert_eq!(created["is_default"], false);
    assert_eq!(created["widget_id"], server.keys.widget_id.as_str(), "the organisation's only widget");
    let id = created["id"].as_str().unwrap().to_owned();

    // Making it the default unsets the previous one.
    let updated = server.personas_ok(Method::PATCH, &format!("/{id}"), Some(json!({"isDefault": true}))).await;
    assert_eq!(updated["is_default"], true);
    let defaults: Vec<String> = server.persona_table().await.into_iter().filter(|(_, d)| *d).map(|(n, _)| n).collect();
    assert_eq!(defaults, ["Concierge"]);
    let resp =
        server.personas(Method::POST, &format!("/{id}")).json(&json!({"is_default": false})).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["default"]).await;

    let renamed = server
        .personas_ok(Method::POST, &format!("/{id}"), Some(json!({"name": " Concierge desk ", "greeting": ""})))
        .await;
    assert_eq!(renamed["name"], "Concierge desk");
    assert!(renamed["greeting"].is_null(), "an empty greeting clears it");
    assert_eq!(renamed["url_patterns"], json!(["/vip/**"]), "untouched fields stay");

    // Deleting the default hands it to the first remaining persona.
    let deleted = server.personas_ok(Method::DELETE, &format!("/{id}"), None).await;
    assert_eq!(deleted, json!({"object": "persona", "id": id, "deleted": true}));
    assert_eq!(server.persona_table().await[0], ("Ava".into(), true));

    // Down to one: the last is refused.
    let ids: Vec<String> = server.personas_ok(Method::GET, "", None).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    for pid in &ids[1..] {
        server.personas_ok(Method::DELETE, &format!("/{pid}"), None).await;
    }
    let resp = server.personas(Method::DELETE, &format!("/{}", ids[0])).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["last persona"]).await;
}

#[tokio::test]
async fn concurrent_updates_all_succeed() {
    // An update reads the persona, then writes it: unless it takes the write lock first, a write committed in
    // between makes SQLite refuse it ("database is locked"), which reached the client as a 500.
    let server = TestServer::start().await;
    let list = server.personas_ok(Method::GET, "", None).await;
    let ids: Vec<String> = list["data"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().into()).collect();
    let updates = (0..24).map(|i| {
        let id = &ids[i % ids.len()];
        server.personas(Method::POST, &format!("/{id}")).json(&json!({"greeting": format!("Hi {i}")})).send()
    });
    for resp in futures_util::future::join_all(updates).await {
        let resp = resp.unwrap();
        let status = resp.status();
        assert_eq!(status, StatusCode::OK, "{}", resp.text().await.unwrap());
    }
}

#[tokio::test]
async fn invalid_personas_are_400s_that_name_the_field() {
    let server = TestServer::start().await;
    for (body, needle) in [
        (json!({"systemPrompt": "x"}), "name"),
        (json!({"name": "  "}), "name"),
        (json!({"name": "x".repeat(81)}), "name"),
        (json!({"name": "A", "bubble_color": "teal"}), "bubble_color"),
        (json!({"name": "A", "bubble_color": "#12345"}), "bubble_color"),
        (json!({"name": "A", "url_patterns": ["/ok", "/docs**"]}), "url_patterns[1]"),
        (json!({"name": "A", "url_patterns": ["/a b"]}), "whitespace"),
        (json!({"name": "A", "avatar_url": "javascript:alert(1)"}), "avatar_url"),
        (json!({"name": "A", "greeting": "g".repeat(501)}), "greeting"),
        (json!({"name": "A", "voice": "alloy"}), "voice"),
        (json!({"name": "A", "widget_id": "wgt_nope"}), "wgt_nope"),
    ] {
        let resp = server.personas(Method::POST, "").json(&body).send().await.unwrap();
        let expected = if needle == "wgt_nope" { StatusCode::NOT_FOUND } else { StatusCode::BAD_REQUEST };
        assert_error(resp, expected, &[needle]).await;
    }
    let weak = server.mint_key(&["personas:read"]).await;
    let resp = server
        .client
        .post(server.url("/api/v1/personas"))
        .bearer_auth(&weak)
        .json(&json!({"name": "A"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["personas:write"]).await;
    let resp = server.personas(Method::GET, "/per_nope").send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["per_nope"]).await;
}

#[tokio::test]
async fn a_new_conversation_gets_the_persona_of_its_page() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    let ids: Vec<(String, String)> = server.personas_ok(Method::GET, "", None).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["id"].as_str().unwrap().to_owned()))
        .collect();
    let id_of = |name: &str| ids.iter().find(|(n, _)| n == name).unwrap().1.clone();
    for (conv, url, persona) in [
        ("c_home", "https://northwind.example/", "Ava"),
        ("c_pricing", "https://northwind.example/pricing?ref=ad", "Sales"),
        ("c_docs", "https://northwind.example/docs/getting-started", "Docs helper"),
        ("c_shop", "https://northwind.example/shop/jackets/stormline", "Stylist"),
    ] {
        let mut body = chat_body(conv, "u1", SHIPPING_QUESTION);
        body["page_url"] = json!(url);
        server.chat_ok(&token, &body).await.assert_complete_answer();
        let t = server.transcript_ok(&token, conv).await;
        assert_eq!(t["persona_id"], id_of(persona).as_str(), "{url}");
    }
    // The persona the widget shows wins, if it is one of the widget's.
    let mut body = chat_body("c_chosen", "u1", "hello");
    body["page_url"] = json!("https://northwind.example/");
    body["persona_id"] = json!(id_of("Stylist"));
    server.chat_ok(&token, &body).await;
    assert_eq!(server.transcript_ok(&token, "c_chosen").await["persona_id"], id_of("Stylist").as_str());
    let mut body = chat_body("c_foreign", "u1", "hello");
    body["persona_id"] = json!("per_not_ours");
    server.chat_ok(&token, &body).await;
    assert_eq!(server.transcript_ok(&token, "c_foreign").await["persona_id"], id_of("Ava").as_str());
    // And the first answer speaks as that persona.
    let mut body = chat_body("c_voice", "u1", "Do you ship to Canada?");
    body["page_url"] = json!("https://northwind.example/pricing");
    let stream = server.chat_ok(&token, &body).await;
    assert!(stream.text().starts_with("Sales here."), "{}", stream.text());
}

#[tokio::test]
async fn knowledge_bound_to_personas_is_used_only_by_them() {
    let server = TestServer::start().await;
    let list = server.personas_ok(Method::GET, "", None).await;
    let id_of = |name: &str| {
        list["data"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["id"].as_str().unwrap().to_owned()
    };
    let (sales, docs) = (id_of("Sales"), id_of("Docs helper"));
    let knowledge = |method: Method, path: &str| {
        server.client.request(method, server.url(&format!("/api/v1/knowledge{path}"))).bearer_auth(&server.keys.dev_key)
    };
    let resp = knowledge(Method::POST, "")
        .json(&json!({"title": "Bulk discounts", "content": "Teams ordering ten or more jackets get 15 percent off.",
                      "personas": [sales, docs]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item["object"], "knowledge_item");
    assert_eq!(item["personas"], json!([sales, docs]));
    let id = item["id"].as_str().unwrap().to_owned();

    let token = server.new_visitor().await;
    let ask = |conv: &str, url: &str| {
        let mut body = chat_body(conv, "u1", "Are there bulk discounts for teams?");
        body["page_url"] = json!(url);
        body
    };
    for (conv, url, sees) in [
        ("c1", "https://x.example/pricing", true),
        ("c2", "https://x.example/docs/a", true),
        ("c3", "https://x.example/shop/a", false),
        ("c4", "https://x.example/", false),
    ] {
        let answer = server.chat_ok(&token, &ask(conv, url)).await.text();
        assert_eq!(answer.contains("15 percent"), sees, "{url}: {answer}");
    }
    // Unbinding makes it everyone's.
    let item: Value = knowledge(Method::PATCH, &format!("/{id}"))
        .json(&json!({"personas": []}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(item["personas"], json!([]));
    assert!(server.chat_ok(&token, &ask("c5", "https://x.example/shop/a")).await.text().contains("15 percent"));

    // Listing, search and the rest of the resource.
    let found: Value = knowledge(Method::GET, "?q=bulk").send().await.unwrap().json().await.unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(found["data"], found["knowledge"]);
    let by_persona: Value =
        knowledge(Method::GET, &format!("?persona_id={sales}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(by_persona["total"], 0);
    // The demo's 14 manual items and this one (the demo store's products are `source_type=product` items).
    let all: Value = knowledge(Method::GET, "?limit=5&source_type=manual").send().await.unwrap().json().await.unwrap();
    assert_eq!(all["total"], 15);
    assert_eq!(all["has_more"], true);
    for (body, needle) in [
        (json!({"content": "x"}), "title"),
        (json!({"title": "x"}), "content"),
        (json!({"title": " ", "content": "x"}), "title"),
        (json!({"title": "x", "content": "y", "personas": ["per_nope"]}), "per_nope"),
    ] {
        let resp = knowledge(Method::POST, "").json(&body).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }
    let deleted: Value = knowledge(Method::DELETE, &format!("/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(deleted["deleted"], true);
    assert!(!server.chat_ok(&token, &ask("c6", "https://x.example/pricing")).await.text().contains("15 percent"));
}

#[tokio::test]
async fn channel_and_integration_fields_are_stored_validated_and_cleared() {
    let server = TestServer::start().await;
    let created = server
        .personas_ok(
            Method::POST,
            "",
            Some(json!({
                "name": "Closer", "agentMode": "sales",
                "voice": {"enabled": true, "voiceId": "alloy", "language": "en-gb"},
                "slackChannelId": "C0123456789", "telegramChatId": "-1001234567890",
                "metaAssets": {"facebookPageId": "1234567890"},
                "enabledToolIds": ["show_products"],
                "emailInbox": {"address": "sales@northwind.example", "displayName": "Northwind Sales"},
            })),
        )
        .await;
    assert_eq!(created["agent_mode"], "sales");
    assert_eq!(created["voice"], json!({"enabled": true, "voice_id": "alloy", "language": "en-GB"}));
    assert_eq!(created["slack_channel_id"], "C0123456789");
    assert_eq!(created["telegram_chat_id"], "-1001234567890");
    assert_eq!(created["meta_assets"]["facebook_page_id"], "1234567890");
    assert_eq!(created["enabled_tool_ids"], json!(["show_products"]));
    assert_eq!(created["email_inbox"]["display_name"], "Northwind Sales");
    let id = created["id"].as_str().unwrap();

    // Absent fields stay; null clears (the mode back to its default).
    let after = server
        .personas_ok(Method::PATCH, &format!("/{id}"), Some(json!({"slack_channel_id": null, "agent_mode": null})))
        .await;
    assert_eq!((after["slack_channel_id"].clone(), after["agent_mode"].clone()), (Value::Null, json!("general")));
    assert_eq!(after["telegram_chat_id"], "-1001234567890");
    assert_eq!(server.personas_ok(Method::GET, &format!("/{id}"), None).await, after);

    // An old persona reads with the defaults.
    let list = server.personas_ok(Method::GET, "", None).await;
    let ava = list["data"].as_array().unwrap().iter().find(|p| p["name"] == "Ava").unwrap();
    assert_eq!((ava["agent_mode"].as_str(), ava["enabled_tool_ids"].clone()), (Some("general"), Value::Null));

    for (body, field) in [
        (json!({"agentMode": "closer"}), "`agent_mode` must be one of general, sales, support"),
        (json!({"voice": {"language": "not a language"}}), "`voice.language`"),
        (json!({"voice": {"pitch": 3}}), "unknown field `pitch`"),
        (json!({"slack_channel_id": "#general"}), "`slack_channel_id`"),
        (json!({"telegram_chat_id": "12ab"}), "`telegram_chat_id`"),
        (json!({"meta_assets": {"instagram_account_id": "insta"}}), "`meta_assets.instagram_account_id`"),
        (json!({"enabled_tool_ids": ["web_search"]}), "known tools: show_products"),
        (json!({"email_inbox": {"address": "nobody"}}), "`email_inbox.address`"),
    ] {
        let resp = server.personas(Method::PATCH, &format!("/{id}")).json(&body).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{body}");
        let err: Value = resp.json().await.unwrap();
        assert!(err["error"].as_str().unwrap().contains(field), "{body}: {err}");
    }
    assert_eq!(server.personas_ok(Method::GET, &format!("/{id}"), None).await, after, "a refused change loses nothing");
}

/// The stream's part types of a new conversation asking for a jacket.
async fn ask_for_a_jacket(server: &TestServer, token: &str, n: u32) -> Vec<String> {
    let conversation = format!("conv_tools_{n}_{}", quincer_server::ids::random_string(6));
    let stream = server.chat_ok(token, &chat_body(&conversation, "u1", "Do you have a waterproof jacket?")).await;
    stream.types().iter().map(|t| t.to_string()).collect()
}

#[tokio::test]
async fn a_persona_without_the_product_tool_shows_no_product_cards() {
    let server = TestServer::start().await;
    server.seed_catalog().await;
    let list = server.personas_ok(Method::GET, "", None).await;
    let ava = list["data"].as_array().unwrap().iter().find(|p| p["is_default"] == true).unwrap();
    let ava = ava["id"].as_str().unwrap().to_owned();
    let token = server.new_visitor().await;
    let ask = |n: u32| ask_for_a_jacket(&server, &token, n);
    assert!(ask(1).await.iter().any(|t| t.starts_with("tool-")), "products by default");
    server.personas_ok(Method::PATCH, &format!("/{ava}"), Some(json!({"enabledToolIds": []}))).await;
    let types = ask(2).await;
    assert!(!types.iter().any(|t| t.starts_with("tool-")), "no product cards: {types:?}");
    assert!(types.iter().any(|t| t == "text-delta"), "still an answer: {types:?}");
    server.personas_ok(Method::PATCH, &format!("/{ava}"), Some(json!({"enabledToolIds": null}))).await;
    assert!(ask(3).await.iter().any(|t| t.starts_with("tool-")), "products again");
}
