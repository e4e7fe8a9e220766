//! `POST /api/widget/session`: starts or resumes a visitor and hands the widget its public configuration.

use axum::extract::State;
use axum::Json;
use quincer_protocol::color::on_color;
use quincer_protocol::session::{SessionRequest, WidgetColors, WidgetPublicConfig, WidgetSession};
use quincer_protocol::url_pattern;
use sqlx::SqlitePool;

use crate::auth::WidgetAuth;
use crate::error::{optional_json, ApiError, ApiResult, JsonBytes};
use crate::state::AppState;
use crate::{i18n, ids, locale, personas};

/// Longest page URL stored.
const MAX_URL_LEN: usize = 2048;

/// The handler.
#[utoipa::path(
    post,
    path = "/api/widget/session",
    operation_id = "start_widget_session",
    tag = "public widget",
    summary = "Start or resume a visitor",
    description = "The widget's bootstrap call: a known `visitor_token` resumes its visitor, anything else starts a \
        new one. Returns the visitor token, the widget's branding, its personas and its interface in the visitor's \
        language (`locale`, else the widget's `interface_locale` setting, else the `Accept-Language` header). The body \
        may be empty.",
    security(("widget_key" = [])),
    request_body = Option<SessionRequest>,
    responses((status = 200, description = "The visitor and the widget's public configuration", body = WidgetSession)),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: WidgetAuth,
    headers: axum::http::HeaderMap,
    body: JsonBytes,
) -> ApiResult<Json<WidgetSession>> {
    // An empty body is a valid "new visitor, page unknown" request.
    let req: SessionRequest = optional_json(body)?;
    if req.page_url.as_ref().is_some_and(|u| u.len() > MAX_URL_LEN) {
        return Err(ApiError::bad_request(format!("page_url is longer than {MAX_URL_LEN} bytes")));
    }
    let host_locale = req.locale.as_deref().map(host_locale).transpose()?;
    let db = &state.db;
    let known = match req.visitor_token.as_deref() {
        Some(token) if token.len() <= 200 => {
            sqlx::query_scalar::<_, String>("SELECT id FROM visitors WHERE token_hash = ? AND widget_id = ?")
                .bind(ids::hash_secret(token))
                .bind(&auth.widget_id)
                .fetch_optional(db)
                .await?
                .map(|id| (id, token.to_owned()))
        }
        _ => None,
    };
    let (visitor_id, visitor_token) = match known {
        Some((id, token)) => {
            sqlx::query("UPDATE visitors SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
                .bind(&id)
                .execute(db)
                .await?;
            (id, token)
        }
        None => {
            let (id, token) = (ids::new_id("vis"), ids::new_visitor_token());
            sqlx::query("INSERT INTO visitors (id, widget_id, token_hash) VALUES (?, ?, ?)")
                .bind(&id)
                .bind(&auth.widget_id)
                .bind(ids::hash_secret(&token))
                .execute(db)
                .await?;
            (id, token)
        }
    };
    let (widget, interface_locale) = public_config(db, &auth.widget_id).await?;
    let browser = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let interface =
        i18n::resolve(host_locale.as_deref(), &interface_locale, &i18n::accept_language(browser), &widget.locale);
    let personas = personas::public_list(db, &auth.widget_id).await?;
    let persona_id = url_pattern::choose(&personas, req.page_url.as_deref().unwrap_or_default()).map(|p| p.id.clone());
    Ok(Json(WidgetSession {
        object: "widget_session".into(),
        visitor_id,
        visitor_token,
        widget,
        personas,
        persona_id,
        interface,
    }))
}

/// The host page's language tag, canonical.
///
/// # Errors
/// 400 for something that is not a language tag.
fn host_locale(tag: &str) -> ApiResult<String> {
    locale::canonical(tag.trim()).ok_or_else(|| {
        ApiError::bad_request(format!("`locale` ({tag:?}) must be a BCP 47 language tag such as \"fr\" or \"pt-BR\""))
    })
}

/// The widget's branding, and its `interface_locale` setting.
async fn public_config(db: &SqlitePool, widget_id: &str) -> Result<(WidgetPublicConfig, String), sqlx::Error> {
    let (brand, primary, greeting, locale, launcher_position, launcher_label, theme, interface_locale): (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT brand, primary_color, greeting, locale, launcher_position, launcher_label, theme, interface_locale
         FROM widgets WHERE id = ?",
    )
    .bind(widget_id)
    .fetch_one(db)
    .await?;
    let config = WidgetPublicConfig {
        id: widget_id.to_owned(),
        brand,
        colors: WidgetColors { on_primary: on_color(&primary).into(), primary },
        greeting,
        locale,
        launcher_position,
        launcher_label,
        theme,
    };
    Ok((config, interface_locale))
}
