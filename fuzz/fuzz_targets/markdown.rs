//! The widget's markdown renderer on arbitrary (untrusted) text: parsing and flattening must never panic, and no
//! link it accepts may carry a script scheme.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quincer_widget::markdown::{parse, safe_href, to_plain_text};

fuzz_target!(|text: &str| {
    let blocks = parse(text);
    let _ = to_plain_text(&blocks);
    if let Some(href) = safe_href(text) {
        let scheme = href.trim_start().to_ascii_lowercase();
        for bad in ["javascript:", "data:", "vbscript:"] {
            assert!(!scheme.starts_with(bad), "safe_href accepted {href:?}");
        }
    }
});
