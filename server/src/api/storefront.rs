//! `POST /api/v1/widgets/:id/import-storefront`: a Shopify store's public catalog into the widget's products and
//! knowledge (see [`crate::storefront`] for the pipeline, its limits and its errors).

use axum::extract::State;
use axum::Json;
use quincer_protocol::error::ErrorBody;
use serde::{Deserialize, Serialize};

use crate::auth::DevAuth;
use crate::error::{optional_json, ApiError, ApiPath, ApiResult, JsonBytes};
use crate::state::AppState;
use crate::storefront::{self, HttpStore, ImportSummary};

/// The request body; it may be empty.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// The store's URL (a bare host means `https://`); defaults to the widget's `website_url`.
    #[schema(example = "https://shop.example")]
    pub url: Option<String>,
}

/// The answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportResource {
    /// Always `"storefront_import"`.
    #[schema(value_type = String)]
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
#[utoipa::path(
    post,
    path = "/widgets/{id}/import-storefront",
    operation_id = "import_storefront",
    tag = "storefront",
    summary = "Import a Shopify storefront's catalog",
    description = "Scope `knowledge:write`. Reads the store's public `/products.json` (10 s per request, 8 MB per \
        page, 100 pages) into the widget's products and one knowledge item per product; re-imports update in \
        place. All or nothing: a failure leaves the previous catalog untouched. The body may be empty.",
    security(("developer_key" = [])),
    params(("id" = String, Path, description = "Widget id")),
    request_body = Option<ImportBody>,
    responses(
        (status = 200, description = "What the import did", body = ImportResource),
        (status = 404, description = "No such widget in the organisation", body = ErrorBody),
        (
            status = 422,
            description = "The URL is no usable storefront: 404, password-protected, too many pages",
            body = ErrorBody,
        ),
        (
            status = 502,
            description = "The store failed: an error status, not JSON, too large, unreachable",
            body = ErrorBody,
        ),
        (status = 504, description = "The store did not answer within 10 s", body = ErrorBody),
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    auth: DevAuth,
    ApiPath(widget_id): ApiPath<String>,
    body: JsonBytes,
) -> ApiResult<Json<ImportResource>> {
    auth.require("knowledge:write")?;
    let body: ImportBody = optional_json(body)?;
    let widget_id = super::target_widget(&state.db, &auth, Some(&widget_id)).await?;
    let given = match body.url.filter(|u| !u.trim().is_empty()) {
        Some(url) => url,
        None => crate::store::products::website_url(&state.db, &widget_id)
            .await?
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "no store URL: send {\"url\": \"https://your-store.example\"} or set the widget's website_url",
                )
            })?,
    };
    let base = storefront::normalise_base(&given).map_err(ApiError::BadRequest)?;
    state.outbound.check_destination(&base).await.map_err(ApiError::BadRequest)?;
    let store = HttpStore::new(&base, state.storefront, &state.outbound)?;
    let summary = storefront::import(&state.db, &widget_id, &base, &store).await?;
    tracing::info!(%widget_id, %base, products = summary.products, "storefront imported");
    // New and changed products get their vectors in the background; until then words alone find them.
    state.indexer.wake();
    Ok(Json(ImportResource { object: "storefront_import", widget_id, url: base, summary }))
}
