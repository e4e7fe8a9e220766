//! Shopify's public `/products.json` feed: the fields the import reads, parsed leniently.
//!
//! Stores differ (themes, apps, old API versions), so every field but `id` has a default, prices are accepted as
//! strings (Shopify's form) or numbers, and `tags` as an array or a comma-separated string. Prices stay strings:
//! a float would turn `"129.90"` into `129.9000000001` somewhere down the line.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// One page of the feed.
#[derive(Debug, Clone, Deserialize)]
pub struct FeedPage {
    /// Raw products, parsed one by one into [`FeedProduct`] so one odd product does not sink the page.
    pub products: Vec<Value>,
}

/// A product of the feed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedProduct {
    /// The store's product id.
    pub id: u64,
    /// Title.
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    /// URL handle (`stormline-jacket`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub handle: String,
    /// Description, HTML.
    #[serde(default, deserialize_with = "null_as_default")]
    pub body_html: String,
    /// Vendor.
    #[serde(default, deserialize_with = "null_as_default")]
    pub vendor: String,
    /// Product type.
    #[serde(default, deserialize_with = "null_as_default")]
    pub product_type: String,
    /// Tags: an array, or (older feeds) one comma-separated string.
    #[serde(default, deserialize_with = "tags")]
    pub tags: Vec<String>,
    /// Options the variants differ by.
    #[serde(default, deserialize_with = "null_as_default")]
    pub options: Vec<FeedOption>,
    /// Variants.
    #[serde(default, deserialize_with = "null_as_default")]
    pub variants: Vec<FeedVariant>,
    /// Images, the main one first.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<FeedImage>,
}

/// An option (`Size`: `S`, `M`, `L`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedOption {
    /// Name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Values in the store's order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub values: Vec<String>,
}

/// A variant.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedVariant {
    /// The store's variant id.
    pub id: u64,
    /// Title (`"M / Navy"`, or `"Default Title"` for products without options).
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    /// First option value.
    #[serde(default)]
    pub option1: Option<String>,
    /// Second option value.
    #[serde(default)]
    pub option2: Option<String>,
    /// Third option value.
    #[serde(default)]
    pub option3: Option<String>,
    /// Stock keeping unit (often `""`).
    #[serde(default)]
    pub sku: Option<String>,
    /// Price, exactly as the store wrote it.
    #[serde(deserialize_with = "price")]
    pub price: String,
    /// Price before the sale, when there is one.
    #[serde(default, deserialize_with = "optional_price")]
    pub compare_at_price: Option<String>,
    /// Purchasable now; feeds that omit it sell everything they list.
    #[serde(default = "yes")]
    pub available: bool,
    /// The variant's image.
    #[serde(default)]
    pub featured_image: Option<FeedImage>,
}

/// An image.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedImage {
    /// URL: absolute, or protocol-relative (`//cdn.shopify.com/…`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub src: String,
    /// Width in pixels.
    #[serde(default)]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default)]
    pub height: Option<u32>,
    /// Variants the image shows.
    #[serde(default, deserialize_with = "null_as_default")]
    pub variant_ids: Vec<u64>,
    /// Alt text.
    #[serde(default)]
    pub alt: Option<String>,
}

fn yes() -> bool {
    true
}

fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn tags<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let tags = match Value::deserialize(d)? {
        Value::String(s) => s.split(',').map(str::to_owned).collect(),
        Value::Array(items) => items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    };
    Ok(tags.into_iter().map(|t: String| t.trim().to_owned()).filter(|t| !t.is_empty()).collect())
}

/// A price string, or a JSON number written back as the text it was sent as.
fn price_text(value: Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn price<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    price_text(Value::deserialize(d)?).ok_or_else(|| serde::de::Error::custom("a variant without a price"))
}

fn optional_price<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(price_text(Value::deserialize(d)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_shopify_products_leniently() {
        let p: FeedProduct = serde_json::from_value(json!({
            "id": 7301234567890u64, "title": "Storm", "handle": "storm", "body_html": null, "vendor": "NW",
            "tags": "rain, waterproof ,, ", "options": [{"name": "Size", "position": 1, "values": ["S", "M"]}],
            "variants": [
                {"id": 41234567890123u64, "title": "S", "option1": "S", "price": "129.90", "compare_at_price": "",
                 "available": false, "featured_image": null},
                {"id": 41234567890124u64, "title": "M", "option1": "M", "price": 99.5, "compare_at_price": "120.00"}
            ],
            "images": [{"src": "//cdn.example/a.jpg", "width": 800, "height": 1000, "variant_ids": []}]
        }))
        .unwrap();
        assert_eq!(p.tags, ["rain", "waterproof"]);
        assert_eq!(p.body_html, "");
        assert_eq!(p.variants[0].price, "129.90");
        assert_eq!(p.variants[0].compare_at_price, None);
        assert!(!p.variants[0].available);
        assert_eq!(p.variants[1].price, "99.5");
        assert!(p.variants[1].available, "a feed without `available` sells the variant");
        let tags: FeedProduct = serde_json::from_value(json!({"id": 1, "tags": ["a", " b "]})).unwrap();
        assert_eq!(tags.tags, ["a", "b"]);
        assert!(serde_json::from_value::<FeedProduct>(json!({"title": "no id"})).is_err());
    }
}
