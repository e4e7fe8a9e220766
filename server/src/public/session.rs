//! `POST /api/widget/session`: starts or resumes a visitor and hands the widget its public configuration.

use axum::extract::State;
use axum::Json;
use quincer_protocol::color::on_color;
use quincer_protocol::session::{SessionRequest, WidgetColors, WidgetPublicConfig, WidgetSession};
use quincer_protocol::url_pattern;

use crate::auth::WidgetAuth;
use crate::error::{optional_json, ApiError, ApiResult, JsonBytes};
use crate::state::AppState;
use crate::store::{self, personas, Db};
use crate::{i18n, ids, locale};

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
        Some(token) if token.len() <= 200 => store::visitors::by_token(db, &auth.widget_id, &ids::hash_secret(token))
            .await?
            .map(|id| (id, token.to_owned())),
        _ => None,
    };
    let (visitor_id, visitor_token) = match known {
        Some((id, token)) => {
            store::visitors::touch(db, &id).await?;
            (id, token)
        }
        None => {
            let (id, token) = (ids::new_id("vis"), ids::new_visitor_token());
            store::visitors::insert(db, &id, &auth.widget_id, &ids::hash_secret(&token)).await?;
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
async fn public_config(db: &Db, widget_id: &str) -> Result<(WidgetPublicConfig, String), sqlx::Error> {
    let w = store::widgets::public_settings(db, widget_id).await?;
    let config = WidgetPublicConfig {
        id: widget_id.to_owned(),
        brand: w.brand,
        colors: WidgetColors { on_primary: on_color(&w.primary_color).into(), primary: w.primary_color },
        greeting: w.greeting,
        locale: w.locale,
        launcher_position: w.launcher_position,
        launcher_label: w.launcher_label,
        theme: w.theme,
    };
    Ok((config, w.interface_locale))
}
