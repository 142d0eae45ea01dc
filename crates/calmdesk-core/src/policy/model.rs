//! The policy file, as the types that a TOML policy is read into.
//!
//! Every section denies unknown fields, so a misspelt key is an error with its line rather than
//! a rule that silently does nothing. Values that must be checked beyond their type, such as a
//! window's number of days or an escalation condition, have their own readers here, so their
//! errors also carry the line they come from.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::facts::{Facts, OptionKind, Reason, Role};

/// A whole policy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Who the policy belongs to and how it is applied.
    pub policy: Header,
    /// Return windows, by category and tier.
    #[serde(default)]
    pub window: Vec<Window>,
    /// What each reason allows.
    #[serde(default)]
    pub reasons: BTreeMap<Reason, ReasonRule>,
    /// What is left for items sold as final sale.
    #[serde(default)]
    pub final_sale: Option<FinalSale>,
    /// Restocking fees taken from refunds, by reason and category.
    #[serde(default)]
    pub restocking_fee: Vec<RestockingFee>,
    /// Amounts above which a role must approve.
    #[serde(default)]
    pub approval: Vec<Approval>,
    /// What each role may give without approval.
    #[serde(default)]
    pub limits: BTreeMap<Role, Limits>,
    /// Limits on what one customer may receive over time.
    #[serde(default)]
    pub history: Option<History>,
    /// Signals that send a case to someone with more authority.
    #[serde(default)]
    pub escalation: Vec<Escalation>,
    /// Decision tables for rules the sections above do not cover.
    #[serde(default)]
    pub table: Vec<Table>,
    /// The file's own worked examples.
    #[serde(default)]
    pub example: Vec<Example>,
}

/// The `[policy]` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The name of the policy.
    pub name: String,
    /// The version of the policy, as the company numbers them.
    pub version: String,
    /// The currency of every amount, such as "USD".
    pub currency: String,
    /// How many days after a decision the agent follows up.
    #[serde(default)]
    pub follow_up_days: Option<u32>,
    /// The goodwill discount offered when a discount is allowed, in percent of the order.
    #[serde(default)]
    pub goodwill_discount_percent: Option<f64>,
    /// The options that the return window, receipt and packaging rules govern.
    #[serde(default = "default_window_covers")]
    pub window_covers: Vec<OptionKind>,
}

/// The options a return window governs when a file does not say.
fn default_window_covers() -> Vec<OptionKind> {
    vec![OptionKind::Refund, OptionKind::Return, OptionKind::Exchange]
}

/// Which date a window counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountsFrom {
    /// The day the order was delivered.
    Delivered,
    /// The day the order was bought.
    Purchased,
}

/// A fact that lets a customer return outside the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Waiver {
    /// The customer has a receipt.
    Receipt,
    /// The item is in its original packaging.
    Packaging,
}

/// One `[[window]]` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// The product category, or "*" for any.
    #[serde(default = "any")]
    pub category: String,
    /// The membership tier, or "*" for any.
    #[serde(default = "any")]
    pub tier: String,
    /// The length of the window in whole days; absent means no limit.
    #[serde(default, deserialize_with = "whole_days")]
    pub days: Option<u32>,
    /// Which date the window counts from.
    #[serde(default = "delivered")]
    pub counts_from: CountsFrom,
    /// Facts that allow a return even outside the window.
    #[serde(default)]
    pub waived_by: Vec<Waiver>,
}

/// The wildcard that matches any category or tier.
fn any() -> String {
    "*".to_string()
}

/// The date windows count from when a row does not say.
fn delivered() -> CountsFrom {
    CountsFrom::Delivered
}

/// Reads a window's days: a whole, non-negative number, never a string with a unit.
fn whole_days<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    use serde::de::Error;
    let value = toml::Value::deserialize(deserializer)?;
    match value {
        toml::Value::Integer(n) if n < 0 => Err(D::Error::custom(format!(
            "window days must not be negative, got {n}"
        ))),
        toml::Value::Integer(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| D::Error::custom(format!("window days {n} is too large"))),
        toml::Value::String(s) => Err(D::Error::custom(format!(
            "window in the wrong unit: write a whole number of days such as 30, not \"{s}\""
        ))),
        other => Err(D::Error::custom(format!(
            "window in the wrong unit: write a whole number of days, not {other}"
        ))),
    }
}

/// One `[reasons.<reason>]` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonRule {
    /// The options this reason allows, in the order they are offered.
    #[serde(default)]
    pub allows: Vec<OptionKind>,
    /// Whether the window-governed options need a receipt.
    #[serde(default)]
    pub needs_receipt: bool,
    /// Whether the window-governed options need the original packaging.
    #[serde(default)]
    pub needs_packaging: bool,
    /// Whether the return window does not apply, as for defects under warranty.
    #[serde(default)]
    pub ignores_window: bool,
}

/// The `[final_sale]` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalSale {
    /// The options still possible for a final-sale item.
    #[serde(default)]
    pub allows: Vec<OptionKind>,
    /// Reasons for which the final-sale rule does not apply, such as defects.
    #[serde(default)]
    pub unless_reasons: Vec<Reason>,
}

/// One `[[restocking_fee]]` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestockingFee {
    /// The reason it applies to, or none for any.
    #[serde(default)]
    pub reason: Option<Reason>,
    /// The category it applies to, or "*" for any.
    #[serde(default = "any")]
    pub category: String,
    /// The fee in percent of the amount.
    pub percent: f64,
}

/// One `[[approval]]` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The amount above which approval is needed.
    pub over_amount: f64,
    /// The role that must approve.
    pub role: Role,
    /// The options it applies to; empty means every option that gives money.
    #[serde(default)]
    pub options: Vec<OptionKind>,
}

/// One `[limits.<role>]` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The largest discount this role may give, in percent.
    #[serde(default)]
    pub discount_percent: Option<f64>,
    /// The largest store credit this role may give.
    #[serde(default)]
    pub store_credit: Option<f64>,
}

/// The `[history]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The most a customer may receive in 90 days, this case included.
    pub max_concessions_90d: f64,
}

/// A condition that sends a case up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Trigger {
    /// A signal read from the conversation, such as "legal_threat".
    Signal(String),
    /// The customer has contacted support at least this many times.
    RepeatedContacts(u32),
    /// The customer's lifetime value is at least this much.
    HighValue(f64),
    /// The order is worth at least this much.
    OrderAmount(f64),
}

/// The signals an escalation rule may name: read from the customer's messages (the first four)
/// or from the case's record (the heat rising after the agent's last reply, an agent's policy
/// override, a promise past its due day).
pub const SIGNALS: [&str; 7] = [
    "legal_threat",
    "public_threat",
    "speak_to_manager",
    "abuse",
    "heat_rising",
    "policy_override",
    "promise_overdue",
];

impl Trigger {
    /// Reads a trigger such as "legal_threat" or "repeated_contacts >= 3".
    pub fn parse(text: &str) -> Result<Trigger, String> {
        let text = text.trim();
        if SIGNALS.contains(&text) {
            return Ok(Trigger::Signal(text.to_string()));
        }
        let Some((left, right)) = text.split_once(">=") else {
            return Err(format!(
                "unknown escalation condition \"{text}\"; use one of {} or \"repeated_contacts >= N\", \"high_value >= N\" or \"order_amount >= N\"",
                SIGNALS.join(", ")
            ));
        };
        let right = right.trim();
        match left.trim() {
            "repeated_contacts" => right
                .parse()
                .map(Trigger::RepeatedContacts)
                .map_err(|_| format!("\"{right}\" is not a whole number of contacts")),
            "high_value" => right
                .parse()
                .map(Trigger::HighValue)
                .map_err(|_| format!("\"{right}\" is not an amount")),
            "order_amount" => right
                .parse()
                .map(Trigger::OrderAmount)
                .map_err(|_| format!("\"{right}\" is not an amount")),
            other => Err(format!("unknown escalation measure \"{other}\"")),
        }
    }

    /// Whether the facts meet this trigger; `None` when a needed fact is missing.
    pub fn met(&self, facts: &Facts) -> Option<bool> {
        match self {
            Trigger::Signal(s) => Some(facts.signals.iter().any(|x| x == s)),
            Trigger::RepeatedContacts(n) => facts.contacts.map(|c| c >= *n),
            Trigger::HighValue(v) => facts.customer.lifetime_value.map(|x| x >= *v),
            Trigger::OrderAmount(v) => facts.order.amount.map(|x| x >= *v),
        }
    }
}

impl<'de> Deserialize<'de> for Trigger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Trigger::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One `[[escalation]]` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// When the rule fires.
    pub when: Trigger,
    /// What the agent is told.
    pub reason: String,
    /// Who takes the case; a manager when the file does not say.
    #[serde(default)]
    pub role: Option<Role>,
}

/// How a decision table picks its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hit {
    /// Only the first matching rule applies.
    First,
    /// Every matching rule applies.
    Collect,
}

/// One `[[table]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The name the trace uses.
    pub name: String,
    /// How rules are picked.
    pub hit: Hit,
    /// The rules, in order.
    #[serde(default)]
    pub rule: Vec<TableRule>,
}

/// One `[[table.rule]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRule {
    /// The conditions, all of which must hold.
    #[serde(default)]
    pub when: When,
    /// What happens when they hold.
    pub then: Then,
}

/// The conditions of a table rule; a condition left out always holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The customer's request.
    pub request: Option<OptionKind>,
    /// The reason.
    pub reason: Option<Reason>,
    /// The membership tier.
    pub tier: Option<String>,
    /// The product category.
    pub category: Option<String>,
    /// The order amount is below this.
    pub amount_below: Option<f64>,
    /// The order amount is at least this.
    pub amount_at_least: Option<f64>,
    /// The payment is at most this many days late.
    pub days_late_at_most: Option<i64>,
    /// The company's system does, or does not, confirm a company mistake.
    pub company_error: Option<bool>,
}

/// What a table rule does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Then {
    /// Options to add.
    #[serde(default)]
    pub offer: Vec<OptionKind>,
    /// Options to take away.
    #[serde(default)]
    pub forbid: Vec<OptionKind>,
    /// A role that must approve the options this rule offers.
    #[serde(default)]
    pub approval: Option<Role>,
    /// What the agent is told; when the rule offers nothing, it explains a decline.
    #[serde(default)]
    pub note: Option<String>,
    /// A question the agent must ask before anything is offered.
    #[serde(default)]
    pub ask: Option<String>,
}

/// One `[[example]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The example's name.
    pub name: String,
    /// The facts of the case.
    pub facts: Facts,
    /// The option kinds expected, in ranked order.
    #[serde(default)]
    pub expect_options: Vec<OptionKind>,
    /// The questions expected, in order.
    #[serde(default)]
    pub expect_questions: Vec<String>,
    /// Approvals expected, by option name.
    #[serde(default)]
    pub expect_approvals: BTreeMap<String, Role>,
}
