//! What a visitor's message asks of the catalog: product words, price bounds, colours, sizes, stock and sale.
//!
//! Plain rules over the message's words, no model: they are meant to be predictable, so an owner can tell why a
//! question found what it found. Numbers only become prices next to a price word (`under`, `between`, `$`, …) and
//! never when a unit follows (`over 3 days`); one-letter sizes only count when written as sizes (`M`, `size m`), so
//! `I'm` is no size; `medium`/`large` only when the message says it means a size (`in large`, `size medium`).

use serde_json::{json, Map, Value};

use crate::knowledge::keywords;

/// What a visitor asked for, as the catalog search understands it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductQuery {
    /// Product words (`waterproof`, `jacket`), lowercased, in the message's order; no price or constraint words.
    pub keywords: Vec<String>,
    /// Lowest acceptable price in cents (the store's currency), inclusive.
    pub min_cents: Option<i64>,
    /// Highest acceptable price in cents, inclusive.
    pub max_cents: Option<i64>,
    /// The bounds came from `around $X` (±20 %): said so when the answer names them.
    pub around: bool,
    /// Colours, any of which will do (`navy`; `gray` is written `grey`).
    pub colors: Vec<String>,
    /// Sizes, any of which will do: `XS` … `XXXL`, or a number (`10`, `10.5`).
    pub sizes: Vec<String>,
    /// Only variants that can be bought now.
    pub in_stock: bool,
    /// Only variants on sale.
    pub on_sale: bool,
    /// `cheap`, `budget`, `affordable`: cheapest first instead of best match first.
    pub cheap: bool,
    /// The message says it is shopping (`do you have`, `show me`, `recommend`, a price, a size, …). Without it,
    /// only products whose title, type, tags or options name every product word count as an answer.
    pub shopping: bool,
}

impl ProductQuery {
    /// Whether any price, colour, size, stock or sale condition applies to variants.
    pub fn has_variant_constraints(&self) -> bool {
        self.min_cents.is_some()
            || self.max_cents.is_some()
            || !self.colors.is_empty()
            || !self.sizes.is_empty()
            || self.in_stock
            || self.on_sale
    }

    /// Conditions that make a message about products even when no product word is known (a price, a colour, a
    /// size, a sale): then "nothing matched" is the honest answer rather than a knowledge-base article.
    pub fn has_hard_constraints(&self) -> bool {
        self.min_cents.is_some()
            || self.max_cents.is_some()
            || !self.colors.is_empty()
            || !self.sizes.is_empty()
            || self.on_sale
    }

    /// The `show_products` tool input: what was searched, in the stream and the stored transcript.
    ///
    /// `{"query": "waterproof jacket", "min_price": "50.00", "max_price": "150.00", "colors": ["navy"],
    /// "sizes": ["M"], "in_stock": true, "on_sale": true, "sort": "price"}`; only `query` is always present.
    pub fn to_input(&self) -> Value {
        let mut input = Map::new();
        input.insert("query".into(), json!(self.keywords.join(" ")));
        if let Some(min) = self.min_cents {
            input.insert("min_price".into(), json!(decimal(min)));
        }
        if let Some(max) = self.max_cents {
            input.insert("max_price".into(), json!(decimal(max)));
        }
        if !self.colors.is_empty() {
            input.insert("colors".into(), json!(self.colors));
        }
        if !self.sizes.is_empty() {
            input.insert("sizes".into(), json!(self.sizes));
        }
        if self.in_stock {
            input.insert("in_stock".into(), json!(true));
        }
        if self.on_sale {
            input.insert("on_sale".into(), json!(true));
        }
        if self.cheap {
            input.insert("sort".into(), json!("price"));
        }
        Value::Object(input)
    }
}

/// Cents as a decimal string (`15000` → `"150.00"`), like the store's prices.
pub fn decimal(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Common colour words. Matched as whole words in option values (`Navy Blue`) or titles.
const COLORS: &[&str] = &[
    "black",
    "white",
    "grey",
    "gray",
    "charcoal",
    "silver",
    "red",
    "burgundy",
    "maroon",
    "pink",
    "coral",
    "orange",
    "rust",
    "yellow",
    "mustard",
    "gold",
    "beige",
    "cream",
    "ivory",
    "tan",
    "khaki",
    "brown",
    "olive",
    "green",
    "mint",
    "sage",
    "teal",
    "turquoise",
    "blue",
    "navy",
    "indigo",
    "purple",
    "lavender",
    "plum",
];

/// Letter sizes in their canonical spelling, with the spellings that mean them.
const LETTER_SIZES: &[(&str, &[&str])] = &[
    ("XXS", &["xxs", "2xs"]),
    ("XS", &["xs", "xsmall", "extrasmall"]),
    ("S", &["s", "small"]),
    ("M", &["m", "medium", "med"]),
    ("L", &["l", "large"]),
    ("XL", &["xl", "xlarge", "extralarge"]),
    ("XXL", &["xxl", "2xl", "xxlarge"]),
    ("XXXL", &["xxxl", "3xl"]),
];

/// The canonical letter size a word or option value spells (`Medium`, `x-large`, `2XL`), if any.
pub fn letter_size(text: &str) -> Option<&'static str> {
    let squashed: String = text.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    LETTER_SIZES.iter().find(|(_, spellings)| spellings.contains(&squashed.as_str())).map(|(canon, _)| *canon)
}

/// Words that are only ever sizes (no English word is spelled `xl`).
fn unambiguous_size(word: &str) -> Option<&'static str> {
    letter_size(word).filter(|_| !matches!(word, "s" | "m" | "l" | "small" | "medium" | "large" | "med"))
}

/// Words about shopping, prices or conditions: never product words.
#[rustfmt::skip]
const QUERY_WORDS: &[&str] = &[
    "under", "below", "less", "over", "above", "more", "between", "around", "approximately", "roughly", "max",
    "maximum", "min", "minimum", "least", "most", "up", "upto", "within", "cheap", "cheaper", "cheapest", "budget",
    "affordable", "inexpensive", "price", "prices", "priced", "cost", "costs", "much", "dollar", "dollars", "bucks",
    "usd", "eur", "euro", "euros", "gbp", "pounds", "sale", "sales", "discount", "discounts", "discounted", "deal",
    "deals", "clearance", "reduced", "stock", "available", "availability", "size", "sizes", "color", "colors",
    "colour", "colours", "show", "looking", "look", "searching", "search", "recommend", "recommendation",
    "recommendations", "suggest", "suggestion", "buy", "purchase", "shopping", "shop", "sell", "carry", "got",
    "something", "anything", "products", "product", "items", "item", "stuff", "things", "some", "one", "ones",
    "options", "good", "nice", "best", "great", "really", "very", "like", "just", "also", "still", "currently", "now",
    "today", "extra", "starting", "higher", "lower", "no", "not", "or", "too", "off", "all", "other", "else", "wear",
    "find", "store", "catalog", "catalogue", "come", "comes", "offer", "offers", "sells", "kind", "kinds", "type",
    "types", "selection", "range",
];

/// Units that make a number something other than a price (`over 3 days`).
const UNITS: &[&str] = &[
    "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "kg",
    "g", "lb", "lbs", "oz", "l", "liter", "liters", "litre", "litres", "ml", "cm", "mm", "m", "km", "inch", "inches",
    "percent", "people", "pieces", "pcs", "items", "orders",
];

/// Phrases that say the message is shopping.
const SHOPPING_PHRASES: &[&str] = &[
    "do you have",
    "do you sell",
    "do you carry",
    "do you stock",
    "have you got",
    "got any",
    "looking for",
    "look for",
    "searching for",
    "search for",
    "show me",
    "recommend",
    "suggest",
    "want to buy",
    "to buy",
    "buy a",
    "buy an",
    "buy some",
    "purchase",
    "shopping for",
    "in the market for",
    "i need a",
    "i need an",
    "i need some",
    "i need new",
    "i want a",
    "i want an",
    "i want some",
    "can i get",
    "where can i find",
    "how much",
    "what do you have",
];

/// One token of a message.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A word, lowercased; `upper` when written all in capitals; `elided` right after an apostrophe (`I'm`).
    Word { text: String, upper: bool, elided: bool },
    /// A number in cents, with its text (`1,200.50`).
    Number { cents: i64, text: String },
    /// A currency sign.
    Currency,
    /// `<`, `>`, `-`, `~` or `+`.
    Sym(char),
}

fn tokenize(message: &str) -> Vec<Token> {
    let chars: Vec<char> = message.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], ',' | '.') && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            if i < chars.len() && chars[i].is_alphabetic() {
                // `2xl`, `3xl`, `10w`: a word that starts with digits.
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect::<String>().to_lowercase();
                out.push(Token::Word { text, upper: false, elided: false });
                continue;
            }
            let text: String = chars[start..i].iter().collect();
            if let Some(cents) = number_cents(&text) {
                out.push(Token::Number { cents, text });
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let raw: String = chars[start..i].iter().collect();
            let elided = start > 0 && matches!(chars[start - 1], '\'' | '’');
            let upper = raw.chars().all(|c| !c.is_lowercase());
            out.push(Token::Word { text: raw.to_lowercase(), upper, elided });
        } else {
            match c {
                '$' | '€' | '£' => out.push(Token::Currency),
                '<' | '>' | '-' | '–' | '—' | '~' | '+' => {
                    out.push(Token::Sym(if matches!(c, '–' | '—') { '-' } else { c }))
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// `1,200.5` → 120050 cents; commas are thousands separators.
fn number_cents(text: &str) -> Option<i64> {
    super::price_cents(&text.replace(',', ""))
}

/// Scans a message's tokens for constraints.
struct Scanner {
    tokens: Vec<Token>,
    /// Number texts and words that were read as constraints, so they are not product words.
    used: Vec<String>,
}

impl Scanner {
    fn word(&self, i: usize) -> Option<&str> {
        match self.tokens.get(i) {
            Some(Token::Word { text, .. }) => Some(text),
            _ => None,
        }
    }

    /// Whether the words from `i` on are exactly `phrase`; returns the index after them.
    fn words(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        phrase.iter().enumerate().all(|(k, w)| self.word(i + k) == Some(*w)).then_some(i + phrase.len())
    }

    /// An amount at `i`: `$150`, `150`, `150 dollars`, `150$`. Returns (cents, next index, had a currency mark).
    fn amount(&self, i: usize) -> Option<(i64, usize, bool)> {
        let mut j = i;
        let mut currency = false;
        if self.tokens.get(j) == Some(&Token::Currency) {
            currency = true;
            j += 1;
        }
        let Some(Token::Number { cents, .. }) = self.tokens.get(j) else { return None };
        j += 1;
        if self.tokens.get(j) == Some(&Token::Currency) {
            currency = true;
            j += 1;
        } else if let Some(w) = self.word(j) {
            if matches!(w, "dollar" | "dollars" | "bucks" | "usd" | "eur" | "euro" | "euros" | "gbp" | "pounds") {
                currency = true;
                j += 1;
            } else if UNITS.contains(&w) {
                return None;
            }
        }
        Some((*cents, j, currency))
    }

    /// Marks the numbers in tokens `from..to` as used.
    fn consume(&mut self, from: usize, to: usize) {
        for k in from..to.min(self.tokens.len()) {
            if let Token::Number { text, .. } = &self.tokens[k] {
                let text = text.clone();
                self.use_text(&text);
            }
        }
    }

    /// Marks a number's or word's pieces (as [`keywords`] splits them) as used.
    fn use_text(&mut self, text: &str) {
        self.used.extend(text.split(|c: char| !c.is_alphanumeric()).map(str::to_owned));
    }
}

/// Words that put a ceiling on the price when an amount follows.
const MAX_OPS: &[&[&str]] = &[
    &["under"],
    &["below"],
    &["less", "than"],
    &["cheaper", "than"],
    &["lower", "than"],
    &["no", "more", "than"],
    &["not", "more", "than"],
    &["max"],
    &["maximum"],
    &["max", "of"],
    &["up", "to"],
    &["at", "most"],
    &["within"],
    &["budget", "of"],
    &["budget", "is"],
    &["budget"],
    &["not", "over"],
    &["no", "over"],
];
/// Words that put a floor under the price when an amount follows.
const MIN_OPS: &[&[&str]] = &[
    &["over"],
    &["above"],
    &["more", "than"],
    &["at", "least"],
    &["min"],
    &["minimum"],
    &["starting", "at"],
    &["higher", "than"],
    &["upwards", "of"],
    &["from"],
];
/// Words that ask for a price near an amount.
const AROUND_OPS: &[&[&str]] = &[&["around"], &["about"], &["approximately"], &["roughly"], &["circa"]];

/// `around $X`: X ± 20 %, as (min, max, around). Saturating: a visitor may type any number.
fn around_bounds(cents: i64) -> (Option<i64>, Option<i64>, bool) {
    (Some(cents / 10 * 8), Some(cents.saturating_mul(12) / 10), true)
}

/// Reads price bounds; returns (min, max, around).
fn prices(s: &mut Scanner) -> (Option<i64>, Option<i64>, bool) {
    let (mut min, mut max, mut around) = (None, None, false);
    let mut i = 0;
    while i < s.tokens.len() {
        // Ranges: `between A and B`, `from A to B`, `A - B`, `A to B`.
        let range_start = s.words(i, &["between"]).or_else(|| s.words(i, &["from"]));
        let (a_at, ranged) = match range_start {
            Some(j) => (j, true),
            None => (i, false),
        };
        if let Some((a, j, a_cur)) = s.amount(a_at) {
            let sep = s
                .words(j, &["and"])
                .or_else(|| s.words(j, &["to"]))
                .or_else(|| (s.tokens.get(j) == Some(&Token::Sym('-'))).then_some(j + 1));
            if let Some((b, k, b_cur)) = sep.and_then(|sep| s.amount(sep)) {
                if (ranged || a_cur || b_cur) && b >= a {
                    min = Some(a);
                    max = Some(b);
                    s.consume(i, k);
                    i = k;
                    continue;
                }
            }
        }
        // `< $150`, `> 50`, `~100`.
        if let Some(Token::Sym(op @ ('<' | '>' | '~'))) = s.tokens.get(i) {
            let op = *op;
            if let Some((cents, j, _)) = s.amount(i + 1) {
                match op {
                    '<' => max = Some(cents),
                    '>' => min = Some(cents),
                    _ => {
                        (min, max, around) = around_bounds(cents);
                    }
                }
                s.consume(i, j);
                i = j;
                continue;
            }
        }
        let op = |ops: &[&[&str]]| ops.iter().filter_map(|p| s.words(i, p)).max();
        if let Some((cents, j, _)) = op(MAX_OPS).and_then(|j| s.amount(j)) {
            max = Some(cents);
            s.consume(i, j);
            i = j;
            continue;
        }
        if let Some((cents, j, _)) = op(MIN_OPS).and_then(|j| s.amount(j)) {
            min = Some(cents);
            s.consume(i, j);
            i = j;
            continue;
        }
        if let Some((cents, j, _)) = op(AROUND_OPS).and_then(|j| s.amount(j)) {
            (min, max, around) = around_bounds(cents);
            s.consume(i, j);
            i = j;
            continue;
        }
        // A bare amount with a currency mark and a direction after it: `$50 or less`, `$100+`, `$50 and up`.
        if let Some((cents, j, true)) = s.amount(i) {
            if s.words(j, &["or", "less"]).is_some() || s.words(j, &["and", "under"]).is_some() {
                max = Some(cents);
            } else if s.words(j, &["or", "more"]).is_some()
                || s.words(j, &["and", "up"]).is_some()
                || s.tokens.get(j) == Some(&Token::Sym('+'))
            {
                min = Some(cents);
            }
            s.consume(i, j);
            i = j;
            continue;
        }
        i += 1;
    }
    (min, max, around)
}

/// Reads sizes.
fn sizes(s: &mut Scanner) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |size: String, out: &mut Vec<String>| {
        if !out.contains(&size) {
            out.push(size);
        }
    };
    for i in 0..s.tokens.len() {
        let Token::Word { text, upper, elided } = s.tokens[i].clone() else { continue };
        let after_size_word = i > 0 && matches!(s.word(i - 1), Some("size" | "sizes" | "sz"));
        if matches!(text.as_str(), "size" | "sizes" | "sz") {
            // `size 10`, `size 10.5`.
            if let Some(Token::Number { cents, text }) = s.tokens.get(i + 1) {
                let size = if cents % 100 == 0 { (cents / 100).to_string() } else { text.clone() };
                s.use_text(&size);
                push(size, &mut out);
            }
            continue;
        }
        // `extra large`, `x-large`, `extra small`.
        if matches!(text.as_str(), "extra" | "x") {
            let next = if s.tokens.get(i + 1) == Some(&Token::Sym('-')) { i + 2 } else { i + 1 };
            let size = match s.word(next) {
                Some("large") => "XL",
                Some("small") => "XS",
                _ => continue,
            };
            s.use_text("large small");
            push(size.into(), &mut out);
            continue;
        }
        let previous_extra = (i >= 1 && matches!(s.word(i - 1), Some("extra" | "x")))
            || (i >= 2 && s.tokens[i - 1] == Token::Sym('-') && s.word(i - 2) == Some("x"));
        if previous_extra {
            continue;
        }
        let size = if let Some(size) = unambiguous_size(&text) {
            Some(size)
        } else if matches!(text.as_str(), "s" | "m" | "l") {
            // One letter is a size when written as one (`M`, `size m`), never in `I'm` or `what's`.
            ((upper && !elided) || after_size_word).then(|| letter_size(&text)).flatten()
        } else if matches!(text.as_str(), "small" | "medium" | "large") {
            let in_before = i > 0 && s.word(i - 1) == Some("in")
                || i > 1 && s.word(i - 1) == Some("a") && s.word(i - 2) == Some("in");
            let size_after = matches!(s.word(i + 1), Some("size" | "sizes"));
            (after_size_word || in_before || size_after).then(|| letter_size(&text)).flatten()
        } else {
            None
        };
        if let Some(size) = size {
            s.used.push(text.clone());
            push(size.to_owned(), &mut out);
        }
    }
    out
}

/// Parses a visitor's message.
pub fn parse(message: &str) -> ProductQuery {
    let mut s = Scanner { tokens: tokenize(message), used: Vec::new() };
    let (min_cents, max_cents, around) = prices(&mut s);
    let sizes = sizes(&mut s);
    let words: Vec<String> = s
        .tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    // Phrases match whole words, whatever the punctuation between them (`in-stock`, `do you have...`).
    let text = format!(" {} ", words.join(" "));
    let has_phrase = |p: &str| text.contains(&format!(" {p} "));

    let mut colors: Vec<String> = Vec::new();
    for w in &words {
        if COLORS.contains(&w.as_str()) {
            let c = if w == "gray" { "grey".to_owned() } else { w.clone() };
            if !colors.contains(&c) {
                colors.push(c);
            }
        }
    }
    let in_stock = has_phrase("in stock") || has("instock") || has("available");
    let on_sale = has("sale")
        || ["discount", "discounts", "discounted", "deal", "deals", "clearance", "reduced"].iter().any(|w| has(w));
    // `budget` alone asks for cheap things; `a budget of $150` is a ceiling, not an order.
    let cheap = ["cheap", "cheapest", "affordable", "inexpensive"].iter().any(|w| has(w))
        || (has("budget") && max_cents.is_none());
    let phrase = SHOPPING_PHRASES.iter().any(|p| has_phrase(p));

    let keywords: Vec<String> = keywords(message)
        .into_iter()
        .filter(|w| {
            !QUERY_WORDS.contains(&w.as_str())
                && !COLORS.contains(&w.as_str())
                && !s.used.contains(w)
                && unambiguous_size(w).is_none()
        })
        .collect();
    let shopping = phrase
        || min_cents.is_some()
        || max_cents.is_some()
        || !colors.is_empty()
        || !sizes.is_empty()
        || in_stock
        || on_sale
        || cheap;
    ProductQuery { keywords, min_cents, max_cents, around, colors, sizes, in_stock, on_sale, cheap, shopping }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (keywords, min, max) of a message.
    fn pq(message: &str) -> (Vec<String>, Option<i64>, Option<i64>) {
        let q = parse(message);
        (q.keywords, q.min_cents, q.max_cents)
    }

    fn kw(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn price_ceilings() {
        let jacket = kw(&["waterproof", "jacket"]);
        for message in [
            "do you have a waterproof jacket under $150?",
            "waterproof jacket below 150",
            "waterproof jacket for less than 150 dollars",
            "waterproof jacket < $150",
            "waterproof jacket, max 150",
            "waterproof jacket up to $150",
            "a waterproof jacket, no more than 150 bucks",
            "waterproof jacket at most 150 USD",
            "waterproof jacket, budget of $150",
            "waterproof jacket $150 or less",
            "waterproof jacket under $149.99",
        ] {
            let (k, min, max) = pq(message);
            assert_eq!(k, jacket, "{message}");
            assert_eq!(min, None, "{message}");
            assert!(max == Some(15000) || max == Some(14999), "{message}: {max:?}");
        }
    }

    #[test]
    fn price_floors() {
        assert_eq!(pq("jackets over $300"), (kw(&["jackets"]), Some(30000), None));
        assert_eq!(pq("boots more than 50"), (kw(&["boots"]), Some(5000), None));
        assert_eq!(pq("tents above €1,200"), (kw(&["tents"]), Some(120000), None));
        assert_eq!(pq("backpacks > 80"), (kw(&["backpacks"]), Some(8000), None));
        assert_eq!(pq("gloves at least $20"), (kw(&["gloves"]), Some(2000), None));
        assert_eq!(pq("parkas $200+"), (kw(&["parkas"]), Some(20000), None));
    }

    #[test]
    fn price_ranges() {
        let boots = (kw(&["hiking", "boots"]), Some(10000), Some(20000));
        assert_eq!(pq("hiking boots between $100 and $200"), boots);
        assert_eq!(pq("hiking boots between 100 and 200"), boots);
        assert_eq!(pq("hiking boots $100-$200"), boots);
        assert_eq!(pq("hiking boots $100 – 200"), boots);
        assert_eq!(pq("hiking boots from 100 to 200"), boots);
        assert_eq!(pq("hiking boots $100 to $200"), boots);
        let q = parse("a tent around $100");
        assert_eq!((q.min_cents, q.max_cents, q.around), (Some(8000), Some(12000), true));
        assert_eq!(parse("about 250 dollars for a tent").max_cents, Some(30000));
        let huge = parse("tents around $92233720368547758 or under 99999999999999999999");
        assert!(huge.max_cents.is_some(), "huge numbers neither overflow nor panic");
    }

    #[test]
    fn numbers_that_are_not_prices() {
        let q = parse("does shipping take over 3 days?");
        assert_eq!((q.min_cents, q.max_cents), (None, None));
        assert!(!q.shopping);
        let q = parse("a backpack over 30 liters");
        assert_eq!(q.min_cents, None);
        let q = parse("trail shoes size 10");
        assert_eq!((q.min_cents, q.max_cents, q.sizes.clone()), (None, None, vec!["10".to_owned()]));
        assert_eq!(q.keywords, kw(&["trail", "shoes"]));
        assert_eq!(parse("Osprey Atmos 65").keywords, kw(&["osprey", "atmos", "65"]), "model numbers stay words");
    }

    #[test]
    fn colours() {
        let q = parse("show me navy fleeces in size M");
        assert_eq!(q.colors, ["navy"]);
        assert_eq!(q.sizes, ["M"]);
        assert_eq!(q.keywords, kw(&["fleeces"]));
        assert!(q.shopping);
        assert_eq!(parse("red beanie").colors, ["red"]);
        assert_eq!(parse("red beanie").keywords, kw(&["beanie"]));
        assert_eq!(parse("Gray or olive shirts").colors, ["grey", "olive"]);
        assert_eq!(parse("a charcoal hoodie").colors, ["charcoal"]);
        assert!(parse("a blackout tent").colors.is_empty(), "colours are whole words");
    }

    #[test]
    fn sizes_need_size_context() {
        assert_eq!(parse("fleece in XL").sizes, ["XL"]);
        assert_eq!(parse("fleece xxl please").sizes, ["XXL"]);
        assert_eq!(parse("do you have this in a large?").sizes, ["L"]);
        assert_eq!(parse("medium size fleece").sizes, ["M"]);
        assert_eq!(parse("extra large rain jacket").sizes, ["XL"]);
        assert_eq!(parse("size s tee").sizes, ["S"]);
        assert_eq!(parse("tee in S or M").sizes, ["S", "M"]);
        assert!(parse("I'm looking for a large backpack").sizes.is_empty(), "`I'm` and `large backpack`");
        assert_eq!(parse("I'm looking for a large backpack").keywords, kw(&["large", "backpack"]));
        assert!(parse("what's a medium roast?").sizes.is_empty());
        assert_eq!(parse("boots size 10.5").sizes, ["10.5"]);
    }

    #[test]
    fn stock_sale_and_cheap() {
        let q = parse("in stock backpacks under 80 dollars");
        assert!(q.in_stock && q.shopping);
        assert_eq!((q.keywords.clone(), q.max_cents), (kw(&["backpacks"]), Some(8000)));
        let q = parse("anything on sale?");
        assert!(q.on_sale && q.shopping);
        assert!(q.keywords.is_empty());
        assert!(parse("any deals on tents?").on_sale);
        assert!(parse("discounted boots").on_sale);
        assert!(parse("is the Storm Shell available?").in_stock);
        assert!(parse("In-stock tents?").in_stock);
        assert!(!parse("a store in Stockholm").in_stock, "whole words only");
        let q = parse("cheap rain jacket");
        assert!(q.cheap && q.shopping);
        assert_eq!(q.keywords, kw(&["rain", "jacket"]));
    }

    #[test]
    fn shopping_intent() {
        for message in [
            "do you have a waterproof jacket?",
            "I'm looking for hiking boots",
            "show me backpacks",
            "can you recommend a tent",
            "I want to buy a fleece",
            "I need a new jacket",
            "How much is the Storm Shell?",
            "got any beanies?",
        ] {
            assert!(parse(message).shopping, "{message}");
        }
        for message in ["How long does shipping take?", "What is your return policy?", "jackets", "hello"] {
            assert!(!parse(message).shopping, "{message}");
        }
        assert_eq!(parse("jackets").keywords, kw(&["jackets"]), "product words alone are checked against the catalog");
        assert_eq!(parse("What sizes does the Storm Shell come in?").keywords, kw(&["storm", "shell"]));
        assert_eq!(parse("what kind of jackets do you offer?").keywords, kw(&["jackets"]));
    }

    #[test]
    fn fts_syntax_stays_words() {
        let q = parse("jacket\" OR NEAR(* under $50");
        assert_eq!(q.keywords, kw(&["jacket", "near"]));
        assert_eq!(q.max_cents, Some(5000));
    }

    #[test]
    fn tool_input_json() {
        let q = parse("navy waterproof jacket in size M between $50 and $150 on sale, in stock");
        assert_eq!(
            q.to_input(),
            json!({"query": "waterproof jacket", "min_price": "50.00", "max_price": "150.00", "colors": ["navy"],
                   "sizes": ["M"], "in_stock": true, "on_sale": true})
        );
        assert_eq!(parse("tents").to_input(), json!({"query": "tents"}));
        assert_eq!(decimal(5), "0.05");
    }
}
