//! Connecting OpenClaw to an organisation: the dedicated "OpenClaw" team member (role `agent`, the avatar this
//! server serves) and a developer key bound to it with exactly [`super::SCOPES`]. Called by
//! `quincer-server openclaw connect` and `POST /api/v1/integrations/openclaw/connect`.

use crate::error::{ApiError, ApiResult};
use crate::members::{Member, Role};
use crate::provision::{self, MemberInput};
use crate::store::{self, Db};

/// The OpenClaw member's display name: what visitors see on its takeovers and replies.
pub const MEMBER_NAME: &str = "OpenClaw";

/// The OpenClaw member's email: what finds it again (emails are unique per organisation). The `.invalid` domain
/// can receive no mail, and the member has no password: it acts only through its keys.
pub const MEMBER_EMAIL: &str = "openclaw@agents.invalid";

/// The name of the keys connecting issues.
pub const KEY_NAME: &str = "OpenClaw";

/// A connection just made: the member and its new key (shown once: only its hash is stored).
#[derive(Debug)]
pub struct Connected {
    /// The OpenClaw member.
    pub member: Member,
    /// Whether this call created the member (else an existing one was reused).
    pub created: bool,
    /// The new `cw_dev_…` key bound to the member.
    pub key: String,
}

/// Creates (or reuses) organisation `org_id`'s OpenClaw member and issues a key bound to it.
///
/// # Errors
/// 404 for no such organisation; 409 when the OpenClaw member was disabled (enable it first); database errors.
pub async fn connect(db: &Db, org_id: &str) -> ApiResult<Connected> {
    if !store::organizations::exists(db, org_id).await? {
        return Err(ApiError::not_found(format!("no organisation `{org_id}`")));
    }
    let (member, created) = match member(db, org_id).await? {
        Some(member) => (member, false),
        None => match provision::create_member(db, org_id, input()).await {
            Ok((member, _)) => (member, true),
            // Another connect created it in the meantime.
            Err(ApiError::Conflict(_)) => (member(db, org_id).await?.ok_or_else(lost)?, false),
            Err(e) => return Err(e),
        },
    };
    if member.disabled_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "the OpenClaw team member ({}) is disabled; enable it before connecting OpenClaw again",
            member.id
        )));
    }
    let key = provision::create_member_key(db, org_id, &member.id, KEY_NAME, super::SCOPES).await?;
    Ok(Connected { member, created, key })
}

/// The OpenClaw member as created: no password, the served avatar.
fn input() -> MemberInput {
    MemberInput {
        name: MEMBER_NAME.into(),
        email: MEMBER_EMAIL.into(),
        avatar_url: Some(super::AVATAR_PATH.into()),
        role: Role::Agent,
        with_password: false,
    }
}

fn lost() -> ApiError {
    ApiError::Internal("the OpenClaw member vanished while connecting".into())
}

/// Organisation `org_id`'s OpenClaw member, if it has one.
///
/// # Errors
/// Database errors.
pub async fn member(db: &Db, org_id: &str) -> ApiResult<Option<Member>> {
    let Some(id) = store::openclaw::member_by_email(db, org_id, MEMBER_EMAIL).await? else {
        return Ok(None);
    };
    Ok(store::members::get(db, Some(org_id), &id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_member_passes_the_member_rules() {
        crate::members::check_email(MEMBER_EMAIL).expect("a valid email");
        crate::members::check_name(MEMBER_NAME).expect("a valid name");
        crate::members::check_avatar_url(super::super::AVATAR_PATH).expect("a valid avatar URL");
        // Its key's scopes are within the agent role.
        assert!(super::super::SCOPES.iter().all(|s| Role::Agent.scopes().contains(s)));
    }
}
