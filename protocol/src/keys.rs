//! Credential shapes: public widget keys and secret developer keys.
//!
//! The widget checks a key's shape before it sends anything, so a developer key pasted into a page by mistake is
//! never put on the wire; the server applies the same rules to say *why* it refuses a key.

use std::fmt;

/// Prefix of public widget keys, embedded in pages.
pub const WIDGET_KEY_PREFIX: &str = "cw_live_";
/// Prefix of secret developer keys, used server-side against `/api/v1`.
pub const DEV_KEY_PREFIX: &str = "cw_dev_";

/// Why a string cannot be used as a widget key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// No key was given at all.
    Missing,
    /// A `cw_dev_` key: a secret that must never be in a web page.
    DeveloperKey,
    /// Anything else that is not `cw_live_` followed by key characters.
    Malformed,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Missing => {
                write!(f, "no widget key: add data-widget-key=\"cw_live_…\" to the Quincer <script> tag")
            }
            KeyError::DeveloperKey => write!(
                f,
                "a developer key (cw_dev_…) was given as the widget key; developer keys are secrets that must stay \
                 server-side. Revoke this key in the dashboard and embed the widget's public cw_live_… key instead"
            ),
            KeyError::Malformed => write!(
                f,
                "the widget key is not a public widget key: it must start with \"cw_live_\" (copy it from the \
                 widget's embed snippet)"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// True for the characters random key bodies are made of (URL- and header-safe).
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Checks that `key` has the shape of a public widget key.
///
/// # Errors
/// [`KeyError`] names what is wrong; its `Display` says how to fix it.
pub fn validate_widget_key(key: &str) -> Result<(), KeyError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(KeyError::Missing);
    }
    if key.starts_with(DEV_KEY_PREFIX) {
        return Err(KeyError::DeveloperKey);
    }
    match key.strip_prefix(WIDGET_KEY_PREFIX) {
        Some(body) if !body.is_empty() && body.len() <= 128 && body.chars().all(is_key_char) => Ok(()),
        _ => Err(KeyError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_public_keys() {
        assert_eq!(validate_widget_key("cw_live_abcDEF0123_-x"), Ok(()));
        assert_eq!(validate_widget_key("  cw_live_abc \n"), Ok(()));
    }

    #[test]
    fn refuses_developer_keys_with_a_reason() {
        let err = validate_widget_key("cw_dev_0123456789abcdef").unwrap_err();
        assert_eq!(err, KeyError::DeveloperKey);
        assert!(err.to_string().contains("server-side"));
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "   ",
            "cw_live_",
            "cw_live",
            "live_abc",
            "CW_LIVE_abc",
            "cw_live_abc def",
            "cw_live_<script>",
            "sk-abc",
        ] {
            assert!(validate_widget_key(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(validate_widget_key(""), Err(KeyError::Missing));
        assert_eq!(validate_widget_key(&format!("cw_live_{}", "a".repeat(129))), Err(KeyError::Malformed));
    }
}
