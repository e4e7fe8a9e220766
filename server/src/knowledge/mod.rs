//! Full-text search over a widget's knowledge base (SQLite FTS5, porter-stemmed), passage by passage: items are
//! split into [`chunks`], and a search returns each matching item with its best passage.

pub mod chunks;

use sqlx::SqlitePool;

/// A knowledge item that matched a search, best first.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
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

/// The widget's knowledge items most relevant to `question`, best first, each with its best-matching passage.
///
/// Passages with every topic word of the question rank first (BM25 among them), then passages with some: in
/// "do you ship to Iceland?", the one passage about Iceland beats every page about shipping.
///
/// # Errors
/// Database errors only; a question with no searchable words finds nothing.
/// Items bound to another persona are left out: a persona answers from its own items and the unbound ones.
pub async fn search(
    db: &SqlitePool,
    widget_id: &str,
    persona_id: Option<&str>,
    question: &str,
    limit: i64,
) -> Result<Vec<KnowledgeHit>, sqlx::Error> {
    let mut hits: Vec<KnowledgeHit> = Vec::new();
    for query in fts_queries(question) {
        for passage in passages(db, widget_id, persona_id, &query, limit * 8).await? {
            if !hits.iter().any(|h| h.id == passage.id) {
                hits.push(passage);
            }
        }
        if hits.len() as i64 >= limit {
            break;
        }
    }
    hits.truncate(limit.max(0) as usize);
    Ok(hits)
}

/// Passages matching an FTS5 `query`, best first (several may belong to one item).
async fn passages(
    db: &SqlitePool,
    widget_id: &str,
    persona_id: Option<&str>,
    query: &str,
    limit: i64,
) -> Result<Vec<KnowledgeHit>, sqlx::Error> {
    sqlx::query_as(
        // Titles weigh five times the body: a question naming a topic should find the item about it.
        "SELECT k.id, k.title, c.text AS content, k.url
         FROM knowledge_chunks_fts f JOIN knowledge_chunks c ON c.seq = f.rowid
         JOIN knowledge_items k ON k.id = c.knowledge_id
         WHERE knowledge_chunks_fts MATCH ?1 AND k.widget_id = ?2
           AND ((k.persona_id IS NULL AND NOT EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id))
                OR k.persona_id = ?3
                OR EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id AND kp.persona_id = ?3))
         ORDER BY bm25(knowledge_chunks_fts, 5.0, 1.0)
         LIMIT ?4",
    )
    .bind(query)
    .bind(widget_id)
    .bind(persona_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Chunks every item that has no chunks yet (items stored before chunking existed). Run at start.
///
/// # Errors
/// Database errors.
pub async fn index_unchunked(db: &SqlitePool) -> Result<usize, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM knowledge_items k WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.knowledge_id = k.id)",
    )
    .fetch_all(db)
    .await?;
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
