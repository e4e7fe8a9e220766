//! A widget's product catalog: products imported from its storefront ([`crate::storefront`]), searched for
//! product-aware answers, and shown as product panels.
//!
//! The `products` table keeps each product's options, variants and images as JSON in the shapes below; prices stay
//! the store's exact decimal strings, with integer-cent copies (`min_price_cents`, `max_price_cents`) only for
//! filtering. `products_fts` (rowid = `products.seq`) indexes the searchable text; whoever writes a product writes
//! its FTS row in the same transaction, with the fields [`SearchText`] derives.
//!
//! # Layout
//! - [`query`]: a visitor's message as a [`ProductQuery`] (product words, price, colour, size, capacity, stock,
//!   sale, exclusions, order); [`followup`]: a follow-up ("any of those in blue?") as a refinement of the last one.
//! - [`glossary`]: questions in French, Spanish, German, Italian, Portuguese and Dutch as English search words.
//! - [`colors`]: colour names and their families; [`capacity`]: "sleeps 4", "12-cup"; [`concepts`]: "warm" stated
//!   as "insulated" or "fleece"; [`words`]: the catalog's
//!   vocabulary, its kind words and typo correction.
//! - [`snapshot`]: a widget's catalog decoded in memory with its vectors; [`search`]: hybrid ranking (FTS5 and the
//!   embedding model, fused) held to the query's conditions; [`matching`]: which variants fit them.
//! - [`answer`]: whether a message is a product question, and its [`ProductMatches`] (the panel's content), relaxing
//!   conditions one at a time when nothing fits them all.
//! - [`tool`]: a model's `show_products` call ([`quincer_protocol::products::ProductSearch`]) searched the same way.
//! - [`mod@currency`]: the currency a widget's prices are in.

pub mod answer;
pub mod capacity;
pub mod colors;
pub mod concepts;
pub mod currency;
pub mod followup;
pub mod glossary;
pub mod matching;
pub mod query;
pub mod search;
pub mod snapshot;
pub mod tool;
pub mod words;

pub use answer::{find, ProductMatches};
pub use query::ProductQuery;

use quincer_protocol::products::{ProductCard, ProductImage, ProductOption, VariantCard};
use serde::{Deserialize, Serialize};

/// One option as stored in `products.options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredOption {
    /// Option name (`Size`).
    pub name: String,
    /// Values in the store's order.
    pub values: Vec<String>,
}

/// One variant as stored in `products.variants`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVariant {
    /// The store's variant id.
    pub id: u64,
    /// Variant title (`"M / Navy"`).
    pub title: String,
    /// Value of the first option.
    pub option1: Option<String>,
    /// Value of the second option.
    pub option2: Option<String>,
    /// Value of the third option.
    pub option3: Option<String>,
    /// Stock keeping unit.
    pub sku: Option<String>,
    /// Price, the store's exact decimal string.
    pub price: String,
    /// Price before the sale, exact, when there is one.
    pub compare_at_price: Option<String>,
    /// Purchasable now.
    pub available: bool,
    /// The variant's featured image.
    pub image: Option<StoredImage>,
}

/// One image as stored in `products.images` (and a variant's featured image).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredImage {
    /// Absolute `http(s)` URL.
    pub src: String,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// The store's alt text.
    pub alt: Option<String>,
    /// Variants this image shows.
    #[serde(default)]
    pub variant_ids: Vec<u64>,
}

/// A product as stored, with its JSON columns decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProduct {
    /// The store's product id.
    pub product_id: u64,
    /// Title.
    pub title: String,
    /// URL handle.
    pub handle: String,
    /// Description as plain text.
    pub body_text: String,
    /// Vendor.
    pub vendor: String,
    /// Product type.
    pub product_type: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Options.
    pub options: Vec<StoredOption>,
    /// Variants.
    pub variants: Vec<StoredVariant>,
    /// Images, the main one first.
    pub images: Vec<StoredImage>,
    /// Absolute product page URL.
    pub url: String,
}

#[cfg(test)]
impl StoredProduct {
    /// A test product: one available default variant at `price`, no images, at `url`.
    pub(crate) fn simple(title: &str, price: &str, url: &str) -> Self {
        StoredProduct {
            product_id: 1,
            title: title.into(),
            handle: "h".into(),
            body_text: String::new(),
            vendor: String::new(),
            product_type: String::new(),
            tags: vec![],
            options: vec![],
            variants: vec![StoredVariant {
                id: 2,
                title: "Default Title".into(),
                option1: None,
                option2: None,
                option3: None,
                sku: None,
                price: price.into(),
                compare_at_price: None,
                available: true,
                image: None,
            }],
            images: vec![],
            url: url.into(),
        }
    }
}

/// The text `products_fts` indexes for a product, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchText {
    /// Title.
    pub title: String,
    /// Product type.
    pub product_type: String,
    /// Tags joined with `", "`.
    pub tags: String,
    /// Every distinct option value of every variant, joined with spaces (colours, sizes, materials).
    pub option_values: String,
    /// Vendor.
    pub vendor: String,
    /// Description.
    pub body_text: String,
}

impl StoredProduct {
    /// What `products_fts` indexes for this product.
    pub fn search_text(&self) -> SearchText {
        let mut values: Vec<&str> = Vec::new();
        for v in &self.variants {
            for value in [&v.option1, &v.option2, &v.option3].into_iter().flatten() {
                if !values.contains(&value.as_str()) {
                    values.push(value);
                }
            }
        }
        SearchText {
            title: self.title.clone(),
            product_type: self.product_type.clone(),
            tags: self.tags.join(", "),
            option_values: values.join(" "),
            vendor: self.vendor.clone(),
            body_text: without_negated_words(&self.body_text),
        }
    }

    /// The card a product panel shows for this product.
    pub fn card(&self) -> ProductCard {
        let image = |img: &StoredImage| ProductImage {
            src: img.src.clone(),
            width: img.width,
            height: img.height,
            alt: img.alt.clone().filter(|a| !a.trim().is_empty()).unwrap_or_else(|| self.title.clone()),
        };
        // A single variant called "Default Title" is Shopify's "no options": show no selector.
        let has_options = !(self.variants.len() == 1 && self.variants[0].title == "Default Title");
        ProductCard {
            id: self.product_id,
            title: self.title.clone(),
            url: self.url.clone(),
            vendor: Some(self.vendor.clone()).filter(|v| !v.is_empty()),
            image: self.images.first().map(image),
            options: if has_options {
                self.options.iter().map(|o| ProductOption { name: o.name.clone(), values: o.values.clone() }).collect()
            } else {
                Vec::new()
            },
            variants: self
                .variants
                .iter()
                .map(|v| VariantCard {
                    id: v.id,
                    title: v.title.clone(),
                    options: if has_options {
                        [&v.option1, &v.option2, &v.option3].into_iter().flatten().cloned().collect()
                    } else {
                        Vec::new()
                    },
                    price: v.price.clone(),
                    compare_at_price: v.compare_at_price.clone().filter(|c| cents(c) > cents(&v.price)),
                    available: v.available,
                    image: v.image.as_ref().map(image),
                })
                .collect(),
        }
    }
}

/// `text` without the words it negates (`not waterproof`, `non-waterproof`, "a pad, not a rug"): a description
/// saying what a product is *not* must not make it an answer for that word.
pub fn without_negated_words(text: &str) -> String {
    split_negated(text).0
}

/// The words `text` negates, lowercased: what the product says it is not ("not a coffee maker").
pub fn negated_words(text: &str) -> Vec<String> {
    split_negated(text).1
}

/// `text` without its negated words, and those words. A negation covers the next words (after an article) up to
/// punctuation, a conjunction or three words: "not a coffee maker." negates `coffee maker`.
fn split_negated(text: &str) -> (String, Vec<String>) {
    let mut out: Vec<&str> = Vec::new();
    let mut negated: Vec<String> = Vec::new();
    let mut negating = 0;
    for word in text.split_whitespace() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        let lower = bare.to_lowercase();
        if negating > 0 {
            let ends = word.ends_with(|c: char| !c.is_alphanumeric() && c != '-');
            if matches!(lower.as_str(), "or" | "and" | "but" | "nor") {
                negating = 0;
                out.push(word);
                continue;
            }
            if !(negating == 3 && matches!(lower.as_str(), "a" | "an" | "the" | "any")) {
                negated.push(lower);
            }
            negating -= 1;
            if ends {
                negating = 0;
            }
            continue;
        }
        if lower == "not" || lower == "non" {
            negating = 3;
            continue;
        }
        if let Some(rest) = lower.strip_prefix("non-") {
            negated.push(rest.to_owned());
            continue;
        }
        out.push(word);
    }
    (out.join(" "), negated)
}

/// Whether a variant is on sale: its compare-at price is above its price.
pub fn on_sale(v: &StoredVariant) -> bool {
    match (v.compare_at_price.as_deref().and_then(price_cents), price_cents(&v.price)) {
        (Some(compare), Some(price)) => compare > price,
        _ => false,
    }
}

/// A decimal price string in integer cents (`"129.9"` → 12990); `None` when it is not a price.
pub fn price_cents(price: &str) -> Option<i64> {
    let price = price.trim();
    let (whole, frac) = price.split_once('.').unwrap_or((price, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut cents: i64 = whole.parse::<i64>().ok()?.checked_mul(100)?;
    let mut digits = frac.bytes();
    cents += i64::from(digits.next().map_or(0, |d| d - b'0')) * 10;
    cents += i64::from(digits.next().map_or(0, |d| d - b'0'));
    Some(cents)
}

fn cents(price: &str) -> i64 {
    price_cents(price).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negated_words_are_not_indexed() {
        assert_eq!(
            without_negated_words("Wind-resistant, water-repellent (not waterproof) shell, non-insulated."),
            "Wind-resistant, water-repellent shell,"
        );
        assert_eq!(without_negated_words("Fully waterproof. Not heavy"), "Fully waterproof.");
        assert_eq!(without_negated_words("A pad, not a rug. Stops sliding."), "A pad, Stops sliding.");
        assert_eq!(negated_words("The carafe only, not a coffee maker."), ["coffee", "maker"]);
        assert_eq!(negated_words("It is not a mattress or a topper"), ["mattress"]);
    }

    #[test]
    fn prices_in_cents() {
        assert_eq!(price_cents("129.90"), Some(12990));
        assert_eq!(price_cents("129.9"), Some(12990));
        assert_eq!(price_cents("5"), Some(500));
        assert_eq!(price_cents("0.05"), Some(5));
        assert_eq!(price_cents("12.999"), Some(1299));
        assert_eq!(price_cents(""), None);
        assert_eq!(price_cents("-1.00"), None);
        assert_eq!(price_cents("1,00"), None);
    }

    fn product() -> StoredProduct {
        let variant = |id, size: &str, price: &str, compare: Option<&str>, available| StoredVariant {
            id,
            title: size.into(),
            option1: Some(size.into()),
            option2: None,
            option3: None,
            sku: None,
            price: price.into(),
            compare_at_price: compare.map(Into::into),
            available,
            image: None,
        };
        StoredProduct {
            product_id: 1,
            title: "Storm Shell".into(),
            handle: "storm-shell".into(),
            body_text: String::new(),
            vendor: String::new(),
            product_type: "Jacket".into(),
            tags: vec!["waterproof".into(), "outdoor".into()],
            options: vec![StoredOption { name: "Size".into(), values: vec!["S".into(), "M".into()] }],
            variants: vec![
                variant(11, "S", "120.00", Some("150.00"), true),
                variant(12, "M", "120.00", Some("100.00"), false),
            ],
            images: Vec::new(),
            url: "https://s.test/products/storm-shell".into(),
        }
    }

    #[test]
    fn cards_keep_real_sales_only() {
        let card = product().card();
        assert_eq!(card.variants[0].compare_at_price.as_deref(), Some("150.00"));
        assert_eq!(card.variants[1].compare_at_price, None, "a compare-at price below the price is no sale");
        assert_eq!(card.variants[0].options, vec!["S"]);
        assert_eq!(card.vendor, None);
        assert_eq!(product().search_text().tags, "waterproof, outdoor");
        assert_eq!(product().search_text().option_values, "S M");
    }
}
