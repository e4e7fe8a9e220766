//! The per-conversation event log and its live notifications.
//!
//! Events are rows first ([`append`] writes them inside the caller's transaction, so a state change and its event
//! are stored together or not at all) and notifications second: [`EventHub`] only tells listening streams "look
//! again", and they read the rows. A stream that misses a notification, or a server that restarts, loses nothing.
//!
//! The hub also announces revoked widget keys, so the streams opened with one end at once (see
//! [`EventHub::revoke`]).

use serde::Serialize;
use sqlx::{Sqlite, SqlitePool, Transaction};
use tokio::sync::{broadcast, watch};

/// Wakes the event streams of a conversation, and ends them all at shutdown. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EventHub {
    tx: broadcast::Sender<String>,
    /// Becomes `true` when the server shuts down: open streams end, so graceful shutdown can finish.
    closing: watch::Sender<bool>,
    /// Widget keys just revoked (or deleted with their widget): streams opened with them end.
    revoked: broadcast::Sender<String>,
}

impl Default for EventHub {
    fn default() -> Self {
        // Lagging receivers just re-read the database, so a small buffer is enough.
        EventHub {
            tx: broadcast::channel(256).0,
            closing: watch::channel(false).0,
            // Lagging receivers check their key in the database instead.
            revoked: broadcast::channel(64).0,
        }
    }
}

impl EventHub {
    /// Ends every open stream (clients reconnect, with `Last-Event-ID`, to the next server).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when [`EventHub::close`] is called.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Tells the streams of `conversation_id` that new events are stored.
    pub fn notify(&self, conversation_id: &str) {
        let _ = self.tx.send(conversation_id.to_owned());
    }

    /// Subscribes to notifications (of every conversation; streams filter).
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.tx.subscribe()
    }

    /// Ends the open streams of widget key `key` (call after the revocation is committed).
    pub fn revoke(&self, key: &str) {
        let _ = self.revoked.send(key.to_owned());
    }

    /// Subscribes to revoked keys (of every widget; streams filter).
    pub fn revocations(&self) -> broadcast::Receiver<String> {
        self.revoked.subscribe()
    }
}

/// One stored event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    /// The SSE id.
    pub seq: i64,
    /// The SSE event name.
    pub kind: String,
    /// The JSON data.
    pub data: String,
}

/// Stores an event in `tx`; call [`EventHub::notify`] after the commit.
///
/// # Errors
/// Database errors.
pub async fn append(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: &str,
    kind: &str,
    data: &impl Serialize,
) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(data).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO conversation_events (conversation_id, kind, data) VALUES (?, ?, ?) RETURNING seq",
    )
    .bind(conversation_id)
    .bind(kind)
    .bind(json)
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// Events of `conversation_id` after `after`, oldest first.
///
/// # Errors
/// Database errors.
pub async fn after(db: &SqlitePool, conversation_id: &str, after: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    sqlx::query_as("SELECT seq, kind, data FROM conversation_events WHERE conversation_id = ? AND seq > ? ORDER BY seq")
        .bind(conversation_id)
        .bind(after)
        .fetch_all(db)
        .await
}

/// The id of the newest event of `conversation_id`, 0 if none.
///
/// # Errors
/// Database errors.
pub async fn latest(db: &SqlitePool, conversation_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM conversation_events WHERE conversation_id = ?")
        .bind(conversation_id)
        .fetch_one(db)
        .await
}
