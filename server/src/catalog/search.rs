//! Catalog search: the products that answer a [`ProductQuery`], best first, ranked by words (FTS5), by meaning (the
//! embedding model), or both fused ([`crate::retrieval`]), then held to the question's conditions.
//!
//! 1. **Candidates.** FTS5 ranks the products that share a product word with the question (bm25: title and type
//!    weigh most, tags and options next, vendor and description least); the model ranks every product by the
//!    cosine of its vector with the question's. Reciprocal rank fusion merges the two lists.
//! 2. **Conditions.** Price, colour (by family: "blue" fits Navy), size, stock and sale are checked per variant
//!    ([`super::matching`]); capacity ("sleeps 4") and exclusions ("not leather") per product.
//! 3. **Relevance.** A fused list always has a tail, so a product must also be about the question: when the
//!    question names a kind of product the catalog sells ("jacket"), only products of that kind; then either every
//!    product word of the question is in the product, or its meaning is close to the best match's.
//!
//! Visitor words reach FTS5 only quoted (like [`crate::knowledge::fts_queries`]), so `OR`, `NEAR` or `*` in a message
//! are searched for, never executed.

use std::collections::HashMap;

use super::capacity::{fit, Fit};
use super::matching::{best_variant, cheapest_fit, lead_with};
use super::query::ProductQuery;
use super::snapshot::{Entry, Snapshot};
use super::words::fold;
use super::StoredProduct;
use crate::embedding::vector::dot;
use crate::retrieval::{fuse, Retrieval};
use crate::store::products as store;
use crate::store::{Db, Dialect};

/// Products FTS5 ranks before fusion.
const LEXICAL_CANDIDATES: i64 = 200;
/// Products the model ranks before fusion.
const SEMANTIC_CANDIDATES: usize = 100;
/// Below this cosine a product is never an answer by meaning alone (all-MiniLM-L6-v2 gives unrelated shop texts
/// 0.0–0.3).
pub const SEMANTIC_FLOOR: f32 = 0.30;
/// A product whose words do not all match is an answer when its cosine is within this of the best product's.
pub const SEMANTIC_BAND: f32 = 0.05;

/// The FTS5 query for `keywords`: any of them, quoted. `None` without keywords.
pub fn fts_match(keywords: &[String]) -> Option<String> {
    let terms: Vec<String> = keywords.iter().filter_map(|w| quote(w)).collect();
    (!terms.is_empty()).then(|| terms.join(" OR "))
}

/// The Postgres `tsquery` text matching any of `keywords` (`w1 | w2`), `None` when no word is searchable. Only
/// letters and digits are kept, so visitor input cannot carry `tsquery` operators.
pub fn tsquery(keywords: &[String]) -> Option<String> {
    let terms: Vec<String> = keywords
        .iter()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    (!terms.is_empty()).then(|| terms.join(" | "))
}

/// A word as one quoted FTS5 term; `None` if nothing searchable is left once non-alphanumerics are dropped.
fn quote(word: &str) -> Option<String> {
    let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
    (!word.is_empty()).then(|| format!("\"{word}\""))
}

/// Why a product is in the answer.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The product, leading with the variant that fits the question.
    pub product: StoredProduct,
    /// Its cosine with the question, when ranked by meaning.
    pub similarity: Option<f32>,
}

/// The products a query ranks, fused, before conditions: `(entry index, similarity)`, best first; and the best
/// similarity of all.
pub async fn rank(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    snap: &Snapshot,
    q: &ProductQuery,
) -> Result<(Vec<(usize, Option<f32>)>, Option<f32>), sqlx::Error> {
    if q.keywords.is_empty() {
        // "Anything on sale?": every product, in the store's order.
        return Ok(((0..snap.entries.len()).map(|i| (i, None)).collect(), None));
    }
    let mut lexical: Vec<i64> = Vec::new();
    if retrieval.uses_words() {
        lexical = match Dialect::of(db) {
            Dialect::Sqlite => match fts_match(&q.keywords) {
                Some(m) => store::rank_sqlite(db, widget_id, &m, LEXICAL_CANDIDATES).await?,
                None => Vec::new(),
            },
            Dialect::Postgres => match tsquery(&q.keywords) {
                Some(m) => store::rank_postgres(db, widget_id, &m, LEXICAL_CANDIDATES).await?,
                None => Vec::new(),
            },
        };
    }
    let mut similarity: HashMap<i64, f32> = HashMap::new();
    let mut semantic: Vec<i64> = Vec::new();
    let mut best = None;
    if let Some(embedder) = retrieval.semantic() {
        let text = q.semantic_text();
        match embedder.embed_query(&text).await {
            Ok(v) => {
                let mut scored: Vec<(i64, f32)> =
                    snap.entries.iter().filter_map(|e| e.vector.as_ref().map(|x| (e.seq, dot(x, &v)))).collect();
                scored.sort_by(|a, b| b.1.total_cmp(&a.1));
                best = scored.first().map(|s| s.1);
                similarity = scored.iter().copied().collect();
                semantic =
                    scored.iter().take(SEMANTIC_CANDIDATES).filter(|s| s.1 >= SEMANTIC_FLOOR).map(|s| s.0).collect();
            }
            // Words still answer; the failure is the operator's to see.
            Err(e) => tracing::warn!(error = %e, "semantic search failed; ranking by words alone"),
        }
    }
    let fused = fuse(&[&lexical, &semantic]);
    let ranked = fused
        .into_iter()
        .filter_map(|(seq, _)| snap.by_seq.get(&seq).map(|&i| (i, similarity.get(&seq).copied())))
        .collect();
    Ok((ranked, best))
}

/// Whether a product satisfies the query's product-level conditions: capacity (when some product states it) and
/// exclusions.
fn product_fits(e: &Entry, q: &ProductQuery, capacity_known: bool) -> bool {
    let capacity_ok = match q.capacity {
        Some(c) => match fit(c, &e.capacities) {
            Fit::Exact => true,
            Fit::Unknown => !capacity_known,
            Fit::Other => false,
        },
        None => true,
    };
    let excluded = q.exclude.iter().any(|w| e.all.contains(&fold(w)));
    capacity_ok && !excluded
}

/// The widget's products answering `q`, best first, at most `limit`, each leading with the variant that fits the
/// question ([`lead_with`]) when it sets variant conditions. See the module docs for the steps.
///
/// # Errors
/// Database errors.
pub async fn search(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    snap: &Snapshot,
    q: &ProductQuery,
    limit: usize,
) -> Result<Vec<Hit>, sqlx::Error> {
    let (ranked, _) = rank(db, retrieval, widget_id, snap, q).await?;
    Ok(select(snap, retrieval, q, ranked, limit))
}

/// Steps 2 and 3 of the module docs over ranked candidates.
pub fn select(
    snap: &Snapshot,
    retrieval: &Retrieval,
    q: &ProductQuery,
    ranked: Vec<(usize, Option<f32>)>,
    limit: usize,
) -> Vec<Hit> {
    let keywords: Vec<String> = q.keywords.iter().map(|k| fold(k)).collect();
    let context: Vec<String> = q.context.iter().map(|k| fold(k)).collect();
    let kinds: Vec<&String> = keywords.iter().filter(|k| snap.vocabulary.is_kind(k) && !context.contains(k)).collect();
    // A capacity only rules out products that state none when some candidate states the one asked for.
    let capacity_known =
        q.capacity.is_some_and(|c| ranked.iter().any(|(i, _)| fit(c, &snap.entries[*i].capacities) == Fit::Exact));
    let mut fitting: Vec<(usize, Option<f32>, bool)> = Vec::new();
    for (i, sim) in ranked {
        let e = &snap.entries[i];
        if !product_fits(e, q, capacity_known) || best_variant(&e.product, q).is_none() {
            continue;
        }
        // A product of the kind asked for, by its title or its type, and not one saying it is not that kind
        // ("a pad, not a rug").
        // A product the question names by its title ("the Storm Shell") is of the kind asked for; but a title
        // that only shares the kind word, using it to qualify another, is not named ("a toaster" is no
        // "Countertop Toaster Oven").
        let asked: Vec<&String> = keywords.iter().filter(|k| !context.contains(k)).collect();
        let title_words: Vec<String> = super::words::folded_words(&e.product.title).collect();
        let named = asked.iter().all(|k| title_words.contains(k))
            && (asked.iter().any(|k| !kinds.contains(k)) || {
                let heads = snap.vocabulary.title_heads(&e.product.title);
                asked.iter().all(|k| heads.contains(k))
            });
        if retrieval.uses_words()
            && !kinds.is_empty()
            && !named
            && (!kinds.iter().any(|k| e.kinds.contains(*k)) || kinds.iter().any(|k| e.negated.contains(*k)))
        {
            continue;
        }
        // "A pad, not a rug": a product saying it is not what was asked for is no answer.
        if keywords.iter().any(|k| e.negated.contains(k)) {
            continue;
        }
        // Kind words must be in what the product is named by ("fleece-lined pockets" do not make a fleece).
        let all_words = keywords.iter().all(|k| {
            if kinds.contains(&k) {
                e.structured.contains(k)
            } else {
                super::concepts::stated_by(k).any(|w| e.all.contains(w))
            }
        });
        fitting.push((i, sim, all_words));
    }
    let top = fitting.iter().filter_map(|(_, s, _)| *s).fold(f32::MIN, f32::max);
    if tracing::enabled!(tracing::Level::DEBUG) {
        let shown: Vec<String> = fitting
            .iter()
            .take(12)
            .map(|(i, s, all)| {
                format!(
                    "{} ({:.3}{})",
                    snap.entries[*i].product.title,
                    s.unwrap_or(0.0),
                    if *all { ", all words" } else { "" }
                )
            })
            .collect();
        tracing::debug!(keywords = ?keywords, kinds = ?kinds, candidates = ?shown, "product search");
    }
    let close = |s: Option<f32>| s.is_some_and(|s| s >= SEMANTIC_FLOOR && s >= top - SEMANTIC_BAND);
    // Fused: when products match every word, one matching by meaning alone must be closer than the closest of them
    // (a rain jacket is near "a warm jacket for winter" in meaning, but further than the fleeces that say so).
    let best_matching = fitting.iter().filter(|f| f.2).filter_map(|f| f.1).fold(f32::MIN, f32::max);
    let closer = |s: Option<f32>| close(s) && s.is_some_and(|s| s > best_matching);
    let all_fitting: Vec<(usize, Option<f32>)> = fitting.iter().map(|(i, s, _)| (*i, *s)).collect();
    let relevant: Vec<(usize, Option<f32>)> = if keywords.is_empty() {
        fitting.into_iter().map(|(i, s, _)| (i, s)).collect()
    } else if retrieval.semantic().is_none() {
        // Words alone: the products with every word; failing that, those with the most.
        let any_all = fitting.iter().any(|f| f.2);
        if any_all {
            fitting.into_iter().filter(|f| f.2).map(|(i, s, _)| (i, s)).collect()
        } else {
            let score = |i: usize| keywords.iter().filter(|k| snap.entries[i].all.contains(*k)).count();
            let most = fitting.iter().map(|f| score(f.0)).max().unwrap_or(0);
            fitting.into_iter().filter(|f| most > 0 && score(f.0) == most).map(|(i, s, _)| (i, s)).collect()
        }
    } else if !retrieval.uses_words() {
        fitting.into_iter().filter(|f| close(f.1)).map(|(i, s, _)| (i, s)).collect()
    } else {
        fitting.into_iter().filter(|f| f.2 || closer(f.1)).map(|(i, s, _)| (i, s)).collect()
    };
    // A need that names no kind of product ("something to keep my hands warm") and that no product matches word
    // for word is answered with one kind of product: the best match's type (gloves), not everything warm.
    let by_meaning_alone = kinds.is_empty()
        && !keywords.is_empty()
        && retrieval.semantic().is_some()
        && !relevant.iter().any(|(i, _)| keywords.iter().all(|k| snap.entries[*i].all.contains(k)));
    let relevant = match relevant
        .iter()
        .filter(|r| r.1.is_some())
        .max_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0)))
    {
        Some(&(best, _)) if by_meaning_alone => {
            // Every product of that type close enough in meaning, not only those within the band of the best.
            let kind = &snap.entries[best].product.product_type;
            all_fitting
                .into_iter()
                .filter(|(i, s)| {
                    &snap.entries[*i].product.product_type == kind && s.is_some_and(|s| s >= SEMANTIC_FLOOR)
                })
                .collect()
        }
        _ => relevant,
    };
    let mut found: Vec<(Hit, bool, i64)> = Vec::new();
    for (i, similarity) in relevant {
        let mut product = snap.entries[i].product.clone();
        let Some(best) = best_variant(&product, q) else { continue };
        let available = product.variants[best].available;
        let price = cheapest_fit(&product, q).unwrap_or(i64::MAX);
        if q.has_variant_constraints() {
            lead_with(&mut product, best);
        }
        found.push((Hit { product, similarity }, available, price));
    }
    // Stable sorts keep relevance order within each group.
    if q.cheap {
        found.sort_by_key(|(_, _, price)| *price);
    } else if q.expensive {
        found.sort_by_key(|(_, _, price)| std::cmp::Reverse(*price));
    }
    found.sort_by_key(|(_, available, _)| !available);
    found.into_iter().take(limit).map(|(h, _, _)| h).collect()
}

/// Whether the widget has any product at all.
///
/// # Errors
/// Database errors.
pub async fn has_products(db: &Db, widget_id: &str) -> Result<bool, sqlx::Error> {
    store::any(db, widget_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_words_are_quoted_terms() {
        let words = vec!["waterproof".to_owned(), "jacket".to_owned()];
        assert_eq!(fts_match(&words).unwrap(), r#""waterproof" OR "jacket""#);
        assert_eq!(fts_match(&["\"*".to_owned()]), None);
        assert_eq!(fts_match(&[]), None);
    }
}
