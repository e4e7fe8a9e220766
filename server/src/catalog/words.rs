//! A catalog's own words: what it knows, what a misspelt word most likely meant, and which words name kinds of
//! products.
//!
//! Built from the widget's products ([`Vocabulary::build`]): typo correction only ever suggests a word the catalog
//! uses, so "jaket" becomes "jacket" in a clothing store and nothing in a bakery.

use std::collections::HashMap;

use super::StoredProduct;

/// A word for comparing: lowercased, its plural folded (`jackets` → `jacket`, `boxes` → `box`, `hoodies` →
/// `hoodie`). Deliberately lighter than a stemmer: `skiing` stays `skiing`, so "ski goggles" does not find a base
/// layer tagged "skiing".
pub fn fold(word: &str) -> String {
    let w = word.to_lowercase();
    if w.chars().count() <= 3 || w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return w;
    }
    for (suffix, keep) in [("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("sses", "ss")] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return format!("{stem}{keep}");
        }
    }
    if let Some(stem) = w.strip_suffix("ies") {
        // `hoodies` → `hoodie`, `batteries` → `battery`: a consonant before `ies` was a `y` (`berries`), except
        // after the few words that end in `-ie`.
        return if matches!(stem, "hood" | "bean" | "cook" | "goal" | "mov" | "pi" | "ti") {
            format!("{stem}ie")
        } else {
            format!("{stem}y")
        };
    }
    match w.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !stem.ends_with('u') => stem.to_owned(),
        _ => w,
    }
}

/// Words at the end of product names that are not what the product is (`… Towel Set`, `… Socks 3-Pack`,
/// `… Dutch Oven 5 qt`).
const NOT_KINDS: &[&str] = &[
    "set",
    "pack",
    "pair",
    "piece",
    "pieces",
    "collection",
    "bundle",
    "duo",
    "trio",
    "qt",
    "oz",
    "ml",
    "lb",
    "lbs",
    "in",
    "ft",
    "cm",
    "mm",
    "inch",
    "inches",
    "of",
    "with",
    "and",
    "for",
    "the",
    "edition",
    "size",
    "one",
    "two",
    "three",
    "four",
    "six",
    "eight",
    "ten",
    "twelve",
    "regular",
    "large",
    "small",
    "new",
];

/// What a product name says the product is: its last real word (`Rain Jackets` → `jacket`, `Hand Towels, Set of 2`
/// → `towel`, `Dutch Oven 5 qt` → `oven`), folded.
pub fn kind_word(name: &str) -> Option<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .rev()
        .filter(|w| w.chars().count() > 2 && w.chars().all(char::is_alphabetic))
        .map(fold)
        .find(|w| !NOT_KINDS.contains(&w.as_str()))
}

/// What a product is: the kind words of its title and type, and of the tags of two words or more that its title
/// contains ("trekking poles" in "Trekking Poles Carbon Pair", "floor lamp" in "Reading Floor Lamp with Adjustable
/// Arm"). One-word tags are mostly qualities ("waterproof", "rain"), so they do not count.
pub fn product_kinds(p: &StoredProduct) -> Vec<String> {
    let title = p.title.to_lowercase();
    let mut kinds: Vec<String> = [&p.title, &p.product_type].into_iter().filter_map(|n| kind_word(n)).collect();
    for tag in &p.tags {
        let tag = tag.trim().to_lowercase();
        if tag.split_whitespace().count() >= 2 && title.contains(&tag) {
            kinds.extend(kind_word(&tag));
        }
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The folded words of `title` that do not qualify the word after them: a word joined to the next by a hyphen
/// ("Microwave-Safe"), or followed by a kind word (`is_kind`: "Mattress Protector"), is a qualifier.
fn title_heads(title: &str, is_kind: impl Fn(&str) -> bool) -> Vec<String> {
    let mut words: Vec<(String, usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in title.char_indices().chain(std::iter::once((title.len(), ' '))) {
        match (c.is_alphanumeric() && i < title.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((fold(&title[s..i]), s, i));
                start = None;
            }
            _ => {}
        }
    }
    let mut heads = Vec::new();
    for (n, (word, _, end)) in words.iter().enumerate() {
        let qualifies = match words.get(n + 1) {
            Some((next, next_start, _)) => title[*end..*next_start].trim() == "-" || is_kind(next),
            None => false,
        };
        if !qualifies && word.chars().count() > 1 {
            heads.push(word.clone());
        }
    }
    heads
}

/// Splits text into folded words (letters and digits), dropping one-letter ones.
pub fn folded_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() > 1).map(fold)
}

/// The words of a catalog, with how many products use each, and the words that name kinds of products.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    counts: HashMap<String, u32>,
    kinds: HashMap<String, u32>,
    named: std::collections::HashSet<String>,
    headed: std::collections::HashSet<String>,
}

impl Vocabulary {
    /// The vocabulary of `products`: every word of their titles, types, tags, option values, vendors and
    /// descriptions. Kind words are the last word of each title and product type (`Rain Jackets` → `jacket`), the
    /// usual place of the noun in English product names ([`product_kinds`]).
    pub fn build<'a>(products: impl IntoIterator<Item = &'a StoredProduct>) -> Self {
        let products: Vec<&StoredProduct> = products.into_iter().collect();
        let mut vocabulary = Vocabulary::default();
        for p in &products {
            let mut seen: Vec<String> = Vec::new();
            let s = p.search_text();
            for text in [&s.title, &s.product_type, &s.tags, &s.option_values, &s.vendor] {
                vocabulary.named.extend(folded_words(text));
            }
            for text in [&s.title, &s.product_type, &s.tags, &s.option_values, &s.vendor, &s.body_text] {
                seen.extend(folded_words(text));
            }
            seen.sort();
            seen.dedup();
            for w in seen {
                *vocabulary.counts.entry(w).or_default() += 1;
            }
            for k in product_kinds(p) {
                *vocabulary.kinds.entry(k).or_default() += 1;
            }
        }
        // Needs every kind word first: whether a title word qualifies the next one depends on what that one is.
        for p in &products {
            let headed = vocabulary.title_heads(&p.title);
            vocabulary.headed.extend(headed);
        }
        vocabulary
    }

    /// The folded words of `title` that say what the product is rather than qualify the next word: "Countertop
    /// Toaster Oven" is a countertop oven, not a toaster ([`title_heads`]).
    pub fn title_heads(&self, title: &str) -> Vec<String> {
        title_heads(title, |w| self.kinds.contains_key(w))
    }

    /// Whether some product's title uses `word` (folded) as what the product is rather than only to qualify the
    /// next word ("Xssproduct Deluxe" names a xssproduct; "Mattress Protector" and "Microwave-Safe Bowls" name no
    /// mattress and no microwave).
    pub fn titles_name(&self, word: &str) -> bool {
        self.headed.contains(&fold(word))
    }

    /// Whether any product uses `word` (folded).
    pub fn knows(&self, word: &str) -> bool {
        self.counts.contains_key(&fold(word))
    }

    /// Whether some product's title, type, tags, options or vendor use `word` (folded): a word the catalog names
    /// products by, not one only a description mentions ("crampon-compatible").
    pub fn names(&self, word: &str) -> bool {
        self.named.contains(&fold(word))
    }

    /// Whether `word` (folded) names a kind of product in this catalog.
    pub fn is_kind(&self, word: &str) -> bool {
        self.kinds.contains_key(&fold(word))
    }

    /// The catalog word `word` most likely misspells: one edit away (two for words of eight letters or more,
    /// a swap of neighbours counting as one), the most used on ties; a four-letter word only when it is the start
    /// of the catalog word ("knif" → knife, but "bike" is no "hike"). `None` for a known word, a shorter one, a
    /// number, or one with no close catalog word.
    pub fn correct(&self, word: &str) -> Option<String> {
        let folded = fold(word);
        let len = folded.chars().count();
        if self.counts.contains_key(&folded) || len < 4 || folded.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let max = if len >= 8 { 2 } else { 1 };
        self.counts
            .iter()
            // Typos keep the first letter far more often than not; "shipping" is no misspelt "chopping".
            .filter(|(w, _)| w.chars().next() == folded.chars().next())
            .filter(|(w, _)| len > 4 || w.starts_with(&folded))
            .filter(|(w, _)| w.chars().count().abs_diff(len) <= max && !w.chars().any(|c| c.is_ascii_digit()))
            .map(|(w, n)| (strsim::damerau_levenshtein(&folded, w), n, w))
            .filter(|(d, _, _)| *d <= max)
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)).then(a.2.cmp(b.2)))
            .map(|(_, _, w)| w.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_before_a_kind_or_a_hyphen_only_qualify() {
        let kinds = ["protector", "bowl", "pan"];
        let heads = |t: &str| title_heads(t, |w| kinds.contains(&w));
        assert_eq!(heads("Waterproof Mattress Protector"), ["waterproof", "protector"]);
        assert_eq!(heads("Microwave-Safe Glass Bowls"), ["safe", "bowl"]);
        assert_eq!(heads("Castellan Cast Iron Grill Pan"), ["castellan", "cast", "iron", "pan"]);
        assert_eq!(heads("Xssproduct <img src=x>"), ["xssproduct", "img", "src"]);
    }

    #[test]
    fn plurals_fold() {
        let cases = [
            ("jackets", "jacket"),
            ("boxes", "box"),
            ("hoodies", "hoodie"),
            ("berries", "berry"),
            ("glass", "glass"),
            ("Boots", "boot"),
            ("gaiters", "gaiter"),
            ("skiing", "skiing"),
            ("dress", "dress"),
            ("gas", "gas"),
            ("watches", "watch"),
            ("beanies", "beanie"),
            ("cups", "cup"),
            ("menus", "menus"),
        ];
        for (word, folded) in cases {
            assert_eq!(fold(word), folded, "{word}");
        }
    }

    #[test]
    fn kinds_are_the_last_real_word() {
        assert_eq!(kind_word("Rain Jackets").as_deref(), Some("jacket"));
        assert_eq!(kind_word("Hand Towels, Set of 2").as_deref(), Some("towel"));
        assert_eq!(kind_word("Aurelia Enameled Cast Iron Dutch Oven 7.25 qt").as_deref(), Some("oven"));
        assert_eq!(kind_word("Ultralight Running Socks 3-Pack").as_deref(), Some("sock"));
        assert_eq!(kind_word("Alpine Attack 40").as_deref(), Some("attack"));
        assert_eq!(kind_word("40"), None);
    }

    #[test]
    fn corrections_come_from_the_catalog() {
        let mut p = StoredProduct::simple("Stormline Waterproof Jacket", "10.00", "https://s.test/p");
        p.product_type = "Rain Jackets".into();
        p.body_text = "A breathable shell for hiking.".into();
        let v = Vocabulary::build([&p]);
        assert_eq!(v.correct("jaket").as_deref(), Some("jacket"));
        assert_eq!(v.correct("waterprof").as_deref(), Some("waterproof"));
        assert_eq!(v.correct("breatheable").as_deref(), Some("breathable"));
        assert_eq!(v.correct("jacket"), None, "known words stay");
        assert_eq!(v.correct("kayak"), None, "no catalog word is close");
        assert_eq!(v.correct("hik"), None, "too short to guess");
        assert_eq!(v.correct("shel").as_deref(), Some("shell"), "four letters: the start of a word");
        assert_eq!(v.correct("hell"), None, "four letters: no other first letter");
        assert_eq!(v.correct("jhell"), None, "the first letter stays");
        assert!(v.is_kind("jackets") && !v.is_kind("waterproof"));
        assert!(v.knows("Shells") && !v.knows("goggles"));
    }
}
