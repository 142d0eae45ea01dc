//! The record as it is read back: customers, cases and everything that happened on a case.
//!
//! These are plain values. Times are UTC; money is a decimal amount in the offer's currency
//! (stored as integer cents, so no rounding drifts in the database).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::kinds::{
    CaseStatus, CommitmentStatus, Direction, FollowUpStatus, OfferKind, OfferStatus, Priority, Role,
};

/// Every stored row is identified by a 64-bit integer.
pub type Id = i64;

/// A person or organisation who contacts us.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Customer {
    pub id: Id,
    pub name: String,
    /// E-mail addresses, lowercased.
    pub emails: Vec<String>,
    /// Social or chat handles.
    pub handles: Vec<String>,
    /// Loyalty tier, as the company names it (for example gold, silver, bronze, guest).
    pub tier: Option<String>,
    /// What the customer has spent with us over time.
    pub lifetime_value: Option<f64>,
    /// How many orders they have placed.
    pub orders: Option<i64>,
    /// When they became a customer; tenure is counted from here.
    pub customer_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One customer issue, from first contact to closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    pub id: Id,
    pub customer_id: Id,
    pub subject: String,
    pub status: CaseStatus,
    /// Where the customer reached us: email, chat, phone, store, twitter, ...
    pub channel: String,
    pub product: Option<String>,
    pub category: Option<String>,
    pub assignee_id: Option<Id>,
    pub priority: Priority,
    /// Whether the case is in a manager's hands (set by escalate, cleared by de-escalate).
    pub escalated: bool,
    pub escalation_reason: Option<String>,
    /// For an automatic escalation: the rules that fired (`reasons`, each with `rule`, `reason`
    /// and `evidence`), the suggested hand-over wording (`handover`) and `automatic: true`.
    /// Cleared with the reason on de-escalation; the timeline and audit log keep it.
    #[schema(value_type = Option<Object>)]
    pub escalation: Option<serde_json::Value>,
    /// The id of the thread this case was imported from, if any.
    pub external_id: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Something said on a case. Messages are never edited, only added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Message {
    pub id: Id,
    pub case_id: Id,
    pub direction: Direction,
    /// Who wrote it: the customer's name or the user's.
    pub author: String,
    pub author_user_id: Option<Id>,
    pub channel: String,
    pub text: String,
    /// The source's own id (Message-ID, tweet id, ...), which makes imports idempotent.
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// What calmdesk read in an inbound message (see `calmdesk analyze`), once it is read.
    #[schema(value_type = Option<Object>)]
    pub reading: Option<serde_json::Value>,
    /// The version of the models that made the reading.
    pub reading_version: Option<String>,
    /// The coach's Review of an outbound reply or internal note (see `calmdesk coach`).
    #[schema(value_type = Option<Object>)]
    pub review: Option<serde_json::Value>,
}

/// Something done on a case (a replacement shipped, a refund issued, a call made).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Action {
    pub id: Id,
    pub case_id: Id,
    pub kind: String,
    pub description: String,
    pub actor: String,
    pub actor_user_id: Option<Id>,
    pub created_at: DateTime<Utc>,
}

/// A remedy put to the customer, and what they made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Offer {
    pub id: Id,
    pub case_id: Id,
    pub kind: OfferKind,
    pub amount: Option<f64>,
    pub currency: String,
    pub status: OfferStatus,
    /// Why it was offered.
    pub reason: String,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

/// Something we promised the customer, with when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Commitment {
    pub id: Id,
    pub case_id: Id,
    pub description: String,
    pub due_at: DateTime<Utc>,
    pub status: CommitmentStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
}

/// A check back with the customer some days after a case was resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FollowUp {
    pub id: Id,
    pub case_id: Id,
    pub due_at: DateTime<Utc>,
    pub status: FollowUpStatus,
    pub outcome: Option<String>,
    /// How satisfied the customer said they were, 1 to 5.
    pub satisfaction: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_by: Option<String>,
    /// When a background job first put it in the due queue, and which instance did.
    pub notified_at: Option<DateTime<Utc>>,
    pub notified_by: Option<String>,
}

/// Someone who signs in: an agent, a manager or an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: Id,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
}

/// One change to the record: who, when, what, and the values before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: Id,
    pub case_id: Option<Id>,
    /// The kind of row changed: case, message, offer, customer, user, ...
    pub entity: String,
    pub entity_id: Id,
    /// What happened: created, updated, status_changed, decided, deleted, ...
    pub action: String,
    pub actor: String,
    pub actor_user_id: Option<Id>,
    pub at: DateTime<Utc>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// One event on a case's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntry {
    Message(Message),
    Action(Action),
    Offer(Offer),
    Commitment(Commitment),
    FollowUp(FollowUp),
}

impl TimelineEntry {
    /// When the event happened, for ordering.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::Message(m) => m.created_at,
            TimelineEntry::Action(a) => a.created_at,
            TimelineEntry::Offer(o) => o.proposed_at,
            TimelineEntry::Commitment(c) => c.created_at,
            TimelineEntry::FollowUp(f) => f.created_at,
        }
    }

    fn order_key(&self) -> (DateTime<Utc>, u8, Id) {
        let (rank, id) = match self {
            TimelineEntry::Message(m) => (0, m.id),
            TimelineEntry::Action(a) => (1, a.id),
            TimelineEntry::Offer(o) => (2, o.id),
            TimelineEntry::Commitment(c) => (3, c.id),
            TimelineEntry::FollowUp(f) => (4, f.id),
        };
        (self.at(), rank, id)
    }
}

/// Puts timeline entries in the order they happened; ties keep a fixed order by kind and id.
pub fn sort_timeline(entries: &mut [TimelineEntry]) {
    entries.sort_by_key(TimelineEntry::order_key);
}

/// A case with its customer and full timeline: what the API returns for one case and what
/// `calmdesk export` writes, one per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CaseRecord {
    pub case: Case,
    pub customer: Customer,
    pub timeline: Vec<TimelineEntry>,
}

/// One page of a listing and the cursor for the next, if there is more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
