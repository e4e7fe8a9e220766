//! Integration tests of the conventions every `/api/v1` endpoint shares: rate limits and their headers, the
//! public endpoints' abuse limits, cursor pagination on every list, POST = PATCH on updates, and the read-only
//! integrations API.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

impl TestServer {
    fn dev(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(&self.keys.dev_key)
    }
}

/// A header as a number.
fn num(resp: &reqwest::Response, name: &str) -> u64 {
    header(resp.headers(), name).parse().unwrap_or_else(|_| panic!("{name} is not a number"))
}

#[tokio::test]
async fn writes_are_limited_to_30_a_minute_per_key_with_headers() {
    let server = TestServer::start().await;
    let mut last_remaining = 30;
    let mut refused = None;
    for i in 1..=31 {
        // Invalid writes count too: the limit protects the server, not the data.
        let resp = server.dev(Method::POST, "/leads").json(&json!({"name": "x"})).send().await.unwrap();
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((i, resp));
            break;
        }
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        assert_eq!(num(&resp, "quincer-ratelimit-limit"), 30);
        let remaining = num(&resp, "quincer-ratelimit-remaining");
        assert_eq!(remaining, last_remaining - 1, "request {i}");
        last_remaining = remaining;
    }
    let (n, resp) = refused.expect("the 31st write is refused");
    // The window is one clock minute, so a run that crosses a minute boundary gets 30 more: it then ends at 31+.
    assert_eq!(n, 31, "refused at write {n}");
    assert_eq!(num(&resp, "quincer-ratelimit-remaining"), 0);
    let retry = num(&resp, "retry-after");
    let reset = num(&resp, "quincer-ratelimit-reset");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert!(reset > now && reset <= now + 61 && reset.is_multiple_of(60), "reset {reset} (now {now})");
    assert_error(
        resp,
        StatusCode::TOO_MANY_REQUESTS,
        &["Rate limit exceeded. 0 write requests remaining. Retry after"],
    )
    .await;

    // Reads have their own budget, and other keys their own counters.
    let resp = server.dev(Method::GET, "/leads").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!((num(&resp, "quincer-ratelimit-limit"), num(&resp, "quincer-ratelimit-remaining")), (100, 99));
    let other = server.mint_key(&["leads:write"]).await;
    let resp = server.client.post(server.url("/api/v1/leads")).bearer_auth(&other).json(&json!({})).send();
    assert_eq!(num(&resp.await.unwrap(), "quincer-ratelimit-remaining"), 29);

    // An unknown key is not authenticated: a 401 without the counters.
    let resp = server.client.get(server.url("/api/v1/leads")).bearer_auth("cw_dev_unknown").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().get("quincer-ratelimit-limit").is_none());
}

#[tokio::test]
async fn reads_are_limited_to_100_a_minute() {
    let server = TestServer::start().await;
    let mut statuses = Vec::new();
    for _ in 0..101 {
        statuses.push(server.dev(Method::GET, "/widgets").send().await.unwrap().status());
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    // 100, or up to 200 if the run crossed a minute boundary (then nothing is refused).
    assert!(ok == 100 || ok == 101, "{ok} reads allowed");
    if ok == 100 {
        assert_eq!(statuses[100], StatusCode::TOO_MANY_REQUESTS);
        let resp = server.dev(Method::GET, "/widgets").send().await.unwrap();
        assert_error(resp, StatusCode::TOO_MANY_REQUESTS, &["0 read requests remaining"]).await;
    }
}

#[tokio::test]
async fn public_endpoints_limit_chat_per_visitor_and_requests_per_address() {
    fresh_rate_window().await;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| {
        c.rate_limits.chat_per_visitor = 2;
        c.rate_limits.public_per_ip = 8;
    })
    .await;
    let token = server.new_visitor().await; // request 1 from this address
    for (i, id) in ["m1", "m2"].iter().enumerate() {
        let body = chat_body("conv_limits", id, &format!("Question {i} about shipping"));
        server.chat_ok(&token, &body).await; // 2, 3
    }
    let resp = server.chat(&token, &chat_body("conv_limits", "m3", "One more")).await; // 4
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry = num(&resp, "retry-after");
    assert!((1..=60).contains(&retry));
    assert_error(resp, StatusCode::TOO_MANY_REQUESTS, &["too many messages", "retry after"]).await;
    // The refused message is not stored: the visitor can send it again after the wait.
    let transcript = server.transcript_ok(&token, "conv_limits").await; // 5
    let texts: Vec<&str> =
        transcript["messages"].as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).collect();
    assert!(!texts.contains(&"One more"), "{texts:?}");

    // The browser can read Retry-After from a cross-origin answer.
    let resp = server
        .visitor(Method::POST, "/api/chat", &token)
        .header("origin", "https://shop.example")
        .json(&chat_body("conv_limits", "m3", "One more"))
        .send()
        .await
        .unwrap(); // 6
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header_list(resp.headers(), "access-control-expose-headers").contains(&"retry-after".to_owned()));

    for _ in 0..2 {
        server.transcript(&token, "conv_limits").await; // 7, 8
    }
    let resp = server.transcript(&token, "conv_limits").await; // 9: over the address's 8
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_error(resp, StatusCode::TOO_MANY_REQUESTS, &["too many requests from this address"]).await;
}

#[tokio::test]
async fn every_list_is_cursor_paginated() {
    let server = TestServer::start().await;
    // Three more personas, three webhooks, three playbook entries, two more keys.
    for i in 0..3 {
        let resp = server.dev(Method::POST, "/personas").json(&json!({"name": format!("P{i}")})).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        let entry = json!({"widget_id": server.keys.widget_id, "category": "pricing", "title": format!("Plan {i}"),
            "content": format!("Plan {i} costs {i}0 euros a month.")});
        assert_eq!(
            server.dev(Method::POST, "/playbook").json(&entry).send().await.unwrap().status(),
            StatusCode::CREATED
        );
        let body = json!({"url": format!("https://hooks.example/{i}"), "events": ["lead.created"]});
        assert_eq!(
            server.dev(Method::POST, "/webhooks").json(&body).send().await.unwrap().status(),
            StatusCode::CREATED
        );
    }
    let keys = format!("/widgets/{}/keys", server.keys.widget_id);
    for _ in 0..2 {
        assert_eq!(server.dev(Method::POST, &keys).send().await.unwrap().status(), StatusCode::CREATED);
    }
    let lists = [
        ("/personas", "personas"),
        ("/webhooks", "webhooks"),
        (keys.as_str(), "keys"),
        ("/knowledge", "knowledge"),
        ("/playbook", "playbook"),
    ];
    for (path, plural) in lists {
        let get = |query: String| {
            let server = &server;
            async move {
                let resp = server.dev(Method::GET, &format!("{path}{query}")).send().await.unwrap();
                assert_eq!(resp.status(), StatusCode::OK, "{path}{query}");
                resp.json::<Value>().await.unwrap()
            }
        };
        let all = get("?limit=200".into()).await; // every item: the lists here are shorter than that
        let total = all["total"].as_i64().unwrap();
        assert!((3..=200).contains(&total), "{path}: {all}");
        assert_eq!(all["data"].as_array().unwrap().len() as i64, total);
        assert_eq!(all["url"], format!("/api/v1{path}"));
        assert_eq!(all[plural], all["data"]);
        let ids: Vec<Value> = all["data"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect();
        // Walk two at a time: the same items, in the same order, and has_more until the end.
        let mut walked = Vec::new();
        let mut query = "?limit=2".to_owned();
        loop {
            let page = get(query.clone()).await;
            assert_eq!(page["limit"], 2);
            let items = page["data"].as_array().unwrap();
            walked.extend(items.iter().map(|i| i["id"].clone()));
            if page["has_more"] == false {
                break;
            }
            query = format!("?limit=2&starting_after={}", items.last().unwrap()["id"].as_str().unwrap());
        }
        assert_eq!(walked, ids, "{path}");
        for query in ["?limit=0", "?limit=abc", "?starting_after=nope"] {
            let resp = server.dev(Method::GET, &format!("{path}{query}")).send().await.unwrap();
            assert_error(resp, StatusCode::BAD_REQUEST, &[]).await;
        }
    }
}

#[tokio::test]
async fn integrations_are_read_only_and_show_the_imported_store() {
    let server = TestServer::start().await;
    let list: Value = server.dev(Method::GET, "/integrations").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["object"], "list");
    let providers: Vec<&str> =
        list["data"].as_array().unwrap().iter().map(|i| i["provider"].as_str().unwrap()).collect();
    assert!(providers.contains(&"shopify") && providers.contains(&"slack"), "{providers:?}");
    // The demo seed imported the demo storefront into the demo widget.
    let shopify: Value = server.dev(Method::GET, "/integrations/shopify").send().await.unwrap().json().await.unwrap();
    assert_eq!(shopify["object"], "integration");
    assert_eq!(shopify["connected"], true);
    let store = &shopify["details"]["storefronts"][0];
    assert_eq!(store["widget_id"], server.keys.widget_id.as_str());
    assert!(store["products"].as_i64().unwrap() >= 60, "{store}");
    assert_eq!(store["store_url"], server.base.as_str());
    assert_eq!(store["currency"], "USD");
    let slack: Value = server.dev(Method::GET, "/integrations/slack").send().await.unwrap().json().await.unwrap();
    assert_eq!(slack["connected"], false);
    assert!(slack.get("details").is_none());

    // A widget without a catalog is not connected.
    let created: Value = server
        .dev(Method::POST, "/widgets")
        .json(&json!({"brand": "Second"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let other = created["id"].as_str().unwrap();
    let resp = server.dev(Method::GET, &format!("/integrations/shopify?widget_id={other}")).send().await.unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["connected"], false);

    let resp = server.dev(Method::GET, "/integrations/myspace").send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["known providers", "shopify"]).await;
    let resp = server.dev(Method::POST, "/integrations/shopify").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let weak = server.mint_key(&["widgets:read"]).await;
    let resp = server.client.get(server.url("/api/v1/integrations")).bearer_auth(&weak).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["`integrations:read`"]).await;
}

/// Status of a session request sent as if through a balancer that says the client is `forwarded_for`.
async fn session_from(server: &TestServer, forwarded_for: &str) -> StatusCode {
    let req = server.widget(Method::POST, "/api/widget/session").header("X-Forwarded-For", forwarded_for);
    req.json(&json!({})).send().await.unwrap().status()
}

#[tokio::test]
async fn behind_a_trusted_balancer_each_visitor_has_their_own_per_address_budget() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| {
        c.rate_limits.public_per_ip = 3;
        c.trusted_proxies = quincer_server::ratelimit::TrustedProxies::new(vec!["127.0.0.0/8".parse().unwrap()]);
    })
    .await;
    for _ in 0..3 {
        assert_eq!(session_from(&server, "203.0.113.1").await, StatusCode::OK);
    }
    assert_eq!(session_from(&server, "203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
    // Another visitor behind the same balancer is not affected, nor is a forged entry left of the real client.
    assert_eq!(session_from(&server, "203.0.113.2").await, StatusCode::OK);
    assert_eq!(session_from(&server, "198.51.100.9, 203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_a_trusted_balancer_a_forged_forwarded_for_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| c.rate_limits.public_per_ip = 3).await;
    for n in 0..3 {
        assert_eq!(session_from(&server, &format!("203.0.113.{n}")).await, StatusCode::OK);
    }
    assert_eq!(session_from(&server, "203.0.113.99").await, StatusCode::TOO_MANY_REQUESTS);
}
