//! The demo (`--demo`): a seeded workspace for a fictional outdoor shop, the demo pages that embed its widget, and
//! a Shopify-like store under `/shop/` to import from and add to cart. Production code never imports this module:
//! [`crate::config::start`] calls [`start`] when asked for the demo, and mounts [`router`] beside the product's
//! routes; without `--demo` those routes answer 404 naming the flag.
//!
//! # Layout
//! - [`seed`]: the demo workspace (organisation, widget, personas, knowledge) and its keys file.
//! - [`pages`]: the demo site's pages, a page per persona, with the demo key filled in.
//! - [`shop`]: the store (catalog, product pages, Ajax cart, images).

pub mod pages;
pub mod seed;
pub mod shop;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::store::Db;
use axum::Router;

pub use seed::DemoKeys;
use shop::{Carts, Catalog};

/// Placeholder for the demo widget's key in demo and store pages: the key is minted on the first start and
/// differs between installations.
pub const KEY_PLACEHOLDER: &str = "{{QUINCER_WIDGET_KEY}}";

/// What the demo's routes read.
#[derive(Clone, Default)]
pub struct DemoState {
    /// The demo widget's key; `None` when the demo is off (every demo route then answers 404).
    pub widget_key: Option<String>,
    /// The static site's folder (`www/`), holding `demo/` and `shop/`.
    pub www_dir: PathBuf,
    /// The store's catalog; `None` when the demo is off or its catalog could not be read.
    pub shop: Option<Arc<Catalog>>,
    /// The store's carts.
    pub carts: Carts,
}

/// Seeds the demo workspace (on the first start), imports the store's catalog into its widget (on every start:
/// product URLs follow `public_url`), and returns its keys and the state of its routes. A store catalog that
/// cannot be read turns the store off, with a warning, not the demo.
///
/// # Errors
/// Database or file-system errors, or a failed import.
pub async fn start(
    db: &Db,
    data_dir: &Path,
    www_dir: &Path,
    public_url: &str,
) -> Result<(DemoKeys, DemoState), Box<dyn std::error::Error + Send + Sync>> {
    let keys = seed::ensure_demo(db, data_dir).await?;
    let shop = match Catalog::load(www_dir).await {
        Ok(catalog) => {
            let catalog = Arc::new(catalog);
            seed::import_demo_store(db, &keys.widget_id, catalog.clone(), public_url.trim_end_matches('/')).await?;
            Some(catalog)
        }
        Err(e) => {
            tracing::warn!(error = %e, "the demo store is off: its catalog could not be read");
            None
        }
    };
    let state = DemoState {
        widget_key: Some(keys.widget_key.clone()),
        www_dir: www_dir.to_owned(),
        shop,
        carts: Carts::default(),
    };
    Ok((keys, state))
}

/// The demo's routes: its pages and its store, with their state.
pub fn router(state: DemoState) -> Router {
    pages::router().merge(shop::router()).with_state(state)
}
