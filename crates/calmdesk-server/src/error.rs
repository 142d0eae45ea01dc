//! The one error shape of the API: `{"error": {"code", "message", "field"}}`.
//!
//! Every failure a caller can cause maps to a 4xx naming the field at fault; internal causes are
//! logged and never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use calmdesk_desk::DeskError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, in a stable code, a sentence, and the field at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code such as `invalid_field` or `not_found`.
    pub code: &'static str,
    pub message: String,
    /// The field, path parameter or header at fault, as a dotted path (`customer.email`).
    pub field: Option<String>,
}

/// An error on its way to becoming a response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn on(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message).on(field)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API token is needed: send `Authorization: Bearer TOKEN`",
        )
        .on("authorization")
    }

    pub fn forbidden(needed: &str) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("this needs the {needed} role"),
        )
        .on("authorization")
    }

    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; it has been logged",
        )
    }
}

impl From<DeskError> for ApiError {
    fn from(error: DeskError) -> ApiError {
        match error {
            DeskError::Invalid { field, message } => ApiError::invalid(field, message),
            DeskError::NotFound { entity, id } => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("there is no {entity} {id}"),
            )
            .on(format!("{entity}_id")),
            DeskError::Conflict { field, message } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message).on(field)
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
