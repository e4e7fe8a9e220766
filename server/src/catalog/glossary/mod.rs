//! Questions in French, Spanish, German, Italian, Portuguese and Dutch as English search words: "¿Tienen chaquetas
//! impermeables?" searches for "do you have jackets waterproof".
//!
//! The embedding model and the full-text index both work in English (like most catalogs), so a question in another
//! language is translated word by word with a bilingual lexicon of retail and customer-support vocabulary
//! (`<lang>.tsv`: `foreign<TAB>english`, `-` for function words, `-shop` for the function words of asking to buy:
//! "tienen", "je cherche", "ich suche", which become "looking for"). The question's language is the one whose function
//! words it uses most, and only when it uses more of them than English ones: "pan" stays a pan in an English
//! question. Words the lexicon does not know (brand and product names) are kept as written.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The lexicons, by language tag.
const LEXICONS: &[(&str, &str)] = &[
    ("fr", include_str!("fr.tsv")),
    ("es", include_str!("es.tsv")),
    ("de", include_str!("de.tsv")),
    ("it", include_str!("it.tsv")),
    ("pt", include_str!("pt.tsv")),
    ("nl", include_str!("nl.tsv")),
];

/// English function words: evidence a question is English after all.
const ENGLISH: &[&str] = &[
    "the", "do", "does", "you", "have", "is", "are", "for", "with", "what", "how", "my", "me", "any", "some", "of",
    "to", "and", "can", "i", "im", "need", "want", "looking", "show", "your", "there", "this", "that", "which",
];

/// What a lexicon phrase is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// English search words.
    Words(String),
    /// A function word, dropped; `shopping` when it asks to buy.
    Function {
        /// "tienen", "je cherche", "ich suche".
        shopping: bool,
    },
}

/// One language's lexicon: folded phrase → entry.
struct Lexicon {
    tag: &'static str,
    entries: HashMap<String, Entry>,
    longest: usize,
}

static LEXICON_SET: LazyLock<Vec<Lexicon>> =
    LazyLock::new(|| LEXICONS.iter().map(|(tag, tsv)| parse(tag, tsv)).collect());

fn parse(tag: &'static str, tsv: &str) -> Lexicon {
    let mut entries = HashMap::new();
    let mut longest = 1;
    for line in tsv.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((foreign, english)) = line.split_once('\t') else { continue };
        let key = words(foreign).join(" ");
        if key.is_empty() {
            continue;
        }
        longest = longest.max(key.split(' ').count());
        let english = english.trim();
        let value = match english {
            "-" => Entry::Function { shopping: false },
            "-shop" => Entry::Function { shopping: true },
            words => Entry::Words(words.to_lowercase()),
        };
        // The first entry of a phrase wins: the lexicon lists the common meaning first.
        entries.entry(key).or_insert(value);
    }
    Lexicon { tag, entries, longest }
}

/// A character without its accent (`é` → `e`, `ß` → `ss`), lowercased.
fn fold_char(c: char, out: &mut String) {
    let c = c.to_lowercase().next().unwrap_or(c);
    let plain = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'œ' => "oe",
        'æ' => "ae",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(plain);
}

/// Folded words: letters and digits, accents removed, apostrophes and hyphens splitting (`l'envoi` → `l envoi`).
fn words(text: &str) -> Vec<String> {
    let mut folded = String::new();
    for c in text.chars() {
        fold_char(c, &mut folded);
    }
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The question's language, when it is one of the lexicons' and not English: the tag and the question in English
/// search words. `None` for English (or anything else), which is searched as written.
pub fn to_english(question: &str) -> Option<(&'static str, String)> {
    let tokens = words(question);
    let english_hits = tokens.iter().filter(|w| ENGLISH.contains(&w.as_str())).count();
    // Function words first; on a tie (`de` is French, Spanish, Portuguese and Dutch), the lexicon that knows more
    // of the question's words.
    let (lexicon, (hits, _)) = LEXICON_SET
        .iter()
        .map(|l| {
            let function =
                tokens.iter().filter(|w| matches!(l.entries.get(w.as_str()), Some(Entry::Function { .. }))).count();
            let known = tokens.iter().filter(|w| l.entries.contains_key(w.as_str())).count();
            (l, (function, known))
        })
        .max_by_key(|(_, score)| *score)?;
    if hits == 0 || hits <= english_hits {
        return None;
    }
    // Prices keep their symbols: "moins de 100 €" must still read as a price.
    let mut out: Vec<String> = Vec::new();
    let mut shopping = false;
    let mut i = 0;
    while i < tokens.len() {
        let mut matched = false;
        for n in (1..=lexicon.longest.min(tokens.len() - i)).rev() {
            let phrase = tokens[i..i + n].join(" ");
            if let Some(entry) = lexicon.entries.get(&phrase) {
                match entry {
                    Entry::Words(english) => out.push(english.clone()),
                    Entry::Function { shopping: s } => shopping |= *s,
                }
                i += n;
                matched = true;
                break;
            }
        }
        if !matched {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    if shopping {
        out.insert(0, "looking for".to_owned());
    }
    let mut text = out.join(" ");
    for symbol in ['$', '€', '£'] {
        if question.contains(symbol) {
            text.push(' ');
            text.push(symbol);
        }
    }
    Some((lexicon.tag, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_parses() {
        for l in LEXICON_SET.iter() {
            let words = l.entries.values().filter(|v| matches!(v, Entry::Words(_))).count();
            assert!(words >= 100, "{}: {words} words", l.tag);
            assert!(l.entries.len() - words >= 20, "{}: function words", l.tag);
            assert!(l.entries.values().any(|v| *v == Entry::Function { shopping: true }), "{}: asking to buy", l.tag);
        }
    }

    #[test]
    fn foreign_questions_become_english_words() {
        let (tag, text) = to_english("¿Tienen chaquetas impermeables?").unwrap();
        assert_eq!(tag, "es");
        assert!(text.starts_with("looking for") && text.contains("jacket") && text.contains("waterproof"), "{text}");
        let (tag, text) = to_english("Ich suche einen Schlafsack").unwrap();
        assert_eq!(tag, "de");
        assert!(text.contains("sleeping bag"), "{text}");
        let (tag, text) = to_english("Avez-vous des gants ?").unwrap();
        assert_eq!(tag, "fr");
        assert!(text.contains("gloves"), "{text}");
        let (tag, text) = to_english("des gants pour moins de 100 €").unwrap();
        assert_eq!(tag, "fr", "a tie on `de` goes to the language that knows more words");
        assert!(text.contains("under 100") && text.ends_with('€'), "{text}");
    }

    #[test]
    fn english_stays_english() {
        assert_eq!(to_english("Do you have a non-stick pan?"), None);
        assert_eq!(to_english("blue rain jacket"), None);
        assert_eq!(to_english("Osprey Atmos 65"), None);
    }
}
