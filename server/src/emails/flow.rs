//! The two steps other parts of the server take on a lead's emails, outside HTTP: drafting one (a `follow_up` task
//! does what `POST …/emails/generate` does) and queueing one for sending (an `email` task sends an approved draft as
//! `{"action": "send"}` does). The handlers in `api/lead_emails.rs` call these too.

use super::{store_draft, write_first, LeadEmail, Outbox};
use crate::leads::Lead;
use crate::responder::openai::Provider;
use crate::store::lead_emails as store;
use crate::store::{begin_write, Db};

/// The lead's latest draft, or a new one written from the lead and its conversation (firing
/// `email.draft_created`); `true` when it is new. Wake the webhook dispatcher after a new one.
///
/// # Errors
/// Database errors.
pub async fn draft_for(
    db: &Db,
    llm: Option<&Provider>,
    org_id: &str,
    lead: &Lead,
) -> Result<(LeadEmail, bool), sqlx::Error> {
    if let Some(draft) = store::latest_draft(db, org_id, &lead.id).await? {
        return Ok((draft, false));
    }
    // Written outside the transaction: a model may take seconds.
    let (ctx, persona_id) = super::context(db, lead).await?;
    let written = write_first(llm, &ctx).await;
    let mut tx = begin_write(db).await?;
    if let Some(draft) = store::latest_draft(&mut *tx, org_id, &lead.id).await? {
        return Ok((draft, false)); // drafted meanwhile by another request
    }
    let email = store_draft(&mut tx, org_id, lead, persona_id.as_deref(), &written).await?;
    tx.commit().await?;
    Ok((email, true))
}

/// Why an email cannot be queued for sending.
#[derive(Debug, thiserror::Error)]
pub enum SendRefused {
    /// No SMTP server is configured.
    #[error(
        "sending needs an SMTP server: start the server with --smtp-url (QUINCER_SMTP_URL) and --mail-from \
         (QUINCER_MAIL_FROM)"
    )]
    NoSmtp,
    /// The lead has no address.
    #[error("lead `{0}` has no email address: set `email` with POST /api/v1/leads/{0}")]
    NoAddress(String),
    /// Sent, sending, or no such email.
    #[error("email `{0}` is `{1}`: only draft, approved or failed emails can be sent")]
    Status(String, String),
    /// A database error.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Queues `email` of `lead` for sending (status `sending`) and wakes the outbox.
///
/// # Errors
/// [`SendRefused`].
pub async fn queue_send(
    db: &Db,
    outbox: Option<&Outbox>,
    org_id: &str,
    lead: &Lead,
    email: &LeadEmail,
) -> Result<LeadEmail, SendRefused> {
    let outbox = outbox.ok_or(SendRefused::NoSmtp)?;
    let to = lead.email.as_deref().ok_or_else(|| SendRefused::NoAddress(lead.id.clone()))?;
    let mut tx = begin_write(db).await?;
    if !store::queue(&mut tx, &email.id, to).await? {
        return Err(SendRefused::Status(email.id.clone(), email.status.clone()));
    }
    let after = store::find(&mut *tx, org_id, &lead.id, &email.id).await?.ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    outbox.wake();
    Ok(after)
}
