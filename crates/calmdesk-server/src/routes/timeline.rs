//! What happens on a case: messages, actions, offers and their answers, and promises.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use calmdesk_desk::domain::*;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, ApiJson, SignedIn};
use crate::AppState;

/// Adds a message: inbound from the customer, an outbound reply, or an internal note.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/messages", tag = "timeline",
    params(("case_id" = i64, Path)), request_body = NewMessage,
    responses((status = 201, body = Message), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_message(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
    ApiJson(new): ApiJson<NewMessage>,
) -> Result<(StatusCode, Json<Message>), ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let actor = user.actor();
    let mut message = state.store.add_message(id, &new, &actor).await?;
    if message.direction == Direction::Inbound {
        let reading =
            crate::reading::read_and_store(&state, message.id, &message.text, &actor).await?;
        message.reading = Some(reading);
        message.reading_version = Some(state.models_version.to_string());
        crate::escalation::check(&state, id).await?;
    } else {
        message.review = Some(crate::reading::review_and_store(&state, &message, &actor).await?);
    }
    Ok((StatusCode::CREATED, Json(message)))
}

/// Records something done on a case.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/actions", tag = "timeline",
    params(("case_id" = i64, Path)), request_body = NewAction,
    responses((status = 201, body = Action), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn add_action(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
    ApiJson(new): ApiJson<NewAction>,
) -> Result<(StatusCode, Json<Action>), ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let action = state.store.add_action(id, &new, &user.actor()).await?;
    Ok((StatusCode::CREATED, Json(action)))
}

/// Puts an offer to the customer.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/offers", tag = "timeline",
    params(("case_id" = i64, Path)), request_body = NewOffer,
    responses((status = 201, body = Offer), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn add_offer(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
    ApiJson(new): ApiJson<NewOffer>,
) -> Result<(StatusCode, Json<Offer>), ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let offer = state.store.add_offer(id, &new, &user.actor()).await?;
    Ok((StatusCode::CREATED, Json(offer)))
}

/// Records the customer's acceptance or refusal of an offer, or its withdrawal.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/offers/{offer_id}/decision",
    tag = "timeline", params(("case_id" = i64, Path), ("offer_id" = i64, Path)),
    request_body = OfferDecision,
    responses((status = 200, body = Offer), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_offer(
    State(state): State<AppState>,
    user: SignedIn,
    Path((case_id, offer_id)): Path<(String, String)>,
    ApiJson(decision): ApiJson<OfferDecision>,
) -> Result<Json<Offer>, ApiError> {
    let case_id = parse_id("case_id", &case_id)?;
    let offer_id = parse_id("offer_id", &offer_id)?;
    let offer = state
        .store
        .decide_offer(case_id, offer_id, &decision, &user.actor())
        .await?;
    Ok(Json(offer))
}

/// Records a promise made to the customer, with when it is due.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/commitments", tag = "timeline",
    params(("case_id" = i64, Path)), request_body = NewCommitment,
    responses((status = 201, body = Commitment), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn add_commitment(
    State(state): State<AppState>,
    user: SignedIn,
    Path(case_id): Path<String>,
    ApiJson(new): ApiJson<NewCommitment>,
) -> Result<(StatusCode, Json<Commitment>), ApiError> {
    let id = parse_id("case_id", &case_id)?;
    let commitment = state.store.add_commitment(id, &new, &user.actor()).await?;
    Ok((StatusCode::CREATED, Json(commitment)))
}

/// Records how a promise ended: kept, broken or cancelled.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/commitments/{commitment_id}/settle",
    tag = "timeline", params(("case_id" = i64, Path), ("commitment_id" = i64, Path)),
    request_body = CommitmentUpdate,
    responses((status = 200, body = Commitment), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn settle_commitment(
    State(state): State<AppState>,
    user: SignedIn,
    Path((case_id, commitment_id)): Path<(String, String)>,
    ApiJson(update): ApiJson<CommitmentUpdate>,
) -> Result<Json<Commitment>, ApiError> {
    let case_id = parse_id("case_id", &case_id)?;
    let commitment_id = parse_id("commitment_id", &commitment_id)?;
    let commitment = state
        .store
        .settle_commitment(case_id, commitment_id, &update, &user.actor())
        .await?;
    Ok(Json(commitment))
}
