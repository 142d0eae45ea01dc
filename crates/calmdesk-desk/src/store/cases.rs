//! Cases: opening one with its customer and first message, listing queues, changing fields and
//! status, and reading a case back with its whole timeline.

use chrono::Duration;

use super::audit::{record, snapshot, Change};
use super::rows::*;
use super::{customers, now, to_ms, Store, Tx};
use crate::domain::*;
use crate::error::DeskError;

pub(crate) async fn load(tx: &mut Tx, id: Id) -> Result<Case, DeskError> {
    let row: Option<CaseRow> =
        sqlx::query_as(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(Case::from).ok_or(DeskError::not_found("case", id))
}

/// Marks a case as changed now.
pub(crate) async fn touch(tx: &mut Tx, id: Id) -> Result<(), DeskError> {
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(to_ms(now()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn check_assignee(tx: &mut Tx, assignee_id: Option<Id>) -> Result<(), DeskError> {
    let Some(id) = assignee_id else { return Ok(()) };
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    match exists {
        Some(_) => Ok(()),
        None => Err(DeskError::Invalid {
            field: "assignee_id".into(),
            message: format!("there is no user {id}"),
        }),
    }
}

/// Opens a case, without messages, inside the caller's transaction; used by the API and by
/// imports.
pub(crate) async fn insert(tx: &mut Tx, new: &NewCase, actor: &Actor) -> Result<Case, DeskError> {
    check_assignee(tx, new.assignee_id).await?;
    let customer_id = customers::find_or_create(tx, &new.customer, actor).await?;
    let opened = new.message.at.unwrap_or_else(now);
    let id: Id = sqlx::query_scalar(
        "INSERT INTO cases (customer_id, subject, status, channel, product, category, \
         assignee_id, priority, external_id, opened_at, updated_at) \
         VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(customer_id)
    .bind(new.subject.trim())
    .bind(new.channel.trim())
    .bind(new.product.as_deref())
    .bind(new.category.as_deref())
    .bind(new.assignee_id)
    .bind(new.priority.unwrap_or(Priority::Normal).as_str())
    .bind(new.external_id.as_deref())
    .bind(to_ms(opened))
    .bind(to_ms(now()))
    .fetch_one(&mut **tx)
    .await?;
    let case = load(tx, id).await?;
    record(
        tx,
        actor,
        Change {
            case_id: Some(id),
            entity: "case",
            entity_id: id,
            action: "created",
            before: None,
            after: snapshot(&case),
        },
    )
    .await?;
    Ok(case)
}

impl Store {
    /// Opens a case with its customer (found or created) and first message, in one transaction.
    pub async fn create_case(&self, new: &NewCase, actor: &Actor) -> Result<CaseRecord, DeskError> {
        new.validate()?;
        let mut tx = self.begin().await?;
        let case = insert(&mut tx, new, actor).await?;
        let first = NewMessage {
            direction: Direction::Inbound,
            text: new.message.text.clone(),
            author: Some(new.customer.name.trim().to_owned()),
            channel: None,
            external_id: new.message.external_id.clone(),
            at: Some(case.opened_at),
        };
        super::timeline::insert_message(&mut tx, &case, &first, actor).await?;
        tx.commit().await?;
        self.case_record(case.id).await
    }

    /// One case, without its timeline.
    pub async fn get_case(&self, id: Id) -> Result<Case, DeskError> {
        let row: Option<CaseRow> =
            sqlx::query_as(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"))
                .bind(id)
                .fetch_optional(self.reader())
                .await?;
        row.map(Case::from).ok_or(DeskError::not_found("case", id))
    }

    /// A case with its customer and everything that happened on it, in order.
    pub async fn case_record(&self, id: Id) -> Result<CaseRecord, DeskError> {
        let case = self.get_case(id).await?;
        let customer = self.get_customer(case.customer_id).await?;
        let mut timeline = Vec::new();
        timeline.extend(
            self.rows_of::<MessageRow>(MESSAGE_COLUMNS, "messages", id)
                .await?
                .into_iter()
                .map(|r| TimelineEntry::Message(r.into())),
        );
        timeline.extend(
            self.rows_of::<ActionRow>(ACTION_COLUMNS, "actions", id)
                .await?
                .into_iter()
                .map(|r| TimelineEntry::Action(r.into())),
        );
        timeline.extend(
            self.rows_of::<OfferRow>(OFFER_COLUMNS, "offers", id)
                .await?
                .into_iter()
                .map(|r| TimelineEntry::Offer(r.into())),
        );
        timeline.extend(
            self.rows_of::<CommitmentRow>(COMMITMENT_COLUMNS, "commitments", id)
                .await?
                .into_iter()
                .map(|r| TimelineEntry::Commitment(r.into())),
        );
        timeline.extend(
            self.rows_of::<FollowUpRow>(FOLLOW_UP_COLUMNS, "follow_ups", id)
                .await?
                .into_iter()
                .map(|r| TimelineEntry::FollowUp(r.into())),
        );
        sort_timeline(&mut timeline);
        Ok(CaseRecord {
            case,
            customer,
            timeline,
        })
    }

    /// Every row of one timeline table for a case, in the order they were written.
    async fn rows_of<R>(&self, columns: &str, table: &str, case_id: Id) -> Result<Vec<R>, DeskError>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        Ok(sqlx::query_as(&format!(
            "SELECT {columns} FROM {table} WHERE case_id = $1 ORDER BY id"
        ))
        .bind(case_id)
        .fetch_all(self.reader())
        .await?)
    }

    /// Cases matching the filter, newest first, one page at a time.
    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Page<Case>, DeskError> {
        let mut conditions = vec!["id < $1".to_owned()];
        let mut ints = vec![filter.before_id.unwrap_or(i64::MAX)];
        let mut placeholder = |value: i64| {
            ints.push(value);
            format!("${}", ints.len())
        };
        if let Some(a) = filter.assignee_id {
            conditions.push(format!("assignee_id = {}", placeholder(a)));
        }
        if let Some(c) = filter.customer_id {
            conditions.push(format!("customer_id = {}", placeholder(c)));
        }
        let limit = placeholder(filter.limit + 1);
        let status = filter.status.map(|s| {
            conditions.push(format!("status = ${}", ints.len() + 1));
            s.as_str()
        });
        match filter.escalated {
            Some(true) => conditions.push("escalated_at IS NOT NULL".into()),
            Some(false) => conditions.push("escalated_at IS NULL".into()),
            None => {}
        }
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE {} ORDER BY id DESC LIMIT {limit}",
            conditions.join(" AND ")
        );
        let mut query = sqlx::query_as::<_, CaseRow>(&sql);
        for value in &ints {
            query = query.bind(*value);
        }
        if let Some(status) = status {
            query = query.bind(status);
        }
        let rows = query.fetch_all(self.reader()).await?;
        let more = rows.len() as i64 > filter.limit;
        let items: Vec<Case> = rows
            .into_iter()
            .take(filter.limit as usize)
            .map(Case::from)
            .collect();
        let next_cursor = if more {
            items.last().map(|c| c.id.to_string())
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    /// Changes a case's subject, product, category, priority or assignee.
    pub async fn update_case(
        &self,
        id: Id,
        changes: &CaseChanges,
        actor: &Actor,
    ) -> Result<Case, DeskError> {
        changes.validate()?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        check_assignee(&mut tx, changes.assignee_id).await?;
        let assignee = if changes.unassign {
            None
        } else {
            changes.assignee_id.or(before.assignee_id)
        };
        sqlx::query(
            "UPDATE cases SET subject = $1, product = $2, category = $3, priority = $4, \
             assignee_id = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(
            changes
                .subject
                .as_deref()
                .map(str::trim)
                .unwrap_or(&before.subject),
        )
        .bind(changes.product.clone().or(before.product.clone()))
        .bind(changes.category.clone().or(before.category.clone()))
        .bind(changes.priority.unwrap_or(before.priority).as_str())
        .bind(assignee)
        .bind(to_ms(now()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = load(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(id),
                entity: "case",
                entity_id: id,
                action: "updated",
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a case to another status, recording why. Resolving schedules a follow-up;
    /// escalating puts the case in the manager queue; reopening skips pending follow-ups.
    pub async fn transition(
        &self,
        id: Id,
        transition: &Transition,
        actor: &Actor,
    ) -> Result<Case, DeskError> {
        transition.validate()?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        let after = apply_transition(
            &mut tx,
            before,
            transition,
            None,
            self.follow_up_days,
            actor,
        )
        .await?
        .ok_or_else(|| DeskError::conflict("status", "the case changed meanwhile"))?;
        tx.commit().await?;
        Ok(after)
    }

    /// Puts an open or waiting case in the manager queue because the escalation rules fired,
    /// with their reasons and hand-over wording, in one transaction with its timeline action
    /// and audit entry. Nothing happens (`None`) when the case is already escalated, is
    /// resolved or closed, or every key in `escalation.keys` already escalated this case once:
    /// after a manager de-escalates, only something new escalates it again.
    pub async fn escalate_automatically(
        &self,
        id: Id,
        escalation: &AutoEscalation,
        actor: &Actor,
    ) -> Result<Option<Case>, DeskError> {
        let transition = Transition {
            to: CaseStatus::Escalated,
            reason: Some(escalation.reason.clone()),
            follow_up_days: None,
        };
        transition.validate()?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        if before.escalated || !matches!(before.status, CaseStatus::Open | CaseStatus::Waiting) {
            return Ok(None);
        }
        let stored: Option<String> =
            sqlx::query_scalar("SELECT escalation_keys FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let mut keys: Vec<String> = stored
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let fresh: Vec<&String> = escalation
            .keys
            .iter()
            .filter(|k| !keys.contains(k))
            .collect();
        if fresh.is_empty() {
            return Ok(None);
        }
        keys.extend(fresh.into_iter().cloned());
        let detail = (
            escalation.detail.to_string(),
            serde_json::json!(keys).to_string(),
        );
        let after = apply_transition(&mut tx, before, &transition, Some(detail), 0, actor).await?;
        if after.is_some() {
            tx.commit().await?;
        }
        Ok(after)
    }

    /// Deletes a case and its timeline. The audit log keeps the whole record as it was.
    pub async fn delete_case(&self, id: Id, actor: &Actor) -> Result<(), DeskError> {
        let record_before = self.case_record(id).await?;
        let mut tx = self.begin().await?;
        for table in ["messages", "actions", "offers", "commitments", "follow_ups"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE case_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let deleted = sqlx::query("DELETE FROM cases WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(DeskError::not_found("case", id));
        }
        record(
            &mut tx,
            actor,
            Change {
                case_id: Some(id),
                entity: "case",
                entity_id: id,
                action: "deleted",
                before: snapshot(&record_before),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Case ids above `after_id`, in ascending order, for walking the whole record.
    pub async fn case_ids_after(&self, after_id: Id, limit: i64) -> Result<Vec<Id>, DeskError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after_id)
                .bind(limit)
                .fetch_all(self.reader())
                .await?,
        )
    }

    /// Open or waiting cases, not yet escalated, with an open promise due before `before`:
    /// the cases the background job asks the escalation rules about, by id above `after_id`.
    pub async fn cases_with_overdue_promises(
        &self,
        before: chrono::DateTime<chrono::Utc>,
        after_id: Id,
        limit: i64,
    ) -> Result<Vec<Id>, DeskError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT c.id FROM cases c JOIN commitments m ON m.case_id = c.id \
             WHERE c.status IN ('open', 'waiting') AND c.escalated_at IS NULL \
             AND m.status = 'open' AND m.due_at < $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
        )
        .bind(to_ms(before))
        .bind(after_id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// How many cases there are, for summaries.
    pub async fn count_cases(&self) -> Result<i64, DeskError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(self.reader())
            .await?)
    }
}

/// Applies a status change inside the caller's transaction: the row, the follow-up work, the
/// timeline action and the audit entry. `detail` (the escalation's JSON and its keys) makes an
/// escalation conditional on the case not being escalated yet; `None` then means another writer
/// escalated it first. `follow_up_days` is the default delay of a resolution's follow-up.
async fn apply_transition(
    tx: &mut Tx,
    before: Case,
    transition: &Transition,
    detail: Option<(String, String)>,
    follow_up_days: i64,
    actor: &Actor,
) -> Result<Option<Case>, DeskError> {
    let id = before.id;
    let to = transition.to;
    if !before.status.can_become(to) {
        return Err(DeskError::conflict(
            "status",
            format!("a {} case cannot become {}", before.status, to),
        ));
    }
    let at = to_ms(now());
    let reason = transition.reason.as_deref().map(str::trim);
    let set = match to {
        CaseStatus::Escalated if detail.is_some() => {
            "escalated_at = $2, escalation_reason = $4, escalation = $5, escalation_keys = $6"
        }
        CaseStatus::Escalated => "escalated_at = $2, escalation_reason = $4",
        CaseStatus::Resolved => "resolved_at = $2, closed_at = NULL",
        CaseStatus::Closed => "closed_at = $2",
        CaseStatus::Open if before.status == CaseStatus::Escalated => {
            "escalated_at = NULL, escalation_reason = NULL, escalation = NULL"
        }
        CaseStatus::Open if matches!(before.status, CaseStatus::Resolved | CaseStatus::Closed) => {
            "resolved_at = NULL, closed_at = NULL"
        }
        CaseStatus::Open | CaseStatus::Waiting => "closed_at = closed_at",
    };
    let only_if_not_escalated = if detail.is_some() {
        " AND escalated_at IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE cases SET status = $1, updated_at = $2, {set} WHERE id = $3{only_if_not_escalated}"
    );
    let mut query = sqlx::query(&sql).bind(to.as_str()).bind(at).bind(id);
    if to == CaseStatus::Escalated {
        query = query.bind(reason);
        if let Some((escalation, keys)) = &detail {
            query = query.bind(escalation.as_str()).bind(keys.as_str());
        }
    }
    if query.execute(&mut **tx).await?.rows_affected() == 0 {
        return Ok(None);
    }
    if to == CaseStatus::Resolved {
        let days = transition.follow_up_days.unwrap_or(follow_up_days);
        let due = now() + Duration::days(days);
        super::follow_ups::schedule(tx, id, due, actor).await?;
    }
    if to == CaseStatus::Open && matches!(before.status, CaseStatus::Resolved | CaseStatus::Closed)
    {
        super::follow_ups::skip_pending(tx, id, "case reopened", actor).await?;
    }
    let verb = match (before.status, to) {
        (_, CaseStatus::Escalated) if detail.is_some() => "escalated automatically",
        (_, CaseStatus::Escalated) => "escalated",
        (CaseStatus::Escalated, CaseStatus::Open) => "de-escalated",
        (CaseStatus::Resolved | CaseStatus::Closed, CaseStatus::Open) => "reopened",
        (_, CaseStatus::Resolved) => "resolved",
        (_, CaseStatus::Closed) => "closed",
        (_, CaseStatus::Waiting) => "waiting on customer",
        (_, CaseStatus::Open) => "opened",
    };
    let description = match reason {
        Some(r) if !r.is_empty() => format!("{verb}: {r}"),
        _ => verb.to_owned(),
    };
    super::timeline::insert_action(
        tx,
        id,
        &NewAction {
            kind: format!("status_{}", to.as_str()),
            description,
        },
        actor,
    )
    .await?;
    let after = load(tx, id).await?;
    record(
        tx,
        actor,
        Change {
            case_id: Some(id),
            entity: "case",
            entity_id: id,
            action: "status_changed",
            before: snapshot(&before),
            after: Some(serde_json::json!({
                "case": after,
                "reason": reason,
            })),
        },
    )
    .await?;
    Ok(Some(after))
}
