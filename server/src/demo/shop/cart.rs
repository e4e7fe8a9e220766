//! The demo store's cart, with Shopify's Ajax cart API: `GET cart.js`, `POST cart/add.js`, `POST cart/clear.js`.
//!
//! Carts live in memory, keyed by the `cart` cookie, and are bounded ([`MAX_CARTS`], oldest evicted): this is a
//! demo, and a restart empties every cart. Answers and errors use Shopify's shapes (not the API's
//! `{"error": …}`), because pages and the widget talk to it as they would to a real store:
//! `{"status": 422, "message": "Cart Error", "description": "…"}`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::super::DemoState;
use super::catalog::{Catalog, Found, CURRENCY};
use crate::catalog::price_cents;
use crate::ids;

/// Most carts kept; beyond it the oldest is forgotten.
pub const MAX_CARTS: usize = 10_000;
/// Most distinct lines in one cart, and most of one variant: enough for any demo, small enough to bound memory.
const MAX_LINES: usize = 100;
const MAX_QUANTITY: u64 = 999;
/// The cookie naming a visitor's cart.
pub const CART_COOKIE: &str = "cart";

/// One line: a variant and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Line {
    variant_id: u64,
    quantity: u64,
}

/// Every cart of the demo store (cheap to clone: shared).
#[derive(Debug, Clone, Default)]
pub struct Carts {
    // A std mutex: held only for map operations, never across an await.
    inner: Arc<Mutex<CartMap>>,
}

#[derive(Debug, Default)]
struct CartMap {
    carts: HashMap<String, Vec<Line>>,
    /// Tokens by creation, for eviction.
    order: VecDeque<String>,
}

impl Carts {
    fn lines(&self, token: &str) -> Vec<Line> {
        self.inner.lock().map(|m| m.carts.get(token).cloned().unwrap_or_default()).unwrap_or_default()
    }

    fn update(&self, token: &str, f: impl FnOnce(&mut Vec<Line>)) {
        let Ok(mut map) = self.inner.lock() else { return };
        if !map.carts.contains_key(token) {
            while map.carts.len() >= MAX_CARTS {
                let Some(oldest) = map.order.pop_front() else { break };
                map.carts.remove(&oldest);
            }
            map.carts.insert(token.to_owned(), Vec::new());
            map.order.push_back(token.to_owned());
        }
        if let Some(lines) = map.carts.get_mut(token) {
            f(lines);
        }
    }

    /// Number of carts held (tests).
    pub fn len(&self) -> usize {
        self.inner.lock().map(|m| m.carts.len()).unwrap_or(0)
    }

    /// No carts at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The request's cart token, and whether it is new (then the answer sets the cookie).
fn token(headers: &HeaderMap) -> (String, bool) {
    let existing = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == CART_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric()));
    match existing {
        Some(t) => (t, false),
        None => (ids::random_string(26), true),
    }
}

/// `body` as JSON, with the cart cookie set when the cart is new.
fn answer(status: StatusCode, body: Value, token: &str, new: bool) -> Response {
    let mut resp = (status, Json(body)).into_response();
    if new {
        let cookie = format!("{CART_COOKIE}={token}; Path=/shop; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// Shopify's error shape.
fn cart_error(status: StatusCode, message: &str, description: &str) -> Value {
    json!({ "status": status.as_u16(), "message": message, "description": description })
}

fn cents(value: &Value) -> i64 {
    value.as_str().and_then(price_cents).unwrap_or(0)
}

/// `"Title - Variant"`, or the title alone for a product without options.
fn line_title(found: Found<'_>) -> String {
    let title = found.product["title"].as_str().unwrap_or_default();
    match found.variant["title"].as_str() {
        Some(v) if v != "Default Title" && !v.is_empty() => format!("{title} - {v}"),
        _ => title.to_owned(),
    }
}

/// A line item as Shopify's cart answers it (prices in integer cents).
fn line_item(found: Found<'_>, quantity: u64) -> Value {
    let (p, v) = (found.product, found.variant);
    let price = cents(&v["price"]);
    let original = cents(&v["compare_at_price"]).max(price);
    let handle = p["handle"].as_str().unwrap_or_default();
    let variant_id = v["id"].as_u64().unwrap_or_default();
    let only_default = v["title"] == "Default Title";
    let options: Vec<Value> =
        ["option1", "option2", "option3"].iter().map(|o| v[*o].clone()).filter(|o| o.is_string()).collect();
    let names: Vec<Value> =
        p["options"].as_array().map(|o| o.iter().map(|o| o["name"].clone()).collect()).unwrap_or_default();
    let image = v["featured_image"]["src"].as_str().or_else(|| p["images"][0]["src"].as_str()).map(str::to_owned);
    let line_price = price.saturating_mul(quantity as i64);
    json!({
        "id": variant_id,
        "properties": {},
        "quantity": quantity,
        "variant_id": variant_id,
        "key": format!("{variant_id}:{}", p["id"]),
        "title": line_title(found),
        "price": price,
        "original_price": price,
        "discounted_price": price,
        "final_price": price,
        "compare_at_price": (original > price).then_some(original),
        "line_price": line_price,
        "original_line_price": line_price,
        "final_line_price": line_price,
        "total_discount": 0,
        "discounts": [],
        "sku": v["sku"],
        "grams": v["grams"].as_u64().unwrap_or(0),
        "vendor": p["vendor"],
        "taxable": true,
        "product_id": p["id"],
        "product_has_only_default_variant": only_default,
        "gift_card": false,
        "url": format!("/shop/products/{handle}?variant={variant_id}"),
        "image": image,
        "handle": handle,
        "requires_shipping": true,
        "product_type": p["product_type"],
        "product_title": p["title"],
        "variant_title": if only_default { Value::Null } else { v["title"].clone() },
        "variant_options": options,
        "options_with_values": names.iter().zip(options.iter()).map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
    })
}

/// The whole cart as `cart.js` answers it.
fn cart_json(catalog: &Catalog, token: &str, lines: &[Line]) -> Value {
    let items: Vec<Value> =
        lines.iter().filter_map(|l| catalog.variant(l.variant_id).map(|f| line_item(f, l.quantity))).collect();
    let total: i64 = items.iter().filter_map(|i| i["line_price"].as_i64()).sum();
    let count: u64 = items.iter().filter_map(|i| i["quantity"].as_u64()).sum();
    let weight: u64 = items.iter().filter_map(|i| Some(i["grams"].as_u64()? * i["quantity"].as_u64()?)).sum();
    json!({
        "token": token,
        "note": null,
        "attributes": {},
        "original_total_price": total,
        "total_price": total,
        "total_discount": 0,
        "total_weight": weight,
        "item_count": count,
        "items": items,
        "requires_shipping": !lines.is_empty(),
        "currency": CURRENCY,
        "items_subtotal_price": total,
        "cart_level_discount_applications": [],
    })
}

/// `GET /shop/cart.js`.
pub async fn show(State(state): State<DemoState>, headers: HeaderMap) -> Response {
    let Some(catalog) = state.shop.clone() else { return super::not_enabled() };
    let (token, new) = token(&headers);
    let lines = state.carts.lines(&token);
    answer(StatusCode::OK, cart_json(&catalog, &token, &lines), &token, new)
}

/// `POST /shop/cart/clear.js`: empties the cart and answers it.
pub async fn clear(State(state): State<DemoState>, headers: HeaderMap) -> Response {
    let Some(catalog) = state.shop.clone() else { return super::not_enabled() };
    let (token, new) = token(&headers);
    if !new {
        state.carts.update(&token, Vec::clear);
    }
    answer(StatusCode::OK, cart_json(&catalog, &token, &[]), &token, new)
}

/// What `add.js` was asked to add, and whether it was the `items` form (answered `{"items": [...]}`) or a single
/// `id` (answered with the one line item), as Shopify does.
fn parse_add(headers: &HeaderMap, body: &[u8]) -> Option<(Vec<(u64, u64)>, bool)> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let value: Value = if is_form {
        let pairs = url::form_urlencoded::parse(body);
        Value::Object(pairs.map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))).collect())
    } else {
        serde_json::from_slice(body).ok()?
    };
    let number = |v: &Value| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
    let item = |v: &Value| -> Option<(u64, u64)> {
        let id = number(&v["id"])?;
        let quantity = if v["quantity"].is_null() { 1 } else { number(&v["quantity"])? };
        Some((id, quantity))
    };
    match value.get("items").and_then(Value::as_array) {
        Some(items) if !items.is_empty() => Some((items.iter().map(item).collect::<Option<Vec<_>>>()?, true)),
        Some(_) => None,
        None => Some((vec![item(&value)?], false)),
    }
}

/// `POST /shop/cart/add.js`: JSON `{"items": [{"id", "quantity"}]}` or `{"id", "quantity"}`, or the form fields
/// `id` and `quantity`. All or nothing: one sold-out or unknown variant adds none.
pub async fn add(State(state): State<DemoState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(catalog) = state.shop.clone() else { return super::not_enabled() };
    let (token, new) = token(&headers);
    let Some((wanted, items_form)) = parse_add(&headers, &body) else {
        let e = cart_error(
            StatusCode::BAD_REQUEST,
            "Parameter Missing or Invalid",
            "Required parameter missing or invalid: items",
        );
        return answer(StatusCode::BAD_REQUEST, e, &token, new);
    };
    for &(id, quantity) in &wanted {
        let Some(found) = catalog.variant(id) else {
            return answer(
                StatusCode::NOT_FOUND,
                cart_error(StatusCode::NOT_FOUND, "Cart Error", "Cannot find variant"),
                &token,
                new,
            );
        };
        if found.variant["available"] == false {
            let description = format!("The product '{}' is already sold out.", line_title(found));
            return answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                cart_error(StatusCode::UNPROCESSABLE_ENTITY, "Cart Error", &description),
                &token,
                new,
            );
        }
        if quantity == 0 || quantity > MAX_QUANTITY {
            let description = format!("You can only add 1 to {MAX_QUANTITY} of '{}' to the cart.", line_title(found));
            return answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                cart_error(StatusCode::UNPROCESSABLE_ENTITY, "Cart Error", &description),
                &token,
                new,
            );
        }
    }
    let mut added: Vec<Line> = Vec::new();
    state.carts.update(&token, |lines| {
        for &(id, quantity) in &wanted {
            let full = lines.len() >= MAX_LINES;
            match lines.iter_mut().find(|l| l.variant_id == id) {
                Some(line) => line.quantity = (line.quantity + quantity).min(MAX_QUANTITY),
                None if !full => lines.push(Line { variant_id: id, quantity }),
                None => continue,
            }
        }
        // Each line once, with its quantity after the whole add (the same id may be listed twice).
        for &(id, _) in &wanted {
            if let Some(line) =
                lines.iter().find(|l| l.variant_id == id).filter(|_| !added.iter().any(|a| a.variant_id == id))
            {
                added.push(*line);
            }
        }
    });
    let items: Vec<Value> =
        added.iter().filter_map(|l| catalog.variant(l.variant_id).map(|f| line_item(f, l.quantity))).collect();
    let body = if items_form { json!({ "items": items }) } else { items.into_iter().next().unwrap_or(Value::Null) };
    answer(StatusCode::OK, body, &token, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_form_adds() {
        let json_headers = HeaderMap::new();
        let mut form = HeaderMap::new();
        form.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        assert_eq!(
            parse_add(&json_headers, br#"{"items":[{"id":5,"quantity":2},{"id":"6"}]}"#),
            Some((vec![(5, 2), (6, 1)], true))
        );
        assert_eq!(parse_add(&json_headers, br#"{"id":5}"#), Some((vec![(5, 1)], false)));
        assert_eq!(parse_add(&form, b"id=7&quantity=3"), Some((vec![(7, 3)], false)));
        assert_eq!(parse_add(&json_headers, br#"{"items":[]}"#), None);
        assert_eq!(parse_add(&json_headers, b"nope"), None);
        assert_eq!(parse_add(&json_headers, br#"{"items":[{"quantity":1}]}"#), None);
    }

    #[test]
    fn cookie_tokens_are_plain() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; cart=abc123; b=2"));
        assert_eq!(token(&h), ("abc123".to_owned(), false));
        h.insert(header::COOKIE, HeaderValue::from_static("cart=<script>"));
        assert!(token(&h).1, "a token that is not ours gets a new cart");
    }

    #[test]
    fn carts_are_bounded() {
        let carts = Carts::default();
        for i in 0..MAX_CARTS + 5 {
            carts.update(&format!("t{i}"), |l| l.push(Line { variant_id: 1, quantity: 1 }));
        }
        assert_eq!(carts.len(), MAX_CARTS);
        assert!(carts.lines("t0").is_empty(), "the oldest cart went first");
        assert_eq!(carts.lines(&format!("t{}", MAX_CARTS + 4)).len(), 1);
    }
}
