//! Splitting knowledge into passages, and keeping an item's passages in the search index.
//!
//! A chunk is a run of whole paragraphs of about [`TARGET_CHARS`] characters. A paragraph longer than
//! [`MAX_CHARS`] is cut between sentences, and a sentence longer than that between words; nothing is lost or
//! reordered, only whitespace at the cuts. Small enough that the best passage of a long document is what the AI
//! reads, large enough to keep a paragraph's context.

use crate::store::knowledge as store;
use crate::store::Tx;

/// A chunk grows by whole paragraphs until it reaches this many characters.
pub const TARGET_CHARS: usize = 800;
/// No chunk is longer than this many characters.
pub const MAX_CHARS: usize = 1200;

/// The chunks of `text`, in order. Empty text has none.
pub fn split(text: &str) -> Vec<String> {
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        for piece in pieces(paragraph) {
            let len = current.chars().count();
            if len > 0 && (len >= TARGET_CHARS || len + 2 + piece.chars().count() > MAX_CHARS) {
                chunks.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push_str("\n\n");
            }
            current.push_str(&piece);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// A paragraph as pieces of at most [`MAX_CHARS`]: itself, or its sentences (then words) packed together.
fn pieces(paragraph: &str) -> Vec<String> {
    if paragraph.chars().count() <= MAX_CHARS {
        return vec![paragraph.to_owned()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for unit in sentences(paragraph).into_iter().flat_map(words_if_long) {
        if !current.is_empty() && current.chars().count() + 1 + unit.chars().count() > MAX_CHARS {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&unit);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Sentences: cut after `.`, `!` or `?` followed by whitespace, trimmed, none empty. Also how the offline
/// responder picks sentences out of a passage.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|(_, n)| n.is_whitespace()) {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    out.push(text[start..].trim());
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// A sentence longer than [`MAX_CHARS`] as runs of words (a word longer than that is cut between characters).
fn words_if_long(sentence: &str) -> Vec<String> {
    if sentence.chars().count() <= MAX_CHARS {
        return vec![sentence.to_owned()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for word in sentence.split_whitespace() {
        let mut word = word;
        while !word.is_empty() {
            let room = MAX_CHARS.saturating_sub(current.chars().count() + usize::from(!current.is_empty()));
            let fits = word.chars().count() <= room;
            if !fits && !current.is_empty() {
                out.push(std::mem::take(&mut current));
                continue;
            }
            let cut = if fits { word.len() } else { word.char_indices().nth(MAX_CHARS).map_or(word.len(), |(i, _)| i) };
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&word[..cut]);
            word = &word[cut..];
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Rebuilds the chunks (and so the search entries) of knowledge item `id` from its stored title and content.
///
/// # Errors
/// Database errors.
pub async fn index(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    let item = store::text(tx, id).await?;
    store::delete_chunks(tx, id).await?;
    let Some((title, content)) = item else { return Ok(()) };
    for (ord, text) in split(&content).iter().enumerate() {
        store::insert_chunk(tx, id, ord as i64, &title, text).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squash(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn short_text_is_one_chunk() {
        assert_eq!(
            split("Returns are free.\n\nShipping takes 3 days."),
            ["Returns are free.\n\nShipping takes 3 days."]
        );
        assert!(split("  \n\n ").is_empty());
    }

    #[test]
    fn paragraphs_are_packed_up_to_the_target() {
        let para = "word ".repeat(60).trim().to_owned(); // 299 characters
        let text = [para.as_str(); 10].join("\n\n");
        let chunks = split(&text);
        assert_eq!(chunks.len(), 4, "{:?}", chunks.iter().map(|c| c.len()).collect::<Vec<_>>());
        assert!(chunks.iter().all(|c| c.chars().count() <= MAX_CHARS));
        assert_eq!(squash(&chunks.join(" ")), squash(&text), "nothing lost or reordered");
    }

    #[test]
    fn long_paragraphs_are_cut_between_sentences_then_words() {
        let sentence = "This sentence is about shipping to Canada and back. ";
        let text = sentence.repeat(100);
        let chunks = split(&text);
        assert!(chunks.len() >= 4);
        for c in &chunks {
            assert!(c.chars().count() <= MAX_CHARS);
            assert!(c.ends_with('.'), "cut between sentences: {c:?}");
        }
        assert_eq!(squash(&chunks.join(" ")), squash(&text));

        let word = "ü".repeat(3000); // one enormous word, multi-byte
        let chunks = split(&word);
        assert_eq!(chunks.len(), 3);
        assert!(chunks.iter().all(|c| c.chars().count() <= MAX_CHARS));
        assert_eq!(chunks.concat(), word);
    }
}
