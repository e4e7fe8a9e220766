//! Integration tests of the widgets API (`/api/v1/widgets…`) and what it changes on the public endpoints, against a
//! real server.
//!
//! Covered: create with its first key and embed snippet (and without), read, list with cursor pagination, update by
//! POST and PATCH with a 400 naming each bad field, delete (409 for the only widget, 404 across organisations, keys
//! dead afterwards), scopes, key listing / minting / revocation (401 at once, open event streams end), the launcher
//! settings in the public session, and allowed origins (403 without CORS headers, wildcards, no `Origin`).

mod common;

use std::time::Duration;

use common::*;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const EVIL: &str = "https://evil.example";

impl TestServer {
    /// A widgets API request with the demo developer key.
    fn widgets(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1/widgets{path}"))).bearer_auth(&self.keys.dev_key)
    }

    /// Sends a widgets API request, asserting `status`, and returns the JSON answer.
    async fn widgets_ok(&self, method: Method, path: &str, body: Option<Value>, status: StatusCode) -> Value {
        let mut req = self.widgets(method, path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let got = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(got, status, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Creates a widget with `body`, asserting a 201.
    async fn create_widget(&self, body: Value) -> Value {
        self.widgets_ok(Method::POST, "", Some(body), StatusCode::CREATED).await
    }

    /// `POST /api/widget/session` with `key`, and `origin` as the `Origin` header if given.
    async fn session_with(&self, key: &str, origin: Option<&str>) -> Response {
        let mut req = self.client.post(self.url("/api/widget/session")).bearer_auth(key).json(&json!({}));
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        req.send().await.unwrap()
    }
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn create_returns_a_key_and_an_embed_snippet_and_seeds_a_persona() {
    let server = TestServer::start().await;
    let created = server
        .create_widget(json!({"brand": "Acme Bikes", "websiteUrl": "https://acme.example", "primary_color": "#0EA5E9"}))
        .await;
    assert_eq!(created["object"], "widget");
    assert_eq!(created["brand"], "Acme Bikes");
    assert_eq!(created["website_url"], "https://acme.example");
    assert_eq!(created["primary_color"], "#0ea5e9");
    assert_eq!(created["launcher_position"], "right");
    assert_eq!(created["launcher_label"], "Chat with us");
    assert_eq!(created["locale"], "en");
    assert_eq!(created["currency"], Value::Null);
    assert_eq!(created["allowed_origins"], json!([]));
    let key = created["api_key"].as_str().expect("api_key").to_owned();
    assert!(key.starts_with("cw_live_"), "{key}");
    assert_eq!(created["apiKey"], key.as_str());
    let embed = &created["embed"];
    assert_eq!(embed["script_url"], format!("{}/quincer.js", server.base));
    assert_eq!(embed["scriptUrl"], embed["script_url"]);
    assert_eq!(
        embed["snippet"],
        format!(r#"<script async src="{}/quincer.js" data-widget-key="{key}"></script>"#, server.base)
    );
    let id = id_of(&created);

    // The default persona, named like the one the dashboard creates.
    let personas = server
        .client
        .get(server.url(&format!("/api/v1/personas?widget_id={id}")))
        .bearer_auth(&server.keys.dev_key)
        .send()
        .await
        .unwrap();
    let personas: Value = personas.json().await.unwrap();
    assert_eq!(personas["data"].as_array().unwrap().len(), 1, "{personas}");
    assert_eq!(personas["data"][0]["name"], "Assistant");
    assert_eq!(personas["data"][0]["is_default"], true);
    assert_eq!(personas["data"][0]["bubble_color"], "#0ea5e9");

    // The key works at once, and the widget shows its own brand.
    let resp = server.session_with(&key, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let session: Value = resp.json().await.unwrap();
    assert_eq!(session["widget"]["id"], id.as_str());
    assert_eq!(session["widget"]["brand"], "Acme Bikes");
    assert_eq!(session["widget"]["launcher_position"], "right");
    assert_eq!(session["widget"]["launcher_label"], "Chat with us");

    // Behind a TLS proxy the snippet says https.
    let resp = server
        .widgets(Method::POST, "")
        .header("X-Forwarded-Proto", "https")
        .json(&json!({"brand": "Proxied"}))
        .send()
        .await
        .unwrap();
    let proxied: Value = resp.json().await.unwrap();
    let host = server.base.trim_start_matches("http://");
    assert_eq!(proxied["embed"]["script_url"], format!("https://{host}/quincer.js"));
}

#[tokio::test]
async fn create_without_a_key_and_create_errors() {
    let server = TestServer::start().await;
    let created = server.create_widget(json!({"brand": "Keyless", "withApiKey": false})).await;
    assert_eq!(created["api_key"], Value::Null);
    assert_eq!(created["embed"], Value::Null);
    let keys = server.widgets_ok(Method::GET, &format!("/{}/keys", id_of(&created)), None, StatusCode::OK).await;
    assert_eq!(keys["data"], json!([]));

    let resp = server.widgets(Method::POST, "").json(&json!({"website_url": "https://a.example"})).send().await;
    assert_error(resp.unwrap(), StatusCode::BAD_REQUEST, &["`brand`", "required"]).await;
    let resp = server.widgets(Method::POST, "").json(&json!({"brand": "  "})).send().await;
    assert_error(resp.unwrap(), StatusCode::BAD_REQUEST, &["`brand`"]).await;
    let resp = server.widgets(Method::POST, "").json(&json!({"brand": "X", "colour": "#fff"})).send().await;
    assert_error(resp.unwrap(), StatusCode::BAD_REQUEST, &["colour"]).await;
    let resp = server.widgets(Method::POST, "").json(&json!({"brand": "X", "websiteUrl": "acme.example"})).send().await;
    assert_error(resp.unwrap(), StatusCode::BAD_REQUEST, &["`website_url`", "https://"]).await;
    let resp = server
        .widgets(Method::POST, "")
        .json(&json!({"brand": "X", "allowed_origins": ["https://ok.example", "https://a.example/path"]}))
        .send()
        .await;
    assert_error(resp.unwrap(), StatusCode::BAD_REQUEST, &["`allowed_origins[1]`", "path", "scheme://host[:port]"])
        .await;

    // Nothing half-created.
    let list = server.widgets_ok(Method::GET, "", None, StatusCode::OK).await;
    assert_eq!(list["total"], 2, "the demo widget and Keyless: {list}");
}

#[tokio::test]
async fn get_and_list_with_cursor_pagination() {
    let server = TestServer::start().await;
    let mut ids = vec![server.keys.widget_id.clone()];
    for brand in ["One", "Two", "Three"] {
        ids.push(id_of(&server.create_widget(json!({"brand": brand, "with_api_key": false})).await));
    }
    let one = server.widgets_ok(Method::GET, &format!("/{}", ids[1]), None, StatusCode::OK).await;
    assert_eq!(one["brand"], "One");
    assert_eq!(one["object"], "widget");

    let page = server.widgets_ok(Method::GET, "?limit=2", None, StatusCode::OK).await;
    assert_eq!(page["object"], "list");
    assert_eq!(page["url"], "/api/v1/widgets");
    assert_eq!(page["has_more"], true);
    assert_eq!(page["total"], 4);
    assert_eq!(page["limit"], 2);
    assert_eq!(page["data"], page["widgets"], "legacy items");
    let brands = |p: &Value| p["data"].as_array().unwrap().iter().map(|w| w["brand"].clone()).collect::<Vec<_>>();
    assert_eq!(brands(&page), [json!("Three"), json!("Two")], "newest first");
    let last = id_of(&page["data"][1]);
    let next = server.widgets_ok(Method::GET, &format!("?limit=2&starting_after={last}"), None, StatusCode::OK).await;
    assert_eq!(brands(&next), [json!("One"), json!("Northwind Outfitters")]);
    assert_eq!(next["has_more"], false);

    let resp = server.widgets(Method::GET, "?starting_after=wgt_nope").send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["starting_after"]).await;
    let resp = server.widgets(Method::GET, "?limit=500").send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["limit"]).await;
    let resp = server.widgets(Method::GET, "/wgt_nope").send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["wgt_nope"]).await;
}

#[tokio::test]
async fn update_by_post_and_patch_validates_each_field() {
    let server = TestServer::start().await;
    let path = format!("/{}", server.keys.widget_id);
    let updated = server
        .widgets_ok(
            Method::POST,
            &path,
            Some(json!({"launcherPosition": "left", "launcherLabel": "Ask Ava", "currency": "eur", "locale": "fr-ca",
                        "greeting": "Bonjour !", "allowedOrigins": ["https://Northwind.example/"]})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(updated["launcher_position"], "left");
    assert_eq!(updated["launcher_label"], "Ask Ava");
    assert_eq!(updated["currency"], "EUR");
    assert_eq!(updated["locale"], "fr-CA");
    assert_eq!(updated["greeting"], "Bonjour !");
    assert_eq!(updated["allowed_origins"], json!(["https://northwind.example"]));
    assert_eq!(updated["brand"], "Northwind Outfitters", "absent fields are unchanged");

    // The widget sees the launcher settings at once.
    let session = server.session(json!({})).await;
    assert_eq!(session["widget"]["launcher_position"], "left");
    assert_eq!(session["widget"]["launcher_label"], "Ask Ava");
    assert_eq!(session["widget"]["locale"], "fr-CA");

    let patched = server
        .widgets_ok(
            Method::PATCH,
            &path,
            Some(json!({"brand": "Northwind", "currency": null, "website_url": null, "allowed_origins": []})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(patched["brand"], "Northwind");
    assert_eq!(patched["currency"], Value::Null, "null clears");
    assert_eq!(patched["website_url"], Value::Null);
    assert_eq!(patched["allowed_origins"], json!([]));
    assert_eq!(patched["launcher_label"], "Ask Ava");

    let bad = [
        (json!({"brand": ""}), vec!["`brand`"]),
        (json!({"websiteUrl": "ftp://northwind.example"}), vec!["`website_url`", "http"]),
        (json!({"allowed_origins": ["northwind.example"]}), vec!["`allowed_origins[0]`", "https://"]),
        (json!({"allowed_origins": ["https://a.example", "https://*.com"]}), vec!["`allowed_origins[1]`", "wildcard"]),
        (json!({"allowed_origins": ["https://a.example/shop"]}), vec!["`allowed_origins[0]`", "path"]),
        (json!({"launcher_position": "top"}), vec!["`launcher_position`", "right", "left"]),
        (json!({"launcher_label": "x".repeat(41)}), vec!["`launcher_label`", "40"]),
        (json!({"currency": "EURO"}), vec!["`currency`", "ISO 4217"]),
        (json!({"locale": "french"}), vec!["`locale`", "BCP 47"]),
        (json!({"primaryColor": "blue"}), vec!["`primary_color`", "hex"]),
        (json!({"with_api_key": true}), vec!["with_api_key", "/keys"]),
    ];
    for (method, (body, needles)) in [Method::POST, Method::PATCH].into_iter().cycle().zip(bad) {
        let resp = server.widgets(method, &path).json(&body).send().await.unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, &needles).await;
    }
    let after = server.widgets_ok(Method::GET, &path, None, StatusCode::OK).await;
    assert_eq!(after, patched, "refused updates change nothing");

    let resp = server.widgets(Method::POST, "/wgt_nope").json(&json!({"brand": "X"})).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["wgt_nope"]).await;

    // A new brand colour: personas wearing the old one follow it, the others keep theirs.
    server.widgets_ok(Method::POST, &path, Some(json!({"primary_color": "#1D4ED8"})), StatusCode::OK).await;
    let session = server.session(json!({})).await;
    assert_eq!(session["widget"]["colors"]["primary"], "#1d4ed8");
    let colors: Vec<(&str, &str)> = session["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["bubble_color"].as_str().unwrap()))
        .collect();
    assert_eq!(colors[0], ("Ava", "#1d4ed8"));
    assert_eq!(colors[1], ("Sales", "#b45309"));
}

#[tokio::test]
async fn concurrent_writes_keep_the_invariants() {
    let server = TestServer::start().await;
    let mut ids = vec![server.keys.widget_id.clone()];
    for brand in ["A", "B"] {
        ids.push(id_of(&server.create_widget(json!({"brand": brand, "with_api_key": false})).await));
    }
    // Three deletes at once: the organisation keeps exactly one widget.
    let deletes = ids.iter().map(|id| server.widgets(Method::DELETE, &format!("/{id}")).send());
    let statuses: Vec<StatusCode> =
        futures_util::future::join_all(deletes).await.into_iter().map(|r| r.unwrap().status()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 2, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 1, "{statuses:?}");
    let list = server.widgets_ok(Method::GET, "", None, StatusCode::OK).await;
    assert_eq!(list["total"], 1);
    let left = id_of(&list["data"][0]);

    // Concurrent mints and updates all succeed.
    let mints = (0..6).map(|_| server.widgets(Method::POST, &format!("/{left}/keys")).send());
    for resp in futures_util::future::join_all(mints).await {
        assert_eq!(resp.unwrap().status(), StatusCode::CREATED);
    }
    let updates = (0..6).map(|i| {
        server.widgets(Method::PATCH, &format!("/{left}")).json(&json!({"greeting": format!("Hi {i}")})).send()
    });
    for resp in futures_util::future::join_all(updates).await {
        assert_eq!(resp.unwrap().status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn delete_refuses_the_only_widget_hides_other_orgs_and_kills_keys() {
    let server = TestServer::start().await;
    let only = format!("/{}", server.keys.widget_id);
    let resp = server.widgets(Method::DELETE, &only).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["only widget"]).await;

    // Another organisation sees none of ours, exactly as if it did not exist.
    let db = server.db().await;
    let other_org = quincer_server::provision::create_org(&db, "Other").await.unwrap();
    let other =
        quincer_server::provision::create_widget(&db, &other_org, "Other brand", None, "#000000").await.unwrap();
    let other_key = quincer_server::provision::create_dev_key(&db, &other_org, "t", &["widgets:read", "widgets:write"])
        .await
        .unwrap();
    for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
        let mut req = server.client.request(method.clone(), server.url(&format!("/api/v1/widgets{only}")));
        req = req.bearer_auth(&other_key);
        if method == Method::POST || method == Method::PATCH {
            req = req.json(&json!({"brand": "Hijacked"}));
        }
        assert_error(req.send().await.unwrap(), StatusCode::NOT_FOUND, &["no widget"]).await;
    }
    for path in ["/keys", "/keys/x"] {
        let req = server.client.get(server.url(&format!("/api/v1/widgets{only}{path}"))).bearer_auth(&other_key);
        assert_error(req.send().await.unwrap(), StatusCode::NOT_FOUND, &["no widget"]).await;
    }
    let list = server.client.get(server.url("/api/v1/widgets")).bearer_auth(&other_key).send().await.unwrap();
    let list: Value = list.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["id"], other.widget_id.as_str());

    // With two widgets, one can go, and its keys die with it.
    let second = server.create_widget(json!({"brand": "Second"})).await;
    let key = second["api_key"].as_str().unwrap().to_owned();
    assert_eq!(server.session_with(&key, None).await.status(), StatusCode::OK);
    let gone = server.widgets_ok(Method::DELETE, &format!("/{}", id_of(&second)), None, StatusCode::OK).await;
    assert_eq!(gone, json!({"object": "widget", "id": id_of(&second), "deleted": true}));
    assert_error(server.session_with(&key, None).await, StatusCode::UNAUTHORIZED, &["unknown widget key"]).await;
    let resp = server.widgets(Method::GET, &format!("/{}", id_of(&second))).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no widget"]).await;
    // The demo widget is untouched.
    assert_eq!(server.session_with(&server.keys.widget_key, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn scopes_guard_reads_and_writes() {
    let server = TestServer::start().await;
    let read = server.mint_key(&["widgets:read"]).await;
    let write = server.mint_key(&["widgets:write"]).await;
    let id = &server.keys.widget_id;
    let call = |method: Method, path: String, key: &str| {
        let req = server.client.request(method, server.url(&format!("/api/v1/widgets{path}"))).bearer_auth(key);
        req.json(&json!({"brand": "Scoped"})).send()
    };
    for (method, path) in [
        (Method::POST, String::new()),
        (Method::POST, format!("/{id}")),
        (Method::PATCH, format!("/{id}")),
        (Method::DELETE, format!("/{id}")),
        (Method::POST, format!("/{id}/keys")),
        (Method::DELETE, format!("/{id}/keys/{}", server.keys.widget_key)),
    ] {
        assert_error(call(method, path, &read).await.unwrap(), StatusCode::FORBIDDEN, &["`widgets:write`"]).await;
    }
    for path in [String::new(), format!("/{id}"), format!("/{id}/keys")] {
        assert_error(call(Method::GET, path, &write).await.unwrap(), StatusCode::FORBIDDEN, &["`widgets:read`"]).await;
    }
    assert_eq!(call(Method::GET, format!("/{id}"), &read).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn keys_rotate_and_revoked_keys_stop_at_once() {
    let server = TestServer::start().await;
    let keys_path = format!("/{}/keys", server.keys.widget_id);
    let list = server.widgets_ok(Method::GET, &keys_path, None, StatusCode::OK).await;
    assert_eq!(list["object"], "list");
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let old = &list["data"][0];
    assert_eq!(old["object"], "widget_key");
    assert_eq!(old["key"], server.keys.widget_key.as_str());
    assert_eq!(old["id"], old["key"]);
    assert_eq!(old["widget_id"], server.keys.widget_id.as_str());
    assert!(old["embed"]["snippet"].as_str().unwrap().contains(&server.keys.widget_key));

    let minted = server.widgets_ok(Method::POST, &keys_path, None, StatusCode::CREATED).await;
    let new_key = minted["key"].as_str().unwrap().to_owned();
    assert!(new_key.starts_with("cw_live_") && new_key != server.keys.widget_key);
    assert!(minted["embed"]["snippet"].as_str().unwrap().contains(&format!(r#"data-widget-key="{new_key}""#)));
    assert!(minted["embed"]["script_url"].as_str().unwrap().ends_with("/quincer.js"));
    assert_eq!(server.session_with(&new_key, None).await.status(), StatusCode::OK);

    // Revoke the old key: refused from the next request on; the new one keeps working.
    let revoked = server
        .widgets_ok(Method::DELETE, &format!("{keys_path}/{}", server.keys.widget_key), None, StatusCode::OK)
        .await;
    assert_eq!(revoked["deleted"], true);
    assert_eq!(revoked["active_keys"], 1);
    assert!(revoked["revoked_at"].is_string());
    assert_error(server.session_with(&server.keys.widget_key, None).await, StatusCode::UNAUTHORIZED, &["revoked"])
        .await;
    assert_eq!(server.session_with(&new_key, None).await.status(), StatusCode::OK);
    let list = server.widgets_ok(Method::GET, &keys_path, None, StatusCode::OK).await;
    let active: Vec<&str> = list["data"].as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap()).collect();
    assert_eq!(active, [new_key.as_str()]);

    // Idempotent, and a revoked key is still readable (without an embed).
    let again = server
        .widgets_ok(Method::DELETE, &format!("{keys_path}/{}", server.keys.widget_key), None, StatusCode::OK)
        .await;
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);
    let one_path = format!("{keys_path}/{}", server.keys.widget_key);
    let one = server.widgets_ok(Method::GET, &one_path, None, StatusCode::OK).await;
    assert_eq!(one["embed"], Value::Null);
    assert_eq!(one["revoked_at"], revoked["revoked_at"]);
    let resp = server.widgets(Method::DELETE, &format!("{keys_path}/cw_live_nope")).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no key"]).await;

    // The last key can go too: that switches the widget off.
    let last = server.widgets_ok(Method::DELETE, &format!("{keys_path}/{new_key}"), None, StatusCode::OK).await;
    assert_eq!(last["active_keys"], 0);
    assert_error(server.session_with(&new_key, None).await, StatusCode::UNAUTHORIZED, &["revoked"]).await;
}

#[tokio::test]
async fn revoking_a_key_ends_its_open_event_streams() {
    let server = TestServer::start().await;
    let keys_path = format!("/{}/keys", server.keys.widget_id);
    let key = server.widgets_ok(Method::POST, &keys_path, None, StatusCode::CREATED).await["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let session: Value = server.session_with(&key, None).await.json().await.unwrap();
    let token = session["visitor_token"].as_str().unwrap().to_owned();
    let chat = server
        .client
        .post(server.url("/api/chat"))
        .bearer_auth(&key)
        .header(VISITOR, &token)
        .json(&chat_body("conv_rev", "u1", SHIPPING_QUESTION))
        .send()
        .await
        .unwrap();
    read_stream(chat).await.assert_complete_answer();
    let events = |k: &str| {
        server
            .client
            .get(server.url("/api/widget/conversations/conv_rev/events"))
            .bearer_auth(k)
            .header(VISITOR, &token)
            .send()
    };
    let stream = events(&key).await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let other_key_stream = events(&server.keys.widget_key).await.unwrap();

    server.widgets_ok(Method::DELETE, &format!("{keys_path}/{key}"), None, StatusCode::OK).await;
    let body = tokio::time::timeout(Duration::from_secs(5), stream.text())
        .await
        .expect("the revoked key's stream ends within 5 s")
        .unwrap();
    assert!(body.starts_with("retry:"), "{body:?}");
    // A stream of another key stays open.
    let mut other_key_stream = other_key_stream;
    let first = other_key_stream.chunk().await.unwrap().expect("the retry line");
    assert!(String::from_utf8_lossy(&first).starts_with("retry:"));
    assert!(
        tokio::time::timeout(Duration::from_millis(500), other_key_stream.chunk()).await.is_err(),
        "the other key's stream must stay open"
    );
    // Reconnecting with the revoked key is refused.
    assert_error(events(&key).await.unwrap(), StatusCode::UNAUTHORIZED, &["revoked"]).await;
}

#[tokio::test]
async fn allowed_origins_refuse_other_sites_without_cors() {
    let server = TestServer::start().await;
    server
        .widgets_ok(
            Method::POST,
            &format!("/{}", server.keys.widget_id),
            Some(json!({"allowed_origins": ["https://shop.example", "https://*.example.com"]})),
            StatusCode::OK,
        )
        .await;
    let key = server.keys.widget_key.clone();

    for origin in ["https://shop.example", "https://a.example.com", "https://b.a.example.com"] {
        let resp = server.session_with(&key, Some(origin)).await;
        assert_eq!(resp.status(), StatusCode::OK, "{origin}");
        assert_eq!(header(resp.headers(), "access-control-allow-origin"), origin);
    }
    let resp = server.session_with(&key, None).await;
    assert_eq!(resp.status(), StatusCode::OK, "no Origin: a server, not a browser");

    for origin in [EVIL, "https://example.com", "https://example.com.evil.net", "http://shop.example", "null"] {
        let resp = server.session_with(&key, Some(origin)).await;
        assert_eq!(header(resp.headers(), "access-control-allow-origin"), "", "{origin}: no CORS grant");
        let msg = assert_error(resp, StatusCode::FORBIDDEN, &["allowed_origins"]).await;
        assert_eq!(
            msg,
            format!(
                "this widget does not allow requests from {origin}; add the origin to the widget's allowed_origins"
            )
        );
    }

    // Every public endpoint checks, chat included.
    let token = server.new_visitor().await;
    let resp = server.visitor(Method::POST, "/api/chat", &token).header("Origin", EVIL);
    let resp = resp.json(&chat_body("conv_o", "u1", SHIPPING_QUESTION)).send().await.unwrap();
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "");
    assert_error(resp, StatusCode::FORBIDDEN, &[EVIL]).await;
    let resp = server.visitor(Method::POST, "/api/chat", &token).header("Origin", "https://shop.example");
    let resp = resp.json(&chat_body("conv_o", "u1", SHIPPING_QUESTION)).send().await.unwrap();
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), "https://shop.example");
    read_stream(resp).await.assert_complete_answer();

    // A preflight carries no key, so it is answered for every origin; the actual request then fails.
    let preflight = server
        .client
        .request(Method::OPTIONS, server.url("/api/widget/session"))
        .header("Origin", EVIL)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    // The loader and the bundle stay open to every origin.
    let loader = server.client.get(server.url("/quincer.js")).header("Origin", EVIL).send().await.unwrap();
    assert_eq!(loader.status(), StatusCode::OK);
    assert_eq!(header(loader.headers(), "access-control-allow-origin"), "*");

    // Another widget, with an empty list, allows every origin.
    let other = server.create_widget(json!({"brand": "Open", "allowed_origins": []})).await;
    let open_key = other["api_key"].as_str().unwrap();
    let resp = server.session_with(open_key, Some(EVIL)).await;
    assert_eq!(resp.status(), StatusCode::OK, "an empty list allows every origin");
    assert_eq!(header(resp.headers(), "access-control-allow-origin"), EVIL);
}

#[tokio::test]
async fn agent_mode_voice_languages_and_attendees_are_stored_validated_and_cleared() {
    let server = TestServer::start().await;
    let created = server
        .create_widget(json!({
            "brand": "Fields", "agentMode": "human_first",
            "voice": {"enabled": true, "language": "fr-ca"},
            "languages": ["en", "fr-ca", "en"],
            "attendees": [{"name": "Grace", "avatarUrl": "https://cdn.example/grace.png", "role": "Support"}],
        }))
        .await;
    assert_eq!(created["agent_mode"], "human_first");
    assert_eq!(created["voice"], json!({"enabled": true, "voice_id": null, "language": "fr-CA"}));
    assert_eq!(created["languages"], json!(["en", "fr-CA"]));
    assert_eq!(created["attendees"][0]["avatar_url"], "https://cdn.example/grace.png");
    let path = format!("/{}", id_of(&created));

    let after = server
        .widgets_ok(Method::PATCH, &path, Some(json!({"languages": null, "brand": "Fields 2"})), StatusCode::OK)
        .await;
    assert_eq!((after["languages"].clone(), after["brand"].clone()), (json!([]), json!("Fields 2")));
    assert_eq!(after["attendees"], created["attendees"], "absent: unchanged");
    let demo = server.widgets_ok(Method::GET, &format!("/{}", server.keys.widget_id), None, StatusCode::OK).await;
    assert_eq!((demo["agent_mode"].as_str(), demo["attendees"].clone()), (Some("ai_first"), json!([])));

    for (body, field) in [
        (json!({"agent_mode": "robots"}), "`agent_mode` must be one of ai_first, human_first, ai_only"),
        (json!({"languages": ["en", "??"]}), "`languages[1]`"),
        (json!({"attendees": [{"name": ""}]}), "`attendees[0].name`"),
        (json!({"attendees": [{"name": "Eve", "avatar_url": "javascript:alert(1)"}]}), "`attendees[0].avatar_url`"),
        (json!({"voice": {"voice_id": "has space"}}), "`voice.voice_id`"),
    ] {
        let err = server.widgets_ok(Method::PATCH, &path, Some(body.clone()), StatusCode::BAD_REQUEST).await;
        assert!(err["error"].as_str().unwrap().contains(field), "{body}: {err}");
    }
    assert_eq!(server.widgets_ok(Method::GET, &path, None, StatusCode::OK).await, after, "nothing lost");
}
