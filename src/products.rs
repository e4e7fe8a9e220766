//! Product panel logic with no DOM: which variant the visitor's choices select, what a card shows for it, and
//! which URLs product data may carry.
//!
//! Product data comes from the store and through the AI's answer, so it is untrusted: only `http(s)` URLs are ever
//! used as links or images, and text is only ever set as text.

use quincer_protocol::products::{ProductCard, ProductImage, VariantCard};

/// `url` if it is an absolute `http:` or `https:` URL (any case), else `None`: no `javascript:`, `data:` or
/// relative URLs from product data.
pub fn http_url(url: &str) -> Option<&str> {
    let url = url.trim();
    // Prefix checks, not `find("://")`: substring search would add its own ~2.5 KB of code to the wasm.
    let rest = strip_prefix_ignore_case(url, "https://").or_else(|| strip_prefix_ignore_case(url, "http://"))?;
    (!rest.is_empty()).then_some(url)
}

/// `s` without `prefix`, compared ASCII case-insensitively.
fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len()).filter(|head| head.eq_ignore_ascii_case(prefix))?;
    s.get(prefix.len()..)
}

/// The variant shown first: the first one available, else the first.
pub fn initial_variant(card: &ProductCard) -> usize {
    card.variants.iter().position(|v| v.available).unwrap_or(0)
}

/// The variant whose option values are exactly `chosen` (one per option, in option order), if the store sells
/// that combination.
pub fn find_variant(card: &ProductCard, chosen: &[String]) -> Option<usize> {
    card.variants
        .iter()
        .position(|v| v.options.len() == chosen.len() && v.options.iter().zip(chosen).all(|(a, b)| a == b))
}

/// What a card shows for one variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardView<'a> {
    /// The variant's image, else the product's, if it has a usable one.
    pub image: Option<&'a ProductImage>,
    /// Price string to format.
    pub price: &'a str,
    /// The struck-through price when on sale.
    pub compare_at: Option<&'a str>,
    /// Whether "Add to cart" is possible.
    pub available: bool,
    /// The variant id the cart takes.
    pub variant_id: u64,
}

/// What the card shows for `variant`.
pub fn view_of<'a>(card: &'a ProductCard, variant: &'a VariantCard) -> CardView<'a> {
    let usable = |img: &&ProductImage| http_url(&img.src).is_some();
    CardView {
        image: variant.image.as_ref().filter(usable).or_else(|| card.image.as_ref().filter(usable)),
        price: &variant.price,
        compare_at: variant.compare_at_price.as_deref(),
        available: variant.available,
        variant_id: variant.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quincer_protocol::products::ProductOption;

    fn variant(id: u64, options: &[&str], price: &str, available: bool) -> VariantCard {
        VariantCard {
            id,
            title: options.join(" / "),
            options: options.iter().map(|s| s.to_string()).collect(),
            price: price.into(),
            compare_at_price: None,
            available,
            image: None,
        }
    }

    fn image(src: &str) -> ProductImage {
        ProductImage { src: src.into(), width: Some(10), height: Some(10), alt: "x".into() }
    }

    fn card() -> ProductCard {
        ProductCard {
            id: 1,
            title: "Storm Shell".into(),
            url: "https://s.test/products/storm".into(),
            vendor: None,
            image: Some(image("https://cdn.test/p.jpg")),
            options: vec![
                ProductOption { name: "Size".into(), values: vec!["S".into(), "M".into()] },
                ProductOption { name: "Color".into(), values: vec!["Navy".into(), "Red".into()] },
            ],
            variants: vec![
                variant(11, &["S", "Navy"], "120.00", false),
                variant(12, &["M", "Navy"], "125.00", true),
                variant(13, &["M", "Red"], "125.00", true),
            ],
        }
    }

    #[test]
    fn only_absolute_http_urls_pass() {
        assert_eq!(http_url("https://x.test/a"), Some("https://x.test/a"));
        assert_eq!(http_url(" HTTP://x.test "), Some("HTTP://x.test"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt://x",
            "data:image/png;base64,xx",
            "/relative",
            "//x.test/a",
            "https://",
            "ftp://x",
            "",
        ] {
            assert_eq!(http_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn first_available_variant_is_preselected() {
        assert_eq!(initial_variant(&card()), 1);
        let mut sold_out = card();
        sold_out.variants.iter_mut().for_each(|v| v.available = false);
        assert_eq!(initial_variant(&sold_out), 0);
    }

    #[test]
    fn choices_select_a_variant_or_none() {
        let c = card();
        assert_eq!(find_variant(&c, &["M".into(), "Red".into()]), Some(2));
        assert_eq!(find_variant(&c, &["S".into(), "Red".into()]), None, "a combination the store does not sell");
        assert_eq!(find_variant(&c, &["M".into()]), None);
    }

    #[test]
    fn a_variant_image_wins_and_unsafe_images_are_dropped() {
        let mut c = card();
        c.variants[2].image = Some(image("https://cdn.test/red.jpg"));
        c.variants[1].image = Some(image("javascript:alert(1)"));
        assert_eq!(view_of(&c, &c.variants[2]).image.map(|i| i.src.as_str()), Some("https://cdn.test/red.jpg"));
        assert_eq!(view_of(&c, &c.variants[1]).image.map(|i| i.src.as_str()), Some("https://cdn.test/p.jpg"));
        c.image = Some(image("data:x"));
        assert_eq!(view_of(&c, &c.variants[0]).image, None);
        let v = view_of(&c, &c.variants[0]);
        assert_eq!((v.price, v.available, v.variant_id), ("120.00", false, 11));
    }
}
