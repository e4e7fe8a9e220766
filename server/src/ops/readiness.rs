//! Readiness: whether this instance should get traffic (`GET /readyz`), as opposed to merely running
//! (`GET /healthz`).
//!
//! Two checks are read at every probe: the database answers a real query, and every migration this binary knows is
//! applied (the migrator's list against the `_sqlx_migrations` table, so an instance started on a database another
//! version left behind says so). Other parts of the server add their own named checks to [`Readiness`] (a
//! connection to keep alive, say: the Postgres listener), and the server marks itself not ready when it begins to
//! shut down, so a balancer stops sending it new visitors.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::store::Db;
use sqlx::migrate::Migrator;

/// The name of the check that fails once the server is shutting down.
pub const SHUTDOWN: &str = "shutdown";
/// The name of the database check.
pub const DATABASE: &str = "database";
/// The name of the migrations check.
pub const MIGRATIONS: &str = "migrations";

/// A probe never waits longer than this for the database: a balancer's probe has its own timeout, and a pool with
/// no free connection is itself a reason not to send more traffic.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// Named checks other parts of the server set; cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    /// Check name → `None` when ready, else why not.
    checks: Arc<Mutex<BTreeMap<String, Option<String>>>>,
}

impl Readiness {
    /// Adds check `name`, not ready until [`Readiness::set_ready`], with `reason` said meanwhile.
    pub fn require(&self, name: &str, reason: &str) {
        self.set(name, Some(reason.to_owned()));
    }

    /// Marks check `name` ready (adding it if new).
    pub fn set_ready(&self, name: &str) {
        self.set(name, None);
    }

    /// Marks check `name` not ready, saying why (adding it if new).
    pub fn set_not_ready(&self, name: &str, reason: &str) {
        self.set(name, Some(reason.to_owned()));
    }

    /// Removes check `name` (a part that no longer runs).
    pub fn remove(&self, name: &str) {
        self.lock().remove(name);
    }

    /// The checks and their state: `None` when ready, else why not.
    pub fn checks(&self) -> BTreeMap<String, Option<String>> {
        self.lock().clone()
    }

    fn set(&self, name: &str, state: Option<String>) {
        self.lock().insert(name.to_owned(), state);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Option<String>>> {
        // A poisoned lock only means a setter panicked; the map is still consistent.
        self.checks.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The answer of a probe: every check by name, `None` when it passes, else why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report(pub BTreeMap<String, Option<String>>);

impl Report {
    /// Whether every check passes.
    pub fn ready(&self) -> bool {
        self.0.values().all(Option::is_none)
    }

    /// The failing checks, as `name (reason)`, comma-separated.
    pub fn failing(&self) -> String {
        let failing: Vec<String> =
            self.0.iter().filter_map(|(name, why)| why.as_ref().map(|why| format!("{name} ({why})"))).collect();
        failing.join(", ")
    }
}

/// Runs the database and migrations checks on `db` against `migrator`, and adds the checks of `readiness`.
pub async fn probe(db: &Db, migrator: &Migrator, readiness: &Readiness) -> Report {
    let mut checks = readiness.checks();
    let applied = tokio::time::timeout(DATABASE_TIMEOUT, applied_migrations(db)).await;
    let (database, migrations) = match applied {
        Err(_) => (Some(format!("no answer within {} s", DATABASE_TIMEOUT.as_secs())), Some("unknown".into())),
        Ok(Err(e)) => (Some(e.to_string()), Some("unknown".into())),
        Ok(Ok(applied)) => (None, pending(migrator, &applied)),
    };
    checks.insert(DATABASE.into(), database);
    checks.insert(MIGRATIONS.into(), migrations);
    Report(checks)
}

/// Version → checksum of the migrations applied successfully: a real query, so it also proves the database
/// answers.
async fn applied_migrations(db: &Db) -> Result<BTreeMap<i64, Vec<u8>>, sqlx::Error> {
    let rows: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success = 1").fetch_all(db).await?;
    Ok(rows.into_iter().collect())
}

/// Why the migrations are not done (`None` when they are): the versions not applied, or applied from other files.
fn pending(migrator: &Migrator, applied: &BTreeMap<i64, Vec<u8>>) -> Option<String> {
    let mut missing = Vec::new();
    let mut changed = Vec::new();
    for m in migrator.iter().filter(|m| !m.migration_type.is_down_migration()) {
        match applied.get(&m.version) {
            None => missing.push(m.version.to_string()),
            Some(sum) if sum.as_slice() != &*m.checksum => changed.push(m.version.to_string()),
            Some(_) => {}
        }
    }
    let mut why = Vec::new();
    if !missing.is_empty() {
        why.push(format!("not applied: {}", missing.join(", ")));
    }
    if !changed.is_empty() {
        why.push(format!("applied from different files: {}", changed.join(", ")));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_start_unready_when_required_and_the_report_names_the_failing_ones() {
        let readiness = Readiness::default();
        readiness.require("listener", "not connected yet");
        readiness.set_ready("cache");
        let report = Report(readiness.checks());
        assert!(!report.ready());
        assert_eq!(report.failing(), "listener (not connected yet)");
        readiness.set_ready("listener");
        assert!(Report(readiness.checks()).ready());
        readiness.set_not_ready("cache", "gone");
        readiness.remove("listener");
        assert_eq!(Report(readiness.checks()).failing(), "cache (gone)");
    }

    #[test]
    fn a_missing_or_changed_migration_is_named() {
        let migrator = &crate::db::MIGRATOR;
        let mut applied: BTreeMap<i64, Vec<u8>> = migrator.iter().map(|m| (m.version, m.checksum.to_vec())).collect();
        assert_eq!(pending(migrator, &applied), None);
        let first = *applied.keys().next().unwrap();
        let last = *applied.keys().last().unwrap();
        applied.remove(&last);
        applied.insert(first, vec![0]);
        let why = pending(migrator, &applied).unwrap();
        assert_eq!(why, format!("not applied: {last}; applied from different files: {first}"));
    }
}
