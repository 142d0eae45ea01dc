//! The one error type of the desk boundary.

use crate::domain::Id;

/// Why the desk refused or failed a request. Every variant but `Database` is the caller's doing
/// and says which field or record is at fault; nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: Id },
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    #[error("the database failed: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database could not be migrated: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl DeskError {
    pub(crate) fn not_found(entity: &'static str, id: Id) -> DeskError {
        DeskError::NotFound { entity, id }
    }

    pub(crate) fn conflict(field: &str, message: impl Into<String>) -> DeskError {
        DeskError::Conflict {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}
