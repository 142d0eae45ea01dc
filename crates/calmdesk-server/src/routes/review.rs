//! The coach as a guardrail: a Review of any draft, for replies written by people or by AI.

use axum::extract::State;
use axum::Json;
use calmdesk_core::coach::{self, DraftKind, Review, Turn};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, SignedIn};
use crate::AppState;

/// A draft to review and the conversation it answers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// The conversation so far, oldest first: `{"role": "customer|agent", "text": ...}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub conversation: Vec<Turn>,
    pub draft: String,
    /// `reply` (default) or `note`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub kind: Option<DraftKind>,
}

/// Reviews a draft reply or note: findings with spans and suggested rewrites, the checklist,
/// empathy and politeness, and a score.
#[utoipa::path(post, path = "/api/v1/review", tag = "coach", request_body = ReviewRequest,
    responses((status = 200, description = "The Review", body = Object),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    _user: SignedIn,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> Result<Json<Review>, ApiError> {
    let limit = calmdesk_desk::domain::MAX_TEXT;
    if request.draft.len() > limit {
        return Err(ApiError::invalid(
            "draft",
            format!("must be at most {limit} bytes"),
        ));
    }
    if let Some(i) = request
        .conversation
        .iter()
        .position(|t| t.text.len() > limit)
    {
        return Err(ApiError::invalid(
            format!("conversation[{i}].text"),
            format!("must be at most {limit} bytes"),
        ));
    }
    let kind = request.kind.unwrap_or(DraftKind::Reply);
    Ok(Json(coach::review(
        &state.models,
        &request.conversation,
        &request.draft,
        kind,
        &state.packs,
    )))
}
