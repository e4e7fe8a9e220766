//! The per-conversation event log: what the widget's live stream sends and replays after `Last-Event-ID`.
//!
//! Ids number each conversation's events (1, 2, 3…) from `conversations.event_seq`, bumped in the transaction that
//! stores the event: the row lock makes a conversation's writers commit in id order, so a stream that has sent `n`
//! can never miss an earlier event. Waking the streams is [`crate::events::EventHub`]'s job.

use serde::Serialize;

use super::notices::{self, Notice};
use super::{Db, Tx};

/// Takes the conversation's next event number (and its row lock, until the transaction ends).
const NEXT_SEQ: &str = "UPDATE conversations SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq";
/// Stores one event under its number.
const INSERT: &str = "INSERT INTO conversation_events (conversation_id, seq, kind, data) VALUES ($1, $2, $3, $4)";
/// A conversation's events after a number, oldest first.
const AFTER: &str =
    "SELECT seq, kind, data FROM conversation_events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq";
/// A conversation's newest event number.
const LATEST: &str = "SELECT event_seq FROM conversations WHERE id = $1";

/// One stored event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    /// The SSE id: the event's number within its conversation (1, 2, 3…).
    pub seq: i64,
    /// The SSE event name.
    pub kind: String,
    /// The JSON data.
    pub data: String,
}

/// Stores an event in `tx` under the conversation's next number, and returns that number; call
/// [`crate::events::EventHub::notify`] after the commit (on PostgreSQL the other instances are told at commit).
///
/// The number comes from the conversation's own counter, bumped in the same transaction: the row lock it takes
/// makes the conversation's writers commit in the order of their numbers, so a reader that has seen event `n`
/// has seen every event before it.
///
/// # Errors
/// Database errors (`RowNotFound` when the conversation does not exist).
pub async fn append(
    tx: &mut Tx<'_>,
    conversation_id: &str,
    kind: &str,
    data: &impl Serialize,
) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(data).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let seq: i64 = sqlx::query_scalar(NEXT_SEQ).bind(conversation_id).fetch_one(&mut **tx).await?;
    sqlx::query(INSERT).bind(conversation_id).bind(seq).bind(kind).bind(json).execute(&mut **tx).await?;
    // Other instances' streams of this conversation learn of it at commit.
    notices::send(&mut **tx, &Notice::Conversation(conversation_id.to_owned())).await?;
    Ok(seq)
}

/// Events of `conversation_id` after `after`, oldest first.
///
/// # Errors
/// Database errors.
pub async fn after(db: &Db, conversation_id: &str, after: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    sqlx::query_as(AFTER).bind(conversation_id).bind(after).fetch_all(db).await
}

/// The number of the newest event of `conversation_id`, 0 if it has none (or does not exist).
///
/// # Errors
/// Database errors.
pub async fn latest(db: &Db, conversation_id: &str) -> Result<i64, sqlx::Error> {
    let seq: Option<i64> = sqlx::query_scalar(LATEST).bind(conversation_id).fetch_optional(db).await?;
    Ok(seq.unwrap_or(0))
}

/// Where a stream of `conversation_id` starts: after the client's `Last-Event-ID` when it sent one, else after
/// the newest event (only new ones are sent).
///
/// An id above the conversation's newest cannot come from this database (the client last talked to one that was
/// reset, or restored from an older backup): the stream then replays the conversation from its first event, so
/// the client sees what this database holds rather than nothing until its old number is passed.
///
/// # Errors
/// Database errors.
pub async fn resume_after(db: &Db, conversation_id: &str, last_event_id: Option<i64>) -> Result<i64, sqlx::Error> {
    let newest = latest(db, conversation_id).await?;
    Ok(match last_event_id {
        None => newest,
        Some(id) if id > newest => 0,
        Some(id) => id,
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    /// The migration that numbered events per conversation.
    const PER_CONVERSATION: i64 = 16;

    /// A workspace with conversations `a` and `b`.
    const FIXTURE: [&str; 5] = [
        "INSERT INTO organizations (id, name) VALUES ('org', 'Org')",
        "INSERT INTO widgets (id, org_id, brand) VALUES ('wgt', 'org', 'Brand')",
        "INSERT INTO visitors (id, widget_id, token_hash) VALUES ('vis', 'wgt', 'h')",
        "INSERT INTO conversations (id, widget_id, visitor_id) VALUES ('a', 'wgt', 'vis')",
        "INSERT INTO conversations (id, widget_id, visitor_id) VALUES ('b', 'wgt', 'vis')",
    ];

    async fn fixture(db: &Db) {
        for sql in FIXTURE {
            sqlx::query(sql).execute(db).await.expect("fixture row");
        }
    }

    async fn append_one(db: &Db, conversation: &str, n: usize) -> i64 {
        let mut tx = db.begin().await.expect("begin");
        let seq = append(&mut tx, conversation, "message", &serde_json::json!({ "n": n })).await.expect("append");
        tx.commit().await.expect("commit");
        seq
    }

    fn seqs(events: &[StoredEvent]) -> Vec<i64> {
        events.iter().map(|e| e.seq).collect()
    }

    #[tokio::test]
    async fn each_conversation_numbers_its_events_from_one_without_gaps() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(dir.path()).await.expect("open db");
        fixture(&db).await;
        let mut got = (Vec::new(), Vec::new());
        for n in 0..5 {
            got.0.push(append_one(&db, "a", n).await);
            if n % 2 == 0 {
                got.1.push(append_one(&db, "b", n).await);
            }
        }
        assert_eq!(got, (vec![1, 2, 3, 4, 5], vec![1, 2, 3]));
        assert_eq!(seqs(&after(&db, "a", 0).await.unwrap()), [1, 2, 3, 4, 5]);
        assert_eq!(seqs(&after(&db, "a", 3).await.unwrap()), [4, 5]);
        assert_eq!(seqs(&after(&db, "b", 0).await.unwrap()), [1, 2, 3]);
        assert_eq!((latest(&db, "a").await.unwrap(), latest(&db, "b").await.unwrap()), (5, 3));
        assert_eq!(latest(&db, "nope").await.unwrap(), 0);
        let mut tx = db.begin().await.unwrap();
        assert!(append(&mut tx, "nope", "message", &1).await.is_err(), "no conversation, no event");
    }

    #[tokio::test]
    async fn concurrent_writers_get_consecutive_ids_in_commit_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(dir.path()).await.expect("open db");
        fixture(&db).await;
        let writers: Vec<_> = (0..40)
            .map(|n| {
                let db = db.clone();
                tokio::spawn(async move { append_one(&db, if n % 4 == 0 { "b" } else { "a" }, n).await })
            })
            .collect();
        for w in writers {
            w.await.expect("writer");
        }
        assert_eq!(seqs(&after(&db, "a", 0).await.unwrap()), (1..=30).collect::<Vec<_>>());
        assert_eq!(seqs(&after(&db, "b", 0).await.unwrap()), (1..=10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn an_id_above_the_newest_replays_from_the_start() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(dir.path()).await.expect("open db");
        fixture(&db).await;
        for n in 0..3 {
            append_one(&db, "a", n).await;
        }
        assert_eq!(resume_after(&db, "a", None).await.unwrap(), 3, "no id: only new events");
        assert_eq!(resume_after(&db, "a", Some(2)).await.unwrap(), 2);
        assert_eq!(resume_after(&db, "a", Some(3)).await.unwrap(), 3);
        assert_eq!(resume_after(&db, "a", Some(4)).await.unwrap(), 0, "from another database: replay");
        assert_eq!(resume_after(&db, "b", Some(1)).await.unwrap(), 0, "b has no events yet");
    }

    /// A database made by the previous release (global event ids), then upgraded: ids that widgets hold still
    /// name the same events, and new events continue each conversation's numbering.
    #[tokio::test]
    async fn global_ids_survive_the_upgrade_to_per_conversation_ids() {
        let dir = tempfile::tempdir().expect("temp dir");
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join(crate::db::DB_FILE).display());
        let db = Db::connect(&url).await.expect("open db");
        let mut previous = sqlx::migrate!("./migrations/sqlite");
        assert!(previous.iter().any(|m| m.version == PER_CONVERSATION), "the migration exists");
        previous.migrations = Cow::Owned(previous.iter().filter(|m| m.version < PER_CONVERSATION).cloned().collect());
        previous.run(&db).await.expect("the previous schema");
        fixture(&db).await;
        // The old schema numbered events across conversations: a gets 1, 3, 5 and b gets 2, 4.
        for (n, conversation) in ["a", "b", "a", "b", "a"].into_iter().enumerate() {
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO conversation_events (conversation_id, kind, data) VALUES ($1, 'message', $2)
                 RETURNING seq",
            )
            .bind(conversation)
            .bind(format!("{{\"n\":{n}}}"))
            .fetch_one(&db)
            .await
            .expect("old event");
            assert_eq!(seq, n as i64 + 1);
        }
        sqlx::migrate!("./migrations/sqlite").run(&db).await.expect("upgrade");

        assert_eq!(seqs(&after(&db, "a", 0).await.unwrap()), [1, 3, 5]);
        assert_eq!(seqs(&after(&db, "b", 0).await.unwrap()), [2, 4]);
        // A widget that last saw global id 3 (a's second event) gets exactly a's third.
        let rest = after(&db, "a", resume_after(&db, "a", Some(3)).await.unwrap()).await.unwrap();
        assert_eq!((seqs(&rest), rest[0].data.as_str()), (vec![5], r#"{"n":4}"#));
        assert_eq!(resume_after(&db, "b", Some(4)).await.unwrap(), 4, "b's newest is still b's newest");
        assert_eq!(resume_after(&db, "b", Some(5)).await.unwrap(), 0, "5 was never b's");
        // New events continue after each conversation's newest.
        assert_eq!((append_one(&db, "a", 5).await, append_one(&db, "b", 6).await), (6, 5));
        assert_eq!(seqs(&after(&db, "a", 5).await.unwrap()), [6]);
    }
}
