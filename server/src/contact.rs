//! The rules for contact details a visitor or a developer sends: an email address, a phone number, a name. One
//! place for the three writers of them (the host page's `identify`, the chat's lead form, the developer API's
//! leads), so they accept and refuse the same values with the same message.

use quincer_protocol::identify::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS};
use quincer_protocol::leads::is_email;

use crate::error::{ApiError, ApiResult};

/// What a refused email address is told.
const EMAIL_RULE: &str = "`email` is not an email address: it needs exactly one `@`, no spaces, and a dot in the \
     domain (e.g. ada@example.com)";

/// Refuses `value` of field `field` when it is longer than `max` characters: a 400 naming both.
///
/// # Errors
/// The value is too long.
pub fn max_chars(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.chars().count() > max {
        return Err(ApiError::bad_request(format!("`{field}` is longer than {max} characters")));
    }
    Ok(())
}

/// An email address: at most [`MAX_EMAIL_CHARS`] characters and the widget's own rule
/// ([`quincer_protocol::leads::is_email`]), so what the lead form lets through the server accepts.
///
/// # Errors
/// A 400 naming the rule.
pub fn check_email(email: &str) -> ApiResult<()> {
    max_chars("email", email, MAX_EMAIL_CHARS)?;
    if is_email(email) {
        Ok(())
    } else {
        Err(ApiError::bad_request(EMAIL_RULE))
    }
}

/// A phone number as people write it: at most [`MAX_PHONE_CHARS`] characters, digits with spaces and `+ - ( ) .`,
/// at least one digit.
///
/// # Errors
/// A 400 naming the rule.
pub fn check_phone(phone: &str) -> ApiResult<()> {
    max_chars("phone", phone, MAX_PHONE_CHARS)?;
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.');
    if !phone.chars().all(allowed) || !phone.chars().any(|c| c.is_ascii_digit()) {
        return Err(ApiError::bad_request(
            "`phone` may only contain digits, spaces and + - ( ) . (and at least one digit)",
        ));
    }
    Ok(())
}

/// A person's name: at most [`MAX_NAME_CHARS`] characters.
///
/// # Errors
/// A 400 naming the limit.
pub fn check_name(name: &str) -> ApiResult<()> {
    max_chars("name", name, MAX_NAME_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.co", "ada.lovelace+chat@mail.example.org", "x@sub.domain.example"] {
            assert!(check_email(ok).is_ok(), "{ok}");
        }
        for bad in ["ada", "ada@example", "@example.com", "a@@b.co", "a@b@c.co", "a b@c.co", "a@.com", "a@b.", "a@b..c"]
        {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(MAX_EMAIL_CHARS));
        assert!(check_email(&long).is_err(), "over the length limit");
    }

    #[test]
    fn phones() {
        for ok in ["+44 20 7946 0958", "(555) 123-4567", "555.123.4567", "0"] {
            assert!(check_phone(ok).is_ok(), "{ok}");
        }
        for bad in ["", "call me", "+", "555-CALL", "1; DROP TABLE"] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
        assert!(check_phone(&"1".repeat(MAX_PHONE_CHARS + 1)).is_err(), "over the length limit");
    }

    #[test]
    fn names() {
        assert!(check_name(&"é".repeat(MAX_NAME_CHARS)).is_ok(), "counted in characters, not bytes");
        assert!(check_name(&"a".repeat(MAX_NAME_CHARS + 1)).is_err());
    }
}
