//! Reads what is left of a request body that was answered without being read, before the answer goes out.
//!
//! Many answers come before the body: a 415 for the wrong content type, a 413 from the declared length, a 401 or a
//! 429. When a connection closes with bytes of the request still unread, the kernel resets it, and a client that is
//! still sending gets "connection reset" instead of that answer. So the rest of such a body is read and dropped
//! (a "lingering close"), within [`MAX_UNREAD_BYTES`] and [`MAX_UNREAD_TIME`]: past either, the connection is left
//! to close as before, so an abusive upload costs the server little.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use tokio::sync::oneshot;

/// The most of an unread body that is read and dropped: the largest upload the server takes (a 10 MB document in
/// its form) and some.
pub const MAX_UNREAD_BYTES: u64 = 16 * 1024 * 1024;
/// How long reading the rest of a body may take.
pub const MAX_UNREAD_TIME: Duration = Duration::from_secs(10);

/// Middleware: answers as the inner service does, after reading the rest of a body the inner service left unread.
pub async fn finish_reading(req: Request, next: Next) -> Response {
    let hint = req.body().size_hint();
    if req.body().is_end_stream() || hint.lower() > MAX_UNREAD_BYTES {
        return next.run(req).await;
    }
    let (left, mut unread) = oneshot::channel();
    let req = req.map(|body| Body::new(Tracked { body: Some(body), left: Some(left) }));
    let response = next.run(req).await;
    // The body is dropped once the handler is done with it; one still held elsewhere is not waited for.
    if let Ok(rest) = unread.try_recv() {
        let _ = tokio::time::timeout(MAX_UNREAD_TIME, discard(rest)).await;
    }
    response
}

/// Reads and drops `rest`, up to [`MAX_UNREAD_BYTES`].
async fn discard(mut rest: Body) {
    let mut read = 0u64;
    while let Some(Ok(frame)) = rest.frame().await {
        read += frame.data_ref().map_or(0, |data| data.len() as u64);
        if read > MAX_UNREAD_BYTES {
            return;
        }
    }
}

/// A request body that, dropped before its end, hands what is left back to [`finish_reading`].
struct Tracked {
    /// `None` once handed back.
    body: Option<Body>,
    /// Where the rest goes if the body is dropped unfinished.
    left: Option<oneshot::Sender<Body>>,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.body.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body.as_ref().map(HttpBody::size_hint).unwrap_or_else(|| SizeHint::with_exact(0))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let (Some(body), Some(left)) = (self.body.take(), self.left.take()) {
            if !body.is_end_stream() {
                let _ = left.send(body);
            }
        }
    }
}
