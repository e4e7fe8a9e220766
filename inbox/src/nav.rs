//! Keyboard-first navigation, without the DOM: which key does what, and where the list's cursor goes.
//!
//! `j`/`k` (or the arrow keys) move the cursor through the visible conversations, Enter opens the one under it,
//! `t` takes the open one over, Esc leaves the composer, or else closes the open conversation. Letters do nothing
//! while a text field has focus (they are typing), except Esc.

/// What a key press asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Put the cursor on this conversation.
    MoveTo(String),
    /// Open this conversation.
    Open(String),
    /// Take the open conversation over.
    TakeOver,
    /// Leave the composer (focus returns to the list).
    LeaveComposer,
    /// Close the open conversation.
    Close,
}

/// Where the keyboard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// In a text field (the composer, the sign-in form).
    TextField,
    /// Anywhere else.
    Elsewhere,
}

/// The command for `key` (a `KeyboardEvent.key`), given the visible conversation ids in list order, the cursor and
/// the open conversation. `None`: the key is the browser's (no modifier keys reach here: the caller drops them).
pub fn command(key: &str, focus: Focus, visible: &[&str], cursor: Option<&str>, open: Option<&str>) -> Option<Command> {
    if key == "Escape" {
        return match (focus, open) {
            (Focus::TextField, _) => Some(Command::LeaveComposer),
            (Focus::Elsewhere, Some(_)) => Some(Command::Close),
            (Focus::Elsewhere, None) => None,
        };
    }
    if focus == Focus::TextField {
        return None;
    }
    match key {
        "j" | "ArrowDown" => step(visible, cursor.or(open), 1).map(Command::MoveTo),
        "k" | "ArrowUp" => step(visible, cursor.or(open), -1).map(Command::MoveTo),
        "Enter" => cursor.filter(|c| visible.contains(c)).map(|c| Command::Open(c.to_owned())),
        "t" => open.map(|_| Command::TakeOver),
        _ => None,
    }
}

/// The id `delta` places from `from` in `visible`, stopping at the ends; from nowhere (or a conversation filtered
/// out of view), the first.
pub fn step(visible: &[&str], from: Option<&str>, delta: isize) -> Option<String> {
    let last = visible.len().checked_sub(1)?;
    let at = match from.and_then(|f| visible.iter().position(|v| *v == f)) {
        None => 0,
        Some(i) => i.saturating_add_signed(delta).min(last),
    };
    Some(visible[at].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: [&str; 3] = ["a", "b", "c"];

    fn cmd(key: &str, cursor: Option<&str>, open: Option<&str>) -> Option<Command> {
        command(key, Focus::Elsewhere, &LIST, cursor, open)
    }

    #[test]
    fn j_and_k_move_and_stop_at_the_ends() {
        assert_eq!(cmd("j", None, None), Some(Command::MoveTo("a".into())));
        assert_eq!(cmd("j", Some("a"), None), Some(Command::MoveTo("b".into())));
        assert_eq!(cmd("j", Some("c"), None), Some(Command::MoveTo("c".into())));
        assert_eq!(cmd("k", Some("b"), None), Some(Command::MoveTo("a".into())));
        assert_eq!(cmd("k", Some("a"), None), Some(Command::MoveTo("a".into())));
        assert_eq!(cmd("ArrowDown", Some("a"), None), Some(Command::MoveTo("b".into())));
    }

    #[test]
    fn moving_starts_from_the_open_conversation_without_a_cursor() {
        assert_eq!(cmd("j", None, Some("b")), Some(Command::MoveTo("c".into())));
    }

    #[test]
    fn a_cursor_filtered_out_of_view_restarts_at_the_top() {
        assert_eq!(cmd("j", Some("gone"), None), Some(Command::MoveTo("a".into())));
        assert_eq!(cmd("Enter", Some("gone"), None), None);
    }

    #[test]
    fn nothing_to_move_through() {
        assert_eq!(command("j", Focus::Elsewhere, &[], None, None), None);
    }

    #[test]
    fn enter_opens_and_t_takes_over_the_open_one() {
        assert_eq!(cmd("Enter", Some("b"), None), Some(Command::Open("b".into())));
        assert_eq!(cmd("t", Some("b"), Some("a")), Some(Command::TakeOver));
        assert_eq!(cmd("t", Some("b"), None), None);
    }

    #[test]
    fn escape_leaves_the_composer_then_closes() {
        assert_eq!(command("Escape", Focus::TextField, &LIST, None, Some("a")), Some(Command::LeaveComposer));
        assert_eq!(cmd("Escape", None, Some("a")), Some(Command::Close));
        assert_eq!(cmd("Escape", None, None), None);
    }

    #[test]
    fn letters_type_in_text_fields() {
        for key in ["j", "k", "t", "Enter"] {
            assert_eq!(command(key, Focus::TextField, &LIST, Some("a"), Some("a")), None, "{key}");
        }
    }
}
