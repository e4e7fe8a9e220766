//! What a visitor's message asks of the catalog: product words, price bounds, colours, sizes, stock and sale.
//!
//! Plain rules over the message's words, no model: they are meant to be predictable, so an owner can tell why a
//! question found what it found. Numbers only become prices next to a price word (`under`, `between`, `$`, …) and
//! never when a unit follows (`over 3 days`); one-letter sizes only count when written as sizes (`M`, `size m`), so
//! `I'm` is no size; `medium`/`large` only when the message says it means a size (`in large`, `size medium`).

use quincer_protocol::products::ProductSearch;

mod scan;
mod words;

pub use words::letter_size;

use scan::{prices, sizes, tokenize, Scanner, Token};
use words::{unambiguous_size, COLORS, QUERY_WORDS, SHOPPING_PHRASES};

use super::capacity::{self, Capacity};
use super::colors;
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
    /// `most expensive`, `priciest`: dearest first.
    pub expensive: bool,
    /// How many people, cups or slices it is for (`sleeps 4`, `a 12-cup coffee maker`).
    pub capacity: Option<Capacity>,
    /// Words the products must not have (`not leather`, `without a hood`).
    pub exclude: Vec<String>,
    /// A comparison with what was shown before: `cheaper?` (-1), `pricier?` (+1); only meaningful as a follow-up.
    pub compare_price: i8,
    /// Product words that only set the scene ("under my **ski jacket**", "espresso at **home**", "sun on
    /// **hikes**"): after a preposition, they say what the product is for, not what it is.
    pub context: Vec<String>,
    /// The message the query was read from (in English search words), which the embedding model compares with
    /// products; empty for a query put together from several messages (a follow-up).
    pub text: String,
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

    /// Whether any condition at all narrows the catalog (variant conditions, capacity, exclusions).
    pub fn has_conditions(&self) -> bool {
        self.has_variant_constraints() || self.capacity.is_some() || !self.exclude.is_empty()
    }

    /// The text the embedding model compares with products: the message, or its product words when there is no
    /// single message (a follow-up) or its words were corrected.
    pub fn semantic_text(&self) -> String {
        if self.text.trim().is_empty() {
            self.keywords.join(" ")
        } else {
            self.text.clone()
        }
    }

    /// Conditions that make a message about products even when no product word is known (a price, a colour, a
    /// size): then "nothing matched" is the honest answer rather than a knowledge-base article. A sale word alone
    /// is not one: "discount" and "deal" are as common in policy questions ("bulk discounts for teams?"), which
    /// the knowledge base answers better than an empty catalog search.
    pub fn has_hard_constraints(&self) -> bool {
        self.min_cents.is_some()
            || self.max_cents.is_some()
            || !self.colors.is_empty()
            || !self.sizes.is_empty()
            || self.capacity.is_some()
    }

    /// The `show_products` tool input: what was searched, in the stream and the stored transcript.
    ///
    /// `{"query": "waterproof jacket", "min_price": "50.00", "max_price": "150.00", "colors": ["navy"],
    /// "sizes": ["M"], "in_stock": true, "on_sale": true, "sort": "price"}`; only `query` is always present.
    pub fn to_input(&self) -> ProductSearch {
        ProductSearch {
            query: self.keywords.join(" "),
            min_price: self.min_cents.map(decimal),
            max_price: self.max_cents.map(decimal),
            colors: self.colors.clone(),
            sizes: self.sizes.clone(),
            in_stock: self.in_stock,
            on_sale: self.on_sale,
            sort: if self.cheap {
                Some("price".to_owned())
            } else if self.expensive {
                Some("price_desc".to_owned())
            } else {
                None
            },
            capacity: self.capacity.map(|c| c.to_string()),
            exclude: self.exclude.clone(),
        }
    }
}

/// Cents as a decimal string (`15000` → `"150.00"`), like the store's prices.
pub fn decimal(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
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

    let capacity = capacity::asked(message);
    if let Some((_, used)) = &capacity {
        s.used.extend(used.iter().cloned());
    }
    let capacity = capacity.map(|(c, _)| c);
    let exclude = negated(&words);
    let mut colors: Vec<String> = Vec::new();
    for w in &words {
        if is_query_color(w) && !exclude.contains(w) {
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
    let not_expensive = has_phrase("not expensive")
        || has_phrase("too expensive")
        || has_phrase("less expensive")
        || has_phrase("least expensive");
    let cheap = ["cheap", "cheapest", "affordable", "inexpensive", "lowest"].iter().any(|w| has(w))
        || (has("budget") && max_cents.is_none())
        || not_expensive;
    let expensive =
        !cheap && ["expensive", "priciest", "dearest", "premium", "luxury", "highest"].iter().any(|w| has(w));
    let compare_price = if has("cheaper") || has_phrase("less expensive") || has_phrase("lower price") {
        -1
    } else if has("pricier") || has_phrase("more expensive") || has_phrase("higher end") {
        1
    } else {
        0
    };
    let phrase = SHOPPING_PHRASES.iter().any(|p| has_phrase(p));

    let keywords: Vec<String> = keywords(message)
        .into_iter()
        .filter(|w| {
            !QUERY_WORDS.contains(&w.as_str())
                && !is_query_color(w)
                && !exclude.contains(w)
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
        || cheap
        || expensive
        || capacity.is_some();
    let (context, text) = scene(message);
    let context = context.into_iter().filter(|w| keywords.contains(w)).collect();
    ProductQuery {
        text,
        context,
        keywords,
        min_cents,
        max_cents,
        around,
        colors,
        sizes,
        in_stock,
        on_sale,
        cheap,
        expensive,
        capacity,
        exclude,
        compare_price,
        shopping,
    }
}

/// Prepositions after which words set the scene rather than name the product.
const SCENE: &[&str] =
    &["at", "on", "in", "under", "with", "during", "over", "inside", "beneath", "underneath", "around"];

/// The message's scene-setting words (see [`ProductQuery::context`]) and the message without them, for the
/// embedding model: "something warm to wear under my ski jacket" is compared as "something warm to wear".
/// `for` is no scene word ("for kids", "for winter", "for 4 people" are conditions).
fn scene(message: &str) -> (Vec<String>, String) {
    let mut context = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    let mut in_scene = false;
    for raw in message.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        // `in` sets a scene only before a place ("in bed", "in my kitchen"): "in stock", "in blue", "in size M" are
        // conditions. Amounts after a scene word are prices ("under $200", "around 50"), kept below.
        if SCENE.contains(&word.as_str()) && (word != "in" || in_place(message, raw)) {
            in_scene = true;
            context.push(String::new());
            kept.push(raw);
            continue;
        }
        if in_scene && !word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit() || c == '$') {
            context.push(word);
        } else {
            in_scene = false;
            kept.push(raw);
        }
        if raw.ends_with([',', '.', '?', '!', ';']) {
            in_scene = false;
        }
    }
    context.retain(|w| !w.is_empty());
    // A scene at the very start ("On rainy days, …") or a message that is all scene keeps its words.
    if kept.iter().filter(|w| w.chars().any(char::is_alphanumeric)).count() <= 1 {
        return (Vec::new(), message.trim().to_owned());
    }
    (context, kept.join(" ").trim_end_matches(|c: char| !c.is_alphanumeric() && c != '?').to_owned())
}

/// Whether the `in` written as `raw` in `message` is followed by a place: a possessive or article, or `bed`.
fn in_place(message: &str, raw: &str) -> bool {
    let words: Vec<String> =
        message.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).collect();
    let raws: Vec<&str> = message.split_whitespace().collect();
    raws.iter().position(|w| std::ptr::eq(*w, raw)).and_then(|i| words.get(i + 1)).is_some_and(|next| {
        matches!(next.as_str(), "my" | "the" | "our" | "your" | "his" | "her" | "their" | "bed" | "a" | "an")
    })
}

/// Whether a message word asks for a colour: a family (`blue`) or a shade shoppers ask for by name (`navy`). The
/// lexicon's other shades (`stone`, `oak`, `coffee`, `forest`) are product words in a question far more often.
fn is_query_color(word: &str) -> bool {
    colors::is_family(word) || word == "gray" || COLORS.contains(&word)
}

/// Words the message rules out: `not leather`, `no hood`, `without down`, `non-stick`-style `non leather`,
/// `anything but wool`, `except black`.
fn negated(words: &[String]) -> Vec<String> {
    const NEGATORS: &[&str] = &["not", "no", "without", "non", "except", "but", "nothing"];
    const SKIP: &[&str] = &["a", "an", "any", "made", "of", "in", "with", "too", "the", "real", "genuine"];
    let mut out: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !NEGATORS.contains(&w.as_str()) || (w == "but" && i > 0 && words[i - 1] != "anything") {
            continue;
        }
        let Some(next) = words[i + 1..].iter().find(|x| !SKIP.contains(&x.as_str())) else { continue };
        // `no more than`, `not over $100`, `not too expensive` are about prices; `not sure` is not a product word.
        let ignorable = QUERY_WORDS.contains(&next.as_str())
            || next.chars().all(|c| c.is_ascii_digit())
            || matches!(next.as_str(), "sure" | "really" | "much" | "expensive" | "pricey" | "big" | "too");
        if !ignorable && !out.contains(next) {
            out.push(next.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert_eq!(parse("a 5x8 rug").sizes, ["5x8"]);
        assert_eq!(parse("rug 8 x 10").sizes, ["8x10"]);
        assert_eq!(parse("duvet cover queen").sizes, ["Queen"]);
        assert_eq!(parse("sheets for a california king").sizes, ["California King"]);
        assert!(parse("do I get a full refund").sizes.is_empty());
        assert_eq!(parse("a 5x8 rug").keywords, ["rug"]);
        assert_eq!(parse("trail pants with a 34 waist").sizes, ["34"]);
        assert_eq!(parse("trail pants with a 34 waist").keywords, ["trail", "pants"]);
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
            "got any beanies?",
            "something to keep my hands warm",
        ] {
            assert!(parse(message).shopping, "{message}");
        }
        // "How much is …?" is a product question only when a product is named (the catalog decides: answer.rs).
        for message in
            ["How long does shipping take?", "What is your return policy?", "jackets", "hello", "How much is shipping?"]
        {
            assert!(!parse(message).shopping, "{message}");
        }
        assert_eq!(parse("jackets").keywords, kw(&["jackets"]), "product words alone are checked against the catalog");
        assert_eq!(parse("What sizes does the Storm Shell come in?").keywords, kw(&["storm", "shell"]));
        assert_eq!(parse("what kind of jackets do you offer?").keywords, kw(&["jackets"]));
    }

    #[test]
    fn scenes_are_not_the_product() {
        let q = parse("something warm to wear under my ski jacket");
        assert_eq!(q.context, ["ski", "jacket"]);
        assert_eq!(q.text, "something warm to wear under");
        assert_eq!(parse("I want to make espresso at home").context, ["home"]);
        assert!(parse("a warm jacket for winter, under $200").context.is_empty(), "`under $200` is a price");
        assert!(parse("Show me rain jackets").context.is_empty());
        assert!(parse("in stock backpacks under 80 dollars").context.is_empty(), "`in stock` is a condition");
        assert_eq!(parse("What do you have to keep me warm in bed?").context, ["bed"]);
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
            serde_json::to_value(q.to_input()).unwrap(),
            json!({"query": "waterproof jacket", "min_price": "50.00", "max_price": "150.00", "colors": ["navy"],
                   "sizes": ["M"], "in_stock": true, "on_sale": true})
        );
        assert_eq!(serde_json::to_value(parse("tents").to_input()).unwrap(), json!({"query": "tents"}));
        assert_eq!(decimal(5), "0.05");
    }
}
