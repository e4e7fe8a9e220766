//! Prometheus metrics: the series this server exports at `GET /metrics`, and the calls that record them.
//!
//! The `metrics` facade records; `metrics-exporter-prometheus` keeps the values and renders the text format. The
//! recorder is process-wide (the facade has one global recorder), installed by [`install`] on the first start:
//! several servers in one process (the integration tests) share it, so tests compare values before and after.
//!
//! Labels stay bounded: the route is the matched path template (`/api/widget/conversations/{id}`), never the raw
//! URL, and an unknown method is `other`. docs/OPERATIONS.md lists every series.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests answered, by `method`, `route` and `status` (counter).
pub const HTTP_REQUESTS: &str = "quincer_http_requests_total";
/// Seconds from a request to its response's headers, by `method` and `route` (histogram; a stream's body is not
/// included: an event stream lasts as long as its visitor stays).
pub const HTTP_DURATION: &str = "quincer_http_request_duration_seconds";
/// Live event streams open now (gauge).
pub const EVENT_STREAMS: &str = "quincer_event_streams_open";
/// AI replies streamed to visitors, by `outcome` (counter).
pub const CHAT_REPLIES: &str = "quincer_chat_replies_total";
/// Errors of the responder (the model provider or the offline responder) while answering (counter).
pub const RESPONDER_ERRORS: &str = "quincer_responder_errors_total";
/// Webhook deliveries waiting to be sent (gauge, updated by the dispatcher).
pub const WEBHOOK_QUEUE: &str = "quincer_webhook_queue_depth";
/// Failed webhook delivery attempts, by `final` (`false`: retried later, `true`: given up) (counter).
pub const WEBHOOK_FAILURES: &str = "quincer_webhook_delivery_failures_total";
/// Requests refused with 429, by `limit` ([`Limit`]) (counter).
pub const RATE_LIMITED: &str = "quincer_rate_limited_total";

/// Latency buckets, in seconds: from a cached static file to a slow model provider's first byte.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The label of requests no route matched (static files, unknown paths).
pub const UNMATCHED: &str = "unmatched";

/// Installs the process-wide recorder once and returns its handle (later calls return the same handle).
///
/// If another recorder was installed first (a program embedding this library with its own), that one keeps
/// recording and `/metrics` shows nothing: said once in the log.
pub fn install() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_owned()), LATENCY_BUCKETS)
            .expect("latency buckets are not empty");
        let handle = match builder.install_recorder() {
            Ok(handle) => handle,
            Err(e) => {
                tracing::warn!(error = %e, "another metrics recorder is installed: /metrics stays empty");
                PrometheusBuilder::new().build_recorder().handle()
            }
        };
        describe();
        handle
    })
}

/// The HELP lines.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by method, matched route and status");
    describe_histogram!(HTTP_DURATION, Unit::Seconds, "Time to the response headers, by method and matched route");
    describe_gauge!(EVENT_STREAMS, "Live event streams open");
    describe_counter!(CHAT_REPLIES, "AI replies streamed, by outcome (completed, failed, abandoned)");
    describe_counter!(RESPONDER_ERRORS, "Errors of the responder while answering");
    describe_gauge!(WEBHOOK_QUEUE, "Webhook deliveries waiting to be sent");
    describe_counter!(WEBHOOK_FAILURES, "Failed webhook delivery attempts; final=true when given up");
    describe_counter!(RATE_LIMITED, "Requests refused with 429, by limit");
}

/// `GET /metrics`: the Prometheus text format.
pub async fn render() -> Response {
    let body = install().render();
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// Keeps the recorder's memory bounded between scrapes (histogram samples are drained into buckets); runs until
/// `stop` resolves.
pub async fn upkeep(stop: impl std::future::Future<Output = ()>) {
    let handle = install();
    let mut every = tokio::time::interval(Duration::from_secs(5));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = every.tick() => handle.run_upkeep(),
            _ = &mut stop => return,
        }
    }
}

/// Middleware: counts every request and times it, labelled by its matched route.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or(UNMATCHED, MatchedPath::as_str).to_owned();
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    histogram!(HTTP_DURATION, "method" => method, "route" => route.clone()).record(started.elapsed().as_secs_f64());
    counter!(HTTP_REQUESTS, "method" => method, "route" => route, "status" => status).increment(1);
    response
}

/// The method as a label: the standard ones by name, anything else `other` (methods are client-chosen).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Which limit refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `GET` requests of a developer key (`dev_reads`).
    DevReads,
    /// Other requests of a developer key (`dev_writes`).
    DevWrites,
    /// Public widget requests of a client address (`public_ip`).
    PublicIp,
    /// Chat messages of a visitor (`chat`).
    Chat,
    /// Sign-in attempts of a client address (`sign_in_ip`).
    SignInIp,
    /// Sign-in attempts for an email address (`sign_in_email`).
    SignInEmail,
}

impl Limit {
    /// The label value, the name of the limit's flag without `--rate-limit-`.
    pub fn label(self) -> &'static str {
        match self {
            Limit::DevReads => "dev_reads",
            Limit::DevWrites => "dev_writes",
            Limit::PublicIp => "public_ip",
            Limit::Chat => "chat",
            Limit::SignInIp => "sign_in_ip",
            Limit::SignInEmail => "sign_in_email",
        }
    }
}

/// Counts a request refused by `limit`.
pub fn rate_limited(limit: Limit) {
    counter!(RATE_LIMITED, "limit" => limit.label()).increment(1);
}

/// How an AI reply ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyOutcome {
    /// Streamed to its end.
    Completed,
    /// Ended with an error chunk (the responder failed, a product search or storing the reply failed).
    Failed,
    /// The visitor went away (stopped the answer, closed the page) before its end.
    Abandoned,
}

/// Counts an AI reply by how it ended.
pub fn chat_reply(outcome: ReplyOutcome) {
    let outcome = match outcome {
        ReplyOutcome::Completed => "completed",
        ReplyOutcome::Failed => "failed",
        ReplyOutcome::Abandoned => "abandoned",
    };
    counter!(CHAT_REPLIES, "outcome" => outcome).increment(1);
}

/// Counts an error of the responder.
pub fn responder_error() {
    counter!(RESPONDER_ERRORS).increment(1);
}

/// Sets the number of webhook deliveries waiting.
pub fn webhook_queue(depth: i64) {
    gauge!(WEBHOOK_QUEUE).set(depth as f64);
}

/// Counts a failed webhook delivery attempt; `given_up` when it was the last.
pub fn webhook_failure(given_up: bool) {
    counter!(WEBHOOK_FAILURES, "final" => if given_up { "true" } else { "false" }).increment(1);
}

/// An open event stream, counted in [`EVENT_STREAMS`] until dropped.
#[derive(Debug)]
pub struct OpenStream(());

impl OpenStream {
    /// Counts a stream as open.
    pub fn new() -> OpenStream {
        gauge!(EVENT_STREAMS).increment(1.0);
        OpenStream(())
    }
}

impl Default for OpenStream {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        gauge!(EVENT_STREAMS).decrement(1.0);
    }
}
