//! An incremental Server-Sent Events parser.
//!
//! Network chunks split a stream anywhere, even inside a multi-byte UTF-8 character, so the parser buffers bytes
//! and only decodes complete lines. It follows the HTML spec's event-stream rules that matter to us: `\n`, `\r\n`
//! and `\r` line ends, `data:` lines joined by `\n`, comments (`:`) ignored, a blank line dispatching the event.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, if one was given.
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The last `id:` seen in the stream so far (the spec's "last event ID": it carries over to later events).
    pub id: Option<String>,
}

/// Feeds on bytes, yields events.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of the line being received.
    line: Vec<u8>,
    /// The previous chunk ended in `\r`: a `\n` starting the next chunk belongs to that line end.
    after_cr: bool,
    /// Data lines of the event being built.
    data: Option<String>,
    /// `event:` field of the event being built.
    event: Option<String>,
    /// The last event id.
    last_id: Option<String>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes the next bytes of the stream and returns the events they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        for &b in bytes {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(ev) = self.take_line(&line) {
                        events.push(ev);
                    }
                }
                _ => self.line.push(b),
            }
        }
        events
    }

    /// Processes one complete line; a blank line dispatches the pending event.
    fn take_line(&mut self, line: &[u8]) -> Option<SseEvent> {
        if line.is_empty() {
            let data = self.data.take()?;
            return Some(SseEvent { event: self.event.take(), data, id: self.last_id.clone() });
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.find(':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (&line[..], ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "event" => self.event = Some(value.to_owned()),
            // Per the spec, an id containing NUL is ignored.
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            _ => {} // `retry:` does not matter: the widget schedules its own reconnects.
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(input: &[u8]) -> Vec<SseEvent> {
        SseParser::new().push(input)
    }

    fn data(events: &[SseEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn parses_data_events() {
        let evs = parse_all(b"data: {\"a\":1}\n\ndata: [DONE]\n\n");
        assert_eq!(data(&evs), ["{\"a\":1}", "[DONE]"]);
    }

    #[test]
    fn joins_multi_line_data_and_reads_event_names() {
        let evs = parse_all(b"event: agent\ndata: one\ndata:two\n\n");
        assert_eq!(evs, [SseEvent { event: Some("agent".into()), data: "one\ntwo".into(), id: None }]);
    }

    #[test]
    fn handles_every_line_ending_and_comments() {
        let evs = parse_all(b": keep-alive\r\ndata: a\r\n\r\ndata: b\r\rdata: c\n\n");
        assert_eq!(data(&evs), ["a", "b", "c"]);
    }

    #[test]
    fn waits_for_the_blank_line() {
        let mut p = SseParser::new();
        assert!(p.push(b"data: partial\n").is_empty());
        assert_eq!(data(&p.push(b"\n")), ["partial"]);
    }

    #[test]
    fn same_events_whatever_the_split() {
        let stream =
            "data: {\"delta\":\"héllo 👋\"}\r\n\r\n: c\n\nevent: x\ndata: ü\ndata: 2\n\ndata: [DONE]\n\n".as_bytes();
        let whole = parse_all(stream);
        assert_eq!(whole.len(), 3);
        for i in 0..=stream.len() {
            for j in i..=stream.len() {
                let mut p = SseParser::new();
                let mut evs = p.push(&stream[..i]);
                evs.extend(p.push(&stream[i..j]));
                evs.extend(p.push(&stream[j..]));
                assert_eq!(evs, whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn ids_carry_over_to_later_events() {
        let evs = parse_all(b"retry: 3000\n\nid: 7\nevent: takeover\ndata: {}\n\ndata: x\n\nid: 8\ndata: y\n\n");
        let ids: Vec<Option<&str>> = evs.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, [Some("7"), Some("7"), Some("8")]);
        assert_eq!(evs[0].event.as_deref(), Some("takeover"));
    }

    #[test]
    fn events_without_data_are_dropped() {
        assert!(parse_all(b"event: ping\n\n").is_empty());
    }
}
