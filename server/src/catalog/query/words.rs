//! The words the query parser knows: colours, sizes, price operators, units, shopping phrases, and the words that
//! are never product words.

/// Common colour words. Matched as whole words in option values (`Navy Blue`) or titles.
#[rustfmt::skip]
pub(super) const COLORS: &[&str] = &[
    "black", "white", "grey", "gray", "charcoal", "silver", "red", "burgundy", "maroon", "pink", "coral", "orange",
    "rust", "yellow", "mustard", "gold", "beige", "cream", "ivory", "tan", "khaki", "brown", "olive", "green", "mint",
    "sage", "teal", "turquoise", "blue", "navy", "indigo", "purple", "lavender", "plum",
];

/// Letter sizes in their canonical spelling, with the spellings that mean them.
pub(super) const LETTER_SIZES: &[(&str, &[&str])] = &[
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
pub(super) fn unambiguous_size(word: &str) -> Option<&'static str> {
    letter_size(word).filter(|_| !matches!(word, "s" | "m" | "l" | "small" | "medium" | "large" | "med"))
}

/// Words about shopping, prices or conditions: never product words.
#[rustfmt::skip]
pub(super) const QUERY_WORDS: &[&str] = &[
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
    "types", "selection", "range", "expensive", "pricier", "priciest", "dearest", "premium", "luxury", "highest",
    "lowest", "those", "it", "any", "either", "whatever", "else", "instead", "alternatives", "alternative",
    "similar", "same", "version", "versions", "model", "models", "option", "choices", "choice", "maybe", "perhaps",
    "please", "thanks", "hey", "hello", "hi", "okay", "ok", "cool", "great", "what", "about", "how", "ideas", "idea",
    "gift", "wondering", "interested", "keen", "prefer", "preferably", "ideally", "good", "quality", "should",
    "would", "could", "might", "need", "want", "get", "bring", "use", "using", "make", "work", "works", "present",
];

/// Units that make a number something other than a price (`over 3 days`).
#[rustfmt::skip]
pub(super) const UNITS: &[&str] = &[
    "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "kg",
    "g", "lb", "lbs", "oz", "l", "liter", "liters", "litre", "litres", "ml", "cm", "mm", "m", "km", "inch", "inches",
    "percent", "people", "pieces", "pcs", "items", "orders",
];

/// Phrases that say the message is shopping.
#[rustfmt::skip]
pub(super) const SHOPPING_PHRASES: &[&str] = &[
    "do you have", "do you sell", "do you carry", "do you stock", "have you got", "got any", "looking for", "look for",
    "searching for", "search for", "show me", "recommend", "suggest", "want to buy", "to buy", "buy a", "buy an",
    "buy some", "purchase", "shopping for", "in the market for", "i need a", "i need an", "i need some", "i need new",
    "i want a", "i want an", "i want some", "can i get", "where can i find", "what do you have", "something to",
    "something for", "something that", "something warm", "something light", "need something", "should i get",
    "should i buy", "should i wear", "should i bring", "what do i need", "i'm after", "im after", "gift for",
    "present for", "any good", "i want to make", "i'd like", "i would like", "keep me warm", "to keep me",
];

/// Words that put a ceiling on the price when an amount follows.
#[rustfmt::skip]
pub(super) const MAX_OPS: &[&[&str]] = &[
    &["under"], &["below"], &["less", "than"], &["cheaper", "than"], &["lower", "than"], &["no", "more", "than"],
    &["not", "more", "than"], &["max"], &["maximum"], &["max", "of"], &["up", "to"], &["at", "most"], &["within"],
    &["budget", "of"], &["budget", "is"], &["budget"], &["not", "over"], &["no", "over"],
];
/// Words that put a floor under the price when an amount follows.
#[rustfmt::skip]
pub(super) const MIN_OPS: &[&[&str]] = &[
    &["over"], &["above"], &["more", "than"], &["at", "least"], &["min"], &["minimum"], &["starting", "at"],
    &["higher", "than"], &["upwards", "of"], &["from"],
];
/// Words that ask for a price near an amount.
pub(super) const AROUND_OPS: &[&[&str]] = &[&["around"], &["about"], &["approximately"], &["roughly"], &["circa"]];
