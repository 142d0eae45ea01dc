//! The Reading of any text, without storing anything.

use axum::extract::State;
use axum::Json;
use calmdesk_core::analysis::{self, Reading};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, SignedIn};
use crate::AppState;

/// A message to read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRequest {
    pub text: String,
}

/// Reads a customer's message: heat, emotions, sentiment, abuse, complaint, irony,
/// politeness, intents, facts, fault and the complaint without insults, with evidence spans.
#[utoipa::path(post, path = "/api/v1/analyze", tag = "analysis", request_body = AnalyzeRequest,
    responses((status = 200, description = "The Reading", body = Object),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn analyze(
    State(state): State<AppState>,
    _user: SignedIn,
    ApiJson(request): ApiJson<AnalyzeRequest>,
) -> Result<Json<Reading>, ApiError> {
    if request.text.len() > calmdesk_desk::domain::MAX_TEXT {
        return Err(ApiError::invalid(
            "text",
            format!("must be at most {} bytes", calmdesk_desk::domain::MAX_TEXT),
        ));
    }
    Ok(Json(analysis::read(&state.models, &request.text)))
}
