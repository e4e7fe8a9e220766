//! The visitor's token and conversation id in `localStorage`, namespaced by widget key.
//!
//! Storage can be missing or throw (sandboxed iframes, some private modes); the widget then simply forgets the
//! visitor on reload instead of failing.

/// What is remembered.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    /// The visitor token.
    VisitorToken,
    /// The current conversation id.
    ConversationId,
    /// The conversation whose lead form the visitor sent or declined.
    LeadForm,
}

fn key(widget_key: &str, slot: Slot) -> String {
    let name = match slot {
        Slot::VisitorToken => "visitor_token",
        Slot::ConversationId => "conversation_id",
        Slot::LeadForm => "lead_form",
    };
    format!("quincer:{widget_key}:{name}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a slot.
pub fn get(widget_key: &str, slot: Slot) -> Option<String> {
    storage()?.get_item(&key(widget_key, slot)).ok().flatten().filter(|v| !v.is_empty())
}

/// Writes a slot (silently skipped when storage is unavailable).
pub fn set(widget_key: &str, slot: Slot, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&key(widget_key, slot), value);
    }
}

/// Clears a slot.
pub fn remove(widget_key: &str, slot: Slot) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(widget_key, slot));
    }
}
