//! JSON for the widget's wire types.
//!
//! Native builds (the unit tests) use serde_json over `quincer-protocol`'s serde derives. In the browser, serde
//! would cost ~90 KB of wasm (a deserializer, tagged-enum buffering, float formatting for error messages), a third
//! of the size budget, so there the engine's own `JSON.parse`/`JSON.stringify` do the text work and [`js`] maps
//! plain JS objects onto the very same protocol types. The e2e suite exercises every wasm decoder against the real
//! server; the native tests pin the shapes.

#[allow(unused_imports)] // each build uses these through its own module
use quincer_protocol::{
    chat::{ChatRequest, UiChunk},
    conversation::Conversation,
    events::LiveEvent,
    products::ProductPanel,
    session::{SessionRequest, WidgetInterface, WidgetSession},
};

/// One decoded stream chunk, as the widget reads it (the input of [`crate::stream`]): the protocol's chunks it acts on, with tool outputs already
/// decoded for the tools it renders.
///
/// A type of its own rather than `UiChunk`: the protocol's tool chunks carry arbitrary JSON (`serde_json::Value`),
/// whose code the wasm build would otherwise include just to drop it. Native builds map `UiChunk` onto it.
#[derive(Debug, Clone, PartialEq)]
pub enum Chunk {
    /// `start`, with the id the message is stored under.
    Start(Option<String>),
    /// `text-start` of part `id`.
    TextStart(String),
    /// `text-delta`: part id and text.
    TextDelta(String, String),
    /// `text-end`.
    TextEnd,
    /// `error`, with its text for the visitor.
    Error(String),
    /// `finish`.
    Finish,
    /// `tool-input-available`: a call of `tool_name` with id `call_id`.
    ToolCall {
        /// Tool call id.
        call_id: String,
        /// Tool name.
        tool_name: String,
    },
    /// `tool-output-available`: the output of call `call_id`, read as a product panel if it is one.
    ToolResult {
        /// Tool call id.
        call_id: String,
        /// The output as a product panel; `None` if it is not one.
        panel: Option<ProductPanel>,
    },
    /// Any other chunk (reasoning, `data-*`, sources…): ignored.
    Other,
}

#[cfg(not(target_arch = "wasm32"))] // the wasm build decodes chunks itself ([`js::chunk`]), never via `UiChunk`
impl From<UiChunk> for Chunk {
    fn from(chunk: UiChunk) -> Chunk {
        match chunk {
            UiChunk::Start { message_id } => Chunk::Start(message_id),
            UiChunk::TextStart { id } => Chunk::TextStart(id),
            UiChunk::TextDelta { id, delta } => Chunk::TextDelta(id, delta),
            UiChunk::TextEnd { .. } => Chunk::TextEnd,
            UiChunk::Error { error_text } => Chunk::Error(error_text),
            UiChunk::Finish => Chunk::Finish,
            UiChunk::ToolInputAvailable { tool_call_id, tool_name, .. } => {
                Chunk::ToolCall { call_id: tool_call_id, tool_name }
            }
            UiChunk::ToolOutputAvailable { tool_call_id, output } => {
                Chunk::ToolResult { call_id: tool_call_id, panel: serde_json::from_value(output).ok() }
            }
            UiChunk::Unknown => Chunk::Other,
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use js::*;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use quincer_protocol::error::ErrorBody;

    /// Decodes one UI message stream chunk.
    pub fn chunk(text: &str) -> Option<Chunk> {
        serde_json::from_str::<UiChunk>(text).ok().map(Chunk::from)
    }
    /// Decodes a session answer, with its interface strings (for the browser only: `undefined` here).
    pub fn session(text: &str) -> Option<(WidgetSession, wasm_bindgen::JsValue)> {
        serde_json::from_str(text).ok().map(|s| (s, wasm_bindgen::JsValue::UNDEFINED))
    }

    /// Decodes a transcript.
    pub fn conversation(text: &str) -> Option<Conversation> {
        serde_json::from_str(text).ok()
    }
    /// The `error` of an error body.
    pub fn error_message(text: &str) -> Option<String> {
        serde_json::from_str::<ErrorBody>(text).ok().map(|b| b.error)
    }
    /// Decodes a live event from its SSE name and data.
    pub fn live_event(kind: &str, data: &str) -> Option<LiveEvent> {
        use quincer_protocol::events::kind as k;
        Some(match kind {
            k::TAKEOVER => LiveEvent::Takeover(serde_json::from_str(data).ok()?),
            k::MESSAGE => LiveEvent::Message(serde_json::from_str(data).ok()?),
            k::HANDBACK => LiveEvent::Handback(serde_json::from_str(data).ok()?),
            k::PERSONA => LiveEvent::Persona(serde_json::from_str(data).ok()?),
            _ => return None,
        })
    }
    /// Encodes a session request.
    pub fn session_request(req: &SessionRequest) -> String {
        serde_json::to_string(req).unwrap_or_default()
    }
    /// Encodes a chat request.
    pub fn chat_request(req: &ChatRequest) -> String {
        serde_json::to_string(req).unwrap_or_default()
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use super::*;
    use js_sys::{Array, Reflect, JSON};
    use quincer_protocol::chat::UiPart;
    use quincer_protocol::conversation::{ConversationStatus, Message, MessagePart, Role};
    use quincer_protocol::events::AgentPublic;
    use quincer_protocol::products::{ProductCard, ProductImage, ProductOption, ProductPanel, VariantCard};
    use quincer_protocol::session::{PersonaPublic, WidgetColors, WidgetPublicConfig};
    use wasm_bindgen::JsValue;

    /// A parsed JSON value with typed field access.
    struct V(JsValue);

    impl V {
        fn parse(text: &str) -> Option<V> {
            JSON::parse(text).ok().filter(|v| v.is_object()).map(V)
        }
        fn get(&self, key: &str) -> V {
            V(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
        }
        fn s(&self, key: &str) -> Option<String> {
            self.get(key).0.as_string()
        }
        fn req(&self, key: &str) -> Option<String> {
            self.s(key)
        }
        fn b(&self, key: &str) -> bool {
            self.get(key).0.as_bool().unwrap_or(false)
        }
        /// A non-negative integer field (store ids fit a JS number exactly).
        fn n(&self, key: &str) -> Option<u64> {
            self.get(key).0.as_f64().filter(|n| *n >= 0.0).map(|n| n as u64)
        }
        fn strings(&self, key: &str) -> Vec<String> {
            self.list(key).into_iter().filter_map(|s| s.0.as_string()).collect()
        }
        fn list(&self, key: &str) -> Vec<V> {
            let v = self.get(key).0;
            if Array::is_array(&v) {
                Array::from(&v).iter().map(V).collect()
            } else {
                Vec::new()
            }
        }
    }

    /// Decodes one UI message stream chunk; unknown chunk types decode as [`Chunk::Other`].
    pub fn chunk(text: &str) -> Option<Chunk> {
        let v = V::parse(text)?;
        Some(match v.req("type")?.as_str() {
            "start" => Chunk::Start(v.s("messageId")),
            "text-start" => Chunk::TextStart(v.req("id")?),
            "text-delta" => Chunk::TextDelta(v.req("id")?, v.req("delta")?),
            "text-end" => Chunk::TextEnd,
            "error" => Chunk::Error(v.req("errorText")?),
            "finish" => Chunk::Finish,
            "tool-input-available" => Chunk::ToolCall { call_id: v.req("toolCallId")?, tool_name: v.req("toolName")? },
            "tool-output-available" => {
                Chunk::ToolResult { call_id: v.req("toolCallId")?, panel: panel(&v.get("output")) }
            }
            _ => Chunk::Other,
        })
    }

    /// A `show_products` output; `None` unless it has the panel's shape. Cards and variants missing a required
    /// field are dropped, not the whole panel.
    fn panel(p: &V) -> Option<ProductPanel> {
        Some(ProductPanel {
            currency: p.req("currency")?,
            products: p.list("products").iter().filter_map(card).collect(),
        })
    }

    fn card(c: &V) -> Option<ProductCard> {
        let variants: Vec<VariantCard> = c.list("variants").iter().filter_map(variant).collect();
        (!variants.is_empty()).then_some(())?;
        Some(ProductCard {
            id: c.n("id")?,
            title: c.req("title")?,
            url: c.req("url")?,
            vendor: c.s("vendor"),
            image: image(&c.get("image")),
            options: c
                .list("options")
                .iter()
                .filter_map(|o| Some(ProductOption { name: o.req("name")?, values: o.strings("values") }))
                .collect(),
            variants,
        })
    }

    fn variant(v: &V) -> Option<VariantCard> {
        Some(VariantCard {
            id: v.n("id")?,
            title: v.s("title").unwrap_or_default(),
            options: v.strings("options"),
            price: v.req("price")?,
            compare_at_price: v.s("compare_at_price"),
            available: v.b("available"),
            image: image(&v.get("image")),
        })
    }

    fn image(i: &V) -> Option<ProductImage> {
        let size = |k| i.get(k).0.as_f64().map(|n| n as u32);
        Some(ProductImage {
            src: i.req("src")?,
            width: size("width"),
            height: size("height"),
            alt: i.s("alt").unwrap_or_default(),
        })
    }

    /// Decodes a session answer, with its interface strings as the parsed JS object ([`crate::i18n`] reads it).
    pub fn session(text: &str) -> Option<(WidgetSession, JsValue)> {
        let v = V::parse(text)?;
        let i = v.get("interface");
        let strings = i.get("strings").0;
        // The strings stay the JS object the engine parsed (see `crate::i18n`).
        let interface = WidgetInterface {
            visitor_locale: i.req("visitor_locale")?,
            locale: i.req("locale")?,
            direction: i.s("direction").unwrap_or_default(),
            strings: (),
        };
        let w = v.get("widget");
        let colors = w.get("colors");
        Some(WidgetSession {
            object: v.req("object")?,
            visitor_id: v.req("visitor_id")?,
            visitor_token: v.req("visitor_token")?,
            widget: WidgetPublicConfig {
                id: w.req("id")?,
                brand: w.req("brand")?,
                colors: WidgetColors { primary: colors.req("primary")?, on_primary: colors.req("on_primary")? },
                greeting: w.s("greeting").unwrap_or_default(),
                locale: w.s("locale").unwrap_or_default(),
                launcher_position: w.s("launcher_position").unwrap_or_default(),
                theme: w.s("theme").unwrap_or_default(),
                launcher_label: w.s("launcher_label").unwrap_or_default(),
            },
            personas: v.list("personas").iter().filter_map(persona).collect(),
            persona_id: v.s("persona_id"),
            interface,
        })
        .filter(|_| strings.is_object())
        .map(|s| (s, strings))
    }

    /// Decodes a transcript.
    pub fn conversation(text: &str) -> Option<Conversation> {
        let v = V::parse(text)?;
        Some(Conversation {
            object: v.req("object")?,
            id: v.req("id")?,
            widget_id: v.s("widget_id").unwrap_or_default(),
            status: match v.s("status").as_deref() {
                Some("human_active") => ConversationStatus::HumanActive,
                Some("closed") => ConversationStatus::Closed,
                _ => ConversationStatus::Active,
            },
            persona_id: v.s("persona_id"),
            created_at: v.s("created_at").unwrap_or_default(),
            updated_at: v.s("updated_at").unwrap_or_default(),
            agent: agent(&v.get("agent")),
            last_event_id: v.get("last_event_id").0.as_f64().unwrap_or(0.0) as i64,
            messages: v.list("messages").iter().filter_map(message).collect(),
        })
    }

    fn persona(p: &V) -> Option<PersonaPublic> {
        Some(PersonaPublic {
            id: p.req("id")?,
            name: p.req("name")?,
            bubble_color: p.req("bubble_color")?,
            on_bubble_color: p.s("on_bubble_color").unwrap_or_default(),
            url_patterns: p.strings("url_patterns"),
            is_default: p.b("is_default"),
            greeting: p.s("greeting"),
            avatar_url: p.s("avatar_url"),
            capture_leads: p.b("capture_leads"),
        })
    }

    fn message(m: &V) -> Option<Message> {
        let text = m.req("text")?;
        let mut parts = vec![MessagePart::text(text.clone())];
        for p in m.list("parts") {
            if p.s("type").as_deref() == Some("tool-show_products") {
                if let Some(output) = panel(&p.get("output")) {
                    // The widget never reads the search the panel came from.
                    let input = Default::default();
                    parts.push(MessagePart::products(p.s("toolCallId").unwrap_or_default(), input, output));
                }
            }
        }
        Some(Message {
            object: "message".into(),
            id: m.req("id")?,
            role: Role::parse(&m.req("role")?)?,
            parts,
            text,
            speaker_name: m.s("speaker_name"),
            created_at: m.s("created_at").unwrap_or_default(),
        })
    }

    fn agent(a: &V) -> Option<AgentPublic> {
        Some(AgentPublic { name: a.req("name")?, avatar_url: a.s("avatar_url") })
    }

    /// Decodes a live event from its SSE name and data.
    pub fn live_event(kind: &str, data: &str) -> Option<LiveEvent> {
        use quincer_protocol::events::{kind as k, HandbackEvent, MessageEvent, PersonaEvent, TakeoverEvent};
        let v = V::parse(data)?;
        Some(match kind {
            k::TAKEOVER => LiveEvent::Takeover(TakeoverEvent { agent: agent(&v.get("agent"))? }),
            k::MESSAGE => LiveEvent::Message(MessageEvent { message: message(&v.get("message"))? }),
            k::HANDBACK => LiveEvent::Handback(HandbackEvent { persona: persona(&v.get("persona")) }),
            k::PERSONA => LiveEvent::Persona(PersonaEvent { persona: persona(&v.get("persona"))? }),
            _ => return None,
        })
    }

    /// The `error` of an error body.
    pub fn error_message(text: &str) -> Option<String> {
        V::parse(text)?.s("error")
    }

    /// Encodes a session request.
    pub fn session_request(req: &SessionRequest) -> String {
        let mut o = JsonObject::new();
        o.opt_string("visitor_token", req.visitor_token.as_deref());
        o.opt_string("page_url", req.page_url.as_deref());
        o.opt_string("locale", req.locale.as_deref());
        o.finish()
    }

    /// Encodes a chat request.
    pub fn chat_request(req: &ChatRequest) -> String {
        let mut messages = String::from("[");
        for (i, m) in req.messages.iter().enumerate() {
            if i > 0 {
                messages.push(',');
            }
            let mut parts = String::from("[");
            for part in &m.parts {
                if let UiPart::Text { text } = part {
                    if parts.len() > 1 {
                        parts.push(',');
                    }
                    let mut p = JsonObject::new();
                    p.string("type", "text");
                    p.string("text", text);
                    parts.push_str(&p.finish());
                }
            }
            parts.push(']');
            let mut msg = JsonObject::new();
            msg.string("id", &m.id);
            msg.string("role", &m.role);
            msg.raw("parts", &parts);
            messages.push_str(&msg.finish());
        }
        messages.push(']');
        let mut o = JsonObject::new();
        o.string("id", &req.id);
        o.raw("messages", &messages);
        o.opt_string("trigger", req.trigger.as_deref());
        o.opt_string("messageId", req.message_id.as_deref());
        o.opt_string("page_url", req.page_url.as_deref());
        o.opt_string("persona_id", req.persona_id.as_deref());
        o.opt_string("locale", req.locale.as_deref());
        o.finish()
    }
}

/// Builds a JSON object text, field by field.
///
/// The widget writes its request bodies itself rather than with the page's `JSON.stringify`: host pages patch it
/// (old libraries add `Array.prototype.toJSON`, which makes it encode arrays as strings), and a widget must not
/// depend on the host's globals.
#[derive(Debug)]
pub struct JsonObject(String);

impl Default for JsonObject {
    fn default() -> Self {
        JsonObject::new()
    }
}

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        JsonObject(String::from("{"))
    }

    /// Adds `key` with a value that is already JSON text.
    pub fn raw(&mut self, key: &str, json: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_json_string(&mut self.0, key);
        self.0.push(':');
        self.0.push_str(json);
    }

    /// Adds a string field.
    pub fn string(&mut self, key: &str, value: &str) {
        let mut v = String::with_capacity(value.len() + 2);
        push_json_string(&mut v, value);
        self.raw(key, &v);
    }

    /// Adds a string field if there is a value.
    pub fn opt_string(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(key, v);
        }
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Appends `s` to `out` as a JSON string literal.
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let hex = |n: u32| char::from_digit(n, 16).unwrap_or('0');
                out.push_str("\\u00");
                out.push(hex(c as u32 >> 4));
                out.push(hex(c as u32 & 15));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The body of `POST /api/widget/identify` from the host's object: its own fields, strings, numbers, booleans or
/// null (the server checks the fields themselves).
///
/// # Errors
/// What is wrong with the object, for a console error.
pub fn identity(traits: &wasm_bindgen::JsValue) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    if !traits.is_object() || js_sys::Array::is_array(traits) {
        return Err("pass an object such as { email, name, phone, external_id }".into());
    }
    let mut o = JsonObject::new();
    for entry in js_sys::Object::entries(traits.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        if value.is_undefined() {
            continue;
        }
        if value.is_null() {
            o.raw(&key, "null");
        } else if let Some(s) = value.as_string() {
            o.string(&key, &s);
        } else if let Some(b) = value.as_bool() {
            o.raw(&key, if b { "true" } else { "false" });
        } else if value.as_f64().is_some_and(f64::is_finite) {
            // The engine writes the number: Rust float formatting would add kilobytes to the wasm.
            let text =
                value.unchecked_ref::<js_sys::Number>().to_string_with_radix(10).map(String::from).unwrap_or_default();
            o.raw(&key, &text);
        } else {
            return Err(format!("`{key}` must be a string, a finite number, a boolean or null"));
        }
    }
    Ok(o.finish())
}

#[cfg(test)]
mod writer_tests {
    use super::*;

    #[test]
    fn json_strings_round_trip() {
        for s in ["plain", "quote \" backslash \\ slash /", "line\nbreak\ttab\r", "\u{1}\u{1f}", "émoji 🚚 ✓"] {
            let mut out = String::new();
            push_json_string(&mut out, s);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s, "{out}");
        }
    }

    #[test]
    fn objects_are_valid_json() {
        let mut o = JsonObject::new();
        o.string("a", "x\"y");
        o.opt_string("b", None);
        o.raw("c", "[1,2]");
        let text = o.finish();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            serde_json::json!({"a": "x\"y", "c": [1, 2]})
        );
        assert_eq!(JsonObject::new().finish(), "{}");
    }
}
