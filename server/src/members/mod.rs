//! Team members: the people (and agents such as OpenClaw) of an organisation who sign in to the inbox or act
//! through a developer key bound to them. This module holds the rules (roles, what a member may be called, the
//! scopes a role grants), [`password`] their passwords, [`session`] the sign-in sessions and [`http`] the inbox's
//! sign-in endpoints (`/inbox/api/…`); the rows are [`crate::store::members`]'s.

pub mod http;
pub mod password;
pub mod session;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// Characters a member's display name may have at most.
pub const MAX_NAME_CHARS: usize = 80;
/// Characters an avatar URL may have at most.
pub const MAX_AVATAR_URL_CHARS: usize = 2048;

/// What a member may do. Owners and admins manage the team; agents work conversations, leads and tasks.
// `MemberRole` in the OpenAPI document: `Role` is the message role's name there (user, assistant, agent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = MemberRole)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including managing other owners.
    Owner,
    /// Everything, including managing agents and admins.
    Admin,
    /// Conversations (take over, reply, hand back, hand off), leads and tasks; reads knowledge, widgets, personas.
    Agent,
}

/// The roles as the API and the CLI spell them.
pub const ROLES: &[&str] = &["owner", "admin", "agent"];

/// The scopes an agent's session has.
pub const AGENT_SCOPES: &[&str] = &[
    "conversations:read",
    "conversations:takeover",
    "conversations:reply",
    "conversations:handback",
    "conversations:write",
    "leads:read",
    "leads:write",
    "tasks:read",
    "tasks:write",
    "knowledge:read",
    "widgets:read",
    "personas:read",
];

impl Role {
    /// `owner`, `admin` or `agent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    /// The role a stored or given name spells (ASCII case ignored).
    ///
    /// # Errors
    /// A 400 naming the roles.
    pub fn parse(value: &str) -> ApiResult<Role> {
        match value.trim().to_ascii_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "agent" => Ok(Role::Agent),
            _ => Err(ApiError::bad_request(format!("`role` must be one of {}", ROLES.join(", ")))),
        }
    }

    /// The scopes a signed-in member of this role has: an agent's [`AGENT_SCOPES`]; for owners and admins every
    /// scope ([`crate::scopes::ALL_SCOPES`], `members:read` and `members:write` included).
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Role::Agent => AGENT_SCOPES,
            Role::Owner | Role::Admin => crate::scopes::ALL_SCOPES,
        }
    }

    /// Whether the role manages the team (`members:*`).
    pub fn manages_team(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(value: String) -> Result<Role, String> {
        Role::parse(&value).map_err(|_| format!("unknown member role `{value}`"))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a request acts as when it comes from a member: what the inbox, the widget and the audit log show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRef {
    /// Member id (`mem_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Avatar image URL, if any.
    pub avatar_url: Option<String>,
    /// Role.
    pub role: Role,
}

/// A team member as the developer API and the sign-in endpoints show it (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Member {
    /// Always `"member"`.
    #[schema(value_type = String, example = "member")]
    #[sqlx(skip)]
    pub object: &'static str,
    /// Member id (`mem_…`).
    pub id: String,
    /// The organisation.
    pub org_id: String,
    /// Display name.
    pub name: String,
    /// Email address (sign-in name; unique in the organisation without regard to case).
    pub email: String,
    /// Avatar image URL, or `null`.
    pub avatar_url: Option<String>,
    /// `owner`, `admin` or `agent`.
    #[sqlx(try_from = "String")]
    pub role: Role,
    /// Whether the member has a password (can sign in).
    #[sqlx(try_from = "crate::store::Flag")]
    pub has_password: bool,
    /// When the member was created.
    pub created_at: String,
    /// When the member was disabled (sessions and bound keys refused), or `null`.
    pub disabled_at: Option<String>,
}

impl Member {
    /// The reference requests carry.
    pub fn reference(&self) -> MemberRef {
        MemberRef { id: self.id.clone(), name: self.name.clone(), avatar_url: self.avatar_url.clone(), role: self.role }
    }
}

/// A display name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
///
/// # Errors
/// A 400 naming the rule.
pub fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "`name` must be 1 to {MAX_NAME_CHARS} characters, without control characters"
        )));
    }
    Ok(name.to_owned())
}

/// An email address, trimmed ([`crate::contact::check_email`]'s rule). Its case is kept; comparisons ignore it.
///
/// # Errors
/// A 400 naming the rule.
pub fn check_email(email: &str) -> ApiResult<String> {
    let email = email.trim();
    crate::contact::check_email(email)?;
    Ok(email.to_owned())
}

/// An avatar URL: blank means none; otherwise an absolute `http(s)` URL of at most [`MAX_AVATAR_URL_CHARS`], or a
/// path on this server (`/…`, such as the OpenClaw avatar it serves).
///
/// # Errors
/// A 400 naming the rule.
pub fn check_avatar_url(url: &str) -> ApiResult<Option<String>> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let absolute = url::Url::parse(url).ok().filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
    let local_path = url.starts_with('/') && !url.starts_with("//") && !url.contains(char::is_whitespace);
    if url.chars().count() > MAX_AVATAR_URL_CHARS || (absolute.is_none() && !local_path) {
        return Err(ApiError::bad_request(format!(
            "`avatar_url` must be an http(s) URL or a path on this server (/…), at most {MAX_AVATAR_URL_CHARS} \
             characters"
        )));
    }
    Ok(Some(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_grant_scopes() {
        assert_eq!(Role::parse(" Admin ").unwrap(), Role::Admin);
        assert!(Role::parse("root").unwrap_err().to_string().contains("owner, admin, agent"));
        assert!(Role::Owner.scopes().contains(&"members:write"));
        assert!(Role::Admin.scopes().contains(&"members:read"));
        assert!(!Role::Agent.scopes().iter().any(|s| s.starts_with("members:") || s.ends_with(":delete")));
        assert!(Role::Agent.scopes().contains(&"conversations:takeover"));
        for scope in AGENT_SCOPES {
            assert!(crate::scopes::ALL_SCOPES.contains(scope), "{scope} is a known scope");
        }
        assert_eq!(serde_json::to_value(Role::Agent).unwrap(), "agent");
    }

    #[test]
    fn names_emails_and_avatars() {
        assert_eq!(check_name("  Sam Agent ").unwrap(), "Sam Agent");
        assert!(check_name(" ").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
        assert!(check_name("a\nb").is_err());
        assert_eq!(check_email(" Sam@Example.com ").unwrap(), "Sam@Example.com");
        assert!(check_email("sam@").is_err());
        assert_eq!(check_avatar_url("").unwrap(), None);
        assert_eq!(
            check_avatar_url("https://cdn.example.com/a.png").unwrap().as_deref(),
            Some("https://cdn.example.com/a.png")
        );
        assert_eq!(
            check_avatar_url("/integrations/openclaw/avatar.svg").unwrap().as_deref(),
            Some("/integrations/openclaw/avatar.svg")
        );
        for bad in ["javascript:alert(1)", "//evil.example/a.png", "ftp://x.example/a", "not a url"] {
            assert!(check_avatar_url(bad).is_err(), "{bad}");
        }
    }
}
