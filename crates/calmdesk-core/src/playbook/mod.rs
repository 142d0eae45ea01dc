//! The playbook: a whole case becomes a [`Plan`].
//!
//! A case is its messages, the customer's record, the offers and commitments made so far, and
//! any facts or policy overrides the agent entered. The plan says which stage of a de-escalation
//! the case has reached and why, what is done and what is left, wording built from the case's
//! own facts, the options the company policy allows, whether the case should go to a manager,
//! and, for managers only, what the customer costs to serve against what they bring.
//!
//! The stage is read in this order: the customer is venting when the last message is theirs, is
//! upset or hotter, and nobody has replied; an accepted offer means confirming it, or following
//! up once the agent asked whether it works; a proposed offer waits for agreement; otherwise the
//! case needs listening until a reply restates the issue, empathy while the company is at fault
//! and no reply has shown it, root-cause questions while the order number or the request is
//! unknown, and options after that.
//!
//! Every suggestion is written to stand on its own under the coach: when the conversation calls
//! for empathy, an owned apology, a question for the missing order number, a restatement before a
//! fix, or a boundary with the escalation path, the suggestion carries it.
//!
//! Escalation uses the policy file's `[[escalation]]` rules when it has any, and otherwise the
//! built-in ones (abuse aimed at the agent, legal and public threats, a request for a manager,
//! three or more contacts, a high lifetime value). A large order, heat that rises after the
//! agent's reply, an agent's override of the policy and an overdue promise always count.
//!
//! Everything is derived from the arguments: the current day comes in as `today`, so the same
//! input always gives the same plan.

use serde::{Deserialize, Serialize};

use crate::analysis::{self, HeatLevel, Models, Reading};
use crate::coach::checks::{apologies, Draft};
use crate::coach::{Role as TurnRole, Turn};
use crate::policy::{self, Day, Facts, OptionKind, Outcome, Policy, Reason};
use crate::rules::fault::{JOURNEYS, SERVICE_SUBJECTS};
use crate::rules::{extract_facts, FactKind, FaultSide};

#[cfg(test)]
mod tests;

/// One message of the case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseMessage {
    /// "inbound" from the customer, "outbound" from the agent, or "note" for internal notes.
    pub direction: String,
    pub text: String,
    /// When it was written, as an ISO date-time, when known.
    pub at: Option<String>,
}

/// The customer's record, as the desk keeps it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub tier: Option<String>,
    pub lifetime_value: Option<f64>,
    pub orders: Option<u32>,
    pub customer_since_days: Option<u32>,
    pub contacts: Option<u32>,
    /// Money or money's worth given to the customer so far.
    pub concessions: Option<f64>,
    pub abuse_incidents: Option<u32>,
    pub escalations: Option<u32>,
    pub policy_exceptions: Option<u32>,
    pub referrals: Option<u32>,
}

/// An offer made to the customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferInput {
    pub kind: String,
    pub amount: Option<f64>,
    /// "proposed", "accepted", "declined" or "withdrawn".
    pub status: String,
}

/// A promise made to the customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitmentInput {
    pub description: String,
    /// The day it is due, `YYYY-MM-DD` (a date-time is read by its date).
    pub due: String,
    /// "open", "kept", "broken" or "cancelled".
    pub status: String,
}

/// An agent's decision to go against the policy, with the reason they wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OverrideInput {
    pub option: String,
    pub reason: String,
}

/// Everything the playbook is told about a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseInput {
    /// The current day, `YYYY-MM-DD`.
    pub today: String,
    pub messages: Vec<CaseMessage>,
    pub customer: Option<CustomerInput>,
    pub offers: Vec<OfferInput>,
    pub commitments: Vec<CommitmentInput>,
    /// Facts the agent entered; each one given replaces what the playbook reads.
    pub facts: Option<Facts>,
    pub overrides: Vec<OverrideInput>,
    /// How many times the case went to a manager before.
    pub escalations: u32,
}

/// The action kind under which the desk records an agent's override of the policy; its
/// description reads `option: reason`.
pub const OVERRIDE_ACTION: &str = "policy_override";

/// A string field of a JSON object, when it is a string.
fn text_of(value: &serde_json::Value, key: &str) -> Option<String> {
    value.get(key).and_then(|v| v.as_str()).map(str::to_owned)
}

/// A number field of a JSON object, read from a number or a numeric string.
fn number_of(value: &serde_json::Value, key: &str) -> Option<f64> {
    match value.get(key)? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A count field of a JSON object.
fn count_of(value: &serde_json::Value, key: &str) -> Option<u32> {
    number_of(value, key)
        .filter(|n| *n >= 0.0)
        .map(|n| n.min(u32::MAX as f64) as u32)
}

impl CaseInput {
    /// Reads the desk's export of a case: `{"case", "customer", "timeline"}`. Anything missing
    /// or of the wrong type is left out rather than failing.
    pub fn from_export(value: &serde_json::Value, today: &str) -> CaseInput {
        let mut input = CaseInput {
            today: today.to_owned(),
            ..CaseInput::default()
        };
        if let Some(c) = value.get("customer").filter(|c| c.is_object()) {
            input.customer = Some(CustomerInput {
                name: text_of(c, "name"),
                tier: text_of(c, "tier"),
                lifetime_value: number_of(c, "lifetime_value"),
                orders: count_of(c, "orders"),
                customer_since_days: count_of(c, "customer_since_days"),
                contacts: count_of(c, "contacts"),
                concessions: number_of(c, "concessions"),
                abuse_incidents: count_of(c, "abuse_incidents"),
                escalations: count_of(c, "escalations"),
                policy_exceptions: count_of(c, "policy_exceptions"),
                referrals: count_of(c, "referrals"),
            });
            let since = text_of(c, "customer_since")
                .and_then(|t| Day::parse(t.get(..10).unwrap_or(&t)))
                .zip(Day::parse(today));
            if let (Some(customer), Some((since, today))) = (input.customer.as_mut(), since) {
                if customer.customer_since_days.is_none() {
                    customer.customer_since_days = u32::try_from(today.since(since)).ok();
                }
            }
        }
        if let Some(facts) = value
            .get("case")
            .and_then(|c| c.get("facts"))
            .and_then(|f| serde_json::from_value::<Facts>(f.clone()).ok())
        {
            input.facts = Some(facts);
        }
        let items = value
            .get("timeline")
            .and_then(|t| t.as_array())
            .cloned()
            .unwrap_or_default();
        for item in &items {
            match item.get("type").and_then(|t| t.as_str()).unwrap_or("") {
                "message" => input.messages.push(CaseMessage {
                    direction: text_of(item, "direction").unwrap_or_default(),
                    text: text_of(item, "text").unwrap_or_default(),
                    at: text_of(item, "created_at"),
                }),
                "offer" => input.offers.push(OfferInput {
                    kind: text_of(item, "kind").unwrap_or_default(),
                    amount: number_of(item, "amount"),
                    status: text_of(item, "status").unwrap_or_default(),
                }),
                "commitment" => input.commitments.push(CommitmentInput {
                    description: text_of(item, "description").unwrap_or_default(),
                    due: text_of(item, "due_at").unwrap_or_default(),
                    status: text_of(item, "status").unwrap_or_default(),
                }),
                "override" => input.overrides.push(OverrideInput {
                    option: text_of(item, "option").unwrap_or_default(),
                    reason: text_of(item, "reason").unwrap_or_default(),
                }),
                "action" => {
                    let kind = text_of(item, "kind").unwrap_or_default();
                    let description = text_of(item, "description").unwrap_or_default();
                    if kind == OVERRIDE_ACTION {
                        let (option, reason) =
                            description.split_once(':').unwrap_or((&description, ""));
                        input.overrides.push(OverrideInput {
                            option: option.trim().to_owned(),
                            reason: reason.trim().to_owned(),
                        });
                    } else if kind == "status_escalated" {
                        input.escalations += 1;
                    }
                }
                _ => {}
            }
        }
        input
    }
}

/// The stages of a de-escalation, in the order a case moves through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Vent,
    Listen,
    Empathise,
    RootCause,
    OfferOptions,
    Agree,
    Confirm,
    FollowUp,
}

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub step: String,
    pub done: bool,
    pub reason: String,
}

/// Wording built from the case's own facts; each piece reads well on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Suggested {
    pub restatement: Option<String>,
    pub empathy: String,
    pub apology: Option<String>,
    pub face_saving: Option<String>,
    pub questions: Vec<String>,
    pub options: Option<String>,
    pub timeline: String,
    pub satisfaction_question: String,
    pub boundary: Option<String>,
}

impl Suggested {
    /// Every suggestion, in the order an agent would use them.
    pub fn all(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        out.extend(self.restatement.as_deref());
        out.push(&self.empathy);
        out.extend(self.apology.as_deref());
        out.extend(self.face_saving.as_deref());
        out.extend(self.questions.iter().map(String::as_str));
        out.extend(self.options.as_deref());
        out.push(&self.timeline);
        out.push(&self.satisfaction_question);
        out.extend(self.boundary.as_deref());
        out
    }
}

/// One reason to escalate, with the rule that gave it and what in the case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationReason {
    pub rule: String,
    pub reason: String,
    pub evidence: String,
}

impl EscalationReason {
    /// What identifies this reason across plans of the same case: the rule and its evidence,
    /// but only the rule for counts that grow with every contact (so a fourth contact is not a
    /// new reason to escalate a case that a manager already took back for its third).
    pub fn key(&self) -> String {
        if self.rule == "repeated_contacts" || self.evidence.ends_with(" contacts about this case")
        {
            self.rule.clone()
        } else {
            format!("{}: {}", self.rule, self.evidence)
        }
    }
}

/// Whether the case goes to a manager, why, and the note that goes with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub escalate: bool,
    pub reasons: Vec<EscalationReason>,
    pub handover: Option<String>,
}

/// What a manager may decide about a customer relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Keep,
    KeepWithBoundaries,
    ManagerReview,
    PartWaysPolitely,
}

/// Advice for managers: what the customer costs to serve against what they bring. It is never
/// acted on automatically.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerWorth {
    pub recommendation: Recommendation,
    pub reasons: Vec<String>,
    pub agent_minutes: u32,
    pub cost_to_serve: f64,
    pub value: f64,
    /// A reminder that a person decides.
    pub note: String,
}

/// The plan for a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub stage: Stage,
    pub stage_reason: String,
    pub next_steps: Vec<Step>,
    pub suggested: Suggested,
    pub options: Option<Outcome>,
    pub escalation: Escalation,
    pub customer_worth: CustomerWorth,
}

/// Minutes an agent spends per message they write.
pub const MINUTES_PER_OUTBOUND: u32 = 4;
/// Minutes an agent spends reading a customer message.
pub const MINUTES_PER_INBOUND: u32 = 1;
/// The cost of one agent minute, in the policy's currency.
pub const COST_PER_MINUTE: f64 = 0.75;
/// The cost of handling one escalation.
pub const COST_PER_ESCALATION: f64 = 40.0;
/// The cost of one exception to the policy.
pub const COST_PER_EXCEPTION: f64 = 25.0;
/// The cost of one abuse incident to the team.
pub const COST_PER_ABUSE: f64 = 30.0;
/// The value of one referral.
pub const VALUE_PER_REFERRAL: f64 = 100.0;
/// Contacts at which a case goes to a manager when the policy does not say.
pub const REPEATED_CONTACTS: u32 = 3;
/// Lifetime value at which a case goes to a manager when the policy does not say.
pub const HIGH_LIFETIME_VALUE: f64 = 5000.0;
/// Order amount at which a case goes to a manager.
pub const HIGH_ORDER_AMOUNT: f64 = 500.0;
/// How much the heat must rise after the agent's reply to count as rising.
pub const HEAT_RISE: f32 = 0.05;
/// Follow-up days when the policy does not say.
pub const FOLLOW_UP_DAYS: u32 = 3;

/// A message of the case, read once.
struct Message<'a> {
    inbound: bool,
    text: &'a str,
    reading: Option<Reading>,
}

/// What the playbook reads in the whole case.
struct Case<'a> {
    input: &'a CaseInput,
    messages: Vec<Message<'a>>,
    turns: Vec<Turn>,
}

impl<'a> Case<'a> {
    /// Reads every customer message of the case once; notes are left out.
    fn new(input: &'a CaseInput, models: &Models) -> Case<'a> {
        let messages: Vec<Message> = input
            .messages
            .iter()
            .filter(|m| !m.direction.eq_ignore_ascii_case("note"))
            .map(|m| {
                let inbound = !m.direction.eq_ignore_ascii_case("outbound");
                Message {
                    inbound,
                    text: &m.text,
                    reading: inbound.then(|| analysis::read(models, &m.text)),
                }
            })
            .collect();
        let turns = messages
            .iter()
            .map(|m| Turn {
                role: if m.inbound {
                    TurnRole::Customer
                } else {
                    TurnRole::Agent
                },
                text: m.text.to_owned(),
            })
            .collect();
        Case {
            input,
            messages,
            turns,
        }
    }

    /// The Readings of the customer's messages, in order.
    fn readings(&self) -> impl Iterator<Item = &Reading> {
        self.messages.iter().filter_map(|m| m.reading.as_ref())
    }

    /// The agent's messages, in order.
    fn outbound(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().filter(|m| !m.inbound).map(|m| m.text)
    }

    /// The Reading of the last customer message.
    fn last_reading(&self) -> Option<&Reading> {
        self.readings().last()
    }
}

/// The conversation of a case as the coach reads it: customer and agent turns, notes left out.
pub fn conversation(input: &CaseInput) -> Vec<Turn> {
    input
        .messages
        .iter()
        .filter(|m| !m.direction.eq_ignore_ascii_case("note"))
        .map(|m| Turn {
            role: if m.direction.eq_ignore_ascii_case("outbound") {
                TurnRole::Agent
            } else {
                TurnRole::Customer
            },
            text: m.text.clone(),
        })
        .collect()
}

/// Words of a fault cue too vague to show that the agent restated the issue.
const VAGUE: &[&str] = &[
    "never", "still", "didn't", "wasn't", "haven't", "hasn't", "have", "been", "with", "that",
    "this", "what", "when", "supposed", "your", "they", "were", "would", "should", "again",
];

/// The words that show the agent restated the customer's issue.
fn issue_terms(case: &Case) -> Vec<String> {
    let mut terms = Vec::new();
    for reading in case.readings() {
        for fact in &reading.facts {
            if matches!(
                fact.kind,
                FactKind::OrderNumber | FactKind::Product | FactKind::Money | FactKind::Date
            ) {
                terms.push(fact.value.to_lowercase());
            }
        }
        for reason in &reading.fault.reasons {
            terms.extend(
                reason
                    .evidence
                    .text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| {
                        w.chars().count() >= 4 && !VAGUE.contains(&w.to_lowercase().as_str())
                    })
                    .map(str::to_lowercase),
            );
        }
    }
    terms.sort();
    terms.dedup();
    terms
}

/// The first fact of a kind in the customer's messages.
fn first_fact(case: &Case, kind: FactKind) -> Option<String> {
    case.readings()
        .flat_map(|r| r.facts.iter())
        .find(|f| f.kind == kind)
        .map(|f| f.value.clone())
}

/// The first money amount the customer names.
fn first_amount(case: &Case) -> Option<f64> {
    case.readings()
        .flat_map(|r| r.facts.iter())
        .find(|f| f.kind == FactKind::Money)
        .and_then(|f| f.amount)
}

/// The fault reasons of the customer's messages, in order, without repeats.
fn fault_reasons(case: &Case) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for reading in case.readings() {
        for reason in &reading.fault.reasons {
            if !out.contains(&reason.reason) {
                out.push(reason.reason);
            }
        }
    }
    out
}

/// Whether any of the last three customer messages puts the fault on the company.
fn company_fault(case: &Case) -> bool {
    let readings: Vec<&Reading> = case.readings().collect();
    readings
        .iter()
        .skip(readings.len().saturating_sub(3))
        .any(|r| r.fault.side == FaultSide::Company)
}

/// Whether the last customer message puts the fault on the customer.
fn customer_fault(case: &Case) -> bool {
    case.last_reading()
        .is_some_and(|r| r.fault.side == FaultSide::Customer)
}

/// Whether any customer message aims abuse or a threat at the agent.
fn abusive(case: &Case) -> bool {
    case.readings()
        .any(|r| r.abuse.targets_agent || r.abuse.threat > 0.5)
}

/// The policy reason for the customer's fault reasons.
fn policy_reason(case: &Case) -> Option<Reason> {
    let defect = case.readings().any(|r| {
        let text = r.complaint_core.text.to_lowercase();
        [
            "stopped working",
            "doesn't work",
            "does not work",
            "defect",
            "faulty",
        ]
        .iter()
        .any(|w| text.contains(w))
    });
    fault_reasons(case).into_iter().find_map(|r| match r {
        "damaged_item" if defect => Some(Reason::Defect),
        "damaged_item" => Some(Reason::DamagedInTransit),
        "wrong_item" => Some(Reason::WrongItem),
        "late_delivery" => Some(Reason::LateDelivery),
        "double_charge" | "wrong_charge" => Some(Reason::BillingError),
        "wrong_size_ordered" => Some(Reason::Sizing),
        _ => None,
    })
}

/// What the customer asks for, from the intents and then plain words.
fn policy_request(case: &Case) -> Option<OptionKind> {
    let mut found = None;
    for reading in case.readings() {
        if reading.intents.get("get_refund") >= 0.5 {
            found = Some(OptionKind::Refund);
        } else if reading.intents.get("cancel_order") >= 0.5 {
            found = Some(OptionKind::Cancel);
        }
        let text = reading.complaint_core.text.to_lowercase();
        let word = [
            ("refund", OptionKind::Refund),
            ("money back", OptionKind::Refund),
            ("exchange", OptionKind::Exchange),
            ("replacement", OptionKind::Exchange),
            ("store credit", OptionKind::StoreCredit),
            ("discount", OptionKind::Discount),
            ("repair", OptionKind::Repair),
            ("return it", OptionKind::Return),
            ("send it back", OptionKind::Return),
        ]
        .iter()
        .find(|(w, _)| text.contains(w))
        .map(|(_, k)| *k);
        if word.is_some() {
            found = word;
        }
    }
    found
}

/// The signals the policy's escalation rules read.
fn signals(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    for intent in ["legal_threat", "public_threat", "speak_to_manager"] {
        if case.readings().any(|r| r.intents.get(intent) >= 0.5) {
            out.push(intent.to_owned());
        }
    }
    if abusive(case) {
        out.push("abuse".to_owned());
    }
    if heat_rise(case).is_some() {
        out.push("heat_rising".to_owned());
    }
    if !case.input.overrides.is_empty() {
        out.push("policy_override".to_owned());
    }
    if !overdue_promises(case).is_empty() {
        out.push("promise_overdue".to_owned());
    }
    out
}

/// The heat before and after the agent's last reply, when the customer's last message after it
/// is hotter than their message before it.
fn heat_rise(case: &Case) -> Option<String> {
    let at = case.messages.iter().rposition(|m| !m.inbound)?;
    let before = case.messages[..at]
        .iter()
        .rev()
        .find_map(|m| m.reading.as_ref())?;
    let after = case.messages[at + 1..]
        .iter()
        .rev()
        .find_map(|m| m.reading.as_ref())?;
    (after.heat.score > before.heat.score + HEAT_RISE).then(|| {
        format!(
            "heat {:.2} before the reply, {:.2} after",
            before.heat.score, after.heat.score
        )
    })
}

/// Each open promise whose due day is before today, described.
fn overdue_promises(case: &Case) -> Vec<String> {
    let Some(today) = Day::parse(&case.input.today) else {
        return Vec::new();
    };
    case.input
        .commitments
        .iter()
        .filter(|c| c.status.trim().eq_ignore_ascii_case("open"))
        .filter(|c| Day::parse(c.due.get(..10).unwrap_or(&c.due)).is_some_and(|due| due < today))
        .map(|c| format!("\"{}\" was due {}", c.description, c.due))
        .collect()
}

/// Each policy override an agent recorded, described.
fn override_evidence(case: &Case) -> Vec<String> {
    case.input
        .overrides
        .iter()
        .map(|o| format!("{}: {}", o.option, o.reason))
        .collect()
}

/// How many times the customer has been in touch about this case.
fn contacts(case: &Case) -> u32 {
    let said = case
        .readings()
        .flat_map(|r| r.facts.iter())
        .filter(|f| f.kind == FactKind::ContactCount)
        .map(|f| f.count.unwrap_or(2))
        .max()
        .unwrap_or(0);
    let inbound = case.messages.iter().filter(|m| m.inbound).count() as u32;
    said.max(inbound)
}

/// The policy facts: what the case shows, then every fact the agent entered on top.
fn facts_of(case: &Case) -> Facts {
    let customer = case.input.customer.clone().unwrap_or_default();
    let mut facts = Facts {
        today: Some(case.input.today.clone()).filter(|t| !t.is_empty()),
        request: policy_request(case),
        reason: policy_reason(case),
        signals: signals(case),
        contacts: Some(contacts(case)),
        ..Facts::default()
    };
    facts.customer.tier = customer.tier;
    facts.customer.lifetime_value = customer.lifetime_value;
    facts.customer.concessions_90d = customer.concessions;
    facts.order.amount = first_amount(case);
    let Some(agent) = &case.input.facts else {
        return facts;
    };
    macro_rules! over {
        ($($field:ident).+) => {
            if agent.$($field).+.is_some() {
                facts.$($field).+ = agent.$($field).+.clone();
            }
        };
    }
    over!(today);
    over!(request);
    over!(reason);
    over!(contacts);
    over!(customer.tier);
    over!(customer.lifetime_value);
    over!(customer.concessions_90d);
    over!(order.purchased);
    over!(order.delivered);
    over!(order.amount);
    over!(order.category);
    over!(order.receipt);
    over!(order.original_packaging);
    over!(order.final_sale);
    over!(order.days_late);
    over!(order.company_error);
    over!(agent.role);
    for signal in &agent.signals {
        if !facts.signals.contains(signal) {
            facts.signals.push(signal.clone());
        }
    }
    facts
}

/// Whether an offer has a status, ignoring case.
fn offer_is(offer: &OfferInput, status: &str) -> bool {
    offer.status.trim().eq_ignore_ascii_case(status)
}

/// What the agent's messages have already done.
struct Done {
    replied: bool,
    restated: bool,
    empathised: bool,
    apologies: usize,
    timeline: bool,
    satisfaction: bool,
}

/// What the agent's replies have done so far, read as the coach reads a draft.
fn done_of(case: &Case, terms: &[String]) -> Done {
    let mut done = Done {
        replied: false,
        restated: false,
        empathised: false,
        apologies: 0,
        timeline: false,
        satisfaction: false,
    };
    for text in case.outbound() {
        let draft = Draft::new(text, None);
        done.replied = true;
        done.restated |= draft.mentions_any(terms);
        done.apologies += apologies(text).len();
        done.empathised |= draft.reactions > 0 || !draft.apologies.is_empty() || draft.owned;
        done.timeline |= draft.timeline;
        done.satisfaction |= draft.satisfaction;
    }
    done
}

/// The stage of the case and why.
fn stage_of(case: &Case, done: &Done, order_known: bool, request_known: bool) -> (Stage, String) {
    let offers = &case.input.offers;
    let last_inbound = case.messages.last().is_some_and(|m| m.inbound);
    let hot = case
        .last_reading()
        .is_some_and(|r| r.heat.level >= HeatLevel::Upset);
    if last_inbound && hot && !done.replied {
        return (
            Stage::Vent,
            "the customer is still venting and nobody has replied yet".to_owned(),
        );
    }
    if offers.iter().any(|o| offer_is(o, "accepted")) {
        return if done.satisfaction {
            (
                Stage::FollowUp,
                "an offer was accepted and the agent asked whether it works".to_owned(),
            )
        } else {
            (
                Stage::Confirm,
                "an offer was accepted; confirm it works for the customer".to_owned(),
            )
        };
    }
    if offers.iter().any(|o| offer_is(o, "proposed")) {
        return (
            Stage::Agree,
            "an offer is on the table and the customer has not accepted it".to_owned(),
        );
    }
    if case.readings().next().is_none() {
        return (Stage::Listen, "there is no customer message yet".to_owned());
    }
    if !done.restated {
        return (
            Stage::Listen,
            "no reply restates the customer's issue yet".to_owned(),
        );
    }
    if company_fault(case) && !done.empathised {
        return (
            Stage::Empathise,
            "the company is at fault and no reply has shown empathy or apologised".to_owned(),
        );
    }
    if !order_known || !request_known {
        let missing = match (order_known, request_known) {
            (false, false) => "the order number and what the customer wants are",
            (false, true) => "the order number is",
            _ => "what the customer wants is",
        };
        return (Stage::RootCause, format!("{missing} still unknown"));
    }
    let declined = offers.iter().any(|o| offer_is(o, "declined"));
    (
        Stage::OfferOptions,
        if declined {
            "the last offer was declined; offer other options".to_owned()
        } else {
            "the facts are known and no offer has been made yet".to_owned()
        },
    )
}

/// An amount in the policy's currency.
fn money(amount: f64, currency: &str) -> String {
    if currency.eq_ignore_ascii_case("USD") {
        format!("${amount:.2}")
    } else {
        format!("{amount:.2} {currency}")
    }
}

/// One option in words, such as "a full refund of $89.00".
fn option_words(option: &policy::PolicyOption, currency: &str, discount: Option<f64>) -> String {
    let of = |what: &str| match option.amount {
        Some(a) => format!("{what} of {}", money(a, currency)),
        None => what.to_owned(),
    };
    match option.kind {
        OptionKind::Refund => of("a full refund"),
        OptionKind::Return => of("a return with a refund"),
        OptionKind::Exchange => "an exchange".to_owned(),
        OptionKind::Repair => "a free repair".to_owned(),
        OptionKind::StoreCredit => of("store credit"),
        OptionKind::Discount => match discount {
            Some(p) => format!("a {p}% discount"),
            None => "a goodwill discount".to_owned(),
        },
        OptionKind::Extension => "more time to pay".to_owned(),
        OptionKind::Cancel => "cancelling the order".to_owned(),
        OptionKind::Escalate => "a review by my manager".to_owned(),
        OptionKind::Decline => "a look at the other choices with you".to_owned(),
    }
}

/// Items joined as "a, b or c".
fn either(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// What the customer says is failing: the first word of the service-failure evidence when it
/// names the thing ("app keeps crashing"), else "service" ("another outage").
fn failing_service(case: &Case) -> &'static str {
    case.readings()
        .flat_map(|r| &r.fault.reasons)
        .filter(|r| r.reason == "service_failure")
        .find_map(|r| {
            let first = r.evidence.text.split_whitespace().next()?.to_lowercase();
            SERVICE_SUBJECTS.iter().copied().find(|s| *s == first)
        })
        .unwrap_or("service")
}

/// A journey or booking the customer says was cancelled or delayed, restated: "your flight
/// was cancelled".
fn failed_journey(case: &Case) -> Option<String> {
    case.readings()
        .flat_map(|r| &r.fault.reasons)
        .filter(|r| r.reason == "service_failure")
        .find_map(|r| {
            let words: Vec<String> = r
                .evidence
                .text
                .split_whitespace()
                .map(str::to_lowercase)
                .collect();
            let journey = words.iter().find(|w| JOURNEYS.contains(&w.as_str()))?;
            let what = words.iter().find_map(|w| match w.as_str() {
                "cancelled" | "canceled" => Some("cancelled"),
                "delayed" => Some("delayed"),
                "late" => Some("late"),
                _ => None,
            })?;
            let verb = if journey.ends_with('s') {
                "were"
            } else {
                "was"
            };
            Some(format!("your {journey} {verb} {what}"))
        })
}

/// The issue in the customer's terms, in the second person.
fn restatement(case: &Case) -> Option<String> {
    let reasons = fault_reasons(case);
    if reasons.first() == Some(&"service_failure") {
        if let Some(journey) = failed_journey(case) {
            return Some(format!("So I have it right: {journey}."));
        }
        return Some(format!(
            "So I have it right: our {} is not working for you.",
            failing_service(case)
        ));
    }
    let product = first_fact(case, FactKind::Product);
    let order = first_fact(case, FactKind::OrderNumber);
    let what = match (&product, &order) {
        (Some(p), Some(o)) => Some(format!("your {p} (order {o})")),
        (Some(p), None) => Some(format!("your {p}")),
        (None, Some(o)) => Some(format!("your order {o}")),
        (None, None) => None,
    };
    let subject = what.clone().unwrap_or_else(|| "your order".to_owned());
    let problem = reasons.into_iter().find_map(|r| match r {
        "damaged_item" => Some("arrived damaged"),
        "wrong_item" => Some("was not the item you ordered"),
        "late_delivery" => Some("arrived late"),
        "lost_item" => Some("never reached you"),
        "double_charge" => Some("was charged twice"),
        "wrong_charge" => Some("was charged in error"),
        "wrong_size_ordered" => Some("does not fit"),
        "outside_return_window" => Some("is past the return window"),
        "broken_promise" => Some("did not get the follow-up we promised"),
        _ => None,
    });
    match (what, problem) {
        (None, None) => None,
        (_, Some(p)) => Some(format!("So I have it right: {subject} {p}.")),
        (Some(w), None) => Some(format!("So I have it right: this is about {w}.")),
    }
}

/// The customer's strongest feeling among those the wording fits.
fn feeling(case: &Case) -> &'static str {
    let Some(r) = case.last_reading() else {
        return "frustration";
    };
    let e = &r.emotions;
    let candidates = [
        ("frustration", e.get("anger").max(e.get("annoyance"))),
        ("worry", e.get("nervousness").max(e.get("fear"))),
        (
            "disappointment",
            e.get("disappointment").max(e.get("sadness")),
        ),
    ];
    let mut best = candidates[0];
    for c in candidates {
        if c.1 > best.1 {
            best = c;
        }
    }
    best.0
}

/// What a suggestion must carry so that the coach finds nothing to warn about on its own.
struct Needs {
    upset: bool,
    apologise: bool,
    ask: bool,
    boundary: bool,
    issue: Option<String>,
    empathy: String,
}

/// A calm boundary with an escalation path.
const BOUNDARY: &str = "I want to help, and I need us to keep this respectful. If you'd prefer, I can pass this to my manager.";
/// The question for a missing order number.
const ORDER_QUESTION: &str = "Could you share your order number so I can look into this?";
/// A short apology that owns the mistake.
const OWNED: &str = "I'm sorry, that was our mistake.";

/// A suggestion made whole: empathy, an owned apology, the missing question and the boundary
/// are added when the conversation calls for them and the suggestion lacks them.
fn whole(core: &str, needs: &Needs, fix: bool) -> String {
    let draft = Draft::new(core, None);
    let mut parts: Vec<String> = Vec::new();
    if needs.upset && draft.reactions == 0 {
        parts.push(needs.empathy.clone());
    }
    if needs.apologise && draft.apologies.is_empty() && !draft.owned {
        parts.push(OWNED.to_owned());
    }
    if fix {
        if let Some(issue) = &needs.issue {
            parts.push(issue.clone());
        }
    }
    parts.push(core.to_owned());
    if needs.ask && draft.questions.is_empty() {
        parts.push(ORDER_QUESTION.to_owned());
    }
    if needs.boundary && !(draft.boundary && draft.escalation) {
        parts.push(BOUNDARY.to_owned());
    }
    parts.join(" ")
}

/// Policy questions that the agent answers from the desk's own records, not by asking.
const FOR_THE_DESK: &[&str] = &[
    "today's date",
    "membership tier",
    "the system confirm",
    "already been given",
    "final sale",
    "category",
];

/// A policy question, written for the agent, as a question to the customer; `None` for one the
/// agent answers from the desk's records.
fn to_customer(question: &str) -> Option<String> {
    if FOR_THE_DESK.iter().any(|w| question.contains(w)) {
        return None;
    }
    Some(match question {
        "What does the customer ask for?" => {
            "What would be the best outcome for you here?".to_owned()
        }
        "Why does the customer ask for this?" => {
            "Could you tell me a little more about what went wrong?".to_owned()
        }
        "When was the order delivered?" => {
            "Could you tell me the day your order arrived?".to_owned()
        }
        "When was the order bought?" => {
            "Could you tell me the day you placed the order?".to_owned()
        }
        other => other
            .replace("Does the customer have", "Do you have")
            .replace("Is the customer", "Are you")
            .replace("the customer's", "your")
            .replace("the customer", "you")
            .replace("the order", "your order"),
    })
}

/// Builds the wording for the case.
fn suggested(
    case: &Case,
    done: &Done,
    order_known: bool,
    outcome: Option<&Outcome>,
    policy: Option<&Policy>,
    follow_up_days: u32,
) -> Suggested {
    let feeling = feeling(case);
    let empathy = match feeling {
        "worry" => "I understand this is worrying, and I'm here to sort it out with you.",
        "disappointment" => "I understand how disappointing this must be.",
        _ => "I understand how frustrating this must be.",
    }
    .to_owned();
    let upset = case
        .last_reading()
        .is_some_and(|r| r.heat.level >= HeatLevel::Upset);
    let at_fault = company_fault(case);
    let restated = restatement(case);
    let needs = Needs {
        upset,
        apologise: at_fault && done.apologies == 0,
        ask: !order_known,
        boundary: abusive(case),
        issue: restated.clone(),
        empathy: empathy.clone(),
    };
    let currency = policy.map_or("USD", |p| p.policy.currency.as_str());
    let discount = policy.and_then(|p| p.policy.goodwill_discount_percent);
    let apology = (at_fault && done.apologies == 0).then(|| {
        whole(
            "I'm sorry this happened; that was our mistake.",
            &needs,
            false,
        )
    });
    let face_saving = (customer_fault(case) && !at_fault).then(|| {
        whole(
            "I may be missing something, so let's look at this together.",
            &needs,
            false,
        )
    });
    let mut questions: Vec<String> = Vec::new();
    if !order_known {
        questions.push(ORDER_QUESTION.to_owned());
    }
    if policy_request(case).is_none() {
        questions.push("What would be the best outcome for you here?".to_owned());
    }
    if let Some(outcome) = outcome {
        for q in outcome.questions.iter().filter_map(|q| to_customer(q)) {
            if !questions.contains(&q) {
                questions.push(q);
            }
        }
    }
    let questions = questions.iter().map(|q| whole(q, &needs, false)).collect();
    let options = outcome.and_then(|o| {
        let words: Vec<String> = o
            .options
            .iter()
            .filter(|p| !matches!(p.kind, OptionKind::Decline | OptionKind::Escalate))
            .map(|p| option_words(p, currency, discount))
            .collect();
        (!words.is_empty()).then(|| {
            whole(
                &format!("I can offer {}. Which would you prefer?", either(&words)),
                &needs,
                true,
            )
        })
    });
    let timeline = whole(
        &format!(
            "Once you choose, I will arrange it within one business day, and I will check back with you in {follow_up_days} days."
        ),
        &needs,
        true,
    );
    let satisfaction_question = whole(
        "Does that work for you, or is there anything else I can do?",
        &needs,
        false,
    );
    let boundary = needs.boundary.then(|| whole(BOUNDARY, &needs, false));
    Suggested {
        restatement: restated.map(|r| whole(&r, &needs, false)),
        empathy: whole(&empathy, &needs, false),
        apology,
        face_saving,
        questions,
        options,
        timeline,
        satisfaction_question,
        boundary,
    }
}

/// The checklist, following the guides.
fn next_steps(
    case: &Case,
    done: &Done,
    order_known: bool,
    request_known: bool,
    stage: Stage,
    follow_up_days: u32,
) -> Vec<Step> {
    let offered = !case.input.offers.is_empty();
    let step = |step: &str, done: bool, yes: &str, no: &str| Step {
        step: step.to_owned(),
        done,
        reason: if done { yes } else { no }.to_owned(),
    };
    let needs_apology = company_fault(case);
    vec![
        step(
            "Let the customer vent without interrupting",
            done.replied,
            "the customer has had their say",
            "wait for the customer to finish before replying",
        ),
        step(
            "Restate the issue in the customer's terms",
            done.restated,
            "a reply names the order, the item or what went wrong",
            "no reply names the order, the item or what went wrong yet",
        ),
        step(
            "Empathise, and apologise once, owning the mistake",
            done.empathised || (!needs_apology && done.replied && !case_upset(case)),
            "a reply responds to how the customer feels",
            "no reply responds to how the customer feels yet",
        ),
        step(
            "Ask root-cause questions",
            order_known && request_known,
            "the order and what the customer wants are known",
            "the order number or what the customer wants is still missing",
        ),
        step(
            "Offer options",
            offered,
            "an offer has been made",
            "no offer has been made yet",
        ),
        step(
            "Set expectations with a timeline",
            done.timeline,
            "a reply says when things will happen",
            "no reply says when things will happen yet",
        ),
        step(
            "Confirm the customer is satisfied",
            done.satisfaction,
            "a reply asks whether the solution works",
            "no reply asks whether the solution works yet",
        ),
        Step {
            step: format!("Follow up in {follow_up_days} days"),
            done: false,
            reason: if stage == Stage::FollowUp {
                format!("schedule a check-in {follow_up_days} days from today")
            } else {
                "follow up once the case is resolved".to_owned()
            },
        },
    ]
}

/// Whether the last customer message is upset or hotter.
fn case_upset(case: &Case) -> bool {
    case.last_reading()
        .is_some_and(|r| r.heat.level >= HeatLevel::Upset)
}

/// The quoted words of the first piece of evidence for the rule intent `intent`.
fn quote(case: &Case, intent: &str) -> String {
    let rule = format!("intent.{intent}");
    case.readings()
        .flat_map(|r| r.intent_evidence.iter())
        .find(|e| e.rule == rule)
        .map(|e| format!("\"{}\"", e.text))
        .unwrap_or_else(|| format!("a customer message reads as {intent}"))
}

/// The reasons to escalate.
fn escalation(case: &Case, facts: &Facts, policy: Option<&Policy>, terms: &[String]) -> Escalation {
    let mut reasons: Vec<EscalationReason> = Vec::new();
    let mut add = |rule: &str, reason: &str, evidence: String| {
        reasons.push(EscalationReason {
            rule: rule.to_owned(),
            reason: reason.to_owned(),
            evidence,
        });
    };
    let abuse_count = case
        .readings()
        .filter(|r| r.abuse.targets_agent || r.abuse.threat > 0.5)
        .count();
    let evidence_for = |signal: &str| -> String {
        match signal {
            "abuse" => {
                format!("{abuse_count} customer message(s) aim abuse or threats at the agent")
            }
            "legal_threat" | "public_threat" | "speak_to_manager" => quote(case, signal),
            "heat_rising" => heat_rise(case).unwrap_or_default(),
            "policy_override" => override_evidence(case).join("; "),
            "promise_overdue" => overdue_promises(case).join("; "),
            other => other.to_owned(),
        }
    };
    let configured = policy.filter(|p| !p.escalation.is_empty());
    match configured {
        Some(p) => {
            for (i, rule) in p.escalation.iter().enumerate() {
                if rule.when.met(facts) == Some(true) {
                    let evidence = match &rule.when {
                        policy::model::Trigger::Signal(s) => evidence_for(s),
                        policy::model::Trigger::RepeatedContacts(_) => {
                            format!("{} contacts about this case", facts.contacts.unwrap_or(0))
                        }
                        policy::model::Trigger::HighValue(_) => format!(
                            "lifetime value {:.2}",
                            facts.customer.lifetime_value.unwrap_or(0.0)
                        ),
                        policy::model::Trigger::OrderAmount(_) => {
                            format!("order amount {:.2}", facts.order.amount.unwrap_or(0.0))
                        }
                    };
                    add(&format!("escalation[{i}]"), &rule.reason, evidence);
                }
            }
        }
        None => {
            let has = |s: &str| facts.signals.iter().any(|x| x == s);
            if has("abuse") {
                add(
                    "abuse",
                    "The customer aims abuse or threats at the agent; a manager takes over.",
                    evidence_for("abuse"),
                );
            }
            if has("legal_threat") {
                add(
                    "legal_threat",
                    "The customer mentions legal action; a manager handles it.",
                    evidence_for("legal_threat"),
                );
            }
            if has("public_threat") {
                add(
                    "public_threat",
                    "The customer threatens to go public; a manager handles it.",
                    evidence_for("public_threat"),
                );
            }
            if has("speak_to_manager") {
                add(
                    "speak_to_manager",
                    "The customer asked for a manager.",
                    evidence_for("speak_to_manager"),
                );
            }
            if let Some(c) = facts.contacts.filter(|c| *c >= REPEATED_CONTACTS) {
                add(
                    "repeated_contacts",
                    "This is the third contact or more; a manager takes ownership.",
                    format!("{c} contacts about this case"),
                );
            }
            if let Some(v) = facts
                .customer
                .lifetime_value
                .filter(|v| *v >= HIGH_LIFETIME_VALUE)
            {
                add(
                    "high_value",
                    "A high-value customer: a manager looks at the case personally.",
                    format!("lifetime value {v:.2}"),
                );
            }
            if let Some(a) = facts.order.amount.filter(|a| *a >= HIGH_ORDER_AMOUNT) {
                add(
                    "high_order_amount",
                    "The order is large enough that a manager should see the case.",
                    format!("order amount {a:.2}"),
                );
            }
            if let Some(evidence) = heat_rise(case) {
                add(
                    "heat_rising",
                    "The customer is more upset after the agent's reply; a fresh voice may help.",
                    evidence,
                );
            }
            for evidence in override_evidence(case) {
                add(
                    "policy_override",
                    "The agent went against the policy; a manager confirms it.",
                    evidence,
                );
            }
            for evidence in overdue_promises(case) {
                add(
                    "promise_overdue",
                    "A promise to the customer is past its due day.",
                    evidence,
                );
            }
        }
    }
    let escalate = !reasons.is_empty();
    let handover = escalate.then(|| {
        let heat = case
            .last_reading()
            .map_or("unknown", |r| r.heat.level.as_str());
        let issue = restatement(case).unwrap_or_else(|| "The issue is not yet clear.".to_owned());
        let why: Vec<&str> = reasons.iter().map(|r| r.reason.as_str()).collect();
        let offers: Vec<String> = case
            .input
            .offers
            .iter()
            .map(|o| format!("{} ({})", o.kind, o.status))
            .collect();
        format!(
            "Handover: {} Why: {} The customer's heat is {heat}. Offers so far: {}. Issue words: {}.",
            issue,
            why.join(" "),
            if offers.is_empty() {
                "none".to_owned()
            } else {
                offers.join(", ")
            },
            if terms.is_empty() {
                "none".to_owned()
            } else {
                terms.join(", ")
            }
        )
    });
    Escalation {
        escalate,
        reasons,
        handover,
    }
}

/// The figures a customer's worth is weighed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorthFigures {
    /// The cases they opened.
    pub cases: u32,
    /// Their messages, or the contacts they said they made when that is more.
    pub contacts: u32,
    /// Agent time estimated from the messages on both sides.
    pub agent_minutes: u32,
    /// Money or money's worth given to them: accepted offers and what the record says.
    pub concessions: f64,
    /// Agent overrides of the policy in their favour, and exceptions on record.
    pub policy_exceptions: u32,
    /// Messages that aim abuse or threats at the agent, and incidents on record.
    pub abuse_incidents: u32,
    /// Times their cases went to a manager.
    pub escalations: u32,
    pub orders: u32,
    pub lifetime_value: f64,
    pub tenure_days: u32,
    pub tier: Option<String>,
    pub referrals: u32,
}

/// A customer's worth across all their cases, with the figures it was weighed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerWorthReport {
    pub figures: WorthFigures,
    #[serde(flatten)]
    pub worth: CustomerWorth,
}

/// Whether an offer kind gives money or money's worth.
fn gives_money(kind: &str) -> bool {
    matches!(
        kind.trim().to_ascii_lowercase().as_str(),
        "refund" | "store_credit" | "discount" | "partial_refund" | "credit" | "goodwill"
    )
}

/// The figures of one case, without the customer's record.
fn case_figures(case: &Case) -> WorthFigures {
    let outbound = case.messages.iter().filter(|m| !m.inbound).count() as u32;
    let inbound = case.messages.iter().filter(|m| m.inbound).count() as u32;
    let abuse = case
        .readings()
        .filter(|r| r.abuse.targets_agent || r.abuse.threat > 0.5)
        .count() as u32;
    let accepted: f64 = case
        .input
        .offers
        .iter()
        .filter(|o| offer_is(o, "accepted") && gives_money(&o.kind))
        .filter_map(|o| o.amount)
        .sum();
    WorthFigures {
        cases: 1,
        contacts: contacts(case),
        agent_minutes: MINUTES_PER_OUTBOUND * outbound + MINUTES_PER_INBOUND * inbound,
        concessions: accepted,
        policy_exceptions: case.input.overrides.len() as u32,
        abuse_incidents: abuse,
        escalations: case.input.escalations,
        ..WorthFigures::default()
    }
}

impl WorthFigures {
    /// Adds what the customer's record says to what the cases show.
    fn add_record(&mut self, c: &CustomerInput) {
        self.contacts = self.contacts.max(c.contacts.unwrap_or(0));
        self.concessions += c.concessions.unwrap_or(0.0);
        self.policy_exceptions += c.policy_exceptions.unwrap_or(0);
        self.abuse_incidents += c.abuse_incidents.unwrap_or(0);
        self.escalations += c.escalations.unwrap_or(0);
        self.orders = c.orders.unwrap_or(0);
        self.lifetime_value = c.lifetime_value.unwrap_or(0.0);
        self.tenure_days = c.customer_since_days.unwrap_or(0);
        self.tier = c.tier.clone();
        self.referrals = c.referrals.unwrap_or(0);
    }

    /// The cost to serve against the value, as advice for a manager.
    fn weigh(&self, scope: &str) -> CustomerWorth {
        let cost = f64::from(self.agent_minutes) * COST_PER_MINUTE
            + f64::from(self.contacts) * 2.0
            + self.concessions
            + f64::from(self.policy_exceptions) * COST_PER_EXCEPTION
            + f64::from(self.abuse_incidents) * COST_PER_ABUSE
            + f64::from(self.escalations) * COST_PER_ESCALATION;
        let tier_bonus = match self.tier.as_deref().map(str::to_lowercase).as_deref() {
            Some("gold" | "platinum" | "vip") => 500.0,
            Some("silver") => 200.0,
            _ => 0.0,
        };
        let years = f64::from(self.tenure_days) / 365.0;
        let value = self.lifetime_value
            + f64::from(self.orders) * 10.0
            + years * 50.0
            + tier_bonus
            + f64::from(self.referrals) * VALUE_PER_REFERRAL;
        let abuse = self.abuse_incidents;
        let exceptions = self.policy_exceptions;
        let mut reasons = vec![
            format!("{} agent minutes {scope}", self.agent_minutes),
            format!("cost to serve {cost:.2} against value {value:.2}"),
        ];
        if abuse > 0 {
            reasons.push(format!("{abuse} abuse incident(s) on record"));
        }
        if exceptions > 0 {
            reasons.push(format!("{exceptions} policy exception(s)"));
        }
        if self.escalations > 0 {
            reasons.push(format!("{} escalation(s)", self.escalations));
        }
        let recommendation = if abuse >= 3 && cost > value {
            reasons.push("repeated abuse and the cost outweighs the value".to_owned());
            Recommendation::PartWaysPolitely
        } else if abuse >= 3 || (cost > value && value > 0.0) || (cost > value && abuse > 0) {
            reasons.push("a manager should weigh the relationship".to_owned());
            Recommendation::ManagerReview
        } else if abuse > 0 {
            reasons.push("the customer is worth keeping with clear boundaries".to_owned());
            Recommendation::KeepWithBoundaries
        } else {
            reasons.push("the relationship is sound".to_owned());
            Recommendation::Keep
        };
        CustomerWorth {
            recommendation,
            reasons,
            agent_minutes: self.agent_minutes,
            cost_to_serve: (cost * 100.0).round() / 100.0,
            value: (value * 100.0).round() / 100.0,
            note: "Advice for a manager only; nothing is done automatically.".to_owned(),
        }
    }
}

/// The cost to serve against the value of one case, as advice for a manager. Abuse counts once
/// per case here, as it always has in the plan.
fn customer_worth(case: &Case) -> CustomerWorth {
    let mut figures = case_figures(case);
    figures.abuse_incidents = figures.abuse_incidents.min(1);
    figures.concessions = 0.0;
    figures.escalations = 0;
    if let Some(c) = &case.input.customer {
        figures.add_record(c);
    }
    figures.weigh("on this case")
}

/// What a customer costs to serve against what they bring, across all their cases: contacts,
/// agent minutes, concessions, policy exceptions, abuse and escalations against orders,
/// lifetime value, tenure, tier and referrals. `customer` is their record; the cases' own
/// customer fields are not read.
pub fn customer_worth_of(
    customer: &CustomerInput,
    cases: &[CaseInput],
    models: &Models,
) -> CustomerWorthReport {
    let mut figures = WorthFigures::default();
    for input in cases {
        let one = case_figures(&Case::new(input, models));
        figures.cases += one.cases;
        figures.contacts += one.contacts;
        figures.agent_minutes += one.agent_minutes;
        figures.concessions += one.concessions;
        figures.policy_exceptions += one.policy_exceptions;
        figures.abuse_incidents += one.abuse_incidents;
        figures.escalations += one.escalations;
    }
    let counted_contacts = figures.contacts;
    figures.add_record(customer);
    figures.contacts = counted_contacts.max(customer.contacts.unwrap_or(0));
    figures.concessions = (figures.concessions * 100.0).round() / 100.0;
    let scope = format!("across {} case(s)", figures.cases);
    let worth = figures.weigh(&scope);
    CustomerWorthReport { figures, worth }
}

/// Plans a case: its stage, the checklist, wording, the policy's options, escalation and the
/// customer's worth.
pub fn plan(input: &CaseInput, models: &Models, policy: Option<&Policy>) -> Plan {
    let case = Case::new(input, models);
    let terms = issue_terms(&case);
    let done = done_of(&case, &terms);
    let facts = facts_of(&case);
    let order_known = case.turns.iter().any(|t| {
        extract_facts(&t.text)
            .iter()
            .any(|f| f.kind == FactKind::OrderNumber)
    });
    let request_known = facts.request.is_some();
    let (stage, stage_reason) = stage_of(&case, &done, order_known, request_known);
    let outcome = policy.map(|p| policy::evaluate(p, &facts));
    let follow_up_days = policy
        .and_then(|p| p.policy.follow_up_days)
        .unwrap_or(FOLLOW_UP_DAYS);
    let suggested = suggested(
        &case,
        &done,
        order_known,
        outcome.as_ref(),
        policy,
        follow_up_days,
    );
    let next_steps = next_steps(
        &case,
        &done,
        order_known,
        request_known,
        stage,
        follow_up_days,
    );
    let escalation = escalation(&case, &facts, policy, &terms);
    Plan {
        stage,
        stage_reason,
        next_steps,
        suggested,
        options: outcome,
        escalation,
        customer_worth: customer_worth(&case),
    }
}

/// Only the escalation part of the plan: what the desk asks when a message arrives, an agent
/// overrides the policy or a promise falls due. It is the same `escalation` that [`plan`] gives.
pub fn escalation_for(input: &CaseInput, models: &Models, policy: Option<&Policy>) -> Escalation {
    let case = Case::new(input, models);
    let terms = issue_terms(&case);
    let facts = facts_of(&case);
    escalation(&case, &facts, policy, &terms)
}

/// The policy facts the playbook derives for a case, for callers that evaluate it themselves.
pub fn facts(input: &CaseInput, models: &Models) -> Facts {
    facts_of(&Case::new(input, models))
}
