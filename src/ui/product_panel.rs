//! The product panel: a horizontally scrolling carousel of product cards under an answer.
//!
//! Built with plain DOM calls, like the markdown view (one generic helper instead of a Leptos element type per tag),
//! and every product string is set with `textContent` or as an attribute value, never as markup; links and images
//! only take `http(s)` URLs ([`crate::products::http_url`]). The DOM holds the card state (the chosen options are
//! the `<select>` values, the chosen variant is the button's `data-variant`), and one delegated listener on the
//! widget's container ([`super::delegate`]) serves every card of every panel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quincer_protocol::products::{ProductCard, ProductPanel};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

use crate::cart;
use crate::chat::{ChatMessage, Session};
use crate::host_api::{emit, event};
use crate::i18n::{fill, t};
use crate::products::{find_variant, http_url, initial_variant, view_of};

/// Appends the cards of `panel` to `bubble`, once (later calls find them there and do nothing).
pub fn show_once(bubble: &Element, panel: &ProductPanel, locale: &str) {
    if bubble.query_selector(".products").ok().flatten().is_some() {
        return;
    }
    let Some(doc) = bubble.owner_document() else { return };
    if let Some(el) = child(&doc, bubble, "div", "products") {
        attrs(&el, &[("role", "region"), ("aria-label", &t("products.label")), ("data-testid", "quincer-products")]);
        render(&el, panel, locale);
    }
}

/// A `click` or `change` on `target` inside the widget's container (from [`super::delegate`]): previous / next,
/// an option chosen (the card's panel is found in `messages`, its prices formatted in the `session`'s locale), add
/// to cart.
pub fn handle(kind: &str, target: &Element, messages: RwSignal<Vec<ChatMessage>>, session: StoredValue<Session>) {
    let Some(li) = target.closest("li.card").ok().flatten() else {
        if let Ok(Some(nav)) = target.closest("button.nav") {
            scroll(&nav);
        }
        return;
    };
    if kind == "change" {
        choose(&li, messages, session);
    } else if let Ok(Some(button)) = target.closest("button.add") {
        add_to_cart(button, li);
    }
}

/// Previous / next: about one card at a time, towards the start or the end of the line (leftwards for "next"
/// when the panel reads right to left).
fn scroll(nav: &Element) {
    let forward = nav.class_list().contains("prev") == crate::i18n::language().1;
    let step = if forward { 164.0 } else { -164.0 };
    if let Some(list) = nav.parent_element().and_then(|p| p.query_selector("ul").ok().flatten()) {
        list.scroll_by_with_x_and_y(step, 0.0);
    }
}

/// Appends `<tag class=…>` to `parent` (also the header's agent photo).
pub(super) fn child(doc: &Document, parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let el = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    parent.append_child(&el).ok()?;
    Some(el)
}

/// Sets several attributes.
pub(super) fn attrs(el: &Element, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        let _ = el.set_attribute(k, v);
    }
}

/// Draws the whole panel into `into`.
fn render(into: &Element, panel: &ProductPanel, locale: &str) {
    let Some(doc) = into.owner_document() else { return };
    into.set_text_content(None);
    let on_shopify = cart::available();
    let nav = |class: &str, label: &str, glyph: &str| {
        if let Some(b) = child(&doc, into, "button", class) {
            attrs(&b, &[("type", "button"), ("aria-label", label)]);
            b.set_text_content(Some(glyph));
        }
    };
    nav("nav prev", &t("products.previous"), "‹");
    let Some(list) = child(&doc, into, "ul", "cards") else { return };
    nav("nav next", &t("products.next"), "›");
    let count = panel.products.len();
    for (i, card) in panel.products.iter().enumerate() {
        let Some(li) = child(&doc, &list, "li", "card") else { continue };
        attrs(
            &li,
            &[
                ("data-testid", "quincer-product-card"),
                ("data-index", &i.to_string()),
                ("data-product", &card.id.to_string()),
                (
                    "aria-label",
                    &fill(
                        "products.position",
                        &[("title", &card.title), ("index", &(i + 1).to_string()), ("total", &count.to_string())],
                    ),
                ),
            ],
        );
        card_body(&doc, &li, card, on_shopify);
        show(&li, card, Some(initial_variant(card)), &panel.currency, locale);
    }
}

/// The parts of one card that do not depend on the chosen variant.
fn card_body(doc: &Document, li: &Element, card: &ProductCard, on_shopify: bool) {
    if let Some(media) = child(doc, li, "div", "media") {
        // Filled by `show_variant`: an <img>, or a placeholder when there is no usable image.
        let _ = media.set_attribute("aria-hidden", "true");
    }
    if let Some(title) = child(doc, li, "p", "title") {
        title.set_text_content(Some(&card.title));
    }
    if let Some(price) = child(doc, li, "p", "price") {
        if let Some(now) = child(doc, &price, "span", "now") {
            let _ = now.set_attribute("data-testid", "quincer-product-price");
        }
        if let Some(was) = child(doc, &price, "s", "was") {
            let _ = was.set_attribute("data-testid", "quincer-product-compare");
        }
    }
    // One select per option, in option order (`show` and `choose` rely on it).
    for option in &card.options {
        let Some(label) = child(doc, li, "label", "opt") else { continue };
        if let Some(name) = child(doc, &label, "span", "") {
            name.set_text_content(Some(&option.name));
        }
        let Some(select) = child(doc, &label, "select", "") else { continue };
        let _ = select.set_attribute("data-testid", "quincer-product-option");
        for value in &option.values {
            if let Some(o) = child(doc, &select, "option", "") {
                o.set_text_content(Some(value));
                let _ = o.set_attribute("value", value);
            }
        }
    }
    let Some(actions) = child(doc, li, "div", "actions") else { return };
    let url = http_url(&card.url);
    if let (Some(url), Some(view)) = (url, child(doc, &actions, "a", if on_shopify { "view" } else { "view primary" }))
    {
        attrs(
            &view,
            &[
                ("href", url),
                ("target", "_blank"),
                ("rel", "noopener noreferrer"),
                ("data-testid", "quincer-product-view"),
            ],
        );
        let visible = t(if on_shopify { "products.view" } else { "products.view_product" });
        view.set_text_content(Some(&visible));
        // The accessible name starts with the visible text (WCAG 2.5.3, label in name), then says which product.
        let _ = view.set_attribute("aria-label", &format!("{visible}: {}", card.title));
    }
    if on_shopify {
        if let Some(add) = child(doc, &actions, "button", "add") {
            attrs(&add, &[("type", "button"), ("data-testid", "quincer-add-to-cart")]);
        }
    }
    if let Some(status) = child(doc, li, "p", "status") {
        attrs(&status, &[("role", "status"), ("data-testid", "quincer-cart-status")]);
    }
}

/// Updates a card for variant `index`, or for a combination the store does not sell (`None`).
fn show(li: &Element, card: &ProductCard, index: Option<usize>, currency: &str, locale: &str) {
    let Some(doc) = li.owner_document() else { return };
    let find = |sel: &str| li.query_selector(sel).ok().flatten();
    let variant = index.and_then(|i| card.variants.get(i));
    // Selects follow the variant (they start at the preselected one).
    if let (Some(v), Ok(selects)) = (variant, li.query_selector_all("select")) {
        for (n, value) in v.options.iter().enumerate() {
            if let Some(select) = selects.item(n as u32) {
                let _ = js_sys::Reflect::set(&select, &"value".into(), &JsValue::from_str(value));
            }
        }
    }
    let view = variant.map(|v| view_of(card, v));
    if let Some(media) = find(".media") {
        let src = view.as_ref().and_then(|v| v.image).or(card.image.as_ref().filter(|i| http_url(&i.src).is_some()));
        media.set_text_content(None);
        match src.and_then(|img| Some((img, child(&doc, &media, "img", "")?))) {
            Some((img, el)) => {
                attrs(&el, &[("src", img.src.trim()), ("alt", &img.alt), ("loading", "lazy"), ("decoding", "async")]);
                if let (Some(w), Some(h)) = (img.width, img.height) {
                    attrs(&el, &[("width", &w.to_string()), ("height", &h.to_string())]);
                }
                let _ = media.remove_attribute("aria-hidden");
            }
            None => {
                // Placeholder: the title's first letter on a tinted square.
                if let Some(ph) = child(&doc, &media, "span", "ph") {
                    ph.set_text_content(Some(&card.title.chars().next().map(String::from).unwrap_or_default()));
                }
                let _ = media.set_attribute("aria-hidden", "true");
            }
        }
    }
    if let Some(now) = find(".now") {
        now.set_text_content(Some(&view.as_ref().map(|v| money(v.price, currency, locale)).unwrap_or_default()));
    }
    if let Some(was) = find(".was") {
        let compare = view.as_ref().and_then(|v| v.compare_at);
        was.set_text_content(compare.map(|c| money(c, currency, locale)).as_deref());
        let _ = if compare.is_some() { was.remove_attribute("hidden") } else { was.set_attribute("hidden", "") };
        li.class_list().toggle_with_force("sale", compare.is_some()).ok();
    }
    let available = view.as_ref().is_some_and(|v| v.available);
    li.class_list().toggle_with_force("soldout", !available).ok();
    if let Some(add) = find(".add") {
        let label = match (&view, available) {
            (None, _) => t("products.unavailable"),
            (Some(_), false) => t("products.sold_out"),
            (Some(_), true) => t("products.add"),
        };
        add.set_text_content(Some(&label));
        let _ = add.set_attribute("aria-label", &format!("{label}: {}", card.title));
        let _ = if available { add.remove_attribute("disabled") } else { add.set_attribute("disabled", "") };
        match &view {
            Some(v) => add.set_attribute("data-variant", &v.variant_id.to_string()),
            None => add.remove_attribute("data-variant"),
        }
        .ok();
    }
    if let Some(status) = find(".status") {
        status.set_text_content(None);
    }
}

/// The visitor changed an option: show the variant with the chosen values.
fn choose(li: &Element, messages: RwSignal<Vec<ChatMessage>>, session: StoredValue<Session>) {
    // The panel is the one of the message this card is in.
    let key = li.closest(".msg").ok().flatten().and_then(|m| m.get_attribute("data-key")).unwrap_or_default();
    let Some(slot) = messages.with_untracked(|m| Some(m.iter().find(|m| m.key == key)?.products.clone())) else {
        return;
    };
    let Some(panel) = slot.get() else { return };
    let Some(card) =
        li.get_attribute("data-index").and_then(|i| i.parse::<usize>().ok()).and_then(|i| panel.products.get(i))
    else {
        return;
    };
    let Ok(selects) = li.query_selector_all("select") else { return };
    let chosen: Vec<String> = (0..selects.length())
        .filter_map(|i| selects.item(i))
        .filter_map(|s| js_sys::Reflect::get(&s, &"value".into()).ok()?.as_string())
        .collect();
    let locale = session.with_value(|s| s.locale.clone());
    show(li, card, find_variant(card, &chosen), &panel.currency, &locale);
}

/// Adds the card's chosen variant to the store's cart and says how it went.
fn add_to_cart(button: Element, li: Element) {
    let Some(variant) = button.get_attribute("data-variant") else { return };
    let product = li.get_attribute("data-product").unwrap_or_default();
    let status = li.query_selector(".status").ok().flatten();
    let label = button.text_content().unwrap_or_default();
    let _ = button.set_attribute("disabled", "");
    button.set_text_content(Some(&t("products.adding")));
    spawn_local(async move {
        let result = cart::add(&variant).await;
        let _ = button.remove_attribute("disabled");
        button.set_text_content(Some(&label));
        let message = match &result {
            Ok(()) => t("products.added"),
            Err(reason) => reason.clone(),
        };
        if let Some(status) = status {
            status.set_text_content(Some(&message));
            status.class_list().toggle_with_force("failed", result.is_err()).ok();
        }
        if result.is_ok() {
            // Ids are decimal strings here: JSON numbers would be rounded above 2^53, strings never are.
            emit(
                event::ADD_TO_CART,
                &[("product_id", product.into()), ("variant_id", variant.into()), ("quantity", 1.into())],
            );
        }
    });
}

/// `price` (a decimal string) in `currency`, formatted for `locale` by the browser; the plain amount and code if
/// the browser cannot (a malformed currency or locale makes `Intl.NumberFormat` throw).
fn money(price: &str, currency: &str, locale: &str) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = js_sys::Reflect::set(&options, &"currency".into(), &currency.into());
    let locales = js_sys::Array::new();
    if !locale.is_empty() {
        locales.push(&locale.into());
    }
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).unwrap_or(JsValue::UNDEFINED);
    let constructor = js_sys::Reflect::get(&intl, &"NumberFormat".into()).unwrap_or(JsValue::UNDEFINED);
    // `Reflect.construct` reports the constructor's exception instead of trapping; a string argument to `format`
    // keeps the decimal exact (no float rounding of the store's price).
    constructor
        .dyn_ref::<js_sys::Function>()
        .and_then(|c| js_sys::Reflect::construct(c, &js_sys::Array::of2(&locales, &options)).ok())
        .and_then(|f| {
            f.unchecked_into::<js_sys::Intl::NumberFormat>().format().call1(&JsValue::UNDEFINED, &price.into()).ok()
        })
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{price} {currency}"))
}
