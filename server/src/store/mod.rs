//! The storage layer: the queries the handlers need, one module per resource, so handlers deal with
//! HTTP and this module with SQL.
//!
//! - [`audit`]: the conversation audit trail (who took over, replied, handed back or off).
//! - [`conversations`]: conversations, their state (takeover, persona, locale) and the developer API's listing.
//! - [`messages`]: the transcript: visitor, assistant and agent messages.
//! - [`events`]: the per-conversation live event log the widget's stream replays.
//! - [`grants`]: whether a long-lived stream's key or session still works.
//! - [`leads`]: leads and their stage history; [`lead_emails`]: their follow-up emails and the send outbox.
//! - [`widgets`]: widgets, as replies, sessions and the developer API need them.
//! - [`keys`]: widget keys; [`developer_keys`]: developer keys; [`organizations`]: organisations.
//! - [`members`]: team members and their sign-in sessions.
//! - [`personas`]: personas, as pages see them and the developer API manages them.
//! - [`visitors`]: visitors, their sessions and identity.
//! - [`webhooks`]: subscriptions, their delivery queue and the dispatcher's bookkeeping.
//! - [`knowledge`]: knowledge items, their persona bindings and passages, and the knowledge search's queries.
//! - [`products`]: the catalog: the import's product writes (with their full-text rows), the snapshot, ranking.
//! - [`rate_limits`]: the request counters instances share on PostgreSQL.
//! - [`notices`]: telling the other instances (PostgreSQL `NOTIFY`) that a conversation has new events or a key
//!   was revoked.
//! - [`openclaw`]: an organisation's OpenClaw member and its keys.
//! - [`playbook`]: sales playbook entries and the knowledge items mirroring them.
//! - [`embeddings`]: which products and passages need a vector of the running model, and storing them.
//!
//! Shaped for a second backend (PostgreSQL, issue 20): statements use `$1`-style placeholders, `RETURNING` and
//! `ON CONFLICT … DO …`, which both engines read alike, and live in `const`s or in the function that runs them, so
//! a Postgres twin can reuse them. Functions take the pool as [`Db`] and transactions as [`Tx`] (or any executor,
//! [`Exec`]); these aliases are the one place that names the engine, so making them an enum over two pools is a
//! change here, not in the handlers. What differs per dialect is listed in `docs/ARCHITECTURE.md` ("Storage").

pub mod audit;
pub mod conversations;
pub mod developer_keys;
pub mod embeddings;
pub mod events;
pub mod grants;
pub mod keys;
pub mod knowledge;
pub mod lead_emails;
pub mod leads;
pub mod members;
pub mod messages;
pub mod notices;
pub mod openclaw;
pub mod organizations;
pub mod personas;
pub mod playbook;
pub mod products;
pub mod rate_limits;
pub mod tasks;
pub mod visitors;
pub mod webhooks;
pub mod widgets;

mod builder;
mod dialect;

pub use builder::{Builder, Separated};
pub use dialect::{Dialect, Flag, StringList};

/// The database engine the statements run on: `sqlx::Any`, which is SQLite or PostgreSQL as the pool's URL says
/// ([`Dialect`] tells which, for the statements the two engines spell differently).
pub type Backend = sqlx::Any;

/// The connection pool handlers hold.
pub type Db = sqlx::AnyPool;

/// A transaction: writes that commit together (a state change, its live event and its webhook).
pub type Tx<'c> = sqlx::Transaction<'c, Backend>;

/// Anything a statement runs on: the pool ([`Db`]), or a transaction or connection (`&mut *tx`); it knows its
/// engine's [`Dialect`].
pub trait Exec<'e>: sqlx::Executor<'e, Database = Backend> {
    /// The engine this executor runs statements on.
    fn dialect(&self) -> Dialect;
}

impl<'e> Exec<'e> for &'e Db {
    fn dialect(&self) -> Dialect {
        Dialect::of(self)
    }
}

impl<'e> Exec<'e> for &'e mut sqlx::AnyConnection {
    fn dialect(&self) -> Dialect {
        Dialect::of_connection(self)
    }
}

/// Starts a transaction that reads, then writes on what it read. SQLite takes its write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that read first could not upgrade once another writer had moved
/// the database on. Postgres needs a plain `BEGIN` (its row locks, `lock` functions' `FOR UPDATE`, do this job).
///
/// # Errors
/// Database errors.
pub async fn begin_write(db: &Db) -> Result<Tx<'static>, sqlx::Error> {
    match Dialect::of(db) {
        Dialect::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Dialect::Postgres => db.begin().await,
    }
}

/// SQLite's expression for the current time in the stored form (RFC 3339 UTC with milliseconds, sortable as
/// text), as a literal so statements can `concat!` it into `const`s. On Postgres, [`Dialect::sql`] rewrites it to
/// `quincer_now()` (defined by the Postgres schema to give the same text).
macro_rules! now_sql {
    () => {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    };
}
pub(crate) use now_sql;

/// The database's current time, in the stored form (so webhook timestamps and stored rows agree).
///
/// # Errors
/// Database errors.
pub async fn now<'e>(db: impl Exec<'e>) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(db.dialect().sql(concat!("SELECT ", now_sql!()))).fetch_one(db).await
}

/// An ISO 8601 time in the stored form (`2026-01-31T12:00:00.000Z`), so it compares with stored times as text;
/// `None` when the database does not read it as a time. (SQLite's `strftime`; Postgres: `quincer_time`, a
/// `timestamptz` cast formatted like `now_sql!`, `NULL` for text that is not a time.)
///
/// # Errors
/// Database errors.
pub async fn normalize_time<'e>(db: impl Exec<'e>, value: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = db.dialect().pick("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', $1)", "SELECT quincer_time($1)");
    sqlx::query_scalar(sql).bind(value).fetch_one(db).await
}

/// The list position (`seq`) of a page's cursor item: `cursor_sql` is a module's `CURSOR` statement, which takes
/// the organisation id and the item id, so only the caller's own items are found.
///
/// # Errors
/// Database errors.
pub async fn cursor_position<'e>(
    db: impl Exec<'e>,
    cursor_sql: &'static str,
    org_id: &str,
    id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(cursor_sql).bind(org_id).bind(id).fetch_optional(db).await
}

#[cfg(test)]
mod tests {
    /// The storage modules' source, checked for SQL only SQLite reads.
    const SOURCES: &[(&str, &str)] = &[
        ("mod.rs", include_str!("mod.rs")),
        ("builder.rs", include_str!("builder.rs")),
        ("audit.rs", include_str!("audit.rs")),
        ("conversations.rs", include_str!("conversations.rs")),
        ("embeddings.rs", include_str!("embeddings.rs")),
        ("events.rs", include_str!("events.rs")),
        ("grants.rs", include_str!("grants.rs")),
        ("keys.rs", include_str!("keys.rs")),
        ("knowledge.rs", include_str!("knowledge.rs")),
        ("leads.rs", include_str!("leads.rs")),
        ("lead_emails.rs", include_str!("lead_emails.rs")),
        ("messages.rs", include_str!("messages.rs")),
        ("products.rs", include_str!("products.rs")),
        ("notices.rs", include_str!("notices.rs")),
        ("rate_limits.rs", include_str!("rate_limits.rs")),
        ("widgets.rs", include_str!("widgets.rs")),
        ("developer_keys.rs", include_str!("developer_keys.rs")),
        ("members.rs", include_str!("members.rs")),
        ("organizations.rs", include_str!("organizations.rs")),
        ("personas.rs", include_str!("personas.rs")),
        ("visitors.rs", include_str!("visitors.rs")),
        ("webhooks.rs", include_str!("webhooks.rs")),
        ("tasks.rs", include_str!("tasks.rs")),
    ];

    #[test]
    fn statements_keep_to_sql_both_backends_read() {
        // Split so this test's own source does not match.
        let sqlite_only = [
            concat!("INSERT OR", " "),
            concat!("IS NOT", " ?"),
            concat!("= ", "?"),
            concat!("(", "?"),
            concat!(", ", "?,"),
            concat!("datetime", "("),
        ];
        for &(file, source) in SOURCES {
            for pattern in sqlite_only {
                assert!(!source.contains(pattern), "store/{file} uses `{pattern}`: write SQL both backends read");
            }
        }
    }

    /// SQLite's own forms allowed only in a constant named `…_SQLITE`: FTS5 search (its tables, `MATCH`, `bm25`)
    /// and `rowid`. Postgres searches a `tsvector` column with `ts_rank_cd` instead, so such a statement needs a
    /// Postgres twin; the suffix marks it.
    #[test]
    fn sqlite_dialect_statements_are_marked() {
        // Split so this test's own source does not match.
        let dialect = [
            concat!("products", "_fts"),
            concat!("chunks", "_fts"),
            concat!(" MATCH", " $"),
            concat!("bm25", "("),
            concat!("row", "id"),
        ];
        for (file, source) in SOURCES {
            for pattern in dialect {
                for (at, _) in source.match_indices(pattern) {
                    let before = &source[..at];
                    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
                    if line.trim_start().starts_with("//") {
                        continue; // prose, not SQL
                    }
                    // The `const` the occurrence is in: the last one before it, with no `;` (its end) between.
                    let start = before.rfind("const ").unwrap_or(0);
                    let name = before[start..].trim_start_matches("const ").split(':').next().unwrap_or_default();
                    assert!(
                        before[start..].starts_with("const ")
                            && name.ends_with("_SQLITE")
                            && !before[start..].contains(';'),
                        "store/{file} uses `{pattern}` outside a `…_SQLITE` constant: mark the SQLite dialect"
                    );
                }
            }
        }
    }
}
