//! A realistic outdoor-shop catalog for product-answer tests, written the way the storefront importer writes it
//! ([`super::fixture::insert_product`]: the `products` row and its `products_fts` row).
//!
//! Product ids are 1001…; variant ids are the product id × 100 + n, so a test can name "the M / Navy Ridge Fleece"
//! as `100702` without looking it up.

use quincer_server::catalog::{StoredImage, StoredOption, StoredProduct, StoredVariant};

use super::{fixture, TestServer};

/// A variant: `values` are its option values in the product's option order.
pub fn variant(id: u64, values: &[&str], price: &str, compare_at: Option<&str>, available: bool) -> StoredVariant {
    let value = |i: usize| values.get(i).map(|v| (*v).to_owned());
    StoredVariant {
        id,
        title: if values.is_empty() { "Default Title".into() } else { values.join(" / ") },
        option1: value(0).or_else(|| values.is_empty().then(|| "Default Title".into())),
        option2: value(1),
        option3: value(2),
        sku: Some(format!("SKU-{id}")),
        price: price.into(),
        compare_at_price: compare_at.map(Into::into),
        available,
        image: None,
    }
}

/// A product of `product_type` with `tags`, `options` (name, values) and `variants`.
pub fn product(
    id: u64,
    title: &str,
    product_type: &str,
    tags: &[&str],
    options: &[(&str, &[&str])],
    variants: Vec<StoredVariant>,
    body: &str,
) -> StoredProduct {
    let handle: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    StoredProduct {
        product_id: id,
        title: title.into(),
        handle: handle.clone(),
        body_text: body.into(),
        vendor: "Northwind".into(),
        product_type: product_type.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        options: if options.is_empty() {
            vec![StoredOption { name: "Title".into(), values: vec!["Default Title".into()] }]
        } else {
            options
                .iter()
                .map(|(name, values)| StoredOption {
                    name: (*name).into(),
                    values: values.iter().map(|v| (*v).to_owned()).collect(),
                })
                .collect()
        },
        variants,
        images: vec![StoredImage {
            src: format!("https://cdn.northwind.example/{handle}.jpg"),
            width: Some(800),
            height: Some(800),
            alt: None,
            variant_ids: vec![],
        }],
        url: format!("https://northwind.example/products/{handle}"),
    }
}

/// Product ids of the fixture catalog, by name.
pub mod ids {
    pub const STORM_SHELL: u64 = 1001;
    pub const SUMMIT_PRO: u64 = 1002;
    pub const DRIZZLE: u64 = 1003;
    pub const TRAILHEAD: u64 = 1004;
    pub const PARKA: u64 = 1005;
    pub const CANYON: u64 = 1006;
    pub const RIDGE_FLEECE: u64 = 1007;
    pub const HARBOR_FLEECE: u64 = 1008;
    pub const ALPINE_BOOT: u64 = 1009;
    pub const RIDGELINE_BOOT: u64 = 1010;
    pub const SUMMIT_BOOT: u64 = 1011;
    pub const CHELSEA_BOOT: u64 = 1012;
    pub const DAYPACK: u64 = 1013;
    pub const TREKKER: u64 = 1014;
    pub const COMMUTER: u64 = 1015;
    pub const MERINO_BEANIE: u64 = 1016;
    pub const BOBBLE_BEANIE: u64 = 1017;
    pub const ZURICH_SCARF: u64 = 1018;
}

/// The fixture catalog: 18 products.
pub fn catalog() -> Vec<StoredProduct> {
    use ids::*;
    let sizes: &[&str] = &["S", "M", "L"];
    vec![
        product(
            STORM_SHELL,
            "Storm Shell Jacket",
            "Jacket",
            &["waterproof", "rain", "hiking"],
            &[("Size", sizes), ("Color", &["Navy", "Black"])],
            vec![
                variant(100101, &["S", "Navy"], "129.00", None, true),
                variant(100102, &["M", "Navy"], "129.00", None, true),
                variant(100103, &["L", "Navy"], "129.00", None, false),
                variant(100104, &["S", "Black"], "129.00", None, true),
                variant(100105, &["M", "Black"], "129.00", None, true),
                variant(100106, &["L", "Black"], "129.00", None, true),
            ],
            "A 2.5-layer shell with taped seams for wet trail days.",
        ),
        product(
            SUMMIT_PRO,
            "Summit Pro Shell",
            "Jacket",
            &["waterproof", "alpine"],
            &[("Size", &["M", "L"])],
            vec![variant(100201, &["M"], "349.00", None, true), variant(100202, &["L"], "369.00", None, true)],
            "Three-layer Gore-Tex for alpine climbs.",
        ),
        product(
            DRIZZLE,
            "Drizzle Rain Jacket",
            "Jacket",
            &["waterproof", "rain", "packable"],
            &[("Color", &["Yellow", "Olive"]), ("Size", &["S", "M"])],
            vec![
                variant(100301, &["Yellow", "S"], "89.00", Some("119.00"), true),
                variant(100302, &["Yellow", "M"], "89.00", Some("119.00"), true),
                variant(100303, &["Olive", "S"], "89.00", Some("119.00"), true),
                variant(100304, &["Olive", "M"], "89.00", Some("119.00"), false),
            ],
            "Packs into its own pocket.",
        ),
        product(
            TRAILHEAD,
            "Trailhead Softshell Jacket",
            "Jacket",
            &["softshell", "windproof"],
            &[("Size", sizes)],
            vec![
                variant(100401, &["S"], "99.00", None, true),
                variant(100402, &["M"], "99.00", None, true),
                variant(100403, &["L"], "99.00", None, true),
            ],
            "Stretchy and breathable; water-resistant for light showers.",
        ),
        product(
            PARKA,
            "Expedition Down Parka",
            "Jacket",
            &["waterproof", "insulated", "winter"],
            &[("Size", &["M", "L", "XL"])],
            vec![
                variant(100501, &["M"], "420.00", None, true),
                variant(100502, &["L"], "420.00", None, true),
                variant(100503, &["XL"], "420.00", None, true),
            ],
            "800-fill down for polar cold.",
        ),
        product(
            CANYON,
            "Canyon Insulated Jacket",
            "Jacket",
            &["insulated"],
            &[("Size", sizes)],
            vec![
                variant(100601, &["S"], "189.00", Some("229.00"), true),
                variant(100602, &["M"], "189.00", Some("229.00"), true),
                variant(100603, &["L"], "189.00", Some("229.00"), true),
            ],
            "Synthetic insulation that stays warm when damp.",
        ),
        product(
            RIDGE_FLEECE,
            "Ridge Fleece",
            "Fleece",
            &["midlayer"],
            &[("Size", sizes), ("Color", &["Navy", "Olive", "Charcoal"])],
            vec![
                variant(100701, &["S", "Navy"], "59.00", None, true),
                variant(100702, &["M", "Navy"], "59.00", None, false),
                variant(100703, &["L", "Navy"], "59.00", None, true),
                variant(100704, &["M", "Olive"], "59.00", None, true),
                variant(100705, &["M", "Charcoal"], "64.00", None, true),
            ],
            "A grid fleece for cool mornings.",
        ),
        product(
            HARBOR_FLEECE,
            "Harbor Half-Zip Fleece",
            "Fleece",
            &["midlayer"],
            &[("Color", &["Charcoal", "Navy Blue"]), ("Size", &["M", "L"])],
            vec![
                variant(100801, &["Charcoal", "M"], "79.00", None, true),
                variant(100802, &["Charcoal", "L"], "79.00", None, true),
                variant(100803, &["Navy Blue", "M"], "79.00", None, true),
                variant(100804, &["Navy Blue", "L"], "79.00", None, true),
            ],
            "Heavyweight fleece with a half zip.",
        ),
        product(
            ALPINE_BOOT,
            "Alpine Trail Boot",
            "Boots",
            &["hiking", "waterproof"],
            &[("Size", &["9", "10", "11"])],
            vec![
                variant(100901, &["9"], "179.00", None, true),
                variant(100902, &["10"], "179.00", None, true),
                variant(100903, &["11"], "179.00", None, true),
            ],
            "A waterproof leather boot for long trails.",
        ),
        product(
            RIDGELINE_BOOT,
            "Ridgeline Hiking Boot",
            "Boots",
            &["hiking"],
            &[("Size", &["9", "10", "11"])],
            vec![
                variant(101001, &["9"], "139.00", Some("159.00"), true),
                variant(101002, &["10"], "139.00", Some("159.00"), false),
                variant(101003, &["11"], "139.00", Some("159.00"), true),
            ],
            "Light and supportive on rocky ground.",
        ),
        product(
            SUMMIT_BOOT,
            "Summit Mountaineering Boot",
            "Boots",
            &["hiking", "mountaineering"],
            &[("Size", &["10", "11"])],
            vec![variant(101101, &["10"], "289.00", None, true), variant(101102, &["11"], "289.00", None, true)],
            "Crampon-compatible.",
        ),
        product(
            CHELSEA_BOOT,
            "City Chelsea Boot",
            "Boots",
            &["casual"],
            &[("Size", &["9", "10"])],
            vec![variant(101201, &["9"], "149.00", None, true), variant(101202, &["10"], "149.00", None, true)],
            "Suede, for town.",
        ),
        product(
            DAYPACK,
            "Daypack 22L",
            "Backpacks",
            &["hiking", "daypack"],
            &[("Color", &["Red", "Black"])],
            vec![variant(101301, &["Red"], "69.00", None, true), variant(101302, &["Black"], "69.00", None, true)],
            "Hydration sleeve and hip belt.",
        ),
        product(
            TREKKER,
            "Trekker 45 Backpack",
            "Backpacks",
            &["hiking", "multiday"],
            &[],
            vec![variant(101401, &[], "149.00", None, true)],
            "For weekends out.",
        ),
        product(
            COMMUTER,
            "Commuter Backpack",
            "Backpacks",
            &["city", "laptop"],
            &[],
            vec![variant(101501, &[], "79.00", None, false)],
            "Fits a 16-inch laptop.",
        ),
        product(
            MERINO_BEANIE,
            "Merino Beanie",
            "Hats",
            &["wool", "winter"],
            &[("Color", &["Grey", "Red"])],
            vec![variant(101601, &["Grey"], "25.00", None, true), variant(101602, &["Red"], "25.00", None, true)],
            "Soft merino wool.",
        ),
        product(
            BOBBLE_BEANIE,
            "Red Bobble Beanie",
            "Hats",
            &["winter"],
            &[],
            vec![variant(101701, &[], "19.00", Some("29.00"), true)],
            "With a pom-pom.",
        ),
        product(
            ZURICH_SCARF,
            "Zürich Wool Scarf",
            "Scarves",
            &["wool", "winter"],
            &[],
            vec![variant(101801, &[], "45.00", None, true)],
            "Woven in Switzerland.",
        ),
    ]
}

impl TestServer {
    /// Replaces the demo widget's catalog (the seeded demo store) with the fixture catalog, so that answers depend
    /// on these products only.
    pub async fn seed_catalog(&self) {
        self.clear_catalog().await;
        let db = self.db().await;
        for p in catalog() {
            fixture::insert_product(&db, &self.keys.widget_id, &p).await.expect("insert fixture product");
        }
    }

    /// Removes the demo widget's products (the seeded demo store).
    pub async fn clear_catalog(&self) {
        let db = self.db().await;
        let widget = &self.keys.widget_id;
        if quincer_server::store::Dialect::of(&db) == quincer_server::store::Dialect::Sqlite {
            // SQLite's full-text rows live apart (Postgres' go with the product rows).
            sqlx::query("DELETE FROM products_fts WHERE rowid IN (SELECT seq FROM products WHERE widget_id = $1)")
                .bind(widget)
                .execute(&db)
                .await
                .expect("clear the demo catalog's index");
        }
        sqlx::query("DELETE FROM knowledge_items WHERE widget_id = $1 AND source_type = 'product'")
            .bind(widget)
            .execute(&db)
            .await
            .expect("clear the demo catalog's knowledge");
        sqlx::query("DELETE FROM products WHERE widget_id = $1")
            .bind(widget)
            .execute(&db)
            .await
            .expect("clear the demo catalog");
    }
}
