//! Integration tests of leads: the developer API (create, read, update by POST and PATCH, delete, filters,
//! pagination, validation, scopes, other organisations), the lead webhooks, and capture from the chat (the inline
//! form endpoint and the host page's `identify`).

mod common;

use common::receiver::Receiver;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

impl TestServer {
    /// A developer-API call with the demo developer key.
    fn dev(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(&self.keys.dev_key)
    }

    /// `POST /api/v1/leads` with `body`, asserting `status`; returns the answer.
    async fn create_lead(&self, body: Value) -> Value {
        let resp = self.dev(Method::POST, "/leads").json(&body).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED, "{}", resp.text().await.unwrap());
        resp.json().await.unwrap()
    }

    /// Subscribes a receiver to the lead events.
    async fn lead_receiver(&self) -> Receiver {
        let receiver = Receiver::start(vec![]).await;
        let events = ["lead.created", "lead.updated", "lead.stage_changed"];
        let resp = self.dev(Method::POST, "/webhooks").json(&json!({"url": receiver.url, "events": events})).send();
        assert_eq!(resp.await.unwrap().status(), StatusCode::CREATED);
        receiver
    }

    /// Turns lead capture on for the demo widget's personas; returns a visitor token and a conversation id with
    /// one answered message.
    async fn capturing_conversation(&self) -> (String, String) {
        let session = self.session(json!({})).await;
        for p in session["personas"].as_array().unwrap() {
            let path = format!("/personas/{}", p["id"].as_str().unwrap());
            let resp = self.dev(Method::POST, &path).json(&json!({"captureLeads": true})).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(resp.json::<Value>().await.unwrap()["capture_leads"], true);
        }
        let token = session["visitor_token"].as_str().unwrap().to_owned();
        let conversation = format!("conv_{}", rand_suffix());
        self.chat_ok(&token, &chat_body(&conversation, "m1", SHIPPING_QUESTION)).await.assert_complete_answer();
        (token, conversation)
    }
}

fn rand_suffix() -> String {
    format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

fn events_of(got: &[common::receiver::Received]) -> Vec<String> {
    got.iter().map(|r| r.header("quincer-event")).collect()
}

#[tokio::test]
async fn create_validates_and_returns_the_full_record() {
    let server = TestServer::start().await;
    let widget = server.keys.widget_id.clone();
    let cases = [
        (json!({"email": "ada@example.com"}), "`widget_id` is required"),
        (json!({"widget_id": widget, "company": "Acme"}), "at least one of `email`, `name` or `phone`"),
        (json!({"widget_id": widget, "email": "ada@example"}), "`email` is not an email address"),
        (json!({"widget_id": widget, "name": "Ada", "stage": "maybe"}), "`stage` must be one of new, contacted"),
        (json!({"widget_id": widget, "name": "Ada", "temperature": "tepid"}), "`temperature` must be one of"),
        (json!({"widget_id": widget, "name": "Ada", "score": 101}), "`score` must be an integer from 0 to 100"),
        (json!({"widget_id": widget, "name": "Ada", "score": "high"}), "score"),
        (json!({"widget_id": widget, "name": "Ada", "phone": "call me"}), "`phone` may only contain"),
        (json!({"widget_id": widget, "name": "Ada", "tags": [""]}), "`tags[0]`"),
        (json!({"widget_id": widget, "name": "Ada", "colour": "red"}), "unknown field `colour`"),
        (json!({"widget_id": widget, "name": "Ada", "conversation_id": "conv_nope"}), "`conversation_id`"),
    ];
    for (body, needle) in cases {
        let resp = server.dev(Method::POST, "/leads").json(&body).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }
    let resp = server.dev(Method::POST, "/leads").json(&json!({"widget_id": "wid_nope", "name": "A"})).send();
    assert_error(resp.await.unwrap(), StatusCode::NOT_FOUND, &["wid_nope"]).await;

    let lead = server
        .create_lead(json!({
            "widget_id": widget, "name": " Ada Lovelace ", "email": "ada@example.com", "jobTitle": "CTO",
            "company": "Analytical Engines", "tags": ["vip", "vip", "b2b"], "score": 40, "temperature": "warm",
            "bant": {"budget": "$20k", "timeline": "Q3"}, "need": "chat on 3 stores",
        }))
        .await;
    assert_eq!(lead["object"], "lead");
    assert_eq!(lead["name"], "Ada Lovelace");
    assert_eq!(lead["job_title"], "CTO");
    assert_eq!(lead["tags"], json!(["vip", "b2b"]));
    assert_eq!(
        (lead["stage"].as_str(), lead["temperature"].as_str(), lead["score"].as_i64()),
        (Some("new"), Some("warm"), Some(40))
    );
    assert_eq!(
        lead["bant"],
        json!({"budget": "$20k", "authority": null, "need": "chat on 3 stores", "timeline": "Q3"})
    );
    assert_eq!(lead["source"], "api");
    assert_eq!(lead["stage_history"].as_array().unwrap().len(), 1);

    let id = lead["id"].as_str().unwrap();
    let got: Value = server.dev(Method::GET, &format!("/leads/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(got, lead);
}

#[tokio::test]
async fn updates_by_post_and_patch_fire_webhooks_and_keep_history() {
    let server = TestServer::start().await;
    let receiver = server.lead_receiver().await;
    let lead = server.create_lead(json!({"widget_id": server.keys.widget_id, "email": "grace@example.com"})).await;
    let id = lead["id"].as_str().unwrap().to_owned();
    let path = format!("/leads/{id}");

    let resp = server.dev(Method::PATCH, &path).json(&json!({"assignedTo": "sam", "stage": "qualified"})).send();
    let patched: Value = resp.await.unwrap().json().await.unwrap();
    assert_eq!((patched["assigned_to"].as_str(), patched["stage"].as_str()), (Some("sam"), Some("qualified")));
    let resp = server.dev(Method::POST, &path).json(&json!({"jobTitle": "Admiral", "phone": null})).send();
    let posted: Value = resp.await.unwrap().json().await.unwrap();
    assert_eq!(posted["job_title"], "Admiral");
    assert_eq!(posted["stage"], "qualified", "a field left out keeps its value");
    let history: Vec<(Value, Value)> = posted["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["previous_stage"].clone(), c["stage"].clone()))
        .collect();
    assert_eq!(history, vec![(Value::Null, json!("new")), (json!("new"), json!("qualified"))]);

    // The same values again change nothing and fire nothing.
    let resp = server.dev(Method::POST, &path).json(&json!({"jobTitle": "Admiral"})).send().await.unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["updated_at"], posted["updated_at"]);

    let got = receiver.wait_for(4).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let got_all = receiver.got.lock().unwrap().clone();
    assert_eq!(got_all.len(), 4, "no webhook for the no-op update: {:?}", events_of(&got_all));
    let mut events = events_of(&got);
    events.sort();
    assert_eq!(events, ["lead.created", "lead.stage_changed", "lead.updated", "lead.updated"]);
    let stage = got.iter().find(|r| r.header("quincer-event") == "lead.stage_changed").unwrap().json();
    assert_eq!((stage["previous_stage"].as_str(), stage["previousStage"].as_str()), (Some("new"), Some("new")));
    assert_eq!(stage["lead"]["stage"], "qualified");
    assert_eq!(stage["object"], "lead");
    assert_eq!(stage["leadId"], id.as_str());
    assert!(got.iter().all(|r| r.header("quincer-signature").starts_with("sha256=")));

    // Widget and conversation are fixed once created.
    let resp = server.dev(Method::POST, &path).json(&json!({"widget_id": "x"})).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["cannot change"]).await;
}

#[tokio::test]
async fn list_filters_paginates_and_deletes() {
    let server = TestServer::start().await;
    let w = server.keys.widget_id.clone();
    for i in 0..7 {
        let (stage, temp) = if i % 2 == 0 { ("contacted", "hot") } else { ("new", "cold") };
        let assigned = if i < 3 { Some("sam") } else { None };
        server
            .create_lead(json!({"widget_id": w, "name": format!("Lead {i}"), "stage": stage, "temperature": temp,
                "assigned_to": assigned}))
            .await;
    }
    let list = |query: String| {
        let server = &server;
        async move {
            let resp = server.dev(Method::GET, &format!("/leads{query}")).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<Value>().await.unwrap()
        }
    };
    let names = |v: &Value| -> Vec<String> {
        v["data"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_owned()).collect()
    };
    let all = list(String::new()).await;
    assert_eq!(all["object"], "list");
    assert_eq!(all["url"], "/api/v1/leads");
    assert_eq!((all["total"].as_i64(), all["limit"].as_i64(), all["offset"].as_i64()), (Some(7), Some(50), Some(0)));
    assert_eq!(all["leads"], all["data"]);
    assert_eq!(names(&all)[0], "Lead 6", "newest first");

    let first = list("?limit=3".into()).await;
    assert_eq!(names(&first), ["Lead 6", "Lead 5", "Lead 4"]);
    assert_eq!(first["has_more"], true);
    let cursor = first["data"][2]["id"].as_str().unwrap();
    let second = list(format!("?limit=3&starting_after={cursor}")).await;
    assert_eq!(names(&second), ["Lead 3", "Lead 2", "Lead 1"]);
    let cursor = second["data"][2]["id"].as_str().unwrap();
    let third = list(format!("?limit=3&starting_after={cursor}")).await;
    assert_eq!((names(&third), third["has_more"].as_bool()), (vec!["Lead 0".to_owned()], Some(false)));

    assert_eq!(list("?stage=contacted".into()).await["total"], 4);
    assert_eq!(list("?stage=contacted,new&temperature=cold".into()).await["total"], 3);
    assert_eq!(list("?assignedTo=sam".into()).await["total"], 3);
    assert_eq!(list("?assigned_to=sam&stage=new".into()).await["total"], 1);
    assert_eq!(list(format!("?widgetId={w}")).await["total"], 7);
    assert_eq!(list("?updated_since=2000-01-01T00:00:00Z".into()).await["total"], 7);
    assert_eq!(list("?updatedSince=2999-01-01".into()).await["total"], 0);
    for (query, needle) in [
        ("?limit=0", "`limit`"),
        ("?limit=201", "`limit`"),
        ("?stage=hot", "`stage` must be one of"),
        ("?updated_since=yesterday", "`updated_since`"),
        ("?starting_after=lead_nope", "`starting_after`"),
    ] {
        let resp = server.dev(Method::GET, &format!("/leads{query}")).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }

    // Scopes and other organisations.
    let id = all["data"][0]["id"].as_str().unwrap().to_owned();
    let reader = server.mint_key(&["leads:read", "leads:write"]).await;
    let resp = server.client.delete(server.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&reader).send();
    assert_error(resp.await.unwrap(), StatusCode::FORBIDDEN, &["`leads:delete`"]).await;
    let writer = server.mint_key(&["leads:write"]).await;
    let resp = server.client.get(server.url("/api/v1/leads")).bearer_auth(&writer).send();
    assert_error(resp.await.unwrap(), StatusCode::FORBIDDEN, &["`leads:read`"]).await;
    let db = server.db().await;
    let org = quincer_server::provision::create_org(&db, "Other").await.unwrap();
    let other =
        quincer_server::provision::create_dev_key(&db, &org, "t", &["leads:read", "leads:write", "leads:delete"])
            .await
            .unwrap();
    let other_list: Value =
        server.client.get(server.url("/api/v1/leads")).bearer_auth(&other).send().await.unwrap().json().await.unwrap();
    assert_eq!(other_list["total"], 0);
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let resp = server.client.request(method, server.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&other);
        assert_error(resp.json(&json!({})).send().await.unwrap(), StatusCode::NOT_FOUND, &["no lead"]).await;
    }
    let resp = server.client.post(server.url("/api/v1/leads")).bearer_auth(&other);
    let resp = resp.json(&json!({"widget_id": server.keys.widget_id, "name": "Eve"})).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no widget"]).await;

    let resp = server.dev(Method::DELETE, &format!("/leads/{id}")).send().await.unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({"object": "lead", "id": id, "deleted": true}));
    let resp = server.dev(Method::GET, &format!("/leads/{id}")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_chat_form_creates_then_updates_the_visitors_lead() {
    let server = TestServer::start().await;
    let receiver = server.lead_receiver().await;
    let (token, conversation) = server.capturing_conversation().await;
    let form = |body: Value| server.visitor(Method::POST, "/api/widget/lead", &token).json(&body).send();

    let resp = form(json!({"conversation_id": conversation, "email": "not-an-email"})).await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["`email` is not an email address"]).await;
    let resp = form(json!({"conversation_id": "conv_other", "email": "ada@example.com"})).await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no conversation"]).await;

    let resp = form(json!({"conversation_id": conversation, "email": "ada@example.com", "name": "Ada"})).await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let lead_id = resp.json::<Value>().await.unwrap()["lead_id"].as_str().unwrap().to_owned();
    let lead: Value = server.dev(Method::GET, &format!("/leads/{lead_id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(lead["conversation_id"], conversation.as_str());
    assert_eq!((lead["email"].as_str(), lead["name"].as_str()), (Some("ada@example.com"), Some("Ada")));
    assert_eq!(lead["source"], "chat_form");
    // The conversation now shows who the visitor is.
    let conv: Value =
        server.dev(Method::GET, &format!("/conversations/{conversation}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(conv["visitor"]["email"], "ada@example.com");

    // Sent again with a corrected name: the same lead, updated.
    let resp =
        form(json!({"conversation_id": conversation, "email": "ada@example.com", "name": "Ada L."})).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap()["lead_id"], lead_id.as_str());
    // The host page's identify adds a phone number to it.
    let resp =
        server.visitor(Method::POST, "/api/widget/identify", &token).json(&json!({"phone": "+1 555 0100"})).send();
    assert_eq!(resp.await.unwrap().status(), StatusCode::OK);
    let lead: Value = server.dev(Method::GET, &format!("/leads/{lead_id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!((lead["name"].as_str(), lead["phone"].as_str()), (Some("Ada L."), Some("+1 555 0100")));
    let all: Value = server.dev(Method::GET, "/leads").send().await.unwrap().json().await.unwrap();
    assert_eq!(all["total"], 1, "one visitor, one lead");

    let got = receiver.wait_for(3).await;
    assert_eq!(events_of(&got), ["lead.created", "lead.updated", "lead.updated"]);
    assert_eq!(got[0].json()["lead"]["conversation_id"], conversation.as_str());
}

#[tokio::test]
async fn only_capturing_personas_take_the_form_and_create_leads_from_identify() {
    let server = TestServer::start().await;
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_plain", "m1", SHIPPING_QUESTION)).await.assert_complete_answer();
    let resp = server.visitor(Method::POST, "/api/widget/lead", &token);
    let resp = resp.json(&json!({"conversation_id": "conv_plain", "email": "bob@example.com"})).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["does not collect contact details"]).await;
    // identify on a non-capturing conversation names the visitor but creates no lead.
    let resp = server.visitor(Method::POST, "/api/widget/identify", &token).json(&json!({"email": "bob@example.com"}));
    assert_eq!(resp.send().await.unwrap().status(), StatusCode::OK);
    let all: Value = server.dev(Method::GET, "/leads").send().await.unwrap().json().await.unwrap();
    assert_eq!(all["total"], 0);

    // With a capturing persona, identify alone creates the lead, linked to the conversation.
    let (token, conversation) = server.capturing_conversation().await;
    let resp = server.visitor(Method::POST, "/api/widget/identify", &token);
    let resp = resp.json(&json!({"email": "cy@example.com", "name": "Cy", "plan": "pro"})).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let all: Value = server.dev(Method::GET, "/leads").send().await.unwrap().json().await.unwrap();
    assert_eq!(all["total"], 1);
    let lead = &all["data"][0];
    assert_eq!(
        (lead["source"].as_str(), lead["conversation_id"].as_str()),
        (Some("identify"), Some(conversation.as_str()))
    );
    assert_eq!(lead["email"], "cy@example.com");
}
