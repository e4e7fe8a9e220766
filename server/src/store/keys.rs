//! Widget keys: the public `cw_live_` keys pages embed, as the public endpoints check them and the developer API
//! (`api/widgets/keys`) lists, mints and revokes them. Developer keys are in [`super::developer_keys`].

use serde::Serialize;

use super::Builder;
use crate::embed::Embed;

use super::notices::{self, Notice};
use super::{now_sql, Db, Dialect, Exec};

/// A public key as the API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct KeyResource {
    /// Always `"widget_key"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// The key itself: keys are public, so they are their own id.
    pub id: String,
    /// The `cw_live_` key.
    pub key: String,
    /// Its widget.
    pub widget_id: String,
    /// Creation time.
    pub created_at: String,
    /// When it was revoked; `null` while active.
    pub revoked_at: Option<String>,
    /// How to embed the widget with this key; `null` once revoked.
    #[sqlx(skip)]
    pub embed: Option<Embed>,
}

/// A new key of a widget.
const INSERT: &str = "INSERT INTO widget_keys (key, widget_id) VALUES ($1, $2)";
/// An active key.
const ACTIVE: &str = "SELECT key FROM widget_keys WHERE key = $1 AND revoked_at IS NULL";
/// What a public request needs of the key it carries: its widget, organisation, revocation and allowed origins.
const CREDENTIAL: &str = "SELECT w.id, w.org_id, k.revoked_at, w.allowed_origins FROM widget_keys k
    JOIN widgets w ON w.id = k.widget_id WHERE k.key = $1";
/// One key of a widget, as the developer API shows it.
const FIND: &str =
    "SELECT key AS id, key, widget_id, created_at, revoked_at FROM widget_keys WHERE widget_id = $1 AND key = $2";
/// The widget's active keys, for a query builder: the widget id is pushed after it.
const SELECT_ACTIVE: &str =
    "SELECT key AS id, key, widget_id, created_at, revoked_at FROM widget_keys WHERE revoked_at IS NULL AND widget_id = ";
/// How many active keys the widget has.
const ACTIVE_COUNT: &str = "SELECT COUNT(*) FROM widget_keys WHERE widget_id = $1 AND revoked_at IS NULL";
/// Every key of a widget, revoked or not.
const OF_WIDGET: &str = "SELECT key FROM widget_keys WHERE widget_id = $1";
/// Revokes a key; a revoked key keeps its first `revoked_at`.
const REVOKE: &str = concat!(
    "UPDATE widget_keys SET revoked_at = ",
    now_sql!(),
    " WHERE widget_id = $1 AND key = $2 AND revoked_at IS NULL"
);

/// The position of one of the organisation's keys in a page of keys (`starting_after`): takes the organisation id
/// and the key. Keys have no `seq`: they are ordered by SQLite's `rowid` (Postgres: a `seq` column).
pub const CURSOR_SQLITE: &str =
    "SELECT k.rowid FROM widget_keys k JOIN widgets w ON w.id = k.widget_id WHERE w.org_id = $1 AND k.key = $2";

/// [`CURSOR_SQLITE`] on Postgres, whose keys have a `seq` column.
pub const CURSOR_POSTGRES: &str =
    "SELECT k.seq FROM widget_keys k JOIN widgets w ON w.id = k.widget_id WHERE w.org_id = $1 AND k.key = $2";

/// The column keys are ordered by: SQLite's `rowid` (insertion order); Postgres' `seq`.
const ORDER_SQLITE: &str = "rowid";

/// The statement that finds a page cursor's position (see [`CURSOR_SQLITE`]) on `dialect`.
pub fn cursor(dialect: Dialect) -> &'static str {
    dialect.pick(CURSOR_SQLITE, CURSOR_POSTGRES)
}

/// Stores `key` as a new active key of widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn insert<'e>(db: impl Exec<'e>, key: &str, widget_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT).bind(key).bind(widget_id).execute(db).await?;
    Ok(())
}

/// Whether `key` is a widget key that is neither revoked nor gone with its widget.
///
/// # Errors
/// Database errors.
pub async fn is_active(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(ACTIVE).bind(key).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// What a public request needs of the widget key it carries.
#[derive(Debug)]
pub struct Credential {
    /// The key's widget.
    pub widget_id: String,
    /// The widget's organisation.
    pub org_id: String,
    /// When the key was revoked; `None` while active.
    pub revoked_at: Option<String>,
    /// The widget's allowed origins (stored JSON).
    pub allowed_origins: String,
}

/// The widget, organisation and state of `key`, or `None` for an unknown key.
///
/// # Errors
/// Database errors.
pub async fn credential(db: &Db, key: &str) -> Result<Option<Credential>, sqlx::Error> {
    let row: Option<(String, String, Option<String>, String)> =
        sqlx::query_as(CREDENTIAL).bind(key).fetch_optional(db).await?;
    Ok(row.map(|(widget_id, org_id, revoked_at, allowed_origins)| Credential {
        widget_id,
        org_id,
        revoked_at,
        allowed_origins,
    }))
}

/// Key `key` of widget `widget_id`, active or revoked (`object` and `embed` left for the caller to fill).
///
/// # Errors
/// Database errors.
pub async fn find<'e>(db: impl Exec<'e>, widget_id: &str, key: &str) -> Result<Option<KeyResource>, sqlx::Error> {
    sqlx::query_as(FIND).bind(widget_id).bind(key).fetch_optional(db).await
}

/// Up to `limit` of the widget's active keys, newest first, minted before position `before` when given (found
/// with [`CURSOR_SQLITE`]).
///
/// # Errors
/// Database errors.
pub async fn list_active<'e>(
    db: impl Exec<'e>,
    widget_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<KeyResource>, sqlx::Error> {
    let order = db.dialect().pick(ORDER_SQLITE, "seq");
    let mut q = Builder::new(SELECT_ACTIVE);
    q.push_bind(widget_id.to_owned());
    if let Some(position) = before {
        q.push(" AND ").push(order).push(" < ").push_bind(position);
    }
    q.push(" ORDER BY ").push(order).push(" DESC LIMIT ").push_bind(limit);
    q.build_query_as().fetch_all(db).await
}

/// How many active keys widget `widget_id` has.
///
/// # Errors
/// Database errors.
pub async fn active_count<'e>(db: impl Exec<'e>, widget_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(ACTIVE_COUNT).bind(widget_id).fetch_one(db).await
}

/// Every key of widget `widget_id`, revoked or not (their live streams end when it is deleted).
///
/// # Errors
/// Database errors.
pub async fn of_widget<'e>(db: impl Exec<'e>, widget_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(OF_WIDGET).bind(widget_id).fetch_all(db).await
}

/// Revokes key `key` of widget `widget_id`, unless it already is (it then keeps its first `revoked_at`).
///
/// # Errors
/// Database errors.
pub async fn revoke(conn: &mut sqlx::AnyConnection, widget_id: &str, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(conn).sql(REVOKE)).bind(widget_id).bind(key).execute(&mut *conn).await?;
    // Streams opened with the key on other instances end at commit.
    notices::send(conn, &Notice::Revoked(key.to_owned())).await
}
