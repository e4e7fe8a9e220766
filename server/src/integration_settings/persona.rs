//! A persona's channel and integration fields.

use serde::{Deserialize, Serialize};

use super::{checks, parse, Voice};

/// A persona's modes: `general` answers everything (the default), `sales` and `general` argue from the sales
/// playbook, `support` does not.
pub const AGENT_MODES: &[&str] = &["general", "sales", "support"];
/// Tools a persona can have: `show_products`, the catalog's product cards.
pub const KNOWN_TOOLS: &[&str] = &[quincer_protocol::products::SHOW_PRODUCTS];

/// Meta (Facebook, Instagram, WhatsApp) assets a persona answers on: numeric ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetaAssets {
    /// Facebook page id.
    #[serde(default, alias = "facebookPageId")]
    pub facebook_page_id: Option<String>,
    /// Instagram business account id.
    #[serde(default, alias = "instagramAccountId")]
    pub instagram_account_id: Option<String>,
    /// WhatsApp Business phone number id.
    #[serde(default, alias = "whatsappPhoneNumberId")]
    pub whatsapp_phone_number_id: Option<String>,
}

/// The mailbox a persona's email conversations come from and go to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailInbox {
    /// The inbox address (required).
    #[serde(default)]
    pub address: String,
    /// Sender name shown with it.
    #[serde(default, alias = "displayName")]
    pub display_name: Option<String>,
    /// Where replies go, when not to `address`.
    #[serde(default, alias = "replyTo")]
    pub reply_to: Option<String>,
    /// Signature under emails.
    #[serde(default)]
    pub signature: Option<String>,
}

/// A persona's stored fields, as the API shows them (flattened into the persona).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonaSettings {
    /// `general`, `sales` or `support` (see [`AGENT_MODES`]).
    #[serde(default = "general")]
    pub agent_mode: String,
    /// Voice settings, if any.
    #[serde(default)]
    pub voice: Option<Voice>,
    /// Slack channel that approves this persona's handoffs (e.g. `C0123456789`).
    #[serde(default)]
    pub slack_channel_id: Option<String>,
    /// Telegram chat for the same (numeric id or `@channel`).
    #[serde(default)]
    pub telegram_chat_id: Option<String>,
    /// Meta assets the persona answers on.
    #[serde(default)]
    pub meta_assets: Option<MetaAssets>,
    /// Tools the persona may use (`null`: all of [`KNOWN_TOOLS`]).
    #[serde(default)]
    pub enabled_tool_ids: Option<Vec<String>>,
    /// The persona's email inbox.
    #[serde(default)]
    pub email_inbox: Option<EmailInbox>,
}

fn general() -> String {
    "general".into()
}

impl Default for PersonaSettings {
    fn default() -> Self {
        PersonaSettings {
            agent_mode: general(),
            voice: None,
            slack_channel_id: None,
            telegram_chat_id: None,
            meta_assets: None,
            enabled_tool_ids: None,
            email_inbox: None,
        }
    }
}

impl From<String> for PersonaSettings {
    /// Reads the stored JSON column; a row written before these fields existed holds `{}`.
    fn from(json: String) -> Self {
        parse(&json)
    }
}

impl PersonaSettings {
    /// Whether the persona may use tool `id`.
    pub fn tool_enabled(&self, id: &str) -> bool {
        self.enabled_tool_ids.as_ref().is_none_or(|ids| ids.iter().any(|t| t == id))
    }

    /// Whether the persona argues from the sales playbook.
    pub fn uses_playbook(&self) -> bool {
        self.agent_mode != "support"
    }

    /// The stored JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The fields of a create or update body: absent leaves a field as it is, `null` clears it.
#[derive(Debug, Clone, Default)]
pub struct PersonaSettingsPatch {
    /// `agent_mode` (`null` resets it to `general`).
    pub agent_mode: Option<Option<String>>,
    /// `voice`.
    pub voice: Option<Option<Voice>>,
    /// `slack_channel_id`.
    pub slack_channel_id: Option<Option<String>>,
    /// `telegram_chat_id`.
    pub telegram_chat_id: Option<Option<String>>,
    /// `meta_assets`.
    pub meta_assets: Option<Option<MetaAssets>>,
    /// `enabled_tool_ids`.
    pub enabled_tool_ids: Option<Option<Vec<String>>>,
    /// `email_inbox`.
    pub email_inbox: Option<Option<EmailInbox>>,
}

impl PersonaSettingsPatch {
    /// `current` with the patch applied, or a sentence naming the first field that is wrong.
    ///
    /// # Errors
    /// The field and what it must be.
    pub fn apply(self, mut current: PersonaSettings) -> Result<PersonaSettings, String> {
        if let Some(mode) = self.agent_mode {
            current.agent_mode =
                mode.map(|m| checks::one_of("agent_mode", &m, AGENT_MODES)).transpose()?.unwrap_or_else(general);
        }
        if let Some(voice) = self.voice {
            current.voice = voice.map(|v| v.checked("voice")).transpose()?;
        }
        if let Some(channel) = self.slack_channel_id {
            current.slack_channel_id = channel.map(|c| slack_channel(&c)).transpose()?;
        }
        if let Some(chat) = self.telegram_chat_id {
            current.telegram_chat_id = chat.map(|c| telegram_chat(&c)).transpose()?;
        }
        if let Some(assets) = self.meta_assets {
            current.meta_assets = assets.map(meta_assets).transpose()?;
        }
        if let Some(tools) = self.enabled_tool_ids {
            current.enabled_tool_ids = tools.map(|t| tool_ids(&t)).transpose()?;
        }
        if let Some(inbox) = self.email_inbox {
            current.email_inbox = inbox.map(email_inbox).transpose()?;
        }
        Ok(current)
    }
}

/// A Slack channel id: `C` or `G` and 8–20 capitals or digits.
fn slack_channel(id: &str) -> Result<String, String> {
    let id = id.trim();
    let body = id.strip_prefix('C').or_else(|| id.strip_prefix('G')).unwrap_or_default();
    if !(8..=20).contains(&body.len()) || !body.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Err(format!("`slack_channel_id` ({id:?}) must be a Slack channel id such as C0123456789"));
    }
    Ok(id.to_owned())
}

/// A Telegram chat: a numeric id (negative for groups) or a public `@username`.
fn telegram_chat(chat: &str) -> Result<String, String> {
    let chat = chat.trim();
    let numeric = chat.strip_prefix('-').unwrap_or(chat);
    let numeric_ok = (1..=20).contains(&numeric.len()) && numeric.bytes().all(|b| b.is_ascii_digit());
    let name = chat.strip_prefix('@').unwrap_or_default();
    let name_ok = (5..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if numeric_ok || name_ok {
        Ok(chat.to_owned())
    } else {
        Err(format!("`telegram_chat_id` ({chat:?}) must be a numeric chat id (e.g. -1001234567890) or an @username"))
    }
}

fn meta_assets(assets: MetaAssets) -> Result<MetaAssets, String> {
    let digits = |field: &str, id: Option<String>| -> Result<Option<String>, String> {
        match id.map(|i| i.trim().to_owned()) {
            Some(i) if i.is_empty() || i.len() > 32 || !i.bytes().all(|b| b.is_ascii_digit()) => {
                Err(format!("`meta_assets.{field}` ({i:?}) must be a numeric Meta id"))
            }
            i => Ok(i),
        }
    };
    Ok(MetaAssets {
        facebook_page_id: digits("facebook_page_id", assets.facebook_page_id)?,
        instagram_account_id: digits("instagram_account_id", assets.instagram_account_id)?,
        whatsapp_phone_number_id: digits("whatsapp_phone_number_id", assets.whatsapp_phone_number_id)?,
    })
}

fn tool_ids(ids: &[String]) -> Result<Vec<String>, String> {
    let mut clean: Vec<String> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = id.trim();
        if !KNOWN_TOOLS.contains(&id) {
            return Err(format!(
                "`enabled_tool_ids[{i}]` ({id:?}) is not a tool; known tools: {}",
                KNOWN_TOOLS.join(", ")
            ));
        }
        if !clean.iter().any(|c| c == id) {
            clean.push(id.to_owned());
        }
    }
    Ok(clean)
}

fn email_inbox(inbox: EmailInbox) -> Result<EmailInbox, String> {
    if inbox.address.trim().is_empty() {
        return Err("`email_inbox.address` is required".into());
    }
    Ok(EmailInbox {
        address: checks::email("email_inbox.address", &inbox.address)?,
        display_name: inbox.display_name.map(|n| checks::text("email_inbox.display_name", &n, 80)).transpose()?,
        reply_to: inbox.reply_to.map(|r| checks::email("email_inbox.reply_to", &r)).transpose()?,
        signature: inbox.signature.map(|s| checks::text("email_inbox.signature", &s, 2000)).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_validates_names_the_field_and_leaves_absent_fields_alone() {
        let current = PersonaSettings { slack_channel_id: Some("C0123456789".into()), ..PersonaSettings::default() };
        let patch = PersonaSettingsPatch {
            agent_mode: Some(Some("Sales".into())),
            voice: Some(Some(Voice { enabled: true, voice_id: Some("alloy".into()), language: Some("en-gb".into()) })),
            enabled_tool_ids: Some(Some(vec!["show_products".into(), "show_products".into()])),
            ..PersonaSettingsPatch::default()
        };
        let after = patch.apply(current).unwrap();
        assert_eq!(after.agent_mode, "sales");
        assert_eq!(after.voice.unwrap().language.as_deref(), Some("en-GB"));
        assert_eq!(after.slack_channel_id.as_deref(), Some("C0123456789"), "absent: unchanged");
        assert_eq!(after.enabled_tool_ids.unwrap(), ["show_products"]);

        let cleared =
            PersonaSettingsPatch { agent_mode: Some(None), slack_channel_id: Some(None), ..Default::default() };
        let after = cleared.apply(PersonaSettings { agent_mode: "support".into(), ..Default::default() }).unwrap();
        assert_eq!((after.agent_mode.as_str(), after.slack_channel_id), ("general", None));

        for (patch, field) in [
            (PersonaSettingsPatch { agent_mode: Some(Some("closer".into())), ..Default::default() }, "`agent_mode`"),
            (
                PersonaSettingsPatch { slack_channel_id: Some(Some("#general".into())), ..Default::default() },
                "`slack_channel_id`",
            ),
            (
                PersonaSettingsPatch { telegram_chat_id: Some(Some("12ab".into())), ..Default::default() },
                "`telegram_chat_id`",
            ),
            (
                PersonaSettingsPatch { enabled_tool_ids: Some(Some(vec!["hack".into()])), ..Default::default() },
                "`enabled_tool_ids[0]`",
            ),
            (
                PersonaSettingsPatch {
                    meta_assets: Some(Some(MetaAssets { facebook_page_id: Some("page".into()), ..Default::default() })),
                    ..Default::default()
                },
                "`meta_assets.facebook_page_id`",
            ),
            (
                PersonaSettingsPatch { email_inbox: Some(Some(EmailInbox::default())), ..Default::default() },
                "`email_inbox.address`",
            ),
            (
                PersonaSettingsPatch {
                    voice: Some(Some(Voice { language: Some("xx yy".into()), ..Default::default() })),
                    ..Default::default()
                },
                "`voice.language`",
            ),
        ] {
            let err = patch.apply(PersonaSettings::default()).unwrap_err();
            assert!(err.contains(field), "{err} names {field}");
        }
    }

    #[test]
    fn effects_follow_the_fields_and_old_rows_read_as_defaults() {
        let old = PersonaSettings::from("{}".to_owned());
        assert!(old.tool_enabled("show_products") && old.uses_playbook());
        assert_eq!(old.agent_mode, "general");
        let quiet = PersonaSettings { enabled_tool_ids: Some(vec![]), agent_mode: "support".into(), ..old };
        assert!(!quiet.tool_enabled("show_products") && !quiet.uses_playbook());
        let back = PersonaSettings::from(quiet.to_json());
        assert_eq!(back, quiet);
    }
}
