//! Telling every server instance that something changed: a conversation has new events, a widget key was
//! revoked, an organisation's inbox has a changed conversation. On PostgreSQL a notice is a `NOTIFY` on [`CHANNEL`], sent inside the writing transaction so it leaves
//! at commit and never for a rolled-back write; `crate::relay` listens and wakes the local streams. On SQLite
//! there is one process, which wakes its own streams: sending is nothing.
//!
//! A notice carries ids only: the rows stay the truth, and a stream that is woken reads them from its last id.

use super::{Dialect, Exec};

/// The `LISTEN` channel every instance listens on.
pub const CHANNEL: &str = "quincer_events";

/// Sends a payload on a channel (Postgres).
const NOTIFY: &str = "SELECT pg_notify($1, $2)";

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// New events are stored for this conversation.
    Conversation(String),
    /// This widget key was revoked (or deleted with its widget): streams opened with it end.
    Revoked(String),
    /// A conversation of this organisation changed as its inbox lists it (created, a message, a status or holder
    /// change): the organisation's agent streams (`GET /api/v1/conversations/events`) send it again.
    Inbox {
        /// The organisation.
        org_id: String,
        /// The conversation.
        conversation_id: String,
    },
}

impl Notice {
    /// The notification payload: a one-letter kind, a colon, the id.
    pub fn encode(&self) -> String {
        match self {
            Notice::Conversation(id) => format!("c:{id}"),
            Notice::Revoked(key) => format!("k:{key}"),
            Notice::Inbox { org_id, conversation_id } => format!("o:{org_id}:{conversation_id}"),
        }
    }

    /// Reads a payload [`Notice::encode`] wrote; `None` for anything else (ignored, as another version's notice).
    pub fn decode(payload: &str) -> Option<Notice> {
        match payload.split_once(':')? {
            ("c", id) if !id.is_empty() => Some(Notice::Conversation(id.to_owned())),
            ("k", key) if !key.is_empty() => Some(Notice::Revoked(key.to_owned())),
            ("o", ids) => match ids.split_once(':') {
                Some((org, conv)) if !org.is_empty() && !conv.is_empty() => {
                    Some(Notice::Inbox { org_id: org.to_owned(), conversation_id: conv.to_owned() })
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// Sends `notice` to every instance when `db`'s transaction commits (at once outside one); nothing on SQLite.
///
/// # Errors
/// Database errors.
pub async fn send<'e>(db: impl Exec<'e>, notice: &Notice) -> Result<(), sqlx::Error> {
    if db.dialect() == Dialect::Postgres {
        sqlx::query(NOTIFY).bind(CHANNEL).bind(notice.encode()).execute(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_strangers_are_ignored() {
        let inbox = Notice::Inbox { org_id: "org_1".into(), conversation_id: "conv_1:x".into() };
        for notice in [Notice::Conversation("conv_1:x".into()), Notice::Revoked("cw_live_abc".into()), inbox] {
            assert_eq!(Notice::decode(&notice.encode()), Some(notice));
        }
        for payload in ["", "c:", "k:", "x:1", "conv_1", "o:", "o:org_1", "o::conv_1", "o:org_1:"] {
            assert_eq!(Notice::decode(payload), None, "{payload:?}");
        }
    }
}
