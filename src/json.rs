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
    session::{SessionRequest, WidgetSession},
};

#[allow(unused_imports)]
use crate::stream::Chunk;

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
    /// Decodes a session answer.
    pub fn session(text: &str) -> Option<WidgetSession> {
        serde_json::from_str(text).ok()
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
    use js_sys::{Array, Object, Reflect, JSON};
    use quincer_protocol::chat::{UiMessage, UiPart};
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

    /// Decodes a session answer.
    pub fn session(text: &str) -> Option<WidgetSession> {
        let v = V::parse(text)?;
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
                launcher_label: w.s("launcher_label").unwrap_or_default(),
            },
            personas: v.list("personas").iter().filter_map(persona).collect(),
        })
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
            url_patterns: p.strings("url_patterns"),
            is_default: p.b("is_default"),
            greeting: p.s("greeting"),
            avatar_url: p.s("avatar_url"),
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

    fn object(fields: &[(&str, JsValue)]) -> Object {
        let o = Object::new();
        for (k, v) in fields {
            if !v.is_undefined() {
                let _ = Reflect::set(&o, &JsValue::from_str(k), v);
            }
        }
        o
    }

    fn opt(s: &Option<String>) -> JsValue {
        s.as_deref().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED)
    }

    fn stringify(o: &Object) -> String {
        JSON::stringify(o).ok().and_then(|s| s.as_string()).unwrap_or_default()
    }

    /// Encodes a session request.
    pub fn session_request(req: &SessionRequest) -> String {
        stringify(&object(&[("visitor_token", opt(&req.visitor_token)), ("page_url", opt(&req.page_url))]))
    }

    fn ui_message(m: &UiMessage) -> JsValue {
        let parts: Array = m
            .parts
            .iter()
            .filter_map(|p| match p {
                UiPart::Text { text } => {
                    Some(JsValue::from(object(&[("type", "text".into()), ("text", text.as_str().into())])))
                }
                UiPart::Other => None,
            })
            .collect();
        object(&[("id", m.id.as_str().into()), ("role", m.role.as_str().into()), ("parts", parts.into())]).into()
    }

    /// Encodes a chat request.
    pub fn chat_request(req: &ChatRequest) -> String {
        let messages: Array = req.messages.iter().map(ui_message).collect();
        stringify(&object(&[
            ("id", req.id.as_str().into()),
            ("messages", messages.into()),
            ("trigger", opt(&req.trigger)),
            ("messageId", opt(&req.message_id)),
            ("page_url", opt(&req.page_url)),
            ("persona_id", opt(&req.persona_id)),
        ]))
    }
}
