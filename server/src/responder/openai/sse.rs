//! The `data:` payloads of a server-sent event stream, from bytes that arrive cut anywhere.
//!
//! Chat-completion streams are SSE: events separated by a blank line, each with one or more `data:` lines (joined
//! with `\n`), comments (`: keep-alive`) and fields we have no use for (`event:`, `id:`, `retry:`). Network reads cut
//! the stream at arbitrary bytes, mid-line and mid-character, so bytes are buffered until a line is complete. Lines
//! end in `\n` or `\r\n`.

/// Longest line accepted: a chat-completion chunk is a few hundred bytes; a provider sending megabytes without a
/// newline is broken, and must not grow our memory without bound.
pub const MAX_LINE: usize = 1 << 20;

/// The stream broke the SSE format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an SSE line longer than {MAX_LINE} bytes")]
pub struct LineTooLong;

/// Incremental SSE parser: feed it bytes, get complete events' data.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of the line being received.
    line: Vec<u8>,
    /// `data:` lines of the event being received.
    data: Vec<String>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        SseParser::default()
    }

    /// Feeds `bytes`; returns the data of every event they complete, in order.
    ///
    /// # Errors
    /// [`LineTooLong`] when a line exceeds [`MAX_LINE`].
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<String>, LineTooLong> {
        let mut events = Vec::new();
        let mut rest = bytes;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..i]);
            rest = &rest[i + 1..];
            if self.line.len() > MAX_LINE {
                return Err(LineTooLong);
            }
            let line = std::mem::take(&mut self.line);
            if let Some(data) = self.line_done(&line) {
                events.push(data);
            }
        }
        self.line.extend_from_slice(rest);
        if self.line.len() > MAX_LINE {
            return Err(LineTooLong);
        }
        Ok(events)
    }

    /// The data of an event left unterminated when the stream ended (a server that does not send the final blank
    /// line), if any.
    pub fn finish(&mut self) -> Option<String> {
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            if let Some(data) = self.line_done(&line) {
                return Some(data);
            }
        }
        self.dispatch()
    }

    /// Handles one complete line (without its `\n`); returns an event's data when the line ends one.
    fn line_done(&mut self, line: &[u8]) -> Option<String> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return self.dispatch();
        }
        // A line is whole, so it is whole UTF-8 from any correct server; a broken one gets replacement characters,
        // which then fail as JSON, not here.
        let line = String::from_utf8_lossy(line);
        if let Some(value) = line.strip_prefix("data:") {
            self.data.push(value.strip_prefix(' ').unwrap_or(value).to_owned());
        } else if line == "data" {
            self.data.push(String::new());
        }
        // Comments (`:`) and other fields are ignored.
        None
    }

    /// Ends the current event: its data, or nothing for an event without `data:` lines.
    fn dispatch(&mut self) -> Option<String> {
        if self.data.is_empty() {
            return None;
        }
        Some(std::mem::take(&mut self.data).join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event of `stream` fed in pieces of `size` bytes.
    fn parse_in_pieces(stream: &[u8], size: usize) -> Vec<String> {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for piece in stream.chunks(size) {
            events.extend(parser.push(piece).expect("valid"));
        }
        events.extend(parser.finish());
        events
    }

    #[test]
    fn events_survive_any_cut() {
        let stream =
            "data: {\"a\":\"héllo\"}\n\n: keep-alive\n\nevent: x\nid: 3\ndata: {\"b\":1}\r\n\r\ndata: [DONE]\n\n";
        let expected = ["{\"a\":\"héllo\"}", "{\"b\":1}", "[DONE]"];
        for size in 1..=stream.len() {
            assert_eq!(parse_in_pieces(stream.as_bytes(), size), expected, "pieces of {size} bytes");
        }
    }

    #[test]
    fn multi_line_data_is_joined_and_spaces_kept() {
        assert_eq!(parse_in_pieces(b"data:a\ndata:  b\ndata\n\n", 4), ["a\n b\n"]);
    }

    #[test]
    fn a_last_event_without_its_blank_line_is_kept() {
        assert_eq!(parse_in_pieces(b"data: [DONE]", 5), ["[DONE]"]);
        assert_eq!(parse_in_pieces(b"data: x\n", 5), ["x"]);
        assert!(parse_in_pieces(b": only a comment\n\n", 3).is_empty());
    }

    #[test]
    fn endless_lines_are_refused() {
        let mut parser = SseParser::new();
        let big = vec![b'x'; MAX_LINE / 2 + 1];
        assert!(parser.push(&big).is_ok());
        assert_eq!(parser.push(&big), Err(LineTooLong));
    }
}
