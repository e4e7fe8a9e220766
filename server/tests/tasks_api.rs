//! Integration tests of tasks, the agent's activity log: the developer API (create, read, update by POST and PATCH,
//! delete, the `/activities` aliases, filters, pagination, validation, scopes, other organisations), the task
//! webhooks, the lead record's task history, and the task runner qualifying a lead from a real conversation.

mod common;

use std::time::Duration;

use common::receiver::{Received, Receiver};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

impl TestServer {
    /// A developer-API call with the demo developer key.
    fn dev(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(&self.keys.dev_key)
    }

    /// `POST {path}` with `body`, asserting a 201; returns the answer.
    async fn created(&self, path: &str, body: Value) -> Value {
        let resp = self.dev(Method::POST, path).json(&body).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED, "{}", resp.text().await.unwrap());
        resp.json().await.unwrap()
    }

    /// `GET {path}`, asserting a 200.
    async fn read(&self, path: &str) -> Value {
        let resp = self.dev(Method::GET, path).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "GET {path}: {}", resp.text().await.unwrap());
        resp.json().await.unwrap()
    }

    /// Subscribes a receiver to `events`.
    async fn receiver(&self, events: &[&str]) -> Receiver {
        let receiver = Receiver::start(vec![]).await;
        let resp = self.dev(Method::POST, "/webhooks").json(&json!({"url": receiver.url, "events": events})).send();
        assert_eq!(resp.await.unwrap().status(), StatusCode::CREATED);
        receiver
    }

    /// A lead on the demo widget.
    async fn lead(&self, body: Value) -> String {
        let mut body = body;
        body["widget_id"] = json!(self.keys.widget_id);
        self.created("/leads", body).await["id"].as_str().unwrap().to_owned()
    }

    /// Polls task `id` until `done` holds for it (10 s at most); returns it.
    async fn wait_task(&self, id: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..200 {
            let task = self.read(&format!("/tasks/{id}")).await;
            if done(&task) {
                return task;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("task {id} never got there: {}", self.read(&format!("/tasks/{id}")).await);
    }
}

/// A test server whose developer key may make many calls a minute (the tests poll, and try many bad bodies).
async fn roomy() -> TestServer {
    TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| {
        c.rate_limits.dev_reads = 10_000;
        c.rate_limits.dev_writes = 10_000;
    })
    .await
}

fn events_of(got: &[Received]) -> Vec<String> {
    got.iter().map(|r| r.header("quincer-event")).collect()
}

#[tokio::test]
async fn create_read_update_delete_with_aliases_webhooks_and_lead_history() {
    let server = roomy().await;
    let receiver = server.receiver(&["task.created", "task.completed"]).await;
    let w = server.keys.widget_id.clone();
    let lead = server.lead(json!({"name": "Ada"})).await;
    let task = server
        .created(
            "/tasks",
            json!({
                "widgetId": w, "type": "crm_sync", "title": "  Push Ada to the CRM ", "leadId": lead,
                "assignee": "openclaw", "priority": "high", "dueAt": "2026-12-24T09:00:00+01:00",
                "execution": {"crm": "hubspot"}, "description": "Sync contact and deal"
            }),
        )
        .await;
    let id = task["id"].as_str().unwrap().to_owned();
    assert_eq!(task["object"], "task");
    assert!(id.starts_with("task_"), "{id}");
    assert_eq!(task["type"], "crm_sync");
    assert_eq!(task["status"], "scheduled");
    assert_eq!(task["title"], "Push Ada to the CRM");
    assert_eq!(task["priority"], "high");
    assert_eq!(task["assigned_to"], "openclaw");
    assert_eq!(task["due_at"], "2026-12-24T08:00:00.000Z");
    assert_eq!(task["lead_id"], lead.as_str());
    assert_eq!(task["execution"], json!({"crm": "hubspot"}));
    assert_eq!(task["result"], Value::Null);
    assert_eq!(task["attempts"], 0);

    // The same record under both paths.
    assert_eq!(server.read(&format!("/tasks/{id}")).await, task);
    assert_eq!(server.read(&format!("/activities/{id}")).await, task);

    // An outside agent reports progress: running (POST), then completed with a result (PATCH on the alias).
    let resp = server.dev(Method::POST, &format!("/tasks/{id}")).json(&json!({"status": "running"})).send();
    let running: Value = resp.await.unwrap().json().await.unwrap();
    assert_eq!(running["status"], "running");
    assert!(running["started_at"].is_string());
    let resp = server
        .dev(Method::PATCH, &format!("/activities/{id}"))
        .json(&json!({"status": "completed", "result": {"crm_id": "hs_42"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let done: Value = resp.json().await.unwrap();
    assert_eq!(done["status"], "completed");
    assert_eq!(done["result"], json!({"crm_id": "hs_42"}));
    assert!(done["completed_at"].is_string());
    // The same change again changes nothing and fires nothing.
    let resp = server.dev(Method::POST, &format!("/tasks/{id}")).json(&json!({"status": "completed"})).send();
    assert_eq!(resp.await.unwrap().json::<Value>().await.unwrap()["updated_at"], done["updated_at"]);

    let got = receiver.wait_for(2).await;
    assert_eq!(events_of(&got), ["task.created", "task.completed"]);
    let created = got[0].json();
    assert_eq!(created["object"], "task");
    assert_eq!(created["event"], "task.created");
    assert_eq!(created["taskId"], id.as_str());
    assert_eq!(created["widgetId"], w.as_str());
    assert_eq!(created["lead_id"], lead.as_str());
    assert_eq!(created["task"]["status"], "scheduled");
    let completed = got[1].json();
    assert_eq!(completed["event"], "task.completed");
    assert_eq!(completed["task"]["result"], json!({"crm_id": "hs_42"}));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.got.lock().unwrap().len(), 2, "the no-op update fired nothing");

    // The lead's full record carries its task history; its list items do not.
    let record = server.read(&format!("/leads/{lead}")).await;
    assert_eq!(record["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(record["tasks"][0]["id"], id.as_str());
    assert_eq!(record["tasks"][0]["status"], "completed");
    assert_eq!(record["name"], "Ada", "the lead's own fields are still there");
    assert!(server.read("/leads").await["data"][0].get("tasks").is_none());

    // Deleted through the alias; gone under both paths.
    let resp = server.dev(Method::DELETE, &format!("/activities/{id}")).send().await.unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({"object": "task", "id": id, "deleted": true}));
    for path in [format!("/tasks/{id}"), format!("/activities/{id}")] {
        let resp = server.dev(Method::GET, &path).send().await.unwrap();
        assert_error(resp, StatusCode::NOT_FOUND, &["no task"]).await;
    }
    assert_eq!(server.read(&format!("/leads/{lead}")).await["tasks"], json!([]));
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_field_and_the_choices() {
    let server = roomy().await;
    let w = server.keys.widget_id.clone();
    let lead = server.lead(json!({"name": "Ada"})).await;
    let cases = [
        (json!({"type": "custom", "title": "T"}), "`widget_id` is required"),
        (json!({"widget_id": w, "title": "T"}), "`type` is required: one of follow_up, qualification, crm_sync"),
        (json!({"widget_id": w, "type": "chore", "title": "T"}), "`type` must be one of follow_up, qualification"),
        (json!({"widget_id": w, "type": "custom"}), "`title` is required"),
        (json!({"widget_id": w, "type": "custom", "title": "  "}), "`title` is required"),
        (
            json!({"widget_id": w, "type": "custom", "title": "T", "status": "done"}),
            "`status` must be one of scheduled, running, completed, failed, cancelled",
        ),
        (
            json!({"widget_id": w, "type": "custom", "title": "T", "priority": "p1"}),
            "`priority` must be one of low, normal, high, urgent",
        ),
        (
            json!({"widget_id": w, "type": "custom", "title": "T", "due_at": "soon"}),
            "`due_at` must be an ISO 8601 time",
        ),
        (
            json!({"widget_id": w, "type": "custom", "title": "T", "execution": [1]}),
            "`execution` must be a JSON object",
        ),
        (json!({"widget_id": w, "type": "custom", "title": "T", "result": "ok"}), "`result` must be a JSON object"),
        (json!({"widget_id": w, "type": "custom", "title": "x".repeat(501)}), "`title` is longer than 500"),
        (
            json!({"widget_id": w, "type": "custom", "title": "T", "lead_id": "lead_nope"}),
            "`lead_id`: no lead `lead_nope`",
        ),
        (json!({"widget_id": w, "type": "custom", "title": "T", "conversation_id": "conv_nope"}), "`conversation_id`"),
        (
            json!({"widget_id": w, "type": "qualification", "title": "Qualify"}),
            "`lead_id` is required for `qualification` tasks",
        ),
        (json!({"widget_id": w, "type": "custom", "title": "T", "colour": "red"}), "unknown field `colour`"),
    ];
    for (body, needle) in cases {
        for path in ["/tasks", "/activities"] {
            let resp = server.dev(Method::POST, path).json(&body).send().await.unwrap();
            assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
        }
    }
    let resp =
        server.dev(Method::POST, "/tasks").json(&json!({"widget_id": "wid_nope", "type": "custom", "title": "T"}));
    assert_error(resp.send().await.unwrap(), StatusCode::NOT_FOUND, &["no widget `wid_nope`"]).await;

    let task = server.created("/tasks", json!({"widget_id": w, "type": "custom", "title": "T", "lead_id": lead})).await;
    let path = format!("/tasks/{}", task["id"].as_str().unwrap());
    let updates = [
        (json!({"type": "email"}), "a task's `type` cannot change"),
        (json!({"lead_id": null}), "a task's `lead_id` cannot change"),
        (json!({"widget_id": w}), "a task's `widget_id` cannot change"),
        (json!({"title": ""}), "`title` must not be blank"),
        (json!({"status": "paused"}), "`status` must be one of"),
        (json!({"due_at": "yesterday-ish"}), "`due_at` must be an ISO 8601 time"),
    ];
    for (body, needle) in updates {
        let resp = server.dev(Method::POST, &path).json(&body).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[needle]).await;
    }
    for bad in ["/tasks?status=done", "/tasks?type=chore", "/tasks?updated_since=later", "/tasks?limit=0"] {
        let resp = server.dev(Method::GET, bad).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &[]).await;
    }
    let resp = server.dev(Method::GET, "/tasks?starting_after=task_nope").send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["`starting_after`: no task `task_nope`"]).await;
    let resp = server.dev(Method::POST, "/tasks/task_nope").json(&json!({"status": "cancelled"})).send();
    assert_error(resp.await.unwrap(), StatusCode::NOT_FOUND, &["no task `task_nope`"]).await;
}

#[tokio::test]
async fn lists_filter_and_paginate_under_both_paths() {
    let server = roomy().await;
    let w = server.keys.widget_id.clone();
    let (ann, bob) = (server.lead(json!({"name": "Ann"})).await, server.lead(json!({"name": "Bob"})).await);
    let specs = [
        ("callback", "scheduled", &ann),
        ("crm_sync", "completed", &ann),
        ("custom", "cancelled", &bob),
        ("callback", "failed", &bob),
        ("custom", "running", &ann),
    ];
    let mut ids = Vec::new();
    for (kind, status, lead) in specs {
        let body = json!({"widget_id": w, "type": kind, "status": status, "title": format!("{kind} {status}"), "lead_id": lead});
        ids.push(server.created("/tasks", body).await["id"].as_str().unwrap().to_owned());
    }
    let ids_of = |list: &Value| -> Vec<String> {
        list["data"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
    };
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();

    let all = server.read("/tasks").await;
    assert_eq!(all["object"], "list");
    assert_eq!(all["url"], "/api/v1/tasks");
    assert_eq!(all["total"], 5);
    assert_eq!(ids_of(&all), newest_first);
    assert_eq!(all["tasks"], all["data"], "the legacy plural key");
    assert!(all["data"].as_array().unwrap().iter().all(|t| t["object"] == "task"));
    let alias = server.read("/activities").await;
    assert_eq!(alias["url"], "/api/v1/activities");
    assert_eq!(alias["activities"], alias["data"]);
    assert_eq!(alias["data"], all["data"]);

    let filtered = |path: &'static str, expect: Vec<usize>| {
        let server = &server;
        let ids = &ids;
        async move {
            let got = ids_of(&server.read(path).await);
            let want: Vec<String> = expect.iter().rev().map(|&i| ids[i].clone()).collect();
            assert_eq!(got, want, "{path}");
        }
    };
    filtered("/tasks?type=callback", vec![0, 3]).await;
    filtered("/tasks?type=custom,crm_sync", vec![1, 2, 4]).await;
    filtered("/tasks?status=completed,failed", vec![1, 3]).await;
    filtered("/activities?status=running", vec![4]).await;
    let by_lead = ids_of(&server.read(&format!("/tasks?lead_id={ann}")).await);
    assert_eq!(by_lead, [ids[4].clone(), ids[1].clone(), ids[0].clone()]);
    assert_eq!(ids_of(&server.read(&format!("/tasks?leadId={bob}&type=custom")).await), [ids[2].clone()]);
    assert_eq!(ids_of(&server.read(&format!("/activities?leadId={bob}")).await).len(), 2);
    assert_eq!(server.read(&format!("/tasks?widget_id={w}")).await["total"], 5);
    assert_eq!(server.read("/tasks?widget_id=wid_other").await["total"], 0);
    assert_eq!(server.read("/tasks?updated_since=2000-01-01T00:00:00Z").await["total"], 5);
    assert_eq!(server.read("/tasks?updatedSince=2999-01-01T00:00:00Z").await["total"], 0);

    // Pages of two, following the cursor.
    let mut seen = Vec::new();
    let mut path = "/tasks?limit=2".to_owned();
    loop {
        let page = server.read(&path).await;
        assert_eq!(page["limit"], 2);
        let page_ids = ids_of(&page);
        seen.extend(page_ids.clone());
        if page["has_more"] == false {
            break;
        }
        path = format!("/tasks?limit=2&starting_after={}", page_ids.last().unwrap());
    }
    assert_eq!(seen, newest_first);
}

#[tokio::test]
async fn scopes_and_other_organisations() {
    let server = roomy().await;
    let w = server.keys.widget_id.clone();
    let task = server.created("/tasks", json!({"widget_id": w, "type": "custom", "title": "Mine"})).await;
    let path = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());
    let read_only = server.mint_key(&["tasks:read"]).await;
    let call = |method: Method, path: &str, key: &str| server.client.request(method, server.url(path)).bearer_auth(key);
    assert_eq!(call(Method::GET, &path, &read_only).send().await.unwrap().status(), StatusCode::OK);
    let resp = call(Method::POST, "/api/v1/activities", &read_only)
        .json(&json!({"widget_id": w, "type": "custom", "title": "T"}));
    assert_error(resp.send().await.unwrap(), StatusCode::FORBIDDEN, &["tasks:write"]).await;
    let resp = call(Method::PATCH, &path, &read_only).json(&json!({"status": "cancelled"}));
    assert_error(resp.send().await.unwrap(), StatusCode::FORBIDDEN, &["tasks:write"]).await;
    let writer = server.mint_key(&["tasks:read", "tasks:write"]).await;
    assert_error(call(Method::DELETE, &path, &writer).send().await.unwrap(), StatusCode::FORBIDDEN, &["tasks:delete"])
        .await;
    let leads_only = server.mint_key(&["leads:read"]).await;
    assert_error(
        call(Method::GET, "/api/v1/tasks", &leads_only).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        &["tasks:read"],
    )
    .await;

    let db = server.db().await;
    let org = quincer_server::provision::create_org(&db, "Other").await.unwrap();
    let other = quincer_server::provision::create_dev_key(&db, &org, "other", quincer_server::provision::ALL_SCOPES)
        .await
        .unwrap();
    assert_error(call(Method::GET, &path, &other).send().await.unwrap(), StatusCode::NOT_FOUND, &["no task"]).await;
    assert_error(call(Method::DELETE, &path, &other).send().await.unwrap(), StatusCode::NOT_FOUND, &["no task"]).await;
    let list: Value = call(Method::GET, "/api/v1/tasks", &other).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 0);
    let resp =
        call(Method::POST, "/api/v1/tasks", &other).json(&json!({"widget_id": w, "type": "custom", "title": "T"}));
    assert_error(resp.send().await.unwrap(), StatusCode::NOT_FOUND, &["no widget"]).await;
}

/// The visitor's side of a sales conversation: need, role, budget and timeframe, over several messages.
const SALES_CHAT: &[&str] = &[
    "Hi, we need a chat assistant for our online store's support team.",
    "I'm the head of ecommerce, and I sign off on tools like this.",
    "Our budget is around $2,500 a month.",
    "We would like to go live within 6 weeks.",
];

#[tokio::test]
async fn the_runner_qualifies_a_lead_from_its_conversation() {
    let server = roomy().await;
    let receiver = server.receiver(&["task.created", "task.completed", "lead.updated"]).await;
    let visitor = server.new_visitor().await;
    let conversation = "conv_tasks_sales";
    for (i, text) in SALES_CHAT.iter().enumerate() {
        server.chat_ok(&visitor, &chat_body(conversation, &format!("m{i}"), text)).await.assert_complete_answer();
    }
    // A lead linked to the conversation, whose need someone already wrote down.
    let lead = server.lead(json!({"name": "Grace", "conversation_id": conversation, "need": "Support bot"})).await;
    let task = server
        .created("/tasks", json!({"widget_id": server.keys.widget_id, "type": "qualification", "title": "Qualify Grace", "lead_id": lead}))
        .await;
    let id = task["id"].as_str().unwrap();
    let done = server.wait_task(id, |t| t["status"] != "scheduled" && t["status"] != "running").await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["attempts"], 1);
    assert!(done["started_at"].is_string() && done["completed_at"].is_string());
    let result = &done["result"];
    assert_eq!(result["method"], "rules");
    assert_eq!(result["messages_read"], 4);
    assert_eq!(result["filled"]["budget"], "$2,500 a month");
    assert_eq!(result["filled"]["authority"], "I'm the head of ecommerce, and I sign off on tools like this.");
    assert_eq!(result["filled"]["timeline"], "within 6 weeks");
    assert_eq!(result["kept"], json!(["need"]), "a field a person filled in is kept");
    assert_eq!(result["evidence"]["budget"], "Our budget is around $2,500 a month.");

    let record = server.read(&format!("/leads/{lead}")).await;
    assert_eq!(
        record["bant"],
        json!({
            "budget": "$2,500 a month",
            "authority": "I'm the head of ecommerce, and I sign off on tools like this.",
            "need": "Support bot",
            "timeline": "within 6 weeks",
        })
    );
    assert_eq!(record["tasks"][0]["id"], id);
    assert_eq!(record["tasks"][0]["status"], "completed");

    let got = receiver.wait_for(3).await; // lead.created is not subscribed: created, lead.updated, completed
    let events = events_of(&got);
    assert!(events.starts_with(&["task.created".to_owned()]), "{events:?}");
    assert!(events.contains(&"lead.updated".to_owned()) && events.contains(&"task.completed".to_owned()), "{events:?}");
    let completed = got.iter().find(|r| r.header("quincer-event") == "task.completed").unwrap().json();
    assert_eq!(completed["task"]["result"]["filled"]["budget"], "$2,500 a month");

    // Overwrite on request: the need comes from the conversation too.
    let body = json!({"widget_id": server.keys.widget_id, "type": "qualification", "title": "Again", "lead_id": lead,
        "execution": {"overwrite": true}});
    let again = server.created("/activities", body).await;
    let again = server.wait_task(again["id"].as_str().unwrap(), |t| t["status"] == "completed").await;
    assert_eq!(again["result"]["filled"], json!({"need": SALES_CHAT[0]}));
    assert_eq!(server.read(&format!("/leads/{lead}")).await["bant"]["need"], SALES_CHAT[0]);
}

#[tokio::test]
async fn the_runner_fails_what_it_cannot_run_and_leaves_other_types_to_outside_agents() {
    let server = roomy().await;
    let w = server.keys.widget_id.clone();
    let lonely = server.lead(json!({"name": "No chat"})).await;
    let body = json!({"widget_id": w, "type": "qualification", "title": "Qualify", "lead_id": lonely});
    let task = server.created("/tasks", body).await;
    let failed = server.wait_task(task["id"].as_str().unwrap(), |t| t["status"] == "failed").await;
    assert!(failed["error"].as_str().unwrap().contains("has no conversation to qualify from"), "{failed}");
    assert_eq!(failed["attempts"], 1, "a task that cannot run is not retried");
    assert!(failed["completed_at"].is_string());

    // A qualification due later waits; moved to now, it runs (and fails here, for want of a conversation).
    let later = json!({"widget_id": w, "type": "qualification", "title": "Later", "lead_id": lonely, "due_at": "2999-01-01T00:00:00Z"});
    let later = server.created("/tasks", later).await;
    let later_path = format!("/tasks/{}", later["id"].as_str().unwrap());
    // Types the server does not run stay scheduled, due or not (follow_up and email: tests/lead_emails_api.rs).
    let mut others = Vec::new();
    for kind in ["crm_sync", "callback", "custom"] {
        let body = json!({"widget_id": w, "type": kind, "title": kind, "lead_id": lonely});
        others.push(server.created("/tasks", body).await["id"].as_str().unwrap().to_owned());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.read(&later_path).await["status"], "scheduled");
    for id in &others {
        let t = server.read(&format!("/tasks/{id}")).await;
        assert_eq!((t["status"].as_str(), t["attempts"].as_i64()), (Some("scheduled"), Some(0)), "{t}");
    }
    let resp = server.dev(Method::POST, &later_path).json(&json!({"due_at": null})).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    server.wait_task(later["id"].as_str().unwrap(), |t| t["status"] == "failed").await;

    // A failed task can be cancelled by hand.
    let resp = server.dev(Method::POST, &later_path).json(&json!({"status": "cancelled"})).send().await.unwrap();
    let cancelled: Value = resp.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");

    // A task stuck `running` (its agent is gone) can be deleted.
    let stuck = &others[0];
    let resp = server.dev(Method::POST, &format!("/tasks/{stuck}")).json(&json!({"status": "running"})).send();
    assert_eq!(resp.await.unwrap().json::<Value>().await.unwrap()["status"], "running");
    let resp = server.dev(Method::DELETE, &format!("/tasks/{stuck}")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = server.dev(Method::GET, &format!("/tasks/{stuck}")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn claims_are_exclusive_across_instances_and_failed_attempts_back_off_then_fail() {
    use quincer_server::store::tasks as store;
    let server = roomy().await;
    let w = server.keys.widget_id.clone();
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..12 {
        // `crm_sync`: a type this server's own runner never claims, so only the claimers below take them.
        let task =
            server.created("/tasks", json!({"widget_id": w, "type": "crm_sync", "title": format!("Sync {i}")})).await;
        ids.insert(task["id"].as_str().unwrap().to_owned());
    }
    // Four instances' pools claim at once, two at a time, until nothing is due: each task is claimed exactly once.
    let pools = [server.db().await, server.db().await, server.db().await, server.db().await];
    let lease = Duration::from_secs(60);
    let claimed = futures_util::future::join_all(pools.iter().map(|db| async move {
        let mut got = Vec::new();
        loop {
            let batch = store::claim(db, "crm_sync", lease, 2).await.unwrap();
            if batch.is_empty() {
                return got;
            }
            got.extend(batch);
        }
    }))
    .await;
    let all: Vec<store::Claim> = claimed.into_iter().flatten().collect();
    let claimed_ids: std::collections::BTreeSet<String> = all.iter().map(|c| c.id.clone()).collect();
    assert_eq!(all.len(), 12, "a task was claimed twice: {all:?}");
    assert_eq!(claimed_ids, ids);
    let first = all[0].clone();
    let running = server.read(&format!("/tasks/{}", first.id)).await;
    assert_eq!((running["status"].as_str(), running["attempts"].as_i64()), (Some("running"), Some(1)));
    assert!(running["started_at"].is_string());

    // A failed attempt is retried (here at once), then given up with its reason.
    let db = &pools[0];
    store::attempt_failed(db, &first, "CRM unreachable", false, Duration::ZERO).await.unwrap();
    let retry = server.read(&format!("/tasks/{}", first.id)).await;
    assert_eq!((retry["status"].as_str(), retry["error"].as_str()), (Some("scheduled"), Some("CRM unreachable")));
    tokio::time::sleep(Duration::from_millis(5)).await;
    let again = store::claim(db, "crm_sync", lease, 100).await.unwrap();
    assert_eq!(again.iter().map(|c| (c.id.as_str(), c.attempts)).collect::<Vec<_>>(), [(first.id.as_str(), 2)]);
    store::attempt_failed(db, &again[0], "CRM still unreachable", true, Duration::from_secs(10)).await.unwrap();
    let failed = server.read(&format!("/tasks/{}", first.id)).await;
    assert_eq!((failed["status"].as_str(), failed["attempts"].as_i64()), (Some("failed"), Some(2)));
    assert_eq!(failed["error"], "CRM still unreachable");
    assert!(failed["completed_at"].is_string());
    assert!(store::claim(db, "crm_sync", lease, 100).await.unwrap().is_empty(), "a failed task is not claimed again");

    // An instance whose lease ran out (it died) loses the task to another; its late completion no longer counts.
    let task = server.created("/tasks", json!({"widget_id": w, "type": "crm_sync", "title": "Late"})).await;
    let lost = store::claim(&pools[1], "crm_sync", Duration::ZERO, 10).await.unwrap();
    assert_eq!(lost.len(), 1);
    tokio::time::sleep(Duration::from_millis(5)).await;
    let taken = store::claim(&pools[2], "crm_sync", lease, 10).await.unwrap();
    assert_eq!(
        taken.iter().map(|c| (c.id.as_str(), c.attempts)).collect::<Vec<_>>(),
        [(task["id"].as_str().unwrap(), 2)]
    );
    let mut tx = pools[1].begin().await.unwrap();
    assert!(!store::complete(&mut tx, &lost[0], "{}").await.unwrap(), "the stale claim completes nothing");
    drop(tx);
    let mut tx = pools[2].begin().await.unwrap();
    assert!(store::complete(&mut tx, &taken[0], r#"{"ok": true}"#).await.unwrap());
    tx.commit().await.unwrap();
    let done = server.read(&format!("/tasks/{}", task["id"].as_str().unwrap())).await;
    assert_eq!((done["status"].as_str(), done["result"].clone()), (Some("completed"), json!({"ok": true})));
}
