//! The widget's interface strings and the choice of the visitor's language.
//!
//! The strings are data, not code: one JSON file per language in `i18n/` at the repository root (see its README),
//! compiled into the server and sent to the widget with its session, so a language costs the widget's wasm
//! nothing. The visitor's language is, in this order: the host page's `Quincer('setLocale')`, the widget's
//! `interface_locale` setting (unless `auto`), the browser's languages, the widget's own `locale`. The strings are
//! those of the first of these the widget is translated into, else English.

use std::sync::OnceLock;

use quincer_protocol::session::WidgetInterface;
use serde_json::{Map, Value};

use crate::locale;

/// Every language file, by language subtag. English first: it is the reference and the last resort.
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.json")),
    ("fr", include_str!("../../i18n/fr.json")),
    ("de", include_str!("../../i18n/de.json")),
    ("es", include_str!("../../i18n/es.json")),
    ("pt", include_str!("../../i18n/pt.json")),
    ("it", include_str!("../../i18n/it.json")),
    ("nl", include_str!("../../i18n/nl.json")),
    ("ja", include_str!("../../i18n/ja.json")),
    ("zh", include_str!("../../i18n/zh.json")),
    ("ko", include_str!("../../i18n/ko.json")),
    ("ar", include_str!("../../i18n/ar.json")),
    ("he", include_str!("../../i18n/he.json")),
];

/// Browser languages read from a request's `Accept-Language`; more are ignored.
pub const MAX_BROWSER_LANGUAGES: usize = 10;

/// The languages of an `Accept-Language` header, most preferred first (by `q`, then by order); `*` and languages
/// with `q=0` are left out.
pub fn accept_language(header: &str) -> Vec<String> {
    let mut ranked: Vec<(u16, String)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q =
                parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            // Thousandths, so the sort is on integers.
            let q = (q.clamp(0.0, 1.0) * 1000.0) as u16;
            (q > 0 && !tag.is_empty() && tag != "*").then(|| (q, tag.to_owned()))
        })
        .take(MAX_BROWSER_LANGUAGES * 2)
        .collect();
    // Stable: equal weights keep the header's order.
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    ranked.into_iter().map(|(_, tag)| tag).take(MAX_BROWSER_LANGUAGES).collect()
}

/// One language's file, parsed.
#[derive(Debug)]
struct Language {
    code: &'static str,
    direction: String,
    strings: Map<String, Value>,
}

/// The parsed files (parsed once; a malformed file is a build defect the tests catch).
fn languages() -> &'static [Language] {
    static TABLE: OnceLock<Vec<Language>> = OnceLock::new();
    TABLE.get_or_init(|| {
        FILES
            .iter()
            .map(|(code, text)| {
                let mut strings: Map<String, Value> = serde_json::from_str(text).expect("i18n files are JSON objects");
                let direction = strings.get("$direction").and_then(Value::as_str).unwrap_or("ltr").to_owned();
                // `$`-keys describe the file; the widget gets only its text.
                strings.retain(|k, _| !k.starts_with('$'));
                Language { code, direction, strings }
            })
            .collect()
    })
}

/// The translation for `tag`'s language, if there is one (`fr-CA` → French; `iw`, Hebrew's old code, too).
fn find(tag: &str) -> Option<&'static Language> {
    let language = match locale::language(tag).as_str() {
        "iw" => "he".to_owned(),
        l => l.to_owned(),
    };
    languages().iter().find(|l| l.code == language)
}

/// The visitor's language and the interface for it.
///
/// `host` is the host page's `setLocale`, `setting` the widget's `interface_locale` (`auto` to follow the visitor),
/// `browser` the browser's languages, `widget_locale` the widget's own language. Tags are taken as given (the
/// callers canonicalise them); an invalid browser language is skipped.
pub fn resolve(host: Option<&str>, setting: &str, browser: &[String], widget_locale: &str) -> WidgetInterface {
    let setting = Some(setting).filter(|s| *s != "auto");
    let browser = browser.iter().take(MAX_BROWSER_LANGUAGES).filter_map(|t| locale::canonical(t));
    let candidates: Vec<String> =
        host.into_iter().chain(setting).map(str::to_owned).chain(browser).chain([widget_locale.to_owned()]).collect();
    // The visitor's language is the first candidate even when there are no strings for it: an agent's reply can
    // still be translated into it.
    let visitor_locale = candidates.first().cloned().unwrap_or_else(|| "en".into());
    let language = candidates.iter().find_map(|t| find(t)).unwrap_or(&languages()[0]);
    interface(visitor_locale, language)
}

fn interface(visitor_locale: String, language: &Language) -> WidgetInterface {
    WidgetInterface {
        visitor_locale,
        locale: language.code.to_owned(),
        direction: language.direction.clone(),
        strings: language.strings.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(l: &Language) -> BTreeSet<&str> {
        l.strings.keys().map(String::as_str).collect()
    }

    /// `{name}`-style placeholders of a value (of every plural form), sorted and deduplicated.
    fn placeholders(v: &Value) -> BTreeSet<String> {
        let texts: Vec<&str> = match v {
            Value::String(s) => vec![s],
            Value::Object(forms) => forms.values().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        texts
            .iter()
            .flat_map(|t| t.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned())))
            .collect()
    }

    #[test]
    fn every_language_has_every_string_with_the_same_placeholders() {
        let english = &languages()[0];
        assert_eq!(languages().len(), 12);
        for l in languages() {
            let missing: Vec<_> = keys(english).difference(&keys(l)).copied().collect();
            let extra: Vec<_> = keys(l).difference(&keys(english)).copied().collect();
            assert!(missing.is_empty(), "{}.json lacks {missing:?}", l.code);
            assert!(extra.is_empty(), "{}.json has keys English does not: {extra:?}", l.code);
            for (key, value) in &l.strings {
                match value {
                    Value::String(s) => assert!(!s.trim().is_empty(), "{}.json: {key} is empty", l.code),
                    Value::Object(forms) => {
                        assert!(forms.contains_key("other"), "{}.json: {key} has no `other` form", l.code);
                        assert!(forms.values().all(|f| f.as_str().is_some_and(|s| !s.is_empty())));
                    }
                    _ => panic!("{}.json: {key} is neither text nor plural forms", l.code),
                }
                assert_eq!(placeholders(value), placeholders(&english.strings[key]), "{}.json: {key}", l.code);
            }
            let rtl = l.code == "ar" || l.code == "he";
            assert_eq!(l.direction, if rtl { "rtl" } else { "ltr" }, "{}.json", l.code);
        }
    }

    #[test]
    fn accept_language_is_read_in_order_of_preference() {
        assert_eq!(accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), ["fr-CH", "fr", "en", "de"]);
        assert_eq!(accept_language("en;q=0.2,ar-EG, he;q=0 ,ja;q=0.5"), ["ar-EG", "ja", "en"]);
        assert_eq!(accept_language("de;q=x, nl"), ["nl"]);
        assert!(accept_language("").is_empty());
    }

    #[test]
    fn the_host_page_wins_then_the_setting_then_the_browser() {
        let browser = vec!["de-AT".to_owned(), "en".to_owned()];
        let i = resolve(Some("ja"), "fr", &browser, "en");
        assert_eq!((i.visitor_locale.as_str(), i.locale.as_str()), ("ja", "ja"));
        let i = resolve(None, "fr", &browser, "en");
        assert_eq!((i.visitor_locale.as_str(), i.locale.as_str()), ("fr", "fr"));
        let i = resolve(None, "auto", &browser, "en");
        assert_eq!((i.visitor_locale.as_str(), i.locale.as_str(), i.direction.as_str()), ("de-AT", "de", "ltr"));
        let i = resolve(None, "auto", &[], "nl-BE");
        assert_eq!((i.visitor_locale.as_str(), i.locale.as_str()), ("nl-BE", "nl"));
    }

    #[test]
    fn an_untranslated_language_is_still_the_visitors_and_the_next_translated_one_is_shown() {
        let i = resolve(Some("ru"), "auto", &["uk".to_owned(), "ar-EG".to_owned()], "en");
        assert_eq!((i.visitor_locale.as_str(), i.locale.as_str(), i.direction.as_str()), ("ru", "ar", "rtl"));
        let i = resolve(None, "auto", &["sw".to_owned(), "not a tag".to_owned()], "tlh");
        assert_eq!((i.visitor_locale.as_str(), i.locale.as_str()), ("sw", "en"));
        assert_eq!(resolve(None, "auto", &["iw-IL".into()], "en").locale, "he");
        assert!(!resolve(None, "auto", &[], "en").strings.contains_key("$direction"));
    }
}
