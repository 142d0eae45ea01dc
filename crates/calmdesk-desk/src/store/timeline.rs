//! What happens on a case: messages, actions, offers and their answers, and promises.
//!
//! Every addition also marks the case as updated and writes its audit entry, all in one
//! transaction.

use super::audit::{record, snapshot, Change};
use super::rows::*;
use super::{cases, now, to_cents, to_ms, Store, Tx};
use crate::domain::*;
use crate::error::DeskError;

/// Whether a database error is a unique-constraint violation.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.code().as_deref() == Some("23505")
                || db.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

pub(crate) async fn insert_message(
    tx: &mut Tx,
    case: &Case,
    new: &NewMessage,
    actor: &Actor,
) -> Result<Message, DeskError> {
    let author = new.author.clone().unwrap_or_else(|| actor.name.clone());
    let author_user_id = match new.direction {
        Direction::Inbound => None,
        Direction::Outbound | Direction::Note => actor.user_id,
    };
    let row: MessageRow = sqlx::query_as(&format!(
        "INSERT INTO messages (case_id, direction, author, author_user_id, channel, text, \
         external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(case.id)
    .bind(new.direction.as_str())
    .bind(author.trim())
    .bind(author_user_id)
    .bind(new.channel.as_deref().unwrap_or(&case.channel))
    .bind(&new.text)
    .bind(new.external_id.as_deref())
    .bind(to_ms(new.at.unwrap_or_else(now)))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            DeskError::conflict(
                "external_id",
                "a message with this external id is stored already",
            )
        } else {
            e.into()
        }
    })?;
    let message = Message::from(row);
    record(
        tx,
        actor,
        Change {
            case_id: Some(case.id),
            entity: "message",
            entity_id: message.id,
            action: "created",
            before: None,
            after: snapshot(&message),
        },
    )
    .await?;
    cases::touch(tx, case.id).await?;
    Ok(message)
}

pub(crate) async fn insert_action(
    tx: &mut Tx,
    case_id: Id,
    new: &NewAction,
    actor: &Actor,
) -> Result<Action, DeskError> {
    let row: ActionRow = sqlx::query_as(&format!(
        "INSERT INTO actions (case_id, kind, description, actor, actor_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {ACTION_COLUMNS}"
    ))
    .bind(case_id)
    .bind(new.kind.trim())
    .bind(new.description.trim())
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(to_ms(now()))
    .fetch_one(&mut **tx)
    .await?;
    let action = Action::from(row);
    record(
        tx,
        actor,
        Change {
            case_id: Some(case_id),
            entity: "action",
            entity_id: action.id,
            action: "created",
            before: None,
            after: snapshot(&action),
        },
    )
    .await?;
    cases::touch(tx, case_id).await?;
    Ok(action)
}

async fn load_offer(tx: &mut Tx, case_id: Id, offer_id: Id) -> Result<Offer, DeskError> {
    let row: Option<OfferRow> = sqlx::query_as(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers WHERE id = $1 AND case_id = $2"
    ))
    .bind(offer_id)
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Offer::from)
        .ok_or(DeskError::not_found("offer", offer_id))
}

async fn load_commitment(tx: &mut Tx, case_id: Id, id: Id) -> Result<Commitment, DeskError> {
    let row: Option<CommitmentRow> = sqlx::query_as(&format!(
        "SELECT {COMMITMENT_COLUMNS} FROM commitments WHERE id = $1 AND case_id = $2"
    ))
    .bind(id)
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Commitment::from)
        .ok_or(DeskError::not_found("commitment", id))
}

impl Store {
    /// Adds a message to a case. A customer's reply to a case waiting on them reopens it.
    pub async fn add_message(
        &self,
        case_id: Id,
        new: &NewMessage,
        actor: &Actor,
    ) -> Result<Message, DeskError> {
        new.validate()?;
        let mut tx = self.begin().await?;
        let case = cases::load(&mut tx, case_id).await?;
        let mut new = new.clone();
        if new.direction == Direction::Inbound && new.author.is_none() {
            let customer = super::customers::load(&mut tx, case.customer_id).await?;
            new.author = Some(customer.name);
        }
        let message = insert_message(&mut tx, &case, &new, actor).await?;
        if new.direction == Direction::Inbound && case.status == CaseStatus::Waiting {
            sqlx::query("UPDATE cases SET status = 'open' WHERE id = $1")
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            record(
                &mut tx,
                actor,
                Change {
                    case_id: Some(case_id),
                    entity: "case",
                    entity_id: case_id,
                    action: "status_changed",
                    before: Some(serde_json::json!({ "status": "waiting" })),
                    after: Some(
                        serde_json::json!({ "status": "open", "reason": "the customer replied" }),
                    ),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(message)
    }

    /// Records something done on a case.
    pub async fn add_action(
        &self,
        case_id: Id,
        new: &NewAction,
        actor: &Actor,
    ) -> Result<Action, DeskError> {
        new.validate()?;
        let mut tx = self.begin().await?;
        cases::load(&mut tx, case_id).await?;
        let action = insert_action(&mut tx, case_id, new, actor).await?;
        tx.commit().await?;
        Ok(action)
    }

    /// Puts an offer to the customer.
    pub async fn add_offer(
        &self,
        case_id: Id,
        new: &NewOffer,
        actor: &Actor,
    ) -> Result<Offer, DeskError> {
        new.validate()?;
        let mut tx = self.begin().await?;
        cases::load(&mut tx, case_id).await?;
        let row: OfferRow = sqlx::query_as(&format!(
            "INSERT INTO offers (case_id, kind, amount_cents, currency, status, reason, \
             proposed_by, proposed_by_user_id, proposed_at) \
             VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8) RETURNING {OFFER_COLUMNS}"
        ))
        .bind(case_id)
        .bind(new.kind.as_str())
        .bind(to_cents(new.amount))
        .bind(new.currency.as_deref().unwrap_or("USD"))
        .bind(new.reason.trim())
        .bind(&actor.name)
        .bind(actor.user_id)
        .bind(to_ms(now()))
        .fetch_one(&mut *tx)
        .await?;
        let offer = Offer::from(row);
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(case_id),
                entity: "offer",
                entity_id: offer.id,
                action: "created",
                before: None,
                after: snapshot(&offer),
            },
        )
        .await?;
        cases::touch(&mut tx, case_id).await?;
        tx.commit().await?;
        Ok(offer)
    }

    /// Records the customer's acceptance or refusal of an offer, or its withdrawal.
    pub async fn decide_offer(
        &self,
        case_id: Id,
        offer_id: Id,
        decision: &OfferDecision,
        actor: &Actor,
    ) -> Result<Offer, DeskError> {
        decision.validate()?;
        let mut tx = self.begin().await?;
        let before = load_offer(&mut tx, case_id, offer_id).await?;
        if before.status != OfferStatus::Proposed {
            return Err(DeskError::conflict(
                "status",
                format!("offer {offer_id} was {} already", before.status),
            ));
        }
        sqlx::query(
            "UPDATE offers SET status = $1, decided_by = $2, decided_at = $3, \
             decision_note = $4 WHERE id = $5",
        )
        .bind(decision.status.as_str())
        .bind(&actor.name)
        .bind(to_ms(now()))
        .bind(decision.note.as_deref())
        .bind(offer_id)
        .execute(&mut *tx)
        .await?;
        let after = load_offer(&mut tx, case_id, offer_id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(case_id),
                entity: "offer",
                entity_id: offer_id,
                action: "decided",
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        cases::touch(&mut tx, case_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a promise made to the customer.
    pub async fn add_commitment(
        &self,
        case_id: Id,
        new: &NewCommitment,
        actor: &Actor,
    ) -> Result<Commitment, DeskError> {
        new.validate()?;
        let mut tx = self.begin().await?;
        cases::load(&mut tx, case_id).await?;
        let row: CommitmentRow = sqlx::query_as(&format!(
            "INSERT INTO commitments (case_id, description, due_at, status, created_by, \
             created_at) VALUES ($1, $2, $3, 'open', $4, $5) RETURNING {COMMITMENT_COLUMNS}"
        ))
        .bind(case_id)
        .bind(new.description.trim())
        .bind(to_ms(new.due_at))
        .bind(&actor.name)
        .bind(to_ms(now()))
        .fetch_one(&mut *tx)
        .await?;
        let commitment = Commitment::from(row);
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(case_id),
                entity: "commitment",
                entity_id: commitment.id,
                action: "created",
                before: None,
                after: snapshot(&commitment),
            },
        )
        .await?;
        cases::touch(&mut tx, case_id).await?;
        tx.commit().await?;
        Ok(commitment)
    }

    /// Records how a promise ended: kept, broken or cancelled.
    pub async fn settle_commitment(
        &self,
        case_id: Id,
        commitment_id: Id,
        update: &CommitmentUpdate,
        actor: &Actor,
    ) -> Result<Commitment, DeskError> {
        update.validate()?;
        let mut tx = self.begin().await?;
        let before = load_commitment(&mut tx, case_id, commitment_id).await?;
        if before.status != CommitmentStatus::Open {
            return Err(DeskError::conflict(
                "status",
                format!("commitment {commitment_id} is {} already", before.status),
            ));
        }
        sqlx::query("UPDATE commitments SET status = $1, settled_at = $2 WHERE id = $3")
            .bind(update.status.as_str())
            .bind(to_ms(now()))
            .bind(commitment_id)
            .execute(&mut *tx)
            .await?;
        let after = load_commitment(&mut tx, case_id, commitment_id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(case_id),
                entity: "commitment",
                entity_id: commitment_id,
                action: "settled",
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        cases::touch(&mut tx, case_id).await?;
        tx.commit().await?;
        Ok(after)
    }
}
