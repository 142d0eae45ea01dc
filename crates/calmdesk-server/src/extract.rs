//! Extractors that turn every malformed request into an [`ApiError`] naming the field:
//! JSON bodies, path ids, and the signed-in user.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::StatusCode;
use calmdesk_desk::domain::{Actor, Id, Role, User};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::AppState;

/// A JSON body whose errors name the field: `customer.email`, `subject`, ...
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(ct) = content_type {
            if !ct.starts_with("application/json") && !ct.contains("+json") {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    format!("the body must be application/json, not {ct}"),
                )
                .on("content-type"));
            }
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Maps a failure to read the body to the one error shape.
pub fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "the request body is over the size limit",
        )
        .on("body")
    } else {
        ApiError::new(rejection.status(), "unreadable_body", rejection.body_text()).on("body")
    }
}

/// Parses JSON, turning serde's message into a field path and a sentence.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        let prefix = if path == "." {
            String::new()
        } else {
            format!("{path}.")
        };
        let quoted = message.split('`').nth(1).map(str::to_owned);
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("the body is not valid JSON: {message}"),
            )
            .on("body");
        }
        if let (true, Some(name)) = (message.starts_with("missing field"), &quoted) {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "missing_field",
                format!("{prefix}{name} is required"),
            )
            .on(format!("{prefix}{name}"));
        }
        if let (true, Some(name)) = (message.starts_with("unknown field"), &quoted) {
            let field = if path == *name || path.ends_with(&format!(".{name}")) {
                path
            } else {
                format!("{prefix}{name}")
            };
            return ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", message.clone())
                .on(field);
        }
        if path == "." || path.starts_with('[') {
            return ApiError::invalid("body", format!("the body must be a JSON object: {message}"));
        }
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message).on(path)
    })?;
    deserializer.end().map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body has more after the JSON value: {e}"),
        )
        .on("body")
    })?;
    Ok(value)
}

/// Reads a numeric id from a path segment.
pub fn parse_id(field: &str, text: &str) -> Result<Id, ApiError> {
    text.parse::<Id>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid(field, format!("{text:?} is not an id")))
}

/// The user a valid bearer token belongs to; 401 otherwise.
#[derive(Debug, Clone)]
pub struct SignedIn(pub User);

impl SignedIn {
    /// 403 unless the user's role is at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        let rank = |r: Role| match r {
            Role::Agent => 0,
            Role::Manager => 1,
            Role::Admin => 2,
        };
        if rank(self.0.role) >= rank(role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(role.as_str()))
        }
    }

    /// The user as the author of a change.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.0.id),
            name: self.0.name.clone(),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        match state.store.authenticate(token).await? {
            Some(user) => Ok(SignedIn(user)),
            None => Err(ApiError::unauthorized()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calmdesk_desk::domain::NewCase;

    fn field_of(body: &str) -> (String, Option<String>) {
        let err = parse_json::<NewCase>(body.as_bytes()).unwrap_err();
        (err.code.to_owned(), err.field)
    }

    #[test]
    fn json_errors_name_their_field() {
        let table = [
            ("{", "invalid_json", "body"),
            ("[]", "invalid_field", "body"),
            (
                r#"{"subject": "x", "channel": "email", "message": {"text": "t"}}"#,
                "missing_field",
                "customer",
            ),
            (
                r#"{"customer": {"email": "a@b.c"}, "subject": "x", "channel": "e", "message": {"text": "t"}}"#,
                "missing_field",
                "customer.name",
            ),
            (
                r#"{"customer": {"name": "A"}, "subject": 5, "channel": "e", "message": {"text": "t"}}"#,
                "invalid_field",
                "subject",
            ),
            (
                r#"{"customer": {"name": "A", "mail": "x"}, "subject": "s", "channel": "e", "message": {"text": "t"}}"#,
                "unknown_field",
                "customer.mail",
            ),
            (
                r#"{"customer": {"name": "A"}, "subject": "s", "channel": "e", "message": {"text": "t"}, "priority": "meh"}"#,
                "invalid_field",
                "priority",
            ),
        ];
        for (body, code, field) in table {
            assert_eq!(
                field_of(body),
                (code.to_owned(), Some(field.to_owned())),
                "{body}"
            );
        }
    }

    #[test]
    fn ids_are_positive_integers() {
        assert_eq!(parse_id("case_id", "12").unwrap(), 12);
        assert_eq!(
            parse_id("case_id", "x").unwrap_err().field.as_deref(),
            Some("case_id")
        );
        assert!(parse_id("case_id", "0").is_err());
    }
}
