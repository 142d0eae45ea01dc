//! Every inbound message gets its Reading stored with it, right after it is written.

use calmdesk_core::analysis;
use calmdesk_desk::domain::{Actor, Id};

use crate::error::ApiError;
use crate::AppState;

/// Reads `text` and stores the Reading on message `message_id`; returns the Reading as JSON.
pub async fn read_and_store(
    state: &AppState,
    message_id: Id,
    text: &str,
    actor: &Actor,
) -> Result<serde_json::Value, ApiError> {
    let reading = analysis::read(&state.models, text);
    let value = serde_json::to_value(&reading).map_err(ApiError::internal)?;
    state
        .store
        .set_reading(message_id, &value, &state.models_version, actor)
        .await?;
    Ok(value)
}
