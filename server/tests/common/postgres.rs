//! A fresh PostgreSQL database per test, on the cluster `QUINCER_TEST_DATABASE_URL` names (an admin URL such as
//! `postgres://postgres@127.0.0.1:5433/postgres`; `scripts/throwaway-postgres.sh start DIR` prints one and
//! `./build.sh test` starts such a cluster itself).
//!
//! Without the variable the Postgres half of a test is skipped with a line saying so, so `cargo test` works on a
//! machine without PostgreSQL; `./build.sh test` sets `QUINCER_REQUIRE_POSTGRES=1`, which turns the skip into a
//! failure, so CI cannot pass without running it.

use std::process::Command;

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};

/// The admin URL of the test cluster, or `None` (after saying so) when there is none and none is required.
///
/// # Panics
/// When `QUINCER_REQUIRE_POSTGRES` is set and the URL is not.
pub fn admin_url(test: &str) -> Option<String> {
    match std::env::var("QUINCER_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("QUINCER_REQUIRE_POSTGRES").is_some() => panic!(
            "{test}: QUINCER_REQUIRE_POSTGRES is set but QUINCER_TEST_DATABASE_URL is not: start a cluster with \
             scripts/throwaway-postgres.sh start DIR and export the URL it prints"
        ),
        _ => {
            eprintln!("{test}: Postgres half skipped (set QUINCER_TEST_DATABASE_URL to run it)");
            None
        }
    }
}

/// Creates an empty database with a random name on the cluster at `admin` and returns its URL.
pub async fn fresh_database(admin: &str) -> String {
    let name = format!("quincer_test_{:016x}", rand::random::<u64>());
    let mut conn = PgConnection::connect(admin).await.expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create a test database");
    conn.close().await.ok();
    let (base, _) = admin.rsplit_once('/').expect("an admin URL ends with /DATABASE");
    format!("{base}/{name}")
}

/// A pool on a fresh database with the Postgres migrations applied.
pub async fn migrated_pool(admin: &str) -> PgPool {
    let url = fresh_database(admin).await;
    let pool = PgPoolOptions::new().max_connections(4).connect(&url).await.expect("connect to the test database");
    sqlx::migrate!("./migrations/postgres").run(&pool).await.expect("the Postgres migrations apply");
    pool
}

/// A cluster of this test's own, so restarting it disturbs no other test; stopped and removed on drop.
pub struct OwnCluster {
    dir: tempfile::TempDir,
    /// Its admin URL.
    pub url: String,
}

impl OwnCluster {
    /// Starts a cluster in a temporary directory.
    pub fn start() -> OwnCluster {
        Self::start_with("off")
    }

    /// Starts a cluster whose acknowledged commits survive a crash (`synchronous_commit=on`; fsync stays off: a
    /// crashed server process, not a crashed machine).
    pub fn start_durable() -> OwnCluster {
        Self::start_with("on")
    }

    fn start_with(synchronous_commit: &str) -> OwnCluster {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(super::repo_path("scripts/throwaway-postgres.sh"))
            .env("THROWAWAY_PG_SYNCHRONOUS_COMMIT", synchronous_commit)
            .arg("start")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        OwnCluster { dir, url }
    }

    /// Runs `scripts/throwaway-postgres.sh COMMAND` on it (`restart`: `pg_ctl restart -m immediate`).
    pub fn script(&self, command: &str) {
        let out =
            Command::new(super::repo_path("scripts/throwaway-postgres.sh")).arg(command).arg(self.dir.path()).output();
        let out = out.unwrap();
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ =
            Command::new(super::repo_path("scripts/throwaway-postgres.sh")).arg("stop").arg(self.dir.path()).output();
    }
}
