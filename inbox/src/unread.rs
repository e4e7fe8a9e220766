//! Unread counts as the inbox shows them: the server's count (`unread_count` of each list item), except that the
//! conversation open on screen counts as read, and the total the tab's title carries.

use crate::model::ConversationItem;

/// The count shown for `item` while `open` is on screen.
pub fn shown(item: &ConversationItem, open: Option<&str>) -> u32 {
    if open == Some(item.id.as_str()) {
        0
    } else {
        item.unread_count
    }
}

/// The sum over `items` (all of them, filters aside: the title is about the whole inbox).
pub fn total<'a>(items: impl IntoIterator<Item = &'a ConversationItem>, open: Option<&str>) -> u32 {
    items.into_iter().map(|i| shown(i, open)).sum()
}

/// The tab's title: `(3) Inbox · Quincer`, or without the count at zero.
pub fn title(total: u32) -> String {
    if total == 0 {
        "Inbox · Quincer".into()
    } else {
        format!("({total}) Inbox · Quincer")
    }
}

/// What a screen reader hears for a badge: "1 unread message", "3 unread messages".
pub fn label(count: u32) -> String {
    if count == 1 {
        "1 unread message".into()
    } else {
        format!("{count} unread messages")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, unread: u32) -> ConversationItem {
        ConversationItem { id: id.into(), unread_count: unread, ..Default::default() }
    }

    #[test]
    fn the_open_conversation_counts_as_read() {
        let items = [item("a", 2), item("b", 3)];
        assert_eq!(shown(&items[0], Some("a")), 0);
        assert_eq!(shown(&items[0], Some("b")), 2);
        assert_eq!(total(&items, None), 5);
        assert_eq!(total(&items, Some("b")), 2);
    }

    #[test]
    fn titles_and_labels() {
        assert_eq!(title(0), "Inbox · Quincer");
        assert_eq!(title(4), "(4) Inbox · Quincer");
        assert_eq!(label(1), "1 unread message");
        assert_eq!(label(2), "2 unread messages");
    }
}
