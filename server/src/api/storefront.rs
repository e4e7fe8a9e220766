//! `POST /api/v1/widgets/:id/import-storefront`: a Shopify store's public catalog into the widget's products and
//! knowledge (see [`crate::storefront`] for the pipeline, its limits and its errors).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::DevAuth;
use crate::error::{optional_json, ApiError, ApiPath, ApiResult};
use crate::state::AppState;
use crate::storefront::{self, HttpStore, ImportSummary};

/// The request body; it may be empty.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// The store's URL; defaults to the widget's `website_url`.
    pub url: Option<String>,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct ImportResource {
    /// Always `"storefront_import"`.
    pub object: &'static str,
    /// The widget.
    pub widget_id: String,
    /// The store's normalised base URL.
    pub url: String,
    /// Counts and currency.
    #[serde(flatten)]
    pub summary: ImportSummary,
}

/// `POST /api/v1/widgets/:id/import-storefront` (scope `knowledge:write`): 200 with the counts.
pub async fn import(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(widget_id): ApiPath<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ImportResource>> {
    auth.require("knowledge:write")?;
    let body: ImportBody = optional_json(body)?;
    let widget_id = super::target_widget(&state.db, &auth, Some(&widget_id)).await?;
    let given = match body.url.filter(|u| !u.trim().is_empty()) {
        Some(url) => url,
        None => sqlx::query_scalar::<_, Option<String>>("SELECT website_url FROM widgets WHERE id = ?")
            .bind(&widget_id)
            .fetch_one(&state.db)
            .await?
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "no store URL: send {\"url\": \"https://your-store.example\"} or set the widget's website_url",
                )
            })?,
    };
    let base = storefront::normalise_base(&given).map_err(ApiError::BadRequest)?;
    let store = HttpStore::new(&base, state.storefront)?;
    let summary = storefront::import(&state.db, &widget_id, &base, &store).await?;
    tracing::info!(%widget_id, %base, products = summary.products, "storefront imported");
    Ok(Json(ImportResource { object: "storefront_import", widget_id, url: base, summary }))
}
