//! The currency a widget's prices are in: what the site owner configured, else what the last storefront import
//! detected, else a fallback. Apart from the catalog's types ([`super`]), which the store reads its rows into.

use crate::store::{self, Db};

/// The currency used when neither the site owner configured one nor the store named one: most Shopify stores
/// price in US dollars, and a panel needs some code to format prices with.
pub const FALLBACK_CURRENCY: &str = "USD";

/// The ISO 4217 currency a widget's prices are in: the configured `widgets.currency`, else the one the last
/// storefront import detected (`widgets.storefront_currency`), else [`FALLBACK_CURRENCY`].
///
/// # Errors
/// Database errors only; an unknown widget gets the fallback.
pub async fn currency(db: &Db, widget_id: &str) -> Result<String, sqlx::Error> {
    Ok(pick_currency(store::products::currencies(db, widget_id).await?))
}

/// [`currency`]'s choice from a widget's `(currency, storefront_currency)` row.
pub fn pick_currency(row: Option<(Option<String>, Option<String>)>) -> String {
    let (configured, detected) = row.unwrap_or_default();
    [configured, detected]
        .into_iter()
        .flatten()
        .map(|c| c.trim().to_ascii_uppercase())
        .find(|c| !c.is_empty())
        .unwrap_or_else(|| FALLBACK_CURRENCY.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_currency_wins_then_detected_then_usd() {
        let pick = |c: Option<&str>, d: Option<&str>| pick_currency(Some((c.map(Into::into), d.map(Into::into))));
        assert_eq!(pick(Some("eur"), Some("GBP")), "EUR");
        assert_eq!(pick(None, Some("GBP")), "GBP");
        assert_eq!(pick(Some(" "), Some("GBP")), "GBP");
        assert_eq!(pick(None, None), "USD");
        assert_eq!(pick_currency(None), "USD");
    }
}
