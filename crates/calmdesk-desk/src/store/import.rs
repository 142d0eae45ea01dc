//! Writing imported conversations: one transaction per conversation, idempotent by external id.

use super::{cases, Store, Tx};
use crate::domain::*;
use crate::error::DeskError;
use crate::import::{ImportedConversation, ImportedDirection};

/// What importing one conversation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub case_id: Id,
    /// Whether the conversation opened a new case (false: it was there from an earlier import).
    pub case_created: bool,
    pub messages_added: usize,
    /// Messages already stored by an earlier import, left as they were.
    pub messages_existing: usize,
}

impl Store {
    /// Stores one imported conversation as a case. Re-importing the same conversation adds
    /// only the messages that were not stored yet.
    pub async fn import_conversation(
        &self,
        conversation: &ImportedConversation,
        actor: &Actor,
    ) -> Result<ImportOutcome, DeskError> {
        let Some(first) = conversation.messages.first() else {
            return Err(DeskError::Invalid {
                field: "messages".into(),
                message: format!("conversation {} has no messages", conversation.external_id),
            });
        };
        let new_case = NewCase {
            customer: NewCustomer {
                name: conversation.customer.name.clone(),
                email: conversation.customer.email.clone(),
                handle: conversation.customer.handle.clone(),
            },
            subject: truncate(&conversation.subject, MAX_SHORT),
            channel: truncate(&conversation.channel, MAX_SHORT),
            message: FirstMessage {
                text: first.text.clone(),
                external_id: Some(first.external_id.clone()),
                at: Some(first.at),
            },
            external_id: Some(truncate(&conversation.external_id, MAX_SHORT)),
            ..NewCase::default()
        };
        new_case.validate()?;
        let mut tx = self.begin().await?;
        let existing: Option<Id> =
            sqlx::query_scalar("SELECT id FROM cases WHERE external_id = $1")
                .bind(new_case.external_id.as_deref())
                .fetch_optional(&mut *tx)
                .await?;
        let existing = match existing {
            Some(id) => Some(id),
            None => case_of_references(&mut tx, &conversation.references).await?,
        };
        let (case, case_created) = match existing {
            Some(id) => (cases::load(&mut tx, id).await?, false),
            None => (cases::insert(&mut tx, &new_case, actor).await?, true),
        };
        // A piece of a thread from another file may start with our reply rather than the
        // customer's message; then "inbound" in the piece means "from us".
        let flip = if case_created {
            false
        } else {
            let customer = super::customers::load(&mut tx, case.customer_id).await?;
            let piece_sender = conversation
                .customer
                .email
                .as_deref()
                .map(str::to_lowercase);
            piece_sender.is_some_and(|email| !customer.emails.contains(&email))
        };
        let mut outcome = ImportOutcome {
            case_id: case.id,
            case_created,
            ..ImportOutcome::default()
        };
        for message in &conversation.messages {
            let stored: Option<Id> =
                sqlx::query_scalar("SELECT id FROM messages WHERE external_id = $1")
                    .bind(&message.external_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if stored.is_some() {
                outcome.messages_existing += 1;
                continue;
            }
            let new =
                NewMessage {
                    direction: match (message.direction, flip) {
                        (ImportedDirection::Inbound, false)
                        | (ImportedDirection::Outbound, true) => Direction::Inbound,
                        (ImportedDirection::Outbound, false)
                        | (ImportedDirection::Inbound, true) => Direction::Outbound,
                        (ImportedDirection::Note, _) => Direction::Note,
                    },
                    text: message.text.clone(),
                    author: Some(truncate(&message.author, MAX_SHORT)),
                    channel: None,
                    external_id: Some(message.external_id.clone()),
                    at: Some(message.at),
                };
            new.validate()?;
            super::timeline::insert_message(&mut tx, &case, &new, actor).await?;
            outcome.messages_added += 1;
        }
        tx.commit().await?;
        Ok(outcome)
    }
}

/// The case holding a message with one of these external ids, if any.
async fn case_of_references(tx: &mut Tx, references: &[String]) -> Result<Option<Id>, DeskError> {
    for reference in references {
        let case: Option<Id> =
            sqlx::query_scalar("SELECT case_id FROM messages WHERE external_id = $1")
                .bind(reference)
                .fetch_optional(&mut **tx)
                .await?;
        if case.is_some() {
            return Ok(case);
        }
    }
    Ok(None)
}

/// The first `max` characters of `text`, trimmed.
fn truncate(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}
