//! The cross-instance relay on a real PostgreSQL: notices sent by one connection wake another instance's streams,
//! key revocations travel the same way, and after a database restart the relay listens again and wakes every
//! stream so nothing sent meanwhile is lost.

mod common;

use std::process::Command;
use std::time::Duration;

use common::postgres::{admin_url, fresh_database};
use common::repo_path;
use quincer_server::events::EventHub;
use quincer_server::ops::Readiness;
use quincer_server::relay::{self, READINESS_CHECK};
use quincer_server::store::notices::{self, Notice};
use quincer_server::store::Db;
use tokio::sync::watch;
use tokio::time::timeout;

/// A relay listening on the database at `url` with its own hub and readiness; stopped when `closing` is dropped.
struct Relay {
    hub: EventHub,
    readiness: Readiness,
    _closing: watch::Sender<bool>,
}

fn start(url: &str) -> Relay {
    let (hub, readiness, (closing, watching)) = (EventHub::default(), Readiness::default(), watch::channel(false));
    tokio::spawn(relay::run(url.to_owned(), hub.clone(), readiness.clone(), watching));
    Relay { hub, readiness, _closing: closing }
}

impl Relay {
    async fn listening(&self) {
        for _ in 0..200 {
            if self.readiness.checks().get(READINESS_CHECK) == Some(&None) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the relay is not listening: {:?}", self.readiness.checks());
    }
}

/// A writer's pool, as another instance would hold.
async fn pool(url: &str) -> Db {
    quincer_server::db::connect_postgres(url, 4).await.unwrap()
}

#[tokio::test]
async fn notices_from_another_connection_wake_streams_and_end_revoked_ones() {
    let Some(admin) = admin_url("notices_from_another_connection_wake_streams_and_end_revoked_ones") else { return };
    let url = fresh_database(&admin).await;
    let node = start(&url);
    node.listening().await;
    let writer = pool(&url).await;

    let mut stream = node.hub.subscribe("conv_a");
    let mut other = node.hub.subscribe("conv_b");
    let mut tx = writer.begin().await.unwrap();
    notices::send(&mut *tx, &Notice::Conversation("conv_a".into())).await.unwrap();
    tx.commit().await.unwrap();
    timeout(Duration::from_secs(1), stream.recv()).await.expect("woken within 1 s").unwrap();
    assert!(timeout(Duration::from_millis(50), other.recv()).await.is_err(), "only its conversation's streams");

    let mut revocations = node.hub.revocations();
    notices::send(&writer, &Notice::Revoked("cw_live_test".into())).await.unwrap();
    let key = timeout(Duration::from_secs(1), revocations.recv()).await.expect("revocation within 1 s").unwrap();
    assert_eq!(key, "cw_live_test");
}

/// A cluster of this test's own, so restarting it disturbs no other test; stopped and removed on drop.
struct OwnCluster {
    dir: tempfile::TempDir,
    url: String,
}

impl OwnCluster {
    fn start() -> OwnCluster {
        let dir = tempfile::tempdir().unwrap();
        let out =
            Command::new(repo_path("scripts/throwaway-postgres.sh")).arg("start").arg(dir.path()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        OwnCluster { dir, url }
    }

    fn script(&self, command: &str) {
        let out = Command::new(repo_path("scripts/throwaway-postgres.sh")).arg(command).arg(self.dir.path()).output();
        let out = out.unwrap();
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = Command::new(repo_path("scripts/throwaway-postgres.sh")).arg("stop").arg(self.dir.path()).output();
    }
}

#[tokio::test]
async fn after_a_database_restart_the_relay_listens_again_and_every_stream_rereads() {
    // Runs wherever the shared test cluster does (the same binaries start this one).
    if admin_url("after_a_database_restart_the_relay_listens_again_and_every_stream_rereads").is_none() {
        return;
    }
    let cluster = OwnCluster::start();
    let node = start(&cluster.url);
    node.listening().await;
    let mut stream = node.hub.subscribe("conv_a");

    cluster.script("restart"); // `pg_ctl restart -m immediate`: a crash, as far as clients can tell
                               // Nothing was sent, yet the stream is woken: notices sent while the relay was not listening are lost, so it
                               // wakes every stream to re-read once it listens again.
    timeout(Duration::from_secs(15), stream.recv()).await.expect("woken after the reconnection").unwrap();
    node.listening().await;

    notices::send(&pool(&cluster.url).await, &Notice::Conversation("conv_a".into())).await.unwrap();
    timeout(Duration::from_secs(1), stream.recv()).await.expect("notices flow again").unwrap();
}
