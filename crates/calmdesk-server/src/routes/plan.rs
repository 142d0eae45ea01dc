//! The Plan for a case, made from its record under the company policy.

use axum::extract::{Path, State};
use axum::Json;
use calmdesk_core::playbook::{self, CaseInput};
use calmdesk_desk::domain::Role;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, SignedIn};
use crate::AppState;

/// The Plan for a case: stage, next steps, suggested wording, the options the policy allows
/// with their trace, escalation, and (for managers and admins only) whether the customer is
/// worth what they cost.
#[utoipa::path(get, path = "/api/v1/cases/{case_id}/plan", tag = "cases",
    params(("case_id" = i64, Path)),
    responses((status = 200, description = "The Plan", body = Object),
              (status = 404, body = ErrorBody)))]
pub async fn case_plan(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let record = state.store.case_record(id).await?;
    let export = serde_json::to_value(&record).map_err(ApiError::internal)?;
    let today = chrono::Utc::now().date_naive().to_string();
    let input = CaseInput::from_export(&export, &today);
    let plan = playbook::plan(&input, &state.models, Some(&state.policy));
    let mut value = serde_json::to_value(&plan).map_err(ApiError::internal)?;
    if user.0.role == Role::Agent {
        if let Some(map) = value.as_object_mut() {
            map.remove("customer_worth");
        }
    }
    Ok(Json(value))
}
