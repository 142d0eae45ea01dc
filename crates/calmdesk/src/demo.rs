//! The demo cases that `calmdesk serve --demo` loads, so that a newcomer can try the API at once.
//!
//! The cases live in `demo.json`, next to this file, and are compiled into the binary. They cover
//! the situations calmdesk is built for: a late parcel, damaged and wrong items, a return outside
//! the window, a double charge, an abusive high-value customer, a legal threat, a public threat, a
//! sarcastic complaint and a polite exchange. Each case goes in through the same import path as a
//! real conversation, so loading is idempotent by external id: running it again changes nothing.

use anyhow::{bail, Context};
use calmdesk_desk::domain::{
    Actor, CaseChanges, CaseStatus, CustomerChanges, NewOffer, OfferDecision, OfferKind,
    OfferStatus, Transition,
};
use calmdesk_desk::import::{
    ImportedConversation, ImportedCustomer, ImportedDirection, ImportedMessage,
};
use calmdesk_desk::Store;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// The demo cases, as written in `demo.json`.
const DEMO_JSON: &str = include_str!("demo.json");

/// The channels a demo case may come in on.
const CHANNELS: &[&str] = &["email", "chat", "phone", "twitter", "store"];

/// The categories a demo case may have.
const CATEGORIES: &[&str] = &[
    "delivery",
    "damaged",
    "wrong_item",
    "sizing",
    "billing",
    "abuse",
    "legal",
    "public",
    "exchange",
];

/// The loyalty tiers a demo customer may have.
const TIERS: &[&str] = &["gold", "silver", "bronze", "guest"];

/// What loading the demo did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    pub cases_created: usize,
    pub cases_existing: usize,
}

/// One case of `demo.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCase {
    external_id: String,
    subject: String,
    channel: String,
    product: String,
    category: String,
    customer: DemoCustomer,
    messages: Vec<DemoMessage>,
    #[serde(default)]
    offers: Vec<DemoOffer>,
    status: String,
    #[serde(default)]
    escalation_reason: Option<String>,
}

/// The customer of a demo case, with the value fields an agent sees beside the conversation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCustomer {
    name: String,
    email: Option<String>,
    tier: Option<String>,
    lifetime_value: Option<f64>,
    orders: Option<i64>,
    customer_since_days: Option<i64>,
}

/// One message of a demo case; `minutes_ago` is counted back from the moment of loading.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMessage {
    direction: String,
    author: String,
    text: String,
    minutes_ago: i64,
}

/// An offer made on a demo case; a missing decision leaves it proposed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOffer {
    kind: String,
    amount: Option<f64>,
    reason: String,
    decision: Option<String>,
}

/// Reads and checks every demo case, so that a mistake in `demo.json` is found before anything
/// is written.
fn demo_cases() -> anyhow::Result<Vec<DemoCase>> {
    let cases: Vec<DemoCase> =
        serde_json::from_str(DEMO_JSON).context("demo.json is not a list of demo cases")?;
    let mut seen = std::collections::HashSet::new();
    for case in &cases {
        case.check()?;
        if !seen.insert(case.external_id.as_str()) {
            bail!("demo case {} appears twice", case.external_id);
        }
    }
    Ok(cases)
}

impl DemoCase {
    /// Checks the vocabularies and the order of the messages.
    fn check(&self) -> anyhow::Result<()> {
        let id = &self.external_id;
        if !CHANNELS.contains(&self.channel.as_str()) {
            bail!("demo case {id} has an unknown channel {:?}", self.channel);
        }
        if !CATEGORIES.contains(&self.category.as_str()) {
            bail!("demo case {id} has an unknown category {:?}", self.category);
        }
        if let Some(tier) = &self.customer.tier {
            if !TIERS.contains(&tier.as_str()) {
                bail!("demo case {id} has an unknown customer tier {tier:?}");
            }
        }
        if self.messages.len() < 2 {
            bail!("demo case {id} needs at least two messages");
        }
        for pair in self.messages.windows(2) {
            if pair[1].minutes_ago >= pair[0].minutes_ago {
                bail!("demo case {id} has messages out of order: minutes_ago must decrease");
            }
        }
        for message in &self.messages {
            self.direction(message)?;
        }
        self.offers()?;
        let status = self.status()?;
        if self.escalation_reason.is_some() && status != CaseStatus::Escalated {
            bail!("demo case {id} has an escalation reason but is not escalated");
        }
        Ok(())
    }

    /// The status the case should end up in.
    fn status(&self) -> anyhow::Result<CaseStatus> {
        let status = CaseStatus::parse(&self.status).with_context(|| {
            format!(
                "demo case {} has an unknown status {:?}; expected one of {}",
                self.external_id,
                self.status,
                CaseStatus::names()
            )
        })?;
        let has_reason = self
            .escalation_reason
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty());
        if status == CaseStatus::Escalated && !has_reason {
            bail!(
                "demo case {} is escalated but gives no escalation_reason",
                self.external_id
            );
        }
        Ok(status)
    }

    /// Who wrote a message, as the importer names it.
    fn direction(&self, message: &DemoMessage) -> anyhow::Result<ImportedDirection> {
        match message.direction.as_str() {
            "inbound" => Ok(ImportedDirection::Inbound),
            "outbound" => Ok(ImportedDirection::Outbound),
            "note" => Ok(ImportedDirection::Note),
            other => bail!(
                "demo case {} has a message with an unknown direction {other:?}; expected \
                 inbound, outbound or note",
                self.external_id
            ),
        }
    }

    /// The offers to make, each with the decision to record on it, if any.
    fn offers(&self) -> anyhow::Result<Vec<(NewOffer, Option<OfferStatus>)>> {
        let id = &self.external_id;
        self.offers
            .iter()
            .map(|offer| {
                let kind = OfferKind::parse(&offer.kind).with_context(|| {
                    format!(
                        "demo case {id} has an offer of unknown kind {:?}; expected one of {}",
                        offer.kind,
                        OfferKind::names()
                    )
                })?;
                let decision = match offer.decision.as_deref() {
                    None => None,
                    Some(text) => match OfferStatus::parse(text) {
                        Some(OfferStatus::Proposed) => None,
                        Some(status) => Some(status),
                        None => bail!(
                            "demo case {id} has an offer with an unknown decision {text:?}; \
                             expected accepted, declined, withdrawn or null"
                        ),
                    },
                };
                let new = NewOffer {
                    kind,
                    amount: offer.amount,
                    currency: None,
                    reason: offer.reason.clone(),
                };
                Ok((new, decision))
            })
            .collect()
    }

    /// The case as an imported conversation, with message times counted back from `now`.
    fn conversation(&self, now: DateTime<Utc>) -> anyhow::Result<ImportedConversation> {
        let messages = self
            .messages
            .iter()
            .enumerate()
            .map(|(index, message)| {
                Ok(ImportedMessage {
                    external_id: format!("{}:{index}", self.external_id),
                    direction: self.direction(message)?,
                    author: message.author.clone(),
                    text: message.text.clone(),
                    at: now - Duration::minutes(message.minutes_ago),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(ImportedConversation {
            references: Vec::new(),
            external_id: self.external_id.clone(),
            channel: self.channel.clone(),
            subject: self.subject.clone(),
            customer: ImportedCustomer {
                name: self.customer.name.clone(),
                email: self.customer.email.clone(),
                handle: None,
            },
            messages,
        })
    }

    /// The customer's value fields, with tenure counted back from `now`.
    fn customer_changes(&self, now: DateTime<Utc>) -> CustomerChanges {
        let customer = &self.customer;
        CustomerChanges {
            tier: customer.tier.clone(),
            lifetime_value: customer.lifetime_value,
            orders: customer.orders,
            customer_since: customer
                .customer_since_days
                .map(|d| now - Duration::days(d)),
            ..Default::default()
        }
    }
}

/// Loads the demo cases into the store. Idempotent: cases already present (by external id) are
/// left alone.
pub async fn load_demo(store: &Store) -> anyhow::Result<DemoSummary> {
    let cases = demo_cases()?;
    let actor = Actor::system("demo");
    let now = Utc::now();
    let mut summary = DemoSummary::default();
    for case in &cases {
        if load_case(store, case, now, &actor).await? {
            summary.cases_created += 1;
        } else {
            summary.cases_existing += 1;
        }
    }
    Ok(summary)
}

/// Loads one demo case, returning whether it was new. A case that is already there is left as
/// it is, so that anything a user did to it since is kept.
async fn load_case(
    store: &Store,
    case: &DemoCase,
    now: DateTime<Utc>,
    actor: &Actor,
) -> anyhow::Result<bool> {
    let id = &case.external_id;
    let outcome = store
        .import_conversation(&case.conversation(now)?, actor)
        .await
        .with_context(|| format!("cannot import demo case {id}"))?;
    if !outcome.case_created {
        return Ok(false);
    }
    let case_id = outcome.case_id;
    let changes = CaseChanges {
        product: Some(case.product.clone()),
        category: Some(case.category.clone()),
        ..Default::default()
    };
    store
        .update_case(case_id, &changes, actor)
        .await
        .with_context(|| format!("cannot set the product of demo case {id}"))?;
    let customer_id = store
        .get_case(case_id)
        .await
        .with_context(|| format!("cannot read back demo case {id}"))?
        .customer_id;
    store
        .update_customer(customer_id, &case.customer_changes(now), actor)
        .await
        .with_context(|| format!("cannot set the customer of demo case {id}"))?;
    for (new, decision) in case.offers()? {
        let offer = store
            .add_offer(case_id, &new, actor)
            .await
            .with_context(|| format!("cannot add an offer to demo case {id}"))?;
        if let Some(status) = decision {
            let decision = OfferDecision { status, note: None };
            store
                .decide_offer(case_id, offer.id, &decision, actor)
                .await
                .with_context(|| format!("cannot decide an offer on demo case {id}"))?;
        }
    }
    let steps: &[CaseStatus] = match case.status()? {
        CaseStatus::Open => &[],
        CaseStatus::Waiting => &[CaseStatus::Waiting],
        CaseStatus::Escalated => &[CaseStatus::Escalated],
        CaseStatus::Resolved => &[CaseStatus::Resolved],
        CaseStatus::Closed => &[CaseStatus::Resolved, CaseStatus::Closed],
    };
    for &to in steps {
        let reason = match to {
            CaseStatus::Escalated => case.escalation_reason.clone(),
            _ => None,
        };
        let transition = Transition {
            to,
            reason,
            follow_up_days: None,
        };
        store
            .transition(case_id, &transition, actor)
            .await
            .with_context(|| format!("cannot move demo case {id} to {to}"))?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calmdesk_desk::domain::CaseFilter;

    #[test]
    fn every_demo_case_parses_and_reads_in_order() {
        let cases = demo_cases().unwrap();
        assert_eq!(cases.len(), 10);
        for case in &cases {
            assert!(case.messages.len() >= 2, "{}", case.external_id);
            assert!(
                case.messages
                    .windows(2)
                    .all(|pair| pair[0].minutes_ago > pair[1].minutes_ago),
                "{}",
                case.external_id
            );
        }
    }

    #[tokio::test]
    async fn loading_twice_creates_each_case_once() {
        let db = calmdesk_desk::testing::sqlite();
        let store = Store::connect(&db.url).await.unwrap();

        let first = load_demo(&store).await.unwrap();
        assert_eq!(
            first,
            DemoSummary {
                cases_created: 10,
                cases_existing: 0
            }
        );
        let second = load_demo(&store).await.unwrap();
        assert_eq!(
            second,
            DemoSummary {
                cases_created: 0,
                cases_existing: 10
            }
        );
        assert_eq!(store.count_cases().await.unwrap(), 10);

        let escalated = store
            .list_cases(&CaseFilter {
                escalated: Some(true),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(escalated.items.len() >= 2, "{}", escalated.items.len());
        store.close().await;
    }
}
