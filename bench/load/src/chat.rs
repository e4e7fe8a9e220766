//! Concurrent chats with the offline responder: time to the first text delta, and finished replies per second.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;

use crate::args::Args;
use crate::stats::percentile_ms;
use crate::{seed, BoxError};

/// Questions the demo's knowledge base answers, asked in turn.
const QUESTIONS: [&str; 4] = [
    "How long does shipping take?",
    "What is your return policy?",
    "Do you ship to Canada?",
    "How do I wash my down jacket?",
];

/// Runs the chat bench and returns its JSON report.
///
/// # Errors
/// Seeding, or a chat that fails or ends without `[DONE]`.
pub async fn run(args: &Args) -> Result<String, BoxError> {
    // Several nodes (comma-separated): visitors are spread over them.
    let urls: Vec<String> = args.get("url")?.split(',').map(str::to_owned).collect();
    let key = args.get("widget-key")?.to_owned();
    let concurrency: usize = args.num("concurrency", 50)?;
    let rounds: usize = args.num("rounds", 4)?;
    let visitors = seed::visitors(args.get("db")?, args.get("widget-id")?, "c", concurrency).await?;
    let client = reqwest::Client::builder().build()?;

    let started = Instant::now();
    let workers = visitors.into_iter().enumerate().map(|(w, v)| {
        let (client, url, key) = (client.clone(), urls[w % urls.len()].clone(), key.clone());
        tokio::spawn(async move {
            let mut firsts = Vec::with_capacity(rounds);
            for r in 0..rounds {
                // A fresh conversation per chat: the first request creates it.
                let body = json!({
                    "id": format!("{}_{r}", v.conversation),
                    "messages": [{ "id": format!("u_{w}_{r}"), "role": "user",
                        "parts": [{ "type": "text", "text": QUESTIONS[(w + r) % QUESTIONS.len()] }] }],
                    "trigger": "submit-message",
                });
                firsts.push(one_chat(&client, &url, &key, &v.token, &body).await?);
            }
            Ok::<_, BoxError>(firsts)
        })
    });
    let mut firsts: Vec<Duration> = Vec::new();
    for worker in futures_util::future::join_all(workers).await {
        firsts.extend(worker??);
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(json!({
        "nodes": urls.len(),
        "concurrency": concurrency,
        "replies": firsts.len(),
        "seconds": seconds,
        "replies_per_second": firsts.len() as f64 / seconds,
        "first_delta_p50_ms": percentile_ms(&mut firsts, 50.0),
        "first_delta_p99_ms": percentile_ms(&mut firsts, 99.0),
    })
    .to_string())
}

/// Sends one chat message, reads the answer to `[DONE]`, and returns the time to its first text delta.
async fn one_chat(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    token: &str,
    body: &serde_json::Value,
) -> Result<Duration, BoxError> {
    let sent = Instant::now();
    let res = client
        .post(format!("{url}/api/chat"))
        .bearer_auth(key)
        .header("quincer-visitor-token", token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await?;
    if !res.status().is_success() {
        return Err(format!("chat answered {}", res.status()).into());
    }
    let (mut first, mut done, mut text) = (None, false, Vec::new());
    let mut stream = res.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk: bytes::Bytes = chunk?;
        text.extend_from_slice(&chunk);
        if first.is_none() && contains(&text, b"\"text-delta\"") {
            first = Some(sent.elapsed());
        }
        done = contains(&text, b"data: [DONE]");
    }
    match (first, done) {
        (Some(first), true) => Ok(first),
        _ => Err("a chat ended without a text delta or without [DONE]".into()),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
