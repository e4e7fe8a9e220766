//! Follow-ups: "any of those in blue?", "cheaper?", "in size M?", "what about for kids?" refine the conversation's
//! last product question; a question about another kind of product ("do you have tents?") starts afresh.
//!
//! The last product answer's query is stored with its message (`messages.product_query`), so a follow-up works the
//! same after the visitor reloads the page.

use super::query::ProductQuery;
use super::words::Vocabulary;

/// Words that point back at what was just shown.
const BACK_REFERENCES: &[&str] = &["those", "these", "them", "ones", "it", "that", "this", "same", "either"];
/// Openings of a follow-up.
const OPENINGS: &[&str] = &[
    "what about",
    "how about",
    "and",
    "any",
    "anything",
    "only",
    "just",
    "in",
    "but",
    "also",
    "maybe",
    "something",
    "same",
    "now",
];
/// A follow-up is short: longer messages are new questions that happen to start with "and".
const MAX_WORDS: usize = 8;
/// "something to …", "anything that …": a need stated by its purpose is a new question, not a refinement of the
/// last one ("something to keep my hands warm" after rain jackets asks for gloves).
const PURPOSE_OPENINGS: &[&str] = &["something", "anything"];
/// Words that turn those openings into a purpose clause.
const PURPOSE_LINKS: &[&str] = &["to", "that", "which", "i", "we", "you", "my"];
/// Back-references that a purpose clause does not cancel: they name what was shown.
const PLURAL_BACK_REFERENCES: &[&str] = &["those", "these", "them", "ones", "same", "either"];

/// The previous product question, refined by `message` (parsed as `parsed`), or `None` when the message is a new
/// question: it names another kind of product, or nothing in it refers back.
/// `shown` are the prices (in cents) of the products the previous answer showed: "cheaper?" asks for less than
/// the middle of them, "pricier?" for more.
pub fn refine(
    previous: &ProductQuery,
    parsed: &ProductQuery,
    message: &str,
    vocabulary: &Vocabulary,
    shown: &[i64],
) -> Option<ProductQuery> {
    let lower = message.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
    if words.is_empty() || words.len() > MAX_WORDS {
        return None;
    }
    let kinds = |q: &ProductQuery| -> Vec<String> {
        q.keywords.iter().filter(|w| vocabulary.is_kind(w)).map(|w| super::words::fold(w)).collect()
    };
    let new_kinds = kinds(parsed);
    if !new_kinds.is_empty() {
        // Another kind of product is a new question; the same kind again is a complete question of its own.
        return None;
    }
    let text = format!(" {} ", words.join(" "));
    let purpose = PURPOSE_OPENINGS.contains(&words[0]) && words.get(1).is_some_and(|w| PURPOSE_LINKS.contains(w));
    if purpose && !words.iter().any(|w| PLURAL_BACK_REFERENCES.contains(w)) {
        return None;
    }
    let refers_back = words.iter().any(|w| BACK_REFERENCES.contains(w))
        || OPENINGS.iter().any(|o| text.starts_with(&format!(" {o} ")))
        || parsed.compare_price != 0;
    let only_conditions = parsed.keywords.is_empty() && (parsed.has_conditions() || parsed.cheap || parsed.expensive);
    if !refers_back && !only_conditions {
        return None;
    }
    let mut q = previous.clone();
    q.text = String::new();
    for w in &parsed.keywords {
        if !q.keywords.contains(w) {
            q.keywords.push(w.clone());
        }
    }
    if !parsed.colors.is_empty() {
        q.colors = parsed.colors.clone();
    }
    if !parsed.sizes.is_empty() {
        q.sizes = parsed.sizes.clone();
    }
    if parsed.min_cents.is_some() || parsed.max_cents.is_some() {
        (q.min_cents, q.max_cents, q.around) = (parsed.min_cents, parsed.max_cents, parsed.around);
    }
    if parsed.capacity.is_some() {
        q.capacity = parsed.capacity;
    }
    for w in &parsed.exclude {
        if !q.exclude.contains(w) {
            q.exclude.push(w.clone());
        }
    }
    q.in_stock |= parsed.in_stock;
    q.on_sale |= parsed.on_sale;
    let mut sorted = shown.to_vec();
    sorted.sort_unstable();
    match parsed.compare_price {
        -1 => {
            (q.cheap, q.expensive) = (true, false);
            if let Some(middle) = sorted.get(sorted.len() / 2) {
                q.max_cents = Some(q.max_cents.map_or(middle - 1, |m| m.min(middle - 1)));
            }
        }
        1 => {
            (q.cheap, q.expensive) = (false, true);
            if let Some(middle) = sorted.get(sorted.len().saturating_sub(1) / 2) {
                q.min_cents = Some(q.min_cents.map_or(middle + 1, |m| m.max(middle + 1)));
            }
        }
        _ if parsed.cheap || parsed.expensive => (q.cheap, q.expensive) = (parsed.cheap, parsed.expensive),
        _ => {}
    }
    q.compare_price = parsed.compare_price;
    q.shopping = true;
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::query::parse;
    use crate::catalog::StoredProduct;

    fn vocabulary() -> Vocabulary {
        let mut jacket = StoredProduct::simple("Storm Rain Jacket", "100.00", "https://s.test/p");
        jacket.product_type = "Rain Jackets".into();
        jacket.tags = vec!["kids".into(), "waterproof".into()];
        let tent = StoredProduct::simple("Basecamp Tent", "300.00", "https://s.test/t");
        Vocabulary::build([&jacket, &tent])
    }

    fn follow(first: &str, then: &str) -> Option<ProductQuery> {
        refine(&parse(first), &parse(then), then, &vocabulary(), &[])
    }

    #[test]
    fn refinements_keep_the_subject() {
        let q = follow("Show me rain jackets", "any of those in blue?").unwrap();
        assert_eq!(
            (q.keywords.clone(), q.colors.clone()),
            (vec!["rain".to_owned(), "jackets".to_owned()], vec!["blue".to_owned()])
        );
        let q = follow("Show me rain jackets", "in size M?").unwrap();
        assert_eq!(q.sizes, ["M"]);
        let q = follow("rain jackets under $200", "cheaper?").unwrap();
        assert!(q.cheap && q.max_cents == Some(20000));
        let shown = [28900, 12900, 9900, 15900];
        let q = refine(&parse("rain jackets"), &parse("any cheaper ones?"), "any cheaper ones?", &vocabulary(), &shown);
        assert_eq!(q.unwrap().max_cents, Some(15899), "under the middle of what was shown");
        let q = follow("Show me rain jackets", "what about for kids?").unwrap();
        assert_eq!(q.keywords, ["rain", "jackets", "kids"]);
        let q = follow("navy rain jackets", "in red").unwrap();
        assert_eq!(q.colors, ["red"], "a new colour replaces the old one");
    }

    #[test]
    fn new_topics_start_afresh() {
        assert_eq!(follow("Show me rain jackets", "do you have tents?"), None);
        assert_eq!(follow("Show me rain jackets", "what about tents?"), None);
        assert_eq!(follow("Show me rain jackets", "how long does shipping take to Canada?"), None);
        assert_eq!(follow("Show me rain jackets", "blue rain jackets"), None, "a complete question stands alone");
        assert_eq!(follow("Show me rain jackets", "something to keep my hands warm"), None, "a need of its own");
        assert_eq!(follow("Show me rain jackets", "anything that packs small?"), None);
        assert!(follow("Show me rain jackets", "something cheaper?").is_some());
        assert!(follow("Show me rain jackets", "anything to go with those?").is_some(), "names what was shown");
    }
}
