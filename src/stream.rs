//! Reduces a UI message stream (v1) into the assistant message it describes.
//!
//! Pure logic: bytes in, [`StreamUpdate`]s out. The widget applies each update to one message's signals, so a delta
//! touches one text node and never the rest of the transcript.

use quincer_protocol::products::{ProductPanel, SHOW_PRODUCTS};

pub use crate::json::Chunk;
use crate::sse::SseParser;

/// What a piece of the stream changed.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamUpdate {
    /// The server named the message (the id it is stored under).
    Started(String),
    /// Text to append to the message.
    Text(String),
    /// A product panel to show under the text.
    Products(ProductPanel),
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
    /// Ids of `show_products` calls seen, whose outputs are panels.
    product_calls: Vec<String>,
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
                // An interface key: the widget shows it in the visitor's language (see `crate::i18n`).
                None => self.fail("error.unreadable".into()),
            };
            updates.extend(update);
        }
        updates
    }

    /// Applies one decoded chunk.
    pub fn apply(&mut self, chunk: Chunk) -> Option<StreamUpdate> {
        match chunk {
            Chunk::ToolCall { call_id, tool_name } => {
                if tool_name == SHOW_PRODUCTS {
                    self.product_calls.push(call_id);
                }
                None
            }
            Chunk::ToolResult { call_id, panel } => {
                // Outputs of other tools, and panels without a card, show nothing.
                // Handed on, not kept: the message owns its panel (and cloning one would cost wasm bytes).
                let panel = panel.filter(|p| !p.products.is_empty() && self.product_calls.contains(&call_id))?;
                Some(StreamUpdate::Products(panel))
            }
            Chunk::Start(message_id) => {
                let id = message_id?;
                self.message_id = Some(id.clone());
                Some(StreamUpdate::Started(id))
            }
            Chunk::TextStart(id) => {
                // A second text part reads as a new paragraph.
                let sep = (!self.text.is_empty()).then(|| "\n\n".to_owned());
                self.open_part = Some(id);
                sep.map(|s| {
                    self.text.push_str(&s);
                    StreamUpdate::Text(s)
                })
            }
            Chunk::TextDelta(id, delta) => {
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
            Chunk::TextEnd => {
                self.open_part = None;
                None
            }
            Chunk::Error(error_text) => self.fail(error_text),
            Chunk::Finish => {
                self.finished = true;
                Some(StreamUpdate::Finished)
            }
            Chunk::Other => None,
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
    fn a_show_products_output_becomes_a_panel() {
        let s = concat!(
            "data: {\"type\":\"tool-input-available\",\"toolCallId\":\"c1\",\"toolName\":\"show_products\",\"input\":{\"query\":\"jacket\"}}\n\n",
            "data: {\"type\":\"tool-input-available\",\"toolCallId\":\"c2\",\"toolName\":\"weather\",\"input\":{}}\n\n",
            "data: {\"type\":\"tool-output-available\",\"toolCallId\":\"c2\",\"output\":{\"currency\":\"USD\",\"products\":[]}}\n\n",
            "data: {\"type\":\"tool-output-available\",\"toolCallId\":\"c1\",\"output\":{\"currency\":\"USD\",\"products\":[{\"id\":1,\"title\":\"Shell\",\"url\":\"https://s.test/p\",\"variants\":[{\"id\":2,\"title\":\"M\",\"price\":\"99.00\",\"available\":true}]}]}}\n\n",
            "data: {\"type\":\"finish\"}\n\n",
        );
        let mut r = StreamReducer::new();
        let updates = r.push_bytes(s.as_bytes());
        let panels: Vec<_> = updates
            .into_iter()
            .filter_map(|u| match u {
                StreamUpdate::Products(p) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(panels.len(), 1, "only the show_products call's output is a panel");
        assert_eq!(panels[0].products[0].variants[0].price, "99.00");
        assert!(r.error.is_none() && r.finished);
    }

    #[test]
    fn an_unreadable_or_unannounced_panel_shows_nothing() {
        let mut r = StreamReducer::new();
        let s = "data: {\"type\":\"tool-output-available\",\"toolCallId\":\"x\",\"output\":{\"currency\":\"USD\",\"products\":[{\"id\":1,\"title\":\"a\",\"url\":\"https://s\",\"variants\":[]}]}}\n\n";
        assert!(r.push_bytes(s.as_bytes()).is_empty());
        let s = "data: {\"type\":\"tool-input-available\",\"toolCallId\":\"y\",\"toolName\":\"show_products\",\"input\":{}}\n\ndata: {\"type\":\"tool-output-available\",\"toolCallId\":\"y\",\"output\":\"oops\"}\n\n";
        assert!(r.push_bytes(s.as_bytes()).is_empty());
        assert!(r.error.is_none());
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
