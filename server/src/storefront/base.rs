//! The store URL a client gives, as the base every store path hangs off.

use url::{ParseError, Url};

/// Normalises a store URL to a base without trailing slash, query, fragment or credentials
/// (`https://Shop.example/collections/?a=1#x` → `https://shop.example/collections`).
///
/// A bare host (`shop.example`) means `https://`. A pasted feed URL (`…/products.json`) is cut back to its store.
///
/// # Errors
/// A sentence for the client when it is not an `http(s)` URL with a host.
pub fn normalise_base(given: &str) -> Result<String, String> {
    let given = given.trim();
    if given.is_empty() {
        return Err("`url` is empty: give the storefront's address, e.g. https://shop.example".into());
    }
    let invalid = |e: ParseError| format!("`url` is not a valid URL ({e}): {given}");
    let mut url = match Url::parse(given) {
        // `shop.example/en` has no scheme; `shop.example:8080` parses as scheme `shop.example`.
        Err(ParseError::RelativeUrlWithoutBase) => Url::parse(&format!("https://{given}")).map_err(invalid)?,
        Ok(url) if !given.contains("://") && url.path().starts_with(|c: char| c.is_ascii_digit()) => {
            Url::parse(&format!("https://{given}")).map_err(invalid)?
        }
        other => other.map_err(invalid)?,
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`url` must be an http or https URL, not `{}:`", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`url` has no host: {given}"));
    }
    url.set_query(None);
    url.set_fragment(None);
    // Credentials in a stored URL would leak into product links.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let mut base = url.to_string();
    while base.ends_with('/') {
        base.pop();
    }
    for suffix in ["/products.json", "/products"] {
        if let Some(stripped) = base.strip_suffix(suffix) {
            base = stripped.to_owned();
        }
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_store_urls() {
        let ok = |s: &str| normalise_base(s).unwrap();
        assert_eq!(ok("https://shop.example"), "https://shop.example");
        assert_eq!(ok("https://shop.example/"), "https://shop.example");
        assert_eq!(ok(" HTTPS://Shop.Example/en/?ref=ad#top "), "https://shop.example/en");
        assert_eq!(ok("http://127.0.0.1:8787/shop/"), "http://127.0.0.1:8787/shop");
        assert_eq!(ok("shop.example"), "https://shop.example");
        assert_eq!(ok("localhost:8080/shop"), "https://localhost:8080/shop");
        assert_eq!(ok("https://user:pw@shop.example/products.json?limit=1"), "https://shop.example");
        assert_eq!(ok("https://shop.example/shop/products/"), "https://shop.example/shop");
    }

    #[test]
    fn refuses_what_is_no_web_address() {
        for bad in ["", "  ", "ftp://shop.example", "javascript:alert(1)", "mailto:a@b.c", "https://", "http://[::1"] {
            assert!(normalise_base(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(normalise_base("ftp://x.example").unwrap_err().contains("http or https"));
    }
}
