//! `GET /api/v1/conversations/events`: an organisation's conversations, live, for an agents' inbox.
//!
//! Every change an inbox lists (a new conversation, a visitor, AI or agent message, a takeover, handback or
//! handoff) is announced by its writer through [`crate::handling::feed`]; this stream sends the conversation as
//! one item of `GET /api/v1/conversations` describes it (`event: conversation`), read after the change was
//! committed. Changes are not numbered and not replayed: a client that (re)connects reloads the list, then applies
//! the events. `event: ready` opens every stream (reload now); `event: resync` says changes may have been missed
//! (this server's relay reconnected, or the client fell behind): reload again. A comment every 15 s keeps it open.

use std::collections::HashSet;
use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use tokio::sync::{broadcast, mpsc, watch};

use super::ConversationResource;
use crate::auth::DevAuth;
use crate::error::ApiResult;
use crate::events::InboxSubscription;
use crate::public::SseEvent;
use crate::state::AppState;
use crate::store::{conversations, Db};

/// A comment line this often keeps proxies and the browser from closing an idle stream.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Reconnection delay suggested to `EventSource` clients.
const RETRY_MS: u32 = 3000;
/// Most conversations sent per wake-up: a burst beyond it is sent on the next round.
const BATCH: usize = 64;

/// The handler.
#[utoipa::path(
    get,
    path = "/conversations/events",
    operation_id = "stream_organization_conversations",
    tag = "conversations",
    summary = "Live changes of the organisation's conversations (SSE)",
    description = "Scope `conversations:read`. An endless `text/event-stream` for an agents' inbox. `event: ready` \
        opens it; then `event: conversation` whenever a conversation of the organisation is created, gets a \
        visitor, AI or agent message, or changes status, holder or persona, with `data` = the conversation as one \
        item of `GET /api/v1/conversations` shows it (every node of a cluster sends every change). Events have no \
        ids and are not replayed: on (re)connecting, and on `event: resync` (changes may have been missed), reload \
        the list with `GET /api/v1/conversations`. A comment line every 15 s keeps the stream open.",
    security(("developer_key" = [])),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = SseEvent),
        (status = 403, description = "The key lacks `conversations:read`", body = quincer_protocol::error::ErrorBody),
    ),
)]
pub async fn stream(State(state): State<AppState>, auth: DevAuth) -> ApiResult<Response> {
    auth.require("conversations:read")?;
    let (tx, rx) = mpsc::channel::<String>(16);
    // Subscribed before `ready` is sent: a change after the client's reload is never missed.
    let changes = state.hub.subscribe_inbox(&auth.org_id);
    let closing = state.hub.closing();
    let pump = pump(state.db.clone(), auth.org_id, changes, closing, tx);
    tokio::spawn(tracing::Instrument::in_current_span(pump));
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    });
    let mut response = Response::new(Body::from_stream(body));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// What a wake-up brought: changed conversations, or a call to reload everything.
enum News {
    /// These conversations changed (no duplicates, in order).
    Changed(Vec<String>),
    /// Some changes may have been missed.
    Resync,
}

/// Waits for the next change, then takes whatever else is already waiting (a burst becomes one batch).
async fn next(changes: &mut InboxSubscription) -> Option<News> {
    let first = match changes.recv().await {
        Ok(Some(id)) => id,
        Ok(None) | Err(broadcast::error::RecvError::Lagged(_)) => return Some(News::Resync),
        Err(broadcast::error::RecvError::Closed) => return None,
    };
    let mut seen = HashSet::from([first.clone()]);
    let mut ids = vec![first];
    while ids.len() < BATCH {
        match changes.try_recv() {
            Ok(Some(id)) => {
                if seen.insert(id.clone()) {
                    ids.push(id);
                }
            }
            Ok(None) | Err(broadcast::error::TryRecvError::Lagged(_)) => return Some(News::Resync),
            Err(_) => break,
        }
    }
    Some(News::Changed(ids))
}

/// Sends `ready`, then each change as it comes, until the client goes away or the server shuts down.
async fn pump(
    db: Db,
    org_id: String,
    mut changes: InboxSubscription,
    mut closing: watch::Receiver<bool>,
    tx: mpsc::Sender<String>,
) {
    let _open = crate::ops::metrics::OpenStream::new();
    if tx.send(format!("retry: {RETRY_MS}\n\nevent: ready\ndata: {{}}\n\n")).await.is_err() {
        return;
    }
    loop {
        if *closing.borrow() {
            return;
        }
        let news = tokio::select! {
            _ = closing.changed() => return,
            // The client went away: end now, not at the next heartbeat, so its channel goes too.
            _ = tx.closed() => return,
            news = next(&mut changes) => news,
            _ = tokio::time::sleep(HEARTBEAT) => {
                if tx.send(": heartbeat\n\n".into()).await.is_err() { return }
                continue;
            }
        };
        let frames = match news {
            None => return,
            Some(News::Resync) => vec!["event: resync\ndata: {}\n\n".to_owned()],
            Some(News::Changed(ids)) => match frames(&db, &org_id, &ids).await {
                Ok(frames) => frames,
                Err(error) => {
                    tracing::error!(%error, "reading changed conversations failed");
                    vec!["event: resync\ndata: {}\n\n".to_owned()]
                }
            },
        };
        for frame in frames {
            if tx.send(frame).await.is_err() {
                return;
            }
        }
    }
}

/// The `conversation` events of conversations `ids` (those still in the organisation).
async fn frames(db: &Db, org_id: &str, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = conversations::find(db, org_id, id).await? {
            let item = serde_json::to_string(&ConversationResource::from(row)).unwrap_or_default();
            out.push(format!("event: conversation\ndata: {item}\n\n"));
        }
    }
    Ok(out)
}
