//! The developer API's scopes: what a developer key, or a team member's role, may do. A module of its own because
//! both [`crate::provision`] (checking a key's scopes) and [`crate::members`] (a role's scopes) read it.

/// Every developer-key scope the API knows.
pub const ALL_SCOPES: &[&str] = &[
    "conversations:read",
    "conversations:takeover",
    "conversations:reply",
    "conversations:handback",
    "conversations:write",
    "webhooks:manage",
    "personas:read",
    "personas:write",
    "personas:delete",
    "knowledge:read",
    "knowledge:write",
    "knowledge:delete",
    "widgets:read",
    "widgets:write",
    "leads:read",
    "leads:write",
    "leads:delete",
    "tasks:read",
    "tasks:write",
    "tasks:delete",
    "playbook:read",
    "playbook:write",
    "playbook:delete",
    "integrations:read",
    "voice:read",
    "voice:write",
    "members:read",
    "members:write",
];
