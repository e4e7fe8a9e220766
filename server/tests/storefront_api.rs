//! Integration tests of the storefront import (`POST /api/v1/widgets/:id/import-storefront`) against a scripted
//! upstream store on port 0, and of the demo's Shopify-like store under `/shop/` with its seeded catalog.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use common::*;
use quincer_server::store::{Db, Dialect, Flag};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------------------------
// A scripted store.

/// What the store answers; tests change it between imports.
#[derive(Default)]
struct Script {
    /// `products.json` page n is `pages[n - 1]`; later pages are empty.
    pages: Vec<Vec<Value>>,
    /// Answer every `products.json` with this status instead.
    status: Option<u16>,
    /// Answer `products.json` with this HTML instead.
    html: bool,
    /// Wait this long before answering `products.json`.
    delay: Option<Duration>,
    /// Answer `products.json` with this many bytes of JSON (with Content-Length).
    huge: Option<usize>,
    /// The same, streamed in chunks without Content-Length.
    huge_streamed: Option<usize>,
    /// Ignore `page`: always answer the first page.
    ignore_page: bool,
    /// `meta.json`'s currency (404 when `None`).
    meta_currency: Option<String>,
    /// `cart.js`'s currency (404 when `None`).
    cart_currency: Option<String>,
}

#[derive(Clone)]
struct Store {
    script: Arc<Mutex<Script>>,
    /// `http://127.0.0.1:<port>`.
    url: String,
}

impl Store {
    async fn start() -> Store {
        let script = Arc::new(Mutex::new(Script::default()));
        let app = Router::new()
            .route("/products.json", get(products))
            .route("/meta.json", get(meta))
            .route("/cart.js", get(cart))
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Store { script, url }
    }

    fn set(&self, f: impl FnOnce(&mut Script)) {
        f(&mut self.script.lock().unwrap());
    }
}

async fn products(State(script): State<Arc<Mutex<Script>>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let (delay, answer) = {
        let s = script.lock().unwrap();
        assert_eq!(q.get("limit").map(String::as_str), Some("250"), "the import asks for full pages");
        let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let page = if s.ignore_page { 1 } else { page };
        let answer = if let Some(status) = s.status {
            (AxumStatus::from_u16(status).unwrap(), "nope").into_response()
        } else if s.html {
            ([(header::CONTENT_TYPE, "text/html")], "<!doctype html><title>Not a store</title>").into_response()
        } else if let Some(n) = s.huge {
            ([(header::CONTENT_TYPE, "application/json")], huge_json(n)).into_response()
        } else if let Some(n) = s.huge_streamed {
            let chunks: Vec<Result<String, std::io::Error>> =
                huge_json(n).into_bytes().chunks(4096).map(|c| Ok(String::from_utf8_lossy(c).into_owned())).collect();
            Response::builder()
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .unwrap()
        } else {
            let products = s.pages.get(page - 1).cloned().unwrap_or_default();
            axum::Json(json!({ "products": products })).into_response()
        };
        (s.delay, answer)
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    answer
}

/// `{"products": [], "pad": "xxx…"}` of about `n` bytes.
fn huge_json(n: usize) -> String {
    format!("{{\"products\": [], \"pad\": \"{}\"}}", "x".repeat(n))
}

async fn meta(State(script): State<Arc<Mutex<Script>>>) -> Response {
    match script.lock().unwrap().meta_currency.clone() {
        Some(c) => axum::Json(json!({"name": "Test store", "currency": c})).into_response(),
        None => (AxumStatus::NOT_FOUND, "no meta").into_response(),
    }
}

async fn cart(State(script): State<Arc<Mutex<Script>>>) -> Response {
    match script.lock().unwrap().cart_currency.clone() {
        Some(c) => axum::Json(json!({"token": "t", "item_count": 0, "items": [], "currency": c})).into_response(),
        None => (AxumStatus::NOT_FOUND, "no cart").into_response(),
    }
}

/// A Shopify feed product: two sizes, S on sale and available, M sold out.
fn product(id: u64, title: &str, price: &str) -> Value {
    json!({
        "id": id, "title": title, "handle": title.to_lowercase().replace(' ', "-"),
        "body_html": "<p>Warm &amp; <strong>dry</strong>.</p>", "vendor": "Acme", "product_type": "Jackets",
        "tags": ["rain", "outdoor"],
        "options": [{"name": "Size", "position": 1, "values": ["S", "M"]}],
        "variants": [
            {"id": id * 10 + 1, "title": "S", "option1": "S", "option2": null, "option3": null, "sku": "A-S",
             "price": price, "compare_at_price": "199.90", "available": true, "featured_image": null},
            {"id": id * 10 + 2, "title": "M", "option1": "M", "option2": null, "option3": null, "sku": "",
             "price": price, "compare_at_price": null, "available": false, "featured_image": null}
        ],
        "images": [{"id": 1, "src": "//cdn.example/files/a.jpg?v=1", "width": 800, "height": 1000, "variant_ids": []}]
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers on the Quincer side.

impl TestServer {
    async fn import(&self, widget: &str, body: Option<Value>) -> reqwest::Response {
        self.import_as(&self.keys.dev_key, widget, body).await
    }

    async fn import_as(&self, key: &str, widget: &str, body: Option<Value>) -> reqwest::Response {
        let mut req = self
            .client
            .request(Method::POST, self.url(&format!("/api/v1/widgets/{widget}/import-storefront")))
            .bearer_auth(key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap()
    }

    async fn import_ok(&self, widget: &str, url: &str) -> Value {
        let resp = self.import(widget, Some(json!({ "url": url }))).await;
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// A second widget of the demo organisation (the demo widget has the demo catalog).
    async fn new_widget(&self, website: Option<&str>) -> String {
        quincer_server::provision::create_widget(&self.db().await, &self.keys.org_id, "Test brand", website, "#123456")
            .await
            .unwrap()
            .widget_id
    }
}

/// Product rows of a widget: (product_id, seq, knowledge_id, title, variants JSON, min cents, on_sale, available).
async fn rows(db: &Db, widget: &str) -> Vec<(i64, i64, String, String, String, i64, bool, bool)> {
    type Stored = (i64, i64, String, String, String, i64, Flag, Flag);
    let rows: Vec<Stored> = sqlx::query_as(
        "SELECT product_id, seq, knowledge_id, title, variants, min_price_cents, on_sale, available FROM products
         WHERE widget_id = $1 ORDER BY product_id",
    )
    .bind(widget)
    .fetch_all(db)
    .await
    .unwrap();
    rows.into_iter().map(|(a, b, c, d, e, f, g, h)| (a, b, c, d, e, f, g.0, h.0)).collect()
}

/// Product ids of `widget` whose full-text row (SQLite's FTS5 table, Postgres' `search` column) matches the word
/// `query`.
async fn fts(db: &Db, widget: &str, query: &str) -> Vec<i64> {
    let sql = match Dialect::of(db) {
        Dialect::Sqlite => {
            "SELECT p.product_id FROM products_fts f JOIN products p ON p.seq = f.rowid
             WHERE products_fts MATCH $1 AND p.widget_id = $2 ORDER BY p.product_id"
        }
        Dialect::Postgres => {
            "SELECT product_id FROM products
             WHERE search @@ to_tsquery('english', $1) AND widget_id = $2 ORDER BY product_id"
        }
    };
    sqlx::query_scalar(sql).bind(query).bind(widget).fetch_all(db).await.unwrap()
}

/// Every product has its full-text row, and (SQLite) every FTS row belongs to a product.
async fn assert_fts_in_step(db: &Db) {
    let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products").fetch_one(db).await.unwrap();
    let (orphans, indexed): (i64, i64) = match Dialect::of(db) {
        Dialect::Sqlite => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM products_fts WHERE rowid NOT IN (SELECT seq FROM products)),
                    (SELECT COUNT(*) FROM products_fts)",
        ),
        // The search column lives in the row: no orphan can exist; an empty one means the write missed it.
        Dialect::Postgres => sqlx::query_as("SELECT 0::bigint, COUNT(*) FROM products WHERE search <> ''::tsvector"),
    }
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!((orphans, indexed), (0, products), "the full-text index is out of step");
}

/// Titles of the widget's `product` knowledge items, through the API.
async fn product_knowledge(server: &TestServer, widget: &str) -> Vec<String> {
    let resp = server
        .client
        .get(server.url(&format!("/api/v1/knowledge?widget_id={widget}&source_type=product&limit=200")))
        .bearer_auth(&server.keys.dev_key)
        .send()
        .await
        .unwrap();
    let list: Value = resp.json().await.unwrap();
    let mut titles: Vec<String> =
        list["data"].as_array().unwrap().iter().map(|k| k["title"].as_str().unwrap().to_owned()).collect();
    titles.sort();
    titles
}

// ---------------------------------------------------------------------------------------------------------------
// Import.

#[tokio::test]
async fn imports_every_page_once_with_exact_prices_and_searchable_knowledge() {
    let server = TestServer::start().await;
    let store = Store::start().await;
    // Page 2 repeats a product of page 1, as stores do when the catalog shifts during paging.
    store.set(|s| {
        s.pages = vec![
            vec![product(7301000000001, "Storm Shell", "129.90"), product(7301000000002, "Drizzle Coat", "89.00")],
            vec![product(7301000000002, "Drizzle Coat", "89.00"), product(7301000000003, "Fjäll Parka", "349")],
            vec![
                product(7301000000004, "Ember Vest", "0.5"),
                // Left out and counted as skipped: a variant without a price, a product without variants.
                json!({"id": 7301000000005u64, "title": "No Price", "variants": [{"id": 1, "title": "Default Title"}]}),
                json!({"id": 7301000000006u64, "title": "No Variants", "variants": []}),
            ],
        ];
        s.meta_currency = Some("eur".into());
    });
    let widget = server.new_widget(None).await;
    let answer = server.import_ok(&widget, &format!("{}/?ref=x#top", store.url)).await;
    assert_eq!(
        answer,
        json!({"object": "storefront_import", "widget_id": widget, "url": store.url, "currency": "EUR",
               "products": 4, "created": 4, "updated": 0, "unchanged": 0, "removed": 0, "skipped": 2, "pages": 4})
    );

    let db = server.db().await;
    let rows = rows(&db, &widget).await;
    assert_eq!(rows.len(), 4);
    let variants: Value = serde_json::from_str(&rows[0].4).unwrap();
    assert_eq!(variants[0]["price"], "129.90", "the store's exact string");
    assert_eq!(variants[0]["compare_at_price"], "199.90");
    assert_eq!(variants[1]["available"], false);
    assert_eq!((rows[0].5, rows[0].6, rows[0].7), (12990, true, true));
    assert_eq!(serde_json::from_str::<Value>(&rows[2].4).unwrap()[0]["price"], "349");
    assert_eq!(rows[3].5, 50);
    let (url, images, body): (String, String, String) = sqlx::query_as(
        "SELECT url, images, body_text FROM products WHERE widget_id = $1 AND product_id = 7301000000003",
    )
    .bind(&widget)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(url, format!("{}/products/fj%C3%A4ll-parka", store.url));
    assert_eq!(serde_json::from_str::<Value>(&images).unwrap()[0]["src"], "https://cdn.example/files/a.jpg?v=1");
    assert_eq!(body, "Warm & dry.");

    assert_eq!(product_knowledge(&server, &widget).await, ["Drizzle Coat", "Ember Vest", "Fjäll Parka", "Storm Shell"]);
    let content: String = sqlx::query_scalar(
        "SELECT k.content FROM knowledge_items k JOIN products p ON p.knowledge_id = k.id WHERE p.product_id = 7301000000001",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(content.contains("Price: 129.90 EUR.") && content.contains("On sale: was 199.90 EUR."), "{content}");
    assert!(content.contains("sold out in M") && content.contains("Tags: rain, outdoor."), "{content}");
    assert_eq!(fts(&db, &widget, "parka").await, [7301000000003]);
    assert_fts_in_step(&db).await;
}

#[tokio::test]
async fn reimport_updates_in_place_and_removes_what_the_store_dropped() {
    let server = TestServer::start().await;
    let store = Store::start().await;
    let widget = server.new_widget(None).await;
    store.set(|s| {
        s.pages = vec![vec![
            product(1001, "Storm Shell", "129.90"),
            product(1002, "Drizzle Coat", "89.00"),
            product(1003, "Ember Vest", "59.00"),
        ]]
    });
    server.import_ok(&widget, &store.url).await;
    let db = server.db().await;
    let before = rows(&db, &widget).await;

    store.set(|s| {
        s.pages = vec![vec![product(1001, "Tempest Shell", "119.00"), product(1002, "Drizzle Coat", "89.00")]]
    });
    let answer = server.import_ok(&widget, &store.url).await;
    assert_eq!(
        (&answer["products"], &answer["created"], &answer["updated"], &answer["unchanged"], &answer["removed"]),
        (&json!(2), &json!(0), &json!(1), &json!(1), &json!(1))
    );
    let after = rows(&db, &widget).await;
    assert_eq!(after.len(), 2);
    assert_eq!((after[0].1, &after[0].2), (before[0].1, &before[0].2), "same seq and knowledge item");
    assert_eq!(after[0].3, "Tempest Shell");
    assert_eq!(serde_json::from_str::<Value>(&after[0].4).unwrap()[0]["price"], "119.00");
    assert_eq!(after[0].5, 11900);
    assert_eq!(after[1], before[1], "an unchanged product is left alone");

    assert_eq!(product_knowledge(&server, &widget).await, ["Drizzle Coat", "Tempest Shell"]);
    let gone: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM knowledge_items WHERE id = $1")
        .bind(&before[2].2)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(gone, 0, "the removed product's knowledge item is gone");
    assert_eq!(fts(&db, &widget, "tempest").await, [1001]);
    assert!(fts(&db, &widget, "storm").await.is_empty(), "the old title is no longer indexed");
    assert!(fts(&db, &widget, "ember").await.is_empty(), "the removed product is no longer indexed");
    assert_fts_in_step(&db).await;

    // A third identical import changes nothing.
    let again = server.import_ok(&widget, &store.url).await;
    assert_eq!((&again["updated"], &again["unchanged"]), (&json!(0), &json!(2)));
}

/// A failure case: name, how the store misbehaves, the status and the message parts expected.
type Case = (&'static str, Box<dyn Fn(&mut Script)>, StatusCode, Vec<String>);

#[tokio::test]
async fn store_failures_are_explained_and_leave_the_catalog_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_configured(dir, TestServer::policy(), |c| {
        c.storefront.timeout = Duration::from_millis(300);
        c.storefront.max_page_bytes = 64 * 1024;
        c.storefront.max_pages = 3;
    })
    .await;
    let store = Store::start().await;
    let widget = server.new_widget(None).await;
    store.set(|s| s.pages = vec![vec![product(1001, "Storm Shell", "129.90"), product(1002, "Drizzle Coat", "89.00")]]);
    server.import_ok(&widget, &store.url).await;
    let db = server.db().await;
    let before = rows(&db, &widget).await;
    let feed = format!("{}/products.json", store.url);

    let cases: Vec<Case> = vec![
        (
            "404",
            Box::new(|s| s.status = Some(404)),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![format!("the store answered 404 for {feed}"), "is this a Shopify storefront?".into()],
        ),
        (
            "401",
            Box::new(|s| s.status = Some(401)),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["password-protected (401)".into()],
        ),
        (
            "403",
            Box::new(|s| s.status = Some(403)),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["password-protected (403)".into()],
        ),
        ("500", Box::new(|s| s.status = Some(500)), StatusCode::BAD_GATEWAY, vec!["the store answered 500".into()]),
        (
            "html",
            Box::new(|s| s.html = true),
            StatusCode::BAD_GATEWAY,
            vec![feed.clone(), "did not return JSON".into()],
        ),
        (
            "slow",
            Box::new(|s| s.delay = Some(Duration::from_secs(3))),
            StatusCode::GATEWAY_TIMEOUT,
            vec![feed.clone(), "did not answer within 0.3 s".into()],
        ),
        ("huge", Box::new(|s| s.huge = Some(100_000)), StatusCode::BAD_GATEWAY, vec!["larger than 64 KB".into()]),
        (
            "huge streamed",
            Box::new(|s| s.huge_streamed = Some(100_000)),
            StatusCode::BAD_GATEWAY,
            vec!["larger than 64 KB".into()],
        ),
    ];
    for (name, script, status, needles) in cases {
        store.set(|s| {
            let pages = std::mem::take(&mut s.pages);
            *s = Script { pages, ..Script::default() };
            script(s);
        });
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        let resp = server.import(&widget, Some(json!({ "url": store.url }))).await;
        let msg = assert_error(resp, status, &needles).await;
        eprintln!("{name}: {msg}");
        assert_eq!(rows(&db, &widget).await, before, "{name}: the previous catalog stays");
    }

    // A failure on a later page leaves nothing half-imported either.
    store.set(|s| {
        *s = Script {
            pages: vec![vec![product(2001, "New One", "1.00")], vec![product(2002, "New Two", "2.00")]],
            ..Script::default()
        }
    });
    let flaky = Router::new().route(
        "/products.json",
        get(|Query(q): Query<HashMap<String, String>>| async move {
            if q.get("page").map(String::as_str) == Some("1") {
                axum::Json(json!({"products": [product(2001, "New One", "1.00")]})).into_response()
            } else {
                (AxumStatus::SERVICE_UNAVAILABLE, "later").into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let flaky_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, flaky).await });
    let resp = server.import(&widget, Some(json!({ "url": flaky_url }))).await;
    assert_error(resp, StatusCode::BAD_GATEWAY, &["answered 503", "page=2"]).await;
    assert_eq!(rows(&db, &widget).await, before);

    // More pages than the cap: refused, not cut short.
    store.set(|s| {
        *s = Script {
            pages: (1..=4).map(|i| vec![product(3000 + i, "Page Product", "1.00")]).collect(),
            ..Script::default()
        }
    });
    let resp = server.import(&widget, Some(json!({ "url": store.url }))).await;
    assert_error(resp, StatusCode::UNPROCESSABLE_ENTITY, &["more than 3 pages"]).await;
    assert_eq!(rows(&db, &widget).await, before);

    // Nobody listening.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let resp = server.import(&widget, Some(json!({ "url": closed_url }))).await;
    assert_error(resp, StatusCode::BAD_GATEWAY, &["could not reach", &closed_url]).await;
    assert_eq!(rows(&db, &widget).await, before);
    assert_fts_in_step(&db).await;
}

#[tokio::test]
async fn a_store_that_ignores_page_is_read_once() {
    let server = TestServer::start().await;
    let store = Store::start().await;
    store.set(|s| {
        s.pages = vec![vec![product(1, "Only Page", "10.00")]];
        s.ignore_page = true;
    });
    let widget = server.new_widget(None).await;
    let answer = server.import_ok(&widget, &store.url).await;
    assert_eq!((&answer["products"], &answer["pages"]), (&json!(1), &json!(2)));
}

#[tokio::test]
async fn the_api_checks_scope_widget_and_url() {
    let server = TestServer::start().await;
    let store = Store::start().await;
    store.set(|s| s.pages = vec![vec![product(1, "Storm Shell", "129.90")]]);
    let widget = server.new_widget(None).await;

    let read_only = server.mint_key(&["knowledge:read"]).await;
    let resp = server.import_as(&read_only, &widget, Some(json!({"url": store.url}))).await;
    assert_error(resp, StatusCode::FORBIDDEN, &["knowledge:write"]).await;

    let db = server.db().await;
    let other_org = quincer_server::provision::create_org(&db, "Other").await.unwrap();
    let other =
        quincer_server::provision::create_widget(&db, &other_org, "Other", Some(&store.url), "#000000").await.unwrap();
    let resp = server.import(&other.widget_id, Some(json!({"url": store.url}))).await;
    assert_error(resp, StatusCode::NOT_FOUND, &[&other.widget_id]).await;
    let resp = server.import("wgt_nope", None).await;
    assert_error(resp, StatusCode::NOT_FOUND, &["wgt_nope"]).await;

    for bad in ["ftp://shop.example", "javascript:alert(1)", "https://"] {
        let resp = server.import(&widget, Some(json!({"url": bad}))).await;
        assert_error(resp, StatusCode::BAD_REQUEST, &["url"]).await;
    }
    let resp = server.import(&widget, Some(json!({"url": store.url, "extra": 1}))).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["extra"]).await;
    // No URL and no website_url: the message names both fixes.
    let resp = server.import(&widget, None).await;
    assert_error(resp, StatusCode::BAD_REQUEST, &["url", "website_url"]).await;

    // An empty body (or `{}`) uses the widget's website_url.
    let with_site = server.new_widget(Some(&format!("{}/", store.url))).await;
    let resp = server.import(&with_site, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!((&answer["url"], &answer["products"]), (&json!(store.url), &json!(1)));
    let answer: Value = server.import(&with_site, Some(json!({}))).await.json().await.unwrap();
    assert_eq!(answer["unchanged"], 1);
}

#[tokio::test]
async fn currency_comes_from_the_configuration_then_meta_then_cart_then_usd() {
    let server = TestServer::start().await;
    let store = Store::start().await;
    store.set(|s| s.pages = vec![vec![product(1, "Storm Shell", "129.90")]]);
    let db = server.db().await;
    let widget = server.new_widget(None).await;
    let currency = |answer: Value| answer["currency"].as_str().unwrap().to_owned();

    // Nothing anywhere: USD, and nothing recorded as detected.
    assert_eq!(currency(server.import_ok(&widget, &store.url).await), "USD");
    assert_eq!(quincer_server::catalog::currency::currency(&db, &widget).await.unwrap(), "USD");

    store.set(|s| s.cart_currency = Some("GBP".into()));
    assert_eq!(currency(server.import_ok(&widget, &store.url).await), "GBP");
    store.set(|s| s.meta_currency = Some("EUR".into()));
    assert_eq!(currency(server.import_ok(&widget, &store.url).await), "EUR", "meta.json before cart.js");
    let detected: Option<String> = sqlx::query_scalar("SELECT storefront_currency FROM widgets WHERE id = $1")
        .bind(&widget)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(detected.as_deref(), Some("EUR"));

    sqlx::query("UPDATE widgets SET currency = 'CHF' WHERE id = $1").bind(&widget).execute(&db).await.unwrap();
    let answer = server.import_ok(&widget, &store.url).await;
    assert_eq!(currency(answer.clone()), "CHF", "the configured currency wins");
    assert_eq!(answer["updated"], 1, "the knowledge text names the new currency");
    assert_eq!(quincer_server::catalog::currency::currency(&db, &widget).await.unwrap(), "CHF");
}

#[tokio::test]
async fn concurrent_imports_of_one_widget_leave_one_consistent_catalog() {
    let server = TestServer::start().await;
    let store = Store::start().await;
    store.set(|s| s.pages = vec![(1..=40).map(|i| product(i, &format!("Product {i}"), "10.00")).collect()]);
    let widget = server.new_widget(None).await;
    let body = Some(json!({"url": store.url}));
    let (a, b, c) = tokio::join!(
        server.import(&widget, body.clone()),
        server.import(&widget, body.clone()),
        server.import(&widget, body.clone())
    );
    for resp in [a, b, c] {
        let status = resp.status();
        assert_eq!(status, StatusCode::OK, "{}", resp.text().await.unwrap());
    }
    let db = server.db().await;
    assert_eq!(rows(&db, &widget).await.len(), 40);
    assert_eq!(product_knowledge(&server, &widget).await.len(), 40);
    assert_fts_in_step(&db).await;
}

// ---------------------------------------------------------------------------------------------------------------
// The demo store.

#[tokio::test]
async fn the_demo_store_pages_its_catalog_like_shopify() {
    let server = TestServer::start().await;
    let mut ids = Vec::new();
    let mut sizes = Vec::new();
    for page in 1.. {
        let feed: Value = server
            .client
            .get(server.url(&format!("/shop/products.json?limit=250&page={page}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let products = feed["products"].as_array().unwrap();
        if products.is_empty() {
            break;
        }
        sizes.push(products.len());
        for p in products {
            ids.push(p["id"].as_u64().unwrap());
            for img in p["images"].as_array().unwrap() {
                let src = img["src"].as_str().unwrap();
                assert!(
                    src.starts_with(&format!("{}/shop/images/", server.base)),
                    "absolute on the request's host: {src}"
                );
            }
        }
    }
    assert!(ids.len() >= 64, "{} products", ids.len());
    assert!(sizes.len() >= 3 && sizes[0] == 25, "pages capped at 25: {sizes:?}");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    assert!(ids.iter().all(|id| id.to_string().len() == 13), "Shopify-like product ids");

    let default_page: Value =
        server.client.get(server.url("/shop/products.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(default_page["products"].as_array().unwrap().len(), 25);
    let small: Value =
        server.client.get(server.url("/shop/products.json?limit=5&page=2")).send().await.unwrap().json().await.unwrap();
    assert_eq!(small["products"][0]["id"].as_u64(), Some(ids[5]));

    let meta: Value = server.client.get(server.url("/shop/meta.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!((meta["currency"].as_str(), meta["name"].as_str()), (Some("USD"), Some("Northwind Outfitters")));

    // Pages: home, a product, an unknown product, and any other store path (the Stylist persona's pages).
    let handle = default_page["products"][0]["handle"].as_str().unwrap();
    for (path, status) in [
        ("/shop/".to_owned(), StatusCode::OK),
        (format!("/shop/products/{handle}"), StatusCode::OK),
        ("/shop/products/no-such-thing".to_owned(), StatusCode::NOT_FOUND),
        ("/shop/jackets/stormline".to_owned(), StatusCode::OK),
    ] {
        let resp = server.client.get(server.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), status, "{path}");
        let html = resp.text().await.unwrap();
        assert!(html.contains(&server.keys.widget_key) && !html.contains("{{QUINCER_WIDGET_KEY}}"), "{path}");
        assert!(html.find("/shop/assets/shopify.js") < html.find("/quincer.js"), "window.Shopify before the widget");
    }
    let product: Value = server
        .client
        .get(server.url(&format!("/shop/products/{handle}.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(product["product"]["handle"], handle);
    let svg = server.client.get(server.url("/shop/images/jacket-1e3a8a.svg")).send().await.unwrap();
    assert_eq!(header(svg.headers(), "content-type"), "image/svg+xml");
    let script = server.client.get(server.url("/shop/assets/shopify.js")).send().await.unwrap().text().await.unwrap();
    assert!(script.contains("northwind-demo.myshopify.com"));
}

#[tokio::test]
async fn the_demo_cart_answers_like_shopify() {
    let server = TestServer::start().await;
    let catalog: Value =
        serde_json::from_slice(&std::fs::read(common::repo_path("www/shop/catalog.json")).unwrap()).unwrap();
    let products = catalog["products"].as_array().unwrap();
    let variants = products.iter().flat_map(|p| p["variants"].as_array().unwrap().iter().map(move |v| (p, v)));
    let (product, available) =
        variants.clone().find(|(_, v)| v["available"] == true && v["title"] != "Default Title").unwrap();
    let (sold_out_product, sold_out) = variants.clone().find(|(_, v)| v["available"] == false).unwrap();
    let price = quincer_server::catalog::price_cents(available["price"].as_str().unwrap()).unwrap();

    // A new visitor gets a cart cookie.
    let resp = server
        .client
        .post(server.url("/shop/cart/add.js"))
        .json(&json!({"items": [{"id": available["id"], "quantity": 2}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = header(resp.headers(), "set-cookie");
    assert!(cookie.starts_with("cart=") && cookie.contains("Path=/shop"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let added: Value = resp.json().await.unwrap();
    assert_eq!(added["items"][0]["variant_id"], available["id"]);
    assert_eq!(added["items"][0]["quantity"], 2);
    assert_eq!(
        added["items"][0]["title"],
        format!("{} - {}", product["title"].as_str().unwrap(), available["title"].as_str().unwrap())
    );

    let post = |path: &str| server.client.post(server.url(path)).header("cookie", &cookie);
    // Form-encoded, like a theme's product form: answered with the one line item.
    let line: Value = post("/shop/cart/add.js")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("id={}&quantity=1", available["id"]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((&line["id"], &line["quantity"]), (&available["id"], &json!(3)));

    let resp = post("/shop/cart/add.js")
        .json(&json!({"items": [{"id": sold_out["id"], "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = resp.json().await.unwrap();
    let title = match sold_out["title"].as_str().unwrap() {
        "Default Title" => sold_out_product["title"].as_str().unwrap().to_owned(),
        v => format!("{} - {v}", sold_out_product["title"].as_str().unwrap()),
    };
    assert_eq!(
        error,
        json!({"status": 422, "message": "Cart Error", "description": format!("The product '{title}' is already sold out.")})
    );
    let resp = post("/shop/cart/add.js")
        .json(&json!({"items": [{"id": 12345678901234u64, "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"status": 404, "message": "Cart Error", "description": "Cannot find variant"})
    );
    let resp = post("/shop/cart/add.js").json(&json!({"nothing": true})).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    let cart: Value = server
        .client
        .get(server.url("/shop/cart.js"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cart["item_count"], 3);
    assert_eq!(cart["items"].as_array().unwrap().len(), 1);
    assert_eq!(cart["items"][0]["price"], price);
    assert_eq!(cart["items"][0]["line_price"], price * 3);
    assert_eq!(cart["total_price"], price * 3);
    assert_eq!(cart["currency"], "USD");
    assert_eq!(cart["token"], cookie.trim_start_matches("cart="));
    assert_eq!(
        cart["items"][0]["url"],
        format!("/shop/products/{}?variant={}", product["handle"].as_str().unwrap(), available["id"])
    );

    // Another visitor's cart is empty; clearing empties ours.
    let other: Value = server.client.get(server.url("/shop/cart.js")).send().await.unwrap().json().await.unwrap();
    assert_eq!(other["item_count"], 0);
    let cleared: Value = post("/shop/cart/clear.js").send().await.unwrap().json().await.unwrap();
    assert_eq!((&cleared["item_count"], &cleared["total_price"]), (&json!(0), &json!(0)));
}

#[tokio::test]
async fn the_demo_seed_imports_the_store_and_reseeding_updates_in_place() {
    let server = TestServer::start().await;
    let db = server.db().await;
    let demo = server.keys.widget_id.clone();
    let before = rows(&db, &demo).await;
    assert!(before.len() >= 64, "{} products seeded", before.len());
    let knowledge = product_knowledge(&server, &demo).await;
    assert_eq!(knowledge.len(), before.len());
    assert!(knowledge.iter().any(|t| t == "Jökull Down Parka"));
    let url: String =
        sqlx::query_scalar("SELECT url FROM products WHERE widget_id = $1 AND handle = 'jokull-down-parka'")
            .bind(&demo)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(url, format!("{}/shop/products/jokull-down-parka", server.base));
    assert_eq!(quincer_server::catalog::currency::currency(&db, &demo).await.unwrap(), "USD");
    assert!(!fts(&db, &demo, "waterproof").await.is_empty());
    assert_fts_in_step(&db).await;

    // A restart (another port) re-imports: same rows, URLs on the new address.
    let old_base = server.base.clone();
    let server = server.restart().await;
    let db = server.db().await;
    let after = rows(&db, &demo).await;
    assert_eq!(after.len(), before.len());
    assert!(after.iter().zip(&before).all(|(a, b)| a.1 == b.1 && a.2 == b.2), "same seqs and knowledge ids");
    let url: String =
        sqlx::query_scalar("SELECT url FROM products WHERE widget_id = $1 AND handle = 'jokull-down-parka'")
            .bind(&demo)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_ne!(old_base, server.base);
    assert!(url.starts_with(&server.base), "{url}");
    assert_fts_in_step(&db).await;
}

#[tokio::test]
async fn the_demo_store_imports_through_the_api_too() {
    let server = TestServer::start().await;
    let widget = server.new_widget(None).await;
    let answer = server.import_ok(&widget, &format!("{}/shop/", server.base)).await;
    let count = rows(&server.db().await, &server.keys.widget_id).await.len() as i64;
    assert_eq!(answer["products"], count);
    assert_eq!(answer["currency"], "USD");
    assert!(answer["pages"].as_u64().unwrap() >= 4, "25 products a page, then an empty one: {answer}");
}
