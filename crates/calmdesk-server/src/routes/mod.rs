//! The routes of the API, one module per group, merged here with their OpenAPI description.

mod admin;
mod analyze;
mod cases;
mod customers;
mod follow_ups;
mod overrides;
mod plan;
mod review;
mod status;
mod system;
mod timeline;
mod users;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "calmdesk",
        description = "The case desk of calmdesk: customers, cases, messages, offers, promises, \
                       follow-ups and the audit log. Every request but /healthz and this \
                       document needs `Authorization: Bearer TOKEN`. Errors have one shape: \
                       {\"error\": {\"code\", \"message\", \"field\"}}."
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(system::healthz))
        .routes(routes!(system::me))
        .routes(routes!(analyze::analyze))
        .routes(routes!(review::review))
        .routes(routes!(cases::create_case, cases::list_cases))
        .routes(routes!(
            cases::get_case,
            cases::update_case,
            cases::delete_case
        ))
        .routes(routes!(cases::case_audit))
        .routes(routes!(cases::export_case))
        .routes(routes!(plan::case_plan))
        .routes(routes!(timeline::add_message))
        .routes(routes!(timeline::add_action))
        .routes(routes!(timeline::add_offer))
        .routes(routes!(overrides::add_override))
        .routes(routes!(timeline::decide_offer))
        .routes(routes!(timeline::add_commitment))
        .routes(routes!(timeline::settle_commitment))
        .routes(routes!(status::resolve))
        .routes(routes!(status::close))
        .routes(routes!(status::reopen))
        .routes(routes!(status::escalate))
        .routes(routes!(status::deescalate))
        .routes(routes!(status::wait))
        .routes(routes!(follow_ups::list_follow_ups))
        .routes(routes!(follow_ups::record_outcome))
        .routes(routes!(customers::list_customers))
        .routes(routes!(customers::get_customer, customers::update_customer))
        .routes(routes!(customers::customer_cases))
        .routes(routes!(customers::customer_worth))
        .routes(routes!(admin::reload))
        .routes(routes!(users::list_users, users::add_user))
        .routes(routes!(users::update_user, users::disable_user))
}

/// The OpenAPI 3 document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

pub(crate) fn router(state: AppState) -> Router {
    let (router, document) = api().split_for_parts();
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document) }
            }),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state)
}

async fn no_route() -> impl IntoResponse {
    ApiError::new(StatusCode::NOT_FOUND, "no_route", "there is no such route").on("path")
}

async fn wrong_method() -> impl IntoResponse {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
    .on("method")
}

/// Page sizes: 50 unless asked, at most 500.
pub(crate) fn page_limit(limit: Option<&str>) -> Result<i64, ApiError> {
    match limit {
        None => Ok(50),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", "must be a whole number from 1 to 500")),
    }
}

/// Cursors are the id of the last item of the previous page.
pub(crate) fn cursor(text: Option<&str>) -> Result<Option<i64>, ApiError> {
    text.map(|t| crate::extract::parse_id("cursor", t))
        .transpose()
}
