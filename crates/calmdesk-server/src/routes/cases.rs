//! Cases: open, list, read, change, delete, and their audit log and export.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use calmdesk_desk::domain::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{cursor, page_limit};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, ApiJson, SignedIn};
use crate::AppState;

/// A case just opened: its id, and the case with its customer and first message.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCase {
    pub id: Id,
    #[serde(flatten)]
    pub record: CaseRecord,
}

/// A case with its customer, timeline and audit log: everything the desk knows about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseExport {
    #[serde(flatten)]
    pub record: CaseRecord,
    pub audit: Vec<AuditEntry>,
}

/// Filters for the case list; all optional and combined with AND.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CaseListQuery {
    /// open, waiting, escalated, resolved or closed.
    pub status: Option<String>,
    /// A user id.
    pub assignee: Option<String>,
    /// true: only cases in a manager's hands; false: only the others.
    pub escalated: Option<String>,
    /// A customer id.
    pub customer: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<String>,
}

impl CaseListQuery {
    pub(crate) fn into_filter(self) -> Result<CaseFilter, ApiError> {
        let status = self
            .status
            .as_deref()
            .map(|s| {
                CaseStatus::parse(s).ok_or_else(|| {
                    ApiError::invalid("status", format!("must be one of {}", CaseStatus::names()))
                })
            })
            .transpose()?;
        let escalated = match self.escalated.as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return Err(ApiError::invalid("escalated", "must be true or false")),
        };
        Ok(CaseFilter {
            status,
            assignee_id: self
                .assignee
                .as_deref()
                .map(|a| parse_id("assignee", a))
                .transpose()?,
            escalated,
            customer_id: self
                .customer
                .as_deref()
                .map(|c| parse_id("customer", c))
                .transpose()?,
            before_id: cursor(self.cursor.as_deref())?,
            limit: page_limit(self.limit.as_deref())?,
        })
    }
}

/// Opens a case with its customer and first message in one call.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCase,
    responses((status = 201, body = CreatedCase), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub async fn create_case(
    State(state): State<AppState>,
    user: SignedIn,
    ApiJson(new): ApiJson<NewCase>,
) -> Result<(StatusCode, Json<CreatedCase>), ApiError> {
    let actor = user.actor();
    let record = state.store.create_case(&new, &actor).await?;
    let first = record.timeline.iter().find_map(|entry| match entry {
        TimelineEntry::Message(m) if m.direction == Direction::Inbound => Some(m),
        _ => None,
    });
    let record = match first {
        Some(message) => {
            crate::reading::read_and_store(&state, message.id, &message.text, &actor).await?;
            crate::escalation::check(&state, record.case.id).await?;
            state.store.case_record(record.case.id).await?
        }
        None => record,
    };
    Ok((
        StatusCode::CREATED,
        Json(CreatedCase {
            id: record.case.id,
            record,
        }),
    ))
}

/// Lists cases, newest first, with filters and cursor pagination.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseListQuery),
    responses((status = 200, body = Page<Case>), (status = 400, body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    _user: SignedIn,
    query: Result<Query<CaseListQuery>, QueryRejection>,
) -> Result<Json<Page<Case>>, ApiError> {
    let Ok(Query(query)) = query else {
        return Err(ApiError::invalid(
            "query",
            "the query string could not be read",
        ));
    };
    Ok(Json(state.store.list_cases(&query.into_filter()?).await?))
}

/// A case with its customer and full timeline.
#[utoipa::path(get, path = "/api/v1/cases/{case_id}", tag = "cases",
    params(("case_id" = i64, Path)),
    responses((status = 200, body = CaseRecord), (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    _user: SignedIn,
    Path(case_id): Path<String>,
) -> Result<Json<CaseRecord>, ApiError> {
    let id = parse_id("case_id", &case_id)?;
    Ok(Json(state.store.case_record(id).await?))
}

/// Changes a case's subject, product, category, priority or assignee.
#[utoipa::path(patch, path = "/api/v1/cases/{case_id}", tag = "cases",
    params(("case_id" = i64, Path)), request_body = CaseChanges,
    responses((status = 200, body = Case), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn update_case(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
    ApiJson(changes): ApiJson<CaseChanges>,
) -> Result<Json<Case>, ApiError> {
    let id = parse_id("case_id", &case_id)?;
    Ok(Json(
        state.store.update_case(id, &changes, &user.actor()).await?,
    ))
}

/// Deletes a case (managers and admins). The audit log keeps what it held.
#[utoipa::path(delete, path = "/api/v1/cases/{case_id}", tag = "cases",
    params(("case_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_case(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    user.require(Role::Manager)?;
    let id = parse_id("case_id", &case_id)?;
    state.store.delete_case(id, &user.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every change recorded on a case, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{case_id}/audit", tag = "cases",
    params(("case_id" = i64, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ErrorBody)))]
pub async fn case_audit(
    State(state): State<AppState>,
    _user: SignedIn,
    Path(case_id): Path<String>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let id = parse_id("case_id", &case_id)?;
    Ok(Json(state.store.case_audit(id).await?))
}

/// The whole case as one JSON document: customer, timeline and audit log.
#[utoipa::path(get, path = "/api/v1/cases/{case_id}/export", tag = "cases",
    params(("case_id" = i64, Path)),
    responses((status = 200, body = CaseExport), (status = 404, body = ErrorBody)))]
pub async fn export_case(
    State(state): State<AppState>,
    _user: SignedIn,
    Path(case_id): Path<String>,
) -> Result<Json<CaseExport>, ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let record = state.store.case_record(id).await?;
    let audit = state.store.case_audit(id).await?;
    Ok(Json(CaseExport { record, audit }))
}
