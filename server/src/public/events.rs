//! `GET /api/widget/conversations/:id/events`: the visitor's live stream of takeover, agent messages, handback
//! and persona changes.
//!
//! Events are read from the database (see [`crate::store::events`]), so a reconnect with `Last-Event-ID` replays
//! exactly what was missed, even across server restarts. Without `Last-Event-ID` the stream starts at the newest event:
//! clients restore the transcript first and pass its `last_event_id`. Ids count each conversation's events (1, 2,
//! 3…); an id above the conversation's newest replays it from the start (see [`events::resume_after`]).
//!
//! A stream ends as soon as its widget key is revoked (or its widget deleted): the hub announces the key, and a
//! heartbeat re-checks it as a backstop (a revocation by another process, a missed announcement), through the
//! hub's cache: one database read per key and heartbeat period, however many streams the key has open.
//! The `EventSource` then reconnects and gets a 401, which ends it for good.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use quincer_protocol::error::ErrorBody;
use tokio::sync::{broadcast, mpsc, watch};

use super::SseEvent;
use crate::auth::VisitorAuth;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::events::{EventHub, Subscription};
use crate::state::AppState;
use crate::store::{events, Db};

/// A comment line this often keeps proxies and the browser from closing an idle stream.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Reconnection delay suggested to `EventSource` clients.
const RETRY_MS: u32 = 3000;
/// Reconnection delay suggested when the server shuts down: soon, through the balancer to another instance, which
/// replays what was missed from `Last-Event-ID`.
pub const SHUTDOWN_RETRY_MS: u32 = 250;

/// The handler.
#[utoipa::path(
    get,
    path = "/api/widget/conversations/{id}/events",
    operation_id = "stream_conversation_events",
    tag = "public widget",
    summary = "Live events of the visitor's conversation (SSE)",
    description = "An endless `text/event-stream` of `takeover`, `message` (an agent's reply), `handback` and \
        `persona` events; each `data` is the event's JSON and each `id` its number within the conversation (1, 2, \
        3…). Reconnecting with `Last-Event-ID` replays what was missed; without it the stream starts at the newest \
        event; an id above the conversation's newest (the server's database was reset) replays it from the first. \
        A comment line every 15 s keeps it open; it ends when the widget key is revoked. `EventSource` cannot send \
        headers, so the credentials may also come as `?widget_key=…&visitor_token=…`.",
    security(("widget_key" = [], "visitor_token" = [])),
    params(
        ("id" = String, Path, description = "Conversation id"),
        (
            "Last-Event-ID" = Option<i64>,
            Header,
            description = "The id of the last event received: the stream resumes after it (from the first event \
                when it is above the conversation's newest)",
        ),
    ),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = SseEvent),
        (status = 404, description = "No such conversation for this visitor", body = ErrorBody),
    ),
)]
pub async fn stream(
    State(state): State<AppState>,
    visitor: VisitorAuth,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    super::own_conversation(&state.db, &visitor, &id).await?;
    let claimed = match headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(str::trim) {
        Some(v) if !v.is_empty() => Some(
            v.parse::<i64>().map_err(|_| ApiError::bad_request("Last-Event-ID must be an event id (an integer)"))?,
        ),
        _ => None,
    };
    let last = events::resume_after(&state.db, &id, claimed).await?;
    let (tx, rx) = mpsc::channel::<String>(16);
    // Subscribe before the first read, so nothing stored in between goes unnoticed.
    let wake = state.hub.subscribe(&id);
    let end = EndWhen {
        closing: state.hub.closing(),
        revoked: state.hub.revocations(),
        key: visitor.widget.key,
        hub: state.hub.clone(),
    };
    // In the request's span: the stream's log lines carry its request id.
    tokio::spawn(tracing::Instrument::in_current_span(pump(state.db.clone(), wake, end, id, last, tx)));
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

/// What ends a stream besides its client: shutdown, or its widget key revoked.
struct EndWhen {
    closing: watch::Receiver<bool>,
    revoked: broadcast::Receiver<String>,
    /// The key the stream was opened with.
    key: String,
    /// Checks the key for the heartbeat (cached per key).
    hub: EventHub,
}

/// Sends stored events after `last`, then waits for notifications or the heartbeat, until the client goes away,
/// the server shuts down, or the key is revoked.
async fn pump(db: Db, mut wake: Subscription, end: EndWhen, id: String, mut last: i64, tx: mpsc::Sender<String>) {
    let EndWhen { mut closing, mut revoked, key, hub } = end;
    let _open = crate::ops::metrics::OpenStream::new();
    if tx.send(format!("retry: {RETRY_MS}\n\n")).await.is_err() {
        return;
    }
    loop {
        match events::after(&db, &id, last).await {
            Ok(batch) => {
                for event in batch {
                    last = event.seq;
                    let frame = format!("id: {}\nevent: {}\ndata: {}\n\n", event.seq, event.kind, event.data);
                    if tx.send(frame).await.is_err() {
                        return;
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, conversation = %id, "reading events failed");
                return; // the client reconnects with Last-Event-ID and misses nothing
            }
        }
        // Wait for news about this conversation, sending heartbeats meanwhile.
        loop {
            if *closing.borrow() {
                return reconnect_elsewhere(&tx).await;
            }
            tokio::select! {
                _ = closing.changed() => return reconnect_elsewhere(&tx).await,
                msg = wake.recv() => match msg {
                    Ok(()) => break,
                    Err(broadcast::error::RecvError::Lagged(_)) => break, // missed some: re-read
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                msg = revoked.recv() => match msg {
                    Ok(k) if k == key => return,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => if !hub.key_active(&db, &key).await { return },
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = tokio::time::sleep(HEARTBEAT) => {
                    if !hub.key_active(&db, &key).await || tx.send(": heartbeat\n\n".into()).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// The server is shutting down: the stream's last frame asks the client to reconnect after
/// [`SHUTDOWN_RETRY_MS`] instead of the usual delay, with a comment saying why.
async fn reconnect_elsewhere(tx: &mpsc::Sender<String>) {
    let _ = tx.send(format!("retry: {SHUTDOWN_RETRY_MS}\n: server shutting down, reconnect\n\n")).await;
}
