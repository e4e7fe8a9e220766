//! The OpenClaw integration (docs/OPENCLAW.md): the skill an OpenClaw agent loads to work Quincer conversations
//! with `curl` (`integrations/openclaw/quincer/SKILL.md`, served with this server's own URL), the avatar of the
//! "OpenClaw" team member, the scopes of the key that member is given, and connecting ([`connect`]).

use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub mod connect;

/// The skill as kept in the repository; its recipes call [`SKILL_BASE_URL`].
pub const SKILL: &str = include_str!("../../../integrations/openclaw/quincer/SKILL.md");

/// The base URL the repository's copy of the skill names (the default address of `./build.sh serve`); the served
/// copy names the server's public URL instead.
pub const SKILL_BASE_URL: &str = crate::config::DEFAULT_PUBLIC_URL;

/// Where the server serves the skill.
pub const SKILL_PATH: &str = "/integrations/openclaw/SKILL.md";

/// Where the server serves the OpenClaw member's avatar.
pub const AVATAR_PATH: &str = "/integrations/openclaw/avatar.svg";

/// The OpenClaw member's avatar: a white claw on a red disc.
pub const AVATAR_SVG: &str = include_str!("avatar.svg");

/// What the skill's recipes need, and all the key OpenClaw is given has: find, read, take over, reply on and hand
/// back conversations; read and update leads; read and log tasks.
pub const SCOPES: &[&str] = &[
    "conversations:read",
    "conversations:takeover",
    "conversations:reply",
    "conversations:handback",
    "leads:read",
    "leads:write",
    "tasks:read",
    "tasks:write",
];

/// The skill with every URL pointing at `public_url` (`https://chat.example.com`, no trailing `/`).
pub fn skill_for(public_url: &str) -> String {
    SKILL.replace(SKILL_BASE_URL, public_url.trim_end_matches('/'))
}

/// The public routes: the skill and the avatar (no credentials: neither holds a secret).
pub fn router() -> Router<AppState> {
    Router::new().route(SKILL_PATH, get(skill)).route(AVATAR_PATH, get(avatar))
}

/// `GET /integrations/openclaw/SKILL.md`: the skill, calling this server at the address the caller reached it by:
/// the same base as the embed snippet ([`crate::embed::public_base`]: `Host`, and `X-Forwarded-Proto` from a
/// TLS-terminating proxy), so it is right behind a proxy that passes the public `Host` through.
async fn skill(headers: HeaderMap) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"SKILL.md\""),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        skill_for(&crate::embed::public_base(&headers)),
    )
}

/// `GET /integrations/openclaw/avatar.svg`: the OpenClaw member's avatar, loadable from any page the widget is on.
async fn avatar() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            // An SVG opened on its own is a document: it may run nothing.
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        AVATAR_SVG,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_skill_names_only_the_public_url() {
        let served = skill_for("https://chat.example.com/");
        assert!(!served.contains(SKILL_BASE_URL));
        assert!(served.contains("https://chat.example.com/api/v1/conversations?engaged=true"));
    }

    #[test]
    fn every_scope_is_known() {
        crate::provision::validate_scopes(SCOPES).expect("known scopes");
    }
}
