//! Follow-ups: the queue of those due, and recording what came of one.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use calmdesk_desk::domain::*;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::page_limit;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, ApiJson, SignedIn};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct FollowUpQuery {
    /// Due by this time (RFC 3339); default now.
    pub due_before: Option<String>,
    /// At most this many, 1 to 500 (default 50).
    pub limit: Option<String>,
}

/// Follow-ups that are due and not yet done, oldest first.
#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "follow-ups", params(FollowUpQuery),
    responses((status = 200, body = Vec<FollowUp>), (status = 400, body = ErrorBody)))]
pub async fn list_follow_ups(
    State(state): State<AppState>,
    _user: SignedIn,
    query: Result<Query<FollowUpQuery>, QueryRejection>,
) -> Result<Json<Vec<FollowUp>>, ApiError> {
    let Ok(Query(query)) = query else {
        return Err(ApiError::invalid(
            "query",
            "the query string could not be read",
        ));
    };
    let at = match query.due_before.as_deref() {
        None => Utc::now(),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ApiError::invalid("due_before", "must be an RFC 3339 time"))?,
    };
    let limit = page_limit(query.limit.as_deref())?;
    Ok(Json(state.store.due_follow_ups(at, limit).await?))
}

/// Records what came of a follow-up: done, with the outcome and satisfaction, or skipped.
#[utoipa::path(post, path = "/api/v1/follow-ups/{follow_up_id}/outcome", tag = "follow-ups",
    params(("follow_up_id" = i64, Path)), request_body = FollowUpOutcome,
    responses((status = 200, body = FollowUp), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn record_outcome(
    State(state): State<AppState>,
    user: SignedIn,
    Path(follow_up_id): Path<String>,
    ApiJson(outcome): ApiJson<FollowUpOutcome>,
) -> Result<Json<FollowUp>, ApiError> {
    let id = parse_id("follow_up_id", &follow_up_id)?;
    Ok(Json(
        state
            .store
            .record_follow_up(id, &outcome, &user.actor())
            .await?,
    ))
}
