//! Users: only admins add users, change roles and disable accounts; managers may list them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use calmdesk_desk::domain::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{parse_id, ApiJson, SignedIn};
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    pub role: Role,
}

/// A new user and their API token, which is shown only this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: User,
    pub token: String,
}

/// Every user (managers and admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<User>), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Json<Vec<User>>, ApiError> {
    user.require(Role::Manager)?;
    Ok(Json(state.store.list_users().await?))
}

/// Adds a user and returns their first API token (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = CreatedUser), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_user(
    State(state): State<AppState>,
    user: SignedIn,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    user.require(Role::Admin)?;
    let made = state
        .store
        .add_user(&new.name, new.role, &user.actor())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: made.user,
            token: made.token,
        }),
    ))
}

/// Changes a user's role (admins).
#[utoipa::path(patch, path = "/api/v1/users/{user_id}", tag = "users",
    params(("user_id" = i64, Path)), request_body = UserChange,
    responses((status = 200, body = User), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    user: SignedIn,
    Path(user_id): Path<String>,
    ApiJson(change): ApiJson<UserChange>,
) -> Result<Json<User>, ApiError> {
    user.require(Role::Admin)?;
    let id = parse_id("user_id", &user_id)?;
    Ok(Json(
        state.store.set_role(id, change.role, &user.actor()).await?,
    ))
}

/// Disables a user and revokes their tokens (admins). Their name stays on what they wrote.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}", tag = "users",
    params(("user_id" = i64, Path)),
    responses((status = 200, body = User), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn disable_user(
    State(state): State<AppState>,
    user: SignedIn,
    Path(user_id): Path<String>,
) -> Result<Json<User>, ApiError> {
    user.require(Role::Admin)?;
    let id = parse_id("user_id", &user_id)?;
    if id == user.0.id {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "admins cannot disable themselves",
        )
        .on("user_id"));
    }
    Ok(Json(state.store.disable_user(id, &user.actor()).await?))
}
