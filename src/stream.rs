//! Reduces a UI message stream (v1) into the assistant message it describes.
//!
//! Pure logic: bytes in, [`StreamUpdate`]s out. The widget applies each update to one message's signals, so a delta
//! touches one text node and never the rest of the transcript.

use quincer_protocol::chat::UiChunk;

use crate::sse::SseParser;

/// What a piece of the stream changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamUpdate {
    /// The server named the message (the id it is stored under).
    Started(String),
    /// Text to append to the message.
    Text(String),
    /// The stream reported an error, in words fit for the visitor.
    Error(String),
    /// The message is complete.
    Finished,
}

/// The assistant message a stream has built so far.
#[derive(Debug, Default)]
pub struct StreamReducer {
    parser: SseParser,
    /// Id of the message, once `start` gave one.
    pub message_id: Option<String>,
    /// Text received so far.
    pub text: String,
    /// Id of the text part being received.
    open_part: Option<String>,
    /// `finish` arrived.
    pub finished: bool,
    /// `[DONE]` arrived: nothing more will come.
    pub done: bool,
    /// The stream's error, if any.
    pub error: Option<String>,
}

impl StreamReducer {
    /// A reducer at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes raw response bytes.
    pub fn push_bytes(&mut self, bytes: &[u8]) -> Vec<StreamUpdate> {
        let mut updates = Vec::new();
        for event in self.parser.push(bytes) {
            if event.data == "[DONE]" {
                self.done = true;
                continue;
            }
            let update = match crate::json::chunk(&event.data) {
                Some(chunk) => self.apply(chunk),
                None => self.fail("The reply could not be read. Please try again.".into()),
            };
            updates.extend(update);
        }
        updates
    }

    /// Applies one decoded chunk.
    pub fn apply(&mut self, chunk: UiChunk) -> Option<StreamUpdate> {
        match chunk {
            UiChunk::Start { message_id } => {
                let id = message_id?;
                self.message_id = Some(id.clone());
                Some(StreamUpdate::Started(id))
            }
            UiChunk::TextStart { id } => {
                // A second text part reads as a new paragraph.
                let sep = (!self.text.is_empty()).then(|| "\n\n".to_owned());
                self.open_part = Some(id);
                sep.map(|s| {
                    self.text.push_str(&s);
                    StreamUpdate::Text(s)
                })
            }
            UiChunk::TextDelta { id, delta } => {
                // Deltas for a part that was never opened are still text the visitor should see.
                if self.open_part.is_none() {
                    self.open_part = Some(id);
                }
                if delta.is_empty() {
                    return None;
                }
                self.text.push_str(&delta);
                Some(StreamUpdate::Text(delta))
            }
            UiChunk::TextEnd { .. } => {
                self.open_part = None;
                None
            }
            UiChunk::Error { error_text } => self.fail(error_text),
            UiChunk::Finish => {
                self.finished = true;
                Some(StreamUpdate::Finished)
            }
            UiChunk::Unknown => None,
        }
    }

    fn fail(&mut self, message: String) -> Option<StreamUpdate> {
        self.error = Some(message.clone());
        Some(StreamUpdate::Error(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = concat!(
        "data: {\"type\":\"start\",\"messageId\":\"msg_1\"}\n\n",
        "data: {\"type\":\"text-start\",\"id\":\"t0\"}\n\n",
        "data: {\"type\":\"text-delta\",\"id\":\"t0\",\"delta\":\"Free **shipping** \"}\n\n",
        "data: {\"type\":\"text-delta\",\"id\":\"t0\",\"delta\":\"on orders over €50 🚚\"}\n\n",
        "data: {\"type\":\"data-products\",\"data\":{\"ids\":[1,2]}}\n\n",
        "data: {\"type\":\"text-delta\",\"id\":\"t0\",\"delta\":\".\\nReturns: 30 days.\"}\n\n",
        "data: {\"type\":\"text-end\",\"id\":\"t0\"}\n\n",
        "data: {\"type\":\"finish\"}\n\n",
        "data: [DONE]\n\n",
    );

    fn reduce(chunks: &[&[u8]]) -> (StreamReducer, String) {
        let mut r = StreamReducer::new();
        let mut applied = String::new();
        for c in chunks {
            for u in r.push_bytes(c) {
                if let StreamUpdate::Text(t) = u {
                    applied.push_str(&t);
                }
            }
        }
        (r, applied)
    }

    #[test]
    fn builds_the_message() {
        let (r, applied) = reduce(&[STREAM.as_bytes()]);
        assert_eq!(r.message_id.as_deref(), Some("msg_1"));
        assert_eq!(r.text, "Free **shipping** on orders over €50 🚚.\nReturns: 30 days.");
        assert_eq!(applied, r.text);
        assert!(r.finished && r.done && r.error.is_none());
    }

    #[test]
    fn same_result_for_a_split_at_every_byte_boundary() {
        let bytes = STREAM.as_bytes();
        let (whole, _) = reduce(&[bytes]);
        for i in 0..=bytes.len() {
            let (split, applied) = reduce(&[&bytes[..i], &bytes[i..]]);
            assert_eq!(split.text, whole.text, "split at {i}");
            assert_eq!(applied, whole.text, "updates at split {i}");
            assert_eq!(split.message_id, whole.message_id);
            assert!(split.finished && split.done, "split at {i}");
        }
        // And one byte at a time.
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(reduce(&singles).0.text, whole.text);
    }

    #[test]
    fn errors_are_reported() {
        let (r, _) = reduce(&[b"data: {\"type\":\"error\",\"errorText\":\"Model unavailable\"}\n\n"]);
        assert_eq!(r.error.as_deref(), Some("Model unavailable"));
        let (r, _) = reduce(&[b"data: {not json\n\n"]);
        assert!(r.error.is_some());
    }

    #[test]
    fn a_second_text_part_is_a_new_paragraph() {
        let s = concat!(
            "data: {\"type\":\"text-start\",\"id\":\"a\"}\n\n",
            "data: {\"type\":\"text-delta\",\"id\":\"a\",\"delta\":\"one\"}\n\n",
            "data: {\"type\":\"text-end\",\"id\":\"a\"}\n\n",
            "data: {\"type\":\"text-start\",\"id\":\"b\"}\n\n",
            "data: {\"type\":\"text-delta\",\"id\":\"b\",\"delta\":\"two\"}\n\n",
        );
        assert_eq!(reduce(&[s.as_bytes()]).0.text, "one\n\ntwo");
    }
}
