//! Which variants of a product fit a [`ProductQuery`], and which one its card leads with.
//!
//! Every condition is checked per variant, so "navy in M under $150" needs one variant that is navy, M and under
//! $150 at once. With no colour or size asked, every variant is a candidate and the price bound applies to the
//! cheapest fitting one, i.e. the product's min price for `under`, and any variant for `over` (a jacket whose XXL
//! costs more than $300 is a jacket over $300, and its card then leads with that XXL).

use super::colors;
use super::query::{letter_size, ProductQuery};
use super::{price_cents, StoredProduct, StoredVariant};

/// Whether `text` contains `word` as a whole word, ignoring case (`Navy Blue` has `navy`; `Blackout` has no `black`).
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word) || (word == "grey" && w.eq_ignore_ascii_case("gray")))
}

fn values(v: &StoredVariant) -> impl Iterator<Item = &String> {
    [&v.option1, &v.option2, &v.option3].into_iter().flatten()
}

/// Whether a variant option value is `size` (`M` = `Medium`; `10` = `US 10`; `5x8` = `5' x 8'`; `Queen` =
/// `Full/Queen`; `California King` only `California King`).
fn is_size(value: &str, size: &str) -> bool {
    let squashed = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    if size.contains('x') && size.starts_with(|c: char| c.is_ascii_digit()) {
        return squashed(value) == size;
    }
    if matches!(size, "Twin" | "Full" | "Queen" | "King" | "California King") {
        let value = value.to_lowercase();
        let words: Vec<&str> = value.split(|c: char| !c.is_alphanumeric()).collect();
        return if size == "California King" {
            value.contains("california king") || value.contains("cal king")
        } else if size == "King" {
            words.contains(&"king") && !value.contains("california") && !value.contains("cal king")
        } else {
            words.contains(&size.to_lowercase().as_str())
        };
    }
    if size.starts_with(|c: char| c.is_ascii_digit()) {
        value.split(|c: char| !(c.is_alphanumeric() || c == '.')).any(|w| w == size)
    } else {
        letter_size(value) == Some(size)
    }
}

/// Whether a variant fits the query's colour, size, stock, sale and price conditions.
///
/// A colour fits a variant whose option values name it or a shade of it ([`colors::value_fits`]: "blue" fits
/// Navy); a product whose variants name no colour at all may name one in its title or tags (`Red Beanie`), and then
/// it fits every variant.
pub fn fits(product: &StoredProduct, variant: &StoredVariant, q: &ProductQuery) -> bool {
    let colour_ok = q.colors.is_empty() || {
        let colour_values =
            product.variants.iter().any(|v| values(v).any(|x| !colors::families_of_value(x).is_empty()));
        q.colors.iter().any(|c| {
            if colour_values || product.variants.iter().any(|v| values(v).any(|x| has_word(x, c))) {
                values(variant).any(|x| colors::value_fits(x, c))
            } else {
                has_word(&product.title, c) || product.tags.iter().any(|t| has_word(t, c))
            }
        })
    };
    let size_ok = q.sizes.is_empty() || q.sizes.iter().any(|s| values(variant).any(|x| is_size(x, s)));
    let price = price_cents(&variant.price);
    let price_ok = match price {
        Some(p) => q.min_cents.is_none_or(|min| p >= min) && q.max_cents.is_none_or(|max| p <= max),
        None => q.min_cents.is_none() && q.max_cents.is_none(),
    };
    let sale_ok = !q.on_sale
        || variant.compare_at_price.as_deref().and_then(price_cents).zip(price).is_some_and(|(was, now)| was > now);
    colour_ok && size_ok && price_ok && sale_ok && (!q.in_stock || variant.available)
}

/// The variant a card should lead with: the first fitting available one, else the first fitting one; `None` when
/// no variant fits (the product is no answer).
pub fn best_variant(product: &StoredProduct, q: &ProductQuery) -> Option<usize> {
    let fitting: Vec<usize> = (0..product.variants.len()).filter(|&i| fits(product, &product.variants[i], q)).collect();
    fitting.iter().copied().find(|&i| product.variants[i].available).or_else(|| fitting.first().copied())
}

/// The price in cents of the cheapest variant that fits (the price "cheap" sorts by), if any fits.
pub fn cheapest_fit(product: &StoredProduct, q: &ProductQuery) -> Option<i64> {
    product.variants.iter().filter(|v| fits(product, v, q)).filter_map(|v| price_cents(&v.price)).min()
}

/// The index of the cheapest variant that fits, preferring ones that can be bought.
pub fn cheapest_variant(product: &StoredProduct, q: &ProductQuery) -> Option<usize> {
    (0..product.variants.len())
        .filter(|&i| fits(product, &product.variants[i], q))
        .min_by_key(|&i| (!product.variants[i].available, price_cents(&product.variants[i].price).unwrap_or(i64::MAX)))
}

/// Moves variant `index` to the front, keeping the others in the store's order: the card then shows (and, when it
/// can be bought, preselects) the variant the visitor asked about, and still offers every variant.
pub fn lead_with(product: &mut StoredProduct, index: usize) {
    if index > 0 && index < product.variants.len() {
        let v = product.variants.remove(index);
        product.variants.insert(0, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::query::parse;
    use crate::catalog::StoredOption;

    fn variant(id: u64, size: &str, color: &str, price: &str, compare: Option<&str>, available: bool) -> StoredVariant {
        StoredVariant {
            id,
            title: format!("{size} / {color}"),
            option1: Some(size.into()),
            option2: Some(color.into()),
            option3: None,
            sku: None,
            price: price.into(),
            compare_at_price: compare.map(Into::into),
            available,
            image: None,
        }
    }

    fn fleece() -> StoredProduct {
        StoredProduct {
            product_id: 1,
            title: "Ridge Fleece".into(),
            handle: "ridge-fleece".into(),
            body_text: String::new(),
            vendor: String::new(),
            product_type: "Fleece".into(),
            tags: vec![],
            options: vec![
                StoredOption { name: "Size".into(), values: vec!["S".into(), "Medium".into()] },
                StoredOption { name: "Color".into(), values: vec!["Navy Blue".into(), "Olive".into()] },
            ],
            variants: vec![
                variant(1, "S", "Olive", "60.00", None, true),
                variant(2, "Medium", "Navy Blue", "60.00", Some("80.00"), false),
                variant(3, "Medium", "Olive", "65.00", None, true),
                variant(4, "S", "Navy Blue", "60.00", Some("80.00"), true),
            ],
            images: vec![],
            url: "https://s.test/products/ridge-fleece".into(),
        }
    }

    #[test]
    fn colour_and_size_must_meet_in_one_variant() {
        let p = fleece();
        assert_eq!(best_variant(&p, &parse("navy fleece in size M")), Some(1), "sold out, but the only fit");
        assert_eq!(best_variant(&p, &parse("navy fleece in size M in stock")), None);
        assert_eq!(best_variant(&p, &parse("navy fleece")), Some(3), "the available navy one");
        assert_eq!(best_variant(&p, &parse("olive fleece, medium size")), Some(2));
        assert_eq!(best_variant(&p, &parse("red fleece")), None);
    }

    #[test]
    fn price_and_sale_are_per_variant() {
        let p = fleece();
        assert_eq!(best_variant(&p, &parse("fleece over $62")), Some(2));
        assert_eq!(best_variant(&p, &parse("fleece under $50")), None);
        assert_eq!(best_variant(&p, &parse("fleece on sale")), Some(3));
        assert_eq!(best_variant(&p, &parse("fleece")), Some(0));
        assert_eq!(cheapest_fit(&p, &parse("olive fleece")), Some(6000));
        assert_eq!(cheapest_variant(&p, &parse("fleece over $61")), Some(2));
        assert_eq!(cheapest_variant(&p, &parse("navy fleece")), Some(3), "available before sold out");
    }

    #[test]
    fn colour_in_the_title_fits_every_variant() {
        let mut p = fleece();
        p.title = "Red Beanie".into();
        p.variants = vec![variant(9, "One Size", "Default", "20.00", None, true)];
        assert_eq!(best_variant(&p, &parse("red beanie")), Some(0));
        assert_eq!(best_variant(&p, &parse("grey beanie")), None);
    }

    #[test]
    fn sizes_match_spellings_and_numbers() {
        assert!(is_size("Medium", "M") && is_size("X-Large", "XL") && is_size("2XL", "XXL"));
        assert!(is_size("US 10", "10") && is_size("10.5", "10.5") && !is_size("10.5", "10"));
        assert!(!is_size("Small", "M"));
        assert!(is_size("5' x 8'", "5x8") && !is_size("8' x 10'", "5x8"));
        assert!(is_size("Full/Queen", "Queen") && is_size("King", "King") && !is_size("California King", "King"));
        assert!(is_size("California King", "California King") && is_size("Twin", "Twin") && is_size("Full", "Full"));
        assert!(has_word("Heather Gray", "grey") && !has_word("Blackout", "black"));
    }

    #[test]
    fn leading_keeps_every_variant() {
        let mut p = fleece();
        lead_with(&mut p, 3);
        assert_eq!(p.variants.iter().map(|v| v.id).collect::<Vec<_>>(), [4, 1, 2, 3]);
    }
}
