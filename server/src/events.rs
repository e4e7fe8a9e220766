//! The per-conversation event log and its live notifications.
//!
//! Events are rows first ([`crate::store::events::append`] writes them inside the caller's transaction, so a state
//! change and its event are stored together or not at all) and notifications second: [`EventHub`] only tells listening streams "look
//! again", and they read the rows. A stream that misses a notification, or a server that restarts, loses nothing.
//!
//! Each conversation with open streams has a channel of its own, so an event wakes only its conversation's streams:
//! with one channel for all, every event woke every idle stream of the server (10,000 wake-ups per event, measured
//! by `./build.sh bench`).
//!
//! The hub also announces revoked widget keys, so the streams opened with one end at once (see
//! [`EventHub::revoke`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::store::Db;
use tokio::sync::{broadcast, watch};

/// Notifications a conversation's channel holds: a stream that falls further behind re-reads the database anyway.
const CONVERSATION_BUFFER: usize = 4;

/// How long a heartbeat's answer to "is this widget key still active?" is reused by the other streams of the key.
pub const KEY_CHECK_TTL: Duration = Duration::from_secs(15);

/// Changed conversations an organisation's inbox channel holds before a slow stream is told to reload.
const INBOX_BUFFER: usize = 256;

/// Conversation id → the channel of its open streams.
type Channels = Arc<Mutex<HashMap<String, broadcast::Sender<()>>>>;

/// Organisation id → the channel of its agents' inbox streams: changed conversation ids, or `None` for "some may
/// have been missed, reload".
type InboxChannels = Arc<Mutex<HashMap<String, broadcast::Sender<Option<String>>>>>;

/// Wakes the event streams of a conversation, and ends them all at shutdown. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EventHub {
    /// One channel per conversation that has open streams; removed with its last stream.
    channels: Channels,
    /// Becomes `true` when the server shuts down: open streams end, so graceful shutdown can finish.
    closing: watch::Sender<bool>,
    /// Widget keys just revoked (or deleted with their widget): streams opened with them end.
    revoked: broadcast::Sender<String>,
    /// Widget key → when heartbeats last read whether it is active, and the answer: one database read per key
    /// and heartbeat period, not one per open stream.
    key_checks: Arc<Mutex<HashMap<String, (Instant, bool)>>>,
    /// One channel per organisation with open inbox streams; removed with its last stream.
    inboxes: InboxChannels,
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub {
            channels: Default::default(),
            closing: watch::channel(false).0,
            // Lagging receivers check their key in the database instead.
            revoked: broadcast::channel(64).0,
            key_checks: Default::default(),
            inboxes: Default::default(),
        }
    }
}

/// A poisoned lock only means another stream panicked; the map itself is still consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A stream's subscription to its conversation's notifications; dropping the last one removes the channel.
#[derive(Debug)]
pub struct Subscription {
    rx: broadcast::Receiver<()>,
    conversation_id: String,
    channels: Channels,
}

impl Subscription {
    /// Resolves at the next notification (`Lagged` means some were missed: re-read).
    ///
    /// # Errors
    /// As [`broadcast::Receiver::recv`].
    pub async fn recv(&mut self) -> Result<(), broadcast::error::RecvError> {
        self.rx.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = lock(&self.channels);
        // This subscription's receiver still counts: it was the last one if the count is 1.
        if channels.get(&self.conversation_id).is_some_and(|tx| tx.receiver_count() <= 1) {
            channels.remove(&self.conversation_id);
        }
    }
}

/// An inbox stream's subscription to its organisation's changed conversations; dropping the last one removes the
/// channel.
#[derive(Debug)]
pub struct InboxSubscription {
    rx: broadcast::Receiver<Option<String>>,
    org_id: String,
    inboxes: InboxChannels,
}

impl InboxSubscription {
    /// The next changed conversation id; `Ok(None)` or `Lagged` mean some may have been missed (reload the list).
    ///
    /// # Errors
    /// As [`broadcast::Receiver::recv`].
    pub async fn recv(&mut self) -> Result<Option<String>, broadcast::error::RecvError> {
        self.rx.recv().await
    }

    /// A changed conversation id already waiting, without waiting (for batching a burst).
    ///
    /// # Errors
    /// As [`broadcast::Receiver::try_recv`].
    pub fn try_recv(&mut self) -> Result<Option<String>, broadcast::error::TryRecvError> {
        self.rx.try_recv()
    }
}

impl Drop for InboxSubscription {
    fn drop(&mut self) {
        let mut inboxes = lock(&self.inboxes);
        if inboxes.get(&self.org_id).is_some_and(|tx| tx.receiver_count() <= 1) {
            inboxes.remove(&self.org_id);
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

    /// Tells the streams of `conversation_id` that new events are stored (nothing to do if it has none).
    pub fn notify(&self, conversation_id: &str) {
        if let Some(tx) = lock(&self.channels).get(conversation_id) {
            let _ = tx.send(());
        }
    }

    /// Wakes every open stream of this server, which re-reads its conversation from its last id: for when
    /// notifications may have been missed (the cross-instance relay reconnected), so a lost one costs a re-read,
    /// never an event.
    pub fn wake_all(&self) {
        for tx in lock(&self.channels).values() {
            let _ = tx.send(());
        }
        for tx in lock(&self.inboxes).values() {
            let _ = tx.send(None);
        }
    }

    /// Tells the inbox streams of organisation `org_id` that conversation `conversation_id` changed (call after
    /// the commit; other instances learn it from [`crate::store::notices::Notice::Inbox`]).
    pub fn notify_inbox(&self, org_id: &str, conversation_id: &str) {
        if let Some(tx) = lock(&self.inboxes).get(org_id) {
            let _ = tx.send(Some(conversation_id.to_owned()));
        }
    }

    /// Subscribes to the changed conversations of organisation `org_id`.
    pub fn subscribe_inbox(&self, org_id: &str) -> InboxSubscription {
        let rx = lock(&self.inboxes)
            .entry(org_id.to_owned())
            .or_insert_with(|| broadcast::channel(INBOX_BUFFER).0)
            .subscribe();
        InboxSubscription { rx, org_id: org_id.to_owned(), inboxes: self.inboxes.clone() }
    }

    /// Organisations with open inbox streams (for tests: channels must not outlive their streams).
    pub fn live_inboxes(&self) -> usize {
        lock(&self.inboxes).len()
    }

    /// Subscribes to the notifications of `conversation_id`.
    pub fn subscribe(&self, conversation_id: &str) -> Subscription {
        let rx = lock(&self.channels)
            .entry(conversation_id.to_owned())
            .or_insert_with(|| broadcast::channel(CONVERSATION_BUFFER).0)
            .subscribe();
        Subscription { rx, conversation_id: conversation_id.to_owned(), channels: self.channels.clone() }
    }

    /// Conversations with open streams (for tests: channels must not outlive their streams).
    pub fn live_conversations(&self) -> usize {
        lock(&self.channels).len()
    }

    /// Ends the open streams of widget key `key` (call after the revocation is committed).
    pub fn revoke(&self, key: &str) {
        lock(&self.key_checks).insert(key.to_owned(), (Instant::now(), false));
        let _ = self.revoked.send(key.to_owned());
    }

    /// Whether widget key `key` still works, read from the database at most once per [`KEY_CHECK_TTL`] for all
    /// the streams of the key; a database error counts as yes (the next check reads again).
    pub async fn key_active(&self, db: &Db, key: &str) -> bool {
        let cached = lock(&self.key_checks).get(key).copied();
        match cached {
            Some((at, active)) if at.elapsed() < KEY_CHECK_TTL => active,
            _ => match crate::provision::widget_key_active(db, key).await {
                Ok(active) => {
                    lock(&self.key_checks).insert(key.to_owned(), (Instant::now(), active));
                    active
                }
                Err(_) => true,
            },
        }
    }

    /// Subscribes to revoked keys (of every widget; streams filter).
    pub fn revocations(&self) -> broadcast::Receiver<String> {
        self.revoked.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_notification_wakes_only_its_conversation_and_channels_go_with_their_streams() {
        let hub = EventHub::default();
        let mut a = hub.subscribe("a");
        let a2 = hub.subscribe("a");
        let mut b = hub.subscribe("b");
        hub.notify("a");
        assert!(a.recv().await.is_ok());
        assert!(b.rx.try_recv().is_err(), "b was woken by a's event");
        assert_eq!(hub.live_conversations(), 2);
        drop(a);
        assert_eq!(hub.live_conversations(), 2, "a still has a stream");
        drop((a2, b));
        assert_eq!(hub.live_conversations(), 0);
        hub.notify("a"); // no streams, no channel: nothing to do
        assert_eq!(hub.live_conversations(), 0);
    }

    #[tokio::test]
    async fn an_inbox_hears_only_its_organisation_and_a_reconnect_asks_for_a_reload() {
        let hub = EventHub::default();
        let mut mine = hub.subscribe_inbox("org_a");
        let mut theirs = hub.subscribe_inbox("org_b");
        hub.notify_inbox("org_a", "conv_1");
        assert_eq!(mine.recv().await.unwrap(), Some("conv_1".to_owned()));
        assert!(theirs.try_recv().is_err(), "org_b heard org_a's conversation");
        hub.wake_all();
        assert_eq!(mine.recv().await.unwrap(), None);
        assert_eq!(theirs.recv().await.unwrap(), None);
        drop((mine, theirs));
        assert_eq!(hub.live_inboxes(), 0);
    }
}
