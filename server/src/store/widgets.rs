//! Widgets: what a reply and a session need of theirs, and the developer API's widget endpoints (`api/widgets`).

use super::notices::{self, Notice};
use super::Builder;
use super::{now_sql, Db, Dialect, Exec, Tx};
use crate::integration_settings::WidgetSettings;
use serde::Serialize;

/// A widget as the developer API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WidgetResource {
    /// Always `"widget"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Widget id.
    pub id: String,
    /// Brand name.
    pub brand: String,
    /// Site the widget is deployed on.
    pub website_url: Option<String>,
    /// Brand colour.
    pub primary_color: String,
    /// The bottom corner of the launcher: `right` or `left`.
    pub launcher_position: String,
    /// The launcher's label.
    pub launcher_label: String,
    /// Colour scheme: `auto` (the visitor's system setting), `light` or `dark`.
    pub theme: String,
    /// Greeting of an empty conversation.
    pub greeting: String,
    /// Default language: the site's and its team's (agents' replies are translated from it).
    pub locale: String,
    /// Language of the widget's interface: `auto` (the visitor's: the host page's `setLocale`, else the browser's)
    /// or a BCP 47 tag every visitor gets.
    pub interface_locale: String,
    /// ISO 4217 currency of prices, if set.
    pub currency: Option<String>,
    /// The model that answers (an id of `GET /api/v1/models`); `null`: the server's default model.
    pub ai_model: Option<String>,
    /// Origins allowed to use the widget from a browser; empty allows every origin.
    #[sqlx(try_from = "crate::store::StringList")]
    pub allowed_origins: Vec<String>,
    /// Agent mode, voice, languages and attendees (see docs/API.md "Persona and widget fields").
    #[sqlx(rename = "integration_settings", try_from = "String")]
    #[serde(flatten)]
    pub settings: WidgetSettings,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// The widget's brand name.
const BRAND: &str = "SELECT brand FROM widgets WHERE id = $1";
/// The model the widget's owner chose.
const AI_MODEL: &str = "SELECT ai_model FROM widgets WHERE id = $1";
/// What a page sees of a widget when its session starts.
const PUBLIC_SETTINGS: &str = "SELECT brand, primary_color, greeting, locale, launcher_position, launcher_label, theme,
        interface_locale
    FROM widgets WHERE id = $1";
/// The organisation's widget ids, oldest first.
const IDS_OF_ORG: &str = "SELECT id FROM widgets WHERE org_id = $1 ORDER BY seq";
/// A widget as the developer API shows it; the organisation id is bound (or pushed) after it.
const SELECT: &str = "SELECT id, brand, website_url, primary_color, launcher_position, launcher_label, theme,
        greeting, locale, interface_locale, currency, ai_model, allowed_origins, integration_settings, created_at,
        updated_at
    FROM widgets WHERE org_id = ";
/// One of the organisation's widgets.
const FIND: &str = "SELECT id, brand, website_url, primary_color, launcher_position, launcher_label, theme,
        greeting, locale, interface_locale, currency, ai_model, allowed_origins, integration_settings, created_at,
        updated_at
    FROM widgets WHERE org_id = $1 AND id = $2";
/// How many widgets the organisation has.
const COUNT: &str = "SELECT COUNT(*) FROM widgets WHERE org_id = $1";
/// The list position of widget `$2` among organisation `$1`'s (a page's `starting_after`).
pub const CURSOR: &str = "SELECT seq FROM widgets WHERE org_id = $1 AND id = $2";
/// Takes SQLite's write lock on one widget by writing it unchanged (Postgres: `SELECT … FOR UPDATE`).
const LOCK: &str = "UPDATE widgets SET seq = seq WHERE id = $1 AND org_id = $2";
/// Takes SQLite's write lock on the organisation's widgets (Postgres: `SELECT … FOR UPDATE`).
const LOCK_ORG: &str = "UPDATE widgets SET seq = seq WHERE org_id = $1";
/// A new widget, its other settings at the schema's defaults.
const INSERT: &str = "INSERT INTO widgets (id, org_id, brand, website_url, primary_color) VALUES ($1, $2, $3, $4, $5)";
/// Writes the settings given (a `NULL` keeps a field; flags say whether a clearable field is written).
const UPDATE: &str = concat!(
    "UPDATE widgets SET brand = COALESCE($1, brand),
         website_url = CASE WHEN $2 THEN $3 ELSE website_url END,
         primary_color = COALESCE($4, primary_color), launcher_position = COALESCE($5, launcher_position),
         launcher_label = COALESCE($6, launcher_label), theme = COALESCE($7, theme),
         greeting = COALESCE($8, greeting),
         locale = COALESCE($9, locale), interface_locale = COALESCE($10, interface_locale),
         currency = CASE WHEN $11 THEN $12 ELSE currency END,
         allowed_origins = COALESCE($13, allowed_origins), ai_model = CASE WHEN $14 THEN $15 ELSE ai_model END,
         updated_at = ",
    now_sql!(),
    " WHERE id = $16"
);
/// A widget's channel and integration fields (JSON).
const SET_SETTINGS: &str =
    concat!("UPDATE widgets SET integration_settings = $1, updated_at = ", now_sql!(), " WHERE id = $2");
/// The greeting of a widget's empty conversations.
const SET_GREETING: &str = "UPDATE widgets SET greeting = $1 WHERE id = $2";
/// Search indexes are not covered by foreign keys: the catalog's, which its importer maintains by hand, is cleared
/// first, and knowledge is deleted through its table, whose triggers keep its index in step.
const DELETE_PRODUCTS_INDEX_SQLITE: &str =
    "DELETE FROM products_fts WHERE rowid IN (SELECT seq FROM products WHERE widget_id = $1)";
/// The widget's knowledge (see [`DELETE_PRODUCTS_INDEX_SQLITE`]).
const DELETE_KNOWLEDGE: &str = "DELETE FROM knowledge_items WHERE widget_id = $1";
/// The widget; everything else of it goes by foreign key.
const DELETE: &str = "DELETE FROM widgets WHERE id = $1";
/// The organisation's widgets with a catalog: id, product count, last change, one product URL, currency.
const STOREFRONTS: &str = "SELECT w.id AS widget_id, COUNT(p.seq) AS products, MAX(p.updated_at) AS last_synced_at,
        MIN(p.url) AS product_url, COALESCE(w.currency, w.storefront_currency) AS currency
    FROM widgets w JOIN products p ON p.widget_id = w.id
    WHERE w.org_id = $1 AND ($2 IS NULL OR w.id = $2)
    GROUP BY w.id, w.seq, w.currency, w.storefront_currency ORDER BY w.seq";

/// The widget's brand name, which the responder speaks for.
///
/// # Errors
/// Database errors (`RowNotFound` for no such widget).
pub async fn brand(db: &Db, widget_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(BRAND).bind(widget_id).fetch_one(db).await
}

/// The widget's `ai_model` (`None`: the server's default responder).
///
/// # Errors
/// Database errors (`RowNotFound` for no such widget).
pub async fn ai_model(db: &Db, widget_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(AI_MODEL).bind(widget_id).fetch_one(db).await
}

/// What a page sees of a widget when its session starts.
#[derive(Debug, sqlx::FromRow)]
pub struct PublicSettings {
    /// Brand name.
    pub brand: String,
    /// Brand colour.
    pub primary_color: String,
    /// Greeting of an empty conversation.
    pub greeting: String,
    /// The site's language.
    pub locale: String,
    /// `right` or `left`.
    pub launcher_position: String,
    /// The launcher's label.
    pub launcher_label: String,
    /// `auto`, `light` or `dark`.
    pub theme: String,
    /// `auto` or the interface language every visitor gets.
    pub interface_locale: String,
}

/// The settings a page's session shows of widget `widget_id`.
///
/// # Errors
/// Database errors (`RowNotFound` for no such widget).
pub async fn public_settings(db: &Db, widget_id: &str) -> Result<PublicSettings, sqlx::Error> {
    sqlx::query_as(PUBLIC_SETTINGS).bind(widget_id).fetch_one(db).await
}

/// The organisation's widget ids, oldest first.
///
/// # Errors
/// Database errors.
pub async fn ids_of_org(db: &Db, org_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(IDS_OF_ORG).bind(org_id).fetch_all(db).await
}

/// The organisation's widget `id`, if it has one by that id.
///
/// # Errors
/// Database errors.
pub async fn find<'e>(db: impl Exec<'e>, org_id: &str, id: &str) -> Result<Option<WidgetResource>, sqlx::Error> {
    let mut widget: Option<WidgetResource> = sqlx::query_as(FIND).bind(org_id).bind(id).fetch_optional(db).await?;
    if let Some(w) = &mut widget {
        w.object = "widget";
    }
    Ok(widget)
}

/// Up to `limit` of the organisation's widgets, newest first, created before position `before` when given (the
/// cursor: the `seq` of a widget [`find`] returned).
///
/// # Errors
/// Database errors.
pub async fn list<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<WidgetResource>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    if let Some(seq) = before {
        q.push(" AND seq < ").push_bind(seq);
    }
    q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
    let mut rows: Vec<WidgetResource> = q.build_query_as().fetch_all(db).await?;
    for w in &mut rows {
        w.object = "widget";
    }
    Ok(rows)
}

/// How many widgets the organisation has.
///
/// # Errors
/// Database errors.
pub async fn count<'e>(db: impl Exec<'e>, org_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(COUNT).bind(org_id).fetch_one(db).await
}

/// Takes the write lock on widget `id` (if it is the organisation's) at the start of a transaction.
///
/// A transaction that reads and then writes can fail in SQLite when another writer committed in between (its read
/// snapshot cannot be upgraded); writing first makes the transaction a writer from the start, so it waits its turn
/// instead, and whatever it then reads stays true until it commits.
///
/// # Errors
/// Database errors.
pub async fn lock<'e>(db: impl Exec<'e>, org_id: &str, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(LOCK).bind(id).bind(org_id).execute(db).await?;
    Ok(())
}

/// Takes the write lock on every widget of the organisation (see [`lock`]), so a check over all of them (such as
/// "not the only one") stays true until the transaction commits.
///
/// # Errors
/// Database errors.
pub async fn lock_org<'e>(db: impl Exec<'e>, org_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(LOCK_ORG).bind(org_id).execute(db).await?;
    Ok(())
}

/// Inserts widget `id` with its other settings at the schema's defaults.
///
/// # Errors
/// Database errors.
pub async fn insert<'e>(
    db: impl Exec<'e>,
    id: &str,
    org_id: &str,
    brand: &str,
    website_url: Option<&str>,
    primary_color: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT).bind(id).bind(org_id).bind(brand).bind(website_url).bind(primary_color).execute(db).await?;
    Ok(())
}

/// A change to a widget's settings, checked and canonical; `None` leaves a field unchanged.
#[derive(Debug, Default)]
pub struct Changes {
    /// Trimmed brand.
    pub brand: Option<String>,
    /// `Some(None)` clears.
    pub website_url: Option<Option<String>>,
    /// Lowercase `#rrggbb` or `#rgb`.
    pub primary_color: Option<String>,
    /// `right` or `left`.
    pub launcher_position: Option<String>,
    /// `auto`, `light` or `dark`.
    pub theme: Option<String>,
    /// Trimmed label.
    pub launcher_label: Option<String>,
    /// Trimmed greeting.
    pub greeting: Option<String>,
    /// Canonical-case tag.
    pub locale: Option<String>,
    /// `auto` or a canonical-case tag.
    pub interface_locale: Option<String>,
    /// Uppercase code; `Some(None)` clears.
    pub currency: Option<Option<String>>,
    /// JSON array of canonical origins.
    pub allowed_origins: Option<String>,
    /// Trimmed model id; `Some(None)` clears. Only its form is checked by `api/widgets/settings`: whether the
    /// provider serves it is checked by the handlers ([`crate::api::models::check_ai_model`]), which can reach the
    /// provider.
    pub ai_model: Option<Option<String>>,
}

/// Writes `changes` to widget `id` (absent fields unchanged) and stamps `updated_at`.
///
/// # Errors
/// Database errors.
pub async fn update<'e>(db: impl Exec<'e>, id: &str, c: &Changes) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(UPDATE))
        .bind(&c.brand)
        .bind(c.website_url.is_some())
        .bind(c.website_url.clone().flatten())
        .bind(&c.primary_color)
        .bind(&c.launcher_position)
        .bind(&c.launcher_label)
        .bind(&c.theme)
        .bind(&c.greeting)
        .bind(&c.locale)
        .bind(&c.interface_locale)
        .bind(c.currency.is_some())
        .bind(c.currency.clone().flatten())
        .bind(&c.allowed_origins)
        .bind(c.ai_model.is_some())
        .bind(c.ai_model.clone().flatten())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Stores widget `id`'s channel and integration fields (agent mode, voice, languages, attendees).
///
/// # Errors
/// Database errors.
pub async fn set_settings<'e>(db: impl Exec<'e>, id: &str, settings: &WidgetSettings) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(SET_SETTINGS)).bind(settings.to_json()).bind(id).execute(db).await.map(|_| ())
}

/// Sets the greeting of widget `id`'s empty conversations.
///
/// # Errors
/// Database errors.
pub async fn set_greeting<'e>(db: impl Exec<'e>, id: &str, greeting: &str) -> Result<(), sqlx::Error> {
    sqlx::query(SET_GREETING).bind(greeting).bind(id).execute(db).await?;
    Ok(())
}

/// Deletes widget `id` with everything of it, its search index entries included.
///
/// # Errors
/// Database errors.
pub async fn delete(tx: &mut Tx<'_>, id: &str) -> Result<(), sqlx::Error> {
    if Dialect::of_connection(tx) == Dialect::Sqlite {
        // Postgres keeps the search column in the row: it goes with it.
        sqlx::query(DELETE_PRODUCTS_INDEX_SQLITE).bind(id).execute(&mut **tx).await?;
    }
    for key in super::keys::of_widget(&mut **tx, id).await? {
        notices::send(&mut **tx, &Notice::Revoked(key)).await?;
    }
    sqlx::query(DELETE_KNOWLEDGE).bind(id).execute(&mut **tx).await?;
    sqlx::query(DELETE).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// A widget with a catalog, as the integrations endpoint reports it.
#[derive(Debug, sqlx::FromRow)]
pub struct Storefront {
    /// Widget id.
    pub widget_id: String,
    /// Products in its catalog.
    pub products: i64,
    /// When a product last changed.
    pub last_synced_at: String,
    /// One product's URL (they share the store's origin).
    pub product_url: Option<String>,
    /// The widget's currency, else the one its store declared.
    pub currency: Option<String>,
}

/// The organisation's widgets with a catalog (only `widget_id`, when given), oldest first.
///
/// # Errors
/// Database errors.
pub async fn storefronts(db: &Db, org_id: &str, widget_id: Option<&str>) -> Result<Vec<Storefront>, sqlx::Error> {
    sqlx::query_as(STOREFRONTS).bind(org_id).bind(widget_id).fetch_all(db).await
}
