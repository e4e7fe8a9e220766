//! State shared by every handler.

use std::path::PathBuf;
use std::sync::Arc;

use crate::store::Db;

use crate::emails::Outbox;
use crate::embedding::indexer::IndexerHandle;
use crate::events::EventHub;
use crate::ops::readiness::Readiness;
use crate::outbound::OutboundPolicy;
use crate::ratelimit::{RateCounter, RateLimits};
use crate::responder::openai::Provider;
use crate::responder::Responder;
use crate::retrieval::Retrieval;
use crate::storefront::FetchLimits;
use crate::webhooks::Dispatcher;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Writes the AI's answers when no model provider does: the offline responder.
    pub responder: Arc<dyn Responder>,
    /// The OpenAI-compatible model provider, when one is configured (see [`crate::responder::models`]).
    pub llm: Option<Arc<Provider>>,
    /// Folder with the loader, the built widget (`dist/`) and the demo's pages.
    pub www_dir: PathBuf,
    /// Wakes live event streams when a conversation's events change.
    pub hub: EventHub,
    /// Delivers queued webhook events.
    pub webhooks: Dispatcher,
    /// Sends queued lead emails over SMTP; `None` without `--smtp-url` (sending answers 409).
    pub outbox: Option<Outbox>,
    /// Runs due tasks (`crate::tasks`).
    pub tasks: crate::tasks::Runner,
    /// Bounds of storefront imports (time, size, pages).
    pub storefront: FetchLimits,
    /// Routes mounted beside the product's, with their own state: the demo's pages and store
    /// (`crate::demo::router`, wired by [`crate::config::start`]).
    pub demo_routes: axum::Router,
    /// Request limits per client.
    pub limits: RateLimits,
    /// Balancers whose `X-Forwarded-For` names the client whose address is counted.
    pub proxies: Arc<crate::ratelimit::TrustedProxies>,
    /// Request counters against [`AppState::limits`].
    pub limiter: Arc<RateCounter>,
    /// Which internal addresses outbound calls (webhooks, storefront imports) may reach.
    pub outbound: Arc<OutboundPolicy>,
    /// How searches rank, and the embedding model when one is loaded.
    pub retrieval: Arc<Retrieval>,
    /// Wakes the embedding indexer after writes that need vectors.
    pub indexer: IndexerHandle,
    /// Named readiness checks that parts of the server set, read by `GET /readyz` ([`crate::ops::readiness`]).
    pub readiness: Readiness,
}
