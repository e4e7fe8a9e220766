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

use crate::i18n::t;

/// Interface key of the message for a failure the store did not explain.
const GENERIC_FAILURE: &str = "cart.failed";

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
    // Both ways start with one promise: the theme action's result, or the Ajax API's response.
    let (actions, started) = start(variant_id).ok_or_else(|| t(GENERIC_FAILURE))?;
    let result = JsFuture::from(started).await.map_err(|_| t(GENERIC_FAILURE))?;
    let failure = match result.dyn_into::<Response>() {
        Ok(response) if response.ok() => None,
        Ok(response) => {
            let body = match response.json() {
                Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED),
                Err(_) => JsValue::UNDEFINED,
            };
            Some(get(&body, "description"))
        }
        Err(result) => {
            let errors = get(&result, "userErrors");
            (Array::is_array(&errors) && Array::from(&errors).length() > 0)
                .then(|| get(&Array::from(&errors).get(0), "message"))
        }
    };
    if let Some(reason) = failure {
        return Err(reason.as_string().filter(|r| !r.trim().is_empty()).unwrap_or_else(|| t(GENERIC_FAILURE)));
    }
    // Showing the cart is the theme's business (only the actions way has it); its outcome does not undo the add.
    if let Some(open) = get(&actions, "openCart").dyn_ref::<Function>() {
        let _ = open.call0(&actions);
    }
    Ok(())
}

/// Starts adding: `Shopify.actions.updateCart({lines: [...]})` when the theme has it, else
/// `POST {Shopify.routes.root}cart/add.js` with `{"items": [{"id": <variant>, "quantity": 1}]}`.
fn start(variant_id: &str) -> Option<(JsValue, Promise)> {
    let shopify = shopify()?;
    let actions = get(&shopify, "actions");
    if let Some(update) = get(&actions, "updateCart").dyn_ref::<Function>() {
        let line = Object::new();
        let _ =
            Reflect::set(&line, &"merchandiseId".into(), &format!("gid://shopify/ProductVariant/{variant_id}").into());
        let _ = Reflect::set(&line, &"quantity".into(), &1.into());
        let request = Object::new();
        let _ = Reflect::set(&request, &"lines".into(), &Array::of1(&line));
        // `resolve` also accepts a theme's action that returns a plain value instead of a promise.
        return Some((actions.clone(), Promise::resolve(&update.call1(&actions, &request).ok()?)));
    }
    let root = get(&get(&shopify, "routes"), "root").as_string().unwrap_or_else(|| "/".into());
    let separator = if root.ends_with('/') { "" } else { "/" };
    let headers = Headers::new().ok()?;
    headers.set("Content-Type", "application/json").ok()?;
    headers.set("Accept", "application/json").ok()?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    // `variant_id` is digits the widget wrote itself, so it is a valid JSON number.
    init.set_body(&format!("{{\"items\":[{{\"id\":{variant_id},\"quantity\":1}}]}}").into());
    let fetched = web_sys::window()?.fetch_with_str_and_init(&format!("{root}{separator}cart/add.js"), &init);
    Some((JsValue::UNDEFINED, fetched))
}
