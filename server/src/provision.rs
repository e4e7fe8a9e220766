//! Creating organisations, widgets, keys and team members: what the dashboard does, here used by the CLI, the
//! developer API and the demo seed; and whether a widget key still works (the live event streams ask).

use sqlx::AnyConnection;

use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::members::{self, password, Member, Role};
use crate::store::{self, Db};

/// Every developer-key scope the API knows (defined in [`crate::scopes`], which team members' roles read too).
pub use crate::scopes::ALL_SCOPES;

/// Checks a scope list: non-empty, every scope known.
///
/// # Errors
/// A sentence naming the problem and the known scopes.
pub fn validate_scopes(scopes: &[&str]) -> Result<(), String> {
    if scopes.is_empty() {
        return Err(format!("give at least one scope; known scopes: {}", ALL_SCOPES.join(" ")));
    }
    match scopes.iter().find(|s| !ALL_SCOPES.contains(s)) {
        Some(bad) => Err(format!("unknown scope `{bad}`; known scopes: {}", ALL_SCOPES.join(" "))),
        None => Ok(()),
    }
}

/// A new widget and its first public key.
#[derive(Debug, Clone)]
pub struct NewWidget {
    /// Widget id.
    pub widget_id: String,
    /// Its `cw_live_` key.
    pub widget_key: String,
}

/// Creates an organisation.
///
/// # Errors
/// Database errors.
pub async fn create_org(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    let id = ids::new_id("org");
    store::organizations::insert(db, &id, name).await?;
    Ok(id)
}

/// Creates a widget with a default persona and a public key.
///
/// # Errors
/// Database errors.
pub async fn create_widget(
    db: &Db,
    org_id: &str,
    brand: &str,
    website_url: Option<&str>,
    primary_color: &str,
) -> Result<NewWidget, sqlx::Error> {
    let mut tx = db.begin().await?;
    let widget_id = insert_widget(&mut tx, org_id, brand, website_url, primary_color).await?;
    let widget_key = mint_widget_key(&mut tx, &widget_id).await?;
    tx.commit().await?;
    Ok(NewWidget { widget_id, widget_key })
}

/// Inserts a widget (other settings at their defaults) with its default persona, "Assistant", and returns its id.
///
/// # Errors
/// Database errors.
pub async fn insert_widget(
    conn: &mut AnyConnection,
    org_id: &str,
    brand: &str,
    website_url: Option<&str>,
    primary_color: &str,
) -> Result<String, sqlx::Error> {
    let widget_id = ids::new_id("wgt");
    store::widgets::insert(&mut *conn, &widget_id, org_id, brand, website_url, primary_color).await?;
    let prompt = format!("You are {brand}'s helpful assistant. Answer from the knowledge base; never invent facts.");
    let persona = store::personas::NewPersona {
        name: "Assistant",
        system_prompt: &prompt,
        bubble_color: Some(primary_color),
        is_default: true,
        ..store::personas::NewPersona::default()
    };
    store::personas::insert(&mut *conn, &ids::new_id("per"), &widget_id, &persona).await?;
    Ok(widget_id)
}

/// Mints a new public `cw_live_` key for `widget_id` and returns it.
///
/// # Errors
/// Database errors.
pub async fn mint_widget_key(conn: &mut AnyConnection, widget_id: &str) -> Result<String, sqlx::Error> {
    let key = ids::new_widget_key();
    store::keys::insert(conn, &key, widget_id).await?;
    Ok(key)
}

/// Mints a developer key for `org_id`; the key itself is returned once and only its hash is stored.
///
/// # Errors
/// Database errors. Scopes must have passed [`validate_scopes`]; unknown ones are refused before anything is
/// written.
pub async fn create_dev_key(db: &Db, org_id: &str, name: &str, scopes: &[&str]) -> Result<String, sqlx::Error> {
    insert_dev_key(db, org_id, name, scopes, None).await
}

/// Stores a new developer key, bound to `member_id` if given, and returns it.
async fn insert_dev_key(
    db: &Db,
    org_id: &str,
    name: &str,
    scopes: &[&str],
    member_id: Option<&str>,
) -> Result<String, sqlx::Error> {
    if let Err(msg) = validate_scopes(scopes) {
        return Err(sqlx::Error::InvalidArgument(msg));
    }
    let key = ids::new_dev_key();
    let stored = store::developer_keys::NewKey {
        id: &ids::new_id("key"),
        org_id,
        key_hash: &ids::hash_secret(&key),
        prefix: &key[..12],
        name,
        scopes: &scopes.join(" "),
        member_id,
    };
    store::developer_keys::insert(db, &stored).await?;
    Ok(key)
}

/// Whether `key` is a widget key that is neither revoked nor gone with its widget.
///
/// # Errors
/// Database errors.
pub async fn widget_key_active(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    store::keys::is_active(db, key).await
}

/// Mints a developer key bound to team member `member_id` of `org_id`: its requests act as that member (their
/// name and avatar on takeovers and replies). The scopes must be within the member's role ([`Role::scopes`]: an
/// agent's key cannot manage the team), and requests get only those the role still has if it changes later.
///
/// # Errors
/// 404 for no such member in the organisation, 409 for a disabled one, 400 for scopes outside the role.
pub async fn create_member_key(
    db: &Db,
    org_id: &str,
    member_id: &str,
    name: &str,
    scopes: &[&str],
) -> ApiResult<String> {
    validate_scopes(scopes).map_err(ApiError::BadRequest)?;
    let member = store::members::get(db, Some(org_id), member_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no team member `{member_id}` in organisation `{org_id}`")))?;
    if member.disabled_at.is_some() {
        return Err(ApiError::Conflict(format!("team member `{member_id}` is disabled")));
    }
    let outside: Vec<&str> = scopes.iter().copied().filter(|s| !member.role.scopes().contains(s)).collect();
    if !outside.is_empty() {
        return Err(ApiError::bad_request(format!(
            "a key bound to {} (role {}) cannot have {}: the role does not grant it",
            member.name,
            member.role,
            outside.join(" ")
        )));
    }
    Ok(insert_dev_key(db, org_id, name, scopes, Some(member_id)).await?)
}

/// A team member to create.
#[derive(Debug, Clone)]
pub struct MemberInput {
    /// Display name (checked by [`members::check_name`]).
    pub name: String,
    /// Email address (checked by [`members::check_email`]).
    pub email: String,
    /// Avatar URL; blank for none.
    pub avatar_url: Option<String>,
    /// Role.
    pub role: Role,
    /// Whether to generate a one-time password (a member without one cannot sign in, like the OpenClaw agent,
    /// which acts only through its key).
    pub with_password: bool,
}

/// Creates a team member of `org_id`; returns it and, if asked for, its generated one-time password (shown once:
/// only its Argon2id hash is stored).
///
/// # Errors
/// 400 for an invalid field, 404 for no such organisation, 409 when the organisation has a member with the email.
pub async fn create_member(db: &Db, org_id: &str, input: MemberInput) -> ApiResult<(Member, Option<String>)> {
    let name = members::check_name(&input.name)?;
    let email = members::check_email(&input.email)?;
    let avatar_url = members::check_avatar_url(input.avatar_url.as_deref().unwrap_or_default())?;
    if !store::organizations::exists(db, org_id).await? {
        return Err(ApiError::not_found(format!("no organisation `{org_id}`")));
    }
    let generated = input.with_password.then(password::generate);
    let hash = match &generated {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let id = ids::new_id("mem");
    let mut tx = store::begin_write(db).await?;
    if store::members::email_taken(&mut *tx, org_id, &email, &id).await? {
        return Err(ApiError::Conflict(format!("the organisation already has a team member with email {email}")));
    }
    let new = store::members::NewMember {
        id: &id,
        org_id,
        name: &name,
        email: &email,
        avatar_url: avatar_url.as_deref(),
        role: input.role,
        password_hash: hash.as_deref(),
    };
    store::members::insert(&mut *tx, &new).await?;
    let member = store::members::get(&mut *tx, Some(org_id), &id)
        .await?
        .ok_or_else(|| ApiError::Internal("a member just created is missing".into()))?;
    tx.commit().await?;
    Ok((member, generated))
}
