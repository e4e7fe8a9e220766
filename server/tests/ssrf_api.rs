//! Integration tests of the outbound-call guard (SSRF, `quincer_server::outbound`): with private networks not
//! allowed, webhook URLs and storefront URLs that lead to loopback, private, link-local or unspecified addresses
//! are refused when given (400), when delivering or importing (connect time), and when a redirect leads there.

mod common;

use std::time::Duration;

use axum::http::{header, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use common::receiver::Receiver;
use common::*;
use quincer_server::outbound::OutboundPolicy;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A server that calls no internal address, except the listed hosts.
async fn strict_server(allow_hosts: &[&str]) -> TestServer {
    let hosts: Vec<String> = allow_hosts.iter().map(|h| (*h).to_owned()).collect();
    TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), move |c| {
        c.outbound = OutboundPolicy { allow_private: false, allow_hosts: hosts };
    })
    .await
}

/// URLs whose hosts are internal, as literals of every form and as a name resolving to loopback.
const INTERNAL_URLS: &[&str] = &[
    "http://127.0.0.1:9/hooks",
    "http://10.0.0.7/hooks",
    "http://192.168.1.1/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:9/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://0.0.0.0:9/hooks",
    "http://2130706433/hooks",
    "http://localhost:9/hooks",
];

async fn create_webhook(server: &TestServer, url: &str) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/v1/webhooks"))
        .bearer_auth(&server.keys.dev_key)
        .json(&json!({"url": url, "events": ["lead.created"]}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn webhook_urls_to_internal_hosts_are_refused_when_created_or_changed() {
    let server = strict_server(&[]).await;
    for url in INTERNAL_URLS {
        let resp = create_webhook(&server, url).await;
        assert_error(resp, StatusCode::BAD_REQUEST, &["internal", "--allow-private-network"]).await;
    }
    assert_error(create_webhook(&server, "file:///etc/passwd").await, StatusCode::BAD_REQUEST, &["http"]).await;
    // A name that does not resolve today is accepted (the connect-time check still guards it)…
    let resp = create_webhook(&server, "https://hooks.invalid/quincer").await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    // …but it cannot be pointed at an internal host later.
    let resp = server
        .client
        .post(server.url(&format!("/api/v1/webhooks/{id}")))
        .bearer_auth(&server.keys.dev_key)
        .json(&json!({"url": "http://169.254.169.254/latest/meta-data/"}))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["169.254.169.254", "internal"]).await;
}

#[tokio::test]
async fn listed_hosts_and_allow_private_let_internal_receivers_in() {
    let server = strict_server(&["127.0.0.1", "localhost"]).await;
    assert_eq!(create_webhook(&server, "http://127.0.0.1:9/hooks").await.status(), StatusCode::CREATED);
    assert_eq!(create_webhook(&server, "http://localhost:9/hooks").await.status(), StatusCode::CREATED);
    assert_error(create_webhook(&server, "http://10.0.0.7/hooks").await, StatusCode::BAD_REQUEST, &["10.0.0.7"]).await;
    let open = TestServer::start().await; // the tests' configuration: everything allowed
    assert_eq!(create_webhook(&open, "http://10.0.0.7/hooks").await.status(), StatusCode::CREATED);
}

/// A subscription stored behind the API's back: how a URL that resolved publicly when it was registered (and to
/// loopback now, DNS rebinding) reaches the dispatcher.
async fn insert_webhook(server: &TestServer, url: &str) -> String {
    let id = format!("wh_rebound_{}", url.len());
    sqlx::query(
        "INSERT INTO webhooks (id, org_id, url, events, secret) VALUES ($1, $2, $3, '[\"lead.created\"]', 's')",
    )
    .bind(&id)
    .bind(&server.keys.org_id)
    .bind(url)
    .execute(&server.db().await)
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn deliveries_to_internal_addresses_are_refused_when_connecting() {
    let server = strict_server(&[]).await;
    let receiver = Receiver::start(vec![]).await;
    let by_name = receiver.url.replace("127.0.0.1", "localhost");
    let by_name_id = insert_webhook(&server, &by_name).await;
    let literal_id = insert_webhook(&server, &format!("{}/x", receiver.url)).await;
    let resp = server
        .client
        .post(server.url("/api/v1/leads"))
        .bearer_auth(&server.keys.dev_key)
        .json(&json!({"widget_id": server.keys.widget_id, "email": "ada@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED, "{}", resp.text().await.unwrap());
    let db = server.db().await;
    for id in [by_name_id, literal_id] {
        let mut error = None;
        for _ in 0..200 {
            error = sqlx::query_scalar::<_, Option<String>>(
                "SELECT last_error FROM webhook_deliveries WHERE webhook_id = $1 AND attempts > 0",
            )
            .bind(&id)
            .fetch_optional(&db)
            .await
            .unwrap()
            .flatten();
            if error.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let error = error.unwrap_or_else(|| panic!("no failed attempt recorded for {id}"));
        assert!(error.contains("internal"), "{id}: {error}");
    }
    assert!(receiver.got.lock().unwrap().is_empty(), "the receiver must never be called");
}

/// A store that answers every path with a redirect to `target` (plus the path), or with an empty catalog.
async fn redirecting_store(target: Option<String>) -> String {
    let app = Router::new().fallback(get(move |uri: axum::http::Uri| {
        let target = target.clone();
        async move {
            match target {
                Some(t) => (AxumStatus::FOUND, [(header::LOCATION, format!("{t}{uri}"))]).into_response(),
                None => axum::Json(json!({"products": []})).into_response(),
            }
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

async fn import(server: &TestServer, url: &str) -> reqwest::Response {
    let path = format!("/api/v1/widgets/{}/import-storefront", server.keys.widget_id);
    server
        .client
        .request(Method::POST, server.url(&path))
        .bearer_auth(&server.keys.dev_key)
        .json(&json!({"url": url}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn storefront_imports_refuse_internal_hosts_and_redirects_to_them() {
    let server = strict_server(&["127.0.0.1"]).await;
    // Every internal URL but those naming the listed 127.0.0.1 (`2130706433` is 127.0.0.1 too).
    for url in INTERNAL_URLS.iter().filter(|u| !u.contains("//127.0.0.1") && !u.contains("2130706433")) {
        assert_error(import(&server, url).await, StatusCode::BAD_REQUEST, &["internal"]).await;
    }
    // The listed host is allowed, and a store there imports…
    let store = redirecting_store(None).await;
    assert_eq!(import(&server, &store).await.status(), StatusCode::OK);
    // …but its redirects to other internal hosts are not followed: a name (refused when connecting) or literals
    // (refused by the redirect policy).
    let port = store.rsplit(':').next().unwrap();
    for target in [format!("http://localhost:{port}"), format!("http://[::1]:{port}"), "http://10.0.0.7".into()] {
        let redirecting = redirecting_store(Some(target.clone())).await;
        let resp = import(&server, &redirecting).await;
        let message = assert_error(resp, StatusCode::BAD_GATEWAY, &["could not reach"]).await;
        assert!(message.contains("internal"), "redirect to {target}: {message}");
    }
}

#[tokio::test]
async fn redirect_chains_are_cut_short() {
    let server = strict_server(&["127.0.0.1"]).await;
    // Each store redirects to the next; the last answers. Five hops is more than the policy follows.
    let mut url = redirecting_store(None).await;
    for _ in 0..5 {
        url = redirecting_store(Some(url)).await;
    }
    let message = assert_error(import(&server, &url).await, StatusCode::BAD_GATEWAY, &["could not reach"]).await;
    assert!(message.contains("redirects"), "{message}");
}
