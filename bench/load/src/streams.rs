//! Idle takeover event streams: how many one server holds, what each costs it in memory, and how fast a
//! developer-API takeover or reply reaches its visitor's stream while all the others stay open.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures_util::{stream, StreamExt};
use serde_json::json;
use tokio::sync::mpsc;

use crate::args::Args;
use crate::stats::{percentile_ms, rss_bytes};
use crate::{seed, BoxError};

/// Streams opened at once while connecting (the server's accept queue and our file descriptors allow more,
/// but this keeps the opening phase from measuring a connection storm).
const OPENING_CONCURRENCY: usize = 256;
/// How long an event may take before the sample counts as lost.
const EVENT_TIMEOUT: Duration = Duration::from_secs(10);

/// An SSE event seen on a sampled stream: (stream index, event name, when).
type Seen = (usize, String, Instant);

/// Runs the stream bench and returns its JSON report.
///
/// # Errors
/// Seeding, a refused developer-API call, or a sampled event that never arrives.
pub async fn run(args: &Args) -> Result<String, BoxError> {
    // Several nodes (comma-separated, on one PostgreSQL): streams are spread over them, and each sampled event is
    // written through the next node, so every sample crosses nodes.
    let urls: Vec<&str> = args.get("url")?.split(',').collect();
    let key = args.get("widget-key")?;
    let dev_key = args.get("dev-key")?;
    let pids: Vec<u32> = args.get("server-pid")?.split(',').map(str::parse).collect::<Result<_, _>>()?;
    let rss = || pids.iter().map(|&pid| rss_bytes(pid)).sum::<Result<u64, BoxError>>();
    let n: usize = args.num("streams", 10_000)?;
    let sample: usize = args.num("sample", 100)?.min(n);
    let seeded = seed::visitors(args.get("db")?, args.get("widget-id")?, "s", n).await?;
    let client = reqwest::Client::builder().build()?;

    // Let the server settle after the seed before the baseline.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_before = rss()?;
    // Spread over all the streams: every (n / sample)th.
    let every = (n / sample.max(1)).max(1);
    let picked: HashSet<usize> = (0..sample).map(|k| k * every).collect();
    let sampled = |i: usize| picked.contains(&i);

    let opening = Instant::now();
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel::<Seen>();
    let opened: Vec<_> = stream::iter(seeded.iter().enumerate())
        .map(|(i, s)| {
            let url = urls[i % urls.len()];
            let request = client
                .get(format!("{url}/api/widget/conversations/{}/events", s.conversation))
                .bearer_auth(key)
                .header("quincer-visitor-token", &s.token);
            async move { (i, request.send().await) }
        })
        .buffer_unordered(OPENING_CONCURRENCY)
        .collect()
        .await;
    let open_seconds = opening.elapsed().as_secs_f64();
    let mut failures = 0usize;
    let mut readers = Vec::with_capacity(n);
    for (i, response) in opened {
        match response {
            Ok(r) if r.status().is_success() => {
                let tx = sampled(i).then(|| seen_tx.clone());
                readers.push(tokio::spawn(read_events(i, r, tx)));
            }
            _ => failures += 1,
        }
    }
    let open = readers.len();
    // Every stream has sent its first frame and parked; memory is what idle streams cost.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss()?;

    let mut latencies = Vec::with_capacity(sample * 2);
    for (i, s) in seeded.iter().enumerate().filter(|(i, _)| sampled(*i)) {
        let api = format!("{}/api/v1/conversations/{}", urls[(i + 1) % urls.len()], s.conversation);
        for (path, body, event) in [
            ("takeover", json!({ "actor_name": "Bench agent" }), "takeover"),
            ("reply", json!({ "text": "Hello from the bench." }), "message"),
        ] {
            let sent = Instant::now();
            let res = client
                .post(format!("{api}/{path}"))
                .bearer_auth(dev_key)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await?;
            if !res.status().is_success() {
                return Err(format!("{path} of {} answered {}", s.conversation, res.status()).into());
            }
            latencies.push(wait_for(&mut seen_rx, i, event).await? - sent);
        }
    }
    for r in &readers {
        r.abort();
    }
    let per_stream = rss_after.saturating_sub(rss_before) as f64 / open.max(1) as f64;
    Ok(json!({
        "nodes": urls.len(),
        "streams_requested": n,
        "streams_open": open,
        "stream_failures": failures,
        "open_seconds": open_seconds,
        "rss_before_bytes": rss_before,
        "rss_after_bytes": rss_after,
        "rss_per_stream_bytes": per_stream,
        "events_measured": latencies.len(),
        "event_latency_p50_ms": percentile_ms(&mut latencies, 50.0),
        "event_latency_p99_ms": percentile_ms(&mut latencies, 99.0),
    })
    .to_string())
}

/// Reads a stream to its end, reporting event names when it is a sampled one.
async fn read_events(i: usize, response: reqwest::Response, seen: Option<mpsc::UnboundedSender<Seen>>) {
    let mut body = response.bytes_stream();
    let mut pending = Vec::new();
    while let Some(Ok(chunk)) = body.next().await {
        let Some(tx) = &seen else { continue };
        pending.extend_from_slice(&chunk);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            if let Some(name) = line.strip_prefix(b"event: ") {
                let name = String::from_utf8_lossy(name).trim().to_owned();
                let _ = tx.send((i, name, Instant::now()));
            }
        }
    }
}

/// When stream `i` saw `event` (events of other streams are dropped: samples run one at a time).
async fn wait_for(rx: &mut mpsc::UnboundedReceiver<Seen>, i: usize, event: &str) -> Result<Instant, BoxError> {
    let deadline = Instant::now() + EVENT_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Some((j, name, at))) if j == i && name == event => return Ok(at),
            Ok(Some(_)) => continue,
            Ok(None) => return Err("every stream ended".into()),
            Err(_) => return Err(format!("no `{event}` event on stream {i} within {EVENT_TIMEOUT:?}").into()),
        }
    }
}
