//! `POST /api/chat`: the Vercel AI SDK chat request and the UI message stream (v1) it is answered with.
//!
//! The stream chunks carry exactly the fields the protocol defines: AI SDK clients validate chunks strictly, and
//! older releases reject any field they do not know. Quincer's own payloads will travel in `data-*` parts.

use serde::{Deserialize, Serialize};

/// Longest visitor message the server accepts, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Body of `POST /api/chat`, as `DefaultChatTransport` sends it, plus Quincer's `page_url`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "conv_1",
    "messages": [{"id": "msg_1", "role": "user", "parts": [{"type": "text", "text": "How long does shipping take?"}]}],
    "trigger": "submit-message",
    "page_url": "https://shop.example/",
})))]
pub struct ChatRequest {
    /// The conversation id (the AI SDK's chat id), chosen by the client: 1 to 100 letters, digits, `_` or `-`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{1,100}$"))]
    pub id: String,
    /// The conversation as the client knows it; the server only takes the newest user message from it.
    pub messages: Vec<UiMessage>,
    /// `submit-message` (default) or `regenerate-message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// For `regenerate-message`: the assistant message to replace.
    #[serde(default, rename = "messageId", skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The page the visitor is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The persona the widget shows; a new conversation is recorded with it (else it is chosen from `page_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona_id: Option<String>,
    /// The visitor's language, a BCP 47 tag (the widget's locale, or the host page's `setLocale`): agents' replies
    /// are translated into it when the server has a model provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// An AI SDK `UIMessage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UiMessage {
    /// Message id, chosen by whoever created the message: 1 to 100 letters, digits, `_` or `-`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{1,100}$"))]
    pub id: String,
    /// `user`, `assistant` or `system`.
    #[cfg_attr(feature = "openapi", schema(example = "user"))]
    pub role: String,
    /// Content parts; only text parts carry what the server reads.
    #[serde(default)]
    pub parts: Vec<UiPart>,
}

impl UiMessage {
    /// A user message made of one text part.
    pub fn user_text(id: impl Into<String>, text: impl Into<String>) -> Self {
        UiMessage { id: id.into(), role: "user".into(), parts: vec![UiPart::Text { text: text.into() }] }
    }

    /// The message's text parts, joined.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            if let UiPart::Text { text } = part {
                out.push_str(text);
            }
        }
        out
    }
}

/// One part of a `UIMessage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum UiPart {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// Any part type this version does not read (files, tools, reasoning, data…): accepted and ignored.
    #[serde(other)]
    Other,
}

/// One chunk of the UI message stream v1, sent as an SSE `data:` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum UiChunk {
    /// A new assistant message starts.
    Start {
        /// The id the message is stored under (so a restored transcript matches).
        #[serde(rename = "messageId", default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
    },
    /// A text part starts.
    TextStart {
        /// Part id, repeated by its deltas.
        id: String,
    },
    /// More text for an open text part.
    TextDelta {
        /// Part id.
        id: String,
        /// Text to append.
        delta: String,
    },
    /// A text part is complete.
    TextEnd {
        /// Part id.
        id: String,
    },
    /// A tool call with its complete input (Quincer's generative UI: `show_products`).
    ToolInputAvailable {
        /// Tool call id, repeated by its output.
        #[serde(rename = "toolCallId")]
        tool_call_id: String,
        /// The tool's name ([`crate::products::SHOW_PRODUCTS`]).
        #[serde(rename = "toolName")]
        tool_name: String,
        /// The tool's input.
        input: serde_json::Value,
    },
    /// A tool call's result: for `show_products`, a [`crate::products::ProductPanel`].
    ToolOutputAvailable {
        /// The call it answers.
        #[serde(rename = "toolCallId")]
        tool_call_id: String,
        /// The result.
        output: serde_json::Value,
    },
    /// The message failed; the text is safe to show to the visitor.
    Error {
        /// What went wrong.
        #[serde(rename = "errorText")]
        error_text: String,
    },
    /// The message is complete.
    Finish,
    /// A chunk type this version does not handle (reasoning, `data-*`…): ignored by readers.
    #[serde(other, skip_serializing)]
    Unknown,
}

impl UiChunk {
    /// The chunk as one SSE event (`data: {json}\n\n`).
    pub fn to_sse(&self) -> String {
        // Serialising these enums cannot fail: every field is a string or already JSON.
        format!("data: {}\n\n", serde_json::to_string(self).unwrap_or_default())
    }
}

/// The SSE event that ends a UI message stream.
pub const SSE_DONE: &str = "data: [DONE]\n\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_carry_exactly_the_protocol_fields() {
        let start = UiChunk::Start { message_id: Some("m1".into()) };
        assert_eq!(start.to_sse(), "data: {\"type\":\"start\",\"messageId\":\"m1\"}\n\n");
        let delta = UiChunk::TextDelta { id: "t".into(), delta: "hi \"x\"".into() };
        assert_eq!(serde_json::to_string(&delta).unwrap(), r#"{"type":"text-delta","id":"t","delta":"hi \"x\""}"#);
        assert_eq!(serde_json::to_string(&UiChunk::Finish).unwrap(), r#"{"type":"finish"}"#);
        let input = UiChunk::ToolInputAvailable {
            tool_call_id: "c1".into(),
            tool_name: "show_products".into(),
            input: serde_json::json!({"query": "jacket"}),
        };
        assert_eq!(
            serde_json::to_string(&input).unwrap(),
            r#"{"type":"tool-input-available","toolCallId":"c1","toolName":"show_products","input":{"query":"jacket"}}"#
        );
        let output = UiChunk::ToolOutputAvailable { tool_call_id: "c1".into(), output: serde_json::json!([]) };
        assert_eq!(
            serde_json::to_string(&output).unwrap(),
            r#"{"type":"tool-output-available","toolCallId":"c1","output":[]}"#
        );
        let err = UiChunk::Error { error_text: "boom".into() };
        assert_eq!(serde_json::to_string(&err).unwrap(), r#"{"type":"error","errorText":"boom"}"#);
    }

    #[test]
    fn unknown_chunks_and_parts_are_tolerated() {
        let chunk: UiChunk = serde_json::from_str(r#"{"type":"data-product","data":{"x":1}}"#).unwrap();
        assert_eq!(chunk, UiChunk::Unknown);
        let msg: UiMessage = serde_json::from_str(
            r#"{"id":"u1","role":"user","parts":[{"type":"step-start"},{"type":"text","text":"a"},{"type":"text","text":"b"}]}"#,
        )
        .unwrap();
        assert_eq!(msg.text(), "ab");
    }

    #[test]
    fn request_matches_the_ai_sdk_body() {
        let req: ChatRequest = serde_json::from_str(
            r#"{"id":"c1","messages":[{"id":"u1","role":"user","parts":[{"type":"text","text":"hi"}]}],"trigger":"submit-message","messageId":null,"page_url":"https://x.test/"}"#,
        )
        .unwrap();
        assert_eq!(req.id, "c1");
        assert_eq!(req.trigger.as_deref(), Some("submit-message"));
        assert_eq!(req.messages[0].text(), "hi");
        assert_eq!(req.locale, None);
        let req: ChatRequest = serde_json::from_str(r#"{"id":"c1","messages":[],"locale":"fr-CA"}"#).unwrap();
        assert_eq!(req.locale.as_deref(), Some("fr-CA"));
    }
}
