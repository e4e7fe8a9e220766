//! Which engine a pool or connection talks to, and the few things the two spell differently: the current time
//! (rewritten for Postgres once per statement) and boolean columns (SQLite's 0/1 integers, Postgres' `BOOLEAN`).

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use sqlx::any::{AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Any, AnyConnection, Decode, Type};

use super::Db;

/// The SQL engine behind a pool or connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite: the embedded default (`--data`).
    Sqlite,
    /// PostgreSQL: several instances on one database (`--database-url`).
    Postgres,
}

/// SQLite's current-time expression as `now_sql!` writes it, and what Postgres runs instead.
const NOW_SQLITE: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
const NOW_POSTGRES: &str = "quincer_now()";

/// Postgres versions of statements, made once per statement text: statements are `'static` constants, so their
/// rewrites live as long (a fixed, small set).
static POSTGRES_SQL: LazyLock<RwLock<HashMap<&'static str, &'static str>>> = LazyLock::new(Default::default);

impl Dialect {
    /// The engine of a pool, from its URL's scheme.
    pub fn of(db: &Db) -> Self {
        Self::of_scheme(db.connect_options().database_url.scheme())
    }

    /// The engine of a connection (or of a transaction: `&**tx`).
    pub fn of_connection(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("PostgreSQL") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The engine a database URL names (`postgres://` or `postgresql://`, else SQLite).
    pub fn of_scheme(scheme: &str) -> Self {
        if scheme.starts_with("postgres") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// `sql` for this engine: as written (SQLite's dialect), with `now_sql!`'s expression replaced by
    /// `quincer_now()` on Postgres.
    pub fn sql(self, sql: &'static str) -> &'static str {
        if self == Self::Sqlite || !sql.contains(NOW_SQLITE) {
            return sql;
        }
        if let Some(rewritten) = POSTGRES_SQL.read().unwrap_or_else(|e| e.into_inner()).get(sql) {
            return rewritten;
        }
        let rewritten: &'static str = Box::leak(sql.replace(NOW_SQLITE, NOW_POSTGRES).into_boxed_str());
        POSTGRES_SQL.write().unwrap_or_else(|e| e.into_inner()).entry(sql).or_insert(rewritten)
    }

    /// One of two spellings of a statement: `sqlite`'s or `postgres`'s (each passed through [`Dialect::sql`]).
    pub fn pick(self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self {
            Self::Sqlite => sqlite,
            Self::Postgres => self.sql(postgres),
        }
    }
}

/// A boolean column read through `sqlx::Any`, which hands SQLite's flags over as integers and Postgres' as
/// booleans; `#[sqlx(try_from = "Flag")]` on a `bool` field (or `Flag` in a tuple) reads either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> Self {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <bool as Decode<Any>>::decode(value.clone()) {
            Ok(b) => Ok(Flag(b)),
            Err(_) => Ok(Flag(<i64 as Decode<Any>>::decode(value)? != 0)),
        }
    }
}

/// A JSON array of strings stored as text (webhook events, URL patterns, allowed origins, tags): read with
/// `#[sqlx(try_from = "StringList")]` on a `Vec<String>` field (`sqlx::types::Json` does not decode through
/// `sqlx::Any`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StringList(pub Vec<String>);

impl From<StringList> for Vec<String> {
    fn from(list: StringList) -> Self {
        list.0
    }
}

impl Type<Any> for StringList {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
}

impl<'r> Decode<'r, Any> for StringList {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        Ok(StringList(serde_json::from_str(text)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_reads_the_current_time_through_quincer_now() {
        let sql = concat!("UPDATE t SET a = ", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", ", b = 1");
        assert_eq!(Dialect::Sqlite.sql(sql), sql);
        assert_eq!(Dialect::Postgres.sql(sql), "UPDATE t SET a = quincer_now(), b = 1");
        // Made once: the second call hands back the same text.
        assert!(std::ptr::eq(Dialect::Postgres.sql(sql), Dialect::Postgres.sql(sql)));
        assert_eq!(Dialect::Postgres.sql("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn schemes_name_the_engine() {
        assert_eq!(Dialect::of_scheme("postgres"), Dialect::Postgres);
        assert_eq!(Dialect::of_scheme("postgresql"), Dialect::Postgres);
        assert_eq!(Dialect::of_scheme("sqlite"), Dialect::Sqlite);
    }
}
