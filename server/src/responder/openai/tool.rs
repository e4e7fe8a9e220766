//! `show_products` arguments as the model wrote them, read leniently into a [`ProductSearch`].
//!
//! Models follow a JSON schema loosely: prices come as numbers (`150`) or with a symbol (`"$150"`), a single colour as
//! a string, booleans as strings. Each of those means one thing, so it is read as that thing; only arguments that
//! are not a JSON object at all are refused.

use quincer_protocol::products::ProductSearch;
use serde_json::{Map, Value};

/// The search the arguments ask for.
///
/// # Errors
/// A sentence for the logs when `arguments` is not a JSON object (empty arguments are an empty search).
pub fn product_search(arguments: &str) -> Result<ProductSearch, String> {
    let arguments = arguments.trim();
    let value: Value = if arguments.is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_str(arguments).map_err(|e| format!("arguments are not JSON: {e}"))?
    };
    let Value::Object(args) = value else { return Err("arguments are not a JSON object".into()) };
    let text = |key: &str| match args.get(key) {
        Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let list = |key: &str| -> Vec<String> {
        match args.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.trim().to_owned()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect(),
            Some(Value::String(s)) => s.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
            Some(Value::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let flag = |key: &str| match args.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    };
    Ok(ProductSearch {
        query: text("query").unwrap_or_default(),
        min_price: text("min_price").and_then(|p| amount(&p)),
        max_price: text("max_price").and_then(|p| amount(&p)),
        colors: list("colors"),
        sizes: list("sizes"),
        in_stock: flag("in_stock"),
        on_sale: flag("on_sale"),
        sort: text("sort").map(|s| s.to_ascii_lowercase()).filter(|s| s == "price" || s == "price_desc"),
        capacity: text("capacity"),
        exclude: list("exclude"),
    })
}

/// A price as a plain decimal (`"$1,200.50"` → `"1200.50"`), or `None` when there is no number in it.
fn amount(price: &str) -> Option<String> {
    let digits: String = price.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let digits = digits.trim_matches('.');
    (!digits.is_empty() && digits.matches('.').count() <= 1).then(|| digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_arguments() {
        let s = product_search(
            r#"{"query": "waterproof jacket", "max_price": "150.00", "colors": ["navy"], "sizes": ["M"], "in_stock": true, "sort": "price"}"#,
        )
        .unwrap();
        assert_eq!(s.query, "waterproof jacket");
        assert_eq!(s.max_price.as_deref(), Some("150.00"));
        assert_eq!((s.colors, s.sizes), (vec!["navy".to_owned()], vec!["M".to_owned()]));
        assert!(s.in_stock && !s.on_sale);
        assert_eq!(s.sort.as_deref(), Some("price"));
    }

    #[test]
    fn loose_arguments_mean_what_they_say() {
        let s = product_search(r#"{"query": "boots", "min_price": 100, "max_price": "$1,200", "colors": "black, brown", "sizes": [10], "on_sale": "true", "sort": "relevance"}"#).unwrap();
        assert_eq!((s.min_price.as_deref(), s.max_price.as_deref()), (Some("100"), Some("1200")));
        assert_eq!(s.colors, ["black", "brown"]);
        assert_eq!(s.sizes, ["10"]);
        assert!(s.on_sale);
        assert_eq!(s.sort, None);
        assert_eq!(product_search("").unwrap(), ProductSearch::default());
        assert_eq!(product_search(r#"{"max_price": "cheap"}"#).unwrap().max_price, None);
    }

    #[test]
    fn non_objects_are_refused() {
        assert!(product_search("[1]").is_err());
        assert!(product_search("{\"query\": \"jack").is_err());
    }
}
