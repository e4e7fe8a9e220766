//! A fresh PostgreSQL database per test, on the cluster `QUINCER_TEST_DATABASE_URL` names (an admin URL such as
//! `postgres://postgres@127.0.0.1:5433/postgres`; `scripts/throwaway-postgres.sh start DIR` prints one and
//! `./build.sh test` starts such a cluster itself).
//!
//! Without the variable the Postgres half of a test is skipped with a line saying so, so `cargo test` works on a
//! machine without PostgreSQL; `./build.sh test` sets `QUINCER_REQUIRE_POSTGRES=1`, which turns the skip into a
//! failure, so CI cannot pass without running it.

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
