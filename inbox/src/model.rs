//! What the inbox reads from the server: list items of `GET /api/v1/conversations` (also the `data` of the org
//! stream's `conversation` events), a conversation with its transcript, personas, and the signed-in member.
//!
//! Every field the list gained for the inbox (preview, activity, unread count, language, lead, holder) is optional
//! here, so the inbox still reads a server that sends only the older fields.

use quincer_protocol::conversation::Message;
use serde::Deserialize;

/// One conversation as the list (and the live stream) describes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ConversationItem {
    /// Conversation id.
    pub id: String,
    /// Its widget.
    #[serde(default)]
    pub widget_id: String,
    /// `active`, `human_active` or `closed`.
    #[serde(default)]
    pub status: String,
    /// The visitor, as far as the page identified them.
    #[serde(default)]
    pub visitor: Option<VisitorInfo>,
    /// The page the conversation started on.
    #[serde(default)]
    pub page_url: Option<String>,
    /// The visitor's language (a BCP 47 tag).
    #[serde(default)]
    pub language: Option<String>,
    /// The lead the conversation produced.
    #[serde(default)]
    pub lead: Option<LeadRef>,
    /// Who holds the conversation (attributed takeovers).
    #[serde(default)]
    pub holder: Option<HolderRef>,
    /// The takeover as older servers describe it.
    #[serde(default)]
    pub takeover: Option<TakeoverRef>,
    /// The newest message, shortened.
    #[serde(default)]
    pub last_message_preview: Option<String>,
    /// RFC 3339 time of the newest activity.
    #[serde(default)]
    pub last_activity_at: Option<String>,
    /// RFC 3339 time of the newest message.
    #[serde(default)]
    pub last_message_at: Option<String>,
    /// RFC 3339 time of the last change.
    #[serde(default)]
    pub updated_at: String,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created_at: String,
    /// Visitor messages nobody has answered or read yet.
    #[serde(default)]
    pub unread_count: u32,
    /// Stored messages.
    #[serde(default)]
    pub message_count: u32,
    /// The persona the AI speaks as.
    #[serde(default)]
    pub persona_id: Option<String>,
}

/// What the list shows of the visitor.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VisitorInfo {
    /// Name, once identified.
    #[serde(default)]
    pub name: Option<String>,
    /// Email, once identified.
    #[serde(default)]
    pub email: Option<String>,
}

/// A lead, as the list names it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LeadRef {
    /// Lead id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its email.
    #[serde(default)]
    pub email: Option<String>,
}

/// The actor holding a conversation.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct HolderRef {
    /// `internal_user` (a team member) or `external_agent` (an unbound key).
    #[serde(default)]
    pub actor_kind: String,
    /// The member, for `internal_user`.
    #[serde(default)]
    pub member_id: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Avatar URL.
    #[serde(default)]
    pub avatar_url: Option<String>,
}

/// The older `takeover` object.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TakeoverRef {
    /// Display name of the holder.
    #[serde(default)]
    pub actor_name: String,
}

impl ConversationItem {
    /// The time the list sorts by: newest activity, else newest message, else last change.
    pub fn activity(&self) -> &str {
        self.last_activity_at.as_deref().or(self.last_message_at.as_deref()).unwrap_or(&self.updated_at)
    }

    /// The name of whoever holds it, while taken over.
    pub fn holder_name(&self) -> Option<&str> {
        if self.status != "human_active" {
            return None;
        }
        self.holder.as_ref().map(|h| h.name.as_str()).or(self.takeover.as_ref().map(|t| t.actor_name.as_str()))
    }

    /// Whether the member `member_id` holds it.
    pub fn held_by(&self, member_id: &str) -> bool {
        self.status == "human_active" && self.holder.as_ref().and_then(|h| h.member_id.as_deref()) == Some(member_id)
    }

    /// What the list calls the visitor: their name, else their email, else "Visitor" and the id's end.
    pub fn visitor_label(&self) -> String {
        let v = self.visitor.as_ref();
        v.and_then(|v| v.name.clone().filter(|s| !s.trim().is_empty()))
            .or_else(|| v.and_then(|v| v.email.clone().filter(|s| !s.trim().is_empty())))
            .unwrap_or_else(|| {
                let tail: String = self.id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
                format!("Visitor {tail}")
            })
    }
}

/// `GET /api/v1/conversations/:id`: the item's fields and the transcript.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ConversationDetail {
    /// The conversation.
    #[serde(flatten)]
    pub item: ConversationItem,
    /// Messages, oldest first.
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// A page of `GET /api/v1/conversations`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConversationPage {
    /// The items.
    pub data: Vec<ConversationItem>,
}

/// A persona of `GET /api/v1/personas`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Persona {
    /// Persona id.
    pub id: String,
    /// Its widget.
    #[serde(default)]
    pub widget_id: String,
    /// Display name.
    pub name: String,
}

/// A page of `GET /api/v1/personas`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonaPage {
    /// The items.
    pub data: Vec<Persona>,
}

/// A widget of `GET /api/v1/widgets`: the widget filter names widgets by brand.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Widget {
    /// Widget id.
    pub id: String,
    /// The brand it speaks for.
    #[serde(default)]
    pub brand: String,
}

/// A page of `GET /api/v1/widgets`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WidgetPage {
    /// The items.
    pub data: Vec<Widget>,
}

/// The signed-in member (`POST /inbox/api/sign-in`, `GET /inbox/api/me`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Me {
    /// The member.
    pub member: Member,
    /// What state-changing requests send as `X-CSRF-Token`.
    pub csrf_token: String,
}

/// A team member.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Member {
    /// Member id (`mem_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    #[serde(default)]
    pub email: String,
    /// `owner`, `admin` or `agent`.
    #[serde(default)]
    pub role: String,
}

/// The answer of connecting OpenClaw: the key is shown only in this answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OpenClawConnection {
    /// The developer key bound to the OpenClaw member.
    pub key: String,
    /// Where the skill (SKILL.md) is downloaded from.
    pub skill_url: String,
    /// Whether the member was created now (else it existed).
    #[serde(default)]
    pub created: bool,
}

impl Member {
    /// Whether the member may manage the team (and so connect OpenClaw).
    pub fn manages_team(&self) -> bool {
        matches!(self.role.as_str(), "owner" | "admin")
    }
}

/// The answer of `POST …/reply`: the stored message and whether it was translated.
#[derive(Debug, Clone, Deserialize)]
pub struct ReplyAnswer {
    /// The text as the visitor sees it.
    pub text: String,
    /// The language it was translated into, if it was.
    #[serde(default)]
    pub translated_to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_item_of_an_older_server() {
        let json = r#"{"object":"conversation","id":"conv_abcdef","widget_id":"wid_1","visitor_id":"v_1",
            "visitor":{"id":"v_1","email":null,"name":null,"traits":{}},"status":"human_active","channel":"web",
            "persona_id":"per_1","page_url":"https://shop.test/p","takeover":{"actor_name":"Sam","external_label":null,
            "actor_kind":"external_agent","taken_over_at":"2026-01-01T00:00:00Z"},"message_count":3,
            "last_message_at":"2026-01-01T00:00:02Z","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:03Z"}"#;
        let item: ConversationItem = serde_json::from_str(json).unwrap();
        assert_eq!(item.activity(), "2026-01-01T00:00:02Z");
        assert_eq!(item.holder_name(), Some("Sam"));
        assert!(!item.held_by("mem_1"));
        assert_eq!(item.visitor_label(), "Visitor cdef");
        assert_eq!(item.unread_count, 0);
    }

    #[test]
    fn reads_the_inbox_fields() {
        let json = r#"{"id":"c1","widget_id":"w","status":"human_active","updated_at":"t0",
            "last_activity_at":"t9","unread_count":2,"language":"fr","lead":{"id":"lead_1","name":"Ana","email":null},
            "holder":{"actor_kind":"internal_user","member_id":"mem_1","name":"Priya","avatar_url":null},
            "visitor":{"name":"Ana","email":"ana@x.test"},"last_message_preview":"Bonjour"}"#;
        let item: ConversationItem = serde_json::from_str(json).unwrap();
        assert_eq!(item.activity(), "t9");
        assert_eq!(item.holder_name(), Some("Priya"));
        assert!(item.held_by("mem_1"));
        assert_eq!(item.visitor_label(), "Ana");
        assert_eq!(item.lead.unwrap().name.as_deref(), Some("Ana"));
    }

    #[test]
    fn a_handed_back_conversation_has_no_holder() {
        let item = ConversationItem {
            status: "active".into(),
            takeover: Some(TakeoverRef { actor_name: "Sam".into() }),
            ..Default::default()
        };
        assert_eq!(item.holder_name(), None);
    }

    #[test]
    fn detail_flattens_the_item() {
        let json = r#"{"id":"c1","status":"active","updated_at":"t","messages":[{"object":"message","id":"m1",
            "role":"user","text":"hi","parts":[{"type":"text","text":"hi"}],"created_at":"t"}]}"#;
        let d: ConversationDetail = serde_json::from_str(json).unwrap();
        assert_eq!(d.item.id, "c1");
        assert_eq!(d.messages[0].text, "hi");
    }
}
