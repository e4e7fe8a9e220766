//! `quincer-bench-load`: the load parts of `./build.sh bench`, run against a live `quincer-server`.
//!
//! - `streams`: seeds visitors and conversations, holds thousands of idle takeover event streams, then measures how
//!   fast takeover and reply events reach their streams and what each stream costs the server in memory.
//! - `chat`: many concurrent chats with the offline responder: time to first delta and replies per second.
//! - `retrieval`: one query embedding plus hybrid search per question, over the server's database.
//!
//! Each prints one JSON object on stdout; `bench/run.mjs` starts the server and reads it.
//!
//! # Layout
//! - [`args`]: `--name value` flags.
//! - [`seed`]: visitors and conversations written straight into the server's SQLite database.
//! - [`streams`], [`chat`], [`retrieval`]: the measurements.
//! - [`stats`]: percentiles and process memory.

mod args;
mod chat;
mod retrieval;
mod seed;
mod stats;
mod streams;

use args::Args;

#[tokio::main]
async fn main() {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let args = Args::parse(argv);
    let result = match command.as_str() {
        "streams" => streams::run(&args).await,
        "chat" => chat::run(&args).await,
        "retrieval" => retrieval::run(&args).await,
        _ => Err("usage: quincer-bench-load <streams|chat|retrieval> --url … (see bench/run.mjs)".into()),
    };
    match result {
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("quincer-bench-load {command}: {e}");
            std::process::exit(1);
        }
    }
}

/// Errors are reported, not handled: any failure ends the run.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
