//! `POST /api/widget/identify`: the host page names its visitor (`Quincer('identify', {...})`).
//!
//! The widget does not need these types: it forwards the host page's object as it is, and the server checks it.
//! They describe the wire for the server, for tests and for other clients, and [`Visitor`] is also how the developer
//! API shows a conversation's visitor.
//!
//! A request is a merge patch: a field that is absent keeps its stored value, `null` clears it, a value replaces it.
//! Every key other than the four known fields is a custom trait.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// Longest `email`, in characters (the longest address SMTP can carry).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest `name`, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest `phone`, in characters.
pub const MAX_PHONE_CHARS: usize = 40;
/// Longest `external_id`, in characters.
pub const MAX_EXTERNAL_ID_CHARS: usize = 200;
/// Most custom traits a visitor has.
pub const MAX_TRAITS: usize = 50;
/// Longest trait name, in characters (letters, digits, `_` and `-`).
pub const MAX_TRAIT_KEY_CHARS: usize = 64;
/// Longest string trait value, in characters.
pub const MAX_TRAIT_STRING_CHARS: usize = 500;

/// Body of `POST /api/widget/identify`.
///
/// Each known field is three-state: `None` (absent: keep the stored value), `Some(None)` (`null`: clear it) or
/// `Some(Some(value))` (replace it). A trait set to `None` (`null`) is removed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdentifyRequest {
    /// The visitor's email address.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub email: Option<Option<String>>,
    /// The visitor's display name.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub name: Option<Option<String>>,
    /// The visitor's phone number.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub phone: Option<Option<String>>,
    /// The host application's own id for this user.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub external_id: Option<Option<String>>,
    /// Custom traits, at the top level of the object on the wire (`{"email": …, "plan": "pro"}`).
    #[serde(flatten)]
    pub traits: BTreeMap<String, Option<TraitValue>>,
}

/// Deserializes a field that is present, `null` included, as `Some(…)`; `#[serde(default)]` makes absence `None`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// A custom trait's value: flat values only, so traits stay displayable and filterable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TraitValue {
    /// `true` or `false`.
    Bool(bool),
    /// Any JSON number, kept exactly as written.
    Number(serde_json::Number),
    /// Text, at most [`MAX_TRAIT_STRING_CHARS`] characters.
    String(String),
}

/// A visitor and the identity the host page gave them: the answer of `POST /api/widget/identify`, and the `visitor`
/// of a conversation in the developer API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visitor {
    /// Always `"visitor"`.
    pub object: String,
    /// Visitor id (`vis_…`).
    pub id: String,
    /// Email address, or `null`.
    pub email: Option<String>,
    /// Display name, or `null`.
    pub name: Option<String>,
    /// Phone number, or `null`.
    pub phone: Option<String>,
    /// The host application's id for this user, or `null`.
    pub external_id: Option<String>,
    /// Custom traits (`{}` when there are none).
    pub traits: BTreeMap<String, TraitValue>,
    /// RFC 3339 time of the latest identify call, or `null` if the host page never identified this visitor.
    pub identified_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_null_and_value_are_three_states() {
        let req: IdentifyRequest = serde_json::from_str(
            r#"{"email": "ada@example.com", "name": null, "plan": "pro", "seats": 3, "vip": true, "old": null}"#,
        )
        .expect("a valid request");
        assert_eq!(req.email, Some(Some("ada@example.com".into())));
        assert_eq!(req.name, Some(None), "null clears");
        assert_eq!(req.phone, None, "absent keeps");
        assert_eq!(req.traits.len(), 4);
        assert_eq!(req.traits["plan"], Some(TraitValue::String("pro".into())));
        assert_eq!(req.traits["seats"], Some(TraitValue::Number(3.into())));
        assert_eq!(req.traits["vip"], Some(TraitValue::Bool(true)));
        assert_eq!(req.traits["old"], None, "null removes a trait");
    }

    #[test]
    fn requests_serialize_back_to_the_same_object() {
        let json = serde_json::json!({"name": null, "external_id": "u_1", "plan": "pro", "gone": null});
        let req: IdentifyRequest = serde_json::from_value(json.clone()).expect("a valid request");
        assert_eq!(serde_json::to_value(&req).expect("serializes"), json);
    }

    #[test]
    fn visitors_carry_nulls_and_flat_traits() {
        let visitor = Visitor {
            object: "visitor".into(),
            id: "vis_1".into(),
            email: None,
            name: Some("Ada".into()),
            phone: None,
            external_id: None,
            traits: BTreeMap::from([("score".into(), TraitValue::Number(serde_json::Number::from_f64(1.5).unwrap()))]),
            identified_at: None,
        };
        let json = serde_json::to_value(&visitor).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"object": "visitor", "id": "vis_1", "email": null, "name": "Ada", "phone": null,
                "external_id": null, "traits": {"score": 1.5}, "identified_at": null})
        );
        assert_eq!(serde_json::from_value::<Visitor>(json).expect("round trip"), visitor);
    }
}
