//! The `quincer-server` command: `serve` runs the server, `keys create` mints developer keys.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use quincer_server::outbound::OutboundPolicy;
use quincer_server::ratelimit::RateLimits;
use quincer_server::responder::openai::LlmArgs;
use quincer_server::retrieval::Mode;
use quincer_server::{provision, Config};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "quincer-server", version, about = "The Quincer chat widget server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "QUINCER_ADDR", default_value = "127.0.0.1:8787")]
        addr: SocketAddr,
        /// Directory of the SQLite database.
        #[arg(long, env = "QUINCER_DATA", default_value = "data")]
        data: PathBuf,
        /// Directory of the static site (loader, dist/, demo/).
        #[arg(long, env = "QUINCER_WWW", default_value = "www")]
        www: PathBuf,
        /// Seed (on first start) and serve the demo workspace, printing its keys.
        #[arg(long)]
        demo: bool,
        /// Milliseconds between streamed deltas (a few words each) of offline answers.
        #[arg(long, env = "QUINCER_REPLY_PACE_MS", default_value_t = 35)]
        reply_pace_ms: u64,
        /// The address people reach the server at, for the demo store's product links (default: http://<addr>).
        #[arg(long, env = "QUINCER_PUBLIC_URL")]
        public_url: Option<String>,
        /// Rate limits (requests a minute).
        #[command(flatten)]
        limits: LimitArgs,
        /// Which internal addresses webhooks and storefront imports may reach.
        #[command(flatten)]
        outbound: OutboundArgs,
        // The model provider: `--llm-*`, `QUINCER_LLM_*`.
        #[command(flatten)]
        llm: LlmArgs,
        /// A sentence-transformers model folder (config.json, model.safetensors, tokenizer.json) for semantic
        /// search; without one, searches rank by words alone. `./build.sh serve` passes all-MiniLM-L6-v2.
        #[arg(long, env = "QUINCER_EMBEDDING_MODEL")]
        embedding_model: Option<PathBuf>,
        /// How searches rank: words and meaning fused, words only, or meaning only (needs --embedding-model).
        #[arg(long, env = "QUINCER_RETRIEVAL", value_enum, default_value = "hybrid")]
        retrieval: Mode,
    },
    /// Manage developer keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

/// Requests a minute; the defaults are the documented limits of the developer API.
#[derive(clap::Args)]
struct LimitArgs {
    /// `GET` requests per developer key.
    #[arg(long, env = "QUINCER_RATE_LIMIT_DEV_READS", default_value_t = RateLimits::default().dev_reads)]
    rate_limit_dev_reads: u32,
    /// Other requests per developer key.
    #[arg(long, env = "QUINCER_RATE_LIMIT_DEV_WRITES", default_value_t = RateLimits::default().dev_writes)]
    rate_limit_dev_writes: u32,
    /// Requests to the public widget endpoints per client address.
    #[arg(long, env = "QUINCER_RATE_LIMIT_PUBLIC_IP", default_value_t = RateLimits::default().public_per_ip)]
    rate_limit_public_ip: u32,
    /// Chat messages per visitor.
    #[arg(long, env = "QUINCER_RATE_LIMIT_CHAT", default_value_t = RateLimits::default().chat_per_visitor)]
    rate_limit_chat: u32,
}

impl From<LimitArgs> for RateLimits {
    fn from(a: LimitArgs) -> Self {
        RateLimits {
            dev_reads: a.rate_limit_dev_reads,
            dev_writes: a.rate_limit_dev_writes,
            public_per_ip: a.rate_limit_public_ip,
            chat_per_visitor: a.rate_limit_chat,
        }
    }
}

/// Outbound calls to URLs clients give (webhook receivers, storefronts) are refused when they lead to loopback,
/// private, link-local or unspecified addresses, except in the demo, whose peers run on this machine.
#[derive(clap::Args)]
struct OutboundArgs {
    /// Allow webhooks and storefront imports to reach internal addresses (default: only with --demo).
    #[arg(long, env = "QUINCER_ALLOW_PRIVATE_NETWORK", num_args = 0..=1, default_missing_value = "true")]
    allow_private_network: Option<bool>,
    /// Hosts (names or IP addresses) allowed even when internal; comma-separated in the environment variable.
    #[arg(long = "allow-outbound-host", env = "QUINCER_ALLOW_OUTBOUND_HOSTS", value_delimiter = ',')]
    allow_outbound_hosts: Vec<String>,
}

impl OutboundArgs {
    /// The policy; `demo` decides when `--allow-private-network` is not given.
    fn policy(self, demo: bool) -> OutboundPolicy {
        OutboundPolicy {
            allow_private: self.allow_private_network.unwrap_or(demo),
            allow_hosts: self
                .allow_outbound_hosts
                .iter()
                .map(|h| h.trim().trim_start_matches('[').trim_end_matches(']').to_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Mint a developer key and print it (once: only its hash is stored).
    Create {
        /// Organisation id the key belongs to.
        #[arg(long)]
        org: String,
        /// Comma- or space-separated scopes, e.g. `conversations:read,conversations:takeover`.
        #[arg(long)]
        scopes: String,
        /// A name to recognise the key by.
        #[arg(long, default_value = "")]
        name: String,
        /// Directory of the SQLite database.
        #[arg(long, env = "QUINCER_DATA", default_value = "data")]
        data: PathBuf,
    },
}

#[tokio::main]
async fn main() {
    // Logs go to stderr: stdout carries only the machine-readable QUINCER_* lines.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match cli.command {
        Command::Serve {
            addr,
            data,
            www,
            demo,
            reply_pace_ms,
            public_url,
            limits,
            outbound,
            llm,
            embedding_model,
            retrieval,
        } => {
            // Bound first: with port 0 the address (and so the demo store's public URL) is known only now.
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            let config = Config {
                data_dir: data,
                www_dir: www,
                demo,
                reply_pace: Duration::from_millis(reply_pace_ms),
                webhook_policy: Default::default(),
                public_url: Some(public_url.unwrap_or_else(|| format!("http://{local}"))),
                storefront: Default::default(),
                rate_limits: limits.into(),
                llm: llm.config(),
                outbound: outbound.policy(demo),
                embedding_model,
                retrieval,
            };
            let started = quincer_server::start(&config).await?;
            // Machine-readable lines: build.sh and the test harness read these.
            println!("QUINCER_URL=http://{local}");
            if let Some(keys) = &started.demo {
                println!("QUINCER_DEMO_URL=http://{local}/demo/");
                println!("QUINCER_ORG_ID={}", keys.org_id);
                println!("QUINCER_WIDGET_ID={}", keys.widget_id);
                println!("QUINCER_WIDGET_KEY={}", keys.widget_key);
                println!("QUINCER_DEV_KEY={}", keys.dev_key);
            }
            tracing::info!("listening on http://{local}");
            quincer_server::serve(listener, started.state, shutdown_signal()).await?;
        }
        Command::Keys { command: KeysCommand::Create { org, scopes, name, data } } => {
            let db = quincer_server::db::open(&data).await?;
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?").bind(&org).fetch_optional(&db).await?;
            if exists.is_none() {
                return Err(format!("no organisation `{org}` in {}", data.display()).into());
            }
            let scopes: Vec<&str> = scopes.split([',', ' ']).filter(|s| !s.is_empty()).collect();
            provision::validate_scopes(&scopes)?;
            let key = provision::create_dev_key(&db, &org, &name, &scopes).await?;
            println!("{key}");
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
