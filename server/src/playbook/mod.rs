//! The sales playbook: what a sales persona argues with. Entries are written through `/api/v1/playbook` or made
//! from an uploaded document ([`document`] reads it, [`rules`] cuts it into entries, [`model`] asks the configured
//! model instead when there is one).
//!
//! The responder uses the playbook through the knowledge search: every entry whose category answers visitors
//! ([`ANSWERING`]: objection handlers, pricing, competitor comparisons) is mirrored as a knowledge item
//! (`source_type = 'playbook'`), kept in step on every write here, so both the offline responder and the model path
//! draw on it. Personas have no sales-mode field in this server yet, so the mirror is unbound: every persona of the
//! widget uses it.

pub mod document;
pub mod model;
pub mod rules;

use crate::error::ApiError;
use crate::ids;
use crate::store::playbook::{self as store, NewEntry};
use crate::store::Tx;

/// The categories an entry may have.
pub const CATEGORIES: [&str; 6] =
    ["value_prop", "roi_data", "objection_handler", "competitor_comparison", "pricing", "case_study"];

/// The categories the responder answers visitors from (mirrored into the knowledge base).
pub const ANSWERING: [&str; 3] = ["objection_handler", "pricing", "competitor_comparison"];

/// `value` if it is one of [`CATEGORIES`].
///
/// # Errors
/// 400 naming the choices.
pub fn category(value: &str) -> Result<&'static str, ApiError> {
    let value = value.trim();
    CATEGORIES
        .iter()
        .find(|c| **c == value)
        .copied()
        .ok_or_else(|| ApiError::bad_request(format!("`category` must be one of {}", CATEGORIES.join(", "))))
}

/// Brings entry `id`'s knowledge mirror in step with `entry`: created, rewritten or deleted as its category says.
/// `mirror` is the entry's current link. Re-indexes the mirror's passages; the caller wakes the embedding indexer.
///
/// # Errors
/// Database errors.
pub async fn sync_mirror(
    tx: &mut Tx<'_>,
    id: &str,
    widget_id: &str,
    entry: &NewEntry,
    mirror: Option<&str>,
) -> Result<(), sqlx::Error> {
    let existing = match mirror {
        Some(k) if store::mirror_exists(tx, k).await? => Some(k.to_owned()),
        _ => None,
    };
    let answers = ANSWERING.contains(&entry.category.as_str());
    match (answers, existing) {
        (true, Some(k)) => {
            store::update_mirror(tx, &k, &entry.title, &entry.content).await?;
            crate::knowledge::chunks::index(tx, &k).await?;
        }
        (true, None) => {
            let k = ids::new_id("kn");
            store::insert_mirror(tx, &k, widget_id, &entry.title, &entry.content).await?;
            crate::knowledge::chunks::index(tx, &k).await?;
            store::link(tx, id, Some(&k)).await?;
        }
        (false, Some(k)) => {
            store::link(tx, id, None).await?;
            store::delete_mirror(tx, &k).await?;
        }
        (false, None) => store::link(tx, id, None).await?,
    }
    Ok(())
}

/// Whether knowledge item `knowledge_id` (a search's best hit) mirrors a playbook entry: then the chat answers
/// from it rather than from the catalog.
///
/// # Errors
/// Database errors.
pub async fn answers(db: &crate::store::Db, knowledge_id: Option<&str>) -> Result<bool, sqlx::Error> {
    match knowledge_id {
        Some(k) => store::is_mirror(db, k).await,
        None => Ok(false),
    }
}

/// Stores `entries` as new entries of `widget_id` from `source`, with their mirrors; returns their ids in order.
///
/// # Errors
/// Database errors.
pub async fn insert_all(
    tx: &mut Tx<'_>,
    widget_id: &str,
    entries: &[NewEntry],
    source: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let id = ids::new_id("pb");
        store::insert(tx, &id, widget_id, entry, source).await?;
        sync_mirror(tx, &id, widget_id, entry, None).await?;
        out.push(id);
    }
    Ok(out)
}
