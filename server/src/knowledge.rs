//! Full-text search over a widget's knowledge base (SQLite FTS5, porter-stemmed).

use sqlx::SqlitePool;

/// A knowledge item that matched a search, best first.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct KnowledgeHit {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Full content.
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

/// An FTS5 query matching any keyword of `question`, or `None` if it has none.
///
/// Each word is quoted, so FTS5 syntax in visitor input (`AND`, `NEAR`, `*`, `"`) is searched for, never executed.
pub fn fts_query(question: &str) -> Option<String> {
    let words = keywords(question);
    (!words.is_empty()).then(|| words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" OR "))
}

/// The widget's knowledge items most relevant to `question`, best first.
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
    let Some(query) = fts_query(question) else { return Ok(Vec::new()) };
    sqlx::query_as(
        // Titles weigh five times the body: a question naming a topic should find the item about it.
        "SELECT k.id, k.title, k.content, k.url
         FROM knowledge_fts f JOIN knowledge_items k ON k.seq = f.rowid
         WHERE knowledge_fts MATCH ?1 AND k.widget_id = ?2
           AND ((k.persona_id IS NULL AND NOT EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id))
                OR k.persona_id = ?3
                OR EXISTS (SELECT 1 FROM knowledge_personas kp WHERE kp.knowledge_id = k.id AND kp.persona_id = ?3))
         ORDER BY bm25(knowledge_fts, 5.0, 1.0)
         LIMIT ?4",
    )
    .bind(query)
    .bind(widget_id)
    .bind(persona_id)
    .bind(limit)
    .fetch_all(db)
    .await
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
        assert_eq!(fts_query("returns AND NEAR(x*)").unwrap(), "\"returns\" OR \"near\"");
        assert_eq!(fts_query("\"\"\" ***"), None);
        assert_eq!(fts_query(""), None);
    }
}
