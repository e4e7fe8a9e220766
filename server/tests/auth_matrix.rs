//! The isolation and authentication matrix: every operation of the OpenAPI document has a row here, and every row
//! is called with each wrong credential. Developer API (`/api/v1`): no key, a widget key, a revoked key, a key of
//! this organisation lacking the row's scope, and another organisation's key with every scope. Public widget
//! endpoints: no key, a revoked widget key, a developer key, another widget's key, another visitor's token, a
//! disallowed `Origin`.
//! Every refusal is `{"error": …}` and nothing else; nothing of the first organisation reaches anyone else.
//!
//! Adding an endpoint without a row here fails [`every_operation_has_a_row`].

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use quincer_server::provision;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

/// What another organisation's key gets for a row.
#[derive(Debug, Clone, Copy)]
enum Other {
    /// The row addresses the first organisation's resource (path id or `widget_id` in the body): 404.
    NotFound,
    /// The row lists or creates within the caller's own organisation: this status (or a 404 for a `widget_id`
    /// filter), and none of the first organisation's ids in the body.
    Own(u16),
    /// The row opens an endless event stream of the caller's own organisation: 200 (not read to its end: the
    /// stream's tests check that another organisation's changes never reach it).
    OwnStream,
}

/// One developer API operation. Placeholders in `path` and `body`: `$W` widget, `$K` widget key, `$C`
/// conversation, `$KN` knowledge item, `$P` persona, `$L` lead, `$H` webhook, `$T` task, `$PB` playbook entry, `$M` team
/// member.
struct DevRow {
    op: &'static str,
    path: &'static str,
    scope: &'static str,
    body: Option<&'static str>,
    other: Other,
}

const fn dev(
    op: &'static str,
    path: &'static str,
    scope: &'static str,
    body: Option<&'static str>,
    other: Other,
) -> DevRow {
    DevRow { op, path, scope, body, other }
}

use Other::{NotFound, Own, OwnStream};

const WIDGET_BODY: Option<&str> = Some(r#"{"brand": "Matrix"}"#);
const KNOWLEDGE_BODY: Option<&str> = Some(r#"{"title": "Matrix", "content": "Matrix content", "widget_id": "$W"}"#);
const PERSONA_BODY: Option<&str> = Some(r#"{"name": "Matrix", "systemPrompt": "Be brief.", "widget_id": "$W"}"#);
const KNOWLEDGE_UPDATE: Option<&str> = Some(r#"{"title": "Matrix"}"#);
const PERSONA_UPDATE: Option<&str> = Some(r#"{"name": "Matrix"}"#);
const LEAD_BODY: Option<&str> = Some(r#"{"widget_id": "$W", "email": "matrix@example.com"}"#);
const LEAD_UPDATE: Option<&str> = Some(r#"{"name": "Matrix"}"#);
const MEMBER_BODY: Option<&str> = Some(r#"{"email": "matrix@example.com", "name": "Matrix", "role": "agent"}"#);
const MEMBER_UPDATE: Option<&str> = Some(r#"{"name": "Matrix"}"#);
const TASK_BODY: Option<&str> = Some(r#"{"widget_id": "$W", "type": "custom", "title": "Matrix"}"#);
const TASK_UPDATE: Option<&str> = Some(r#"{"priority": "high"}"#);
const PLAYBOOK_BODY: Option<&str> =
    Some(r#"{"category": "pricing", "title": "Matrix", "content": "Matrix content", "widget_id": "$W"}"#);
const PLAYBOOK_UPDATE: Option<&str> = Some(r#"{"title": "Matrix"}"#);
/// A multipart upload (see [`Fixture::request`]: a body starting with the boundary is sent as multipart).
const PLAYBOOK_UPLOAD: Option<&str> = Some(concat!(
    "--matrix\r\nContent-Disposition: form-data; name=\"widgetId\"\r\n\r\n$W\r\n",
    "--matrix\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nimport\r\n",
    "--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.md\"\r\nContent-Type: text/markdown\r\n\r\n",
    "# Pricing\nMatrix plan: $1 per month.\r\n--matrix--\r\n"
));
const WEBHOOK_BODY: Option<&str> = Some(r#"{"url": "https://hooks.invalid/matrix", "events": ["lead.created"]}"#);

/// Every developer API operation. `GET /api/v1/openapi.json` is public and has no row here (see
/// [`PUBLIC_DOCUMENT`]).
const DEV_ROWS: &[DevRow] = &[
    dev("GET /api/v1/widgets", "/api/v1/widgets", "widgets:read", None, Own(200)),
    dev("POST /api/v1/widgets", "/api/v1/widgets", "widgets:write", WIDGET_BODY, Own(201)),
    dev("GET /api/v1/widgets/{id}", "/api/v1/widgets/$W", "widgets:read", None, NotFound),
    dev("POST /api/v1/widgets/{id}", "/api/v1/widgets/$W", "widgets:write", WIDGET_BODY, NotFound),
    dev("PATCH /api/v1/widgets/{id}", "/api/v1/widgets/$W", "widgets:write", WIDGET_BODY, NotFound),
    dev("DELETE /api/v1/widgets/{id}", "/api/v1/widgets/$W", "widgets:write", None, NotFound),
    dev("GET /api/v1/widgets/{id}/keys", "/api/v1/widgets/$W/keys", "widgets:read", None, NotFound),
    dev("POST /api/v1/widgets/{id}/keys", "/api/v1/widgets/$W/keys", "widgets:write", None, NotFound),
    dev("GET /api/v1/widgets/{id}/keys/{key}", "/api/v1/widgets/$W/keys/$K", "widgets:read", None, NotFound),
    dev("DELETE /api/v1/widgets/{id}/keys/{key}", "/api/v1/widgets/$W/keys/$K", "widgets:write", None, NotFound),
    dev(
        "POST /api/v1/widgets/{id}/import-storefront",
        "/api/v1/widgets/$W/import-storefront",
        "knowledge:write",
        Some(r#"{"url": "https://shop.invalid"}"#),
        NotFound,
    ),
    dev("GET /api/v1/conversations", "/api/v1/conversations?widget_id=$W", "conversations:read", None, Own(200)),
    dev("GET /api/v1/conversations/events", "/api/v1/conversations/events", "conversations:read", None, OwnStream),
    dev("GET /api/v1/conversations/{id}", "/api/v1/conversations/$C", "conversations:read", None, NotFound),
    dev("GET /api/v1/conversations/{id}/audit", "/api/v1/conversations/$C/audit", "conversations:read", None, NotFound),
    dev(
        "POST /api/v1/conversations/{id}/takeover",
        "/api/v1/conversations/$C/takeover",
        "conversations:takeover",
        None,
        NotFound,
    ),
    dev(
        "POST /api/v1/conversations/{id}/reply",
        "/api/v1/conversations/$C/reply",
        "conversations:reply",
        Some(r#"{"text": "Matrix reply"}"#),
        NotFound,
    ),
    dev(
        "POST /api/v1/conversations/{id}/handback",
        "/api/v1/conversations/$C/handback",
        "conversations:handback",
        None,
        NotFound,
    ),
    dev(
        "POST /api/v1/conversations/{id}/handoff",
        "/api/v1/conversations/$C/handoff",
        "conversations:write",
        Some(r#"{"persona_id": null}"#),
        NotFound,
    ),
    dev("GET /api/v1/knowledge", "/api/v1/knowledge?widget_id=$W", "knowledge:read", None, Own(200)),
    dev("POST /api/v1/knowledge", "/api/v1/knowledge", "knowledge:write", KNOWLEDGE_BODY, NotFound),
    dev("GET /api/v1/knowledge/{id}", "/api/v1/knowledge/$KN", "knowledge:read", None, NotFound),
    dev("POST /api/v1/knowledge/{id}", "/api/v1/knowledge/$KN", "knowledge:write", KNOWLEDGE_UPDATE, NotFound),
    dev("PATCH /api/v1/knowledge/{id}", "/api/v1/knowledge/$KN", "knowledge:write", KNOWLEDGE_UPDATE, NotFound),
    dev("DELETE /api/v1/knowledge/{id}", "/api/v1/knowledge/$KN", "knowledge:delete", None, NotFound),
    dev("GET /api/v1/personas", "/api/v1/personas?widget_id=$W", "personas:read", None, Own(200)),
    dev("POST /api/v1/personas", "/api/v1/personas", "personas:write", PERSONA_BODY, NotFound),
    dev("GET /api/v1/personas/{id}", "/api/v1/personas/$P", "personas:read", None, NotFound),
    dev("POST /api/v1/personas/{id}", "/api/v1/personas/$P", "personas:write", PERSONA_UPDATE, NotFound),
    dev("PATCH /api/v1/personas/{id}", "/api/v1/personas/$P", "personas:write", PERSONA_UPDATE, NotFound),
    dev("DELETE /api/v1/personas/{id}", "/api/v1/personas/$P", "personas:delete", None, NotFound),
    dev("GET /api/v1/webhooks", "/api/v1/webhooks", "webhooks:manage", None, Own(200)),
    dev("POST /api/v1/webhooks", "/api/v1/webhooks", "webhooks:manage", WEBHOOK_BODY, Own(201)),
    dev("GET /api/v1/webhooks/{id}", "/api/v1/webhooks/$H", "webhooks:manage", None, NotFound),
    dev("POST /api/v1/webhooks/{id}", "/api/v1/webhooks/$H", "webhooks:manage", Some(r#"{"active": true}"#), NotFound),
    dev("PATCH /api/v1/webhooks/{id}", "/api/v1/webhooks/$H", "webhooks:manage", Some(r#"{"active": true}"#), NotFound),
    dev("DELETE /api/v1/webhooks/{id}", "/api/v1/webhooks/$H", "webhooks:manage", None, NotFound),
    dev("GET /api/v1/leads", "/api/v1/leads?widget_id=$W", "leads:read", None, Own(200)),
    dev("POST /api/v1/leads", "/api/v1/leads", "leads:write", LEAD_BODY, NotFound),
    dev("GET /api/v1/leads/{id}", "/api/v1/leads/$L", "leads:read", None, NotFound),
    dev("POST /api/v1/leads/{id}", "/api/v1/leads/$L", "leads:write", LEAD_UPDATE, NotFound),
    dev("PATCH /api/v1/leads/{id}", "/api/v1/leads/$L", "leads:write", LEAD_UPDATE, NotFound),
    dev("DELETE /api/v1/leads/{id}", "/api/v1/leads/$L", "leads:delete", None, NotFound),
    dev("GET /api/v1/members", "/api/v1/members", "members:read", None, Own(200)),
    dev("POST /api/v1/members", "/api/v1/members", "members:write", MEMBER_BODY, Own(201)),
    dev("GET /api/v1/members/{id}", "/api/v1/members/$M", "members:read", None, NotFound),
    dev("POST /api/v1/members/{id}", "/api/v1/members/$M", "members:write", MEMBER_UPDATE, NotFound),
    dev("PATCH /api/v1/members/{id}", "/api/v1/members/$M", "members:write", MEMBER_UPDATE, NotFound),
    dev("DELETE /api/v1/members/{id}", "/api/v1/members/$M", "members:write", None, NotFound),
    dev("GET /api/v1/leads/{id}/emails", "/api/v1/leads/$L/emails", "leads:read", None, NotFound),
    dev("POST /api/v1/leads/{id}/emails/generate", "/api/v1/leads/$L/emails/generate", "leads:write", None, NotFound),
    dev(
        "PATCH /api/v1/leads/{id}/emails/{email_id}",
        "/api/v1/leads/$L/emails/lem_matrix",
        "leads:write",
        Some(r#"{"subject": "Matrix"}"#),
        NotFound,
    ),
    dev(
        "POST /api/v1/leads/{id}/emails/{email_id}",
        "/api/v1/leads/$L/emails/lem_matrix",
        "leads:write",
        Some(r#"{"action": "approve"}"#),
        NotFound,
    ),
    dev(
        "POST /api/v1/leads/{id}/emails/{email_id}/redraft",
        "/api/v1/leads/$L/emails/lem_matrix/redraft",
        "leads:write",
        Some(r#"{"instructions": "shorter"}"#),
        NotFound,
    ),
    dev("GET /api/v1/integrations", "/api/v1/integrations", "integrations:read", None, Own(200)),
    dev("GET /api/v1/integrations/{provider}", "/api/v1/integrations/openclaw", "integrations:read", None, Own(200)),
    dev(
        "POST /api/v1/integrations/openclaw/connect",
        "/api/v1/integrations/openclaw/connect",
        "members:write",
        None,
        Own(201),
    ),
    dev("GET /api/v1/models", "/api/v1/models", "widgets:read", None, Own(200)),
    dev("GET /api/v1/tasks", "/api/v1/tasks?widget_id=$W", "tasks:read", None, Own(200)),
    dev("POST /api/v1/tasks", "/api/v1/tasks", "tasks:write", TASK_BODY, NotFound),
    dev("GET /api/v1/tasks/{id}", "/api/v1/tasks/$T", "tasks:read", None, NotFound),
    dev("POST /api/v1/tasks/{id}", "/api/v1/tasks/$T", "tasks:write", TASK_UPDATE, NotFound),
    dev("PATCH /api/v1/tasks/{id}", "/api/v1/tasks/$T", "tasks:write", TASK_UPDATE, NotFound),
    dev("DELETE /api/v1/tasks/{id}", "/api/v1/tasks/$T", "tasks:delete", None, NotFound),
    dev("GET /api/v1/activities", "/api/v1/activities?widget_id=$W", "tasks:read", None, Own(200)),
    dev("POST /api/v1/activities", "/api/v1/activities", "tasks:write", TASK_BODY, NotFound),
    dev("GET /api/v1/activities/{id}", "/api/v1/activities/$T", "tasks:read", None, NotFound),
    dev("POST /api/v1/activities/{id}", "/api/v1/activities/$T", "tasks:write", TASK_UPDATE, NotFound),
    dev("PATCH /api/v1/activities/{id}", "/api/v1/activities/$T", "tasks:write", TASK_UPDATE, NotFound),
    dev("DELETE /api/v1/activities/{id}", "/api/v1/activities/$T", "tasks:delete", None, NotFound),
    dev("GET /api/v1/playbook", "/api/v1/playbook?widget_id=$W", "playbook:read", None, Own(200)),
    dev("POST /api/v1/playbook", "/api/v1/playbook", "playbook:write", PLAYBOOK_BODY, NotFound),
    dev("POST /api/v1/playbook/generate", "/api/v1/playbook/generate", "playbook:write", PLAYBOOK_UPLOAD, NotFound),
    dev("GET /api/v1/playbook/{id}", "/api/v1/playbook/$PB", "playbook:read", None, NotFound),
    dev("POST /api/v1/playbook/{id}", "/api/v1/playbook/$PB", "playbook:write", PLAYBOOK_UPDATE, NotFound),
    dev("PATCH /api/v1/playbook/{id}", "/api/v1/playbook/$PB", "playbook:write", PLAYBOOK_UPDATE, NotFound),
    dev("DELETE /api/v1/playbook/{id}", "/api/v1/playbook/$PB", "playbook:delete", None, NotFound),
];

/// The one operation open to anyone.
const PUBLIC_DOCUMENT: &str = "GET /api/v1/openapi.json";

/// Which credentials a public endpoint takes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Takes {
    /// A widget key only: `POST /api/widget/session` (a visitor token in the body resumes that visitor).
    WidgetKey,
    /// A widget key and a visitor token.
    Visitor,
    /// A widget key, a visitor token, and the visitor's conversation (`$C`, in the path or the body).
    Conversation,
}

/// One public widget endpoint.
struct PublicRow {
    op: &'static str,
    path: &'static str,
    takes: Takes,
    body: Option<&'static str>,
}

const PUBLIC_ROWS: &[PublicRow] = &[
    PublicRow { op: "POST /api/widget/session", path: "/api/widget/session", takes: Takes::WidgetKey, body: None },
    PublicRow {
        op: "POST /api/widget/identify",
        path: "/api/widget/identify",
        takes: Takes::Visitor,
        body: Some(r#"{"email": "matrix@example.com"}"#),
    },
    PublicRow {
        op: "POST /api/widget/lead",
        path: "/api/widget/lead",
        takes: Takes::Conversation,
        body: Some(r#"{"conversation_id": "$C", "email": "matrix@example.com"}"#),
    },
    PublicRow {
        op: "POST /api/chat",
        path: "/api/chat",
        takes: Takes::Conversation,
        body: Some(
            r#"{"id": "$C", "trigger": "submit-message",
                "messages": [{"id": "m_matrix", "role": "user", "parts": [{"type": "text", "text": "Hello"}]}]}"#,
        ),
    },
    PublicRow {
        op: "GET /api/widget/conversations/{id}",
        path: "/api/widget/conversations/$C",
        takes: Takes::Conversation,
        body: None,
    },
    PublicRow {
        op: "GET /api/widget/conversations/{id}/events",
        path: "/api/widget/conversations/$C/events",
        takes: Takes::Conversation,
        body: None,
    },
];

/// The first organisation's resources (the demo's) and the credentials pointed at them.
struct Fixture {
    server: TestServer,
    /// (placeholder, value), longest placeholder first so `$KN` is replaced before `$K`.
    ids: Vec<(&'static str, String)>,
    /// The demo visitor owning `$C`.
    visitor: String,
    /// Another visitor of the same widget.
    other_visitor: String,
    /// A key of another organisation's widget.
    other_widget_key: String,
    /// A revoked key of the demo widget.
    revoked_widget_key: String,
    /// A revoked developer key of the demo organisation, with every scope.
    revoked_dev_key: String,
    /// A developer key of another organisation, with every scope.
    other_org_key: String,
}

impl Fixture {
    async fn new() -> Fixture {
        // The same revoked key is tried on every row: more rows than a key's writes a minute.
        let server = TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| {
            c.rate_limits.dev_reads = 10_000;
            c.rate_limits.dev_writes = 10_000;
        })
        .await;
        let visitor = server.new_visitor().await;
        let other_visitor = server.new_visitor().await;
        let conversation = "conv_matrix_a".to_owned();
        server.chat_ok(&visitor, &chat_body(&conversation, "m1", SHIPPING_QUESTION)).await;
        let w = server.keys.widget_id.clone();
        let create = |path: &'static str, body: Value| {
            let req = server.client.post(server.url(path)).bearer_auth(&server.keys.dev_key).json(&body);
            async move {
                let resp = req.send().await.unwrap();
                let status = resp.status();
                let body: Value = resp.json().await.unwrap();
                assert!(status.is_success(), "creating {path}: {status} {body}");
                body["id"].as_str().unwrap().to_owned()
            }
        };
        let knowledge = create("/api/v1/knowledge", json!({"title": "A", "content": "Secret A", "widget_id": w})).await;
        let persona = create("/api/v1/personas", json!({"name": "A", "systemPrompt": "A", "widget_id": w})).await;
        let lead = create("/api/v1/leads", json!({"widget_id": w, "email": "lead-a@secret-a.example"})).await;
        let task = create("/api/v1/tasks", json!({"widget_id": w, "type": "custom", "title": "Task A"})).await;
        let webhook =
            create("/api/v1/webhooks", json!({"url": "https://hooks.invalid/a", "events": ["lead.created"]})).await;
        let playbook = create(
            "/api/v1/playbook",
            json!({"category": "pricing", "title": "A", "content": "Secret A price", "widget_id": w}),
        )
        .await;
        let member =
            create("/api/v1/members", json!({"email": "member-a@secret-a.example", "name": "A", "role": "agent"}))
                .await;
        let db = server.db().await;
        let mut conn = db.acquire().await.unwrap();
        let revoked_widget_key = provision::mint_widget_key(&mut conn, &w).await.unwrap();
        sqlx::query("UPDATE widget_keys SET revoked_at = '2026-01-01T00:00:00Z' WHERE key = $1")
            .bind(&revoked_widget_key)
            .execute(&db)
            .await
            .unwrap();
        let revoked_dev_key = server.mint_key(provision::ALL_SCOPES).await;
        sqlx::query("UPDATE developer_keys SET revoked_at = '2026-01-01T00:00:00Z' WHERE key_hash = $1")
            .bind(quincer_server::ids::hash_secret(&revoked_dev_key))
            .execute(&db)
            .await
            .unwrap();
        let other_org = provision::create_org(&db, "Other").await.unwrap();
        let other_org_key = provision::create_dev_key(&db, &other_org, "other", provision::ALL_SCOPES).await.unwrap();
        let other_widget = provision::create_widget(&db, &other_org, "Other", None, "#123456").await.unwrap();
        let ids = vec![
            ("$PB", playbook),
            ("$KN", knowledge),
            ("$W", w),
            ("$K", server.keys.widget_key.clone()),
            ("$C", conversation),
            ("$P", persona),
            ("$L", lead),
            ("$H", webhook),
            ("$T", task),
            ("$M", member),
        ];
        Fixture {
            server,
            ids,
            visitor,
            other_visitor,
            other_widget_key: other_widget.widget_key,
            revoked_widget_key,
            revoked_dev_key,
            other_org_key,
        }
    }

    fn fill(&self, template: &str) -> String {
        self.ids.iter().fold(template.to_owned(), |s, (placeholder, value)| s.replace(placeholder, value))
    }

    fn request(&self, op: &str, path: &str, body: Option<&str>) -> RequestBuilder {
        let method: Method = op.split(' ').next().unwrap().parse().unwrap();
        let req = self.server.client.request(method, self.server.url(&self.fill(path)));
        match body {
            Some(b) if b.starts_with("--matrix") => {
                req.header("content-type", "multipart/form-data; boundary=matrix").body(self.fill(b))
            }
            Some(b) => req.header("content-type", "application/json").body(self.fill(b)),
            None => req,
        }
    }

    /// Asserts that no id or key of the first organisation appears in `text`, except those the request itself
    /// named (`sent`: its path and body templates), which an error may echo.
    fn assert_no_leak(&self, text: &str, sent: &str, what: &str) {
        let mut named = sent.to_owned();
        for (placeholder, value) in &self.ids {
            if named.contains(placeholder) {
                named = named.replace(placeholder, "");
                continue;
            }
            assert!(!text.contains(value.as_str()), "{what} leaks {placeholder} ({value}): {text}");
        }
        assert!(
            !text.contains("Secret A") && !text.contains("lead-a@secret-a.example"),
            "{what} leaks content: {text}"
        );
    }
}

/// Asserts a refusal: one of `statuses`, and a body of exactly `{"error": "<sentence>"}`. Returns the message.
async fn refused(resp: Response, statuses: &[u16], what: &str) -> String {
    let status = resp.status().as_u16();
    let text = tokio::time::timeout(Duration::from_secs(10), resp.text()).await.expect("a refusal ends").unwrap();
    assert!(statuses.contains(&status), "{what}: expected one of {statuses:?}, got {status}: {text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    let object = body.as_object().unwrap_or_else(|| panic!("{what}: not an object: {text}"));
    assert_eq!(object.len(), 1, "{what}: a refusal carries only `error`: {text}");
    let message = object["error"].as_str().unwrap_or_else(|| panic!("{what}: `error` is no string: {text}"));
    assert!(message.len() > 8, "{what}: too terse: {message}");
    message.to_owned()
}

/// The `METHOD /path` of every operation of the live document.
async fn documented(server: &TestServer) -> BTreeSet<String> {
    let doc: Value = server.client.get(server.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "head", "options", "trace"] {
            if item.get(method).is_some() {
                out.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_operation_has_a_row() {
    let server = TestServer::start().await;
    let documented = documented(&server).await;
    let rows: BTreeSet<String> = DEV_ROWS
        .iter()
        .map(|r| r.op)
        .chain(PUBLIC_ROWS.iter().map(|r| r.op))
        .chain([PUBLIC_DOCUMENT])
        .map(str::to_owned)
        .collect();
    let missing: Vec<&String> = documented.difference(&rows).collect();
    assert!(missing.is_empty(), "operations without a row in tests/auth_matrix.rs: {missing:?}");
    let stale: Vec<&String> = rows.difference(&documented).collect();
    assert!(stale.is_empty(), "rows for operations the document does not have: {stale:?}");
    assert_eq!(rows.len(), DEV_ROWS.len() + PUBLIC_ROWS.len() + 1, "a row is listed twice");
}

#[tokio::test]
async fn developer_api_refuses_wrong_credentials_and_other_organisations() {
    let f = Fixture::new().await;
    let widget_key = f.server.keys.widget_key.clone();
    for row in DEV_ROWS {
        let what = |case: &str| format!("{} ({case})", row.op);
        let resp = f.request(row.op, row.path, row.body).send().await.unwrap();
        refused(resp, &[401], &what("no key")).await;
        for (case, key) in [("widget key", &widget_key), ("revoked key", &f.revoked_dev_key)] {
            let resp = f.request(row.op, row.path, row.body).bearer_auth(key).send().await.unwrap();
            refused(resp, &[401], &what(case)).await;
        }
        let resp = f.request(row.op, row.path, row.body).header("authorization", "Bearer cw_dev_forged").send();
        refused(resp.await.unwrap(), &[401], &what("unknown key")).await;
        // Every scope but the row's.
        let scopes: Vec<&str> = provision::ALL_SCOPES.iter().copied().filter(|s| *s != row.scope).collect();
        let lacking = f.server.mint_key(&scopes).await;
        let resp = f.request(row.op, row.path, row.body).bearer_auth(&lacking).send().await.unwrap();
        let message = refused(resp, &[403], &what("key lacking the scope")).await;
        assert!(message.contains(row.scope), "{}: {message}", what("key lacking the scope"));
        let resp = f.request(row.op, row.path, row.body).bearer_auth(&f.other_org_key).send().await.unwrap();
        match row.other {
            NotFound => {
                let message = refused(resp, &[404], &what("another organisation's key")).await;
                let sent = format!("{} {}", row.path, row.body.unwrap_or_default());
                f.assert_no_leak(&message, &sent, &what("another organisation's key"));
            }
            Own(status) => {
                let got = resp.status().as_u16();
                let text = resp.text().await.unwrap();
                assert!(got == status || got == 404, "{}: {got} {text}", what("another organisation's key"));
                // A `?widget_id=` filter may be echoed in an error or the list's `url`.
                f.assert_no_leak(&text, row.path, &what("another organisation's key"));
            }
            OwnStream => {
                assert_eq!(resp.status(), StatusCode::OK, "{}", what("another organisation's key"));
                let kind = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
                assert_eq!(kind, "text/event-stream", "{}", what("another organisation's key"));
            }
        }
    }
    // Nothing the refused calls aimed at changed: every resource is still there, for its own organisation.
    for path in [
        "/api/v1/widgets/$W",
        "/api/v1/widgets/$W/keys/$K",
        "/api/v1/conversations/$C",
        "/api/v1/knowledge/$KN",
        "/api/v1/personas/$P",
        "/api/v1/leads/$L",
        "/api/v1/webhooks/$H",
        "/api/v1/tasks/$T",
        "/api/v1/members/$M",
        "/api/v1/playbook/$PB",
    ] {
        let resp = f.request("GET", path, None).bearer_auth(&f.server.keys.dev_key).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path} after the matrix");
    }
}

#[tokio::test]
async fn public_endpoints_refuse_other_widgets_visitors_and_origins() {
    let f = Fixture::new().await;
    // A widget of the demo organisation that allows one origin, with its own visitor and conversation.
    let db = f.server.db().await;
    let strict = provision::create_widget(&db, &f.server.keys.org_id, "Strict", None, "#123456").await.unwrap();
    sqlx::query("UPDATE widgets SET allowed_origins = '[\"https://shop.example\"]' WHERE id = $1")
        .bind(&strict.widget_id)
        .execute(&db)
        .await
        .unwrap();
    let session = |key: &str, token: Option<&str>| {
        let body = token.map_or(json!({}), |t| json!({"visitor_token": t}));
        f.server.client.post(f.server.url("/api/widget/session")).bearer_auth(key).json(&body).send()
    };
    let resp = session(&strict.widget_key, None).await.unwrap();
    let strict_visitor = resp.json::<Value>().await.unwrap()["visitor_token"].as_str().unwrap().to_owned();

    for row in PUBLIC_ROWS {
        let what = |case: &str| format!("{} ({case})", row.op);
        let call = |key: &str, visitor: &str| {
            f.request(row.op, row.path, row.body).bearer_auth(key).header(VISITOR, visitor).send()
        };
        let resp = f.request(row.op, row.path, row.body).header(VISITOR, &f.visitor).send().await.unwrap();
        refused(resp, &[401], &what("no key")).await;
        refused(call(&f.revoked_widget_key, &f.visitor).await.unwrap(), &[401], &what("revoked widget key")).await;
        // A developer key is a server-side secret: never a widget's credential.
        refused(call(&f.server.keys.dev_key, &f.visitor).await.unwrap(), &[401], &what("developer key")).await;
        // The visitor's token with another organisation's widget key.
        if row.takes == Takes::WidgetKey {
            // A session resumes only a visitor of the key's own widget: the other widget gets a new visitor.
            let resp = session(&f.other_widget_key, Some(&f.visitor)).await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            let text = resp.text().await.unwrap();
            assert!(!text.contains(&f.visitor), "{}: resumed another widget's visitor", what("other widget"));
            f.assert_no_leak(&text, "", &what("other widget"));
        } else {
            let message =
                refused(call(&f.other_widget_key, &f.visitor).await.unwrap(), &[401], &what("other widget")).await;
            assert!(message.contains("visitor token"), "{}: {message}", what("other widget"));
        }
        // Another visitor of the same widget, on the first visitor's conversation.
        if row.takes == Takes::Conversation {
            let resp = call(&f.server.keys.widget_key, &f.other_visitor).await.unwrap();
            let message = refused(resp, &[404], &what("another visitor")).await;
            f.assert_no_leak(&message, &(row.path.to_owned() + row.body.unwrap_or_default()), &what("another visitor"));
        }
        // A browser on an origin the widget does not allow: 403, without CORS headers.
        let resp = f
            .request(row.op, &row.path.replace("$C", "conv_strict"), row.body)
            .bearer_auth(&strict.widget_key)
            .header(VISITOR, &strict_visitor)
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(header(resp.headers(), "access-control-allow-origin"), "", "{}", what("disallowed origin"));
        let message = refused(resp, &[403], &what("disallowed origin")).await;
        assert!(message.contains("https://evil.example"), "{}: {message}", what("disallowed origin"));
    }
    // The allowed origin still gets through.
    let resp = f
        .server
        .client
        .post(f.server.url("/api/widget/session"))
        .bearer_auth(&strict.widget_key)
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}
