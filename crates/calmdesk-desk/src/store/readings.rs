//! Readings stored with inbound messages and Reviews with outbound ones: attached after the
//! message is written; Readings are found again when the models change.

use super::audit::{record, Change};
use super::{Store, Tx};
use crate::domain::{Actor, Id};
use crate::error::DeskError;

/// An inbound message to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub id: Id,
    pub text: String,
}

impl Store {
    /// Stores the Reading of a message and the model version that made it. The message itself
    /// is never changed; the audit log notes the (re-)reading.
    pub async fn set_reading(
        &self,
        message_id: Id,
        reading: &serde_json::Value,
        version: &str,
        actor: &Actor,
    ) -> Result<(), DeskError> {
        let mut tx = self.begin().await?;
        set_reading_in(&mut tx, message_id, reading, version, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores many Readings in one transaction.
    pub async fn set_readings(
        &self,
        readings: &[(Id, serde_json::Value)],
        version: &str,
        actor: &Actor,
    ) -> Result<(), DeskError> {
        let mut tx = self.begin().await?;
        for (id, reading) in readings {
            set_reading_in(&mut tx, *id, reading, version, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores the coach's Review of an outbound reply or a note. The message itself is never
    /// changed; the audit log notes the review.
    pub async fn set_review(
        &self,
        message_id: Id,
        review: &serde_json::Value,
        actor: &Actor,
    ) -> Result<(), DeskError> {
        let mut tx = self.begin().await?;
        let case_id: Option<i64> = sqlx::query_scalar("SELECT case_id FROM messages WHERE id = $1")
            .bind(message_id)
            .fetch_optional(&mut *tx)
            .await?;
        let case_id = case_id.ok_or(DeskError::not_found("message", message_id))?;
        sqlx::query("UPDATE messages SET review = $1 WHERE id = $2")
            .bind(review.to_string())
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(case_id),
                entity: "message",
                entity_id: message_id,
                action: "reviewed",
                before: None,
                after: Some(serde_json::json!({ "score": review.get("score") })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Inbound messages above `after_id` that have no Reading by `version`, oldest first.
    pub async fn unread_messages(
        &self,
        version: &str,
        after_id: Id,
        limit: i64,
    ) -> Result<Vec<Unread>, DeskError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, text FROM messages WHERE direction = 'inbound' AND id > $1 \
             AND (reading_version IS NULL OR reading_version <> $2) ORDER BY id LIMIT $3",
        )
        .bind(after_id)
        .bind(version)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, text)| Unread { id, text })
            .collect())
    }
}

async fn set_reading_in(
    tx: &mut Tx,
    message_id: Id,
    reading: &serde_json::Value,
    version: &str,
    actor: &Actor,
) -> Result<(), DeskError> {
    let case: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT case_id, reading_version FROM messages WHERE id = $1")
            .bind(message_id)
            .fetch_optional(&mut **tx)
            .await?;
    let (case_id, before) = case.ok_or(DeskError::not_found("message", message_id))?;
    sqlx::query("UPDATE messages SET reading = $1, reading_version = $2 WHERE id = $3")
        .bind(reading.to_string())
        .bind(version)
        .bind(message_id)
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        actor,
        Change {
            case_id: Some(case_id),
            entity: "message",
            entity_id: message_id,
            action: "read",
            before: before.map(|v| serde_json::json!({ "reading_version": v })),
            after: Some(serde_json::json!({ "reading_version": version })),
        },
    )
    .await
}
