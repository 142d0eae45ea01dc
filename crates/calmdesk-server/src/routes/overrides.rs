//! An agent's override of the policy: offering what the policy does not allow, with a written
//! reason. The override is recorded on the timeline and in the audit log, and the escalation
//! rule for overrides then puts the case in the manager queue.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use calmdesk_core::playbook::OVERRIDE_ACTION;
use calmdesk_core::policy::OptionKind;
use calmdesk_desk::domain::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, ApiJson, SignedIn};
use crate::AppState;

/// The longest override reason, in characters.
const MAX_REASON: usize = 2000;

/// An option the policy does not allow, and why the agent offers it anyway.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOverride {
    /// A policy option: refund, return, exchange, repair, store_credit, discount, extension,
    /// cancel, escalate or decline.
    pub option: String,
    /// Why, in the agent's words; required.
    pub reason: String,
}

/// The override as recorded (an action of kind `policy_override`, described `option: reason`)
/// and the case after it, escalated when the rules say so.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverrideRecorded {
    pub action: Action,
    pub case: Case,
}

/// Records an agent's override of the policy with its written reason; the case then goes to
/// the manager queue unless it is already there.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/overrides", tag = "timeline",
    params(("case_id" = i64, Path)), request_body = NewOverride,
    responses((status = 201, body = OverrideRecorded), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn add_override(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
    ApiJson(new): ApiJson<NewOverride>,
) -> Result<(StatusCode, Json<OverrideRecorded>), ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let option = new.option.trim();
    if serde_json::from_value::<OptionKind>(serde_json::json!(option)).is_err() {
        return Err(ApiError::invalid(
            "option",
            "must be one of refund, return, exchange, repair, store_credit, discount, \
             extension, cancel, escalate, decline",
        ));
    }
    let reason = new.reason.trim();
    if reason.is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "an override needs a written reason",
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ApiError::invalid(
            "reason",
            format!("must be at most {MAX_REASON} characters"),
        ));
    }
    let action = state
        .store
        .add_action(
            id,
            &NewAction {
                kind: OVERRIDE_ACTION.to_owned(),
                description: format!("{option}: {reason}"),
            },
            &user.actor(),
        )
        .await?;
    let case = match crate::escalation::check(&state, id).await? {
        Some(case) => case,
        None => state.store.get_case(id).await?,
    };
    Ok((StatusCode::CREATED, Json(OverrideRecorded { action, case })))
}
