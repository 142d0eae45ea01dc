//! What callers ask the desk to record, and the checks each request must pass first.
//!
//! Validation happens here, once, before any row is written: a request that fails names the
//! field at fault (as a JSON-path-like string such as `customer.email`) and changes nothing.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::kinds::{
    CaseStatus, CommitmentStatus, Direction, FollowUpStatus, OfferKind, OfferStatus, Priority,
};
use super::record::Id;
use crate::error::DeskError;

/// The longest subject, name or short label the desk stores, in characters.
pub const MAX_SHORT: usize = 300;
/// The longest message, note or description the desk stores, in bytes.
pub const MAX_TEXT: usize = 100_000;

/// The customer named when a case is opened: found by e-mail or handle, created otherwise.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub handle: Option<String>,
}

/// The first message of a new case.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstMessage {
    pub text: String,
    /// The source's id for this message, which makes re-imports idempotent.
    pub external_id: Option<String>,
    /// When it was written; defaults to now.
    pub at: Option<DateTime<Utc>>,
}

/// Opens a case with its customer and their first message, in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    pub customer: NewCustomer,
    pub subject: String,
    pub channel: String,
    pub message: FirstMessage,
    pub priority: Option<Priority>,
    pub product: Option<String>,
    pub category: Option<String>,
    pub assignee_id: Option<Id>,
    pub external_id: Option<String>,
}

/// A message added to a case.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub direction: Direction,
    pub text: String,
    /// Who wrote it; defaults to the customer's name for inbound messages and to the signed-in
    /// user otherwise.
    pub author: Option<String>,
    /// Defaults to the case's channel.
    pub channel: Option<String>,
    pub external_id: Option<String>,
    /// When it was written; defaults to now.
    pub at: Option<DateTime<Utc>>,
}

/// Something done on a case.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    /// A short label such as `replacement_shipped` or `called_customer`.
    pub kind: String,
    pub description: String,
}

/// A remedy put to the customer.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    pub kind: OfferKind,
    pub amount: Option<f64>,
    /// ISO 4217 code; defaults to USD.
    pub currency: Option<String>,
    /// Why it is offered.
    pub reason: String,
}

/// The customer's answer to an offer, or our withdrawal of it.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferDecision {
    /// accepted, declined or withdrawn.
    pub status: OfferStatus,
    pub note: Option<String>,
}

/// A promise made to the customer.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommitment {
    pub description: String,
    pub due_at: DateTime<Utc>,
}

/// How a promise ended.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentUpdate {
    /// kept, broken or cancelled.
    pub status: CommitmentStatus,
}

/// Changes to a case's fields; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseChanges {
    pub subject: Option<String>,
    pub product: Option<String>,
    pub category: Option<String>,
    pub priority: Option<Priority>,
    pub assignee_id: Option<Id>,
    /// Set true to take the assignee off the case.
    #[serde(default)]
    pub unassign: bool,
}

/// A move from one status to another, with the reason for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub to: CaseStatus,
    pub reason: Option<String>,
    /// For resolve: days until the follow-up is due.
    pub follow_up_days: Option<i64>,
}

/// An escalation decided by the escalation rules rather than by a person.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoEscalation {
    /// The reasons in one sentence each; the case's `escalation_reason`.
    pub reason: String,
    /// The reasons with their rules and evidence and the hand-over wording, stored as the
    /// case's `escalation`.
    pub detail: serde_json::Value,
    /// One key per reason; a reason whose key already escalated the case does not again.
    pub keys: Vec<String>,
}

/// What came of a follow-up.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpOutcome {
    /// done or skipped.
    pub status: FollowUpStatus,
    pub outcome: Option<String>,
    /// 1 (very unhappy) to 5 (delighted).
    pub satisfaction: Option<i64>,
}

/// Changes to a customer's value fields; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerChanges {
    pub name: Option<String>,
    pub tier: Option<String>,
    pub lifetime_value: Option<f64>,
    pub orders: Option<i64>,
    pub customer_since: Option<DateTime<Utc>>,
    pub email: Option<String>,
    pub handle: Option<String>,
}

/// Which cases to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub assignee_id: Option<Id>,
    pub escalated: Option<bool>,
    pub customer_id: Option<Id>,
    /// Only cases with an id below this one (the cursor).
    pub before_id: Option<Id>,
    pub limit: i64,
}

fn invalid(field: &str, message: impl Into<String>) -> DeskError {
    DeskError::Invalid {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// A required short text: present, not blank, and at most [`MAX_SHORT`] characters.
pub fn check_short(field: &str, value: &str) -> Result<(), DeskError> {
    if value.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    check_short_optional(field, Some(value))
}

/// An optional short text: when present, at most [`MAX_SHORT`] characters.
pub fn check_short_optional(field: &str, value: Option<&str>) -> Result<(), DeskError> {
    match value {
        Some(v) if v.chars().count() > MAX_SHORT => Err(invalid(
            field,
            format!("must be at most {MAX_SHORT} characters"),
        )),
        _ => Ok(()),
    }
}

/// A required long text: not blank and at most [`MAX_TEXT`] bytes.
pub fn check_text(field: &str, value: &str) -> Result<(), DeskError> {
    if value.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    check_text_optional(field, Some(value))
}

fn check_text_optional(field: &str, value: Option<&str>) -> Result<(), DeskError> {
    match value {
        Some(v) if v.len() > MAX_TEXT => {
            Err(invalid(field, format!("must be at most {MAX_TEXT} bytes")))
        }
        _ => Ok(()),
    }
}

fn check_email(field: &str, value: Option<&str>) -> Result<(), DeskError> {
    let Some(email) = value else { return Ok(()) };
    check_short(field, email)?;
    let (local, domain) = email.split_once('@').unwrap_or(("", ""));
    if local.is_empty() || domain.is_empty() || email.chars().any(char::is_whitespace) {
        return Err(invalid(
            field,
            "must be an e-mail address such as ana@example.com",
        ));
    }
    Ok(())
}

fn check_amount(field: &str, value: Option<f64>) -> Result<(), DeskError> {
    match value {
        Some(a) if !a.is_finite() || !(0.0..=1e12).contains(&a) => Err(invalid(
            field,
            "must be a non-negative amount below 1,000,000,000,000",
        )),
        _ => Ok(()),
    }
}

fn check_currency(field: &str, value: Option<&str>) -> Result<(), DeskError> {
    match value {
        Some(c) if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) => Err(invalid(
            field,
            "must be a three-letter ISO 4217 code such as USD",
        )),
        _ => Ok(()),
    }
}

impl NewCustomer {
    /// Checks every field, naming them under `prefix`.
    pub fn validate(&self, prefix: &str) -> Result<(), DeskError> {
        check_short(&format!("{prefix}name"), &self.name)?;
        check_email(&format!("{prefix}email"), self.email.as_deref())?;
        check_short_optional(&format!("{prefix}handle"), self.handle.as_deref())?;
        Ok(())
    }
}

impl NewCase {
    /// Checks every field before anything is written.
    pub fn validate(&self) -> Result<(), DeskError> {
        self.customer.validate("customer.")?;
        check_short("subject", &self.subject)?;
        check_short("channel", &self.channel)?;
        check_text("message.text", &self.message.text)?;
        check_short_optional("message.external_id", self.message.external_id.as_deref())?;
        check_short_optional("product", self.product.as_deref())?;
        check_short_optional("category", self.category.as_deref())?;
        check_short_optional("external_id", self.external_id.as_deref())?;
        Ok(())
    }
}

impl NewMessage {
    pub fn validate(&self) -> Result<(), DeskError> {
        check_text("text", &self.text)?;
        check_short_optional("author", self.author.as_deref())?;
        check_short_optional("channel", self.channel.as_deref())?;
        check_short_optional("external_id", self.external_id.as_deref())?;
        Ok(())
    }
}

impl NewAction {
    pub fn validate(&self) -> Result<(), DeskError> {
        check_short("kind", &self.kind)?;
        check_text("description", &self.description)
    }
}

impl NewOffer {
    pub fn validate(&self) -> Result<(), DeskError> {
        check_amount("amount", self.amount)?;
        check_currency("currency", self.currency.as_deref())?;
        check_text("reason", &self.reason)
    }
}

impl OfferDecision {
    pub fn validate(&self) -> Result<(), DeskError> {
        if self.status == OfferStatus::Proposed {
            return Err(invalid("status", "must be accepted, declined or withdrawn"));
        }
        check_text_optional("note", self.note.as_deref())
    }
}

impl NewCommitment {
    pub fn validate(&self) -> Result<(), DeskError> {
        check_text("description", &self.description)
    }
}

impl CommitmentUpdate {
    pub fn validate(&self) -> Result<(), DeskError> {
        if self.status == CommitmentStatus::Open {
            return Err(invalid("status", "must be kept, broken or cancelled"));
        }
        Ok(())
    }
}

impl CaseChanges {
    pub fn validate(&self) -> Result<(), DeskError> {
        if let Some(subject) = &self.subject {
            check_short("subject", subject)?;
        }
        check_short_optional("product", self.product.as_deref())?;
        check_short_optional("category", self.category.as_deref())?;
        if self.unassign && self.assignee_id.is_some() {
            return Err(invalid("unassign", "cannot both assign and unassign"));
        }
        Ok(())
    }
}

impl Transition {
    pub fn validate(&self) -> Result<(), DeskError> {
        check_text_optional("reason", self.reason.as_deref())?;
        if self.to == CaseStatus::Escalated
            && self.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(invalid("reason", "an escalation needs a reason"));
        }
        match self.follow_up_days {
            Some(d) if !(0..=365).contains(&d) => {
                Err(invalid("follow_up_days", "must be between 0 and 365"))
            }
            _ => Ok(()),
        }
    }
}

impl FollowUpOutcome {
    pub fn validate(&self) -> Result<(), DeskError> {
        if self.status == FollowUpStatus::Due {
            return Err(invalid("status", "must be done or skipped"));
        }
        if let Some(s) = self.satisfaction {
            if !(1..=5).contains(&s) {
                return Err(invalid("satisfaction", "must be between 1 and 5"));
            }
        }
        check_text_optional("outcome", self.outcome.as_deref())
    }
}

impl CustomerChanges {
    pub fn validate(&self) -> Result<(), DeskError> {
        if let Some(name) = &self.name {
            check_short("name", name)?;
        }
        check_short_optional("tier", self.tier.as_deref())?;
        check_amount("lifetime_value", self.lifetime_value)?;
        if self.orders.is_some_and(|o| o < 0) {
            return Err(invalid("orders", "must not be negative"));
        }
        check_email("email", self.email.as_deref())?;
        check_short_optional("handle", self.handle.as_deref())
    }
}

/// A user's name: 1 to 64 letters, digits, dots, dashes or underscores.
pub fn check_user_name(name: &str) -> Result<(), DeskError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "name",
            "must be 1 to 64 letters, digits, dots, dashes or underscores",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<(), DeskError>) -> Option<String> {
        match result {
            Err(DeskError::Invalid { field, .. }) => Some(field),
            _ => None,
        }
    }

    fn a_case() -> NewCase {
        NewCase {
            customer: NewCustomer {
                name: "Ana".into(),
                email: Some("ana@example.com".into()),
                handle: None,
            },
            subject: "Torn jacket".into(),
            channel: "email".into(),
            message: FirstMessage {
                text: "It arrived torn.".into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_case_passes() {
        assert_eq!(field_of(a_case().validate()), None);
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut NewCase);
        let table: Vec<(Spoil, &str)> = vec![
            (|c| c.customer.name = " ".into(), "customer.name"),
            (|c| c.customer.email = Some("nope".into()), "customer.email"),
            (|c| c.subject = "x".repeat(MAX_SHORT + 1), "subject"),
            (|c| c.channel = String::new(), "channel"),
            (
                |c| c.message.text = "y".repeat(MAX_TEXT + 1),
                "message.text",
            ),
        ];
        for (spoil, field) in table {
            let mut case = a_case();
            spoil(&mut case);
            assert_eq!(field_of(case.validate()).as_deref(), Some(field));
        }
    }

    #[test]
    fn an_escalation_without_a_reason_is_refused() {
        let t = Transition {
            to: CaseStatus::Escalated,
            reason: None,
            follow_up_days: None,
        };
        assert_eq!(field_of(t.validate()).as_deref(), Some("reason"));
    }

    #[test]
    fn satisfaction_runs_from_one_to_five() {
        for (s, ok) in [(0, false), (1, true), (5, true), (6, false)] {
            let o = FollowUpOutcome {
                status: FollowUpStatus::Done,
                outcome: None,
                satisfaction: Some(s),
            };
            assert_eq!(o.validate().is_ok(), ok, "{s}");
        }
    }

    #[test]
    fn user_names_are_plain() {
        assert!(check_user_name("ana.lopez").is_ok());
        assert!(check_user_name("ana lopez").is_err());
        assert!(check_user_name("").is_err());
    }
}
