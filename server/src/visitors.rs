//! Visitors' identity in the database: what the host page said about them (`POST /api/widget/identify`), merged
//! call after call, and read back for the identify answer and the developer API's conversations.
//!
//! Requests are checked by [`crate::public::identify`]; this module only stores a valid patch. The one rule it
//! enforces itself is the trait count, because only the merged result (stored traits plus the patch) can be counted.

use std::collections::BTreeMap;

use quincer_protocol::identify::{IdentifyRequest, TraitValue, Visitor, MAX_TRAITS};

use crate::error::{ApiError, ApiResult};
use crate::leads::capture::{capture, CaptureSource};
use crate::leads::Captured;
use crate::store::{self, visitors as store_visitors, Db, Tx};

/// A visitor as the API shows it, from its stored columns.
pub fn from_columns(
    id: String,
    email: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    traits: &str,
    identified_at: Option<String>,
) -> Visitor {
    Visitor {
        object: "visitor".into(),
        id,
        email,
        name,
        phone,
        external_id,
        traits: parse_traits(traits),
        identified_at,
    }
}

/// Stored traits. Only [`identify`] writes them, so a value that does not decode is logged and shown as no traits
/// rather than failing every conversation that names this visitor.
fn parse_traits(json: &str) -> BTreeMap<String, TraitValue> {
    serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "a visitor's stored traits do not decode");
        BTreeMap::new()
    })
}

/// Loads visitor `id`, or `None` if it does not exist.
///
/// # Errors
/// Database errors.
pub async fn load<'e>(db: impl store::Exec<'e>, id: &str) -> Result<Option<Visitor>, sqlx::Error> {
    let row = store_visitors::identity(db, id).await?;
    Ok(row.map(|r| from_columns(r.id, r.email, r.name, r.phone, r.external_id, &r.traits, r.identified_at)))
}

/// Merges a checked identify request into visitor `id` and returns the visitor as stored.
///
/// Fields the request leaves out keep their values, `null` clears a field or removes a trait, and `identified_at`
/// becomes now. Nothing is stored if the merge fails.
///
/// # Errors
/// 400 if the merged traits would exceed [`MAX_TRAITS`]; 401 if the visitor is gone (its widget was deleted
/// meanwhile); database errors.
pub async fn identify(db: &Db, id: &str, patch: &IdentifyRequest) -> ApiResult<Visitor> {
    let mut tx = db.begin().await?;
    // A write first: it takes SQLite's write lock, so the traits read next cannot change before this transaction
    // commits. Two identify calls racing are serialised, and neither loses the other's traits.
    if !store_visitors::set_identity(&mut *tx, id, patch).await? {
        return Err(ApiError::Unauthorized(
            "unknown visitor token for this widget: start a new session with POST /api/widget/session".into(),
        ));
    }

    if !patch.traits.is_empty() {
        let stored = store_visitors::traits(&mut *tx, id).await?;
        let mut traits = parse_traits(&stored);
        for (key, value) in &patch.traits {
            match value {
                Some(value) => traits.insert(key.clone(), value.clone()),
                None => traits.remove(key),
            };
        }
        if traits.len() > MAX_TRAITS {
            // Dropping `tx` rolls the known fields back too: a refused request changes nothing.
            return Err(ApiError::bad_request(format!(
                "too many traits: a visitor has at most {MAX_TRAITS} custom traits, and this request would leave {}; \
                 remove some with null",
                traits.len()
            )));
        }
        let json = serde_json::to_string(&traits).map_err(|e| ApiError::Internal(format!("traits: {e}")))?;
        store_visitors::set_traits(&mut *tx, id, &json).await?;
    }

    update_lead(&mut tx, id, patch).await?;
    let visitor =
        load(&mut *tx, id).await?.ok_or_else(|| ApiError::Internal(format!("visitor `{id}` vanished mid-update")))?;
    tx.commit().await?;
    Ok(visitor)
}

/// The host page's identity feeds the visitor's lead: an existing lead is updated with the details given; a new one
/// is created only when the visitor is talking to a persona that captures leads (which links it to that
/// conversation). Queues the lead webhooks; the caller wakes the dispatcher.
async fn update_lead(tx: &mut Tx<'_>, id: &str, patch: &IdentifyRequest) -> Result<(), sqlx::Error> {
    let details = Captured {
        name: patch.name.clone().flatten(),
        email: patch.email.clone().flatten(),
        phone: patch.phone.clone().flatten(),
    };
    if details.name.is_none() && details.email.is_none() && details.phone.is_none() {
        return Ok(());
    }
    let (widget_id, org_id) = store_visitors::widget_and_org(&mut **tx, id).await?;
    let capturing = store_visitors::capturing_conversation(&mut **tx, id).await?;
    let from = CaptureSource {
        org_id: &org_id,
        widget_id: &widget_id,
        visitor_id: id,
        conversation_id: capturing.as_deref(),
        source: "identify",
    };
    capture(tx, &from, &details, capturing.is_some()).await?;
    Ok(())
}
