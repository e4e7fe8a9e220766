//! `/api/v1/widgets`: the organisation's widgets.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::Value;

use super::ListEnvelope;
use crate::auth::DevAuth;
use crate::error::ApiResult;
use crate::state::AppState;

/// A widget as the developer API shows it.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct WidgetResource {
    /// Always `"widget"`.
    #[sqlx(skip)]
    pub object: &'static str,
    /// Widget id.
    pub id: String,
    /// Brand name.
    pub brand: String,
    /// Site the widget is deployed on.
    pub website_url: Option<String>,
    /// Brand colour.
    pub primary_color: String,
    /// Greeting of an empty conversation.
    pub greeting: String,
    /// Default language.
    pub locale: String,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// `GET /api/v1/widgets` (scope `widgets:read`).
pub async fn list(State(state): State<AppState>, auth: DevAuth) -> ApiResult<Json<Value>> {
    auth.require("widgets:read")?;
    let mut widgets: Vec<WidgetResource> = sqlx::query_as(
        "SELECT id, brand, website_url, primary_color, greeting, locale, created_at, updated_at
         FROM widgets WHERE org_id = ? ORDER BY seq DESC",
    )
    .bind(&auth.org_id)
    .fetch_all(&state.db)
    .await?;
    for w in &mut widgets {
        w.object = "widget";
    }
    let total = widgets.len() as i64;
    let envelope = ListEnvelope {
        object: "list",
        has_more: false,
        url: "/api/v1/widgets".into(),
        total,
        limit: total,
        offset: 0,
        data: widgets,
    };
    Ok(Json(envelope.with_legacy_items("widgets")))
}
