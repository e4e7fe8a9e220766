//! The list's filters (widget, status, mine) and whether a conversation passes them. Filtering happens in the
//! browser, over every conversation the list and the stream delivered, so a stream event moves a conversation in or
//! out of view at once without asking the server again.

use crate::model::ConversationItem;

/// Which statuses the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Open ones: the AI or an agent is answering (not closed).
    #[default]
    Open,
    /// Only those the AI answers.
    Active,
    /// Only those a human holds.
    HumanActive,
    /// Only closed ones.
    Closed,
    /// Every status.
    All,
}

impl StatusFilter {
    /// Every choice, in the order the select lists them.
    pub const ALL: [StatusFilter; 5] =
        [StatusFilter::Open, StatusFilter::Active, StatusFilter::HumanActive, StatusFilter::Closed, StatusFilter::All];

    /// The select's value.
    pub fn value(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Active => "active",
            StatusFilter::HumanActive => "human_active",
            StatusFilter::Closed => "closed",
            StatusFilter::All => "all",
        }
    }

    /// The select's label.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Open => "Open",
            StatusFilter::Active => "AI answering",
            StatusFilter::HumanActive => "Taken over",
            StatusFilter::Closed => "Closed",
            StatusFilter::All => "All",
        }
    }

    /// The choice with `value`, else the default.
    pub fn parse(value: &str) -> StatusFilter {
        StatusFilter::ALL.into_iter().find(|s| s.value() == value).unwrap_or_default()
    }

    /// Whether `status` passes.
    pub fn allows(self, status: &str) -> bool {
        match self {
            StatusFilter::Open => status != "closed",
            StatusFilter::All => true,
            other => other.value() == status,
        }
    }
}

/// The list's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this widget's conversations.
    pub widget_id: Option<String>,
    /// Which statuses.
    pub status: StatusFilter,
    /// Only those the signed-in member holds.
    pub mine: bool,
}

impl Filter {
    /// Whether `item` passes, for the member `me`.
    pub fn matches(&self, item: &ConversationItem, me: &str) -> bool {
        self.widget_id.as_deref().is_none_or(|w| w == item.widget_id)
            && self.status.allows(&item.status)
            && (!self.mine || item.held_by(me))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HolderRef;

    fn item(widget: &str, status: &str, holder: Option<&str>) -> ConversationItem {
        ConversationItem {
            id: format!("{widget}-{status}"),
            widget_id: widget.into(),
            status: status.into(),
            holder: holder.map(|m| HolderRef { member_id: Some(m.into()), name: m.into(), ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn the_default_hides_closed_conversations() {
        let f = Filter::default();
        assert!(f.matches(&item("w", "active", None), "me"));
        assert!(f.matches(&item("w", "human_active", Some("x")), "me"));
        assert!(!f.matches(&item("w", "closed", None), "me"));
    }

    #[test]
    fn widget_status_and_mine_combine() {
        let f = Filter { widget_id: Some("w1".into()), status: StatusFilter::HumanActive, mine: true };
        assert!(f.matches(&item("w1", "human_active", Some("me")), "me"));
        assert!(!f.matches(&item("w1", "human_active", Some("other")), "me"));
        assert!(!f.matches(&item("w2", "human_active", Some("me")), "me"));
        assert!(!f.matches(&item("w1", "active", None), "me"));
    }

    #[test]
    fn statuses_parse_from_their_values() {
        for s in StatusFilter::ALL {
            assert_eq!(StatusFilter::parse(s.value()), s);
        }
        assert_eq!(StatusFilter::parse("bogus"), StatusFilter::Open);
        assert!(StatusFilter::All.allows("closed"));
    }
}
