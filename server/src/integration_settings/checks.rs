//! Field checks shared by persona and widget settings: each names the field it refuses.

/// A short identifier: letters, digits and `_ . : -`, at most `max` characters.
pub fn token(field: &str, value: &str, max: usize) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-');
    if value.is_empty() || value.chars().count() > max || !value.chars().all(ok) {
        return Err(format!("`{field}` must be 1 to {max} letters, digits or `_ . : -`"));
    }
    Ok(())
}

/// A BCP 47 language tag, canonicalised.
pub fn language(field: &str, tag: &str) -> Result<String, String> {
    crate::locale::canonical(tag.trim())
        .ok_or_else(|| format!("`{field}` ({tag:?}) must be a BCP 47 language tag such as \"en\" or \"fr-CA\""))
}

/// Text of at most `max` characters, trimmed; empty refused.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("`{field}` is empty"));
    }
    if value.chars().count() > max {
        return Err(format!("`{field}` is longer than {max} characters"));
    }
    Ok(value.to_owned())
}

/// An email address.
pub fn email(field: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    let (local, domain) = value.split_once('@').unwrap_or_default();
    if value.len() > 254 || local.is_empty() || !domain.contains('.') || value.chars().any(char::is_whitespace) {
        return Err(format!("`{field}` ({value:?}) is not an email address"));
    }
    Ok(value.to_owned())
}

/// An http(s) URL.
pub fn web_url(field: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    let parsed = url::Url::parse(value).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
    if parsed.is_none() || value.len() > 2048 {
        return Err(format!("`{field}` must be an http(s) URL"));
    }
    Ok(value.to_owned())
}

/// One of `allowed`, lowercased.
pub fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, String> {
    let value = value.trim().to_ascii_lowercase();
    if allowed.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(format!("`{field}` must be one of {}", allowed.join(", ")))
    }
}

/// A list of at most `max` items.
pub fn at_most<T>(field: &str, list: &[T], max: usize) -> Result<(), String> {
    if list.len() > max {
        return Err(format!("at most {max} `{field}`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_names_its_field() {
        assert!(token("voice.voice_id", "alloy-2", 100).is_ok());
        assert!(token("voice.voice_id", "a b", 100).unwrap_err().contains("`voice.voice_id`"));
        assert_eq!(language("languages[0]", "fr-ca").unwrap(), "fr-CA");
        assert!(language("languages[1]", "not a tag").unwrap_err().contains("`languages[1]`"));
        assert!(email("email_inbox.address", "sales@shop.example").is_ok());
        assert!(email("email_inbox.address", "sales").unwrap_err().contains("not an email"));
        assert!(web_url("attendees[0].avatar_url", "javascript:alert(1)").is_err());
        assert_eq!(one_of("agent_mode", " Sales ", &["sales", "support"]).unwrap(), "sales");
        assert!(text("attendees[0].name", "  ", 80).unwrap_err().contains("empty"));
    }
}
