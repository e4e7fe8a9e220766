//! Personas: who the AI speaks as, as pages see them (no system prompts), as a reply speaks as them, and as the
//! developer API (`api/personas`) manages them.

use super::Builder;
use quincer_protocol::session::PersonaPublic;
use serde::Serialize;

use super::{now_sql, Exec};
use crate::integration_settings::PersonaSettings;

/// A persona as the developer API shows it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PersonaResource {
    /// Always `"persona"`.
    #[sqlx(skip)]
    #[schema(value_type = String)]
    pub object: &'static str,
    /// Persona id.
    pub id: String,
    /// Its widget.
    pub widget_id: String,
    /// Display name.
    pub name: String,
    /// Instructions for the model.
    pub system_prompt: String,
    /// Launcher and header colour.
    pub bubble_color: String,
    /// Pages it speaks on.
    #[sqlx(try_from = "crate::store::StringList")]
    pub url_patterns: Vec<String>,
    /// Used when no pattern matches.
    #[sqlx(try_from = "crate::store::Flag")]
    pub is_default: bool,
    /// First message of its conversations.
    pub greeting: Option<String>,
    /// Avatar image.
    pub avatar_url: Option<String>,
    /// Offers the visitor a name-and-email form after its first answer, creating a lead.
    #[sqlx(try_from = "crate::store::Flag")]
    pub capture_leads: bool,
    /// Channel and integration fields (see docs/API.md "Persona and widget fields").
    #[sqlx(rename = "integration_settings", try_from = "String")]
    #[serde(flatten)]
    pub settings: PersonaSettings,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// One persona as a page sees it.
const PUBLIC_BY_ID: &str =
    "SELECT id, name, bubble_color, url_patterns, is_default, greeting, avatar_url, capture_leads
    FROM personas WHERE id = $1";
/// A widget's personas as pages see them, in the owner's order.
const PUBLIC_LIST: &str = "SELECT id, name, bubble_color, url_patterns, is_default, greeting, avatar_url, capture_leads
    FROM personas WHERE widget_id = $1 ORDER BY seq";
/// How the AI speaks as a persona.
const VOICE: &str = "SELECT name, system_prompt, greeting FROM personas WHERE id = $1";
/// A persona's channel and integration fields (JSON).
const SETTINGS: &str = "SELECT integration_settings FROM personas WHERE id = $1";
/// Writes them.
const SET_SETTINGS: &str =
    concat!("UPDATE personas SET integration_settings = $1, updated_at = ", now_sql!(), " WHERE id = $2");
/// A persona of a widget.
const IN_WIDGET: &str = "SELECT id FROM personas WHERE id = $1 AND widget_id = $2";
/// A persona as the developer API shows it; the organisation id is bound (or pushed) after it.
const SELECT: &str = "SELECT p.id, p.widget_id, p.name, p.system_prompt, p.bubble_color, p.url_patterns,
        p.is_default, p.greeting, p.avatar_url, p.capture_leads, p.integration_settings, p.created_at, p.updated_at
    FROM personas p JOIN widgets w ON w.id = p.widget_id WHERE w.org_id = ";
/// How many personas of the organisation; the organisation id is pushed after it.
const COUNT: &str = "SELECT COUNT(*) FROM personas p JOIN widgets w ON w.id = p.widget_id WHERE w.org_id = ";
/// A new persona: a `NULL` colour takes the widget's brand colour, `NULL` patterns none.
const INSERT: &str = "INSERT INTO personas (id, widget_id, name, system_prompt, bubble_color, url_patterns, is_default,
        greeting, avatar_url, capture_leads)
    VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT primary_color FROM widgets WHERE id = $2)), COALESCE($6, '[]'), $7,
        $8, $9, $10)";
/// Writes the fields given (a `NULL` keeps a field; flags say whether a clearable field is written).
const UPDATE: &str = concat!(
    "UPDATE personas SET name = COALESCE($1, name), system_prompt = COALESCE($2, system_prompt),
         bubble_color = COALESCE($3, bubble_color), url_patterns = COALESCE($4, url_patterns),
         greeting = CASE WHEN $5 THEN $6 ELSE greeting END, avatar_url = CASE WHEN $7 THEN $8 ELSE avatar_url END,
         capture_leads = COALESCE($9, capture_leads), updated_at = ",
    now_sql!(),
    " WHERE id = $10"
);
/// Moves a widget's default to one persona.
const MAKE_DEFAULT: &str = "UPDATE personas SET is_default = (id = $1) WHERE widget_id = $2";
/// Personas still wearing the widget's brand colour take the new one.
const FOLLOW_BRAND_COLOR: &str = "UPDATE personas SET bubble_color = $1
    WHERE widget_id = $2 AND bubble_color = (SELECT primary_color FROM widgets WHERE id = $2)";
/// How the widget's default persona speaks.
const SET_DEFAULT_VOICE: &str =
    "UPDATE personas SET name = $1, greeting = $2, system_prompt = $3 WHERE widget_id = $4 AND is_default = TRUE";
/// Takes SQLite's write lock on a persona by writing it unchanged (Postgres: `SELECT … FOR UPDATE`).
const LOCK: &str = "UPDATE personas SET seq = seq WHERE id = $1";
/// How many personas a widget has.
const COUNT_IN_WIDGET: &str = "SELECT COUNT(*) FROM personas WHERE widget_id = $1";
/// A widget's oldest persona.
const FIRST_IN_WIDGET: &str = "SELECT id FROM personas WHERE widget_id = $1 ORDER BY seq LIMIT 1";
/// A persona.
const DELETE: &str = "DELETE FROM personas WHERE id = $1";

/// The position of one of the organisation's personas in a page of personas (`starting_after`): takes the
/// organisation id and the persona id.
pub const CURSOR: &str =
    "SELECT p.seq FROM personas p JOIN widgets w ON w.id = p.widget_id WHERE w.org_id = $1 AND p.id = $2";

/// A persona as a page may see it, as stored.
#[derive(sqlx::FromRow)]
struct PublicRow {
    id: String,
    name: String,
    bubble_color: String,
    url_patterns: String,
    #[sqlx(try_from = "crate::store::Flag")]
    is_default: bool,
    greeting: Option<String>,
    avatar_url: Option<String>,
    #[sqlx(try_from = "crate::store::Flag")]
    capture_leads: bool,
}

impl From<PublicRow> for PersonaPublic {
    fn from(r: PublicRow) -> Self {
        PersonaPublic {
            id: r.id,
            name: r.name,
            on_bubble_color: quincer_protocol::color::on_color(&r.bubble_color).into(),
            bubble_color: r.bubble_color,
            url_patterns: serde_json::from_str(&r.url_patterns).unwrap_or_default(),
            is_default: r.is_default,
            greeting: r.greeting,
            avatar_url: r.avatar_url,
            capture_leads: r.capture_leads,
        }
    }
}

/// The widget's personas, in the owner's order (no system prompts).
///
/// # Errors
/// Database errors.
pub async fn public_list<'e>(db: impl Exec<'e>, widget_id: &str) -> Result<Vec<PersonaPublic>, sqlx::Error> {
    let rows: Vec<PublicRow> = sqlx::query_as(PUBLIC_LIST).bind(widget_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One persona, as a page may see it.
///
/// # Errors
/// Database errors.
pub async fn public_by_id<'e>(db: impl Exec<'e>, id: &str) -> Result<Option<PersonaPublic>, sqlx::Error> {
    let row: Option<PublicRow> = sqlx::query_as(PUBLIC_BY_ID).bind(id).fetch_optional(db).await?;
    Ok(row.map(Into::into))
}

/// How the AI speaks as a persona: (name, system prompt, greeting).
///
/// # Errors
/// Database errors.
pub async fn voice<'e>(
    db: impl Exec<'e>,
    id: Option<&str>,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(VOICE).bind(id).fetch_optional(db).await
}

/// Persona `id`'s channel and integration fields (the defaults when there is no such persona).
///
/// # Errors
/// Database errors.
pub async fn settings<'e>(db: impl Exec<'e>, id: Option<&str>) -> Result<PersonaSettings, sqlx::Error> {
    let json: Option<String> = sqlx::query_scalar(SETTINGS).bind(id).fetch_optional(db).await?;
    Ok(json.map(PersonaSettings::from).unwrap_or_default())
}

/// Stores persona `id`'s channel and integration fields.
///
/// # Errors
/// Database errors.
pub async fn set_settings<'e>(db: impl Exec<'e>, id: &str, settings: &PersonaSettings) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(SET_SETTINGS)).bind(settings.to_json()).bind(id).execute(db).await.map(|_| ())
}

/// `id` if it is a persona of widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn in_widget<'e>(db: impl Exec<'e>, id: &str, widget_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(IN_WIDGET).bind(id).bind(widget_id).fetch_optional(db).await
}

/// The organisation's persona `id`, if it has one by that id.
///
/// # Errors
/// Database errors.
pub async fn find<'e>(db: impl Exec<'e>, org_id: &str, id: &str) -> Result<Option<PersonaResource>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned()).push(" AND p.id = ").push_bind(id.to_owned());
    let mut persona: Option<PersonaResource> = q.build_query_as().fetch_optional(db).await?;
    if let Some(p) = &mut persona {
        p.object = "persona";
    }
    Ok(persona)
}

/// Appends the optional widget filter of a list.
fn push_widget(q: &mut Builder<'_>, widget_id: Option<&str>) {
    if let Some(w) = widget_id {
        q.push(" AND p.widget_id = ").push_bind(w.to_owned());
    }
}

/// Up to `limit` of the organisation's personas (only widget `widget_id`'s, when given), newest first, created
/// before position `before` when given (the cursor, found with [`CURSOR`]).
///
/// # Errors
/// Database errors.
pub async fn list<'e>(
    db: impl Exec<'e>,
    org_id: &str,
    widget_id: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<PersonaResource>, sqlx::Error> {
    let mut q = Builder::new(SELECT);
    q.push_bind(org_id.to_owned());
    push_widget(&mut q, widget_id);
    if let Some(seq) = before {
        q.push(" AND p.seq < ").push_bind(seq);
    }
    q.push(" ORDER BY p.seq DESC LIMIT ").push_bind(limit);
    let mut rows: Vec<PersonaResource> = q.build_query_as().fetch_all(db).await?;
    for p in &mut rows {
        p.object = "persona";
    }
    Ok(rows)
}

/// How many of the organisation's personas (only widget `widget_id`'s, when given).
///
/// # Errors
/// Database errors.
pub async fn count<'e>(db: impl Exec<'e>, org_id: &str, widget_id: Option<&str>) -> Result<i64, sqlx::Error> {
    let mut q = Builder::new(COUNT);
    q.push_bind(org_id.to_owned());
    push_widget(&mut q, widget_id);
    q.build_query_scalar().fetch_one(db).await
}

/// A persona to store; fields left `None` take the schema's defaults (`bubble_color`: the widget's brand colour).
#[derive(Debug, Default)]
pub struct NewPersona<'a> {
    /// Display name.
    pub name: &'a str,
    /// Instructions for the model.
    pub system_prompt: &'a str,
    /// Launcher and header colour.
    pub bubble_color: Option<&'a str>,
    /// URL patterns, a JSON array.
    pub url_patterns: Option<&'a str>,
    /// The widget's default (the caller keeps it the only one, see [`make_default`]).
    pub is_default: bool,
    /// First message of its conversations.
    pub greeting: Option<&'a str>,
    /// Avatar image URL.
    pub avatar_url: Option<&'a str>,
    /// Offers the in-chat lead form.
    pub capture_leads: bool,
}

/// Stores persona `id` of widget `widget_id`.
///
/// # Errors
/// Database errors.
pub async fn insert<'e>(db: impl Exec<'e>, id: &str, widget_id: &str, p: &NewPersona<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(id)
        .bind(widget_id)
        .bind(p.name)
        .bind(p.system_prompt)
        .bind(p.bubble_color)
        .bind(p.url_patterns)
        .bind(p.is_default)
        .bind(p.greeting)
        .bind(p.avatar_url)
        .bind(p.capture_leads)
        .execute(db)
        .await?;
    Ok(())
}

/// A change to a persona; `None` leaves a field unchanged, `Some(None)` clears a clearable one.
#[derive(Debug, Default)]
pub struct Changes {
    /// Display name.
    pub name: Option<String>,
    /// Instructions for the model.
    pub system_prompt: Option<String>,
    /// Launcher and header colour.
    pub bubble_color: Option<String>,
    /// URL patterns, a JSON array.
    pub url_patterns: Option<String>,
    /// First message of its conversations.
    pub greeting: Option<Option<String>>,
    /// Avatar image URL.
    pub avatar_url: Option<Option<String>>,
    /// Offers the in-chat lead form.
    pub capture_leads: Option<bool>,
}

/// Writes `changes` to persona `id` and stamps `updated_at`.
///
/// # Errors
/// Database errors.
pub async fn update<'e>(db: impl Exec<'e>, id: &str, c: &Changes) -> Result<(), sqlx::Error> {
    sqlx::query(db.dialect().sql(UPDATE))
        .bind(&c.name)
        .bind(&c.system_prompt)
        .bind(&c.bubble_color)
        .bind(&c.url_patterns)
        .bind(c.greeting.is_some())
        .bind(c.greeting.clone().flatten())
        .bind(c.avatar_url.is_some())
        .bind(c.avatar_url.clone().flatten())
        .bind(c.capture_leads)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Moves the default of widget `widget_id` to persona `persona_id`.
///
/// # Errors
/// Database errors.
pub async fn make_default<'e>(db: impl Exec<'e>, widget_id: &str, persona_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(MAKE_DEFAULT).bind(persona_id).bind(widget_id).execute(db).await?;
    Ok(())
}

/// Gives the personas of widget `widget_id` still wearing its brand colour the new one, `color` (call before the
/// widget's colour changes); personas with their own colour keep it.
///
/// # Errors
/// Database errors.
pub async fn follow_brand_color<'e>(db: impl Exec<'e>, widget_id: &str, color: &str) -> Result<(), sqlx::Error> {
    sqlx::query(FOLLOW_BRAND_COLOR).bind(color).bind(widget_id).execute(db).await?;
    Ok(())
}

/// Sets the name, greeting and system prompt of widget `widget_id`'s default persona.
///
/// # Errors
/// Database errors.
pub async fn set_default_voice<'e>(
    db: impl Exec<'e>,
    widget_id: &str,
    name: &str,
    greeting: &str,
    system_prompt: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(SET_DEFAULT_VOICE).bind(name).bind(greeting).bind(system_prompt).bind(widget_id).execute(db).await?;
    Ok(())
}

/// Takes the write lock on persona `id` at the start of a transaction, so a check made next ("not the last
/// one") stays true until it commits.
///
/// # Errors
/// Database errors.
pub async fn lock<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(LOCK).bind(id).execute(db).await?;
    Ok(())
}

/// How many personas widget `widget_id` has.
///
/// # Errors
/// Database errors.
pub async fn count_in_widget<'e>(db: impl Exec<'e>, widget_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(COUNT_IN_WIDGET).bind(widget_id).fetch_one(db).await
}

/// The oldest persona of widget `widget_id`.
///
/// # Errors
/// Database errors (`RowNotFound` for a widget without personas).
pub async fn first_in_widget<'e>(db: impl Exec<'e>, widget_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(FIRST_IN_WIDGET).bind(widget_id).fetch_one(db).await
}

/// Deletes persona `id`.
///
/// # Errors
/// Database errors.
pub async fn delete<'e>(db: impl Exec<'e>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(DELETE).bind(id).execute(db).await?;
    Ok(())
}
