//! `POST /api/chat`: stores the visitor's message and streams the AI's answer as a UI message stream (v1).
//!
//! The answer is produced by a spawned task that owns storage: it writes the reply to the database before sending
//! `finish` (so a transcript fetched after the stream ends has it), and if the visitor stops the stream or goes
//! away it still stores what was sent (at most a few words more than the visitor's screen got, still in flight).
//!
//! A product question is answered with the responder's text, then the product panel as a `show_products` tool call
//! (`tool-input-available`, `tool-output-available`), stored with the message. The server finds product questions
//! itself ([`catalog::find`]) for the offline responder; a model calls the tool ([`ReplyEvent::ShowProducts`]),
//! and the server runs its search ([`catalog::tool`]), writing the lead-in or the "couldn't find" when the model
//! did not.
//!
//! The widget's `ai_model` picks the responder ([`models::responder_for`]). Whatever it does, the stream ends: a
//! responder's error (a provider that fails or stalls) becomes an `error` chunk, then `finish` and `[DONE]`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use quincer_protocol::chat::{ChatRequest, UiChunk, MAX_MESSAGE_CHARS, SSE_DONE};
use quincer_protocol::conversation::Role;
use quincer_protocol::error::ErrorBody;
use quincer_protocol::products::{ProductSearch, SHOW_PRODUCTS};
use quincer_protocol::url_pattern;
use quincer_protocol::{UI_MESSAGE_STREAM_HEADER, UI_MESSAGE_STREAM_VERSION};
use tokio::sync::mpsc;

use super::valid_client_id;
use super::SseEvent;
use crate::auth::VisitorAuth;
use crate::catalog;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::events::EventHub;
use crate::handling::feed;
use crate::ids;
use crate::knowledge;
use crate::locale;
use crate::ops::metrics::ReplyOutcome;
use crate::responder::{models, shopping, DeltaStream, PersonaVoice, ReplyContext, ReplyEvent};
use crate::retrieval::Retrieval;
use crate::state::AppState;
use crate::store::conversations::{self, NewConversation};
use crate::store::messages::{self, Answer, PanelCall};
use crate::store::personas;
use crate::store::{widgets, Db};
use crate::webhooks::{self, MessageReceivedPayload};

/// Earlier messages given to the responder.
const HISTORY_LEN: i64 = 20;
/// Knowledge items given to the responder.
const KNOWLEDGE_HITS: i64 = 3;

/// The handler.
#[utoipa::path(
    post,
    path = "/api/chat",
    operation_id = "chat",
    tag = "public widget",
    summary = "Send a message; the answer streams back",
    description = "The Vercel AI SDK chat request (`DefaultChatTransport`), plus `page_url` and `persona_id`. The \
        server answers the newest user message with an AI SDK UI message stream (v1, header \
        `x-vercel-ai-ui-message-stream: v1`): each event's `data` is one UI message chunk as JSON (`start`, \
        `text-start`, `text-delta`, `text-end`, `tool-input-available`, `tool-output-available`, `finish`), and \
        the last is `[DONE]`. A new `id` starts a conversation. While an agent holds the conversation the AI \
        stays quiet and the stream is an empty message. At most 20 messages a minute per visitor.",
    security(("widget_key" = [], "visitor_token" = [])),
    request_body = ChatRequest,
    responses(
        (
            status = 200,
            description = "The answer, as a UI message stream",
            content_type = "text/event-stream",
            body = SseEvent,
            headers(("x-vercel-ai-ui-message-stream" = String, description = "The stream protocol version: `v1`")),
        ),
        (status = 404, description = "The conversation id belongs to another visitor", body = ErrorBody),
        (
            status = 409,
            description = "A message id already used by another message, or not the newest visitor message",
            body = ErrorBody,
        ),
    ),
)]
pub async fn chat(
    State(state): State<AppState>,
    visitor: VisitorAuth,
    ApiJson(req): ApiJson<ChatRequest>,
) -> ApiResult<Response> {
    if !valid_client_id(&req.id) {
        return Err(ApiError::bad_request("`id` must be the conversation id: 1 to 100 letters, digits, `_` or `-`"));
    }
    match req.trigger.as_deref() {
        None | Some("submit-message") | Some("regenerate-message") => {}
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown trigger `{other}`: use `submit-message` or `regenerate-message`"
            )))
        }
    }
    let message = req
        .messages
        .iter()
        .rev()
        .find(|m| m.role == "user")
        .ok_or_else(|| ApiError::bad_request("`messages` has no user message to answer"))?;
    if !valid_client_id(&message.id) {
        return Err(ApiError::bad_request("message ids must be 1 to 100 letters, digits, `_` or `-`"));
    }
    let question = message.text().trim().to_owned();
    if question.is_empty() {
        return Err(ApiError::bad_request("the user message has no text"));
    }
    if question.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::bad_request(format!("the message is longer than {MAX_MESSAGE_CHARS} characters")));
    }
    if req.page_url.as_ref().is_some_and(|u| u.len() > 2048) {
        return Err(ApiError::bad_request("page_url is longer than 2048 bytes"));
    }
    let visitor_locale = match req.locale.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(tag) => Some(locale::canonical(tag).ok_or_else(|| {
            ApiError::bad_request(format!(
                "`locale` ({tag:?}) must be a BCP 47 language tag such as \"en\" or \"fr-CA\""
            ))
        })?),
    };
    // Counted once the request is valid: a visitor's mistakes are answered by the 400s above, not by a 429.
    let decision = state.limiter.hit(&format!("chat:{}", visitor.visitor_id), state.limits.chat_per_visitor).await;
    if !decision.allowed {
        crate::ops::metrics::rate_limited(crate::ops::metrics::Limit::Chat);
        return Err(ApiError::TooManyRequests {
            message: format!(
                "too many messages: at most {} a minute; retry after {} seconds",
                decision.limit, decision.retry_after
            ),
            retry_after: decision.retry_after,
        });
    }

    let db = &state.db;
    let widget_id = &visitor.widget.widget_id;
    // A new conversation speaks as the persona the widget chose on the page if it is one of this widget's, else as
    // the one whose URL patterns fit the page (the same rules the widget applies).
    let personas = personas::public_list(db, widget_id).await?;
    let persona_id = req
        .persona_id
        .as_deref()
        .and_then(|id| personas.iter().find(|p| p.id == id))
        .or_else(|| url_pattern::choose(&personas, req.page_url.as_deref().unwrap_or_default()))
        .map(|p| p.id.clone());
    let new = NewConversation {
        id: &req.id,
        widget_id,
        visitor_id: &visitor.visitor_id,
        persona_id: persona_id.as_deref(),
        page_url: req.page_url.as_deref(),
    };
    conversations::create_if_missing(db, new).await?;
    let (status, persona_id) = conversations::for_visitor(db, &req.id, widget_id, &visitor.visitor_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no conversation `{}` for this visitor", req.id)))?;
    // The visitor's language as the widget last reported it: agents' replies are translated into it.
    if let Some(tag) = &visitor_locale {
        conversations::set_locale(db, &req.id, tag).await?;
    }

    // A retried message is stored once (ids are the client's) and keeps its first text; answering it again
    // replaces the earlier answer.
    // Stored and announced to webhooks in one transaction: a message is queued for delivery iff it is stored.
    let mut tx = db.begin().await?;
    let received = messages::insert_user(&mut tx, &req.id, &message.id, &question).await?;
    if let Some(timestamp) = received.clone() {
        let payload = MessageReceivedPayload {
            object: "message",
            event: "conversation.message_received",
            message_id: message.id.clone(),
            conversation_id: req.id.clone(),
            widget_id: widget_id.clone(),
            visitor_id: visitor.visitor_id.clone(),
            text: question.clone(),
            status: status.clone(),
            timestamp,
        };
        webhooks::enqueue(&mut tx, &visitor.widget.org_id, payload.event, &payload).await?;
    }
    tx.commit().await?;
    if received.is_some() {
        state.webhooks.wake();
    }
    let stored = messages::find(db, &req.id, &message.id).await?;
    if stored.role != "user" {
        return Err(ApiError::Conflict(format!("message id `{}` is already used by another message", message.id)));
    }
    if messages::newer_user_exists(db, &req.id, stored.seq).await? {
        return Err(ApiError::Conflict(
            "only the newest visitor message can be sent again; send a new message instead".into(),
        ));
    }
    let (question_seq, question) = (stored.seq, stored.text);
    let mut tx = db.begin().await?;
    messages::delete_answers_after(&mut tx, &req.id, question_seq).await?;
    conversations::touch(&mut *tx, &req.id).await?;
    // The organisation's inbox streams hear of the new conversation or message.
    let org = feed::changed(&mut tx, &req.id).await?;
    tx.commit().await?;
    feed::wake(&state.hub, org.as_deref(), &req.id);

    let (tx, rx) = mpsc::channel::<String>(32);
    if status == "active" {
        let ai_model = widgets::ai_model(db, widget_id).await?;
        let responder = models::responder_for(&state, ai_model.as_deref());
        let tools = responder.calls_tools();
        let ctx = reply_context(
            db,
            &state.retrieval,
            widget_id,
            persona_id.as_deref(),
            &req.id,
            question_seq,
            question,
            tools,
        )
        .await?;
        let product_query = ctx.products.as_ref().map(|m| m.query.to_input());
        let panel = ctx.products.as_ref().filter(|m| !m.products.is_empty()).map(|m| PanelCall {
            tool_call_id: ids::new_id("call"),
            input: m.query.to_input(),
            output: m.panel(),
        });
        let deltas = responder.reply(ctx);
        let reply = Reply {
            db: db.clone(),
            hub: state.hub.clone(),
            widget_id: widget_id.clone(),
            conversation_id: req.id.clone(),
            message_id: ids::new_id("msg"),
            persona_id,
            panel,
            product_query,
            retrieval: state.retrieval.clone(),
        };
        // In the request's span: the reply's log lines carry its request id.
        tokio::spawn(tracing::Instrument::in_current_span(reply.run(deltas, tx)));
    } else {
        // A human agent has the conversation: the AI stays quiet, the stream is an empty message.
        tokio::spawn(async move {
            for chunk in [UiChunk::Start { message_id: None }.to_sse(), UiChunk::Finish.to_sse(), SSE_DONE.into()] {
                let _ = tx.send(chunk).await;
            }
        });
    }
    Ok(stream_response(rx))
}

/// Everything the responder gets to answer `question`; a responder that calls `tools` searches the catalog itself.
#[allow(clippy::too_many_arguments)]
async fn reply_context(
    db: &Db,
    retrieval: &Retrieval,
    widget_id: &str,
    persona_id: Option<&str>,
    conversation_id: &str,
    question_seq: i64,
    question: String,
    tools: bool,
) -> Result<ReplyContext, sqlx::Error> {
    let brand = widgets::brand(db, widget_id).await?;
    let persona = personas::voice(db, persona_id)
        .await?
        .map(|(name, system_prompt, greeting)| PersonaVoice { name, system_prompt, greeting })
        .unwrap_or_default();
    let history = messages::history(db, conversation_id, question_seq, HISTORY_LEN).await?;
    // Catalogs and the embedding model are English: a question in another language is searched in English words.
    let search_text = catalog::glossary::to_english(&question).map_or_else(|| question.clone(), |(_, text)| text);
    let knowledge = knowledge::search(db, retrieval, widget_id, persona_id, &search_text, KNOWLEDGE_HITS).await?;
    // The conversation's last answer, when it answered a product question: a follow-up refines its query.
    let (previous, panel) = messages::previous_answer(db, conversation_id, question_seq).await?;
    let previous = previous
        .and_then(|json| serde_json::from_str::<ProductSearch>(&json).ok())
        .map(|input| catalog::tool::query_of(&input));
    // The prices the last panel showed, each card's leading variant: "cheaper?" is relative to them.
    let shown: Vec<i64> = panel
        .and_then(|json| serde_json::from_str::<PanelCall>(&json).ok())
        .map(|call| {
            call.output
                .products
                .iter()
                .filter_map(|p| p.variants.first().and_then(|v| catalog::price_cents(&v.price)))
                .collect()
        })
        .unwrap_or_default();
    // A question the catalog has nothing for goes to the knowledge base when that knows something ("do you have a
    // return policy?"), unless it set product conditions (a price, colour, size or sale): then "nothing matches"
    // is the honest answer. A sales playbook entry written for the question ("it's too expensive") beats the
    // catalog's reading of it ("cheaper products").
    let playbook_answers = knowledge_titled(&knowledge, &search_text)
        && crate::playbook::answers(db, knowledge.first().map(|k| k.id.as_str())).await?;
    let products = if tools || playbook_answers {
        None
    } else {
        catalog::find(db, retrieval, widget_id, &search_text, previous.as_ref().map(|p| (p, shown.as_slice())))
            .await?
            .filter(|m| {
                !m.products.is_empty()
                    || knowledge.is_empty()
                    || m.query.has_hard_constraints()
                    || (m.not_sold && !knowledge_titled(&knowledge, &search_text))
            })
    };
    Ok(ReplyContext {
        brand,
        persona,
        history: history.into_iter().filter_map(|(role, text)| Some((Role::parse(&role)?, text))).collect(),
        question,
        search_text,
        knowledge,
        products,
        catalog: catalog::search::has_products(db, widget_id).await?,
    })
}

/// Whether the best knowledge item's title shares a topic word with the question ("Do you sell gift cards?" and
/// "Gift cards"): then the knowledge base answers a shopping question the catalog has nothing for.
fn knowledge_titled(knowledge: &[knowledge::KnowledgeHit], question: &str) -> bool {
    let words: Vec<String> = knowledge::keywords(question).iter().map(|w| catalog::words::fold(w)).collect();
    knowledge.first().is_some_and(|k| catalog::words::folded_words(&k.title).any(|w| words.contains(&w)))
}

/// The SSE response carrying whatever the reply task sends.
fn stream_response(rx: mpsc::Receiver<String>) -> Response {
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(UI_MESSAGE_STREAM_HEADER, HeaderValue::from_static(UI_MESSAGE_STREAM_VERSION));
    // Proxies such as nginx would otherwise buffer the stream and deliver it all at the end.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// Whether a panel reached the stream.
enum Sent {
    /// Both tool chunks were sent.
    Yes,
    /// The panel could not be encoded and was left out.
    Skipped,
    /// The visitor went away.
    Gone,
}

/// One assistant reply being streamed and stored.
struct Reply {
    db: Db,
    /// Tells the organisation's inbox streams about the stored answer.
    hub: EventHub,
    widget_id: String,
    conversation_id: String,
    message_id: String,
    persona_id: Option<String>,
    /// The product panel to show after the text, for a product question with matches (found by the server).
    panel: Option<PanelCall>,
    /// The product query this answer answers, stored for follow-ups (`messages.product_query`).
    product_query: Option<ProductSearch>,
    /// How a model's `show_products` call is searched.
    retrieval: Arc<Retrieval>,
}

/// The answer's one text part, opened by its first delta.
struct TextPart {
    id: String,
    opened: bool,
    /// Everything sent so far.
    text: String,
}

impl TextPart {
    /// Sends `delta` (opening the part first if needed); `false` when the visitor went away.
    async fn send(&mut self, tx: &mpsc::Sender<String>, delta: String) -> bool {
        if !self.opened {
            self.opened = true;
            if tx.send(UiChunk::TextStart { id: self.id.clone() }.to_sse()).await.is_err() {
                return false;
            }
        }
        self.text.push_str(&delta);
        tx.send(UiChunk::TextDelta { id: self.id.clone(), delta }.to_sse()).await.is_ok()
    }
}

impl Reply {
    /// Streams `deltas` to `tx` as UI message chunks, then the panel's tool chunks, and stores what was sent.
    async fn run(mut self, mut deltas: DeltaStream, tx: mpsc::Sender<String>) {
        let mut part = TextPart { id: "t0".into(), opened: false, text: String::new() };
        let mut gone = tx.send(UiChunk::Start { message_id: Some(self.message_id.clone()) }.to_sse()).await.is_err();
        let mut failure = None;
        let mut requested = None;
        while !gone {
            match deltas.next().await {
                Some(Ok(ReplyEvent::Text(delta))) => gone = !part.send(&tx, delta).await,
                // A message has one panel: the first call wins.
                Some(Ok(ReplyEvent::ShowProducts(search))) => {
                    requested.get_or_insert(search);
                }
                Some(Err(e)) => {
                    crate::ops::metrics::responder_error();
                    failure = Some(e.0);
                    break;
                }
                None => break,
            }
        }
        // The responder asked for products: search now, and write the words a model left out.
        let mut call = self.panel.take();
        if let (false, None, Some(search)) = (gone, &failure, requested) {
            match catalog::tool::search(&self.db, &self.retrieval, &self.widget_id, &search).await {
                Ok(matches) => {
                    self.product_query = Some(matches.query.to_input());
                    // Nothing found is said in every case (the model's text may have promised products); a panel
                    // needs a lead-in only when the model wrote nothing.
                    if matches.products.is_empty() || part.text.trim().is_empty() {
                        let sep = if part.text.trim().is_empty() { "" } else { "\n\n" };
                        gone = !part.send(&tx, format!("{sep}{}", shopping::compose(&matches))).await;
                    }
                    if !matches.products.is_empty() {
                        call = Some(PanelCall {
                            tool_call_id: ids::new_id("call"),
                            input: matches.query.to_input(),
                            output: matches.panel(),
                        });
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, conversation = %self.conversation_id, "a product search failed");
                    failure = Some("The products could not be searched. Please try again.".into());
                }
            }
        }
        if part.opened && !gone {
            gone = tx.send(UiChunk::TextEnd { id: part.id.clone() }.to_sse()).await.is_err();
        }
        // The panel follows a complete text only; it is stored only if its output was sent.
        let mut panel = None;
        if let (false, None, Some(call)) = (gone, &failure, &call) {
            match self.send_panel(call, &tx).await {
                Sent::Yes => panel = Some(call),
                Sent::Skipped => {}
                Sent::Gone => gone = true,
            }
        }
        let text = part.text;
        // Store before `finish`: a client that reloads right after the stream must find the reply.
        if let Err(e) = self.store(&text, panel).await {
            tracing::error!(error = %e, conversation = %self.conversation_id, "storing a reply failed");
            failure.get_or_insert_with(|| "The reply could not be saved. Please try again.".into());
        }
        crate::ops::metrics::chat_reply(match (gone, &failure) {
            (true, _) => ReplyOutcome::Abandoned,
            (false, Some(_)) => ReplyOutcome::Failed,
            (false, None) => ReplyOutcome::Completed,
        });
        if gone {
            return;
        }
        let mut tail = Vec::new();
        if let Some(error_text) = failure {
            tail.push(UiChunk::Error { error_text }.to_sse());
        }
        tail.push(UiChunk::Finish.to_sse());
        tail.push(SSE_DONE.to_owned());
        for chunk in tail {
            if tx.send(chunk).await.is_err() {
                break;
            }
        }
    }

    /// Sends the panel's `tool-input-available` and `tool-output-available`.
    async fn send_panel(&self, call: &PanelCall, tx: &mpsc::Sender<String>) -> Sent {
        let (input, output) = match (serde_json::to_value(&call.input), serde_json::to_value(&call.output)) {
            (Ok(input), Ok(output)) => (input, output),
            (Err(e), _) | (_, Err(e)) => {
                // Cannot happen with these types; if it did, the answer is still whole without its panel.
                tracing::error!(error = %e, "a product panel does not serialise");
                return Sent::Skipped;
            }
        };
        let input = UiChunk::ToolInputAvailable {
            tool_call_id: call.tool_call_id.clone(),
            tool_name: SHOW_PRODUCTS.into(),
            input,
        };
        let output = UiChunk::ToolOutputAvailable { tool_call_id: call.tool_call_id.clone(), output };
        if tx.send(input.to_sse()).await.is_ok() && tx.send(output.to_sse()).await.is_ok() {
            Sent::Yes
        } else {
            Sent::Gone
        }
    }

    /// Stores the reply: its text and, if it was sent, its panel. Nothing is stored when both are empty.
    async fn store(&self, text: &str, panel: Option<&PanelCall>) -> Result<(), sqlx::Error> {
        if text.trim().is_empty() && panel.is_none() {
            return Ok(());
        }
        let encode = |e: serde_json::Error| sqlx::Error::Encode(Box::new(e));
        let panel = panel.map(serde_json::to_string).transpose().map_err(encode)?;
        let query = self.product_query.as_ref().map(serde_json::to_string).transpose().map_err(encode)?;
        let answer = Answer {
            id: &self.message_id,
            text,
            persona_id: self.persona_id.as_deref(),
            panel: panel.as_deref(),
            product_query: query.as_deref(),
        };
        let mut tx = self.db.begin().await?;
        messages::insert_assistant(&mut tx, &self.conversation_id, answer).await?;
        conversations::touch(&mut *tx, &self.conversation_id).await?;
        let org = feed::changed(&mut tx, &self.conversation_id).await?;
        tx.commit().await?;
        feed::wake(&self.hub, org.as_deref(), &self.conversation_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! The reply task alone, with a visitor who reads everything, or goes away mid-answer.
    use futures_util::StreamExt;
    use quincer_protocol::products::{ProductPanel, ProductSearch};
    use serde_json::{json, Value};

    use super::*;
    use crate::responder::ResponderError;

    async fn setup() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(dir.path()).await.expect("open db");
        for sql in [
            "INSERT INTO organizations (id, name) VALUES ('org', 'Org')",
            "INSERT INTO widgets (id, org_id, brand) VALUES ('wgt', 'org', 'Brand')",
            "INSERT INTO visitors (id, widget_id, token_hash) VALUES ('vis', 'wgt', 'h')",
            "INSERT INTO conversations (id, widget_id, visitor_id) VALUES ('conv', 'wgt', 'vis')",
        ] {
            sqlx::query(sql).execute(&db).await.expect("fixture row");
        }
        (dir, db)
    }

    fn reply(db: &Db) -> Reply {
        Reply {
            db: db.clone(),
            hub: EventHub::default(),
            widget_id: "wgt".into(),
            conversation_id: "conv".into(),
            message_id: "msg_1".into(),
            persona_id: None,
            panel: Some(PanelCall {
                tool_call_id: "call_1".into(),
                input: ProductSearch { query: "jacket".into(), ..Default::default() },
                output: ProductPanel { currency: "USD".into(), products: vec![] },
            }),
            product_query: None,
            retrieval: Arc::new(Retrieval::lexical()),
        }
    }

    fn deltas(words: &[&str]) -> DeltaStream {
        let words: Vec<Result<ReplyEvent, _>> = words.iter().map(|w| Ok(ReplyEvent::Text((*w).to_owned()))).collect();
        futures_util::stream::iter(words).boxed()
    }

    fn chunk_type(sse: &str) -> String {
        let json = sse.trim().strip_prefix("data: ").unwrap_or_default();
        serde_json::from_str::<Value>(json).map(|v| v["type"].as_str().unwrap_or("").to_owned()).unwrap_or(json.into())
    }

    async fn stored(db: &Db) -> Option<(String, Option<String>)> {
        sqlx::query_as("SELECT text, panel FROM messages WHERE id = 'msg_1'").fetch_optional(db).await.expect("query")
    }

    #[tokio::test]
    async fn the_panel_follows_the_text_and_is_stored_with_it() {
        let (_dir, db) = setup().await;
        let (tx, mut rx) = mpsc::channel(64);
        reply(&db).run(deltas(&["Here ", "you go:"]), tx).await;
        let mut types = Vec::new();
        while let Some(sse) = rx.recv().await {
            types.push(chunk_type(&sse));
        }
        assert_eq!(
            types,
            [
                "start",
                "text-start",
                "text-delta",
                "text-delta",
                "text-end",
                "tool-input-available",
                "tool-output-available",
                "finish",
                "[DONE]"
            ]
        );
        let (text, panel) = stored(&db).await.expect("stored");
        assert_eq!(text, "Here you go:");
        let panel: Value = serde_json::from_str(&panel.expect("a panel")).expect("JSON");
        assert_eq!(
            panel,
            json!({"tool_call_id": "call_1", "input": {"query": "jacket"}, "output": {"currency": "USD", "products": []}})
        );
    }

    #[tokio::test]
    async fn a_panel_only_answer_is_stored() {
        let (_dir, db) = setup().await;
        let (tx, mut rx) = mpsc::channel(64);
        reply(&db).run(deltas(&[]), tx).await;
        let mut types = Vec::new();
        while let Some(sse) = rx.recv().await {
            types.push(chunk_type(&sse));
        }
        assert_eq!(types, ["start", "tool-input-available", "tool-output-available", "finish", "[DONE]"]);
        let (text, panel) = stored(&db).await.expect("stored");
        assert_eq!((text.as_str(), panel.is_some()), ("", true));
    }

    #[tokio::test]
    async fn stopping_before_the_panel_output_stores_the_text_only() {
        let (_dir, db) = setup().await;
        // One slot: when the visitor has read `text-end`, at most `tool-input-available` is in flight.
        let (tx, mut rx) = mpsc::channel(1);
        let task = tokio::spawn(reply(&db).run(deltas(&["Here ", "you go:"]), tx));
        while let Some(sse) = rx.recv().await {
            if chunk_type(&sse) == "text-end" {
                break;
            }
        }
        drop(rx);
        task.await.expect("reply task");
        assert_eq!(stored(&db).await, Some(("Here you go:".to_owned(), None)));
    }

    #[tokio::test]
    async fn stopping_mid_text_stores_what_was_sent_without_the_panel() {
        let (_dir, db) = setup().await;
        let (tx, mut rx) = mpsc::channel(1);
        let words = ["one ", "two ", "three ", "four ", "five ", "six"];
        let task = tokio::spawn(reply(&db).run(deltas(&words), tx));
        while let Some(sse) = rx.recv().await {
            if chunk_type(&sse) == "text-delta" {
                break;
            }
        }
        drop(rx);
        task.await.expect("reply task");
        let (text, panel) = stored(&db).await.expect("the partial text is stored");
        assert!(text.starts_with("one ") && text.len() < words.concat().len(), "{text:?}");
        assert_eq!(panel, None);
    }
    async fn run_to_end(reply: Reply, events: Vec<Result<ReplyEvent, ResponderError>>) -> Vec<String> {
        let (tx, mut rx) = mpsc::channel(64);
        reply.run(futures_util::stream::iter(events).boxed(), tx).await;
        let mut out = Vec::new();
        while let Some(sse) = rx.recv().await {
            out.push(sse);
        }
        out
    }

    #[tokio::test]
    async fn a_model_search_that_finds_nothing_says_so_without_a_panel() {
        let (_dir, db) = setup().await;
        let mut r = reply(&db);
        r.panel = None;
        let search = ProductSearch { query: "jacket".into(), max_price: Some("50".into()), ..Default::default() };
        let events = vec![Ok(ReplyEvent::Text("Let me look.".into())), Ok(ReplyEvent::ShowProducts(search))];
        let chunks = run_to_end(r, events).await;
        let types: Vec<String> = chunks.iter().map(|c| chunk_type(c)).collect();
        assert_eq!(types, ["start", "text-start", "text-delta", "text-delta", "text-end", "finish", "[DONE]"]);
        let (text, panel) = stored(&db).await.expect("stored");
        assert!(text.starts_with("Let me look.\n\nI couldn't find any jackets under $50"), "{text}");
        assert_eq!(panel, None);
    }

    #[tokio::test]
    async fn a_responder_error_ends_the_stream_with_an_error_chunk() {
        let (_dir, db) = setup().await;
        let events = vec![Ok(ReplyEvent::Text("Half ".into())), Err(ResponderError("Try again.".into()))];
        let chunks = run_to_end(reply(&db), events).await;
        let types: Vec<String> = chunks.iter().map(|c| chunk_type(c)).collect();
        assert_eq!(types, ["start", "text-start", "text-delta", "text-end", "error", "finish", "[DONE]"]);
        assert!(chunks[4].contains("\"errorText\":\"Try again.\""), "{}", chunks[4]);
        assert_eq!(stored(&db).await, Some(("Half ".to_owned(), None)), "the panel needs a complete answer");
    }
}
