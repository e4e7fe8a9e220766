//! Persona URL patterns: arbitrary patterns against arbitrary page URLs. Parsing, matching and choosing must never
//! panic, and must stay fast (libFuzzer's timeout catches exponential matching).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quincer_protocol::session::PersonaPublic;
use quincer_protocol::url_pattern::{choose, PageUrl, UrlPattern};

fuzz_target!(|text: &str| {
    // `pattern\nurl`: the first line is the pattern, the rest the page URL.
    let (pattern, url) = text.split_once('\n').unwrap_or((text, "https://shop.example/"));
    let page = PageUrl::parse(url);
    if let Ok(p) = UrlPattern::parse(pattern) {
        let _ = p.matches(&page);
        let _ = p.specificity();
    }
    let persona = PersonaPublic {
        id: "p1".into(),
        name: "P".into(),
        bubble_color: "#000000".into(),
        on_bubble_color: "#ffffff".into(),
        url_patterns: vec![pattern.to_owned()],
        is_default: false,
        greeting: None,
        avatar_url: None,
        capture_leads: false,
    };
    let _ = choose(&[persona], url);
});
