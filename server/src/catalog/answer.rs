//! Whether a visitor's message is a product question, and what the catalog answers it with ([`find`]).
//!
//! The question's words are first read against the catalog's own vocabulary: a misspelt word becomes the catalog
//! word it most likely meant ("jaket" → jacket), and a word no product uses is left out of the search and said so.
//! When the thing asked for is unknown to the catalog ("ski goggles" in an outdoor store without goggles) and
//! nothing is close in meaning either, the honest answer is that the store does not sell it: no panel. When
//! products of the kind exist but none fits every condition, the conditions are relaxed one at a time (colour, size,
//! capacity, price, sale, stock, exclusions) and the answer says which one gave.

use std::sync::Arc;

use quincer_protocol::products::{ProductPanel, MAX_PANEL_PRODUCTS};

use super::query::{parse, ProductQuery};
use super::search::{rank, select, Hit};
use super::snapshot::Snapshot;
use super::StoredProduct;
use crate::retrieval::Retrieval;
use crate::store::Db;

/// A cosine at which a question whose main word the catalog does not know still matches by meaning ("ski goggles"
/// finds nothing in a store without goggles: all-MiniLM-L6-v2 gives it 0.43 with a base layer for skiing).
const STRONG_SIMILARITY: f32 = 0.50;
/// The same for a main word only product descriptions use ("something to keep my hands warm").
const BODY_SIMILARITY: f32 = 0.40;

/// A condition given up to find something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relaxed {
    /// The colour.
    Color,
    /// The size.
    Size,
    /// The capacity ("sleeps 4").
    Capacity,
    /// The price bounds.
    Price,
    /// Only on sale.
    Sale,
    /// Only in stock.
    Stock,
    /// The excluded words.
    Exclude,
}

/// The catalog's answer to a product question: what was understood, and what matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductMatches {
    /// The question as understood: the `show_products` tool input ([`ProductQuery::to_input`]) and the answer's
    /// words. Misspelt words are corrected; words the catalog does not know are left out.
    pub query: ProductQuery,
    /// The panel's ISO 4217 currency.
    pub currency: String,
    /// The panel, best first, at most [`MAX_PANEL_PRODUCTS`], each leading with the variant that fits the question:
    /// products that fit every condition, or, when [`Self::relaxed`] is set, every condition but that one. Empty
    /// when nothing matched: the answer then says so, and shows no panel.
    pub products: Vec<StoredProduct>,
    /// Product words that nothing in the catalog mentions, left out of the search (said so in the answer).
    pub ignored: Vec<String>,
    /// The condition given up to find [`Self::products`], when nothing fitted them all.
    pub relaxed: Option<Relaxed>,
    /// The store sells nothing of the kind asked for.
    pub not_sold: bool,
    /// The catalog word naming what was asked for (`jacket`), when the question names a kind the store sells.
    pub kind: Option<String>,
    /// The store's most common product types, for an answer that says what it does sell.
    pub store_types: Vec<String>,
}

impl ProductMatches {
    /// Matches of `query`: `products`, with nothing ignored, relaxed or refused.
    pub fn new(query: ProductQuery, currency: String, products: Vec<StoredProduct>) -> Self {
        ProductMatches {
            query,
            currency,
            products,
            ignored: Vec::new(),
            relaxed: None,
            not_sold: false,
            kind: None,
            store_types: Vec::new(),
        }
    }

    /// The panel the `show_products` tool outputs: the matches' cards.
    pub fn panel(&self) -> ProductPanel {
        ProductPanel {
            currency: self.currency.clone(),
            products: self.products.iter().map(StoredProduct::card).collect(),
        }
    }
}

/// What the catalog answers `question` with, or `None` when it is not a product question (the knowledge base
/// answers it). `previous` is the query of the conversation's last product answer and the prices it showed: a
/// follow-up ("any of those in blue?", "cheaper?") refines it ([`super::followup`]).
///
/// A question is a product question when it says it is shopping (`do you have`, `show me`, a price, a colour, a
/// size, a sale…), when some product's title, type, tags, options or vendor name all of its product words
/// (`waterproof jackets`), or when it refines the previous product question. A widget with no products has none.
///
/// # Errors
/// Database errors.
pub async fn find(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    question: &str,
    previous: Option<(&ProductQuery, &[i64])>,
) -> Result<Option<ProductMatches>, sqlx::Error> {
    let parsed = parse(question);
    let snap = retrieval.snapshot(db, widget_id).await?;
    if snap.entries.is_empty() {
        return Ok(None);
    }
    let refined =
        previous.and_then(|(p, shown)| super::followup::refine(p, &parsed, question, &snap.vocabulary, shown));
    let query = match refined {
        Some(refined) => refined,
        None if !parsed.shopping && parsed.keywords.is_empty() => return Ok(None),
        None => parsed,
    };
    matches_in(db, retrieval, widget_id, &snap, query).await
}

/// What the catalog answers `query` with (see [`find`] for the rules); `None` for a query that is not shopping
/// and matched nothing. A query that is shopping (a model's `show_products` call always is) always gets matches,
/// possibly none.
///
/// # Errors
/// Database errors.
pub async fn matches(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    query: ProductQuery,
) -> Result<Option<ProductMatches>, sqlx::Error> {
    let snap = retrieval.snapshot(db, widget_id).await?;
    matches_in(db, retrieval, widget_id, &snap, query).await
}

async fn matches_in(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    snap: &Arc<Snapshot>,
    query: ProductQuery,
) -> Result<Option<ProductMatches>, sqlx::Error> {
    if snap.entries.is_empty() {
        // No catalog (a model may still call the tool): nothing matches, said in the question's own terms.
        let kind = query.keywords.last().cloned();
        return Ok(Some(answer(db, widget_id, snap, query, Vec::new(), Vec::new(), None, false, kind).await?));
    }
    let vocabulary = &snap.vocabulary;
    let mut understood = query.clone();
    let mut ignored = Vec::new();
    understood.keywords = Vec::new();
    for word in &query.keywords {
        if vocabulary.knows(word) {
            understood.keywords.push(word.clone());
        } else if let Some(fixed) = vocabulary.correct(word) {
            understood.keywords.push(fixed);
            // The model reads the corrected words, not the misspelt message.
            understood.text = String::new();
        } else {
            ignored.push(word.clone());
        }
    }
    let subject = |w: &&String| !query.context.contains(w);
    let kind = understood.keywords.iter().filter(subject).rev().find(|w| vocabulary.is_kind(w)).cloned();
    if !query.shopping && !ignored.is_empty() {
        // "How should I wash my down jacket?": words no product uses, in a question that is not shopping, are
        // the knowledge base's to answer.
        return Ok(None);
    }
    // The main word of an English noun phrase comes last ("ski goggles"): when the catalog does not know it, or
    // only its descriptions mention it ("crampons" in "crampon-compatible"), the store sells nothing of the kind,
    // unless the question names a kind it sells or is close in meaning to a product.
    let head = query.keywords.iter().filter(subject).rev().find(|w| !w.chars().all(|c| c.is_ascii_digit()));
    // How sure the model must be when the main word does not name anything the store sells: a word no product
    // uses at all ("goggles") needs a close match; one only descriptions use ("warm") less; one products are
    // named by without being a kind of product, asked for as a thing ("a microwave" in a shop of microwave-safe
    // bowls, "mattresses" beside a mattress protector), none: the store does not sell it.
    // Other words of the question the store names its products by ("sun" in "keep the sun off my head") make an
    // unknown main word less of a sign that the store has nothing of the kind.
    let named_company = query.keywords.iter().filter(subject).any(|w| Some(w) != head && vocabulary.names(w));
    let needed: Option<f32> = match head {
        // A title names the thing itself ("any xssproduct?" of "Xssproduct Deluxe"): an ordinary search.
        Some(w) if kind.is_none() && vocabulary.titles_name(w) => None,
        Some(w) if kind.is_none() && asks_for_a_thing(&query.text, w) && vocabulary.names(w) => Some(f32::INFINITY),
        Some(w) if kind.is_none() && asks_for_a_thing(&query.text, w) => Some(STRONG_SIMILARITY),
        Some(w) if ignored.contains(w) && named_company => Some(BODY_SIMILARITY),
        Some(w) if ignored.contains(w) => Some(STRONG_SIMILARITY),
        Some(w) if kind.is_none() && !vocabulary.names(w) && vocabulary.correct(w).is_none() => Some(BODY_SIMILARITY),
        _ if understood.keywords.is_empty() && !query.keywords.is_empty() => Some(STRONG_SIMILARITY),
        _ => None,
    };
    let mut not_sold = false;
    // Only a shopping question is answered by meaning alone; any other goes to the knowledge base.
    let needed = needed.map(|n| if query.shopping { n } else { f32::INFINITY });
    if let Some(needed) = needed {
        let (ranked, best) = rank(db, retrieval, widget_id, snap, &query).await?;
        tracing::debug!(keywords = ?query.keywords, best = ?best, needed, "product search: the main word names nothing the store sells");
        if best.is_some_and(|b| b >= needed) {
            // Meaning carries it: search with every word, the model ranking.
            let hits = select(snap, retrieval, &query, ranked, MAX_PANEL_PRODUCTS);
            if !hits.is_empty() {
                return Ok(Some(answer(db, widget_id, snap, query, hits, Vec::new(), None, false, kind).await?));
            }
        }
        not_sold = true;
    }
    let mut hits = Vec::new();
    let mut relaxed = None;
    if !not_sold {
        hits = search(db, retrieval, widget_id, snap, &understood).await?;
        if hits.is_empty() && understood.has_conditions() {
            for (what, without) in relaxations(&understood) {
                hits = search(db, retrieval, widget_id, snap, &without).await?;
                if !hits.is_empty() {
                    relaxed = Some(what);
                    break;
                }
            }
        }
        if hits.is_empty() && !understood.keywords.is_empty() && !understood.has_conditions() {
            not_sold = true;
        }
    }
    if !query.shopping && (not_sold || relaxed.is_some() || !names_every_word(snap, &understood, &hits)) {
        // Not a shopping question and no product is plainly about it: the knowledge base answers.
        return Ok(None);
    }
    Ok(Some(answer(db, widget_id, snap, understood, hits, ignored, relaxed, not_sold, kind).await?))
}

/// Whether `word` is used as the name of a thing in `message` ("a microwave", "any kayaks", "TVs?") rather than as
/// a quality ("anything waterproof"): after an article or a number word, in the plural, or ending the question.
fn asks_for_a_thing(message: &str, word: &str) -> bool {
    let lower = message.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let Some(at) = words.iter().rposition(|w| *w == word) else { return false };
    let before = if at > 0 { words[at - 1] } else { "" };
    // "a microwave", "a gas grill": an article one or two words before.
    let article = |w: &str| matches!(w, "a" | "an" | "any" | "some" | "the");
    article(before)
        || (at > 1 && article(words[at - 2]))
        || super::words::fold(word) != word
        || (at + 1 == words.len()
            && words.len() > 1
            && !before.is_empty()
            && matches!(words[0], "do" | "does" | "have" | "got"))
}

async fn search(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    snap: &Snapshot,
    q: &ProductQuery,
) -> Result<Vec<Hit>, sqlx::Error> {
    super::search::search(db, retrieval, widget_id, snap, q, MAX_PANEL_PRODUCTS).await
}

/// Whether some hit names every product word in its title, type, tags, options or vendor.
fn names_every_word(snap: &Snapshot, q: &ProductQuery, hits: &[Hit]) -> bool {
    let words: Vec<String> = q.keywords.iter().map(|w| super::words::fold(w)).collect();
    !words.is_empty()
        && hits.iter().any(|h| {
            snap.entries
                .iter()
                .find(|e| e.product.product_id == h.product.product_id)
                .is_some_and(|e| words.iter().all(|w| e.structured.contains(w)))
        })
}

/// The query without each of its conditions, in the order they are given up.
fn relaxations(q: &ProductQuery) -> Vec<(Relaxed, ProductQuery)> {
    let mut out = Vec::new();
    if !q.colors.is_empty() {
        out.push((Relaxed::Color, ProductQuery { colors: Vec::new(), ..q.clone() }));
    }
    if !q.sizes.is_empty() {
        out.push((Relaxed::Size, ProductQuery { sizes: Vec::new(), ..q.clone() }));
    }
    if q.capacity.is_some() {
        out.push((Relaxed::Capacity, ProductQuery { capacity: None, ..q.clone() }));
    }
    if q.min_cents.is_some() || q.max_cents.is_some() {
        // The closest above a ceiling are the cheapest above it.
        let cheap = q.cheap || q.max_cents.is_some();
        out.push((
            Relaxed::Price,
            ProductQuery { min_cents: None, max_cents: None, around: false, cheap, ..q.clone() },
        ));
    }
    if q.on_sale {
        out.push((Relaxed::Sale, ProductQuery { on_sale: false, ..q.clone() }));
    }
    if q.in_stock {
        out.push((Relaxed::Stock, ProductQuery { in_stock: false, ..q.clone() }));
    }
    if !q.exclude.is_empty() {
        out.push((Relaxed::Exclude, ProductQuery { exclude: Vec::new(), ..q.clone() }));
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn answer(
    db: &Db,
    widget_id: &str,
    snap: &Snapshot,
    query: ProductQuery,
    hits: Vec<Hit>,
    ignored: Vec<String>,
    relaxed: Option<Relaxed>,
    not_sold: bool,
    kind: Option<String>,
) -> Result<ProductMatches, sqlx::Error> {
    Ok(ProductMatches {
        query,
        currency: super::currency::currency(db, widget_id).await?,
        products: hits.into_iter().map(|h| h.product).collect(),
        ignored,
        relaxed,
        not_sold,
        kind,
        store_types: snap.top_types.clone(),
    })
}
