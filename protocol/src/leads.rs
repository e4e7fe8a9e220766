//! Leads captured in the chat: `POST /api/widget/lead`, the body of the widget's inline form.
//!
//! The email rule lives here so the widget (before sending) and the server (on every lead and identify call)
//! accept exactly the same addresses.

use serde::{Deserialize, Serialize};

/// Body of `POST /api/widget/lead`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadCaptureRequest {
    /// The conversation the form was shown in.
    pub conversation_id: String,
    /// The visitor's email address (required: the form exists to get a way back to the visitor).
    #[cfg_attr(feature = "openapi", schema(format = Email, example = "ada@example.com"))]
    pub email: String,
    /// The visitor's name, if given.
    #[serde(default)]
    pub name: Option<String>,
}

/// An address a person could have typed: one `@` with something before it, no spaces, and a domain of at least
/// two non-empty dot-separated labels. Deliverability is not ours to judge; typos like `ada@example` are.
pub fn is_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
                && domain.contains('.')
                && domain.split('.').all(|label| !label.is_empty())
                && crate::char_count(email) <= crate::identify::MAX_EMAIL_CHARS
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn email_rule() {
        for ok in ["ada@example.com", "a.b+tag@mail.example.co.uk", "é@exämple.fr", "x@y.z"] {
            assert!(is_email(ok), "{ok}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a da@example.com",
            "ada@example..com",
            "ada@.com",
            "ada@example.com.",
            "a@b@c.com",
            long.as_str(),
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
