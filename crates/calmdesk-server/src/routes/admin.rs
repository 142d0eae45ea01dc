//! Administration of the running server: reading the policy and rule packs again.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use calmdesk_desk::domain::Role;

use crate::error::{ApiError, ErrorBody};
use crate::extract::SignedIn;
use crate::AppState;

/// Reads the company policy and the coach's rule packs again from where the server loaded them
/// (also done on SIGHUP). Both are parsed before either is used: a file with an error is
/// refused with 422 `invalid_rules`, `field` naming `policy` or `packs` and the message giving
/// `file:line: reason`, and the policy and packs in force stay. Admins only.
#[utoipa::path(post, path = "/api/v1/admin/reload", tag = "admin",
    responses((status = 200, description = "The policy and number of packs now in force", body = Object),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn reload(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Json<serde_json::Value>, ApiError> {
    user.require(Role::Admin)?;
    let outcome = tokio::task::spawn_blocking(move || state.reload())
        .await
        .map_err(ApiError::internal)?;
    match outcome {
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "this server was started without files to reload",
        )
        .on("policy")),
        Some(Err(error)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_rules",
            error.message,
        )
        .on(error.field)),
        Some(Ok(rules)) => Ok(Json(serde_json::json!({
            "policy": {
                "name": rules.policy.policy.name,
                "version": rules.policy.policy.version,
            },
            "packs": rules.packs.len(),
        }))),
    }
}
