//! Conversations: created by a visitor's first message, listed and changed (takeover, handback, handoff) through
//! the developer API.

use super::Builder;
use quincer_protocol::conversation::{Conversation, ConversationStatus};
use quincer_protocol::events::AgentPublic;

use crate::actor::Actor;

use super::{messages, now_sql, Db, Dialect, Exec, Flag, Tx};

/// Create-or-find in one statement, so two tabs racing on a new id cannot both create it.
const CREATE_IF_MISSING: &str =
    "INSERT INTO conversations (id, widget_id, visitor_id, persona_id, page_url) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id) DO NOTHING";
/// A visitor's conversation: its status and persona.
const FOR_VISITOR: &str =
    "SELECT status, persona_id FROM conversations WHERE id = $1 AND widget_id = $2 AND visitor_id = $3";
/// The transcript's metadata.
const LOAD: &str = "SELECT widget_id, status, persona_id, takeover_actor_name, takeover_avatar_url, created_at,
        updated_at, event_seq
    FROM conversations WHERE id = $1";
/// The visitor's language, changed only when it differs (no needless write).
const SET_LOCALE: &str = "UPDATE conversations SET locale = $1 WHERE id = $2 AND locale IS DISTINCT FROM $1";
/// The visitor's language and the widget's (the agents').
const LANGUAGES: &str =
    "SELECT c.locale, w.locale FROM conversations c JOIN widgets w ON w.id = c.widget_id WHERE c.id = $1";
/// Marks a conversation changed now.
const TOUCH: &str = concat!("UPDATE conversations SET updated_at = ", now_sql!(), " WHERE id = $1");
/// Takes SQLite's write lock for the transaction by writing the row unchanged (Postgres: `SELECT … FOR UPDATE`).
const LOCK: &str = "UPDATE conversations SET seq = seq WHERE id = $1";
/// An agent takes over.
const TAKE_OVER: &str = concat!(
    "UPDATE conversations SET status = 'human_active', takeover_actor_name = $1, takeover_external_label = $2,
        takeover_key_id = $3, takeover_member_id = $4, takeover_actor_kind = $5, takeover_avatar_url = $6,
        takeover_surface = $7, takeover_at = ",
    now_sql!(),
    ", updated_at = ",
    now_sql!(),
    " WHERE id = $8"
);
/// The AI answers again.
const HAND_BACK: &str = concat!(
    "UPDATE conversations SET status = 'active', takeover_actor_name = NULL, takeover_external_label = NULL,
        takeover_key_id = NULL, takeover_member_id = NULL, takeover_actor_kind = NULL, takeover_avatar_url = NULL,
        takeover_surface = NULL, takeover_at = NULL, updated_at = ",
    now_sql!(),
    " WHERE id = $1"
);
/// Another persona speaks.
const SET_PERSONA: &str =
    concat!("UPDATE conversations SET persona_id = $1, updated_at = ", now_sql!(), " WHERE id = $2");
/// The developer API's view of conversations, with the visitor, message counts, the inbox's preview and unread
/// count (visitor messages after the newest agent reply) and the newest lead; followed by the organisation.
const SUMMARY: &str = "SELECT c.seq, c.id, c.widget_id, c.visitor_id, c.status, c.channel, c.persona_id,
        c.page_url, c.takeover_actor_name, c.takeover_external_label, c.takeover_key_id, c.takeover_at,
        c.takeover_member_id, c.takeover_actor_kind, c.takeover_avatar_url, c.takeover_surface, c.locale,
        c.created_at, c.updated_at,
        v.email AS visitor_email, v.name AS visitor_name, v.phone AS visitor_phone,
        v.external_id AS visitor_external_id, v.traits AS visitor_traits, v.identified_at AS visitor_identified_at,
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
        (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = c.id) AS last_message_at,
        (SELECT m.text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1) AS last_message_text,
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user'
            AND m.seq > COALESCE((SELECT MAX(a.seq) FROM messages a
                WHERE a.conversation_id = c.id AND a.role = 'agent'), 0)) AS unread_count,
        l.id AS lead_id, l.name AS lead_name, l.email AS lead_email
    FROM conversations c JOIN widgets w ON w.id = c.widget_id LEFT JOIN visitors v ON v.id = c.visitor_id
    LEFT JOIN leads l ON l.id = (SELECT ld.id FROM leads ld WHERE ld.conversation_id = c.id ORDER BY ld.seq DESC LIMIT 1)
    WHERE w.org_id = ";
/// The organisation of a conversation.
const ORG_OF: &str = "SELECT w.org_id FROM conversations c JOIN widgets w ON w.id = c.widget_id WHERE c.id = $1";
/// Whether a conversation is on a widget.
const IN_WIDGET: &str = "SELECT id FROM conversations WHERE id = $1 AND widget_id = $2";
/// Whether a conversation's persona offers the lead form.
const CAPTURES_LEADS: &str =
    "SELECT p.capture_leads FROM conversations c JOIN personas p ON p.id = c.persona_id WHERE c.id = $1";
/// Counts an organisation's conversations; followed by the organisation.
const COUNT: &str = "SELECT COUNT(*) FROM conversations c JOIN widgets w ON w.id = c.widget_id WHERE w.org_id = ";

/// Parses a stored status.
pub fn parse_status(s: &str) -> ConversationStatus {
    match s {
        "human_active" => ConversationStatus::HumanActive,
        "closed" => ConversationStatus::Closed,
        _ => ConversationStatus::Active,
    }
}

/// Loads a conversation and its whole transcript, or `None` if it does not exist.
///
/// # Errors
/// Database errors.
pub async fn load(db: &Db, id: &str) -> Result<Option<Conversation>, sqlx::Error> {
    type Row = (String, String, Option<String>, Option<String>, Option<String>, String, String, i64);
    let row: Option<Row> = sqlx::query_as(LOAD).bind(id).fetch_optional(db).await?;
    let Some((widget_id, status, persona_id, actor, avatar_url, created_at, updated_at, last_event_id)) = row else {
        return Ok(None);
    };
    let status = parse_status(&status);
    Ok(Some(Conversation {
        object: "conversation".into(),
        id: id.to_owned(),
        widget_id,
        agent: actor.filter(|_| status == ConversationStatus::HumanActive).map(|name| AgentPublic { name, avatar_url }),
        status,
        persona_id,
        created_at,
        updated_at,
        last_event_id,
        messages: messages::transcript(db, id).await?,
    }))
}

/// A conversation to create if its id is new.
#[derive(Debug, Clone, Copy)]
pub struct NewConversation<'a> {
    /// The client's conversation id.
    pub id: &'a str,
    /// Its widget.
    pub widget_id: &'a str,
    /// Its visitor.
    pub visitor_id: &'a str,
    /// The persona it starts with.
    pub persona_id: Option<&'a str>,
    /// The page it starts on.
    pub page_url: Option<&'a str>,
}

/// Creates the conversation unless its id exists (then nothing changes: see [`for_visitor`] for whose it is).
///
/// # Errors
/// Database errors.
pub async fn create_if_missing(db: &Db, new: NewConversation<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(CREATE_IF_MISSING)
        .bind(new.id)
        .bind(new.widget_id)
        .bind(new.visitor_id)
        .bind(new.persona_id)
        .bind(new.page_url)
        .execute(db)
        .await?;
    Ok(())
}

/// The status (`active`, `human_active`, `closed`) and persona of conversation `id`, if it is this visitor's on
/// this widget.
///
/// # Errors
/// Database errors.
pub async fn for_visitor(
    db: &Db,
    id: &str,
    widget_id: &str,
    visitor_id: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(FOR_VISITOR).bind(id).bind(widget_id).bind(visitor_id).fetch_optional(db).await
}

/// Whether conversation `id` is on widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn in_widget<'e>(db: impl Exec<'e>, id: &str, widget_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(IN_WIDGET).bind(id).bind(widget_id).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// Whether conversation `id` speaks as a persona that captures leads (offers the lead form).
///
/// # Errors
/// Database errors.
pub async fn captures_leads(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let captures: Option<Flag> = sqlx::query_scalar(CAPTURES_LEADS).bind(id).fetch_optional(db).await?;
    Ok(captures == Some(Flag(true)))
}

/// Records the visitor's language (a BCP 47 tag): agents' replies are translated into it.
///
/// # Errors
/// Database errors.
pub async fn set_locale(db: &Db, id: &str, locale: &str) -> Result<(), sqlx::Error> {
    sqlx::query(SET_LOCALE).bind(locale).bind(id).execute(db).await?;
    Ok(())
}

/// The visitor's language (once the widget reported one) and the widget's, or `None` for no such conversation.
///
/// # Errors
/// Database errors.
pub async fn languages(db: &Db, id: &str) -> Result<Option<(Option<String>, String)>, sqlx::Error> {
    sqlx::query_as(LANGUAGES).bind(id).fetch_optional(db).await
}

/// Marks the conversation as changed now.
///
/// # Errors
/// Database errors.
pub async fn touch<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(TOUCH)).bind(id).execute(db).await?;
    Ok(())
}

/// A conversation as the developer API lists it: its row, its visitor's identity and message counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Summary {
    /// Position in creation order (the list's cursor).
    pub seq: i64,
    /// Conversation id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// Its visitor.
    pub visitor_id: String,
    /// `active`, `human_active` or `closed`.
    pub status: String,
    /// `web` for the widget.
    pub channel: String,
    /// The persona the AI speaks as.
    pub persona_id: Option<String>,
    /// The page it started on.
    pub page_url: Option<String>,
    /// The agent holding it.
    pub takeover_actor_name: Option<String>,
    /// The external system's label of the takeover.
    pub takeover_external_label: Option<String>,
    /// The developer key that took it over.
    pub takeover_key_id: Option<String>,
    /// When it was taken over.
    pub takeover_at: Option<String>,
    /// The member holding it (`internal_user` takeovers).
    pub takeover_member_id: Option<String>,
    /// `internal_user` or `external_agent` (`None` before attributed takeovers: an external agent).
    pub takeover_actor_kind: Option<String>,
    /// The holder's avatar.
    pub takeover_avatar_url: Option<String>,
    /// `api` or `dashboard`: where it was taken over.
    pub takeover_surface: Option<String>,
    /// The visitor's language, once the widget reported it.
    pub locale: Option<String>,
    /// The visitor's email, once identified.
    pub visitor_email: Option<String>,
    /// The visitor's name, once identified.
    pub visitor_name: Option<String>,
    /// The visitor's phone, once identified.
    pub visitor_phone: Option<String>,
    /// The host's id for the visitor, once identified.
    pub visitor_external_id: Option<String>,
    /// The visitor's traits (a JSON object).
    pub visitor_traits: Option<String>,
    /// When the visitor was last identified.
    pub visitor_identified_at: Option<String>,
    /// Number of stored messages.
    pub message_count: i64,
    /// Time of the newest message.
    pub last_message_at: Option<String>,
    /// The newest message's text.
    pub last_message_text: Option<String>,
    /// Visitor messages after the newest agent reply (all of them when no agent replied).
    pub unread_count: i64,
    /// The newest lead captured in the conversation.
    pub lead_id: Option<String>,
    /// Its name.
    pub lead_name: Option<String>,
    /// Its email.
    pub lead_email: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// Conversation `id` if it belongs to organisation `org_id`.
///
/// # Errors
/// Database errors.
pub async fn find<'e>(db: impl Exec<'e>, org_id: &str, id: &str) -> Result<Option<Summary>, sqlx::Error> {
    let mut q = Builder::new(SUMMARY);
    q.push_bind(org_id).push(" AND c.id = ").push_bind(id);
    q.build_query_as().fetch_optional(db).await
}

/// The same inside a write transaction, holding the conversation until `tx` ends: the state read cannot change
/// before this transaction commits (two racing takeovers are serialised, never both granted).
///
/// # Errors
/// Database errors.
pub async fn lock(tx: &mut Tx<'_>, org_id: &str, id: &str) -> Result<Option<Summary>, sqlx::Error> {
    sqlx::query(LOCK).bind(id).execute(&mut **tx).await?;
    find(&mut **tx, org_id, id).await
}

/// Which conversations a list shows (all given ones must match).
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Only this widget's.
    pub widget_id: Option<String>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only this channel.
    pub channel: Option<String>,
    /// Only those in which the visitor wrote.
    pub engaged_only: bool,
    /// Only those changed at or after this stored-form time.
    pub updated_since: Option<String>,
    /// Only those taken over by this member.
    pub held_by_member: Option<String>,
}

impl ListFilter {
    /// Appends the filter as `AND …` clauses.
    fn push(&self, q: &mut Builder<'_>) {
        if let Some(widget_id) = &self.widget_id {
            q.push(" AND c.widget_id = ").push_bind(widget_id.clone());
        }
        if !self.statuses.is_empty() {
            q.push(" AND c.status IN (");
            let mut sep = q.separated(", ");
            for s in &self.statuses {
                sep.push_bind(s.clone());
            }
            q.push(")");
        }
        if let Some(channel) = &self.channel {
            q.push(" AND c.channel = ").push_bind(channel.clone());
        }
        if self.engaged_only {
            q.push(" AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user')");
        }
        if let Some(since) = &self.updated_since {
            q.push(" AND c.updated_at >= ").push_bind(since.clone());
        }
        if let Some(member) = &self.held_by_member {
            q.push(" AND c.status = 'human_active' AND c.takeover_member_id = ").push_bind(member.clone());
        }
    }
}

/// The order of a list, and where a page starts.
#[derive(Debug, Clone)]
pub enum Order {
    /// Newest created first, created before the cursor's position (`seq`) when given.
    Created(Option<i64>),
    /// Newest activity (`updated_at`: every message, takeover, handback and handoff) first, after the cursor
    /// conversation's `(updated_at, seq)` when given.
    Activity(Option<(String, i64)>),
}

/// Up to `limit` of the organisation's conversations matching `filter`, in `order`.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &Db,
    org_id: &str,
    filter: &ListFilter,
    order: Order,
    limit: i64,
) -> Result<Vec<Summary>, sqlx::Error> {
    let mut q = Builder::new(SUMMARY);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    match order {
        Order::Created(before) => {
            if let Some(seq) = before {
                q.push(" AND c.seq < ").push_bind(seq);
            }
            q.push(" ORDER BY c.seq DESC");
        }
        Order::Activity(after) => {
            if let Some((at, seq)) = after {
                q.push(" AND (c.updated_at < ").push_bind(at.clone());
                q.push(" OR (c.updated_at = ").push_bind(at).push(" AND c.seq < ").push_bind(seq).push("))");
            }
            q.push(" ORDER BY c.updated_at DESC, c.seq DESC");
        }
    }
    q.push(" LIMIT ").push_bind(limit);
    q.build_query_as().fetch_all(db).await
}

/// The organisation owning conversation `id`, if it exists.
///
/// # Errors
/// Database errors.
pub async fn org_of<'e>(db: impl Exec<'e>, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(ORG_OF).bind(id).fetch_optional(db).await
}

/// How many of the organisation's conversations match `filter`.
///
/// # Errors
/// Database errors.
pub async fn count(db: &Db, org_id: &str, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    let mut q = Builder::new(COUNT);
    q.push_bind(org_id.to_owned());
    filter.push(&mut q);
    q.build_query_scalar().fetch_one(db).await
}

/// Marks the conversation taken over by `actor` (status `human_active`).
///
/// # Errors
/// Database errors.
pub async fn take_over(tx: &mut Tx<'_>, id: &str, actor: &Actor) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(TAKE_OVER))
        .bind(&actor.name)
        .bind(actor.external_label.as_deref())
        .bind(&actor.key_id)
        .bind(actor.member_id.as_deref())
        .bind(actor.kind.as_str())
        .bind(actor.avatar_url.as_deref())
        .bind(actor.surface.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Hands the conversation back to the AI (status `active`, no holder).
///
/// # Errors
/// Database errors.
pub async fn hand_back(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(HAND_BACK)).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Switches the conversation's persona (`None`: no persona).
///
/// # Errors
/// Database errors.
pub async fn set_persona(tx: &mut Tx<'_>, id: &str, persona_id: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query(Dialect::of_connection(tx).sql(SET_PERSONA)).bind(persona_id).bind(id).execute(&mut **tx).await?;
    Ok(())
}
