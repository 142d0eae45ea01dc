//! Every inbound message gets its Reading stored with it, and every outbound reply and note
//! its Review, right after it is written.

use calmdesk_core::analysis;
use calmdesk_core::coach::{self, DraftKind, Role, Turn};
use calmdesk_desk::domain::{Actor, Direction, Id, Message, TimelineEntry};

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

/// Reviews an outbound reply or a note against the conversation before it, and stores the
/// Review on the message; returns the Review as JSON.
pub async fn review_and_store(
    state: &AppState,
    message: &Message,
    actor: &Actor,
) -> Result<serde_json::Value, ApiError> {
    let record = state.store.case_record(message.case_id).await?;
    let conversation: Vec<Turn> = record
        .timeline
        .iter()
        .filter_map(|entry| match entry {
            TimelineEntry::Message(m) if m.id < message.id => match m.direction {
                Direction::Inbound => Some(Turn {
                    role: Role::Customer,
                    text: m.text.clone(),
                }),
                Direction::Outbound => Some(Turn {
                    role: Role::Agent,
                    text: m.text.clone(),
                }),
                Direction::Note => None,
            },
            _ => None,
        })
        .collect();
    let kind = match message.direction {
        Direction::Note => DraftKind::Note,
        _ => DraftKind::Reply,
    };
    let review = coach::review(
        &state.models,
        &conversation,
        &message.text,
        kind,
        &state.packs,
    );
    let value = serde_json::to_value(&review).map_err(ApiError::internal)?;
    state.store.set_review(message.id, &value, actor).await?;
    Ok(value)
}
