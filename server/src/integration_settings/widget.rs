//! A widget's agent mode, voice, languages and attendees.

use serde::{Deserialize, Serialize};

use super::{checks, parse, Voice};

/// How a widget's conversations are staffed: `ai_first` (the AI answers, people take over; the default),
/// `human_first` (integrations page a person first) or `ai_only` (nobody takes over from the integrations).
pub const WIDGET_AGENT_MODES: &[&str] = &["ai_first", "human_first", "ai_only"];
/// Most languages a widget lists.
const MAX_LANGUAGES: usize = 30;
/// Most attendees a widget lists.
const MAX_ATTENDEES: usize = 20;

/// A person who answers a widget's conversations, as integrations show them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    /// Display name (required).
    #[serde(default)]
    pub name: String,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Avatar image URL (http or https).
    #[serde(default, alias = "avatarUrl")]
    pub avatar_url: Option<String>,
    /// Role or title shown under the name.
    #[serde(default)]
    pub role: Option<String>,
}

/// A widget's stored fields, as the API shows them (flattened into the widget).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WidgetSettings {
    /// One of [`WIDGET_AGENT_MODES`].
    #[serde(default = "ai_first")]
    pub agent_mode: String,
    /// Voice settings, if any.
    #[serde(default)]
    pub voice: Option<Voice>,
    /// Languages the widget serves (BCP 47), empty for any.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The people who answer.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
}

fn ai_first() -> String {
    "ai_first".into()
}

impl Default for WidgetSettings {
    fn default() -> Self {
        WidgetSettings { agent_mode: ai_first(), voice: None, languages: Vec::new(), attendees: Vec::new() }
    }
}

impl From<String> for WidgetSettings {
    /// Reads the stored JSON column; a row written before these fields existed holds `{}`.
    fn from(json: String) -> Self {
        parse(&json)
    }
}

impl WidgetSettings {
    /// The stored JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The fields of a create or update body: absent leaves a field as it is, `null` clears it.
#[derive(Debug, Clone, Default)]
pub struct WidgetSettingsPatch {
    /// `agent_mode` (`null` resets it to `ai_first`).
    pub agent_mode: Option<Option<String>>,
    /// `voice`.
    pub voice: Option<Option<Voice>>,
    /// `languages`.
    pub languages: Option<Option<Vec<String>>>,
    /// `attendees`.
    pub attendees: Option<Option<Vec<Attendee>>>,
}

impl WidgetSettingsPatch {
    /// `current` with the patch applied, or a sentence naming the first field that is wrong.
    ///
    /// # Errors
    /// The field and what it must be.
    pub fn apply(self, mut current: WidgetSettings) -> Result<WidgetSettings, String> {
        if let Some(mode) = self.agent_mode {
            let mode = mode.map(|m| checks::one_of("agent_mode", &m, WIDGET_AGENT_MODES)).transpose()?;
            current.agent_mode = mode.unwrap_or_else(ai_first);
        }
        if let Some(voice) = self.voice {
            current.voice = voice.map(|v| v.checked("voice")).transpose()?;
        }
        if let Some(languages) = self.languages {
            let languages = languages.unwrap_or_default();
            checks::at_most("languages", &languages, MAX_LANGUAGES)?;
            let mut clean: Vec<String> = Vec::new();
            for (i, tag) in languages.iter().enumerate() {
                let tag = checks::language(&format!("languages[{i}]"), tag)?;
                if !clean.contains(&tag) {
                    clean.push(tag);
                }
            }
            current.languages = clean;
        }
        if let Some(attendees) = self.attendees {
            let attendees = attendees.unwrap_or_default();
            checks::at_most("attendees", &attendees, MAX_ATTENDEES)?;
            current.attendees =
                attendees.into_iter().enumerate().map(|(i, a)| attendee(i, a)).collect::<Result<_, _>>()?;
        }
        Ok(current)
    }
}

fn attendee(i: usize, a: Attendee) -> Result<Attendee, String> {
    let field = |name: &str| format!("attendees[{i}].{name}");
    Ok(Attendee {
        name: checks::text(&field("name"), &a.name, 80)?,
        email: a.email.map(|e| checks::email(&field("email"), &e)).transpose()?,
        avatar_url: a.avatar_url.map(|u| checks::web_url(&field("avatar_url"), &u)).transpose()?,
        role: a.role.map(|r| checks::text(&field("role"), &r, 40)).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_attendees_are_checked_by_position() {
        let patch = WidgetSettingsPatch {
            agent_mode: Some(Some("HUMAN_FIRST".into())),
            languages: Some(Some(vec!["en".into(), "fr-ca".into(), "en".into()])),
            attendees: Some(Some(vec![Attendee { name: " Grace ".into(), ..Default::default() }])),
            ..Default::default()
        };
        let after = patch.apply(WidgetSettings::default()).unwrap();
        assert_eq!(after.agent_mode, "human_first");
        assert_eq!(after.languages, ["en", "fr-CA"]);
        assert_eq!(after.attendees[0].name, "Grace");

        let bad = |patch: WidgetSettingsPatch| patch.apply(WidgetSettings::default()).unwrap_err();
        let langs = WidgetSettingsPatch { languages: Some(Some(vec!["en".into(), "??".into()])), ..Default::default() };
        assert!(bad(langs).contains("`languages[1]`"));
        let people = WidgetSettingsPatch {
            attendees: Some(Some(vec![
                Attendee { name: "Ada".into(), ..Default::default() },
                Attendee { name: "Bob".into(), avatar_url: Some("data:image/png,xx".into()), ..Default::default() },
            ])),
            ..Default::default()
        };
        assert!(bad(people).contains("`attendees[1].avatar_url`"));
        let mode = WidgetSettingsPatch { agent_mode: Some(Some("robots".into())), ..Default::default() };
        assert!(bad(mode).contains("ai_first, human_first, ai_only"));
        let cleared = WidgetSettingsPatch { languages: Some(None), ..Default::default() };
        assert!(cleared.apply(after).unwrap().languages.is_empty());
    }
}
