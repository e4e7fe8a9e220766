//! The persona and widget fields API.md names for channels and integrations: voice, agent mode, Slack/Telegram
//! routing, Meta asset bindings, enabled tools, the email inbox (personas); agent mode, voice, languages and
//! attendees (widgets).
//!
//! Each is validated here (a 400 names the field, e.g. `voice.language`) and stored as one JSON object per persona
//! or widget (`integration_settings`), so an integration reads back exactly what it wrote. Two have an effect in this
//! server: a persona's `enabled_tool_ids` (without `show_products` it never shows product cards) and its
//! `agent_mode` (`support` personas do not argue from the sales playbook). The rest are kept for the integrations
//! that use them (voice relay, Slack and Telegram approvals, Meta channels, the email inbox); docs/API.md says so.

mod checks;
mod persona;
mod widget;

pub use persona::{EmailInbox, MetaAssets, PersonaSettings, PersonaSettingsPatch, AGENT_MODES, KNOWN_TOOLS};
pub use widget::{Attendee, WidgetSettings, WidgetSettingsPatch, WIDGET_AGENT_MODES};

use serde::{Deserialize, Serialize};

/// Voice settings of a persona or widget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Voice {
    /// Whether visitors can talk by voice.
    #[serde(default)]
    pub enabled: bool,
    /// The provider's voice id (letters, digits, `_ . : -`, up to 100).
    #[serde(default, alias = "voiceId")]
    pub voice_id: Option<String>,
    /// BCP 47 language the voice speaks.
    #[serde(default)]
    pub language: Option<String>,
}

impl Voice {
    /// The voice with its language canonicalised, or what is wrong with `field`.
    fn checked(mut self, field: &str) -> Result<Voice, String> {
        if let Some(id) = &self.voice_id {
            checks::token(&format!("{field}.voice_id"), id, 100)?;
        }
        self.language = self.language.map(|l| checks::language(&format!("{field}.language"), &l)).transpose()?;
        Ok(self)
    }
}

/// Deserialises a field that may be absent (`None`), `null` (`Some(None)`) or a value.
///
/// # Errors
/// A value of the wrong shape.
pub fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Ok(Some(Option::<T>::deserialize(d)?))
}

/// Reads the stored JSON; a row written before these fields existed holds `{}`.
fn parse<T: for<'de> Deserialize<'de> + Default>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_default()
}
