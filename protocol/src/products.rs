//! Generative-UI product panels: the output of the `show_products` tool part in `/api/chat` streams and restored
//! transcripts, as the widget renders it.
//!
//! Prices are the store's decimal strings (`"129.00"`), never floats, so nothing is rounded on the way; the widget
//! formats them with the page's `Intl.NumberFormat` in [`ProductPanel::currency`]. Product and variant ids are the
//! store's numeric ids (Shopify's fit in a JavaScript number exactly), because the cart API takes them as numbers.

use serde::{Deserialize, Serialize};

/// The AI SDK tool name of product panels: the stream's tool parts are `tool-show_products`.
pub const SHOW_PRODUCTS: &str = "show_products";

/// Most cards in one panel.
pub const MAX_PANEL_PRODUCTS: usize = 8;

/// What the `show_products` tool was asked for: its input, as the visitor's question was understood. Every field
/// but `query` is optional; prices are decimal strings in the store's currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSearch {
    /// The words searched for (`"waterproof jacket"`).
    #[serde(default)]
    pub query: String,
    /// Lowest price wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_price: Option<String>,
    /// Highest price wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price: Option<String>,
    /// Colours asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colors: Vec<String>,
    /// Sizes asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<String>,
    /// Only products that can be bought now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_stock: bool,
    /// Only products on sale.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_sale: bool,
    /// `"price"` when the visitor asked for the cheapest, `"price_desc"` for the most expensive; else relevance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// How many people, cups or slices it is for (`"4 people"`, `"12 cups"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<String>,
    /// Words the products must not have (`["leather"]` for "not leather").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// What the `show_products` tool outputs: the cards of one panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPanel {
    /// ISO 4217 code of the store's currency (`"USD"`).
    pub currency: String,
    /// The cards, best match first (at most [`MAX_PANEL_PRODUCTS`]).
    pub products: Vec<ProductCard>,
}

/// One product card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductCard {
    /// The store's product id.
    pub id: u64,
    /// Product title (untrusted text).
    pub title: String,
    /// Absolute `http(s)` URL of the product page.
    pub url: String,
    /// Brand or maker, if the store names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The product's main image, if it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ProductImage>,
    /// Options the variants differ by (`Size`, `Color`), in the store's order; empty for single-variant products.
    #[serde(default)]
    pub options: Vec<ProductOption>,
    /// Purchasable variants; the first available one is preselected. Never empty.
    pub variants: Vec<VariantCard>,
}

/// An option and its values (`Size`: `S`, `M`, `L`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductOption {
    /// Option name.
    pub name: String,
    /// Values, in the store's order.
    pub values: Vec<String>,
}

/// One purchasable variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantCard {
    /// The store's variant id (what the cart takes).
    pub id: u64,
    /// Variant title (`"M / Navy"`).
    pub title: String,
    /// This variant's value for each of the product's options, in the same order.
    #[serde(default)]
    pub options: Vec<String>,
    /// Price as the store's decimal string, in the panel's currency.
    pub price: String,
    /// The price before a sale, when the variant is on sale (greater than `price`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<String>,
    /// Whether it can be bought now.
    pub available: bool,
    /// The variant's own image, if it has one (else the product's is shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ProductImage>,
}

/// An image, with its intrinsic size so the card reserves its space before it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductImage {
    /// Absolute `http(s)` URL.
    pub src: String,
    /// Width in pixels, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Alternative text (the store's, else the product title).
    pub alt: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_round_trips_with_exact_prices() {
        let json = r#"{"currency":"EUR","products":[{"id":7982301151,"title":"Zürich Parka","url":"https://s.test/products/p","options":[{"name":"Size","values":["S","M"]}],"variants":[{"id":43000000000001,"title":"S","options":["S"],"price":"129.90","compare_at_price":"159.00","available":false}]}]}"#;
        let panel: ProductPanel = serde_json::from_str(json).unwrap();
        assert_eq!(panel.products[0].variants[0].price, "129.90");
        assert_eq!(panel.products[0].variants[0].id, 43_000_000_000_001);
        assert_eq!(serde_json::to_string(&panel).unwrap(), json);
    }
}
