//! `retrieval`: what a product question's search costs: one query embedding plus the hybrid search, exactly as the
//! chat endpoint runs it (`catalog::find`), over a live server's database.
//!
//! Every question is distinct, so no query vector comes from the cache. The widget's in-memory catalog snapshot is
//! built first and timed on its own (it is built once per catalog change, not per question).

use std::path::Path;
use std::time::{Duration, Instant};

use quincer_server::embedding::Embedder;
use quincer_server::retrieval::{Mode, Retrieval};

use crate::args::Args;
use crate::stats::percentile_ms;
use crate::BoxError;

/// Times every question of `--questions` (one a line) against widget `--widget-id` of the database in `--data`,
/// with the model in `--model`.
pub async fn run(args: &Args) -> Result<String, BoxError> {
    let db = quincer_server::db::open(Path::new(args.get("data")?)).await?;
    let embedder = Embedder::load(Path::new(args.get("model")?))?;
    let retrieval = Retrieval::new(Mode::Hybrid, Some(embedder));
    let widget = args.get("widget-id")?;
    let questions: Vec<String> = std::fs::read_to_string(args.get("questions")?)?
        .lines()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned)
        .collect();
    let started = Instant::now();
    let snapshot = retrieval.snapshot(&db, widget).await?;
    let snapshot_ms = started.elapsed().as_secs_f64() * 1000.0;
    let products = snapshot.entries.len();
    let with_vectors = snapshot.entries.iter().filter(|e| e.vector.is_some()).count();
    // One question first, untimed: the model's first call allocates its buffers.
    quincer_server::catalog::find(&db, &retrieval, widget, "warm-up question", None).await?;
    let mut samples: Vec<Duration> = Vec::with_capacity(questions.len());
    let mut answered = 0;
    for q in &questions {
        let t = Instant::now();
        let found = quincer_server::catalog::find(&db, &retrieval, widget, q, None).await?;
        samples.push(t.elapsed());
        answered += usize::from(found.is_some_and(|m| !m.products.is_empty()));
    }
    Ok(serde_json::json!({
        "products": products,
        "with_vectors": with_vectors,
        "questions": samples.len(),
        "with_products": answered,
        "snapshot_ms": snapshot_ms,
        "p50_ms": percentile_ms(&mut samples, 50.0),
        "p99_ms": percentile_ms(&mut samples, 99.0),
    })
    .to_string())
}
