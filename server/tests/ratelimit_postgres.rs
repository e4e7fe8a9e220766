//! Rate limits shared by instances through PostgreSQL: the 101st request of a minute is refused whichever
//! instance it reaches, concurrent requests cannot overshoot, and windows reset and are cleaned up.

mod common;

use common::postgres::{admin_url, fresh_database};
use futures_util::future::join_all;
use quincer_server::ratelimit::SharedLimiter;

/// A whole minute.
const T: u64 = 1_714_435_200;

#[tokio::test]
async fn two_instances_share_one_window() {
    let Some(admin) = admin_url("two_instances_share_one_window") else { return };
    let url = fresh_database(&admin).await;
    let db = quincer_server::db::connect_postgres(&url, 4).await.unwrap();
    // A second pool of its own, as a second instance would have.
    let other = quincer_server::db::connect_postgres(&url, 4).await.unwrap();
    let (a, b) = (SharedLimiter::new(db.clone()), SharedLimiter::new(other));

    for i in 0..100u32 {
        let node = if i % 2 == 0 { &a } else { &b };
        let d = node.hit_at("dev:key1", 100, T + 5).await.unwrap();
        assert!(d.allowed, "request {} of 100", i + 1);
        assert_eq!((d.remaining, d.reset), (99 - i, T + 60));
    }
    let refused = b.hit_at("dev:key1", 100, T + 20).await.unwrap();
    assert!(!refused.allowed, "the 101st in the minute is refused on the other instance too");
    assert_eq!((refused.remaining, refused.retry_after), (0, 40));
    assert!(!a.hit_at("dev:key1", 100, T + 21).await.unwrap().allowed);
    assert!(a.hit_at("dev:key2", 100, T + 21).await.unwrap().allowed, "clients are counted apart");

    let next = b.hit_at("dev:key1", 100, T + 60).await.unwrap();
    assert!(next.allowed && next.remaining == 99, "a new window starts afresh: {next:?}");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM rate_limit_windows WHERE window_start < $1")
        .bind(i64::try_from(T + 60).unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(left, 0, "ended windows are deleted");
}

#[tokio::test]
async fn concurrent_requests_cannot_overshoot() {
    let Some(admin) = admin_url("concurrent_requests_cannot_overshoot") else { return };
    let db = quincer_server::db::connect_postgres(&fresh_database(&admin).await, 8).await.unwrap();
    let limiter = SharedLimiter::new(db);
    let hits = (0..160).map(|_| {
        let limiter = limiter.clone();
        async move { limiter.hit_at("public:203.0.113.9", 100, T + 1).await.unwrap().allowed }
    });
    let allowed = join_all(hits).await.into_iter().filter(|ok| *ok).count();
    assert_eq!(allowed, 100);
}
