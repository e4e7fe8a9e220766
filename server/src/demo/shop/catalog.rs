//! The demo store's catalog: `www/shop/catalog.json` (Shopify `/products.json` products, written by
//! `scripts/gen-catalog.mjs`), paged like Shopify pages it, with image URLs made absolute for whoever asks.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::storefront::{FetchError, PageSource};

/// Where the catalog lives, under the www directory.
pub const CATALOG_FILE: &str = "shop/catalog.json";
/// Shopify's default page size.
pub const DEFAULT_LIMIT: usize = 30;
/// Shopify's largest page size.
pub const MAX_LIMIT: usize = 250;
/// The demo's own cap on a page, whatever `limit` asks: with 64+ products, any import reads at least three pages,
/// so the demo exercises pagination the way large stores do.
pub const DEMO_PAGE_CAP: usize = 25;
/// The demo store's currency.
pub const CURRENCY: &str = "USD";

/// The demo store's products, loaded once at start.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: Vec<Value>,
}

/// A variant found by id, with its product.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// The product (feed JSON).
    pub product: &'a Value,
    /// The variant (feed JSON).
    pub variant: &'a Value,
}

impl Catalog {
    /// Reads `<www_dir>/shop/catalog.json` (`{"products": [...]}`).
    ///
    /// # Errors
    /// A readable sentence when the file is missing or not a product list.
    pub async fn load(www_dir: &Path) -> Result<Catalog, String> {
        let path = www_dir.join(CATALOG_FILE);
        let bytes = tokio::fs::read(&path).await.map_err(|e| format!("{}: {e}", path.display()))?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let products = value
            .get("products")
            .and_then(Value::as_array)
            .cloned()
            .ok_or_else(|| format!("{}: no `products` array", path.display()))?;
        Ok(Catalog { products })
    }

    /// A catalog of these products (tests).
    pub fn from_products(products: Vec<Value>) -> Catalog {
        Catalog { products }
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// No products at all.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Page `page` (from 1) of `limit` products, as the demo serves it: `limit` defaults to 30, is at most 250, and
    /// the demo caps it at [`DEMO_PAGE_CAP`]. Past the end, the page is empty.
    pub fn page(&self, limit: Option<usize>, page: Option<usize>) -> &[Value] {
        let size = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT).min(DEMO_PAGE_CAP);
        let page = page.unwrap_or(1).max(1);
        let start = (page - 1).saturating_mul(size).min(self.products.len());
        let end = start.saturating_add(size).min(self.products.len());
        &self.products[start..end]
    }

    /// The product with this handle.
    pub fn by_handle(&self, handle: &str) -> Option<&Value> {
        self.products.iter().find(|p| p["handle"] == handle)
    }

    /// The variant with this id, and its product.
    pub fn variant(&self, id: u64) -> Option<Found<'_>> {
        self.products.iter().find_map(|product| {
            let variants = product["variants"].as_array()?;
            let variant = variants.iter().find(|v| v["id"].as_u64() == Some(id))?;
            Some(Found { product, variant })
        })
    }
}

/// A product with its image URLs made absolute on `origin` (`http://host:port`): the file stores root-relative
/// paths because the demo's address is only known when it runs; Shopify's feed has absolute (CDN) URLs.
pub fn with_origin(product: &Value, origin: &str) -> Value {
    let mut product = product.clone();
    let absolute = |img: &mut Value| {
        if let Some(src) = img.get("src").and_then(Value::as_str).filter(|s| s.starts_with('/') && !s.starts_with("//"))
        {
            img["src"] = Value::String(format!("{origin}{src}"));
        }
    };
    if let Some(images) = product.get_mut("images").and_then(Value::as_array_mut) {
        images.iter_mut().for_each(absolute);
    }
    if let Some(variants) = product.get_mut("variants").and_then(Value::as_array_mut) {
        for v in variants {
            if let Some(img) = v.get_mut("featured_image").filter(|i| i.is_object()) {
                absolute(img);
            }
        }
    }
    product
}

/// The catalog as a [`PageSource`] for the demo seed: the same pages the `/shop/products.json` route serves, read
/// in-process (the seed runs before the server listens).
#[derive(Debug, Clone)]
pub struct CatalogSource {
    /// The catalog.
    pub catalog: Arc<Catalog>,
    /// The demo's public origin, for absolute image URLs.
    pub origin: String,
}

impl PageSource for CatalogSource {
    async fn page(&self, n: u32) -> Result<Vec<Value>, FetchError> {
        let page = self.catalog.page(Some(MAX_LIMIT), Some(n as usize));
        Ok(page.iter().map(|p| with_origin(p, &self.origin)).collect())
    }

    async fn currency(&self) -> Option<String> {
        Some(CURRENCY.to_owned())
    }

    fn max_pages(&self) -> u32 {
        // Every page, however many: the file is ours.
        u32::try_from(self.catalog.len() / DEMO_PAGE_CAP + 2).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn catalog(n: u64) -> Catalog {
        Catalog::from_products((1..=n).map(|id| json!({"id": id, "handle": format!("p{id}")})).collect())
    }

    #[test]
    fn pages_like_shopify_with_the_demo_cap() {
        let c = catalog(64);
        let ids = |page: &[Value]| page.iter().map(|p| p["id"].as_u64().unwrap()).collect::<Vec<_>>();
        assert_eq!(c.page(None, None).len(), 25, "default 30, capped at 25");
        assert_eq!(ids(c.page(Some(10), Some(2))), (11..=20).collect::<Vec<_>>());
        assert_eq!(ids(c.page(Some(250), Some(3))), (51..=64).collect::<Vec<_>>());
        assert!(c.page(Some(250), Some(4)).is_empty());
        assert_eq!(c.page(Some(0), Some(0)).len(), 1, "limit at least 1, page from 1");
        assert!(c.page(Some(25), Some(usize::MAX)).is_empty());
    }

    #[test]
    fn makes_image_urls_absolute() {
        let p = json!({"images": [{"src": "/shop/images/a.svg"}, {"src": "https://cdn.example/b.jpg"}],
                       "variants": [{"featured_image": {"src": "/shop/images/c.svg"}}, {"featured_image": null}]});
        let p = with_origin(&p, "http://127.0.0.1:9");
        assert_eq!(p["images"][0]["src"], "http://127.0.0.1:9/shop/images/a.svg");
        assert_eq!(p["images"][1]["src"], "https://cdn.example/b.jpg");
        assert_eq!(p["variants"][0]["featured_image"]["src"], "http://127.0.0.1:9/shop/images/c.svg");
    }
}
