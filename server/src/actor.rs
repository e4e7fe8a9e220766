//! Who did something, and from where: the surface a request came through. (The attribution of takeovers and
//! replies to an actor builds on this.)

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surfaces_serialise_as_the_wire_names() {
        assert_eq!(serde_json::to_value(Surface::Api).unwrap(), "api");
        assert_eq!(serde_json::to_value(Surface::Dashboard).unwrap(), "dashboard");
        assert_eq!(Surface::Dashboard.as_str(), "dashboard");
    }
}
