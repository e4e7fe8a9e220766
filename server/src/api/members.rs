//! `/api/v1/members`: the organisation's team members, the people who sign in to the inbox (scopes `members:read`
//! and `members:write`; owners' and admins' sessions have both).
//!
//! Creating a member (or `reset_password`) answers a generated one-time password, once: only its Argon2id hash is
//! stored. Only an owner (or a key bound to nobody) may create, change or remove an owner, and the organisation's
//! last active owner cannot be demoted, disabled or removed. Disabling ends the member's sessions and refuses their
//! developer keys; removing also revokes those keys.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::pagination::PageRequest;
use super::{nullable, Deleted, ListEnvelope, Page};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::members::{self, password, Member, Role};
use crate::provision::{self, MemberInput};
use crate::state::AppState;
use crate::store::{self, developer_keys, members as db};

/// Create body (camelCase alias `avatarUrl`). Unknown fields are refused.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMemberBody {
    /// Email address: the sign-in name, unique in the organisation without regard to case.
    #[schema(example = "sam@example.com")]
    pub email: String,
    /// Display name, 1 to 80 characters: what visitors see on takeovers and replies.
    #[schema(example = "Sam")]
    pub name: String,
    /// `owner`, `admin` or `agent`.
    pub role: Role,
    /// Avatar image URL (http(s), or a path on this server).
    #[serde(default, alias = "avatarUrl")]
    pub avatar_url: Option<String>,
}

/// Update body; every field optional (camelCase aliases `avatarUrl`, `resetPassword`). Unknown fields are refused.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberBody {
    /// New display name.
    pub name: Option<String>,
    /// New email address.
    pub email: Option<String>,
    /// New avatar URL; `null` or `""` removes it.
    #[serde(default, alias = "avatarUrl", deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
    /// New role.
    pub role: Option<Role>,
    /// `true` disables the member (their sessions end, their keys are refused); `false` enables them again.
    pub disabled: Option<bool>,
    /// `true` replaces the password with a new one-time password, answered once as `password`, and ends the
    /// member's sessions.
    #[serde(default, alias = "resetPassword")]
    pub reset_password: bool,
}

/// A member, with the one-time password when one was just generated.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberWithPassword {
    /// The member.
    #[serde(flatten)]
    pub member: Member,
    /// The generated one-time password, present only in the answer that made it (create, `reset_password`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The caller's member `id`, or 404.
async fn find<'e>(db: impl store::Exec<'e>, auth: &DevAuth, id: &str) -> ApiResult<Member> {
    db::get(db, Some(&auth.org_id), id).await?.ok_or_else(|| ApiError::not_found(format!("no team member `{id}`")))
}

/// 403 when an admin (not an owner) touches an owner: `roles` are the target's before and after.
fn check_authority(auth: &DevAuth, roles: &[Role]) -> ApiResult<()> {
    let caller = auth.member.as_ref().map(|m| m.role);
    if caller.is_some_and(|r| r != Role::Owner) && roles.contains(&Role::Owner) {
        return Err(ApiError::Forbidden("only an owner can create, change or remove an owner".into()));
    }
    Ok(())
}

/// 409 when `member` is the organisation's last active owner and is about to stop being one.
async fn keep_an_owner<'e>(db: impl store::Exec<'e>, member: &Member) -> ApiResult<()> {
    if member.role == Role::Owner && member.disabled_at.is_none() && db::active_owners(db, &member.org_id).await? <= 1 {
        return Err(ApiError::Conflict(format!(
            "{} is the organisation's last owner: make another member owner first",
            member.name
        )));
    }
    Ok(())
}

/// `GET /api/v1/members` (scope `members:read`): newest first, cursor-paginated.
#[utoipa::path(
    get,
    path = "/members",
    operation_id = "list_members",
    tag = "members",
    summary = "List team members",
    description = "Scope `members:read`. Newest first, cursor-paginated; disabled members included.",
    security(("developer_key" = [])),
    params(Page),
    responses((status = 200, description = "A page of members", body = ListEnvelope<Member>)),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    auth.require("members:read")?;
    let page = PageRequest::read(&state.db, &params, "team member", db::CURSOR, &auth.org_id).await?;
    let rows = db::list(&state.db, &auth.org_id, page.before_seq, page.limit + 1).await?;
    let total = db::count(&state.db, &auth.org_id).await?;
    Ok(Json(page.envelope(rows, total, "/api/v1/members", "members")))
}

/// `POST /api/v1/members` (scope `members:write`): 201 with the one-time password.
#[utoipa::path(
    post,
    path = "/members",
    operation_id = "create_member",
    tag = "members",
    summary = "Create a team member",
    description = "Scope `members:write`. Answers the member with a generated one-time `password`, shown only here \
        (only its Argon2id hash is stored); they sign in at `/inbox/` and should change it. Only an owner (or a key \
        bound to nobody) may create an owner.",
    security(("developer_key" = [])),
    request_body = CreateMemberBody,
    responses(
        (status = 201, description = "The new member and its one-time password", body = MemberWithPassword),
        (status = 409, description = "The organisation has a member with this email", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiJson(body): ApiJson<CreateMemberBody>,
) -> ApiResult<(StatusCode, Json<MemberWithPassword>)> {
    auth.require("members:write")?;
    check_authority(&auth, &[body.role])?;
    let input = MemberInput {
        name: body.name,
        email: body.email,
        avatar_url: body.avatar_url,
        role: body.role,
        with_password: true,
    };
    let (member, password) = provision::create_member(&state.db, &auth.org_id, input).await?;
    Ok((StatusCode::CREATED, Json(MemberWithPassword { member, password })))
}

/// `GET /api/v1/members/:id` (scope `members:read`).
#[utoipa::path(
    get,
    path = "/members/{id}",
    operation_id = "get_member",
    tag = "members",
    summary = "Read a team member",
    description = "Scope `members:read`.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Member id")),
    responses(
        (status = 200, description = "The member", body = Member),
        (status = 404, description = "No such member in the organisation", body = ErrorBody),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Member>> {
    auth.require("members:read")?;
    Ok(Json(find(&state.db, &auth, &id).await?))
}

/// `POST` (or `PATCH`) `/api/v1/members/:id` (scope `members:write`).
#[utoipa::path(
    method(post, patch),
    path = "/members/{id}",
    operation_id = "update_member",
    tag = "members",
    summary = "Update a team member",
    description = "Scope `members:write`. Change name, email, avatar or role; `disabled: true` ends the member's \
        sessions and refuses their keys (`false` enables them again); `reset_password: true` answers a new one-time \
        `password`, once. The last active owner cannot be demoted or disabled (409).",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Member id")),
    request_body = UpdateMemberBody,
    responses(
        (status = 200, description = "The member after the change", body = MemberWithPassword),
        (status = 404, description = "No such member in the organisation", body = ErrorBody),
        (status = 409, description = "Email taken, or the last owner", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateMemberBody>,
) -> ApiResult<Json<MemberWithPassword>> {
    auth.require("members:write")?;
    let change = db::Update {
        name: body.name.as_deref().map(members::check_name).transpose()?,
        email: body.email.as_deref().map(members::check_email).transpose()?,
        avatar_url: match &body.avatar_url {
            Some(url) => Some(members::check_avatar_url(url.as_deref().unwrap_or_default())?),
            None => None,
        },
        role: body.role,
    };
    let generated = body.reset_password.then(password::generate);
    let hash = match &generated {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let mut tx = store::begin_write(&state.db).await?;
    let before = find(&mut *tx, &auth, &id).await?;
    check_authority(&auth, &[before.role, body.role.unwrap_or(before.role)])?;
    let demoted = body.role.is_some_and(|r| r != Role::Owner);
    if demoted || body.disabled == Some(true) {
        keep_an_owner(&mut *tx, &before).await?;
    }
    if let Some(email) = &change.email {
        if db::email_taken(&mut *tx, &auth.org_id, email, &id).await? {
            return Err(ApiError::Conflict(format!("the organisation already has a team member with email {email}")));
        }
    }
    db::update(&mut *tx, &id, &change).await?;
    if let Some(disabled) = body.disabled {
        db::set_disabled(&mut *tx, &id, disabled).await?;
    }
    if let Some(hash) = &hash {
        db::set_password(&mut *tx, &id, hash).await?;
    }
    if body.disabled == Some(true) || hash.is_some() {
        db::revoke_sessions(&mut *tx, &id).await?;
    }
    let member = find(&mut *tx, &auth, &id).await?;
    tx.commit().await?;
    Ok(Json(MemberWithPassword { member, password: generated }))
}

/// `DELETE /api/v1/members/:id` (scope `members:write`): the member, their sessions, and their keys revoked.
#[utoipa::path(
    delete,
    path = "/members/{id}",
    operation_id = "delete_member",
    tag = "members",
    summary = "Remove a team member",
    description = "Scope `members:write`. Their sessions end and the developer keys bound to them are revoked. The \
        last active owner cannot be removed (409).",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Member id")),
    responses(
        (status = 200, description = "Removed", body = Deleted),
        (status = 404, description = "No such member in the organisation", body = ErrorBody),
        (status = 409, description = "The last owner", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Deleted>> {
    auth.require("members:write")?;
    let mut tx = store::begin_write(&state.db).await?;
    let member = find(&mut *tx, &auth, &id).await?;
    check_authority(&auth, &[member.role])?;
    keep_an_owner(&mut *tx, &member).await?;
    developer_keys::revoke_of_member(&mut *tx, &id).await?;
    db::delete(&mut *tx, &id).await?;
    tx.commit().await?;
    Ok(super::deleted("member", &id))
}
