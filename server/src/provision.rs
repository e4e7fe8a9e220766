//! Creating organisations, widgets and keys: what the dashboard does, here used by the CLI and the demo seed; and
//! whether a widget key still works (the live event streams ask).

use sqlx::AnyConnection;

use crate::ids;
use crate::store::{self, Db};

/// Every developer-key scope the API knows.
pub const ALL_SCOPES: &[&str] = &[
    "conversations:read",
    "conversations:takeover",
    "conversations:reply",
    "conversations:handback",
    "conversations:write",
    "webhooks:manage",
    "personas:read",
    "personas:write",
    "personas:delete",
    "knowledge:read",
    "knowledge:write",
    "knowledge:delete",
    "widgets:read",
    "widgets:write",
    "leads:read",
    "leads:write",
    "leads:delete",
    "tasks:read",
    "tasks:write",
    "tasks:delete",
    "playbook:read",
    "playbook:write",
    "playbook:delete",
    "integrations:read",
    "voice:read",
    "voice:write",
];

/// Checks a scope list: non-empty, every scope known.
///
/// # Errors
/// A sentence naming the problem and the known scopes.
pub fn validate_scopes(scopes: &[&str]) -> Result<(), String> {
    if scopes.is_empty() {
        return Err(format!("give at least one scope; known scopes: {}", ALL_SCOPES.join(" ")));
    }
    match scopes.iter().find(|s| !ALL_SCOPES.contains(s)) {
        Some(bad) => Err(format!("unknown scope `{bad}`; known scopes: {}", ALL_SCOPES.join(" "))),
        None => Ok(()),
    }
}

/// A new widget and its first public key.
#[derive(Debug, Clone)]
pub struct NewWidget {
    /// Widget id.
    pub widget_id: String,
    /// Its `cw_live_` key.
    pub widget_key: String,
}

/// Creates an organisation.
///
/// # Errors
/// Database errors.
pub async fn create_org(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    let id = ids::new_id("org");
    store::organizations::insert(db, &id, name).await?;
    Ok(id)
}

/// Creates a widget with a default persona and a public key.
///
/// # Errors
/// Database errors.
pub async fn create_widget(
    db: &Db,
    org_id: &str,
    brand: &str,
    website_url: Option<&str>,
    primary_color: &str,
) -> Result<NewWidget, sqlx::Error> {
    let mut tx = db.begin().await?;
    let widget_id = insert_widget(&mut tx, org_id, brand, website_url, primary_color).await?;
    let widget_key = mint_widget_key(&mut tx, &widget_id).await?;
    tx.commit().await?;
    Ok(NewWidget { widget_id, widget_key })
}

/// Inserts a widget (other settings at their defaults) with its default persona, "Assistant", and returns its id.
///
/// # Errors
/// Database errors.
pub async fn insert_widget(
    conn: &mut AnyConnection,
    org_id: &str,
    brand: &str,
    website_url: Option<&str>,
    primary_color: &str,
) -> Result<String, sqlx::Error> {
    let widget_id = ids::new_id("wgt");
    store::widgets::insert(&mut *conn, &widget_id, org_id, brand, website_url, primary_color).await?;
    let prompt = format!("You are {brand}'s helpful assistant. Answer from the knowledge base; never invent facts.");
    let persona = store::personas::NewPersona {
        name: "Assistant",
        system_prompt: &prompt,
        bubble_color: Some(primary_color),
        is_default: true,
        ..store::personas::NewPersona::default()
    };
    store::personas::insert(&mut *conn, &ids::new_id("per"), &widget_id, &persona).await?;
    Ok(widget_id)
}

/// Mints a new public `cw_live_` key for `widget_id` and returns it.
///
/// # Errors
/// Database errors.
pub async fn mint_widget_key(conn: &mut AnyConnection, widget_id: &str) -> Result<String, sqlx::Error> {
    let key = ids::new_widget_key();
    store::keys::insert(conn, &key, widget_id).await?;
    Ok(key)
}

/// Mints a developer key for `org_id`; the key itself is returned once and only its hash is stored.
///
/// # Errors
/// Database errors. Scopes must have passed [`validate_scopes`]; unknown ones are refused before anything is
/// written.
pub async fn create_dev_key(db: &Db, org_id: &str, name: &str, scopes: &[&str]) -> Result<String, sqlx::Error> {
    if let Err(msg) = validate_scopes(scopes) {
        return Err(sqlx::Error::InvalidArgument(msg));
    }
    let key = ids::new_dev_key();
    let stored = store::developer_keys::NewKey {
        id: &ids::new_id("key"),
        org_id,
        key_hash: &ids::hash_secret(&key),
        prefix: &key[..12],
        name,
        scopes: &scopes.join(" "),
    };
    store::developer_keys::insert(db, &stored).await?;
    Ok(key)
}

/// Whether `key` is a widget key that is neither revoked nor gone with its widget.
///
/// # Errors
/// Database errors.
pub async fn widget_key_active(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    store::keys::is_active(db, key).await
}
