//! The widget's interface text (labels, buttons, system lines, errors) in the visitor's language.
//!
//! The text is data, not code: the server sends one language's strings with the session, and again with a new
//! session answer in the asked language when the host page calls `setLocale` ([`crate::language::switch`]; see
//! `i18n/` at the repository root). They are kept as the JavaScript object the browser parsed, so no language,
//! English included, costs the wasm a byte.
//! Placeholders (`{name}`) are filled in here, always as text.

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// The interface language in use.
struct Current {
    /// Key → text, or key → plural forms (an object keyed by `Intl.PluralRules` category).
    strings: JsValue,
    /// The language of `strings` (for plural rules).
    locale: String,
    /// Right-to-left (Arabic, Hebrew).
    rtl: bool,
}

thread_local! {
    static CURRENT: RefCell<Current> =
        const { RefCell::new(Current { strings: JsValue::UNDEFINED, locale: String::new(), rtl: false }) };
}

/// Makes `strings` (in `locale`, written `direction`) the interface's text.
pub fn install(strings: JsValue, locale: &str, direction: &str) {
    CURRENT.with_borrow_mut(|c| *c = Current { strings, locale: locale.to_owned(), rtl: direction == "rtl" });
}

/// The language of the interface text and whether it reads right to left.
pub fn language() -> (String, bool) {
    CURRENT.with_borrow(|c| (c.locale.clone(), c.rtl))
}

/// The value of `key`: text, plural forms, or `undefined`.
fn lookup(key: &str) -> JsValue {
    CURRENT.with_borrow(|c| Reflect::get(&c.strings, &key.into()).unwrap_or(JsValue::UNDEFINED))
}

/// The text of `key`; the key itself if the strings lack it (a test keeps every language complete), so a message
/// that is already text (a server's error) passes through unchanged.
pub fn t(key: &str) -> String {
    lookup(key).as_string().unwrap_or_else(|| key.to_owned())
}

/// The text of `key` with its placeholders filled in.
pub fn fill(key: &str, args: &[(&str, &str)]) -> String {
    fill_in(&t(key), args)
}

/// The form of `key` for the number `n` (the language's plural rules pick it), with `{count}` filled in.
pub fn count(key: &str, n: u32) -> String {
    let forms = lookup(key);
    let rules = js_sys::Intl::PluralRules::new(&js_sys::Array::of1(&language().0.into()), &js_sys::Object::new());
    let form = |category: JsValue| Reflect::get(&forms, &category).ok().and_then(|v| v.as_string());
    let text = form(rules.select(f64::from(n)).into()).or_else(|| form("other".into()));
    fill_in(&text.unwrap_or_else(|| key.to_owned()), &[("count", &n.to_string())])
}

/// `template` with each `{name}` replaced by its value in `args`, in one pass: a value containing braces (a
/// visitor's name) is never read as a placeholder. Unknown placeholders stay as written.
pub fn fill_in(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| args.iter().find(|(k, _)| *k == &after[..close]).map(|a| (close, a.1))) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill_in;

    #[test]
    fn placeholders_are_filled_once_as_text() {
        let args = [("name", "Ada {email}"), ("email", "ada@example.com")];
        assert_eq!(
            fill_in("Thanks, {name}! We'll write to {email}.", &args),
            "Thanks, Ada {email}! We'll write to ada@example.com."
        );
        assert_eq!(fill_in("{unknown} {name", &args), "{unknown} {name");
        assert_eq!(fill_in("شكرًا {name}", &[("name", "عليّ")]), "شكرًا عليّ");
        assert_eq!(fill_in("", &args), "");
    }
}
