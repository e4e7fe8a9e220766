//! The inbox's conversations: one entry per conversation, newest activity first, merged from pages of
//! `GET /api/v1/conversations` and the org stream's `conversation` events in whatever order they arrive.
//!
//! A stream event and a page fetched around the same time can carry two versions of one conversation; the newer
//! one (by activity, then last change) wins, so a late page never rolls an update back. Times are the server's
//! RFC 3339 UTC strings, which sort as text.

use crate::filter::Filter;
use crate::model::ConversationItem;

/// The conversations the inbox knows, sorted newest activity first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversations {
    items: Vec<ConversationItem>,
}

/// The version key: newer activity, then a newer change, wins.
fn version(item: &ConversationItem) -> (&str, &str) {
    (item.activity(), &item.updated_at)
}

impl Conversations {
    /// Adds `item`, or replaces the one with its id unless that one is newer. Returns whether anything changed.
    pub fn upsert(&mut self, item: ConversationItem) -> bool {
        if let Some(pos) = self.items.iter().position(|c| c.id == item.id) {
            if version(&self.items[pos]) > version(&item) || self.items[pos] == item {
                return false;
            }
            self.items.remove(pos);
        }
        // Newest first; among equal times the larger id first, so the order never depends on arrival.
        let at = self
            .items
            .iter()
            .position(|c| (c.activity(), c.id.as_str()) < (item.activity(), item.id.as_str()))
            .unwrap_or(self.items.len());
        self.items.insert(at, item);
        true
    }

    /// Merges a page from the list endpoint.
    pub fn merge(&mut self, page: Vec<ConversationItem>) -> bool {
        page.into_iter().fold(false, |changed, item| self.upsert(item) | changed)
    }

    /// Every conversation, newest first.
    pub fn all(&self) -> &[ConversationItem] {
        &self.items
    }

    /// The one with `id`.
    pub fn get(&self, id: &str) -> Option<&ConversationItem> {
        self.items.iter().find(|c| c.id == id)
    }

    /// Those passing `filter` for the member `me`, newest first.
    pub fn visible<'a>(&'a self, filter: &'a Filter, me: &'a str) -> impl Iterator<Item = &'a ConversationItem> + 'a {
        self.items.iter().filter(move |c| filter.matches(c, me))
    }

    /// The widget ids seen, sorted (the widget filter's choices).
    pub fn widget_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.items.iter().map(|c| c.widget_id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Marks `id` read (it is open on screen).
    pub fn mark_read(&mut self, id: &str) -> bool {
        match self.items.iter_mut().find(|c| c.id == id) {
            Some(c) if c.unread_count > 0 => {
                c.unread_count = 0;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, at: &str) -> ConversationItem {
        ConversationItem {
            id: id.into(),
            status: "active".into(),
            last_activity_at: Some(at.into()),
            updated_at: at.into(),
            ..Default::default()
        }
    }

    fn ids(c: &Conversations) -> Vec<&str> {
        c.all().iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn newest_activity_comes_first() {
        let mut c = Conversations::default();
        c.merge(vec![
            item("a", "2026-01-01T10:00:00Z"),
            item("b", "2026-01-01T12:00:00Z"),
            item("c", "2026-01-01T11:00:00Z"),
        ]);
        assert_eq!(ids(&c), ["b", "c", "a"]);
    }

    #[test]
    fn a_stream_event_moves_a_conversation_to_the_top() {
        let mut c = Conversations::default();
        c.merge(vec![item("a", "2026-01-01T10:00:00Z"), item("b", "2026-01-01T12:00:00Z")]);
        let mut newer = item("a", "2026-01-01T13:00:00Z");
        newer.unread_count = 1;
        assert!(c.upsert(newer));
        assert_eq!(ids(&c), ["a", "b"]);
        assert_eq!(c.get("a").unwrap().unread_count, 1);
    }

    #[test]
    fn a_stale_page_does_not_roll_an_update_back() {
        let mut c = Conversations::default();
        c.upsert(item("a", "2026-01-01T13:00:00Z"));
        assert!(!c.merge(vec![item("a", "2026-01-01T10:00:00Z")]));
        assert_eq!(c.get("a").unwrap().activity(), "2026-01-01T13:00:00Z");
    }

    #[test]
    fn a_status_change_at_the_same_activity_replaces_the_entry() {
        let mut c = Conversations::default();
        c.upsert(item("a", "2026-01-01T10:00:00Z"));
        let mut held = item("a", "2026-01-01T10:00:00Z");
        held.status = "human_active".into();
        held.updated_at = "2026-01-01T10:05:00Z".into();
        assert!(c.upsert(held));
        assert_eq!(c.all().len(), 1);
        assert_eq!(c.get("a").unwrap().status, "human_active");
        // The same version again changes nothing.
        assert!(!c.upsert(c.get("a").unwrap().clone()));
    }

    #[test]
    fn equal_times_order_by_id_whatever_the_arrival() {
        let mut x = Conversations::default();
        x.merge(vec![item("a", "t"), item("b", "t")]);
        let mut y = Conversations::default();
        y.merge(vec![item("b", "t"), item("a", "t")]);
        assert_eq!(ids(&x), ids(&y));
    }

    #[test]
    fn filters_and_widget_choices() {
        let mut c = Conversations::default();
        let mut closed = item("a", "1");
        closed.status = "closed".into();
        closed.widget_id = "w2".into();
        let mut open = item("b", "2");
        open.widget_id = "w1".into();
        c.merge(vec![closed, open]);
        let f = Filter::default();
        assert_eq!(c.visible(&f, "me").map(|i| i.id.as_str()).collect::<Vec<_>>(), ["b"]);
        assert_eq!(c.widget_ids(), ["w1", "w2"]);
    }

    #[test]
    fn opening_marks_read() {
        let mut c = Conversations::default();
        let mut a = item("a", "1");
        a.unread_count = 3;
        c.upsert(a);
        assert!(c.mark_read("a"));
        assert!(!c.mark_read("a"));
        assert_eq!(c.get("a").unwrap().unread_count, 0);
    }
}
