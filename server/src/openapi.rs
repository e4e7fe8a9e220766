//! The OpenAPI 3.1 document of the developer API (`/api/v1`) and the public widget endpoints, served at
//! `GET /api/v1/openapi.json`.
//!
//! It is generated from the code, so it cannot drift: the routers register their handlers through utoipa-axum's
//! `routes!`, which takes each handler's `#[utoipa::path]` (a route cannot exist without its documented
//! operation), and the schemas derive from the types the handlers serialize. What every operation shares is added
//! here once, by [`Modify`] passes over the collected operations, instead of being repeated on every handler:
//! the credentials ([`Credentials`]), the `{"error": "..."}` answers any request can get and the rate-limit
//! headers ([`SharedResponses`]), optional bodies ([`OptionalBodies`]), and the legacy `PATCH` aliases of `POST`
//! updates ([`PatchAliases`]).

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;
use quincer_protocol::error::ErrorBody;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Deprecated, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi as _};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Name of the developer-key security scheme (`Authorization: Bearer cw_dev_…`).
pub const DEVELOPER_KEY: &str = "developer_key";
/// Name of the widget-key security scheme (`Authorization: Bearer cw_live_…`).
pub const WIDGET_KEY: &str = "widget_key";
/// Name of the visitor-token security scheme (`Quincer-Visitor-Token`).
pub const VISITOR_TOKEN: &str = "visitor_token";

/// The document's frame: title, description, tags, the shared schemas, and the passes that complete it once the
/// routers' operations are in (see [`document`]).
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Quincer API",
        description = "The developer API (`/api/v1`, developer keys `cw_dev_…`) and the public endpoints the \
            widget calls from visitors' browsers (widget keys `cw_live_…` and visitor tokens).\n\n\
            Every error is `{\"error\": \"...\"}` with its status. A known path called with a method it does not \
            support answers 405. Developer keys are rate-limited per key (reads and writes a minute): answers \
            carry `Quincer-RateLimit-Limit`, `-Remaining` and `-Reset`, and a 429 carries `Retry-After`. The \
            public endpoints are limited per client address and, for chat messages, per visitor.\n\n\
            The developer API also accepts a signed-in team member's session cookie (`quincer_session`, from \
            `POST /inbox/api/sign-in`) instead of a key: the scopes are the member's role's, and state-changing \
            requests must repeat the session's CSRF token in `X-CSRF-Token`.",
        license(name = "MIT")
    ),
    tags(
        (name = "widgets", description = "Widgets and their settings"),
        (name = "widget keys", description = "A widget's public `cw_live_` keys: list, mint, revoke"),
        (name = "storefront", description = "Importing a Shopify storefront's public catalog"),
        (name = "conversations", description = "Discover, take over, reply on, hand back and hand off conversations"),
        (name = "knowledge", description = "What the AI answers from"),
        (name = "personas", description = "Who the AI speaks as, and on which pages"),
        (name = "leads", description = "The sales pipeline"),
        (name = "members", description = "Team members: the people who sign in to the inbox"),
        (name = "tasks", description = "The agent's activity log: scheduled, running and finished work on leads"),
        (name = "playbook", description = "The sales playbook: what sales personas argue with"),
        (name = "webhooks", description = "Webhook subscriptions"),
        (name = "integrations", description = "Connection state of outside services (read-only)"),
        (name = "models", description = "The AI models a widget can answer with"),
        (name = "openapi", description = "This document"),
        (name = "public widget", description = "Called by the widget from visitors' browsers, with CORS"),
    ),
    components(schemas(ErrorBody, crate::public::SseEvent))
)]
struct ApiDoc;

/// Every documented route: the developer API nested under `/api/v1`, and the public widget endpoints. The app
/// serves these very routers (with their layers), so the document and the routes come from one place.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", api_routes()).merge(crate::public::routes())
}

/// The developer API's routes and this document's own (`/openapi.json`).
fn api_routes() -> OpenApiRouter<AppState> {
    crate::api::routes().routes(routes!(serve))
}

/// Routes of `/api/v1` (nested by [`crate::app`]).
pub fn api_router() -> Router<AppState> {
    // Unknown paths fall through to the site's `/api/*` catch-all, which answers a JSON 404.
    let (router, _) = api_routes().split_for_parts();
    router.method_not_allowed_fallback(crate::error::method_not_allowed)
}

/// The whole document, built once.
pub fn document() -> &'static OpenApi {
    static DOCUMENT: OnceLock<OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = routes().into_openapi();
        for pass in [&Credentials as &dyn Modify, &SharedResponses, &OptionalBodies, &PatchAliases] {
            pass.modify(&mut doc);
        }
        doc
    })
}

/// The document as JSON, serialized once.
fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| document().to_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")))
}

/// `GET /api/v1/openapi.json`: this document. Public (no credentials) and cacheable.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "get_openapi",
    tag = "openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)),
)]
pub async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=3600")], document_json())
}

/// Adds the three credentials: developer keys, widget keys and visitor tokens.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = |format: &str, description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format(format)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            DEVELOPER_KEY,
            bearer(
                "cw_dev_…",
                "A developer key, `Authorization: Bearer cw_dev_…`: an organisation's server-side secret with \
                 scopes; each operation names the scope it needs.",
            ),
        );
        components.add_security_scheme(
            WIDGET_KEY,
            bearer(
                "cw_live_…",
                "A widget's public key, `Authorization: Bearer cw_live_…` (or `?widget_key=` where headers cannot \
                 be sent): identifies the widget and grants nothing else.",
            ),
        );
        components.add_security_scheme(
            VISITOR_TOKEN,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                quincer_protocol::VISITOR_TOKEN_HEADER,
                "The visitor's token, from `POST /api/widget/session` (or `?visitor_token=` where headers cannot be \
                 sent).",
            ))),
        );
    }
}

/// An answer many operations share, defined once under `components/responses`.
struct Shared {
    /// Its name under `components/responses`.
    name: &'static str,
    /// The status.
    status: &'static str,
    /// What it means.
    description: &'static str,
    /// Whether it carries the developer key's `Quincer-RateLimit-*` headers.
    rate_headers: bool,
    /// Whether only requests with a body can get it.
    body_only: bool,
}

impl Shared {
    /// An answer any request of its API can get.
    const fn any(name: &'static str, status: &'static str, description: &'static str, rate_headers: bool) -> Self {
        Shared { name, status, description, rate_headers, body_only: false }
    }

    /// An answer only requests with a body can get.
    const fn body(name: &'static str, status: &'static str, description: &'static str, rate_headers: bool) -> Self {
        Shared { name, status, description, rate_headers, body_only: true }
    }
}

/// What any `/api/v1` request can get besides its own answers. A 401 carries no counters: an unknown key is not
/// counted.
const DEVELOPER: &[Shared] = &[
    Shared::any(
        "BadRequest",
        "400",
        "Invalid input: a malformed path, query string or body; the message names the field",
        true,
    ),
    Shared::any(
        "Unauthorized",
        "401",
        "Missing, unknown or revoked developer key, or a widget key (`cw_live_…`) instead",
        false,
    ),
    Shared::any(
        "MissingScope",
        "403",
        "The developer key lacks the scope this operation needs; the message names it",
        true,
    ),
    Shared::any(
        "RateLimited",
        "429",
        "Too many requests from this developer key; retry after `Retry-After` seconds",
        true,
    ),
    Shared::body("PayloadTooLarge", "413", "The body is too large", true),
    Shared::body("UnsupportedMediaType", "415", "The body is not JSON: send `Content-Type: application/json`", true),
];

/// What any public widget request can get besides its own answers.
const PUBLIC: &[Shared] = &[
    Shared::any(
        "WidgetBadRequest",
        "400",
        "Invalid input: a malformed path or body; the message names the field",
        false,
    ),
    Shared::any(
        "WidgetUnauthorized",
        "401",
        "Missing, unknown or revoked widget key (or a developer key instead), or an unknown visitor token",
        false,
    ),
    Shared::any(
        "OriginNotAllowed",
        "403",
        "The request's `Origin` is not among the widget's `allowed_origins` (answered without CORS headers)",
        false,
    ),
    Shared::any(
        "WidgetRateLimited",
        "429",
        "Too many requests from this client address, or chat messages from this visitor; retry after `Retry-After` \
         seconds",
        false,
    ),
    Shared::body("WidgetPayloadTooLarge", "413", "The body is too large", false),
    Shared::body(
        "WidgetUnsupportedMediaType",
        "415",
        "The body is not JSON: send `Content-Type: application/json`",
        false,
    ),
];

/// Adds what every operation shares: the answers of [`DEVELOPER`] or [`PUBLIC`] (as references to
/// `components/responses`), the rate-limit headers on every `/api/v1` answer, and `Retry-After` on 429s. Answers
/// an operation documents itself are kept as they are.
struct SharedResponses;

impl SharedResponses {
    /// The shared answers of operation `op` of `path`.
    fn of(path: &str, op: &Operation) -> impl Iterator<Item = &'static Shared> {
        let no_credentials = op.security.as_ref().is_some_and(|s| s.iter().all(|r| r == &Default::default()));
        let has_body = op.request_body.is_some();
        let all = if path.starts_with("/api/v1/") { DEVELOPER } else { PUBLIC };
        // Without credentials there is nothing to refuse, but a developer key sent anyway is still counted.
        all.iter().filter(move |s| (!s.body_only || has_body) && (!no_credentials || s.status == "429"))
    }

    /// The `components/responses` entry of a shared answer: `{"error": "..."}` with its headers.
    fn response(shared: &Shared) -> Response {
        let schema = RefOr::Ref(Ref::from_schema_name("ErrorBody"));
        let mut response = ResponseBuilder::new()
            .description(shared.description)
            .content("application/json", ContentBuilder::new().schema(Some(schema)).build())
            .build();
        Self::add_headers(&mut response, shared.status, shared.rate_headers);
        response
    }

    /// The rate-limit headers (when `rate_headers`) and, on a 429, `Retry-After`.
    fn add_headers(response: &mut Response, status: &str, rate_headers: bool) {
        if rate_headers {
            for (name, description) in [
                ("Quincer-RateLimit-Limit", "Requests of this kind (reads or writes) allowed a minute"),
                ("Quincer-RateLimit-Remaining", "Requests left in the current minute"),
                ("Quincer-RateLimit-Reset", "Unix time (seconds) at which the window resets"),
            ] {
                response.headers.entry(name.into()).or_insert_with(|| Self::integer_header(description));
            }
        }
        if status == "429" {
            let retry_after = Self::integer_header("Seconds until the client may try again");
            response.headers.insert("Retry-After".into(), retry_after);
        }
    }

    /// A header with an integer value.
    fn integer_header(description: &str) -> Header {
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
            .description(Some(description))
            .build()
    }
}

impl Modify for SharedResponses {
    fn modify(&self, doc: &mut OpenApi) {
        let mut used: Vec<&Shared> = Vec::new();
        for (path, item) in doc.paths.paths.iter_mut() {
            let developer = path.starts_with("/api/v1/");
            for op in operations(item) {
                for shared in Self::of(path, op) {
                    let reference = RefOr::Ref(Ref::from_response_name(shared.name));
                    op.responses.responses.entry(shared.status.into()).or_insert(reference);
                    used.push(shared);
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    if let RefOr::T(response) = response {
                        Self::add_headers(response, status, developer);
                    }
                }
            }
        }
        let components = doc.components.get_or_insert_with(Default::default);
        for shared in used {
            components.responses.entry(shared.name.into()).or_insert_with(|| Self::response(shared).into());
        }
    }
}

/// Unwraps the schema of an optional body: utoipa writes `Option<T>` as "`null` or T", but the optional bodies
/// (session, takeover, storefront import) may be absent or empty, never the JSON `null`.
struct OptionalBodies;

impl Modify for OptionalBodies {
    fn modify(&self, doc: &mut OpenApi) {
        for item in doc.paths.paths.values_mut() {
            for op in operations(item) {
                let Some(body) = op.request_body.as_mut() else { continue };
                for content in body.content.values_mut() {
                    let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else { continue };
                    let mut items = one_of.items.iter().filter(|s| !is_null(s));
                    if let (Some(only), None, true) = (items.next(), items.next(), one_of.items.len() == 2) {
                        content.schema = Some(only.clone());
                    }
                }
            }
        }
    }
}

/// Whether `schema` is `{"type": "null"}`.
fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
}

/// Gives the `PATCH` alias of each `POST` update (one handler, `method(post, patch)`) an operation id of its own
/// and marks it deprecated: API.md keeps it for one major version, and POST is canonical.
struct PatchAliases;

impl Modify for PatchAliases {
    fn modify(&self, doc: &mut OpenApi) {
        for item in doc.paths.paths.values_mut() {
            let Some(post_id) = item.post.as_ref().and_then(|op| op.operation_id.clone()) else { continue };
            if let Some(patch) = item.patch.as_mut().filter(|op| op.operation_id.as_deref() == Some(&post_id)) {
                patch.operation_id = Some(format!("{post_id}_patch"));
                patch.deprecated = Some(Deprecated::True);
                patch.summary = Some(format!("Legacy alias of `POST`: {}", patch.summary.clone().unwrap_or_default()));
            }
        }
    }
}

/// Every operation of a path item.
fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}
