//! `POST /api/widget/identify`: the host page names its visitor (`Quincer('identify', {...})`, e.g. after its own
//! login), and the identity follows the visitor into every conversation the developer API shows.
//!
//! The body is the host page's object, forwarded as it is, so it is checked here field by field: each failure is a
//! 400 naming the field and the rule, because the developer reading it wrote that object. A valid body is a merge
//! patch ([`IdentifyRequest`]) stored by [`crate::visitors::identify`].

use axum::extract::State;
use axum::Json;
use quincer_protocol::identify::{
    IdentifyRequest, TraitValue, Visitor, MAX_EXTERNAL_ID_CHARS, MAX_TRAITS, MAX_TRAIT_KEY_CHARS,
    MAX_TRAIT_STRING_CHARS,
};
use serde_json::{Map, Value};

use crate::auth::VisitorAuth;
use crate::contact::{check_email, check_name, check_phone, max_chars};
use crate::error::{ApiError, ApiResult, JsonBytes};
use crate::state::AppState;
use crate::visitors;

/// The handler. Credentials come first (401/403), then the body (413/400), then the merge.
#[utoipa::path(
    post,
    path = "/api/widget/identify",
    operation_id = "identify_visitor",
    tag = "public widget",
    summary = "Attach the host page's identity of the visitor",
    description = "The server side of `Quincer('identify', {...})`. Each call merges into the visitor's identity \
        (absent fields are kept, `null` clears a field or removes a trait); a refused body changes nothing. The \
        answer is the visitor as stored.",
    security(("widget_key" = [], "visitor_token" = [])),
    request_body = IdentifyRequest,
    responses((status = 200, description = "The visitor as stored", body = Visitor)),
)]
pub async fn identify(
    State(state): State<AppState>,
    visitor: VisitorAuth,
    JsonBytes(body): JsonBytes,
) -> ApiResult<Json<Visitor>> {
    let patch = parse(&body)?;
    let identified = visitors::identify(&state.db, &visitor.visitor_id, &patch).await?;
    state.webhooks.wake(); // the visitor's lead may have changed
    Ok(Json(identified))
}

/// Reads and checks a body. Known fields are checked in a fixed order, then the traits in key order, and the first
/// failure is the answer, so the same body always gets the same error.
///
/// # Errors
/// 400 naming the field and the rule it breaks.
pub fn parse(body: &[u8]) -> ApiResult<IdentifyRequest> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "the body is empty: send a JSON object such as {\"email\": \"ada@example.com\", \"name\": \"Ada\"}",
        ));
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(ApiError::bad_request(format!(
            "the body must be a JSON object of identity fields, not {}",
            kind(&value)
        )));
    };
    if object.is_empty() {
        return Err(ApiError::bad_request(
            "the body has no fields: send at least one of email, name, phone, external_id or a custom trait",
        ));
    }
    let mut req = IdentifyRequest {
        email: known(&mut object, "email", check_email)?,
        name: known(&mut object, "name", check_name)?,
        phone: known(&mut object, "phone", check_phone)?,
        external_id: external_id(&mut object)?,
        ..IdentifyRequest::default()
    };
    // Only traits are left in `object`.
    if object.len() > MAX_TRAITS {
        return Err(ApiError::bad_request(format!(
            "too many traits: at most {MAX_TRAITS} custom traits per visitor, and this request has {}",
            object.len()
        )));
    }
    for (key, value) in object {
        let value = check_trait(&key, value)?;
        req.traits.insert(key, value);
    }
    Ok(req)
}

/// Takes a known string field out of `object`: absent is `None`, `null` (or a blank string) is `Some(None)`, and a
/// string is trimmed and checked by `check`.
fn known(
    object: &mut Map<String, Value>,
    field: &str,
    check: impl Fn(&str) -> ApiResult<()>,
) -> ApiResult<Option<Option<String>>> {
    match object.remove(field) {
        None => Ok(None),
        Some(Value::String(s)) => text(s, check),
        Some(Value::Null) => Ok(Some(None)),
        Some(other) => Err(ApiError::bad_request(format!("`{field}` must be a string or null, not {}", kind(&other)))),
    }
}

/// A trimmed string value: blank clears the field (a host page often sends `""` for "unknown"), anything else
/// must pass `check`.
fn text(s: String, check: impl Fn(&str) -> ApiResult<()>) -> ApiResult<Option<Option<String>>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(Some(None));
    }
    check(s)?;
    Ok(Some(Some(s.to_owned())))
}

/// `external_id` also takes a number, because many applications number their users; it is stored as its text.
fn external_id(object: &mut Map<String, Value>) -> ApiResult<Option<Option<String>>> {
    let check = |v: &str| max_chars("external_id", v, MAX_EXTERNAL_ID_CHARS);
    match object.remove("external_id") {
        None => Ok(None),
        Some(Value::String(s)) => text(s, check),
        Some(Value::Number(n)) => text(n.to_string(), check),
        Some(Value::Null) => Ok(Some(None)),
        Some(other) => Err(ApiError::bad_request(format!(
            "`external_id` must be a string, a number or null, not {}",
            kind(&other)
        ))),
    }
}

/// Checks one custom trait: its name, then its value (`None` for `null`, which removes it).
fn check_trait(key: &str, value: Value) -> ApiResult<Option<TraitValue>> {
    let key_ok = !key.is_empty()
        && key.chars().count() <= MAX_TRAIT_KEY_CHARS
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !key_ok {
        return Err(ApiError::bad_request(format!(
            "trait name `{}` is invalid: trait names are 1 to {MAX_TRAIT_KEY_CHARS} letters, digits, `_` or `-`",
            shorten(key)
        )));
    }
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(TraitValue::Bool(b))),
        Value::Number(n) => Ok(Some(TraitValue::Number(n))),
        Value::String(s) if s.chars().count() > MAX_TRAIT_STRING_CHARS => {
            Err(ApiError::bad_request(format!("trait `{key}` is longer than {MAX_TRAIT_STRING_CHARS} characters")))
        }
        Value::String(s) => Ok(Some(TraitValue::String(s))),
        other => Err(ApiError::bad_request(format!(
            "trait `{key}` must be a string, a number, a boolean or null, not {}; traits are flat",
            kind(&other)
        ))),
    }
}

/// A refused trait name as an error quotes it: at most a little more than the longest valid one.
fn shorten(key: &str) -> String {
    match key.char_indices().nth(MAX_TRAIT_KEY_CHARS) {
        Some((cut, _)) => format!("{}…", &key[..cut]),
        None => key.to_owned(),
    }
}

/// "an object", "an array"…: what a value is, for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quincer_protocol::identify::{MAX_EMAIL_CHARS, MAX_PHONE_CHARS};

    fn error(body: &str) -> String {
        match parse(body.as_bytes()) {
            Err(ApiError::BadRequest(message)) => message,
            other => panic!("{body} should be a 400, got {other:?}"),
        }
    }

    #[test]
    fn known_fields_are_trimmed_and_blank_or_null_clears() {
        let req = parse(br#"{"email": " ada@example.com ", "name": "", "phone": null, "external_id": 42}"#).unwrap();
        assert_eq!(req.email, Some(Some("ada@example.com".into())));
        assert_eq!(req.name, Some(None));
        assert_eq!(req.phone, Some(None));
        assert_eq!(req.external_id, Some(Some("42".into())));
        assert!(req.traits.is_empty());
    }

    #[test]
    fn other_keys_are_traits() {
        let req = parse(br#"{"plan": "pro", "seats": 3, "trial": false, "old-key": null}"#).unwrap();
        assert_eq!(req.email, None);
        assert_eq!(req.traits.len(), 4);
        assert_eq!(req.traits["old-key"], None);
        assert_eq!(req.traits["plan"], Some(TraitValue::String("pro".into())));
    }

    #[test]
    fn contact_fields_follow_the_shared_rules() {
        // The rules themselves are tested in `crate::contact`; here, that each field goes through its rule.
        assert!(error(r#"{"email": "ada"}"#).contains("not an email address"));
        let long = format!("{}@example.com", "a".repeat(MAX_EMAIL_CHARS));
        assert!(error(&format!(r#"{{"email": "{long}"}}"#)).contains("254"));
        assert!(error(r#"{"phone": "call me"}"#).contains("`phone` may only contain"));
        assert!(error(&format!(r#"{{"phone": "{}"}}"#, "1".repeat(MAX_PHONE_CHARS + 1))).contains("longer than"));
    }

    #[test]
    fn bodies_that_are_not_a_patch() {
        assert!(error("").contains("empty"));
        assert!(error("{}").contains("no fields"));
        assert!(error("[1]").contains("an array"));
        assert!(error("{").contains("invalid JSON"));
        assert!(error(r#"{"email": 5}"#).contains("`email` must be a string or null"));
        assert!(error(r#"{"external_id": true}"#).contains("`external_id`"));
    }

    #[test]
    fn traits_are_flat_named_and_bounded() {
        assert!(error(r#"{"address": {"city": "Paris"}}"#).contains("trait `address`"));
        assert!(error(r#"{"tags": ["a"]}"#).contains("an array"));
        assert!(error(r#"{"bad key": 1}"#).contains("trait name `bad key`"));
        assert!(error(r#"{"": 1}"#).contains("trait name"));
        let long_key = "k".repeat(MAX_TRAIT_KEY_CHARS + 1);
        assert!(error(&format!(r#"{{"{long_key}": 1}}"#)).contains('…'));
        let long_value = "v".repeat(MAX_TRAIT_STRING_CHARS + 1);
        assert!(error(&format!(r#"{{"bio": "{long_value}"}}"#)).contains("trait `bio` is longer than 500"));
        let many: Map<String, Value> = (0..=MAX_TRAITS).map(|i| (format!("t{i}"), Value::from(i))).collect();
        assert!(error(&Value::Object(many).to_string()).contains("too many traits"));
    }
}
