//! Follow-ups: scheduled when a case is resolved, queued when due, closed with an outcome.
//!
//! Several server instances may share one PostgreSQL database; each claims due follow-ups with
//! `FOR UPDATE SKIP LOCKED`, so no follow-up is put in the queue twice. On SQLite the claim runs
//! under the database's single write lock, which gives the same guarantee.

use chrono::{DateTime, Utc};

use super::audit::{record, snapshot, Change};
use super::rows::{FollowUpRow, FOLLOW_UP_COLUMNS};
use super::{cases, now, to_ms, Engine, Store, Tx};
use crate::domain::*;
use crate::error::DeskError;

pub(crate) async fn schedule(
    tx: &mut Tx,
    case_id: Id,
    due: DateTime<Utc>,
    actor: &Actor,
) -> Result<FollowUp, DeskError> {
    let row: FollowUpRow = sqlx::query_as(&format!(
        "INSERT INTO follow_ups (case_id, due_at, status, created_at) VALUES ($1, $2, 'due', $3) \
         RETURNING {FOLLOW_UP_COLUMNS}"
    ))
    .bind(case_id)
    .bind(to_ms(due))
    .bind(to_ms(now()))
    .fetch_one(&mut **tx)
    .await?;
    let follow_up = FollowUp::from(row);
    record(
        tx,
        actor,
        Change {
            case_id: Some(case_id),
            entity: "follow_up",
            entity_id: follow_up.id,
            action: "scheduled",
            before: None,
            after: snapshot(&follow_up),
        },
    )
    .await?;
    Ok(follow_up)
}

/// Marks a case's pending follow-ups as skipped, for example when the case is reopened.
pub(crate) async fn skip_pending(
    tx: &mut Tx,
    case_id: Id,
    why: &str,
    actor: &Actor,
) -> Result<(), DeskError> {
    let skipped: Vec<FollowUpRow> = sqlx::query_as(&format!(
        "UPDATE follow_ups SET status = 'skipped', outcome = $1, completed_at = $2, \
         completed_by = $3 WHERE case_id = $4 AND status = 'due' RETURNING {FOLLOW_UP_COLUMNS}"
    ))
    .bind(why)
    .bind(to_ms(now()))
    .bind(&actor.name)
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    for row in skipped {
        let follow_up = FollowUp::from(row);
        record(
            tx,
            actor,
            Change {
                case_id: Some(case_id),
                entity: "follow_up",
                entity_id: follow_up.id,
                action: "skipped",
                before: None,
                after: snapshot(&follow_up),
            },
        )
        .await?;
    }
    Ok(())
}

async fn load(tx: &mut Tx, id: Id) -> Result<FollowUp, DeskError> {
    let row: Option<FollowUpRow> = sqlx::query_as(&format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(FollowUp::from)
        .ok_or(DeskError::not_found("follow_up", id))
}

impl Store {
    /// Follow-ups that are due at `at` and not yet done, oldest due first.
    pub async fn due_follow_ups(
        &self,
        at: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<FollowUp>, DeskError> {
        let rows: Vec<FollowUpRow> = sqlx::query_as(&format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE status = 'due' AND due_at <= $1 \
             ORDER BY due_at, id LIMIT $2"
        ))
        .bind(to_ms(at))
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.into_iter().map(FollowUp::from).collect())
    }

    /// Records what came of a follow-up: done (with the outcome and satisfaction) or skipped.
    pub async fn record_follow_up(
        &self,
        id: Id,
        outcome: &FollowUpOutcome,
        actor: &Actor,
    ) -> Result<FollowUp, DeskError> {
        outcome.validate()?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        if before.status != FollowUpStatus::Due {
            return Err(DeskError::conflict(
                "status",
                format!("follow-up {id} is {} already", before.status),
            ));
        }
        sqlx::query(
            "UPDATE follow_ups SET status = $1, outcome = $2, satisfaction = $3, \
             completed_at = $4, completed_by = $5 WHERE id = $6",
        )
        .bind(outcome.status.as_str())
        .bind(outcome.outcome.as_deref())
        .bind(outcome.satisfaction)
        .bind(to_ms(now()))
        .bind(&actor.name)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = load(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(after.case_id),
                entity: "follow_up",
                entity_id: id,
                action: "recorded",
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        cases::touch(&mut tx, after.case_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Claims up to `limit` follow-ups that fell due by `at` and that no instance has queued
    /// yet, marks them queued by `instance`, and adds a `follow_up_due` action to each case.
    /// Returns what this call claimed; concurrent callers never claim the same follow-up.
    pub async fn claim_due_follow_ups(
        &self,
        at: DateTime<Utc>,
        instance: &str,
        limit: i64,
    ) -> Result<Vec<FollowUp>, DeskError> {
        let lock = match self.engine {
            Engine::Postgres => "FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let mut tx = self.begin().await?;
        let rows: Vec<FollowUpRow> = sqlx::query_as(&format!(
            "UPDATE follow_ups SET notified_at = $1, notified_by = $2 WHERE id IN (\
               SELECT id FROM follow_ups WHERE status = 'due' AND notified_at IS NULL \
               AND due_at <= $1 ORDER BY due_at, id LIMIT $3 {lock}\
             ) RETURNING {FOLLOW_UP_COLUMNS}"
        ))
        .bind(to_ms(at))
        .bind(instance)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let claimed: Vec<FollowUp> = rows.into_iter().map(FollowUp::from).collect();
        let actor = Actor::system(instance);
        for follow_up in &claimed {
            record(
                &mut tx,
                &actor,
                Change {
                    case_id: Some(follow_up.case_id),
                    entity: "follow_up",
                    entity_id: follow_up.id,
                    action: "queued",
                    before: None,
                    after: snapshot(follow_up),
                },
            )
            .await?;
            super::timeline::insert_action(
                &mut tx,
                follow_up.case_id,
                &NewAction {
                    kind: "follow_up_due".into(),
                    description: format!(
                        "follow-up {} is due: check back with the customer",
                        follow_up.id
                    ),
                },
                &actor,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(claimed)
    }
}
