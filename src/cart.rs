//! Add to cart on the host's Shopify storefront.
//!
//! The theme's own standard action comes first (`Shopify.actions.updateCart`, then `openCart`), so its cart drawer
//! and counters update the way the theme wants; otherwise the storefront's Ajax API,
//! `POST {Shopify.routes.root}cart/add.js`, whose 422 answers carry a `description` meant for shoppers. Off
//! Shopify there is no cart to add to, and the panel links to the product instead.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

/// Shown when the store gives no reason of its own.
const GENERIC_FAILURE: &str = "Couldn't add this to your cart. Please try again.";

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The page's `window.Shopify`, if it is a Shopify storefront.
fn shopify() -> Option<JsValue> {
    let shopify = get(&web_sys::window()?.into(), "Shopify");
    shopify.is_object().then_some(shopify)
}

/// Whether the host page is a Shopify storefront (so "Add to cart" can work).
pub fn available() -> bool {
    shopify().is_some()
}

/// Adds one of variant `variant_id` (digits) to the cart.
///
/// # Errors
/// A sentence for the shopper: the store's own (sold out, quantity limits) when it gave one.
pub async fn add(variant_id: &str) -> Result<(), String> {
    let shopify = shopify().ok_or(GENERIC_FAILURE)?;
    let actions = get(&shopify, "actions");
    if let Some(update) = get(&actions, "updateCart").dyn_ref::<Function>() {
        return add_with_actions(&actions, update, variant_id).await;
    }
    let root = get(&get(&shopify, "routes"), "root").as_string().unwrap_or_else(|| "/".into());
    let separator = if root.ends_with('/') { "" } else { "/" };
    add_with_ajax(&format!("{root}{separator}cart/add.js"), variant_id).await
}

/// `Shopify.actions.updateCart({lines: [...]})`: resolves with `userErrors` when the cart declines.
async fn add_with_actions(actions: &JsValue, update: &Function, variant_id: &str) -> Result<(), String> {
    let line = Object::new();
    let _ = Reflect::set(&line, &"merchandiseId".into(), &format!("gid://shopify/ProductVariant/{variant_id}").into());
    let _ = Reflect::set(&line, &"quantity".into(), &1.into());
    let request = Object::new();
    let _ = Reflect::set(&request, &"lines".into(), &Array::of1(&line));
    let result = await_call(update, actions, &request).await.map_err(|_| GENERIC_FAILURE.to_owned())?;
    let errors = get(&result, "userErrors");
    if Array::is_array(&errors) && Array::from(&errors).length() > 0 {
        let first = Array::from(&errors).get(0);
        return Err(get(&first, "message").as_string().unwrap_or_else(|| GENERIC_FAILURE.into()));
    }
    // Showing the cart is the theme's business; a failure there does not undo the add.
    if let Some(open) = get(actions, "openCart").dyn_ref::<Function>() {
        let _ = await_call(open, actions, &JsValue::UNDEFINED).await;
    }
    Ok(())
}

/// Calls `f` on `this` and awaits its result if it is a promise.
async fn await_call(f: &Function, this: &JsValue, arg: &JsValue) -> Result<JsValue, JsValue> {
    let value = f.call1(this, arg)?;
    match value.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(value) => Ok(value),
    }
}

/// The Ajax API: `{"items": [{"id": <variant>, "quantity": 1}]}`.
async fn add_with_ajax(url: &str, variant_id: &str) -> Result<(), String> {
    let failed = |_| GENERIC_FAILURE.to_owned();
    let headers = Headers::new().map_err(failed)?;
    headers.set("Content-Type", "application/json").map_err(failed)?;
    headers.set("Accept", "application/json").map_err(failed)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    // `variant_id` is digits the widget wrote itself, so it is a valid JSON number.
    init.set_body(&format!("{{\"items\":[{{\"id\":{variant_id},\"quantity\":1}}]}}").into());
    let window = web_sys::window().ok_or(GENERIC_FAILURE)?;
    let response: Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.unchecked_into();
    if response.ok() {
        return Ok(());
    }
    let body = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED),
        Err(_) => JsValue::UNDEFINED,
    };
    Err(get(&body, "description")
        .as_string()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| GENERIC_FAILURE.into()))
}
