//! The configurable fields of a widget: the create and update body, and its validation.
//!
//! Every field is checked on its own, and a bad one is a 400 naming the field and the form it expects, so a
//! developer can fix a request from its error alone. Values are stored canonical (trimmed, lowercase colours and
//! origins, uppercase currencies), so reads show what the server will use.

use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::integration_settings::{nullable, Attendee, Voice, WidgetSettingsPatch};
use crate::locale;
use crate::origins::{self, OriginPattern};

/// Longest brand name.
const MAX_BRAND: usize = 100;
/// Longest greeting.
const MAX_GREETING: usize = 500;
/// Longest launcher label.
const MAX_LABEL: usize = 40;
/// Longest website URL.
const MAX_URL: usize = 2048;
/// Longest model id (Ollama's `library/name:tag` ids are well under it).
const MAX_MODEL_ID: usize = 200;

/// Create and update body; every field optional on update. Unknown fields are refused, so a typo is not ignored.
/// Each field also takes its camelCase name (`websiteUrl`, `withApiKey`, `primaryColor`, …).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WidgetBody {
    /// Brand name (required on create).
    #[schema(min_length = 1, max_length = 100)]
    pub brand: Option<String>,
    /// The site the widget is deployed on; `null` or `""` clears it.
    #[serde(default, alias = "websiteUrl", deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>, max_length = 2048, example = "https://shop.example")]
    pub website_url: Option<Option<String>>,
    /// Create only: mint a first `cw_live_` key (default `true`).
    #[serde(alias = "withApiKey")]
    pub with_api_key: Option<bool>,
    /// Brand colour, CSS hex (`#rgb` or `#rrggbb`).
    #[serde(alias = "primaryColor")]
    #[schema(example = "#0ea5e9")]
    pub primary_color: Option<String>,
    /// `right` or `left`.
    #[serde(alias = "launcherPosition")]
    #[schema(example = "left")]
    pub launcher_position: Option<String>,
    /// Colour scheme: `auto` (the visitor's system setting), `light` or `dark`.
    #[schema(example = "dark")]
    pub theme: Option<String>,
    /// The launcher's label, 1 to 40 characters.
    #[serde(alias = "launcherLabel")]
    #[schema(min_length = 1, max_length = 40)]
    pub launcher_label: Option<String>,
    /// Greeting of an empty conversation, 1 to 500 characters.
    #[schema(min_length = 1, max_length = 500)]
    pub greeting: Option<String>,
    /// BCP 47 language tag.
    #[schema(example = "fr-CA")]
    pub locale: Option<String>,
    /// Language of the widget's interface: `auto` (the visitor's) or a BCP 47 tag every visitor gets.
    #[serde(alias = "interfaceLocale")]
    #[schema(example = "auto")]
    pub interface_locale: Option<String>,
    /// ISO 4217 code; `null` or `""` clears it.
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>, example = "EUR")]
    pub currency: Option<Option<String>>,
    /// Origins allowed to use the widget from a browser (`https://shop.example`, `https://*.shop.example`, at most
    /// 100); `[]` allows every origin.
    #[serde(alias = "allowedOrigins")]
    #[schema(example = json!(["https://shop.example"]))]
    pub allowed_origins: Option<Vec<String>>,
    /// The model that answers: an id from `GET /api/v1/models`; `null` or `""` goes back to the server's default.
    #[serde(default, alias = "aiModel", deserialize_with = "crate::api::nullable")]
    pub ai_model: Option<Option<String>>,
    /// `ai_first` (default), `human_first` or `ai_only` (stored for the Slack/Telegram integrations).
    #[serde(default, alias = "agentMode", deserialize_with = "nullable")]
    pub agent_mode: Option<Option<String>>,
    /// Voice: `{"enabled", "voice_id", "language"}` (stored for the voice relay).
    #[serde(default, deserialize_with = "nullable")]
    pub voice: Option<Option<Voice>>,
    /// BCP 47 languages the widget serves (stored for integrations).
    #[serde(default, deserialize_with = "nullable")]
    pub languages: Option<Option<Vec<String>>>,
    /// The people who answer: `[{"name", "email", "avatar_url", "role"}]` (stored for integrations).
    #[serde(default, deserialize_with = "nullable")]
    pub attendees: Option<Option<Vec<Attendee>>>,
}

impl WidgetBody {
    /// The channel and integration fields of the body.
    pub fn settings_patch(&mut self) -> WidgetSettingsPatch {
        WidgetSettingsPatch {
            agent_mode: self.agent_mode.take(),
            voice: self.voice.take(),
            languages: self.languages.take(),
            attendees: self.attendees.take(),
        }
    }
}

/// A body's values, checked and canonical; `None` leaves a field unchanged.
pub use crate::store::widgets::Changes as Checked;

/// Checks every field present in `body`.
///
/// # Errors
/// 400 naming the first bad field and the form it expects.
pub fn check(body: &WidgetBody) -> ApiResult<Checked> {
    let bad = |msg: String| Err(ApiError::BadRequest(msg));
    let mut c = Checked::default();
    if let Some(brand) = &body.brand {
        let brand = brand.trim();
        if brand.is_empty() {
            return bad("`brand` is empty: give the brand name shown in the chat panel".into());
        }
        if brand.chars().count() > MAX_BRAND {
            return bad(format!("`brand` is longer than {MAX_BRAND} characters"));
        }
        c.brand = Some(brand.to_owned());
    }
    if let Some(url) = &body.website_url {
        c.website_url = Some(match url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) if u.len() > MAX_URL => return bad(format!("`website_url` is longer than {MAX_URL} bytes")),
            Some(u) => match OriginPattern::of_url(u) {
                Ok(_) => Some(u.to_owned()),
                Err(why) => {
                    return bad(format!(
                        "`website_url` ({u:?}) {why}; expected an http(s) URL such as https://shop.example"
                    ))
                }
            },
        });
    }
    if let Some(color) = &body.primary_color {
        let color = color.trim();
        let hex = color.strip_prefix('#').unwrap_or_default();
        if !matches!(hex.len(), 3 | 6) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return bad(format!("`primary_color` ({color:?}) must be a CSS hex colour such as #4f46e5"));
        }
        c.primary_color = Some(color.to_ascii_lowercase());
    }
    if let Some(position) = &body.launcher_position {
        match position.trim() {
            p @ ("right" | "left") => c.launcher_position = Some(p.to_owned()),
            p => return bad(format!("`launcher_position` ({p:?}) must be \"right\" or \"left\"")),
        }
    }
    if let Some(theme) = &body.theme {
        match theme.trim() {
            t @ ("auto" | "light" | "dark") => c.theme = Some(t.to_owned()),
            t => return bad(format!("`theme` ({t:?}) must be \"auto\", \"light\" or \"dark\"")),
        }
    }
    if let Some(label) = &body.launcher_label {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL {
            return bad(format!("`launcher_label` must be 1 to {MAX_LABEL} characters, such as \"Chat with us\""));
        }
        c.launcher_label = Some(label.to_owned());
    }
    if let Some(greeting) = &body.greeting {
        let greeting = greeting.trim();
        if greeting.is_empty() || greeting.chars().count() > MAX_GREETING {
            return bad(format!("`greeting` must be 1 to {MAX_GREETING} characters"));
        }
        c.greeting = Some(greeting.to_owned());
    }
    if let Some(locale) = &body.locale {
        c.locale = Some(locale::canonical(locale.trim()).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "`locale` ({locale:?}) must be a BCP 47 language tag such as \"en\", \"fr-CA\" or \"zh-Hant-TW\""
            ))
        })?);
    }
    if let Some(tag) = &body.interface_locale {
        c.interface_locale = Some(match tag.trim() {
            "auto" => "auto".to_owned(),
            t => locale::canonical(t).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "`interface_locale` ({tag:?}) must be \"auto\" (the visitor's language) or a BCP 47 language tag \
                     such as \"fr\" or \"ar\""
                ))
            })?,
        });
    }
    if let Some(currency) = &body.currency {
        c.currency = Some(match currency.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(code) if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(code.to_ascii_uppercase())
            }
            Some(code) => {
                return bad(format!(
                "`currency` ({code:?}) must be an ISO 4217 code of three letters such as \"USD\" or \"EUR\", or null"
            ))
            }
        });
    }
    if let Some(list) = &body.allowed_origins {
        if list.len() > origins::MAX_ORIGINS {
            return bad(format!("at most {} `allowed_origins`", origins::MAX_ORIGINS));
        }
        let mut clean: Vec<String> = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let origin = OriginPattern::parse(entry).map_err(|why| {
                ApiError::BadRequest(format!("`allowed_origins[{i}]` ({entry:?}) {why}; {}", origins::EXPECTED))
            })?;
            let origin = origin.to_string();
            if !clean.contains(&origin) {
                clean.push(origin);
            }
        }
        c.allowed_origins = Some(serde_json::to_string(&clean).unwrap_or_else(|_| "[]".into()));
    }
    if let Some(model) = &body.ai_model {
        c.ai_model = Some(match model.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            None => None,
            Some(m)
                if m.chars().count() <= MAX_MODEL_ID && !m.chars().any(|ch| ch.is_whitespace() || ch.is_control()) =>
            {
                Some(m.to_owned())
            }
            Some(m) => {
                return bad(format!(
                    "`ai_model` ({:?}) is not a model id: use an `id` from GET /api/v1/models, such as \"{}\"",
                    m.chars().take(40).collect::<String>(),
                    crate::responder::models::OFFLINE_MODEL
                ))
            }
        });
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: serde_json::Value) -> WidgetBody {
        serde_json::from_value(json).expect("a body")
    }

    fn error(json: serde_json::Value) -> String {
        check(&body(json)).expect_err("a 400").to_string()
    }

    #[test]
    fn values_come_back_canonical() {
        let c = check(&body(serde_json::json!({
            "brand": "  Acme ", "websiteUrl": "https://acme.example/shop", "primaryColor": "#0F766E",
            "launcherPosition": "left", "launcherLabel": " Ask us ", "locale": "fr-ca", "currency": "eur", "theme": " dark",
            "interfaceLocale": "AR",
            "allowedOrigins": ["https://Acme.example/", "https://*.acme.example", "https://acme.example"],
        })))
        .expect("valid");
        assert_eq!(c.brand.as_deref(), Some("Acme"));
        assert_eq!(c.website_url, Some(Some("https://acme.example/shop".into())));
        assert_eq!(c.primary_color.as_deref(), Some("#0f766e"));
        assert_eq!(c.launcher_position.as_deref(), Some("left"));
        assert_eq!(c.launcher_label.as_deref(), Some("Ask us"));
        assert_eq!(c.theme.as_deref(), Some("dark"));
        assert_eq!(c.locale.as_deref(), Some("fr-CA"));
        assert_eq!(c.interface_locale.as_deref(), Some("ar"));
        assert_eq!(c.currency, Some(Some("EUR".into())));
        assert_eq!(c.allowed_origins.as_deref(), Some(r#"["https://acme.example","https://*.acme.example"]"#));
    }

    #[test]
    fn null_clears_and_absent_keeps() {
        let c = check(&body(serde_json::json!({"currency": null, "website_url": ""}))).expect("valid");
        assert_eq!(c.currency, Some(None));
        assert_eq!(c.website_url, Some(None));
        let c = check(&body(serde_json::json!({}))).expect("valid");
        assert_eq!(c.currency, None);
        assert_eq!(c.website_url, None);
        assert_eq!(c.ai_model, None);
        let c = check(&body(serde_json::json!({"aiModel": null}))).expect("valid");
        assert_eq!(c.ai_model, Some(None));
        let c = check(&body(serde_json::json!({"ai_model": " llama3.2:3b "}))).expect("valid");
        assert_eq!(c.ai_model, Some(Some("llama3.2:3b".into())));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (serde_json::json!({"brand": " "}), "`brand`"),
            (serde_json::json!({"website_url": "shop.example"}), "`website_url`"),
            (serde_json::json!({"primary_color": "teal"}), "`primary_color`"),
            (serde_json::json!({"launcher_position": "top"}), "`launcher_position`"),
            (serde_json::json!({"theme": "sepia"}), "`theme`"),
            (serde_json::json!({"launcher_label": "x".repeat(41)}), "`launcher_label`"),
            (serde_json::json!({"greeting": ""}), "`greeting`"),
            (serde_json::json!({"locale": "english"}), "`locale`"),
            (serde_json::json!({"interface_locale": "browser"}), "`interface_locale`"),
            (serde_json::json!({"currency": "US$"}), "`currency`"),
            (serde_json::json!({"ai_model": "two words"}), "`ai_model`"),
            (serde_json::json!({"aiModel": "x".repeat(201)}), "`ai_model`"),
            (
                serde_json::json!({"allowed_origins": ["https://ok.example", "https://a.example/path"]}),
                "`allowed_origins[1]`",
            ),
        ];
        for (json, field) in cases {
            let msg = error(json.clone());
            assert!(msg.contains(field), "{json}: {msg:?} should name {field}");
        }
        assert!(serde_json::from_value::<WidgetBody>(serde_json::json!({"brnd": "x"})).is_err(), "typos are refused");
    }
}
