//! The demo workspace: one organisation, one widget for a fictional outdoor shop, its persona and knowledge.
//!
//! Seeded on the first `--demo` start. The keys are written to `demo-keys.json` in the data directory (readable by
//! its owner only) so every later start can print them again: the developer key is otherwise only stored hashed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::shop::{Catalog, CatalogSource};
use crate::store::{self, Db};
use crate::storefront::{self, ImportSummary};
use crate::{ids, provision};

/// File in the data directory holding the demo keys.
pub const DEMO_KEYS_FILE: &str = "demo-keys.json";

/// The demo workspace's credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoKeys {
    /// Demo organisation id (for `quincer-server keys create --org`).
    pub org_id: String,
    /// Demo widget id.
    pub widget_id: String,
    /// Its public `cw_live_` key.
    pub widget_key: String,
    /// A developer key with every scope.
    pub dev_key: String,
    /// The demo's team member, to sign in to the inbox with (`None` in files written before members existed, until
    /// the next start adds one).
    #[serde(default)]
    pub agent: Option<DemoAgent>,
}

/// The demo workspace's owner: who signs in at `/inbox/` to try the live inbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoAgent {
    /// Sign-in email.
    pub email: String,
    /// Generated password (the demo's only: stored in `demo-keys.json`, readable by its owner only).
    pub password: String,
}

/// The demo agent's name and email.
const DEMO_AGENT: (&str, &str) = ("Sam Rivera", "sam@northwind.example");

/// Creates the demo's team member with a generated password.
async fn create_agent(db: &Db, org_id: &str) -> Result<DemoAgent, crate::ApiError> {
    let (name, email) = DEMO_AGENT;
    let input = provision::MemberInput {
        name: name.into(),
        email: email.into(),
        avatar_url: None,
        role: crate::members::Role::Owner,
        with_password: true,
    };
    let (_, password) = provision::create_member(db, org_id, input).await?;
    let password = password.ok_or_else(|| crate::ApiError::Internal("no password was generated".into()))?;
    Ok(DemoAgent { email: email.into(), password })
}

/// Brand of the demo shop.
pub const DEMO_BRAND: &str = "Northwind Outfitters";

/// The demo's other personas: (name, colour, URL patterns as JSON, greeting, system prompt).
const DEMO_PERSONAS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Sales",
        "#b45309",
        r#"["/pricing"]"#,
        "Hi, I'm Max from sales. Questions about plans, bulk orders or gift cards?",
        "You are Max, Northwind's sales assistant: concise, concrete about prices and options.",
    ),
    (
        "Docs helper",
        "#4338ca",
        r#"["/docs/**"]"#,
        "Hi, I'm the docs helper. Ask me how anything works: care, repairs, warranty.",
        "You are Northwind's documentation helper: precise and step-by-step.",
    ),
    (
        "Stylist",
        "#be185d",
        r#"["/shop/**"]"#,
        "Hi, I'm Jo, your stylist. Looking for a jacket, a size, or an outfit for a trip?",
        "You are Jo, Northwind's stylist: warm, practical advice on fit and layering.",
    ),
];

/// The demo shop's knowledge base: (title, content).
const KNOWLEDGE: &[(&str, &str)] = &[
    ("Shipping times and costs", "Standard shipping within the US takes 3 to 5 business days and is free on orders over $75; below that it costs $6.95. Express shipping takes 1 to 2 business days and costs $19. Orders placed before 2 pm Eastern ship the same day."),
    ("International shipping", "We ship to Canada, the UK, the European Union, Australia and Japan. International delivery takes 7 to 14 business days and costs a flat $24. Import duties and taxes are collected at checkout, so there are no surprise fees on delivery."),
    ("Returns and exchanges", "You can return unworn items within 60 days of delivery for a full refund. Returns are free in the US: print a prepaid label from your order page. Exchanges for a different size or colour ship as soon as we scan your return. Refunds reach your card within 5 business days of the return arriving."),
    ("Order tracking", "Every order gets a tracking link by email as soon as it ships. You can also track it from the Orders page of your account, or by entering your order number and email on our Track Order page."),
    ("Payment methods", "We accept Visa, Mastercard, American Express, Discover, PayPal, Apple Pay, Google Pay and Shop Pay. You can split purchases over $100 into four interest-free payments with Shop Pay Installments."),
    ("Sizing guide", "Our jackets run true to size with room for a mid layer. If you are between sizes, size up for layering and down for a trim fit. Every product page has a size chart in centimetres and inches, and our trail pants come in short, regular and long inseams."),
    ("Waterproof ratings", "Our Stormline jackets use a 3-layer membrane rated 20,000 mm waterproof and 20,000 g breathable, with fully taped seams. The Drizzle line is 10,000 mm: fine for showers and city use, not for all-day downpours. Re-apply the DWR coating once a season to keep water beading."),
    ("Warranty", "Everything we make carries a lifetime warranty against defects in materials and workmanship. Normal wear, accidents and damage from improper care are not covered, but our repair service can usually fix them at cost."),
    ("Repairs", "Send torn jackets, broken zippers or delaminated seams to our repair centre in Portland. Repairs under warranty are free; others are quoted before we start and typically take two to three weeks."),
    ("Care and washing", "Wash waterproof shells on a gentle cycle with a technical detergent, never fabric softener, then tumble dry on low to reactivate the water-repellent finish. Down jackets should be washed with a down wash and dried with tennis balls to restore loft."),
    ("Store locations and hours", "Visit our flagship store at 120 Alder Street, Portland, Oregon, and our Denver store at 88 Larimer Square. Both are open Monday to Saturday 10 am to 7 pm and Sunday 11 am to 5 pm."),
    ("Contact and support", "Our support team answers chat and email at help@northwind.example every day from 8 am to 8 pm Eastern. You can also call 1-800-555-0142 on weekdays."),
    ("Gift cards", "Digital gift cards from $25 to $500 are delivered by email within minutes and never expire. They can be used online and in our stores, and combined with other payment methods."),
    ("Sustainability", "Ninety percent of our fabrics are recycled or bluesign approved, and our down is certified to the Responsible Down Standard. Our Worn Wear programme buys back used gear for store credit."),
];

/// Seeds the demo workspace unless it exists, and returns its keys.
///
/// # Errors
/// Database or file-system errors.
pub async fn ensure_demo(db: &Db, data_dir: &Path) -> Result<DemoKeys, Box<dyn std::error::Error + Send + Sync>> {
    let file = data_dir.join(DEMO_KEYS_FILE);
    if let Ok(bytes) = tokio::fs::read(&file).await {
        let mut keys: DemoKeys = serde_json::from_slice(&bytes)?;
        if provision::widget_key_active(db, &keys.widget_key).await? {
            if keys.agent.is_none() {
                keys.agent = Some(create_agent(db, &keys.org_id).await?);
                write_private(&file, &serde_json::to_vec_pretty(&keys)?).await?;
            }
            return Ok(keys);
        }
    }
    let mut keys = seed(db).await?;
    keys.agent = Some(create_agent(db, &keys.org_id).await?);
    write_private(&file, &serde_json::to_vec_pretty(&keys)?).await?;
    Ok(keys)
}

/// Writes the demo workspace.
async fn seed(db: &Db) -> Result<DemoKeys, sqlx::Error> {
    let org_id = provision::create_org(db, "Northwind demo").await?;
    let widget =
        provision::create_widget(db, &org_id, DEMO_BRAND, Some("https://northwind.example"), "#0f766e").await?;
    store::personas::set_default_voice(
        db,
        &widget.widget_id,
        "Ava",
        "Hi, I'm Ava from Northwind Outfitters! Ask me about shipping, returns, sizing or our gear.",
        "You are Ava, Northwind Outfitters' friendly and concise outdoor-gear assistant.",
    )
    .await?;
    // One assistant per part of the site, picked by URL pattern (the default, Ava, covers everything else).
    for (name, color, patterns, greeting, prompt) in DEMO_PERSONAS {
        let persona = store::personas::NewPersona {
            name,
            system_prompt: prompt,
            bubble_color: Some(color),
            url_patterns: Some(patterns),
            greeting: Some(greeting),
            ..store::personas::NewPersona::default()
        };
        store::personas::insert(db, &ids::new_id("per"), &widget.widget_id, &persona).await?;
    }
    store::widgets::set_greeting(db, &widget.widget_id, "Hi! Questions about an order or our gear? Ask away.").await?;
    // Chunked by `knowledge::index_unchunked`, which runs right after seeding.
    let mut tx = db.begin().await?;
    for (title, content) in KNOWLEDGE {
        store::knowledge::insert(&mut tx, &ids::new_id("kn"), &widget.widget_id, title, content, None).await?;
    }
    tx.commit().await?;
    let dev_key = provision::create_dev_key(db, &org_id, "demo (all scopes)", provision::ALL_SCOPES).await?;
    Ok(DemoKeys { org_id, widget_id: widget.widget_id, widget_key: widget.widget_key, dev_key, agent: None })
}

/// Imports the demo store's catalog (`www/shop/catalog.json`) into the demo widget through the storefront import
/// pipeline, with product and image URLs under `public_url` (`http://127.0.0.1:8787` → `…/shop/products/<handle>`).
///
/// Idempotent: a second run updates products in place. The store's currency (USD) is recorded as the widget's
/// detected `storefront_currency`.
///
/// # Errors
/// Database errors.
pub async fn import_demo_store(
    db: &Db,
    widget_id: &str,
    catalog: std::sync::Arc<Catalog>,
    public_url: &str,
) -> Result<ImportSummary, storefront::ImportError> {
    let source = CatalogSource { catalog, origin: public_url.to_owned() };
    storefront::import(db, widget_id, &format!("{public_url}/shop"), &source).await
}

/// Writes a file only its owner can read.
async fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::write(path, bytes).await?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tokio::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).await?;
    }
    Ok(())
}
