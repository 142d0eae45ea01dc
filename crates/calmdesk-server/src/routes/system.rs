//! Health and identity: `/healthz` for load balancers, `/api/v1/me` for clients.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use calmdesk_desk::domain::User;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::extract::SignedIn;
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "system", security(()),
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match state.store.ping().await {
        Ok(_) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "degraded",
                    database: "unreachable",
                }),
            )
        }
    }
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    responses((status = 200, body = User), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(user: SignedIn) -> Result<Json<User>, ApiError> {
    Ok(Json(user.0))
}
