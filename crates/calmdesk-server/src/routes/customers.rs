//! Customers: list, read, update their value fields, and their cases.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use calmdesk_core::playbook;
use calmdesk_desk::domain::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{cursor, page_limit};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, ApiJson, SignedIn};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<String>,
}

fn page(query: Result<Query<PageQuery>, QueryRejection>) -> Result<(Option<Id>, i64), ApiError> {
    let Ok(Query(query)) = query else {
        return Err(ApiError::invalid(
            "query",
            "the query string could not be read",
        ));
    };
    Ok((
        cursor(query.cursor.as_deref())?,
        page_limit(query.limit.as_deref())?,
    ))
}

/// Customers, newest first.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(PageQuery),
    responses((status = 200, body = Page<Customer>), (status = 400, body = ErrorBody)))]
pub async fn list_customers(
    State(state): State<AppState>,
    _user: SignedIn,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Page<Customer>>, ApiError> {
    let (before, limit) = page(query)?;
    Ok(Json(state.store.list_customers(before, limit).await?))
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}", tag = "customers",
    params(("customer_id" = i64, Path)),
    responses((status = 200, body = Customer), (status = 404, body = ErrorBody)))]
pub async fn get_customer(
    State(state): State<AppState>,
    _user: SignedIn,
    Path(customer_id): Path<String>,
) -> Result<Json<Customer>, ApiError> {
    let id = parse_id("customer_id", &customer_id)?;
    Ok(Json(state.store.get_customer(id).await?))
}

/// Changes a customer's name, tier or value fields, or adds an e-mail or handle.
#[utoipa::path(patch, path = "/api/v1/customers/{customer_id}", tag = "customers",
    params(("customer_id" = i64, Path)), request_body = CustomerChanges,
    responses((status = 200, body = Customer), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_customer(
    State(state): State<AppState>,
    user: SignedIn,
    Path(customer_id): Path<String>,
    ApiJson(changes): ApiJson<CustomerChanges>,
) -> Result<Json<Customer>, ApiError> {
    let id = parse_id("customer_id", &customer_id)?;
    Ok(Json(
        state
            .store
            .update_customer(id, &changes, &user.actor())
            .await?,
    ))
}

/// A customer's cases, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/cases", tag = "customers",
    params(("customer_id" = i64, Path), PageQuery),
    responses((status = 200, body = Page<Case>), (status = 404, body = ErrorBody)))]
pub async fn customer_cases(
    State(state): State<AppState>,
    _user: SignedIn,
    Path(customer_id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Page<Case>>, ApiError> {
    let id = parse_id("customer_id", &customer_id)?;
    let (before_id, limit) = page(query)?;
    state.store.get_customer(id).await?;
    let filter = CaseFilter {
        customer_id: Some(id),
        before_id,
        limit,
        ..CaseFilter::default()
    };
    Ok(Json(state.store.list_cases(&filter).await?))
}

/// Whether a customer is worth what they cost: cost to serve across all their cases (contacts,
/// agent minutes estimated from the messages, concessions granted, policy overrides, abuse
/// aimed at agents, escalations) against their value (orders, lifetime value, tenure, tier,
/// referrals), with a recommendation (`keep`, `keep_with_boundaries`, `manager_review`,
/// `part_ways_politely`), its reasons and the figures. Managers and admins only; it is advice,
/// never acted on.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/worth", tag = "customers",
    params(("customer_id" = i64, Path)),
    responses((status = 200, description = "The figures, recommendation and reasons", body = Object),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn customer_worth(
    State(state): State<AppState>,
    user: SignedIn,
    Path(customer_id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    user.require(Role::Manager)?;
    let id = parse_id("customer_id", &customer_id)?;
    let customer = state.store.get_customer(id).await?;
    let today = chrono::Utc::now().date_naive().to_string();
    let mut cases = Vec::new();
    let mut before_id = None;
    loop {
        let filter = CaseFilter {
            customer_id: Some(id),
            before_id,
            limit: 500,
            ..CaseFilter::default()
        };
        let page = state.store.list_cases(&filter).await?;
        for case in &page.items {
            let record = state.store.case_record(case.id).await?;
            let export = serde_json::to_value(&record).map_err(ApiError::internal)?;
            cases.push(playbook::CaseInput::from_export(&export, &today));
        }
        match (page.next_cursor, page.items.last()) {
            (Some(_), Some(last)) => before_id = Some(last.id),
            _ => break,
        }
    }
    let export = serde_json::json!({ "customer": customer });
    let record = playbook::CaseInput::from_export(&export, &today)
        .customer
        .unwrap_or_default();
    let report = playbook::customer_worth_of(&record, &cases, &state.models);
    let mut value = serde_json::to_value(&report).map_err(ApiError::internal)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("customer_id".into(), serde_json::json!(id));
    }
    Ok(Json(value))
}
