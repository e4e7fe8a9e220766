//! The inbox feed: telling an organisation's agent streams (`GET /api/v1/conversations/events`) that one of its
//! conversations changed, on this instance and, through [`Notice::Inbox`], on every other.
//!
//! A writer calls [`changed`] inside its transaction (the notice leaves at commit, never for a rolled-back write)
//! and [`wake`] after the commit (this instance's streams).

use crate::events::EventHub;
use crate::store::notices::{self, Notice};
use crate::store::{conversations, Tx};

/// Announces in `tx` that conversation `conversation_id` changed; returns its organisation, for [`wake`] (`None`:
/// no such conversation, nothing announced).
///
/// # Errors
/// Database errors.
pub async fn changed(tx: &mut Tx<'_>, conversation_id: &str) -> Result<Option<String>, sqlx::Error> {
    let Some(org_id) = conversations::org_of(&mut **tx, conversation_id).await? else {
        return Ok(None);
    };
    let notice = Notice::Inbox { org_id: org_id.clone(), conversation_id: conversation_id.to_owned() };
    notices::send(&mut **tx, &notice).await?;
    Ok(Some(org_id))
}

/// Wakes this instance's inbox streams of `org_id` (after the commit of the transaction [`changed`] wrote in).
pub fn wake(hub: &EventHub, org_id: Option<&str>, conversation_id: &str) {
    if let Some(org_id) = org_id {
        hub.notify_inbox(org_id, conversation_id);
    }
}
