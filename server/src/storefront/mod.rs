//! Storefront import: a Shopify store's public catalog (`/products.json`, no app install) becomes the widget's
//! product catalog ([`crate::catalog`]) and searchable knowledge.
//!
//! # Layout
//! - [`base`]: the store URL as given by a client, normalised to a base (`https://shop.example`).
//! - [`feed`]: the wire types of Shopify's public `/products.json` feed, parsed leniently.
//! - [`text`]: `body_html` to plain text.
//! - [`fetch`]: HTTP fetching under a per-request timeout, a size cap per response and a page cap; [`FetchError`]
//!   says what went wrong with the store.
//! - [`mod@import`]: the pipeline. [`import::import`] reads *every* page from a [`PageSource`] first, then writes the
//!   whole catalog in one transaction, so a failure leaves the previous catalog exactly as it was.
//!
//! # Paging
//! Pages are read as `<base>/products.json?limit=250&page=N` from `N = 1` until a page with an empty `products`
//! array. Products are de-duplicated by id (a catalog changing during the import shifts items between pages). A
//! full page that brings no new product ends the import too: some stores ignore `page` and would otherwise repeat
//! their first page forever.
//!
//! # Errors (what the API answers)
//! | The store… | Status | Message starts with |
//! |---|---|---|
//! | answers 404 for `/products.json` | 422 | `the store answered 404 for <url>: is this a Shopify storefront?` |
//! | answers 401 or 403 | 422 | `the storefront is password-protected (401)…` |
//! | has more than `max_pages` pages | 422 | `the store has more than … pages of products…` |
//! | answers another non-2xx status | 502 | `the store answered <status> for <url>` |
//! | answers something that is not JSON (or not a product feed) | 502 | `<url> did not return JSON…` |
//! | answers a page larger than the cap (8 MB) | 502 | `<url> is larger than 8 MB…` |
//! | cannot be reached (DNS, refused connection, TLS) | 502 | `could not reach <url>…` |
//! | does not answer within the timeout (10 s) | 504 | `<url> did not answer within 10 s` |
//!
//! 422 means the URL names something that is not an importable storefront: the client has to change the URL or the
//! store's settings. 502 and 504 mean the store misbehaved; trying again later may work.

pub mod base;
pub mod feed;
pub mod fetch;
pub mod import;
pub mod text;

pub use base::normalise_base;
pub use fetch::{FetchError, FetchLimits, HttpStore, PageSource};
pub use import::{import, ImportError, ImportSummary};
