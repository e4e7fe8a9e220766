//! Capturing a visitor's contact details (the widget's inline form, the host page's `identify`) as a lead: the
//! visitor's own lead, else the widget's lead with the same email address, else a new one, with the webhooks of
//! the change. Kept apart from the lead types of [`super`], which the store reads its rows into.

use super::{enqueue_events, Captured, Change};
use crate::ids;
use crate::store::leads::{self as store, CapturedFrom};
use crate::store::Tx;

/// Where captured details come from.
#[derive(Debug, Clone, Copy)]
pub struct CaptureSource<'a> {
    /// The widget's organisation.
    pub org_id: &'a str,
    /// The widget.
    pub widget_id: &'a str,
    /// The visitor.
    pub visitor_id: &'a str,
    /// The conversation to link the lead to, if any.
    pub conversation_id: Option<&'a str>,
    /// `chat_form` or `identify`.
    pub source: &'a str,
}

/// Creates or updates the lead of a visitor: the visitor's own lead, else the widget's lead with the same email
/// address, else a new one. Given details replace stored ones; absent ones are kept. Returns the lead id, or
/// `None` when nothing was captured and no lead exists (the caller decides whether a lead may be created).
///
/// # Errors
/// Database errors.
pub async fn capture(
    tx: &mut Tx<'_>,
    from: &CaptureSource<'_>,
    details: &Captured,
    may_create: bool,
) -> Result<Option<String>, sqlx::Error> {
    let CaptureSource { org_id, widget_id, visitor_id, conversation_id, source } = *from;
    let existing = store::find_for_capture(tx, widget_id, visitor_id, details.email.as_deref()).await?;
    let (id, change) = match existing {
        Some(id) => {
            if !store::merge_captured(tx, &id, visitor_id, conversation_id, details).await? {
                return Ok(Some(id)); // the same details again: no change, no webhook
            }
            (id, Change::Updated { previous_stage: None })
        }
        None if may_create && (details.email.is_some() || details.name.is_some() || details.phone.is_some()) => {
            let id = ids::new_id("lead");
            store::insert_captured(tx, &id, CapturedFrom { widget_id, visitor_id, conversation_id, source }, details)
                .await?;
            store::record_stage(&mut **tx, &id, None, "new").await?;
            (id, Change::Created)
        }
        None => return Ok(None),
    };
    if let Some(lead) = store::load(tx, org_id, &id).await? {
        enqueue_events(tx, org_id, &lead, change).await?;
    }
    Ok(Some(id))
}
