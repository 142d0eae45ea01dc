//! The audit log: written in the same transaction as every change it describes.

use serde::Serialize;

use super::rows::{AuditRow, AUDIT_COLUMNS};
use super::{now, to_ms, Store, Tx};
use crate::domain::{Actor, AuditEntry, Id};
use crate::error::DeskError;

/// What one audit entry says happened.
pub(crate) struct Change<'a> {
    pub case_id: Option<Id>,
    pub entity: &'a str,
    pub entity_id: Id,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A value as the audit log keeps it.
pub(crate) fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Records a change inside the caller's transaction.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), DeskError> {
    let text = |v: Option<serde_json::Value>| v.map(|v| v.to_string());
    sqlx::query(
        "INSERT INTO audit_log (case_id, entity, entity_id, action, actor, actor_user_id, at, \
         before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(change.case_id)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.action)
    .bind(&actor.name)
    .bind(actor.user_id)
    .bind(to_ms(now()))
    .bind(text(change.before))
    .bind(text(change.after))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Every change recorded against a case, oldest first.
    pub async fn case_audit(&self, case_id: Id) -> Result<Vec<AuditEntry>, DeskError> {
        self.get_case(case_id).await?;
        let rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE case_id = $1 ORDER BY id"
        ))
        .bind(case_id)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// Every change recorded against one row of any kind, oldest first.
    pub async fn entity_audit(&self, entity: &str, id: Id) -> Result<Vec<AuditEntry>, DeskError> {
        let rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id"
        ))
        .bind(entity)
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }
}
