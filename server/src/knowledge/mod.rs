//! Search over a widget's knowledge base, passage by passage: items are split into [`chunks`], and a search returns
//! each matching item with its best passage. Passages are ranked by words (SQLite FTS5, porter-stemmed) and by
//! meaning (their vectors, [`crate::embedding`]), fused ([`crate::retrieval`]): "can I send it back?" finds the
//! returns policy without sharing a word with it.

pub mod chunks;

use std::collections::HashMap;

use crate::embedding::vector::{dot, from_blob};
use crate::retrieval::{fuse, Retrieval};
use crate::store::knowledge::{self as store, Passage};
use crate::store::{Db, Dialect};

/// Below this cosine a passage is no answer by meaning alone.
pub const SEMANTIC_FLOOR: f32 = 0.35;
/// Passages the model ranks before fusion.
const SEMANTIC_CANDIDATES: usize = 40;

/// A knowledge item that matched a search, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeHit {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The item's passage that matched best (its whole content when it is short).
    pub content: String,
    /// Source URL, if the item came from a page.
    pub url: Option<String>,
}

/// Words that carry no topic: searching for them would match everything.
const STOPWORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "could", "did", "do", "does",
    "for", "from", "get", "got", "had", "has", "have", "hello", "help", "hey", "hi", "how", "i", "if", "in", "is",
    "it", "its", "me", "my", "need", "of", "on", "or", "our", "please", "so", "tell", "than", "thanks", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "us", "want", "was", "we", "what", "when",
    "where", "which", "who", "why", "will", "with", "would", "you", "your",
];

/// The topic words of a question, lowercased, de-duplicated, in order.
pub fn keywords(question: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in question.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if word.chars().count() < 2 || STOPWORDS.contains(&word.as_str()) || out.contains(&word) {
            continue;
        }
        out.push(word);
        if out.len() == 16 {
            break;
        }
    }
    out
}

/// The FTS5 queries for `question`, to run in order: every keyword (when there are several), then any keyword.
/// Empty when the question has no keywords.
///
/// Each word is quoted, so FTS5 syntax in visitor input (`AND`, `NEAR`, `*`, `"`) is searched for, never executed.
pub fn fts_queries(question: &str) -> Vec<String> {
    let quoted: Vec<String> = keywords(question).iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.len() {
        0 => Vec::new(),
        1 => quoted,
        _ => vec![quoted.join(" AND "), quoted.join(" OR ")],
    }
}

/// [`fts_queries`] as Postgres `tsquery` texts: every keyword (`a & b`), then any (`a | b`). Keywords hold only
/// letters and digits, so no `tsquery` operator comes from the visitor.
pub fn tsqueries(question: &str) -> Vec<String> {
    let words = keywords(question);
    match words.len() {
        0 => Vec::new(),
        1 => words,
        _ => vec![words.join(" & "), words.join(" | ")],
    }
}

/// The widget's knowledge items most relevant to `question`, best first, each with its best-matching passage.
///
/// Passages with every topic word of the question rank first (BM25 among them), then passages with some: in
/// "do you ship to Iceland?", the one passage about Iceland beats every page about shipping.
///
/// # Errors
/// Database errors only; a question with no searchable words finds nothing.
/// Items bound to another persona are left out: a persona answers from its own items and the unbound ones.
pub async fn search(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    persona_id: Option<&str>,
    question: &str,
    limit: i64,
) -> Result<Vec<KnowledgeHit>, sqlx::Error> {
    let mut found: HashMap<i64, KnowledgeHit> = HashMap::new();
    let mut lexical: Vec<i64> = Vec::new();
    if retrieval.uses_words() {
        let dialect = Dialect::of(db);
        let queries = match dialect {
            Dialect::Sqlite => fts_queries(question),
            Dialect::Postgres => tsqueries(question),
        };
        for query in queries {
            for (seq, hit) in passages(db, dialect, widget_id, persona_id, &query, limit * 8).await? {
                if !lexical.contains(&seq) {
                    lexical.push(seq);
                    found.insert(seq, hit);
                }
            }
            if lexical.len() as i64 >= limit * 8 {
                break;
            }
        }
    }
    let mut semantic: Vec<i64> = Vec::new();
    if let Some(embedder) = retrieval.semantic() {
        match embedder.embed_query(question).await {
            Ok(v) => {
                let mut scored: Vec<(f32, i64, KnowledgeHit)> = Vec::new();
                for (seq, blob, hit) in vectors(db, widget_id, persona_id, embedder.name()).await? {
                    if let Some(x) = from_blob(&blob, v.len()) {
                        let s = dot(&x, &v);
                        if s >= SEMANTIC_FLOOR {
                            scored.push((s, seq, hit));
                        }
                    }
                }
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                for (_, seq, hit) in scored.into_iter().take(SEMANTIC_CANDIDATES) {
                    semantic.push(seq);
                    found.entry(seq).or_insert(hit);
                }
            }
            Err(e) => tracing::warn!(error = %e, "semantic knowledge search failed; ranking by words alone"),
        }
    }
    let mut hits: Vec<KnowledgeHit> = Vec::new();
    for (seq, _) in fuse(&[&lexical, &semantic]) {
        let Some(hit) = found.remove(&seq) else { continue };
        if !hits.iter().any(|h| h.id == hit.id) {
            hits.push(hit);
        }
    }
    hits.truncate(limit.max(0) as usize);
    Ok(hits)
}

fn hit((_, id, title, content, url): Passage) -> KnowledgeHit {
    KnowledgeHit { id, title, content, url }
}

/// The vectors of `model` of the passages `persona_id` may use, with their passages.
async fn vectors(
    db: &Db,
    widget_id: &str,
    persona_id: Option<&str>,
    model: &str,
) -> Result<Vec<(i64, Vec<u8>, KnowledgeHit)>, sqlx::Error> {
    let rows = store::vectors(db, widget_id, persona_id, model).await?;
    Ok(rows
        .into_iter()
        .map(|(seq, id, title, text, url, blob)| (seq, blob, hit((seq, id, title, text, url))))
        .collect())
}

/// Passages matching `query` (FTS5 on SQLite, a `tsquery` on Postgres), best first (several may belong to one
/// item), with their ids.
async fn passages(
    db: &Db,
    dialect: Dialect,
    widget_id: &str,
    persona_id: Option<&str>,
    query: &str,
    limit: i64,
) -> Result<Vec<(i64, KnowledgeHit)>, sqlx::Error> {
    let rows = match dialect {
        Dialect::Sqlite => store::passages_sqlite(db, widget_id, persona_id, query, limit).await?,
        Dialect::Postgres => store::passages_postgres(db, widget_id, persona_id, query, limit).await?,
    };
    Ok(rows.into_iter().map(|r| (r.0, hit(r))).collect())
}

/// Chunks every item that has no chunks yet (items stored before chunking existed). Run at start.
///
/// # Errors
/// Database errors.
pub async fn index_unchunked(db: &Db) -> Result<usize, sqlx::Error> {
    let ids = store::unchunked(db).await?;
    let mut tx = db.begin().await?;
    for id in &ids {
        chunks::index(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_topic_words_only() {
        assert_eq!(keywords("Hi! How long does SHIPPING take to Canada?"), ["long", "shipping", "take", "canada"]);
        assert!(keywords("hi, can you help me?").is_empty());
    }

    #[test]
    fn quotes_words_so_fts_syntax_is_inert() {
        assert_eq!(fts_queries("returns AND NEAR(x*)"), ["\"returns\" AND \"near\"", "\"returns\" OR \"near\""]);
        assert_eq!(fts_queries("refunds?"), ["\"refunds\""]);
        assert!(fts_queries("\"\"\" ***").is_empty());
        assert!(fts_queries("").is_empty());
    }
}
