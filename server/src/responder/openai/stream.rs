//! A streamed chat completion, read as [`ReplyEvent`]s: [`OpenAiResponder`].
//!
//! The answer is complete at `data: [DONE]`, or when the body ends after a chunk with a `finish_reason` (some
//! servers omit `[DONE]`); a body that ends before either was cut off, and is an error. Each read waits at most the
//! configured timeout, so a provider that stalls mid-answer ends it with an error instead of holding the visitor.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::stream::{self, BoxStream};
use futures_util::StreamExt;
use quincer_protocol::products::SHOW_PRODUCTS;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;

use super::chunks::{ChunkDecoder, ChunkError, ToolCall};
use super::sse::SseParser;
use super::{request, tool, Provider, ProviderError};
use crate::responder::{DeltaStream, ReplyContext, ReplyEvent, Responder, ResponderError};

/// What a streamed answer yields: text as it comes, tool calls once complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// More text.
    Text(String),
    /// A complete tool call.
    Call(ToolCall),
}

/// A streamed answer being read.
pub struct ChatStream {
    body: BoxStream<'static, reqwest::Result<Bytes>>,
    sse: SseParser,
    decoder: ChunkDecoder,
    /// Longest wait for the next bytes.
    idle: Duration,
    /// `[DONE]` (or the end after a `finish_reason`) was read.
    done: bool,
}

impl ChatStream {
    /// Reads `body`, waiting at most `idle` between two reads.
    pub fn new(body: BoxStream<'static, reqwest::Result<Bytes>>, idle: Duration) -> ChatStream {
        ChatStream { body, sse: SseParser::new(), decoder: ChunkDecoder::new(), idle, done: false }
    }

    /// The pieces of the next read (possibly none); `None` once the answer is complete.
    ///
    /// # Errors
    /// A stall longer than the idle timeout, a broken connection, a chunk that is not one, an error reported in the
    /// stream, or a stream cut off before its end.
    pub async fn next(&mut self) -> Result<Option<Vec<Piece>>, ProviderError> {
        if self.done {
            return Ok(None);
        }
        let read =
            tokio::time::timeout(self.idle, self.body.next()).await.map_err(|_| ProviderError::Timeout(self.idle))?;
        let (events, ended) = match read {
            Some(Ok(bytes)) => (self.sse.push(&bytes).map_err(|e| ProviderError::Malformed(e.to_string()))?, false),
            Some(Err(e)) => return Err(ProviderError::from_reqwest(&e, self.idle)),
            None => (self.sse.finish().into_iter().collect(), true),
        };
        let mut out = Vec::new();
        for data in events {
            if data.trim() == "[DONE]" {
                self.done = true;
                break;
            }
            let text = self.decoder.push(&data).map_err(|e| match e {
                ChunkError::Provider(message) => ProviderError::Reported(message),
                ChunkError::Malformed(data) => ProviderError::Malformed(data),
            })?;
            if !text.is_empty() {
                out.push(Piece::Text(text));
            }
        }
        if ended && !self.done {
            if !self.decoder.finished() {
                return Err(ProviderError::Malformed("the stream ended before [DONE]".into()));
            }
            self.done = true;
        }
        if self.done {
            out.extend(std::mem::take(&mut self.decoder).into_calls().into_iter().map(Piece::Call));
        }
        Ok(Some(out))
    }
}

impl Provider {
    /// Starts a streamed chat completion of `body` (which must ask for `"stream": true`).
    ///
    /// # Errors
    /// Connection failures, a timeout before the response headers, a non-2xx answer.
    pub async fn stream_chat(&self, body: &Value) -> Result<ChatStream, ProviderError> {
        let req = self.post_json("/chat/completions", body).header(ACCEPT, "text/event-stream");
        let resp = self.send(req).await?;
        let json = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json"));
        if json {
            // A server that ignored `stream` answered with the whole completion: read it as one chunk.
            let body = self.read_body(resp).await?;
            let chunk = as_chunk(&body)?;
            let events = format!("data: {chunk}\n\ndata: [DONE]\n\n");
            return Ok(ChatStream::new(stream::iter([Ok(Bytes::from(events))]).boxed(), self.config.timeout));
        }
        Ok(ChatStream::new(resp.bytes_stream().boxed(), self.config.timeout))
    }
}

/// A whole `chat.completion` (or error) body as one streamed chunk: `message` becomes `delta`.
fn as_chunk(body: &[u8]) -> Result<Value, ProviderError> {
    let mut json: Value = serde_json::from_slice(body)
        .map_err(|_| ProviderError::Malformed(super::chunks::snippet(&String::from_utf8_lossy(body))))?;
    if let Some(choices) = json.get_mut("choices").and_then(Value::as_array_mut) {
        for choice in choices {
            if let Some(message) = choice.get_mut("message").map(Value::take) {
                // Whole tool calls have no `index`; give them their position, as streamed pieces would have.
                let mut delta = message;
                if let Some(calls) = delta.get_mut("tool_calls").and_then(Value::as_array_mut) {
                    for (i, call) in calls.iter_mut().enumerate() {
                        call["index"] = Value::from(i);
                    }
                }
                choice["delta"] = delta;
            }
            if choice.get("finish_reason").is_none_or(Value::is_null) {
                choice["finish_reason"] = Value::from("stop");
            }
        }
    }
    Ok(json)
}

/// Answers with a model of the configured provider.
pub struct OpenAiResponder {
    provider: Arc<Provider>,
    model: String,
}

impl OpenAiResponder {
    /// Answers with `model` (an id of the provider's).
    pub fn new(provider: Arc<Provider>, model: impl Into<String>) -> OpenAiResponder {
        OpenAiResponder { provider, model: model.into() }
    }
}

impl Responder for OpenAiResponder {
    fn reply(&self, ctx: ReplyContext) -> DeltaStream {
        let body = request::chat_body(&self.model, &ctx, self.provider.config().tools);
        let run = Run {
            provider: self.provider.clone(),
            model: self.model.clone(),
            body: Some(body),
            stream: None,
            done: false,
            said: false,
        };
        stream::unfold(run, Run::step).flat_map(stream::iter).boxed()
    }

    fn calls_tools(&self) -> bool {
        self.provider.config().tools
    }
}

/// One answer in progress.
struct Run {
    provider: Arc<Provider>,
    model: String,
    /// The request, until it is sent.
    body: Option<Value>,
    /// The answer, once the provider accepted the request.
    stream: Option<ChatStream>,
    /// Nothing more will be yielded.
    done: bool,
    /// Some text or a panel was yielded.
    said: bool,
}

type Events = Vec<Result<ReplyEvent, ResponderError>>;

impl Run {
    /// The events of the next exchange with the provider; `None` at the end.
    async fn step(mut self) -> Option<(Events, Run)> {
        if self.done {
            return None;
        }
        let result = match (&mut self.stream, self.body.take()) {
            (Some(stream), _) => stream.next().await,
            (None, Some(body)) => match self.provider.stream_chat(&body).await {
                Ok(stream) => {
                    self.stream = Some(stream);
                    Ok(Some(Vec::new()))
                }
                Err(e) => Err(e),
            },
            (None, None) => return None,
        };
        match result {
            Ok(Some(pieces)) => {
                let events = self.events(pieces);
                Some((events, self))
            }
            Ok(None) => {
                self.done = true;
                // A model that says nothing at all would leave an empty bubble: say something went wrong instead.
                let silent = (!self.said).then(|| {
                    tracing::warn!(model = %self.model, "the model answered with no text and no products");
                    Err(ResponderError(super::UNAVAILABLE.into()))
                });
                Some((silent.into_iter().collect(), self))
            }
            Err(e) => {
                tracing::warn!(error = %e, model = %self.model, "the model provider failed");
                self.done = true;
                Some((vec![Err(ResponderError(e.visitor_message().into()))], self))
            }
        }
    }

    /// Text as text; the first `show_products` call as a panel; other calls are ignored (we offer no others).
    fn events(&mut self, pieces: Vec<Piece>) -> Events {
        let mut out = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => {
                    self.said = true;
                    out.push(Ok(ReplyEvent::Text(text)));
                }
                Piece::Call(call) if call.name == SHOW_PRODUCTS => match tool::product_search(&call.arguments) {
                    Ok(search) => {
                        self.said = true;
                        out.push(Ok(ReplyEvent::ShowProducts(search)));
                    }
                    Err(why) => {
                        tracing::warn!(model = %self.model, arguments = %call.arguments, %why, "unusable show_products call");
                        self.done = true;
                        out.push(Err(ResponderError(super::UNAVAILABLE.into())));
                        break;
                    }
                },
                Piece::Call(call) => {
                    tracing::warn!(model = %self.model, tool = %call.name, "the model called an unknown tool")
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(pieces: &[&str]) -> ChatStream {
        let items: Vec<reqwest::Result<Bytes>> = pieces.iter().map(|p| Ok(Bytes::from(p.to_string()))).collect();
        ChatStream::new(stream::iter(items).boxed(), Duration::from_secs(1))
    }

    async fn read_all(mut s: ChatStream) -> Result<Vec<Piece>, ProviderError> {
        let mut out = Vec::new();
        while let Some(pieces) = s.next().await? {
            out.extend(pieces);
        }
        Ok(out)
    }

    const HELLO: &str = r#"data: {"choices":[{"delta":{"content":"Hello"}}]}"#;

    #[tokio::test]
    async fn text_then_done() {
        let s = stream_of(&[HELLO, "\n\n", "data: [DO", "NE]\n\n", "data: {\"ignored\": true}\n\n"]);
        assert_eq!(read_all(s).await.unwrap(), [Piece::Text("Hello".into())]);
    }

    #[tokio::test]
    async fn a_finish_reason_is_an_end_without_done() {
        let s = stream_of(&[HELLO, "\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}"]);
        assert_eq!(read_all(s).await.unwrap(), [Piece::Text("Hello".into())]);
    }

    #[tokio::test]
    async fn a_cut_off_stream_is_an_error() {
        let err = read_all(stream_of(&[HELLO, "\n\n"])).await.unwrap_err();
        assert!(matches!(err, ProviderError::Malformed(_)), "{err}");
    }

    #[tokio::test]
    async fn a_stall_is_a_timeout() {
        let body = stream::iter([Ok(Bytes::from(format!("{HELLO}\n\n")))]).chain(stream::pending()).boxed();
        let mut s = ChatStream::new(body, Duration::from_millis(50));
        assert_eq!(s.next().await.unwrap(), Some(vec![Piece::Text("Hello".into())]));
        assert!(matches!(s.next().await, Err(ProviderError::Timeout(_))));
    }

    #[tokio::test]
    async fn errors_reported_in_the_stream() {
        let err = read_all(stream_of(&["data: {\"error\":{\"message\":\"boom\"}}\n\n"])).await.unwrap_err();
        assert!(matches!(&err, ProviderError::Reported(m) if m == "boom"), "{err}");
    }

    #[test]
    fn whole_completions_become_one_chunk() {
        let body = br#"{"choices":[{"message":{"role":"assistant","content":"Hi","tool_calls":[{"id":"c","function":{"name":"show_products","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"#;
        let chunk = as_chunk(body).unwrap();
        let mut d = ChunkDecoder::new();
        assert_eq!(d.push(&chunk.to_string()).unwrap(), "Hi");
        assert!(d.finished());
        assert_eq!(d.into_calls()[0].name, "show_products");
    }
}
