//! Rows as the database returns them, and their conversion into domain values.
//!
//! Rows hold only the primitive types both engines share (integers, floats, text); the
//! conversion parses the vocabularies and times. A stored value that no longer parses (which
//! the CHECK constraints prevent) falls back to a safe default rather than failing a read.

use sqlx::FromRow;

use super::{from_cents, from_ms, from_ms_opt};
use crate::domain::*;

pub(crate) const CASE_COLUMNS: &str = "id, customer_id, subject, status, channel, product, \
    category, assignee_id, priority, external_id, escalated_at, escalation_reason, opened_at, \
    updated_at, resolved_at, closed_at, escalation";

#[derive(Debug, FromRow)]
pub(crate) struct CaseRow {
    id: i64,
    customer_id: i64,
    subject: String,
    status: String,
    channel: String,
    product: Option<String>,
    category: Option<String>,
    assignee_id: Option<i64>,
    priority: String,
    external_id: Option<String>,
    escalated_at: Option<i64>,
    escalation_reason: Option<String>,
    opened_at: i64,
    updated_at: i64,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    escalation: Option<String>,
}

impl From<CaseRow> for Case {
    fn from(r: CaseRow) -> Case {
        Case {
            id: r.id,
            customer_id: r.customer_id,
            subject: r.subject,
            status: CaseStatus::parse(&r.status).unwrap_or(CaseStatus::Open),
            channel: r.channel,
            product: r.product,
            category: r.category,
            assignee_id: r.assignee_id,
            priority: Priority::parse(&r.priority).unwrap_or(Priority::Normal),
            escalated: r.escalated_at.is_some(),
            escalation_reason: r.escalation_reason,
            escalation: r
                .escalation
                .and_then(|text| serde_json::from_str(&text).ok()),
            external_id: r.external_id,
            opened_at: from_ms(r.opened_at),
            updated_at: from_ms(r.updated_at),
            resolved_at: from_ms_opt(r.resolved_at),
            closed_at: from_ms_opt(r.closed_at),
        }
    }
}

pub(crate) const CUSTOMER_COLUMNS: &str =
    "id, name, tier, lifetime_value_cents, orders, customer_since, created_at, updated_at";

#[derive(Debug, FromRow)]
pub(crate) struct CustomerRow {
    pub(crate) id: i64,
    name: String,
    tier: Option<String>,
    lifetime_value_cents: Option<i64>,
    orders: Option<i64>,
    customer_since: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl CustomerRow {
    pub(crate) fn into_customer(self, identities: Vec<(String, String)>) -> Customer {
        let pick = |kind: &str| {
            identities
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, v)| v.clone())
                .collect()
        };
        Customer {
            id: self.id,
            name: self.name,
            emails: pick("email"),
            handles: pick("handle"),
            tier: self.tier,
            lifetime_value: from_cents(self.lifetime_value_cents),
            orders: self.orders,
            customer_since: from_ms_opt(self.customer_since),
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
        }
    }
}

pub(crate) const MESSAGE_COLUMNS: &str = "id, case_id, direction, author, author_user_id, \
    channel, text, external_id, created_at, reading, reading_version, review";

#[derive(Debug, FromRow)]
pub(crate) struct MessageRow {
    id: i64,
    case_id: i64,
    direction: String,
    author: String,
    author_user_id: Option<i64>,
    channel: String,
    text: String,
    external_id: Option<String>,
    created_at: i64,
    reading: Option<String>,
    reading_version: Option<String>,
    review: Option<String>,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Message {
        Message {
            id: r.id,
            case_id: r.case_id,
            direction: Direction::parse(&r.direction).unwrap_or(Direction::Note),
            author: r.author,
            author_user_id: r.author_user_id,
            channel: r.channel,
            text: r.text,
            external_id: r.external_id,
            created_at: from_ms(r.created_at),
            reading: r.reading.and_then(|s| serde_json::from_str(&s).ok()),
            reading_version: r.reading_version,
            review: r.review.and_then(|s| serde_json::from_str(&s).ok()),
        }
    }
}

pub(crate) const ACTION_COLUMNS: &str =
    "id, case_id, kind, description, actor, actor_user_id, created_at";

#[derive(Debug, FromRow)]
pub(crate) struct ActionRow {
    id: i64,
    case_id: i64,
    kind: String,
    description: String,
    actor: String,
    actor_user_id: Option<i64>,
    created_at: i64,
}

impl From<ActionRow> for Action {
    fn from(r: ActionRow) -> Action {
        Action {
            id: r.id,
            case_id: r.case_id,
            kind: r.kind,
            description: r.description,
            actor: r.actor,
            actor_user_id: r.actor_user_id,
            created_at: from_ms(r.created_at),
        }
    }
}

pub(crate) const OFFER_COLUMNS: &str = "id, case_id, kind, amount_cents, currency, status, \
    reason, proposed_by, proposed_at, decided_by, decided_at, decision_note";

#[derive(Debug, FromRow)]
pub(crate) struct OfferRow {
    id: i64,
    case_id: i64,
    kind: String,
    amount_cents: Option<i64>,
    currency: String,
    status: String,
    reason: String,
    proposed_by: String,
    proposed_at: i64,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    decision_note: Option<String>,
}

impl From<OfferRow> for Offer {
    fn from(r: OfferRow) -> Offer {
        Offer {
            id: r.id,
            case_id: r.case_id,
            kind: OfferKind::parse(&r.kind).unwrap_or(OfferKind::Other),
            amount: from_cents(r.amount_cents),
            currency: r.currency,
            status: OfferStatus::parse(&r.status).unwrap_or(OfferStatus::Proposed),
            reason: r.reason,
            proposed_by: r.proposed_by,
            proposed_at: from_ms(r.proposed_at),
            decided_by: r.decided_by,
            decided_at: from_ms_opt(r.decided_at),
            decision_note: r.decision_note,
        }
    }
}

pub(crate) const COMMITMENT_COLUMNS: &str =
    "id, case_id, description, due_at, status, created_by, created_at, settled_at";

#[derive(Debug, FromRow)]
pub(crate) struct CommitmentRow {
    id: i64,
    case_id: i64,
    description: String,
    due_at: i64,
    status: String,
    created_by: String,
    created_at: i64,
    settled_at: Option<i64>,
}

impl From<CommitmentRow> for Commitment {
    fn from(r: CommitmentRow) -> Commitment {
        Commitment {
            id: r.id,
            case_id: r.case_id,
            description: r.description,
            due_at: from_ms(r.due_at),
            status: CommitmentStatus::parse(&r.status).unwrap_or(CommitmentStatus::Open),
            created_by: r.created_by,
            created_at: from_ms(r.created_at),
            settled_at: from_ms_opt(r.settled_at),
        }
    }
}

pub(crate) const FOLLOW_UP_COLUMNS: &str = "id, case_id, due_at, status, outcome, satisfaction, \
    created_at, completed_at, completed_by, notified_at, notified_by";

#[derive(Debug, FromRow)]
pub(crate) struct FollowUpRow {
    id: i64,
    case_id: i64,
    due_at: i64,
    status: String,
    outcome: Option<String>,
    satisfaction: Option<i64>,
    created_at: i64,
    completed_at: Option<i64>,
    completed_by: Option<String>,
    notified_at: Option<i64>,
    notified_by: Option<String>,
}

impl From<FollowUpRow> for FollowUp {
    fn from(r: FollowUpRow) -> FollowUp {
        FollowUp {
            id: r.id,
            case_id: r.case_id,
            due_at: from_ms(r.due_at),
            status: FollowUpStatus::parse(&r.status).unwrap_or(FollowUpStatus::Due),
            outcome: r.outcome,
            satisfaction: r.satisfaction,
            created_at: from_ms(r.created_at),
            completed_at: from_ms_opt(r.completed_at),
            completed_by: r.completed_by,
            notified_at: from_ms_opt(r.notified_at),
            notified_by: r.notified_by,
        }
    }
}

pub(crate) const USER_COLUMNS: &str = "id, name, role, created_at, disabled_at";

#[derive(Debug, FromRow)]
pub(crate) struct UserRow {
    id: i64,
    name: String,
    role: String,
    created_at: i64,
    disabled_at: Option<i64>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            id: r.id,
            name: r.name,
            role: Role::parse(&r.role).unwrap_or(Role::Agent),
            created_at: from_ms(r.created_at),
            disabled: r.disabled_at.is_some(),
        }
    }
}

pub(crate) const AUDIT_COLUMNS: &str = "id, case_id, entity, entity_id, action, actor, \
    actor_user_id, at, before_json, after_json";

#[derive(Debug, FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    case_id: Option<i64>,
    entity: String,
    entity_id: i64,
    action: String,
    actor: String,
    actor_user_id: Option<i64>,
    at: i64,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            id: r.id,
            case_id: r.case_id,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            actor: r.actor,
            actor_user_id: r.actor_user_id,
            at: from_ms(r.at),
            before: parse(r.before_json),
            after: parse(r.after_json),
        }
    }
}
