//! BCP 47 language tags: their canonical case, their language, and a name a model understands.
//!
//! Widgets and conversations carry tags (`fr-CA`); translation compares their languages (`fr`) and asks a model for
//! "French" rather than a tag, which small local models follow more reliably.

/// A BCP 47-ish tag in canonical case (`en-us` → `en-US`, `zh-hant-tw` → `zh-Hant-TW`), or `None`.
///
/// Checks the shape (a 2–3 letter language, then 1–8 character alphanumeric subtags), not the registry.
pub fn canonical(tag: &str) -> Option<String> {
    let tag = tag.replace('_', "-");
    if tag.len() > 35 {
        return None;
    }
    let mut out = Vec::new();
    for (i, sub) in tag.split('-').enumerate() {
        let alpha = sub.bytes().all(|b| b.is_ascii_alphabetic());
        let canonical = match (i, sub.len()) {
            (0, 2 | 3) if alpha => sub.to_ascii_lowercase(),
            (0, _) => return None,
            (_, 0) | (_, 9..) => return None,
            _ if !sub.bytes().all(|b| b.is_ascii_alphanumeric()) => return None,
            (_, 2) if alpha => sub.to_ascii_uppercase(), // region
            (_, 4) if alpha => {
                let lower = sub.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..] // script
            }
            _ => sub.to_ascii_lowercase(),
        };
        out.push(canonical);
    }
    Some(out.join("-"))
}

/// The language subtag of a tag, lowercase (`fr-CA` → `fr`).
pub fn language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

/// Whether two tags name the same language (`en-US` and `en-GB` do: a reply needs no translation between them).
pub fn same_language(a: &str, b: &str) -> bool {
    language(a) == language(b)
}

/// The English name of a tag's language (`fr-CA` → `French (fr-CA)`), or the tag itself for a language this table
/// does not know; models are told both so a regional variant is kept.
pub fn describe(tag: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("ar", "Arabic"),
        ("cs", "Czech"),
        ("da", "Danish"),
        ("de", "German"),
        ("el", "Greek"),
        ("en", "English"),
        ("es", "Spanish"),
        ("fi", "Finnish"),
        ("fr", "French"),
        ("he", "Hebrew"),
        ("hi", "Hindi"),
        ("hu", "Hungarian"),
        ("id", "Indonesian"),
        ("it", "Italian"),
        ("ja", "Japanese"),
        ("ko", "Korean"),
        ("nb", "Norwegian Bokmål"),
        ("nl", "Dutch"),
        ("no", "Norwegian"),
        ("pl", "Polish"),
        ("pt", "Portuguese"),
        ("ro", "Romanian"),
        ("ru", "Russian"),
        ("sv", "Swedish"),
        ("th", "Thai"),
        ("tr", "Turkish"),
        ("uk", "Ukrainian"),
        ("vi", "Vietnamese"),
        ("zh", "Chinese"),
    ];
    let lang = language(tag);
    match NAMES.iter().find(|(code, _)| *code == lang) {
        Some((_, name)) => format!("{name} ({tag})"),
        None => format!("the language with BCP 47 tag {tag}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_tags() {
        assert_eq!(canonical("en").as_deref(), Some("en"));
        assert_eq!(canonical("EN-us").as_deref(), Some("en-US"));
        assert_eq!(canonical("zh-hant-tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(canonical("pt_BR").as_deref(), Some("pt-BR"));
        assert_eq!(canonical("es-419").as_deref(), Some("es-419"));
        for bad in ["", "e", "english", "en-", "en--US", "en US", "12", "en-abcdefghi", "fr-CA!"] {
            assert_eq!(canonical(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn languages_and_names() {
        assert_eq!(language("fr-CA"), "fr");
        assert!(same_language("en-US", "en-GB"));
        assert!(!same_language("en", "fr"));
        assert_eq!(describe("fr-CA"), "French (fr-CA)");
        assert_eq!(describe("de"), "German (de)");
        assert_eq!(describe("tlh"), "the language with BCP 47 tag tlh");
    }
}
