//! Leads: who they are, where they are in the pipeline, and the webhooks their changes fire.
//!
//! Three ways in: the developer API, the widget's inline form (`POST /api/widget/lead`), and the host page's
//! `identify` call. Every change is stored together with its webhook deliveries in one transaction (see
//! [`crate::webhooks::enqueue`]); the caller wakes the dispatcher after the commit. The rows are read and written
//! by [`crate::store::leads`]; [`capture`] makes or updates a visitor's lead from the details they gave.

pub mod capture;

use serde::Serialize;

use crate::store::Tx;
use crate::webhooks;

/// Pipeline stages, in order.
pub const STAGES: &[&str] = &["new", "contacted", "qualified", "proposal", "negotiation", "won", "lost"];
/// How likely the lead is to buy.
pub const TEMPERATURES: &[&str] = &["cold", "warm", "hot"];
/// Longest free-text field (names, BANT answers, assignment).
pub const MAX_TEXT: usize = 500;
/// Longest `notes`.
pub const MAX_NOTES: usize = 10_000;
/// Most tags, and the longest tag.
pub const MAX_TAGS: usize = 50;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;

/// BANT qualification of a lead.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Bant {
    /// What they can spend.
    pub budget: Option<String>,
    /// Who decides.
    pub authority: Option<String>,
    /// What they need.
    pub need: Option<String>,
    /// When they will decide.
    pub timeline: Option<String>,
}

/// One move through the pipeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StageChange {
    /// The stage before (`null` for the lead's first stage).
    pub previous_stage: Option<String>,
    /// The stage after.
    pub stage: String,
    /// When.
    pub changed_at: String,
}

/// A lead as the API and webhooks show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Lead {
    /// Always `"lead"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Lead id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// The conversation it was captured in, if any.
    pub conversation_id: Option<String>,
    /// The visitor it was captured from, if any.
    pub visitor_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Pipeline stage (one of [`STAGES`]).
    pub stage: String,
    /// One of [`TEMPERATURES`].
    pub temperature: String,
    /// 0–100.
    pub score: i64,
    /// Free labels.
    #[sqlx(try_from = "crate::store::StringList")]
    pub tags: Vec<String>,
    /// Who owns the lead (a name, email or id of the caller's choosing).
    pub assigned_to: Option<String>,
    /// `api`, `chat_form` or `identify`.
    pub source: String,
    /// Qualification.
    #[sqlx(flatten)]
    #[schema(value_type = Bant)]
    pub bant: BantColumns,
    /// Free notes.
    pub notes: Option<String>,
    /// Stage history, oldest first (on the full record only).
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_history: Option<Vec<StageChange>>,
    /// Its tasks, newest first, at most [`crate::tasks::LEAD_HISTORY`] (on the full record only; list the rest with
    /// `GET /api/v1/tasks?lead_id=`).
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<crate::tasks::Task>>,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// The BANT columns, serialised as the `bant` object.
#[derive(Debug, Clone, Default, sqlx::FromRow, PartialEq)]
pub struct BantColumns {
    budget: Option<String>,
    authority: Option<String>,
    need: Option<String>,
    timeline: Option<String>,
}

impl Serialize for BantColumns {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Bant {
            budget: self.budget.clone(),
            authority: self.authority.clone(),
            need: self.need.clone(),
            timeline: self.timeline.clone(),
        }
        .serialize(s)
    }
}

/// Payload of `lead.created`, `lead.updated` and `lead.stage_changed`.
#[derive(Debug, Clone, Serialize)]
pub struct LeadEvent<'a> {
    /// Always `"lead"`.
    pub object: &'static str,
    /// The event name.
    pub event: &'static str,
    /// Lead id.
    pub id: &'a str,
    /// Same, in the camelCase of the conversation events.
    #[serde(rename = "leadId")]
    pub lead_id: &'a str,
    /// Widget id.
    pub widget_id: &'a str,
    /// Same, camelCase.
    #[serde(rename = "widgetId")]
    pub widget_id_legacy: &'a str,
    /// The lead after the change.
    pub lead: &'a Lead,
    /// `lead.stage_changed` only: the stage before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_stage: Option<&'a str>,
    /// Same, under its legacy name.
    #[serde(rename = "previousStage", skip_serializing_if = "Option::is_none")]
    pub previous_stage_legacy: Option<&'a str>,
    /// When (RFC 3339).
    pub timestamp: &'a str,
}

/// Queues the webhooks of a change: `lead.created` for a new lead; otherwise `lead.updated`, plus
/// `lead.stage_changed` when the stage moved.
///
/// # Errors
/// Database errors.
pub async fn enqueue_events(tx: &mut Tx<'_>, org_id: &str, lead: &Lead, change: Change<'_>) -> Result<(), sqlx::Error> {
    let mut event = LeadEvent {
        object: "lead",
        event: "lead.updated",
        id: &lead.id,
        lead_id: &lead.id,
        widget_id: &lead.widget_id,
        widget_id_legacy: &lead.widget_id,
        lead,
        previous_stage: None,
        previous_stage_legacy: None,
        timestamp: &lead.updated_at,
    };
    match change {
        Change::Created => {
            event.event = "lead.created";
            webhooks::enqueue(tx, org_id, "lead.created", &event).await?;
        }
        Change::Updated { previous_stage } => {
            webhooks::enqueue(tx, org_id, "lead.updated", &event).await?;
            if let Some(previous) = previous_stage.filter(|p| *p != lead.stage) {
                event.event = "lead.stage_changed";
                event.previous_stage = Some(previous);
                event.previous_stage_legacy = Some(previous);
                webhooks::enqueue(tx, org_id, "lead.stage_changed", &event).await?;
            }
        }
    }
    Ok(())
}

/// What happened to a lead.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// It is new.
    Created,
    /// It changed; `previous_stage` is its stage before, when the change could have moved it.
    Updated {
        /// The stage before the change.
        previous_stage: Option<&'a str>,
    },
}

/// Contact details captured from a visitor (the inline form or `identify`).
#[derive(Debug, Clone, Default)]
pub struct Captured {
    /// Name.
    pub name: Option<String>,
    /// Email address (already checked).
    pub email: Option<String>,
    /// Phone number (already checked).
    pub phone: Option<String>,
}
