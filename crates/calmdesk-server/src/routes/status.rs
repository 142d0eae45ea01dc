//! Status changes: resolve, close, reopen, escalate, de-escalate and wait, each with a reason.
//! The desk also escalates a case by itself when the escalation rules fire (see `escalation`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use calmdesk_desk::domain::*;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{body_rejection, parse_id, parse_json, SignedIn};
use crate::AppState;

/// Why the status changes; the body may be left out where no reason is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// Required to escalate; recorded on the timeline and in the audit log.
    pub reason: Option<String>,
    /// Resolve only: days until the follow-up is due (0 to 365; default from the config).
    pub follow_up_days: Option<i64>,
}

async fn change(
    state: AppState,
    user: SignedIn,
    case_id: &str,
    body: Result<Bytes, BytesRejection>,
    to: CaseStatus,
    from: &[CaseStatus],
) -> Result<Json<Case>, ApiError> {
    let id = parse_id("case_id", case_id)?;
    if to == CaseStatus::Open && from == [CaseStatus::Escalated] {
        // Taking a case out of the manager queue is a manager's decision.
        user.require(Role::Manager)?;
    }
    let body = body.map_err(body_rejection)?;
    if !from.is_empty() {
        let current = state.store.get_case(id).await?.status;
        if !from.contains(&current) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!(
                    "this applies to a case that is {}, and this one is {current}",
                    names(from)
                ),
            )
            .on("status"));
        }
    }
    let change: StatusChange = if body.iter().all(u8::is_ascii_whitespace) {
        StatusChange::default()
    } else {
        parse_json(&body)?
    };
    if from == [CaseStatus::Escalated]
        && change.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        return Err(ApiError::invalid(
            "reason",
            "a de-escalation needs a reason, which is recorded",
        ));
    }
    if to != CaseStatus::Resolved && change.follow_up_days.is_some() {
        return Err(ApiError::invalid(
            "follow_up_days",
            "only a resolution schedules a follow-up",
        ));
    }
    let transition = Transition {
        to,
        reason: change.reason,
        follow_up_days: change.follow_up_days,
    };
    Ok(Json(
        state
            .store
            .transition(id, &transition, &user.actor())
            .await?,
    ))
}

fn names(statuses: &[CaseStatus]) -> String {
    statuses
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

macro_rules! status_route {
    ($name:ident, $path:literal, $to:expr, $from:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "status",
                    params(("case_id" = i64, Path)), request_body(content = StatusChange),
                    responses((status = 200, body = Case), (status = 400, body = ErrorBody),
                              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
                              (status = 409, body = ErrorBody)))]
        pub async fn $name(
            State(state): State<AppState>,
            user: SignedIn,
            Path(case_id): Path<String>,
            body: Result<Bytes, BytesRejection>,
        ) -> Result<Json<Case>, ApiError> {
            change(state, user, &case_id, body, $to, $from).await
        }
    };
}

status_route!(
    resolve,
    "/api/v1/cases/{case_id}/resolve",
    CaseStatus::Resolved,
    &[],
    "Resolves a case and schedules its follow-up."
);
status_route!(
    close,
    "/api/v1/cases/{case_id}/close",
    CaseStatus::Closed,
    &[],
    "Closes a case."
);
status_route!(
    reopen,
    "/api/v1/cases/{case_id}/reopen",
    CaseStatus::Open,
    &[CaseStatus::Resolved, CaseStatus::Closed],
    "Reopens a resolved or closed case; pending follow-ups are skipped."
);
status_route!(
    escalate,
    "/api/v1/cases/{case_id}/escalate",
    CaseStatus::Escalated,
    &[],
    "Puts a case in the manager queue; a reason is required."
);
status_route!(
    deescalate,
    "/api/v1/cases/{case_id}/deescalate",
    CaseStatus::Open,
    &[CaseStatus::Escalated],
    "Takes an escalated case back out of the manager queue; managers and admins only, and a \
     reason is required and recorded. The escalation rules escalate it again only for a \
     reason that has not escalated it before."
);
status_route!(
    wait,
    "/api/v1/cases/{case_id}/wait",
    CaseStatus::Waiting,
    &[],
    "Marks a case as waiting on the customer; their next message reopens it."
);
