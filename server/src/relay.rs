//! Live notifications across server instances, over PostgreSQL's `LISTEN`/`NOTIFY`.
//!
//! Behind a load balancer a visitor's event stream is held by one instance while an agent's reply may be stored by
//! another. The writer sends a [`Notice`] with `pg_notify` inside the transaction that stores the event
//! ([`NOTIFY_SQL`]): Postgres delivers it at commit, to every instance, and never for a rolled-back write. Each
//! instance runs [`run`], which listens on [`CHANNEL`] and hands notices to its local [`EventHub`]. A notice
//! carries ids only: the rows stay the truth, and a stream that is woken reads them from its last id.
//!
//! Notifications are not stored by Postgres: a listener that loses its connection misses those sent meanwhile. So
//! after every (re)connection the relay wakes every local stream ([`EventHub::wake_all`]), which re-reads; and
//! the streams' heartbeat re-reads anyway. A lost notification costs a re-read, never an event. While the listener
//! is down, the `listener` readiness check fails, so `/readyz` takes the instance out of the balancer.

use std::time::Duration;

use sqlx::postgres::{PgListener, PgNotification};
use sqlx::PgPool;
use tokio::sync::watch;

use crate::events::EventHub;
use crate::ops::Readiness;

/// The `LISTEN` channel every instance listens on.
pub const CHANNEL: &str = "quincer_events";

/// The readiness check the relay keeps: failing while it is not listening.
pub const READINESS_CHECK: &str = "listener";

/// The statement that sends a notice, bound to [`CHANNEL`] and [`Notice::encode`]; run it in the writing
/// transaction so the notice leaves at commit.
pub const NOTIFY_SQL: &str = "SELECT pg_notify($1, $2)";

/// The first wait before reconnecting, doubled per failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// New events are stored for this conversation.
    Conversation(String),
    /// This widget key was revoked (or deleted with its widget): streams opened with it end.
    Revoked(String),
}

impl Notice {
    /// The notification payload: a one-letter kind, a colon, the id.
    pub fn encode(&self) -> String {
        match self {
            Notice::Conversation(id) => format!("c:{id}"),
            Notice::Revoked(key) => format!("k:{key}"),
        }
    }

    /// Reads a payload [`Notice::encode`] wrote; `None` for anything else (ignored, as another version's notice).
    pub fn decode(payload: &str) -> Option<Notice> {
        match payload.split_once(':')? {
            ("c", id) if !id.is_empty() => Some(Notice::Conversation(id.to_owned())),
            ("k", key) if !key.is_empty() => Some(Notice::Revoked(key.to_owned())),
            _ => None,
        }
    }

    /// Hands the notice to this instance's streams.
    fn deliver(&self, hub: &EventHub) {
        match self {
            Notice::Conversation(id) => hub.notify(id),
            Notice::Revoked(key) => hub.revoke(key),
        }
    }
}

/// Sends `notice` to every instance when `executor`'s transaction commits (at once outside one).
///
/// # Errors
/// Database errors.
pub async fn send<'e>(executor: impl sqlx::PgExecutor<'e>, notice: &Notice) -> Result<(), sqlx::Error> {
    sqlx::query(NOTIFY_SQL).bind(CHANNEL).bind(notice.encode()).execute(executor).await?;
    Ok(())
}

/// Listens on [`CHANNEL`] with a connection of `pool` and delivers notices to `hub` until `closing` turns true;
/// reconnects with backoff after any loss, waking every local stream once listening again, and keeps the
/// [`READINESS_CHECK`] of `readiness` true exactly while listening.
pub async fn run(pool: PgPool, hub: EventHub, readiness: Readiness, mut closing: watch::Receiver<bool>) {
    readiness.require(READINESS_CHECK, "not connected yet");
    let mut backoff = FIRST_BACKOFF;
    while !*closing.borrow() {
        let mut listener = match listen(&pool).await {
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
async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

fn deliver(notification: &PgNotification, hub: &EventHub) {
    match Notice::decode(notification.payload()) {
        Some(notice) => notice.deliver(hub),
        None => tracing::warn!(payload = notification.payload(), "event relay: unknown notice ignored"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_strangers_are_ignored() {
        for notice in [Notice::Conversation("conv_1:x".into()), Notice::Revoked("cw_live_abc".into())] {
            assert_eq!(Notice::decode(&notice.encode()), Some(notice));
        }
        for payload in ["", "c:", "k:", "x:1", "conv_1"] {
            assert_eq!(Notice::decode(payload), None, "{payload:?}");
        }
    }
}
