//! Small formatting rules with no DOM: times, URLs from untrusted data, product prices and what a product card
//! shows.

use quincer_protocol::products::{ProductCard, ProductImage};

/// `HH:MM` of an RFC 3339 time (UTC, as the server sends it); the date too when it is not `today` (`YYYY-MM-DD`).
pub fn short_time(rfc3339: &str, today: &str) -> String {
    let (Some(date), Some(time)) = (rfc3339.get(..10), rfc3339.get(11..16)) else { return rfc3339.to_owned() };
    if date == today {
        time.to_owned()
    } else {
        format!("{date} {time}")
    }
}

/// `url` if it is an absolute `http(s)` URL, else `None` (no `javascript:` or `data:` links from untrusted data).
pub fn http_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    (!rest.is_empty()).then_some(url)
}

/// A page URL as the list shows it: host and path, without the scheme, query or fragment.
pub fn page_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    rest[..end].trim_end_matches('/').to_owned()
}

/// A price in the store's currency: `$129.00`, `€129.90`, `£5.00`, else `129.00 CHF`.
pub fn price(amount: &str, currency: &str) -> String {
    match currency {
        "USD" => format!("${amount}"),
        "EUR" => format!("€{amount}"),
        "GBP" => format!("£{amount}"),
        _ => format!("{amount} {currency}"),
    }
}

/// What a product card shows in the transcript: the first variant that can be bought (else the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSummary<'a> {
    /// Product title.
    pub title: &'a str,
    /// The product page, if its URL is `http(s)`.
    pub url: Option<&'a str>,
    /// The image, if its URL is `http(s)`.
    pub image: Option<&'a ProductImage>,
    /// The brand.
    pub vendor: Option<&'a str>,
    /// The price, formatted.
    pub price: String,
    /// The price before a sale.
    pub compare_at: Option<String>,
    /// Whether it can be bought now.
    pub available: bool,
    /// The variant's title, when the product has several.
    pub variant: Option<&'a str>,
}

/// The summary of `card`, priced in `currency`.
pub fn card_summary<'a>(card: &'a ProductCard, currency: &str) -> CardSummary<'a> {
    let variant = card.variants.iter().find(|v| v.available).or(card.variants.first());
    let image = variant.and_then(|v| v.image.as_ref()).or(card.image.as_ref()).filter(|i| http_url(&i.src).is_some());
    CardSummary {
        title: &card.title,
        url: http_url(&card.url),
        image,
        vendor: card.vendor.as_deref(),
        price: variant.map(|v| price(&v.price, currency)).unwrap_or_default(),
        compare_at: variant.and_then(|v| v.compare_at_price.as_deref()).map(|p| price(p, currency)),
        available: variant.is_some_and(|v| v.available),
        variant: variant.filter(|_| card.variants.len() > 1).map(|v| v.title.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quincer_protocol::products::{ProductPanel, VariantCard};

    #[test]
    fn times_show_the_date_only_on_other_days() {
        assert_eq!(short_time("2026-12-02T20:57:17Z", "2026-12-02"), "20:57");
        assert_eq!(short_time("2026-12-01T08:05:00Z", "2026-12-02"), "2026-12-01 08:05");
        assert_eq!(short_time("soon", "2026-12-02"), "soon");
    }

    #[test]
    fn only_http_urls_pass() {
        assert_eq!(http_url(" HTTPS://shop.test/p "), Some("HTTPS://shop.test/p"));
        assert_eq!(http_url("http://x"), Some("http://x"));
        assert_eq!(http_url("javascript:alert(1)"), None);
        assert_eq!(http_url("data:text/html,x"), None);
        assert_eq!(http_url("https://"), None);
        assert_eq!(http_url("/relative"), None);
    }

    #[test]
    fn page_labels_drop_scheme_and_query() {
        assert_eq!(page_label("https://shop.test/products/parka?utm=x#top"), "shop.test/products/parka");
        assert_eq!(page_label("https://shop.test/"), "shop.test");
    }

    #[test]
    fn cards_show_the_first_available_variant() {
        let json = r#"{"currency":"USD","products":[{"id":1,"title":"Parka","url":"javascript:x","vendor":"North",
            "image":{"src":"https://img.test/p.jpg","alt":"Parka"},"options":[],"variants":[
            {"id":10,"title":"S","price":"99.00","available":false},
            {"id":11,"title":"M","price":"129.00","compare_at_price":"159.00","available":true}]}]}"#;
        let panel: ProductPanel = serde_json::from_str(json).unwrap();
        let s = card_summary(&panel.products[0], &panel.currency);
        assert_eq!(s.price, "$129.00");
        assert_eq!(s.compare_at.as_deref(), Some("$159.00"));
        assert!(s.available);
        assert_eq!(s.url, None);
        assert_eq!(s.variant, Some("M"));
        assert_eq!(s.image.unwrap().src, "https://img.test/p.jpg");
    }

    #[test]
    fn sold_out_cards_say_so() {
        let card = ProductCard {
            id: 1,
            title: "Mug".into(),
            url: "https://s.test/mug".into(),
            vendor: None,
            image: None,
            options: vec![],
            variants: vec![VariantCard {
                id: 2,
                title: "Default".into(),
                options: vec![],
                price: "12.00".into(),
                compare_at_price: None,
                available: false,
                image: None,
            }],
        };
        let s = card_summary(&card, "CHF");
        assert_eq!(s.price, "12.00 CHF");
        assert!(!s.available);
        assert_eq!(s.variant, None);
    }
}
