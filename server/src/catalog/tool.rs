//! A model's `show_products` call: its [`ProductSearch`] as a [`ProductQuery`], searched like a visitor's question.
//!
//! The model has already understood the question, so its fields are taken as given (a price, colours, sizes, stock,
//! sale, cheapest first); its `query` text is still read by the question parser, for product words and for any
//! condition the model left in the text instead of its field ("jackets under $150"). A call is always shopping:
//! it searches even with no product words ("anything on sale").

use quincer_protocol::products::ProductSearch;

use super::capacity;
use super::query::{letter_size, parse, ProductQuery};
use super::{price_cents, ProductMatches};
use crate::retrieval::Retrieval;
use crate::store::Db;

/// The query a `show_products` call asks for.
pub fn query_of(input: &ProductSearch) -> ProductQuery {
    let text = parse(&input.query);
    // "Navy blue" names two colours the catalog knows; a colour the parser does not know is kept as written.
    let given = input.colors.iter().flat_map(|c| {
        let known = parse(c).colors;
        if known.is_empty() {
            vec![c.trim().to_lowercase()]
        } else {
            known
        }
    });
    let mut colors: Vec<String> = Vec::new();
    for c in given.chain(text.colors.iter().cloned()) {
        let c = if c == "gray" { "grey".to_owned() } else { c };
        if !c.is_empty() && !colors.contains(&c) {
            colors.push(c);
        }
    }
    let mut sizes: Vec<String> = Vec::new();
    for s in input.sizes.iter().chain(&text.sizes) {
        let s = s.trim();
        // `M`, `medium` and `Medium` are one size; numbers (`10`, `10.5`) stay as they are.
        let size = letter_size(s).map(str::to_owned).unwrap_or_else(|| s.trim_start_matches("US ").to_owned());
        if !size.is_empty() && !sizes.contains(&size) {
            sizes.push(size);
        }
    }
    let price = |p: &Option<String>| p.as_deref().and_then(price_cents);
    let capacity = input.capacity.as_deref().and_then(|c| capacity::asked(c).map(|a| a.0)).or(text.capacity);
    let mut exclude: Vec<String> =
        input.exclude.iter().map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
    for w in text.exclude {
        if !exclude.contains(&w) {
            exclude.push(w);
        }
    }
    let sort = input.sort.as_deref();
    ProductQuery {
        text: String::new(),
        context: Vec::new(),
        keywords: text.keywords,
        min_cents: price(&input.min_price).or(text.min_cents),
        max_cents: price(&input.max_price).or(text.max_cents),
        around: false,
        colors,
        sizes,
        in_stock: input.in_stock || text.in_stock,
        on_sale: input.on_sale || text.on_sale,
        cheap: sort == Some("price") || (sort.is_none() && text.cheap),
        expensive: sort == Some("price_desc") || (sort.is_none() && text.expensive),
        capacity,
        exclude,
        compare_price: 0,
        shopping: true,
    }
}

/// What the catalog shows for a `show_products` call: its matches, possibly none (then the answer says so).
///
/// # Errors
/// Database errors.
pub async fn search(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    input: &ProductSearch,
) -> Result<ProductMatches, sqlx::Error> {
    let query = query_of(input);
    match super::answer::matches(db, retrieval, widget_id, query.clone()).await? {
        Some(m) => Ok(m),
        // Unreachable for a shopping query; an empty answer keeps the caller simple all the same.
        None => Ok(ProductMatches::new(query, super::currency::currency(db, widget_id).await?, Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: serde_json::Value) -> ProductSearch {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn fields_are_taken_as_given() {
        let q = query_of(&input(serde_json::json!({
            "query": "waterproof jacket", "max_price": "150", "colors": ["Navy Blue", "Gray"], "sizes": ["medium", "10"],
            "in_stock": true, "sort": "price"
        })));
        assert_eq!(q.keywords, ["waterproof", "jacket"]);
        assert_eq!((q.min_cents, q.max_cents), (None, Some(15000)));
        assert_eq!(q.colors, ["navy", "blue", "grey"]);
        assert_eq!(q.sizes, ["M", "10"]);
        assert!(q.in_stock && q.cheap && q.shopping && !q.on_sale);
        assert_eq!(
            serde_json::to_value(q.to_input()).unwrap(),
            serde_json::json!({"query": "waterproof jacket", "max_price": "150.00", "colors": ["navy", "blue", "grey"],
                "sizes": ["M", "10"], "in_stock": true, "sort": "price"})
        );
    }

    #[test]
    fn conditions_left_in_the_text_still_count() {
        let q = query_of(&input(serde_json::json!({"query": "red beanie under $30 on sale"})));
        assert_eq!(q.keywords, ["beanie"]);
        assert_eq!((q.colors.clone(), q.max_cents, q.on_sale), (vec!["red".to_owned()], Some(3000), true));
        let q = query_of(&input(serde_json::json!({"query": ""})));
        assert!(q.shopping && q.keywords.is_empty(), "an empty search is still a search");
    }
}
