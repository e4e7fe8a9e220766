//! Who acts on a conversation: a team member (`internal_user`) or an external system holding a developer key bound
//! to nobody (`external_agent`), and where they act from (`dashboard` or `api`). Takeovers, replies, handbacks and
//! handoffs record their [`Actor`] on the conversation, in the audit log and in webhook payloads.

use serde::{Deserialize, Serialize};

/// The name of an external agent that gave none and whose key has no name of its own.
pub const DEFAULT_AGENT_NAME: &str = "Support agent";

/// Where a request came from: the developer API with a key, or the inbox (the dashboard) with a sign-in session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    /// A developer key (`Authorization: Bearer cw_dev_…`).
    Api,
    /// A signed-in member's session cookie (the inbox).
    Dashboard,
}

impl Surface {
    /// `api` or `dashboard`.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Api => "api",
            Surface::Dashboard => "dashboard",
        }
    }
}

/// What kind of actor: a team member or an external agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A team member (signed in, or through a key bound to them).
    InternalUser,
    /// A developer key bound to no member.
    ExternalAgent,
}

impl ActorKind {
    /// The stored and serialised name: `internal_user` or `external_agent`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::InternalUser => "internal_user",
            ActorKind::ExternalAgent => "external_agent",
        }
    }
}

/// Who performs an action on a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Member or external agent.
    pub kind: ActorKind,
    /// The member, for an `internal_user`.
    pub member_id: Option<String>,
    /// The developer key (or session) the request carried.
    pub key_id: String,
    /// The name the visitor sees: the member's, or the external agent's chosen name.
    pub name: String,
    /// The member's avatar, if any.
    pub avatar_url: Option<String>,
    /// The external system's label (e.g. a ticket id), if given.
    pub external_label: Option<String>,
    /// Where the action comes from.
    pub surface: Surface,
}

impl Actor {
    /// The external agent's display name; a member keeps their own (what the visitor sees must be who it is).
    pub fn named(mut self, name: String) -> Actor {
        if self.kind == ActorKind::ExternalAgent {
            self.name = name;
        }
        self
    }

    /// The id webhook payloads give as `actorUserId`: the member's id, else the key's.
    pub fn user_id(&self) -> &str {
        self.member_id.as_deref().unwrap_or(&self.key_id)
    }

    /// Whether this actor is the one recorded as holding a conversation: the same member (whatever key or session
    /// they use), or, for external agents, the same key under the same name.
    pub fn holds(&self, holder: &Holding<'_>) -> bool {
        match (&self.member_id, holder.member_id) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => holder.key_id == Some(self.key_id.as_str()) && holder.name == Some(self.name.as_str()),
            _ => false,
        }
    }

    /// Whether this actor may act for the holder (reply): the same member, or the same key for external agents.
    pub fn speaks_for(&self, holder: &Holding<'_>) -> bool {
        match (&self.member_id, holder.member_id) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => holder.key_id == Some(self.key_id.as_str()),
            _ => false,
        }
    }
}

/// Who a conversation's stored takeover columns say holds it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Holding<'a> {
    /// `takeover_member_id`.
    pub member_id: Option<&'a str>,
    /// `takeover_key_id`.
    pub key_id: Option<&'a str>,
    /// `takeover_actor_name`.
    pub name: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surfaces_serialise_as_the_wire_names() {
        assert_eq!(serde_json::to_value(Surface::Api).unwrap(), "api");
        assert_eq!(serde_json::to_value(Surface::Dashboard).unwrap(), "dashboard");
        assert_eq!(Surface::Dashboard.as_str(), "dashboard");
    }

    fn actor(member: Option<&str>, key: &str, name: &str) -> Actor {
        Actor {
            kind: if member.is_some() { ActorKind::InternalUser } else { ActorKind::ExternalAgent },
            member_id: member.map(str::to_owned),
            key_id: key.into(),
            name: name.into(),
            avatar_url: None,
            external_label: None,
            surface: Surface::Api,
        }
    }

    #[test]
    fn a_member_holds_through_any_key_and_an_external_agent_through_its_key_and_name() {
        let held_by_member = Holding { member_id: Some("mem_1"), key_id: Some("key_a"), name: Some("Ana") };
        assert!(actor(Some("mem_1"), "ses_x", "Ana").holds(&held_by_member), "the same member, signed in");
        assert!(!actor(Some("mem_2"), "key_a", "Bo").holds(&held_by_member), "another member");
        assert!(!actor(None, "key_a", "Ana").holds(&held_by_member), "an unbound key is not the member");
        let held_by_key = Holding { member_id: None, key_id: Some("key_a"), name: Some("Sam") };
        assert!(actor(None, "key_a", "Sam").holds(&held_by_key));
        assert!(!actor(None, "key_a", "Kim").holds(&held_by_key), "another name is another actor");
        assert!(actor(None, "key_a", "Kim").speaks_for(&held_by_key), "but the key may reply");
        assert!(!actor(None, "key_b", "Sam").speaks_for(&held_by_key));
        assert!(!actor(Some("mem_1"), "key_a", "Ana").speaks_for(&held_by_key));
    }
}
