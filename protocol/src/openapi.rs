//! OpenAPI schemas (feature `openapi`, the server's only) of the three wire types whose shape the derive cannot
//! express: a trait value is one of three JSON types, an identify body mixes known fields with custom traits at its
//! top level, and a chat message part is a text part or any other part (`#[serde(other)]`). Every other wire type
//! derives its schema next to its definition.

use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::chat::UiPart;
use crate::identify::{
    IdentifyRequest, TraitValue, MAX_EMAIL_CHARS, MAX_EXTERNAL_ID_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS, MAX_TRAITS,
    MAX_TRAIT_KEY_CHARS, MAX_TRAIT_STRING_CHARS,
};

/// A value of one of `types`, described.
fn one_of_types(types: &[Type], description: String) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::from_iter(types.iter().cloned())).description(Some(description))
}

impl PartialSchema for TraitValue {
    fn schema() -> RefOr<Schema> {
        let text =
            format!("A flat value: a boolean, a number, or a string of at most {MAX_TRAIT_STRING_CHARS} characters.");
        one_of_types(&[Type::Boolean, Type::Number, Type::String], text).into()
    }
}

impl ToSchema for TraitValue {}

impl PartialSchema for IdentifyRequest {
    fn schema() -> RefOr<Schema> {
        let field = |what: &str, max: usize| {
            let text = format!("{what} (at most {max} characters); `null` or `\"\"` clears it.");
            one_of_types(&[Type::String, Type::Null], text)
        };
        let external_id = format!(
            "The host application's id for this user (at most {MAX_EXTERNAL_ID_CHARS} characters; a number is \
             stored as its text); `null` clears it."
        );
        let custom_trait = format!(
            "A custom trait: a flat value (a string of at most {MAX_TRAIT_STRING_CHARS} characters), or `null` to \
             remove it. Names are 1 to {MAX_TRAIT_KEY_CHARS} letters, digits, `_` or `-`; at most {MAX_TRAITS} traits \
             per visitor."
        );
        ObjectBuilder::new()
            .description(Some(
                "A merge patch of the visitor's identity: absent fields are kept, `null` clears a field or removes \
                 a trait. Keys other than the four known fields are custom traits.",
            ))
            .property("email", field("Email address", MAX_EMAIL_CHARS))
            .property("name", field("Display name", MAX_NAME_CHARS))
            .property("phone", field("Phone number", MAX_PHONE_CHARS))
            .property("external_id", one_of_types(&[Type::String, Type::Number, Type::Null], external_id))
            .additional_properties(Some(one_of_types(
                &[Type::Boolean, Type::Number, Type::String, Type::Null],
                custom_trait,
            )))
            .min_properties(Some(1))
            .into()
    }
}

impl ToSchema for IdentifyRequest {}

impl PartialSchema for UiPart {
    fn schema() -> RefOr<Schema> {
        let string = || ObjectBuilder::new().schema_type(Type::String);
        let text = ObjectBuilder::new()
            .description(Some("Plain text."))
            .property("type", string().enum_values(Some(["text"])))
            .property("text", string())
            .required("type")
            .required("text");
        let other = ObjectBuilder::new()
            .description(Some("Any other part (files, tools, reasoning, data…): accepted and ignored."))
            .property("type", string())
            .required("type");
        AnyOfBuilder::new().item(text).item(other).description(Some("One part of a `UIMessage`.")).into()
    }
}

impl ToSchema for UiPart {}
