//! The offline responder's words for product questions: one sentence leading into the product panel, or an honest
//! "couldn't find" (with the closest product above the budget, when there is one).
//!
//! The sentence names every condition the question was understood with ("navy fleeces in size M under $150"), so a
//! visitor can tell at once when a question was misread.

use crate::catalog::query::decimal;
use crate::catalog::{price_cents, ProductMatches, ProductQuery};

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

/// What was asked for, for `count` products: `2 navy fleeces in size M under $150`.
fn described(q: &ProductQuery, keywords: &[String], currency: &str, count: usize) -> String {
    let mut words: Vec<String> =
        q.colors.iter().enumerate().map(|(i, c)| if i == 0 { c.clone() } else { format!("or {c}") }).collect();
    let mut nouns: Vec<String> = keywords.to_vec();
    if nouns.is_empty() {
        nouns.push("product".into());
    }
    if let Some(last) = nouns.last_mut() {
        *last = if count == 1 { singular(last) } else { plural(last) };
    }
    words.extend(nouns);
    let mut out = words.join(" ");
    if !q.sizes.is_empty() {
        out.push_str(&format!(" in size {}", q.sizes.join(" or ")));
    }
    if q.on_sale {
        out.push_str(" on sale");
    }
    if q.in_stock {
        out.push_str(" in stock");
    }
    match (q.min_cents, q.max_cents) {
        (Some(min), Some(max)) if q.around => {
            out.push_str(&format!(" around {}", money(min / 2 + max / 2, currency)));
        }
        (Some(min), Some(max)) => {
            out.push_str(&format!(" between {} and {}", money(min, currency), money(max, currency)))
        }
        (Some(min), None) => out.push_str(&format!(" over {}", money(min, currency))),
        (None, Some(max)) => out.push_str(&format!(" under {}", money(max, currency))),
        (None, None) => {}
    }
    out
}

/// The text of a product answer (without the persona's introduction).
pub fn compose(m: &ProductMatches) -> String {
    let q = &m.query;
    let used: Vec<String> = q.keywords.iter().filter(|w| !m.ignored.contains(w)).cloned().collect();
    let count = m.products.len();
    if count == 0 {
        let mut out = format!("I couldn't find any {} in our catalog.", described(q, &q.keywords, &m.currency, 2));
        if let Some(closest) = &m.closest {
            if let Some(v) = closest.variants.first() {
                let price = price_cents(&v.price).map_or_else(|| v.price.clone(), |c| money(c, &m.currency));
                let title = closest.title.replace(['[', ']'], "");
                if closest.url.starts_with("https://") || closest.url.starts_with("http://") {
                    out.push_str(&format!(" The closest I have is [**{title}**]({}) at {price}.", closest.url));
                } else {
                    out.push_str(&format!(" The closest I have is **{title}** at {price}."));
                }
            }
        }
        out.push_str(" Would you like me to look for something else?");
        return out;
    }
    let what = described(q, &used, &m.currency, count);
    let order = if q.cheap { ", cheapest first" } else { "" };
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

    fn matches(question: &str, n: usize) -> ProductMatches {
        ProductMatches {
            query: parse(question),
            currency: "USD".into(),
            products: vec![product("Storm Shell", "129.00"); n],
            ignored: vec![],
            closest: None,
        }
    }

    #[test]
    fn names_what_was_understood() {
        assert_eq!(
            compose(&matches("do you have a waterproof jacket under $150?", 3)),
            "Here are 3 waterproof jackets under $150:"
        );
        assert_eq!(compose(&matches("show me navy fleeces in size M", 1)), "Here's 1 navy fleece in size M:");
        assert_eq!(
            compose(&matches("hiking boots between $100 and $200", 2)),
            "Here are 2 hiking boots between $100 and $200:"
        );
        assert_eq!(compose(&matches("anything on sale?", 4)), "Here are 4 products on sale:");
        assert_eq!(
            compose(&matches("in stock backpacks under 80 dollars", 2)),
            "Here are 2 backpacks in stock under $80:"
        );
        assert_eq!(compose(&matches("red or black beanie", 2)), "Here are 2 red or black beanies:");
        assert_eq!(compose(&matches("a tent around $100", 2)), "Here are 2 tents around $100:");
        assert_eq!(compose(&matches("cheap hoodie over $20.50", 2)), "Here are 2 hoodies over $20.50, cheapest first:");
    }

    #[test]
    fn says_what_it_ignored() {
        let mut m = matches("do you have unicorn jackets?", 2);
        m.ignored = vec!["unicorn".into()];
        assert_eq!(compose(&m), "Nothing in our catalog mentions “unicorn”, but here are 2 jackets:");
    }

    #[test]
    fn no_match_is_honest_and_offers_the_closest() {
        let mut m = matches("do you have a waterproof jacket under $100?", 0);
        assert_eq!(
            compose(&m),
            "I couldn't find any waterproof jackets under $100 in our catalog. Would you like me to look for something else?"
        );
        m.closest = Some(product("Storm [Shell]", "129.50"));
        assert!(
            compose(&m).contains("The closest I have is [**Storm Shell**](https://s.test/products/h) at $129.50."),
            "{}",
            compose(&m)
        );
        m.currency = "CHF".into();
        assert!(compose(&m).contains("under 100 CHF"));
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("café"), "cafés");
        assert_eq!(
            (plural("jacket"), plural("boots"), plural("hoody"), plural("day"), plural("watch")),
            ("jackets".into(), "boots".into(), "hoodies".into(), "days".into(), "watches".into())
        );
        assert_eq!(
            (singular("jackets"), singular("beanies"), singular("boxes"), singular("dress"), singular("glasses")),
            ("jacket".into(), "beanie".into(), "box".into(), "dress".into(), "glass".into())
        );
    }
}
