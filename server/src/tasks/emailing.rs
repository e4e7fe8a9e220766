//! The `follow_up` and `email` executors, on the lead emails of [`crate::emails`].
//!
//! A `follow_up` task drafts the lead's follow-up email as `POST …/emails/generate` does (the model when one is
//! configured, the template writer otherwise; the latest draft is reused, so a retried attempt never writes a
//! second one). An `email` task sends an email as `{"action": "send"}` does: the one its `execution` names
//! (`{"email_id": "…"}`; scheduling a draft's send approves it, which is how a send is scheduled for later), else
//! the lead's newest approved one (approved while no SMTP server was configured). A task that cannot run (no lead, nothing approved,
//! no SMTP server) is refused with a sentence naming the fix; database errors are left to the runner's retries.

use std::sync::Arc;

use serde_json::{json, Value};

use super::qualify::Refusal;
use super::Task;
use crate::emails::{self, LeadEmail, Outbox, SendRefused};
use crate::leads::Lead;
use crate::responder::openai::Provider;
use crate::store::leads as lead_store;
use crate::store::{lead_emails as store, Db};

/// What the email executors need besides the database.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// The configured model, which writes drafts when present.
    pub llm: Option<Arc<Provider>>,
    /// The send outbox (`None`: no SMTP server is configured).
    pub outbox: Option<Outbox>,
}

/// An executor's result: the task's `result`, or why it cannot run.
pub type Outcome = Result<Value, Refusal>;

/// The task's lead, or why there is none.
async fn lead_of(db: &Db, org_id: &str, task: &Task) -> Result<Result<Lead, Refusal>, sqlx::Error> {
    let Some(lead_id) = task.lead_id.as_deref() else {
        return Ok(Err(Refusal(format!("a `{}` task needs a `lead_id`", task.kind))));
    };
    let mut tx = db.begin().await?;
    let lead = lead_store::load(&mut tx, org_id, lead_id).await?;
    Ok(lead.ok_or_else(|| Refusal(format!("lead `{lead_id}` no longer exists"))))
}

/// Runs a `follow_up` task: the lead's draft, written now or reused.
///
/// # Errors
/// Database errors (worth retrying).
pub async fn follow_up(db: &Db, mail: &Mail, org_id: &str, task: &Task) -> Result<Outcome, sqlx::Error> {
    let lead = match lead_of(db, org_id, task).await? {
        Ok(lead) => lead,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let (draft, new) = emails::draft_for(db, mail.llm.as_deref(), org_id, &lead).await?;
    Ok(Ok(json!({
        "lead_id": lead.id,
        "email_id": draft.id,
        "subject": draft.subject,
        "writer": draft.writer,
        "reused_draft": !new,
    })))
}

/// The email an `email` task sends, or why there is none to send.
async fn email_to_send(db: &Db, org_id: &str, lead: &Lead, task: &Task) -> Result<Picked, sqlx::Error> {
    let named = task.execution.as_ref().and_then(|e| e.get("email_id")).and_then(Value::as_str);
    let Some(id) = named else {
        return Ok(store::latest_approved(db, org_id, &lead.id).await?.ok_or_else(|| {
            Refusal(format!(
                "lead `{}` has no approved email: approve a draft with POST /api/v1/leads/{}/emails/EMAIL_ID \
                 {{\"action\": \"approve\"}}, or name one in the task's `execution.email_id`",
                lead.id, lead.id
            ))
        }));
    };
    let found = store::find(db, org_id, &lead.id, id).await?;
    Ok(found.ok_or_else(|| Refusal(format!("`execution.email_id`: lead `{}` has no email `{id}`", lead.id))))
}

/// An email to send, or why there is none.
type Picked = Result<LeadEmail, Refusal>;

/// Runs an `email` task: queues the approved email in the outbox, which sends it (and fires `email.sent`).
///
/// # Errors
/// Database errors (worth retrying).
pub async fn send(db: &Db, mail: &Mail, org_id: &str, task: &Task) -> Result<Outcome, sqlx::Error> {
    let lead = match lead_of(db, org_id, task).await? {
        Ok(lead) => lead,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let email = match email_to_send(db, org_id, &lead, task).await? {
        Ok(email) => email,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // An earlier attempt queued it and then failed to complete the task: the send is under way, not repeated.
    if email.status == "sending" || email.status == "sent" {
        return Ok(Ok(json!({"lead_id": lead.id, "email_id": email.id, "status": email.status})));
    }
    match emails::queue_send(db, mail.outbox.as_ref(), org_id, &lead, &email).await {
        Ok(queued) => Ok(Ok(json!({
            "lead_id": lead.id,
            "email_id": queued.id,
            "status": queued.status,
            "to": queued.to_address,
        }))),
        Err(SendRefused::Database(e)) => Err(e),
        Err(refused) => Ok(Err(Refusal(refused.to_string()))),
    }
}
