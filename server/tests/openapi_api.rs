//! Integration tests of the OpenAPI document (`GET /api/v1/openapi.json`): it is OpenAPI 3.1, public and
//! cacheable, lists every route of the app (exactly the operations docs/API.md's endpoint tables list), and every
//! operation documents its credentials and error answers. Its conformance to the live server is checked by
//! schemathesis (`scripts/schemathesis.mjs`, run by `./build.sh test`).

mod common;

use std::collections::BTreeSet;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Every operation of the app, as `METHOD /path` with OpenAPI's `{param}` segments.
const EXPECTED: &[&str] = &[
    "GET /api/v1/widgets",
    "POST /api/v1/widgets",
    "GET /api/v1/widgets/{id}",
    "POST /api/v1/widgets/{id}",
    "PATCH /api/v1/widgets/{id}",
    "DELETE /api/v1/widgets/{id}",
    "GET /api/v1/widgets/{id}/keys",
    "POST /api/v1/widgets/{id}/keys",
    "GET /api/v1/widgets/{id}/keys/{key}",
    "DELETE /api/v1/widgets/{id}/keys/{key}",
    "POST /api/v1/widgets/{id}/import-storefront",
    "GET /api/v1/conversations",
    "GET /api/v1/conversations/events",
    "GET /api/v1/conversations/{id}",
    "GET /api/v1/conversations/{id}/audit",
    "POST /api/v1/conversations/{id}/takeover",
    "POST /api/v1/conversations/{id}/reply",
    "POST /api/v1/conversations/{id}/handback",
    "POST /api/v1/conversations/{id}/handoff",
    "GET /api/v1/knowledge",
    "POST /api/v1/knowledge",
    "GET /api/v1/knowledge/{id}",
    "POST /api/v1/knowledge/{id}",
    "PATCH /api/v1/knowledge/{id}",
    "DELETE /api/v1/knowledge/{id}",
    "GET /api/v1/personas",
    "POST /api/v1/personas",
    "GET /api/v1/personas/{id}",
    "POST /api/v1/personas/{id}",
    "PATCH /api/v1/personas/{id}",
    "DELETE /api/v1/personas/{id}",
    "GET /api/v1/webhooks",
    "POST /api/v1/webhooks",
    "GET /api/v1/webhooks/{id}",
    "POST /api/v1/webhooks/{id}",
    "PATCH /api/v1/webhooks/{id}",
    "DELETE /api/v1/webhooks/{id}",
    "GET /api/v1/leads",
    "POST /api/v1/leads",
    "GET /api/v1/leads/{id}",
    "POST /api/v1/leads/{id}",
    "PATCH /api/v1/leads/{id}",
    "DELETE /api/v1/leads/{id}",
    "GET /api/v1/leads/{id}/emails",
    "POST /api/v1/leads/{id}/emails/generate",
    "PATCH /api/v1/leads/{id}/emails/{email_id}",
    "POST /api/v1/leads/{id}/emails/{email_id}",
    "POST /api/v1/leads/{id}/emails/{email_id}/redraft",
    "GET /api/v1/members",
    "POST /api/v1/members",
    "GET /api/v1/members/{id}",
    "POST /api/v1/members/{id}",
    "PATCH /api/v1/members/{id}",
    "DELETE /api/v1/members/{id}",
    "GET /api/v1/tasks",
    "POST /api/v1/tasks",
    "GET /api/v1/tasks/{id}",
    "POST /api/v1/tasks/{id}",
    "PATCH /api/v1/tasks/{id}",
    "DELETE /api/v1/tasks/{id}",
    "GET /api/v1/activities",
    "POST /api/v1/activities",
    "GET /api/v1/activities/{id}",
    "POST /api/v1/activities/{id}",
    "PATCH /api/v1/activities/{id}",
    "DELETE /api/v1/activities/{id}",
    "GET /api/v1/integrations",
    "GET /api/v1/models",
    "GET /api/v1/integrations/{provider}",
    "POST /api/v1/integrations/openclaw/connect",
    "GET /api/v1/playbook",
    "POST /api/v1/playbook",
    "POST /api/v1/playbook/generate",
    "GET /api/v1/playbook/{id}",
    "POST /api/v1/playbook/{id}",
    "PATCH /api/v1/playbook/{id}",
    "DELETE /api/v1/playbook/{id}",
    "GET /api/v1/openapi.json",
    "POST /api/widget/session",
    "POST /api/widget/identify",
    "POST /api/widget/lead",
    "POST /api/chat",
    "GET /api/widget/conversations/{id}",
    "GET /api/widget/conversations/{id}/events",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The document, fetched without credentials.
async fn document(server: &TestServer) -> Value {
    let resp = server.client.get(server.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

/// `(METHOD /path, operation)` for every operation of `doc`.
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                out.push((format!("{} {path}", method.to_uppercase()), op));
            }
        }
    }
    out
}

/// A `$ref`'d object of the document (`#/components/...`), or `value` itself.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')).unwrap_or_else(|| panic!("{reference}")),
        None => value,
    }
}

/// The operations docs/API.md's endpoint tables list: rows of "| `GET`, `POST`/`PATCH` | `/api/v1/x/:id` | …".
fn guide_operations() -> BTreeSet<String> {
    let guide = std::fs::read_to_string(common::repo_path("docs/API.md")).expect("docs/API.md");
    let mut out = BTreeSet::new();
    for line in guide.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (methods, path) = (cells[1], cells[2]);
        let methods: Vec<&str> = methods.split(|c: char| !c.is_ascii_uppercase()).filter(|m| !m.is_empty()).collect();
        let http = ["GET", "POST", "PUT", "PATCH", "DELETE"];
        let Some(path) = path.split('`').find(|s| s.starts_with("/api/")) else { continue };
        if methods.is_empty() || !methods.iter().all(|m| http.contains(m)) {
            continue; // not an endpoint table
        }
        let path: Vec<String> = path
            .split('/')
            .map(|segment| match segment.strip_prefix(':') {
                Some(name) => format!("{{{name}}}"),
                None => segment.to_owned(),
            })
            .collect();
        for method in methods {
            out.insert(format!("{method} {}", path.join("/")));
        }
    }
    out
}

#[tokio::test]
async fn the_document_is_public_cacheable_openapi_3_1() {
    let server = TestServer::start().await;
    let resp = server.client.get(server.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(header(resp.headers(), "content-type").starts_with("application/json"));
    assert!(header(resp.headers(), "cache-control").contains("public"));
    let doc: Value = resp.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Quincer API");
    // The same document as the server builds in process, and the same with any credential (or a wrong one).
    let built = serde_json::to_value(quincer_server::openapi::document()).unwrap();
    assert_eq!(doc, built);
    for key in [&server.keys.widget_key, &server.keys.dev_key, &"cw_dev_unknown".to_owned()] {
        let resp = server.client.get(server.url("/api/v1/openapi.json")).bearer_auth(key).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "with {key}");
    }
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_is_served() {
    let server = TestServer::start().await;
    let doc = document(&server).await;
    let documented: BTreeSet<String> = operations(&doc).into_iter().map(|(op, _)| op).collect();
    let expected: BTreeSet<String> = EXPECTED.iter().map(|s| s.to_string()).collect();
    assert_eq!(documented, expected, "documented operations ≠ the app's routes");
    let guide = guide_operations();
    assert!(guide.len() >= 30, "docs/API.md's endpoint tables were not found: {guide:?}");
    let missing: Vec<&String> = guide.difference(&documented).collect();
    assert!(missing.is_empty(), "docs/API.md lists operations the OpenAPI document lacks: {missing:?}");
    let unlisted: Vec<&String> = documented.difference(&guide).collect();
    assert!(unlisted.is_empty(), "docs/API.md's endpoint tables lack operations of the OpenAPI document: {unlisted:?}");

    // Each documented operation is routed: without credentials it is refused (401), not unknown (404) nor the
    // wrong method (405). The document itself is public.
    for op in EXPECTED {
        let (method, path) = op.split_once(' ').unwrap();
        let url = server.url(&path.replace("{id}", "x1").replace("{key}", "cw_live_x").replace("{provider}", "slack"));
        let resp = server.client.request(Method::from_bytes(method.as_bytes()).unwrap(), url).send().await.unwrap();
        let want = if path.ends_with("openapi.json") { StatusCode::OK } else { StatusCode::UNAUTHORIZED };
        assert_eq!(resp.status(), want, "{op}");
    }
    // A documented path with a method it does not document is a 405.
    for path in ["/api/v1/widgets", "/api/v1/openapi.json", "/api/widget/session", "/api/chat"] {
        let resp = server.client.put(server.url(path)).send().await.unwrap();
        assert_error(resp, StatusCode::METHOD_NOT_ALLOWED, &["method"]).await;
    }
}

#[tokio::test]
async fn every_operation_documents_its_credentials_and_errors() {
    let server = TestServer::start().await;
    let doc = document(&server).await;
    let error_body = "#/components/schemas/ErrorBody";
    let mut ids = BTreeSet::new();
    for (op_name, op) in operations(&doc) {
        let path = op_name.split_once(' ').unwrap().1;
        assert!(ids.insert(op["operationId"].as_str().unwrap().to_owned()), "{op_name}: duplicate operationId");
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{op_name}: no summary");
        assert!(!op["tags"].as_array().unwrap().is_empty(), "{op_name}: no tag");
        // Path parameters are documented.
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            let params = op["parameters"].as_array().unwrap_or_else(|| panic!("{op_name}: no parameters"));
            assert!(params.iter().any(|p| p["name"] == name && p["in"] == "path"), "{op_name}: `{name}`");
        }
        let responses = op["responses"].as_object().unwrap();
        assert!(responses.keys().any(|s| s.starts_with('2')), "{op_name}: no success answer");
        // Every error answer is `{"error": "..."}`.
        for (status, response) in responses.iter().filter(|(s, _)| !s.starts_with('2')) {
            let response = resolve(&doc, response);
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(schema, error_body, "{op_name} {status}");
        }
        let security: Vec<Vec<&str>> = op["security"]
            .as_array()
            .unwrap_or_else(|| panic!("{op_name}: no security"))
            .iter()
            .map(|r| r.as_object().unwrap().keys().map(String::as_str).collect())
            .collect();
        let mut wanted: Vec<&str> = vec!["400", "401", "403", "429"];
        if op["requestBody"].is_object() {
            wanted.extend(["413", "415"]);
        }
        match path {
            "/api/v1/openapi.json" => {
                assert_eq!(security, [Vec::<&str>::new()], "{op_name}: public");
                wanted = vec!["429"];
            }
            p if p.starts_with("/api/v1/") => assert_eq!(security, [["developer_key"]], "{op_name}"),
            "/api/widget/session" => assert_eq!(security, [["widget_key"]], "{op_name}"),
            _ => assert_eq!(security, [["visitor_token", "widget_key"]], "{op_name}"),
        }
        for status in wanted {
            assert!(responses.contains_key(status), "{op_name}: no {status}");
        }
        if let Some(limited) = responses.get("429") {
            assert!(resolve(&doc, limited)["headers"]["Retry-After"].is_object(), "{op_name}: 429 without Retry-After");
        }
        // The developer API's answers carry the rate-limit headers.
        if path.starts_with("/api/v1/") {
            for (status, response) in responses.iter().filter(|(s, _)| s.as_str() != "401") {
                let headers = &resolve(&doc, response)["headers"];
                for name in ["Quincer-RateLimit-Limit", "Quincer-RateLimit-Remaining", "Quincer-RateLimit-Reset"] {
                    assert!(headers[name].is_object(), "{op_name} {status}: no {name}");
                }
            }
        }
    }
    // PATCH is the legacy alias of each POST update; editing a lead email is PATCH only (API.md), its POST is
    // another operation (approve or send).
    let patch_only = ["PATCH /api/v1/leads/{id}/emails/{email_id}"];
    for (op_name, op) in operations(&doc)
        .into_iter()
        .filter(|(name, _)| name.starts_with("PATCH") && !patch_only.contains(&name.as_str()))
    {
        assert_eq!(op["deprecated"], true, "{op_name}");
        assert!(op["operationId"].as_str().unwrap().ends_with("_patch"), "{op_name}");
    }
    // The list filters document their legacy camelCase aliases.
    let leads = &doc["paths"]["/api/v1/leads"]["get"]["parameters"];
    for name in ["widget_id", "widgetId", "stage", "temperature", "assigned_to", "assignedTo", "updatedSince", "limit"]
    {
        assert!(leads.as_array().unwrap().iter().any(|p| p["name"] == name), "leads filter {name}");
    }
}

#[tokio::test]
async fn the_security_schemes_are_the_three_credentials() {
    let server = TestServer::start().await;
    let doc = document(&server).await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes.as_object().unwrap().len(), 3, "{schemes}");
    assert_eq!(schemes["developer_key"]["type"], "http");
    assert_eq!(schemes["developer_key"]["scheme"], "bearer");
    assert!(schemes["developer_key"]["bearerFormat"].as_str().unwrap().starts_with("cw_dev_"));
    assert_eq!(schemes["widget_key"]["type"], "http");
    assert_eq!(schemes["widget_key"]["scheme"], "bearer");
    assert!(schemes["widget_key"]["bearerFormat"].as_str().unwrap().starts_with("cw_live_"));
    assert_eq!(schemes["visitor_token"]["type"], "apiKey");
    assert_eq!(schemes["visitor_token"]["in"], "header");
    assert_eq!(schemes["visitor_token"]["name"], VISITOR);
    // The streams say so.
    for (path, method) in [("/api/chat", "post"), ("/api/widget/conversations/{id}/events", "get")] {
        let content = &doc["paths"][path][method]["responses"]["200"]["content"];
        assert!(content["text/event-stream"].is_object(), "{path}: {content}");
    }
}
