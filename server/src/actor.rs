//! Who acts on a conversation: a team member (`internal_user`) or an external system holding a developer key bound
//! to nobody (`external_agent`), and where they act from (`dashboard` or `api`). Takeovers, replies, handbacks and
//! handoffs record their [`Actor`] on the conversation, in the audit log and in webhook payloads.

use crate::auth::DevAuth;

/// The name of an external agent that gave none and whose key has no name of its own.
pub const DEFAULT_AGENT_NAME: &str = "Support agent";

/// Where an action comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The developer API with a key.
    Api,
    /// The inbox, signed in.
    Dashboard,
}

impl Surface {
    /// The stored and serialised name: `api` or `dashboard`.
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
    /// The actor of a request: its member when the key is bound to one (or the request is a signed-in session),
    /// else an external agent with `external_label`, named [`DEFAULT_AGENT_NAME`] until [`Actor::named`] says
    /// otherwise.
    pub fn of(auth: &DevAuth, external_label: Option<String>) -> Actor {
        Actor {
            kind: ActorKind::ExternalAgent,
            member_id: None,
            key_id: auth.key_id.clone(),
            name: DEFAULT_AGENT_NAME.to_owned(),
            avatar_url: None,
            external_label,
            surface: Surface::Api,
        }
    }

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
