//! The offline responder's words for product questions: one sentence leading into the product panel, the closest
//! products when nothing fits every condition (saying which condition gave), or an honest "we don't carry that".
//!
//! The sentence names what was understood in the catalog's own words (the kind of product and every condition:
//! "jackets in blue under $150"), never the visitor's phrase echoed back, so a visitor can tell at once when a
//! question was misread.

use crate::catalog::answer::Relaxed;
use crate::catalog::query::decimal;
use crate::catalog::{ProductMatches, ProductQuery};

/// A price for prose: `$150`, `$149.99`, `€80`, `1200 CHF`.
pub fn money(cents: i64, currency: &str) -> String {
    let amount = if cents % 100 == 0 { (cents / 100).to_string() } else { decimal(cents) };
    match currency {
        "USD" => format!("${amount}"),
        "EUR" => format!("€{amount}"),
        "GBP" => format!("£{amount}"),
        "JPY" => format!("¥{amount}"),
        other => format!("{amount} {other}"),
    }
}

/// `jacket` → `jackets`; words already ending in `s` stay.
fn plural(word: &str) -> String {
    let vowel_before_y = word.chars().rev().nth(1).is_some_and(|c| "aeiou".contains(c));
    if let Some(stem) = word.strip_suffix("ife").or_else(|| word.strip_suffix("elf")) {
        // knife → knives, shelf → shelves.
        return if word.ends_with("ife") { format!("{stem}ives") } else { format!("{stem}elves") };
    }
    if word.ends_with('s') {
        word.to_owned()
    } else if word.ends_with('y') && !vowel_before_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if word.ends_with("ch") || word.ends_with("sh") || word.ends_with('x') || word.ends_with('z') {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// `jackets` → `jacket`, `hoodies` → `hoodie`, `beanies` → `beanie`, `boxes` → `box`.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ives").filter(|s| s.ends_with('n') || s.ends_with('l') || s.ends_with('w')) {
        return format!("{stem}ife");
    }
    if let Some(stem) = word.strip_suffix("elves") {
        return format!("{stem}elf");
    }
    for suffix in ["ches", "shes", "xes", "sses"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !stem.is_empty() => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// The conditions of `q` as a phrase: `in blue in size M for 4 people on sale under $150`.
fn conditions(q: &ProductQuery, currency: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    if !q.colors.is_empty() {
        out.push(format!("in {}", q.colors.join(" or ")));
    }
    if !q.sizes.is_empty() {
        out.push(format!("in size {}", q.sizes.join(" or ")));
    }
    if let Some(c) = q.capacity {
        out.push(format!("for {c}"));
    }
    if !q.exclude.is_empty() {
        out.push(format!("without {}", q.exclude.join(" or ")));
    }
    if q.on_sale {
        out.push("on sale".into());
    }
    if q.in_stock {
        out.push("in stock".into());
    }
    match (q.min_cents, q.max_cents) {
        (Some(min), Some(max)) if q.around => out.push(format!("around {}", money(min / 2 + max / 2, currency))),
        (Some(min), Some(max)) => out.push(format!("between {} and {}", money(min, currency), money(max, currency))),
        (Some(min), None) => out.push(format!("over {}", money(min, currency))),
        (None, Some(max)) => out.push(format!("under {}", money(max, currency))),
        (None, None) => {}
    }
    out.join(" ")
}

/// What was asked for, for `count` products, in the catalog's words: `3 jackets in blue under $150`.
fn described(m: &ProductMatches, count: usize) -> String {
    let noun = match &m.kind {
        Some(kind) if count == 1 => singular(kind),
        Some(kind) => plural(&singular(kind)),
        None if count == 1 => "option".to_owned(),
        None => "options".to_owned(),
    };
    let conditions = conditions(&m.query, &m.currency);
    if conditions.is_empty() {
        noun
    } else {
        format!("{noun} {conditions}")
    }
}

/// How an answer names a condition given up (also for a model's instructions).
pub fn condition_name(relaxed: Relaxed) -> &'static str {
    match relaxed {
        Relaxed::Color => "colour",
        Relaxed::Size => "size",
        Relaxed::Capacity => "capacity",
        Relaxed::Price => "price",
        Relaxed::Sale => "sale",
        Relaxed::Stock => "availability",
        Relaxed::Exclude => "exclusion",
    }
}

/// The lead-in to products that fit every condition but `relaxed`.
fn closest(m: &ProductMatches, relaxed: Relaxed) -> String {
    let q = &m.query;
    let kinds = m.kind.as_deref().map_or_else(|| "products".to_owned(), |k| plural(&singular(k)));
    let wanted = conditions(q, &m.currency);
    let none = if wanted.is_empty() {
        format!("I couldn't find any {kinds}.")
    } else {
        format!("I couldn't find any {kinds} {wanted}.")
    };
    let instead = match relaxed {
        Relaxed::Color => "Here are the closest in other colours:".to_owned(),
        Relaxed::Size => "Here are the closest in other sizes:".to_owned(),
        Relaxed::Capacity => "Here are the closest, for a different number:".to_owned(),
        Relaxed::Price => match q.max_cents {
            Some(max) => format!("The closest are just above {}:", money(max, &m.currency)),
            None => "Here are the closest at other prices:".to_owned(),
        },
        Relaxed::Sale => "Here are the closest at full price:".to_owned(),
        Relaxed::Stock => "Here are the closest, currently sold out:".to_owned(),
        Relaxed::Exclude => format!("Everything close has {}; here it is anyway:", q.exclude.join(" or ")),
    };
    format!("{none} {instead}")
}

/// The text of a product answer (without the persona's introduction).
pub fn compose(m: &ProductMatches) -> String {
    let count = m.products.len();
    if m.not_sold {
        let mut out = "Sorry, that's not something we carry.".to_owned();
        if !m.store_types.is_empty() {
            let types: Vec<String> = m.store_types.iter().map(|t| t.to_lowercase()).collect();
            let list = match types.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => types.join(""),
            };
            out.push_str(&format!(" Our range is mostly {list}."));
        }
        out.push_str(" Is there something else I can help you find?");
        return out;
    }
    if count == 0 {
        let wanted = conditions(&m.query, &m.currency);
        let what = match &m.kind {
            Some(kind) => plural(&singular(kind)),
            None => "anything".to_owned(),
        };
        let what = if wanted.is_empty() { what } else { format!("{what} {wanted}") };
        return format!(
            "I couldn't find {} right now. Would you like me to look for something else?",
            if m.kind.is_some() { format!("any {what}") } else { what }
        );
    }
    if let Some(relaxed) = m.relaxed {
        return closest(m, relaxed);
    }
    let q = &m.query;
    let what = described(m, count);
    let order = if q.cheap {
        ", cheapest first"
    } else if q.expensive {
        ", most expensive first"
    } else {
        ""
    };
    let lead = if count == 1 { format!("Here's 1 {what}{order}:") } else { format!("Here are {count} {what}{order}:") };
    if m.ignored.is_empty() {
        lead
    } else {
        let ignored: Vec<String> = m.ignored.iter().map(|w| format!("“{w}”")).collect();
        format!(
            "Nothing in our catalog mentions {}, but {}",
            ignored.join(" or "),
            lead[..1].to_lowercase() + &lead[1..]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::query::parse;
    use crate::catalog::StoredProduct;

    fn product(title: &str, price: &str) -> StoredProduct {
        StoredProduct::simple(title, price, "https://s.test/products/h")
    }

    fn matches(question: &str, kind: Option<&str>, n: usize) -> ProductMatches {
        let mut m = ProductMatches::new(parse(question), "USD".into(), vec![product("Storm Shell", "129.00"); n]);
        m.kind = kind.map(Into::into);
        m
    }

    #[test]
    fn names_what_was_understood_in_catalog_words() {
        assert_eq!(
            compose(&matches("do you have a waterproof jacket under $150?", Some("jacket"), 3)),
            "Here are 3 jackets under $150:"
        );
        assert_eq!(
            compose(&matches("show me navy fleeces in size M", Some("fleece"), 1)),
            "Here's 1 fleece in navy in size M:"
        );
        assert_eq!(
            compose(&matches("hiking boots between $100 and $200", Some("boots"), 2)),
            "Here are 2 boots between $100 and $200:"
        );
        assert_eq!(compose(&matches("anything on sale?", None, 4)), "Here are 4 options on sale:");
        assert_eq!(compose(&matches("red or black beanie", Some("beanie"), 2)), "Here are 2 beanies in red or black:");
        assert_eq!(compose(&matches("a tent around $100", Some("tent"), 2)), "Here are 2 tents around $100:");
        assert_eq!(compose(&matches("a tent that sleeps 4", Some("tent"), 1)), "Here's 1 tent for 4 people:");
        assert_eq!(
            compose(&matches("cheap hoodie over $20.50", Some("hoodie"), 2)),
            "Here are 2 hoodies over $20.50, cheapest first:"
        );
        let warm = compose(&matches("I need a warm jacket for winter, under $200", Some("jacket"), 3));
        assert_eq!(warm, "Here are 3 jackets under $200:", "the visitor's words are not echoed");
    }

    #[test]
    fn says_what_it_ignored() {
        let mut m = matches("do you have unicorn jackets?", Some("jackets"), 2);
        m.ignored = vec!["unicorn".into()];
        assert_eq!(compose(&m), "Nothing in our catalog mentions “unicorn”, but here are 2 jackets:");
    }

    #[test]
    fn relaxed_answers_say_which_condition_gave() {
        let mut m = matches("blue rain jacket under $100", Some("jacket"), 2);
        m.relaxed = Some(Relaxed::Color);
        assert_eq!(
            compose(&m),
            "I couldn't find any jackets in blue under $100. Here are the closest in other colours:"
        );
        m.relaxed = Some(Relaxed::Price);
        assert!(compose(&m).ends_with("The closest are just above $100:"), "{}", compose(&m));
        m.currency = "CHF".into();
        assert!(compose(&m).contains("under 100 CHF"));
    }

    #[test]
    fn not_sold_is_honest_without_a_panel() {
        let mut m = matches("Do you have any ski goggles?", None, 0);
        m.not_sold = true;
        m.store_types = vec!["Rain Jackets".into(), "Fleece".into(), "Tents".into()];
        assert_eq!(
            compose(&m),
            "Sorry, that's not something we carry. Our range is mostly rain jackets, fleece and tents. Is there something else I can help you find?"
        );
        let none = matches("anything on sale in purple?", None, 0);
        assert_eq!(
            compose(&none),
            "I couldn't find anything in purple on sale right now. Would you like me to look for something else?"
        );
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("café"), "cafés");
        assert_eq!(
            (plural("jacket"), plural("boots"), plural("hoody"), plural("day"), plural("watch")),
            ("jackets".into(), "boots".into(), "hoodies".into(), "days".into(), "watches".into())
        );
        assert_eq!(
            (plural("knife"), singular("knives"), plural("shelf"), singular("shelves")),
            ("knives".into(), "knife".into(), "shelves".into(), "shelf".into())
        );
        assert_eq!(
            (singular("jackets"), singular("beanies"), singular("boxes"), singular("dress"), singular("glasses")),
            ("jacket".into(), "beanie".into(), "box".into(), "dress".into(), "glass".into())
        );
    }
}
