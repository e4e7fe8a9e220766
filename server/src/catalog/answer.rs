//! Whether a visitor's message is a product question, and what the catalog answers it with ([`find`]).

use quincer_protocol::products::{ProductPanel, MAX_PANEL_PRODUCTS};
use sqlx::SqlitePool;

use super::matching::{cheapest_variant, lead_with};
use super::query::{parse, ProductQuery};
use super::search::{has_products, known_words, search};
use super::StoredProduct;

/// The catalog's answer to a product question: what was understood, and what matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductMatches {
    /// The question as parsed: the `show_products` tool input ([`ProductQuery::to_input`]) and the answer's words.
    pub query: ProductQuery,
    /// The panel's ISO 4217 currency.
    pub currency: String,
    /// Matches, best first, at most [`MAX_PANEL_PRODUCTS`], each leading with the variant that fits the question.
    /// Empty when nothing matched: the answer then says so, and shows no panel.
    pub products: Vec<StoredProduct>,
    /// Product words that nothing in the catalog mentions, left out of the search (said so in the answer).
    pub ignored: Vec<String>,
    /// When nothing matched under a price ceiling: the cheapest product that fits everything else.
    pub closest: Option<StoredProduct>,
}

impl ProductMatches {
    /// The panel the `show_products` tool outputs: the matches' cards.
    pub fn panel(&self) -> ProductPanel {
        ProductPanel {
            currency: self.currency.clone(),
            products: self.products.iter().map(StoredProduct::card).collect(),
        }
    }
}

/// What the catalog answers `question` with, or `None` when it is not a product question (the knowledge base
/// answers it).
///
/// A question is a product question when it says it is shopping (`do you have`, `show me`, a price, a colour, a
/// size, a sale…), or when some product's title, type, tags, options or vendor name all of its product words
/// (`waterproof jackets`). A shopping question whose words the catalog does not all know is searched without the
/// unknown ones if at least half are known (`unicorn jackets` → jackets, saying nothing mentions "unicorn");
/// otherwise it matches nothing, honestly. A widget with no products has no product questions.
///
/// # Errors
/// Database errors.
pub async fn find(db: &SqlitePool, widget_id: &str, question: &str) -> Result<Option<ProductMatches>, sqlx::Error> {
    let query = parse(question);
    if (!query.shopping && query.keywords.is_empty()) || !has_products(db, widget_id).await? {
        return Ok(None);
    }
    matches(db, widget_id, query).await
}

/// What the catalog answers `query` with (see [`find`] for the rules); `None` for a query that is not shopping
/// and matched nothing. A query that is shopping (a model's `show_products` call always is) always gets matches,
/// possibly none.
///
/// # Errors
/// Database errors.
pub async fn matches(
    db: &SqlitePool,
    widget_id: &str,
    query: ProductQuery,
) -> Result<Option<ProductMatches>, sqlx::Error> {
    let mut search_query = query.clone();
    let mut ignored = Vec::new();
    if query.shopping && !query.keywords.is_empty() {
        let known = known_words(db, widget_id, &query.keywords).await?;
        if !known.is_empty() && known.len() * 2 >= query.keywords.len() {
            ignored = query.keywords.iter().filter(|w| !known.contains(w)).cloned().collect();
            search_query.keywords = known;
        }
    }
    let products = search(db, widget_id, &search_query, MAX_PANEL_PRODUCTS).await?;
    if products.is_empty() && !query.shopping {
        return Ok(None);
    }
    let closest = match query.max_cents {
        Some(_) if products.is_empty() => {
            // The answer quotes the closest product's first variant: make it the cheapest that fits.
            let above = ProductQuery { max_cents: None, cheap: true, ..search_query };
            search(db, widget_id, &above, 1).await?.into_iter().next().map(|mut p| {
                if let Some(i) = cheapest_variant(&p, &above) {
                    lead_with(&mut p, i);
                }
                p
            })
        }
        _ => None,
    };
    let currency = super::currency(db, widget_id).await?;
    Ok(Some(ProductMatches { query, currency, products, ignored, closest }))
}
