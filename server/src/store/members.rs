//! Team members and their sign-in sessions ([`crate::members`] holds the rules). Emails compare without regard to
//! case (`lower(email)`, indexed on both engines); session tokens are stored as SHA-256 hashes.

use super::{Db, Dialect, Exec};
use crate::members::{Member, Role};

/// A member's columns as [`Member`] reads them.
const COLUMNS: &str = "m.id, m.org_id, m.name, m.email, m.avatar_url, m.role,
    m.password_hash IS NOT NULL AS has_password, m.created_at, m.disabled_at";
/// A new member.
const INSERT: &str = "INSERT INTO members (id, org_id, name, email, avatar_url, role, password_hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
/// The list cursor: the position of member `$2` among organisation `$1`'s.
pub const CURSOR: &str = "SELECT seq FROM members WHERE org_id = $1 AND id = $2";
/// Whether another member of the organisation has the email.
const EMAIL_TAKEN: &str = "SELECT COUNT(*) FROM members WHERE org_id = $1 AND lower(email) = lower($2) AND id <> $3";
/// A member's password hash.
const PASSWORD_HASH: &str = "SELECT password_hash FROM members WHERE id = $1";
/// Sets a member's password hash.
const SET_PASSWORD: &str = "UPDATE members SET password_hash = $1 WHERE id = $2";
/// Changes a member's profile; `NULL` keeps a column (the avatar: `$4` says whether to set it to `$3`).
const UPDATE: &str = "UPDATE members SET name = COALESCE($1, name), email = COALESCE($2, email),
    avatar_url = CASE WHEN $4 THEN $3 ELSE avatar_url END, role = COALESCE($5, role) WHERE id = $6";
/// Disables a member (keeping the first time).
const DISABLE: &str =
    concat!("UPDATE members SET disabled_at = COALESCE(disabled_at, ", super::now_sql!(), ") WHERE id = $1");
/// Enables a member again.
const ENABLE: &str = "UPDATE members SET disabled_at = NULL WHERE id = $1";
/// Removes a member (sessions go with it; bound keys stay, unbound, and are revoked by the caller first).
const DELETE: &str = "DELETE FROM members WHERE id = $1";
/// Owners of an organisation who are not disabled.
const ACTIVE_OWNERS: &str = "SELECT COUNT(*) FROM members WHERE org_id = $1 AND role = 'owner' AND disabled_at IS NULL";

/// A new session.
const INSERT_SESSION: &str = "INSERT INTO member_sessions (id, member_id, token_hash, csrf_token, expires_at)
    VALUES ($1, $2, $3, $4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || $5 || ' seconds'))";
/// [`INSERT_SESSION`] on Postgres.
const INSERT_SESSION_POSTGRES: &str = "INSERT INTO member_sessions (id, member_id, token_hash, csrf_token, expires_at)
    VALUES ($1, $2, $3, $4, quincer_now_plus($5))";
/// A session by its token's hash, with its member, the time now and the idle and touch cut-offs (`$2` and `$3`
/// seconds ago), so the caller tells expired and stale sessions apart with the database's clock.
const SESSION_SQLITE_HEAD: &str = "SELECT s.id AS session_id, s.csrf_token, s.expires_at, s.last_seen_at,
    s.revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now_at,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || $2 || ' seconds') AS idle_cutoff,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || $3 || ' seconds') AS touch_cutoff, ";
/// The Postgres head of the session lookup.
const SESSION_POSTGRES_HEAD: &str = "SELECT s.id AS session_id, s.csrf_token, s.expires_at, s.last_seen_at,
    s.revoked_at, quincer_now() AS now_at, quincer_now_plus(-($2::float8)) AS idle_cutoff,
    quincer_now_plus(-($3::float8)) AS touch_cutoff, ";
/// The rest of the session lookup.
const SESSION_TAIL: &str = " FROM member_sessions s JOIN members m ON m.id = s.member_id WHERE s.token_hash = $1";
/// Marks a session used now.
const TOUCH_SESSION: &str = concat!("UPDATE member_sessions SET last_seen_at = ", super::now_sql!(), " WHERE id = $1");
/// Revokes one session.
const REVOKE_SESSION: &str =
    concat!("UPDATE member_sessions SET revoked_at = ", super::now_sql!(), " WHERE id = $1 AND revoked_at IS NULL");
/// Revokes every session of a member.
const REVOKE_SESSIONS: &str = concat!(
    "UPDATE member_sessions SET revoked_at = ",
    super::now_sql!(),
    " WHERE member_id = $1 AND revoked_at IS NULL"
);

/// A member to store.
#[derive(Debug)]
pub struct NewMember<'a> {
    /// Member id (`mem_…`).
    pub id: &'a str,
    /// The organisation.
    pub org_id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Email address.
    pub email: &'a str,
    /// Avatar URL.
    pub avatar_url: Option<&'a str>,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string, or `None` for a member who cannot sign in.
    pub password_hash: Option<&'a str>,
}

/// Stores a member.
///
/// # Errors
/// Database errors (a unique violation when the organisation has the email: check [`email_taken`] first).
pub async fn insert<'e>(db: impl Exec<'e>, m: &NewMember<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(m.id)
        .bind(m.org_id)
        .bind(m.name)
        .bind(m.email)
        .bind(m.avatar_url)
        .bind(m.role.as_str())
        .bind(m.password_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether a member of `org_id` other than `except_id` has `email` (compared without case).
///
/// # Errors
/// Database errors.
pub async fn email_taken<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    email: &str,
    except_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(EMAIL_TAKEN).bind(org_id).bind(email).bind(except_id).fetch_one(db).await?;
    Ok(n > 0)
}

/// Member `id` of `org_id` (any organisation's when `org_id` is `None`: the CLI names members by id alone).
///
/// # Errors
/// Database errors.
pub async fn get<'e>(db: impl Exec<'e>, org_id: Option<&str>, id: &str) -> Result<Option<Member>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM members m WHERE m.id = $1 AND ($2 IS NULL OR m.org_id = $2)");
    let member: Option<Member> = sqlx::query_as(&sql).bind(id).bind(org_id).fetch_optional(db).await?;
    Ok(member.map(with_object))
}

/// A page of `org_id`'s members, newest first: those before `before_seq` (a [`CURSOR`] position), `limit` at most.
///
/// # Errors
/// Database errors.
pub async fn list(db: &Db, org_id: &str, before_seq: Option<i64>, limit: i64) -> Result<Vec<Member>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM members m WHERE m.org_id = $1 AND ($2 IS NULL OR m.seq < $2) ORDER BY m.seq DESC LIMIT $3"
    );
    let rows: Vec<Member> = sqlx::query_as(&sql).bind(org_id).bind(before_seq).bind(limit).fetch_all(db).await?;
    Ok(rows.into_iter().map(with_object).collect())
}

/// How many members `org_id` has.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE org_id = $1").bind(org_id).fetch_one(db).await
}

/// The members (of any organisation) whose email is `email`, compared without case, with their password hashes:
/// sign-in checks the password against each (usually one).
///
/// # Errors
/// Database errors.
pub async fn for_sign_in(db: &Db, email: &str) -> Result<Vec<(Member, Option<String>)>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM members m WHERE lower(m.email) = lower($1) ORDER BY m.seq");
    let members: Vec<Member> = sqlx::query_as(&sql).bind(email).fetch_all(db).await?;
    let mut out = Vec::with_capacity(members.len());
    for member in members {
        let hash = password_hash(db, &member.id).await?;
        out.push((with_object(member), hash));
    }
    Ok(out)
}

/// Member `id`'s password hash, if it has one.
///
/// # Errors
/// Database errors.
pub async fn password_hash<'e>(db: impl Exec<'e>, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, Option<String>>(PASSWORD_HASH).bind(id).fetch_optional(db).await?.flatten())
}

/// Sets member `id`'s password hash.
///
/// # Errors
/// Database errors.
pub async fn set_password<'e>(db: impl Exec<'e>, id: &str, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(SET_PASSWORD).bind(hash).bind(id).execute(db).await?;
    Ok(())
}

/// A profile change; `None` keeps a field.
#[derive(Debug, Default)]
pub struct Update {
    /// New display name.
    pub name: Option<String>,
    /// New email address.
    pub email: Option<String>,
    /// New avatar URL (`Some(None)` clears it).
    pub avatar_url: Option<Option<String>>,
    /// New role.
    pub role: Option<Role>,
}

/// Changes member `id`'s profile.
///
/// # Errors
/// Database errors.
pub async fn update<'e>(db: impl Exec<'e>, id: &str, change: &Update) -> Result<(), sqlx::Error> {
    sqlx::query(UPDATE)
        .bind(change.name.as_deref())
        .bind(change.email.as_deref())
        .bind(change.avatar_url.clone().flatten())
        .bind(change.avatar_url.is_some())
        .bind(change.role.map(Role::as_str))
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Disables (`true`) or enables member `id`.
///
/// # Errors
/// Database errors.
pub async fn set_disabled<'e>(db: impl Exec<'e>, id: &str, disabled: bool) -> Result<(), sqlx::Error> {
    let sql = if disabled { db.dialect().sql(DISABLE) } else { ENABLE };
    sqlx::query(sql).bind(id).execute(db).await?;
    Ok(())
}

/// Removes member `id` (its sessions with it).
///
/// # Errors
/// Database errors.
pub async fn delete<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).execute(db).await?;
    Ok(())
}

/// How many owners of `org_id` are not disabled.
///
/// # Errors
/// Database errors.
pub async fn active_owners<'e>(db: impl Exec<'e>, org_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(ACTIVE_OWNERS).bind(org_id).fetch_one(db).await
}

/// A session to store.
#[derive(Debug)]
pub struct NewSession<'a> {
    /// Session id (`ses_…`).
    pub id: &'a str,
    /// The member.
    pub member_id: &'a str,
    /// SHA-256 of the cookie's token.
    pub token_hash: &'a str,
    /// The CSRF token state-changing requests must repeat.
    pub csrf_token: &'a str,
    /// Seconds from now until the session ends, however active.
    pub lifetime_secs: i64,
}

/// Stores a session.
///
/// # Errors
/// Database errors.
pub async fn insert_session<'e>(db: impl Exec<'e>, s: &NewSession<'_>) -> Result<(), sqlx::Error> {
    let sql = db.dialect().pick(INSERT_SESSION, INSERT_SESSION_POSTGRES);
    sqlx::query(sql)
        .bind(s.id)
        .bind(s.member_id)
        .bind(s.token_hash)
        .bind(s.csrf_token)
        .bind(s.lifetime_secs as f64)
        .execute(db)
        .await?;
    Ok(())
}

/// A stored session, with its member and the database's clock.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    /// Session id.
    pub session_id: String,
    /// Its CSRF token.
    pub csrf_token: String,
    /// When it ends however active.
    pub expires_at: String,
    /// When it was last used (updated at most every touch interval).
    pub last_seen_at: String,
    /// When it was revoked (signed out), if it was.
    pub revoked_at: Option<String>,
    /// The database's time now.
    pub now_at: String,
    /// Sessions last seen before this have been idle too long.
    pub idle_cutoff: String,
    /// Sessions last seen before this are marked seen again.
    pub touch_cutoff: String,
    /// The member.
    #[sqlx(flatten)]
    pub member: Member,
}

/// The session whose token hashes to `token_hash`; `idle_secs` and `touch_secs` set its cut-offs.
///
/// # Errors
/// Database errors.
pub async fn session(
    db: &Db,
    token_hash: &str,
    idle_secs: i64,
    touch_secs: i64,
) -> Result<Option<Session>, sqlx::Error> {
    let head = match Dialect::of(db) {
        Dialect::Sqlite => SESSION_SQLITE_HEAD,
        Dialect::Postgres => SESSION_POSTGRES_HEAD,
    };
    let sql = format!("{head}{COLUMNS}{SESSION_TAIL}");
    let found: Option<Session> =
        sqlx::query_as(&sql).bind(token_hash).bind(idle_secs as f64).bind(touch_secs as f64).fetch_optional(db).await?;
    Ok(found.map(|mut s| {
        s.member.object = "member";
        s
    }))
}

/// Marks session `id` used now.
///
/// # Errors
/// Database errors.
pub async fn touch_session<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(TOUCH_SESSION)).bind(id).execute(db).await?;
    Ok(())
}

/// Revokes session `id` (signing out).
///
/// # Errors
/// Database errors.
pub async fn revoke_session<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(REVOKE_SESSION)).bind(id).execute(db).await?;
    Ok(())
}

/// Revokes every active session of member `id`; returns how many.
///
/// # Errors
/// Database errors.
pub async fn revoke_sessions<'e>(db: impl Exec<'e>, member_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(db.dialect().sql(REVOKE_SESSIONS)).bind(member_id).execute(db).await?.rows_affected())
}

/// `object` set on a member read from the database.
fn with_object(mut member: Member) -> Member {
    member.object = "member";
    member
}
