//! `POST /api/widget/session`: the widget's bootstrap call.

use serde::{Deserialize, Serialize};

/// Body of `POST /api/widget/session`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRequest {
    /// The token a previous session returned; missing or unknown starts a new visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_token: Option<String>,
    /// The page the widget runs on, for persona selection and analytics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The language the host page asked for (`Quincer('setLocale')`), a BCP 47 tag. Without it, the widget's
    /// `interface_locale` setting, then the browser's languages (the request's `Accept-Language`) decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// Answer of `POST /api/widget/session`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetSession {
    /// Always `"widget_session"`.
    pub object: String,
    /// The visitor's public id.
    pub visitor_id: String,
    /// The visitor's credential: keep it, send it as `Quincer-Visitor-Token`.
    pub visitor_token: String,
    /// Public configuration of the widget.
    pub widget: WidgetPublicConfig,
    /// The widget's personas, in the order the site owner listed them.
    pub personas: Vec<PersonaPublic>,
    /// The persona that speaks on `page_url` (its URL patterns, else the default persona), if the widget has one.
    /// The server chooses, so the widget carries no pattern matcher; it asks again when a single-page app navigates.
    #[serde(default)]
    pub persona_id: Option<String>,
    /// The widget's interface in the visitor's language.
    pub interface: WidgetInterface,
}

/// The widget's own interface text (launcher label, buttons, system lines, errors) in one language, part of the
/// session (the widget asks for a session again when the host page changes the language).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetInterface {
    /// The visitor's language, a BCP 47 tag: the widget sends it with each chat request (agents' replies are
    /// translated into it) and formats prices for it. It may be a language the interface has no strings for.
    pub visitor_locale: String,
    /// The language of `strings`: the first of the visitor's languages the widget is translated into, else English.
    pub locale: String,
    /// `ltr`, or `rtl` for Arabic and Hebrew: the whole panel is mirrored.
    pub direction: String,
    /// Text by key: a string, or for text with a count an object keyed by plural category (`zero`, `one`, `two`,
    /// `few`, `many`, `other`: those of `Intl.PluralRules` for `locale`). `{name}`-style placeholders are filled
    /// in by the widget, as text.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    #[cfg(not(target_arch = "wasm32"))]
    pub strings: serde_json::Map<String, serde_json::Value>,
    /// In the browser the widget keeps the strings as the JS object the engine parsed (its `i18n` module): a Rust
    /// map would only add code to the wasm.
    #[cfg(target_arch = "wasm32")]
    #[serde(skip)]
    pub strings: (),
}

/// What a page may know about a widget: branding, never secrets or prompts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetPublicConfig {
    /// Widget id.
    pub id: String,
    /// Brand name shown in the panel.
    pub brand: String,
    /// Colours, as CSS hex strings.
    pub colors: WidgetColors,
    /// First message shown in an empty conversation.
    pub greeting: String,
    /// BCP 47 language tag of the widget's default language.
    pub locale: String,
    /// The bottom corner the launcher sits in: `"right"` or `"left"` (`"right"` when a server omits it).
    #[serde(default = "default_launcher_position")]
    pub launcher_position: String,
    /// The launcher's accessible label (at most 40 characters; `"Chat with us"` when a server omits it).
    #[serde(default = "default_launcher_label")]
    pub launcher_label: String,
    /// Colour scheme: `"auto"` (the visitor's system setting), `"light"` or `"dark"` (`"auto"` when omitted).
    #[serde(default = "default_theme")]
    pub theme: String,
}

fn default_on_bubble_color() -> String {
    "#ffffff".into()
}

fn default_theme() -> String {
    "auto".into()
}

fn default_launcher_position() -> String {
    "right".into()
}

fn default_launcher_label() -> String {
    "Chat with us".into()
}

/// The widget's colours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetColors {
    /// Brand colour: launcher, header, visitor bubbles (unless the persona has its own).
    pub primary: String,
    /// Text drawn on top of `primary`.
    pub on_primary: String,
}

/// A persona as the widget sees it: no system prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonaPublic {
    /// Persona id.
    pub id: String,
    /// Display name, shown in the panel header.
    pub name: String,
    /// Launcher and header colour while this persona speaks (CSS hex).
    pub bubble_color: String,
    /// Text colour on `bubble_color`: black or white, whichever contrasts more (at least 4.5:1, see
    /// [`crate::color::on_color`]).
    #[serde(default = "default_on_bubble_color")]
    pub on_bubble_color: String,
    /// Pages this persona speaks on.
    pub url_patterns: Vec<String>,
    /// The persona used when no pattern matches.
    pub is_default: bool,
    /// The persona's own greeting, if it has one.
    #[serde(default)]
    pub greeting: Option<String>,
    /// Avatar image URL, if any.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Offer the visitor a name-and-email form after this persona's first answer.
    #[serde(default)]
    pub capture_leads: bool,
}

#[cfg(test)]
mod tests {
    use super::WidgetPublicConfig;

    #[test]
    fn launcher_settings_default_when_absent() {
        let json = r##"{"id":"wgt_1","brand":"B","colors":{"primary":"#000","on_primary":"#fff"},"greeting":"Hi","locale":"en"}"##;
        let config: WidgetPublicConfig = serde_json::from_str(json).expect("an older server's config");
        assert_eq!(config.launcher_position, "right");
        assert_eq!(config.launcher_label, "Chat with us");
        assert_eq!(config.theme, "auto");
    }
}
