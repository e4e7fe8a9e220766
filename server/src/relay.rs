//! Live notifications across server instances, over PostgreSQL's `LISTEN`/`NOTIFY`.
//!
//! Behind a load balancer a visitor's event stream is held by one instance while an agent's reply may be stored by
//! another. The writer sends a [`Notice`] inside the transaction that stores the event ([`crate::store::notices`]):
//! Postgres delivers it at commit, to every instance, and never for a rolled-back write. Each instance runs [`run`],
//! which listens on [`CHANNEL`] and hands notices to its local [`EventHub`].
//!
//! Notifications are not stored by Postgres: a listener that loses its connection misses those sent meanwhile. So
//! after every (re)connection the relay wakes every local stream ([`EventHub::wake_all`]), which re-reads; and
//! the streams' heartbeat re-reads anyway. A lost notification costs a re-read, never an event. While the listener
//! is down, the `listener` readiness check fails, so `/readyz` takes the instance out of the balancer.

use std::time::Duration;

use sqlx::postgres::{PgListener, PgNotification};
use tokio::sync::watch;

use crate::events::EventHub;
use crate::ops::Readiness;
pub use crate::store::notices::{Notice, CHANNEL};

/// The readiness check the relay keeps: failing while it is not listening.
pub const READINESS_CHECK: &str = "listener";

/// The first wait before reconnecting, doubled per failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Hands a notice to this instance's streams.
fn deliver_to(notice: &Notice, hub: &EventHub) {
    match notice {
        Notice::Conversation(id) => hub.notify(id),
        Notice::Revoked(key) => hub.revoke(key),
        Notice::Inbox { org_id, conversation_id } => hub.notify_inbox(org_id, conversation_id),
    }
}

/// Listens on [`CHANNEL`] of the PostgreSQL database at `url` and delivers notices to `hub` until `closing` turns true;
/// reconnects with backoff after any loss, waking every local stream once listening again, and keeps the
/// [`READINESS_CHECK`] of `readiness` true exactly while listening.
pub async fn run(url: String, hub: EventHub, readiness: Readiness, mut closing: watch::Receiver<bool>) {
    readiness.require(READINESS_CHECK, "not connected yet");
    let mut backoff = FIRST_BACKOFF;
    while !*closing.borrow() {
        let mut listener = match listen(&url).await {
            Ok(listener) => listener,
            Err(error) => {
                readiness.set_not_ready(READINESS_CHECK, &format!("cannot listen: {error}"));
                tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "event relay: cannot listen");
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    changed = closing.changed() => if changed.is_err() { return },
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        backoff = FIRST_BACKOFF;
        readiness.set_ready(READINESS_CHECK);
        // Whatever was sent while this instance was not listening is lost: every stream re-reads.
        hub.wake_all();
        tracing::info!("event relay: listening");
        let lost = loop {
            tokio::select! {
                received = listener.try_recv() => match received {
                    Ok(Some(notification)) => deliver(&notification, &hub),
                    Ok(None) => break "connection lost".to_owned(),
                    Err(error) => break error.to_string(),
                },
                // A dropped sender means the server is gone too.
                changed = closing.changed() => if changed.is_err() || *closing.borrow() { return },
            }
        };
        readiness.set_not_ready(READINESS_CHECK, &lost);
        tracing::warn!(reason = %lost, "event relay: stopped listening, reconnecting");
    }
}

/// A listener on [`CHANNEL`]; it reports a lost connection (`Ok(None)`) instead of reconnecting by itself, so
/// [`run`] knows when notices may have been missed.
async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

fn deliver(notification: &PgNotification, hub: &EventHub) {
    match Notice::decode(notification.payload()) {
        Some(notice) => deliver_to(&notice, hub),
        None => tracing::warn!(payload = notification.payload(), "event relay: unknown notice ignored"),
    }
}
