//! The facts of a case, as the desk hands them to the policy engine.
//!
//! Every field is optional, because an agent rarely knows everything at once. A fact that a rule
//! needs but that is missing becomes a question for the agent to ask; the engine never guesses.
//! Dates are plain ISO `YYYY-MM-DD` strings, read by the small parser in this file, so the core
//! needs no date crate and no clock: `today` is one of the facts.

use serde::{Deserialize, Serialize};

/// What the customer asks for, or what the engine may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    /// Money back to the original payment method.
    Refund,
    /// The item comes back; the money follows the return.
    Return,
    /// The item is swapped for another one.
    Exchange,
    /// The item is fixed.
    Repair,
    /// Credit to spend in the store instead of money back.
    StoreCredit,
    /// A goodwill discount.
    Discount,
    /// More time to pay.
    Extension,
    /// The order is cancelled.
    Cancel,
    /// The case goes to someone with more authority.
    Escalate,
    /// Nothing the customer asked for is allowed; an alternative is named.
    Decline,
}

impl OptionKind {
    /// The name used in policy files and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            OptionKind::Refund => "refund",
            OptionKind::Return => "return",
            OptionKind::Exchange => "exchange",
            OptionKind::Repair => "repair",
            OptionKind::StoreCredit => "store_credit",
            OptionKind::Discount => "discount",
            OptionKind::Extension => "extension",
            OptionKind::Cancel => "cancel",
            OptionKind::Escalate => "escalate",
            OptionKind::Decline => "decline",
        }
    }

    /// Whether this option gives the customer money or money's worth.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            OptionKind::Refund
                | OptionKind::Return
                | OptionKind::StoreCredit
                | OptionKind::Discount
        )
    }
}

/// Why the customer wants something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The item does not work as it should.
    Defect,
    /// The item arrived broken.
    DamagedInTransit,
    /// The customer received something they did not order.
    WrongItem,
    /// The item does not fit.
    Sizing,
    /// The colour is not what the customer expected.
    Colour,
    /// The customer no longer wants the item.
    ChangeOfMind,
    /// The order arrived late.
    LateDelivery,
    /// The customer was charged the wrong amount.
    BillingError,
    /// Anything else.
    Other,
}

impl Reason {
    /// The name used in policy files and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Defect => "defect",
            Reason::DamagedInTransit => "damaged_in_transit",
            Reason::WrongItem => "wrong_item",
            Reason::Sizing => "sizing",
            Reason::Colour => "colour",
            Reason::ChangeOfMind => "change_of_mind",
            Reason::LateDelivery => "late_delivery",
            Reason::BillingError => "billing_error",
            Reason::Other => "other",
        }
    }
}

/// The role of the person using the desk, from least to most authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A support agent.
    Agent,
    /// A team manager.
    Manager,
    /// An administrator with full authority.
    Admin,
}

impl Role {
    /// The name used in policy files and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }
}

/// What is known about the customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The membership tier, such as "gold" or "guest".
    pub tier: Option<String>,
    /// Everything the customer has spent with the company.
    pub lifetime_value: Option<f64>,
    /// Money or money's worth already given to the customer in the last 90 days.
    pub concessions_90d: Option<f64>,
}

/// What is known about the order in question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The day of purchase, `YYYY-MM-DD`.
    pub purchased: Option<String>,
    /// The day of delivery, `YYYY-MM-DD`.
    pub delivered: Option<String>,
    /// The amount paid for the item.
    pub amount: Option<f64>,
    /// The product category, such as "electronics".
    pub category: Option<String>,
    /// Whether the customer has a receipt or proof of purchase.
    pub receipt: Option<bool>,
    /// Whether the item is in its original packaging.
    pub original_packaging: Option<bool>,
    /// Whether the item was sold as final sale.
    pub final_sale: Option<bool>,
    /// For a payment extension: how many days late the payment is.
    pub days_late: Option<i64>,
    /// Whether the company's own system confirms that the company made the mistake.
    pub company_error: Option<bool>,
}

/// What is known about the person at the desk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The role, which decides what needs approval.
    pub role: Option<Role>,
}

/// Everything the engine is told about a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// The current day, `YYYY-MM-DD`; the engine has no clock of its own.
    pub today: Option<String>,
    /// What the customer asks for.
    pub request: Option<OptionKind>,
    /// Why the customer asks.
    pub reason: Option<Reason>,
    /// The customer.
    #[serde(default)]
    pub customer: Customer,
    /// The order.
    #[serde(default)]
    pub order: Order,
    /// The person at the desk.
    #[serde(default)]
    pub agent: Agent,
    /// Signals read from the conversation and the case: "legal_threat", "public_threat",
    /// "speak_to_manager", "abuse", "heat_rising", "policy_override", "promise_overdue".
    #[serde(default)]
    pub signals: Vec<String>,
    /// How many times the customer has contacted support about this case.
    pub contacts: Option<u32>,
}

/// A calendar day, counted in days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// Reads a strict ISO `YYYY-MM-DD` date; anything else, or an impossible day, is `None`.
    pub fn parse(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = &text[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let year = digits(0..4)?;
        let month = digits(5..7)?;
        let day = digits(8..10)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// The number of days from `earlier` to `self`; negative when `earlier` is later.
    pub fn since(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }
}

/// Whether a year has a 29th of February.
fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in a month of a year.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_day_of_1970_is_day_zero() {
        assert_eq!(Day::parse("1970-01-01"), Some(Day(0)));
    }

    #[test]
    fn a_leap_year_has_a_29th_of_february_and_other_years_do_not() {
        assert!(Day::parse("2024-02-29").is_some());
        assert!(Day::parse("2023-02-29").is_none());
        assert!(Day::parse("2000-02-29").is_some());
        assert!(Day::parse("1900-02-29").is_none());
    }

    #[test]
    fn days_between_dates_cross_months_and_years() {
        let a = Day::parse("2025-12-31").unwrap();
        let b = Day::parse("2026-03-01").unwrap();
        assert_eq!(b.since(a), 60);
        assert_eq!(a.since(b), -60);
    }

    #[test]
    fn malformed_dates_are_rejected() {
        for text in [
            "2026-1-01",
            "2026/01/01",
            "2026-13-01",
            "2026-04-31",
            "20260101",
            "abcd-ef-gh",
        ] {
            assert!(Day::parse(text).is_none(), "{text} should not parse");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panicking(text in "\\PC{0,12}") {
            let _ = Day::parse(&text);
        }

        #[test]
        fn a_written_date_reads_back_as_the_same_day(y in 1900i64..2200, m in 1i64..=12, d in 1i64..=27) {
            let day = Day::parse(&format!("{y:04}-{m:02}-{d:02}")).unwrap();
            proptest::prop_assert_eq!(day, Day(days_from_civil(y, m, d)));
            let next = Day::parse(&format!("{y:04}-{m:02}-{:02}", d + 1)).unwrap();
            proptest::prop_assert_eq!(next.since(day), 1);
        }
    }

    #[test]
    fn facts_read_from_json_with_nested_sections() {
        let facts: Facts = serde_json::from_str(
            r#"{"today":"2026-01-10","request":"refund","reason":"defect",
                "customer":{"tier":"gold"},"order":{"amount":80,"receipt":true},
                "agent":{"role":"manager"}}"#,
        )
        .unwrap();
        assert_eq!(facts.request, Some(OptionKind::Refund));
        assert_eq!(facts.order.amount, Some(80.0));
        assert_eq!(facts.agent.role, Some(Role::Manager));
    }

    #[test]
    fn an_unknown_fact_is_an_error() {
        let result: Result<Facts, _> = serde_json::from_str(r#"{"todya":"2026-01-10"}"#);
        assert!(result.is_err());
    }
}
