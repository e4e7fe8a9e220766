//! Logs: their format (human or JSON lines), and a span per request that puts its request id in every line the
//! request logs.
//!
//! Every request gets an `x-request-id` (the client's or proxy's if it sent one, else a new UUID), echoed in the
//! response; the request's span carries it with the method and the matched route, so each line logged while
//! serving the request names it, in both formats. The raw URL is not logged: event streams carry credentials in
//! their query string (`EventSource` cannot send headers).

use std::io::IsTerminal;

use axum::extract::MatchedPath;
use axum::http::{HeaderName, Request};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, MakeSpan, TraceLayer};
use tracing::{Level, Span};
use tracing_subscriber::EnvFilter;

use super::metrics::UNMATCHED;

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

/// How log lines look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event, with its spans' fields (`request{method=GET route=/healthz request_id=…}`).
    #[default]
    Human,
    /// One JSON object per line: `timestamp`, `level`, `fields.message`, `target`, and `span`/`spans` with the
    /// request's `request_id`, `method` and `route`.
    Json,
}

/// Installs the process's log subscriber: to stderr (stdout carries only the machine-readable `QUINCER_*`
/// lines), filtered by `RUST_LOG` (default `info,sqlx=warn`); human lines are coloured on a terminal only.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter);
    match format {
        // Colours only on a terminal: a file or a log collector gets plain text.
        LogFormat::Human => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(true).init(),
    }
}

/// The span of one request: `request` with `method`, `route` (the matched path template) and `request_id`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let route = request.extensions().get::<MatchedPath>().map_or(UNMATCHED, MatchedPath::as_str);
        let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
        tracing::info_span!("request", method = %request.method(), route = %route, request_id = %id)
    }
}

/// The layers that give each request its id and span, outermost first: set the id, open the span (and log the
/// answer at `info` once its headers leave), copy the id to the response.
pub fn layers<S>(router: axum::Router<S>) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let header = HeaderName::from_static(REQUEST_ID);
    // `Router::layer`: the last added runs first.
    router
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(RequestSpan)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
}
