//! Chat-completion chunks (`chat.completion.chunk`): text deltas as they come, tool calls assembled from their
//! fragments.
//!
//! A streamed tool call arrives in pieces: the first names it (`index`, `id`, `function.name`), the next ones carry
//! slices of its JSON `arguments`, cut anywhere (inside a string, a key, an escape). Pieces of one call share its
//! `index`; some servers leave `index` out, and then a piece with a new `id` starts a call and one without continues
//! the last. Calls are complete only when the stream says so (`finish_reason`, or `[DONE]`).

use serde::Deserialize;
use serde_json::Value;

/// A complete tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    /// The provider's call id (may be empty with servers that send none).
    pub id: String,
    /// The function's name.
    pub name: String,
    /// The arguments: a JSON text, as the model wrote it.
    pub arguments: String,
}

/// What one chunk could not be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    /// The provider reported an error inside the stream (`{"error": {"message": …}}`).
    #[error("the provider reported: {0}")]
    Provider(String),
    /// Not a chat-completion chunk.
    #[error("not a chat-completion chunk: {0}")]
    Malformed(String),
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    delta: Option<Delta>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<CallPiece>,
}

#[derive(Deserialize)]
struct CallPiece {
    #[serde(default)]
    index: Option<usize>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<FunctionPiece>,
}

#[derive(Deserialize)]
struct FunctionPiece {
    #[serde(default)]
    name: Option<String>,
    /// A string slice of the arguments; a few servers send the whole arguments as an object instead.
    #[serde(default)]
    arguments: Option<Value>,
}

/// Decodes one stream's chunks.
#[derive(Debug, Default)]
pub struct ChunkDecoder {
    /// Tool calls so far, by index.
    calls: Vec<ToolCall>,
    /// A choice carried a `finish_reason`: the answer is complete even if `[DONE]` never comes.
    finished: bool,
}

impl ChunkDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        ChunkDecoder::default()
    }

    /// Decodes one event's data (not `[DONE]`); returns its text, possibly empty.
    ///
    /// # Errors
    /// [`ChunkError::Provider`] for an error object, [`ChunkError::Malformed`] for anything but a chunk.
    pub fn push(&mut self, data: &str) -> Result<String, ChunkError> {
        let value: Value = serde_json::from_str(data).map_err(|_| ChunkError::Malformed(snippet(data)))?;
        if let Some(error) = value.get("error") {
            return Err(ChunkError::Provider(error_message(error)));
        }
        let chunk: Chunk = serde_json::from_value(value).map_err(|_| ChunkError::Malformed(snippet(data)))?;
        let mut text = String::new();
        // Only the first choice is read: we never ask for more (`n` is 1).
        if let Some(choice) = chunk.choices.into_iter().next() {
            if let Some(delta) = choice.delta {
                text = delta.content.unwrap_or_default();
                for piece in delta.tool_calls {
                    self.add(piece);
                }
            }
            if choice.finish_reason.is_some() {
                self.finished = true;
            }
        }
        Ok(text)
    }

    /// Whether the provider said the answer is complete (a `finish_reason`).
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The complete tool calls, in order; calls without a name are dropped.
    pub fn into_calls(self) -> Vec<ToolCall> {
        self.calls.into_iter().filter(|c| !c.name.is_empty()).collect()
    }

    fn add(&mut self, piece: CallPiece) {
        let id = piece.id.filter(|id| !id.is_empty());
        let index = match piece.index {
            Some(i) => i,
            // Without indexes: a new id starts a call, anything else continues the last one.
            None => match &id {
                Some(id) if self.calls.last().is_none_or(|c| !c.id.is_empty() && c.id != *id) => self.calls.len(),
                _ => self.calls.len().saturating_sub(1),
            },
        };
        // Indexes are small and dense in practice; a huge one is a broken server, not a reason to allocate.
        if index > self.calls.len() + 16 {
            return;
        }
        while self.calls.len() <= index {
            self.calls.push(ToolCall { id: String::new(), name: String::new(), arguments: String::new() });
        }
        let call = &mut self.calls[index];
        if let Some(id) = id {
            call.id = id;
        }
        if let Some(f) = piece.function {
            if let Some(name) = f.name {
                call.name.push_str(&name);
            }
            match f.arguments {
                Some(Value::String(s)) => call.arguments.push_str(&s),
                Some(Value::Null) | None => {}
                Some(other) => call.arguments.push_str(&other.to_string()),
            }
        }
    }
}

/// The message of an OpenAI-style error object (`{"message": …}`), or the object itself.
pub fn error_message(error: &Value) -> String {
    match error {
        Value::String(s) => snippet(s),
        other => snippet(other.get("message").and_then(Value::as_str).unwrap_or(&other.to_string())),
    }
}

/// At most 200 characters of `text`, for logs.
pub fn snippet(text: &str) -> String {
    let mut out: String = text.chars().take(200).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_chunk(s: &str) -> String {
        serde_json::json!({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": s}}]})
            .to_string()
    }

    #[test]
    fn text_deltas_come_out_as_they_arrive() {
        let mut d = ChunkDecoder::new();
        assert_eq!(d.push(r#"{"choices":[{"delta":{"role":"assistant"}}]}"#).unwrap(), "");
        assert_eq!(d.push(&text_chunk("Hel")).unwrap(), "Hel");
        assert_eq!(d.push(&text_chunk("lo")).unwrap(), "lo");
        assert!(!d.finished());
        assert_eq!(d.push(r#"{"choices":[{"delta":{},"finish_reason":"stop"}]}"#).unwrap(), "");
        assert!(d.finished());
        assert_eq!(d.push(r#"{"choices":[],"usage":{"total_tokens":9}}"#).unwrap(), "", "usage chunks are fine");
        assert!(d.into_calls().is_empty());
    }

    #[test]
    fn tool_call_arguments_are_joined_across_chunks() {
        let mut d = ChunkDecoder::new();
        let pieces = [
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"show_products","arguments":""}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"qu"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ery\": \"jack"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"et\", \"max_price\": \"150\"}"}}]}}]}"#,
            r#"{"choices":[{"delta":{},"finish_reason":"tool_calls"}]}"#,
        ];
        for p in pieces {
            assert_eq!(d.push(p).unwrap(), "");
        }
        assert!(d.finished());
        let calls = d.into_calls();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].id, "call_1");
        assert_eq!(calls[0].name, "show_products");
        let args: Value = serde_json::from_str(&calls[0].arguments).unwrap();
        assert_eq!(args, serde_json::json!({"query": "jacket", "max_price": "150"}));
    }

    #[test]
    fn calls_without_indexes_and_with_object_arguments() {
        let mut d = ChunkDecoder::new();
        d.push(r#"{"choices":[{"delta":{"tool_calls":[{"id":"a","function":{"name":"one","arguments":"{\"x\""}}]}}]}"#)
            .unwrap();
        d.push(r#"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":":1}"}}]}}]}"#).unwrap();
        d.push(r#"{"choices":[{"delta":{"tool_calls":[{"id":"b","function":{"name":"two","arguments":{"y":2}}}]}}]}"#)
            .unwrap();
        let calls = d.into_calls();
        assert_eq!(calls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["one", "two"]);
        assert_eq!(calls[0].arguments, r#"{"x":1}"#);
        assert_eq!(calls[1].arguments, r#"{"y":2}"#);
    }

    #[test]
    fn errors_in_the_stream() {
        let mut d = ChunkDecoder::new();
        assert_eq!(
            d.push(r#"{"error":{"message":"model not loaded","type":"server_error"}}"#),
            Err(ChunkError::Provider("model not loaded".into()))
        );
        assert_eq!(d.push(r#"{"error":"overloaded"}"#), Err(ChunkError::Provider("overloaded".into())));
        assert!(matches!(d.push("<html>502 Bad Gateway</html>"), Err(ChunkError::Malformed(_))));
        assert!(matches!(d.push(r#"{"choices":"nope"}"#), Err(ChunkError::Malformed(_))));
    }

    #[test]
    fn snippets_are_bounded() {
        assert_eq!(snippet("short"), "short");
        assert_eq!(snippet(&"é".repeat(300)).chars().count(), 201);
    }
}
