//! Tests of the playbook: table-driven cases with the shipped models and the default policy,
//! the coach's verdict on every suggestion, and properties of plans.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::coach::{self, DraftKind, Severity};
use crate::testing::models;

/// The default policy, parsed once.
fn default_policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        policy::parse(
            "default.toml",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../policies/default.toml"
            )),
        )
        .expect("the default policy parses")
    })
}

/// One table row: a case and what its plan must show.
struct Scenario {
    name: &'static str,
    messages: &'static [(&'static str, &'static str)],
    offers: &'static [(&'static str, &'static str)],
    commitments: &'static [(&'static str, &'static str)],
    customer: Option<(&'static str, f64)>,
    facts: Option<&'static str>,
    overrides: &'static [(&'static str, &'static str)],
    stage: Stage,
    /// The option kinds the policy gives, best first; `None` leaves them unchecked.
    options: Option<&'static [&'static str]>,
    /// Escalation rules that must be among the reasons.
    escalate: &'static [&'static str],
    /// Whether the case must escalate at all.
    escalates: bool,
}

const BLANK: Scenario = Scenario {
    name: "",
    messages: &[],
    offers: &[],
    commitments: &[],
    customer: None,
    facts: None,
    overrides: &[],
    stage: Stage::Listen,
    options: None,
    escalate: &[],
    escalates: false,
};

const TODAY: &str = "2026-01-20";

fn input_of(s: &Scenario) -> CaseInput {
    CaseInput {
        today: TODAY.to_owned(),
        messages: s
            .messages
            .iter()
            .map(|(d, t)| CaseMessage {
                direction: (*d).to_owned(),
                text: (*t).to_owned(),
                at: None,
            })
            .collect(),
        customer: Some(s.customer.unwrap_or(("bronze", 100.0))).map(|(tier, ltv)| CustomerInput {
            tier: Some(tier.to_owned()),
            lifetime_value: Some(ltv),
            concessions: Some(0.0),
            ..CustomerInput::default()
        }),
        offers: s
            .offers
            .iter()
            .map(|(k, st)| OfferInput {
                kind: (*k).to_owned(),
                amount: None,
                status: (*st).to_owned(),
            })
            .collect(),
        commitments: s
            .commitments
            .iter()
            .map(|(due, st)| CommitmentInput {
                description: "call the customer back".to_owned(),
                due: (*due).to_owned(),
                status: (*st).to_owned(),
            })
            .collect(),
        facts: s
            .facts
            .map(|f| serde_json::from_str(f).expect("the scenario's facts read")),
        overrides: s
            .overrides
            .iter()
            .map(|(o, r)| OverrideInput {
                option: (*o).to_owned(),
                reason: (*r).to_owned(),
            })
            .collect(),
        escalations: 0,
    }
}

const CLOTHING: &str = r#"{"customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":89}}"#;

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "a furious first message with no reply yet is venting",
            messages: &[("inbound", "This is RIDICULOUS. My jacket arrived torn and nobody cares, what a useless company!")],
            stage: Stage::Vent,
            ..BLANK
        },
        Scenario {
            name: "a calm first message with no reply waits to be restated",
            messages: &[("inbound", "Hello, my order A10234 arrived two weeks late. Could I get a discount?")],
            facts: Some(CLOTHING),
            stage: Stage::Listen,
            options: Some(&["discount", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a late delivery restated without empathy needs empathy",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late, two weeks after you promised."),
                ("outbound", "I see order A10234 arrived two weeks late."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::Empathise,
            options: Some(&["discount", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a late delivery with empathy and a known order is ready for options",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a discount."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            options: Some(&["discount", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a damaged item with a known order is offered an exchange or a refund",
            messages: &[
                ("inbound", "My rain jacket from order A10234 arrived torn. I want a refund."),
                ("outbound", "I'm sorry your rain jacket from order A10234 arrived torn; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            options: Some(&["refund", "exchange", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a damaged item without an order number asks for it",
            messages: &[
                ("inbound", "My rain jacket arrived torn. I want a refund."),
                ("outbound", "I'm sorry your rain jacket arrived torn; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "a wrong item sent is offered an exchange or a refund",
            messages: &[
                ("inbound", "You sent me the wrong item in order A10234. I want an exchange."),
                ("outbound", "I'm sorry we sent the wrong item in order A10234; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            options: Some(&["exchange", "refund"]),
            ..BLANK
        },
        Scenario {
            name: "a double charge is refunded",
            messages: &[
                ("inbound", "I was charged twice for order A10234. I want a refund."),
                ("outbound", "I'm sorry you were charged twice for order A10234; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            options: Some(&["refund"]),
            ..BLANK
        },
        Scenario {
            name: "a wrong size ordered within the window is offered an exchange",
            messages: &[
                ("inbound", "I ordered the wrong size in order A10234, it's too small. Can I get an exchange?"),
                ("outbound", "Thanks for letting me know order A10234 is too small; let's look at this together."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            options: Some(&["exchange", "return", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a wrong size outside the window leaves store credit",
            messages: &[
                ("inbound", "I ordered the wrong size in order A10234, it's too small. Can I return it?"),
                ("outbound", "Thanks for letting me know order A10234 is too small; let's look at this together."),
            ],
            facts: Some(r#"{"today":"2026-03-20","request":"return","reason":"sizing","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":40}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a gold member outside the basic window still has sixty days",
            messages: &[
                ("inbound", "I ordered the wrong size in order A10234. Can I return it?"),
                ("outbound", "Thanks for letting me know about order A10234; let's look at this together."),
            ],
            customer: Some(("gold", 900.0)),
            facts: Some(r#"{"today":"2026-03-01","request":"return","reason":"sizing","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":40}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["return", "exchange", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a final sale change of mind is declined with an alternative",
            messages: &[
                ("inbound", "I changed my mind about order A10234 and want a refund."),
                ("outbound", "Thanks for telling me about order A10234; let's look at this together."),
            ],
            facts: Some(r#"{"today":"2026-01-12","request":"refund","reason":"change_of_mind","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"original_packaging":true,"final_sale":true,"amount":30}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["decline"]),
            ..BLANK
        },
        Scenario {
            name: "an abusive high-value customer escalates for the high value",
            messages: &[("inbound", "You are an idiot. My order A10234 arrived late and you are useless, I want a refund.")],
            customer: Some(("gold", 12000.0)),
            facts: Some(CLOTHING),
            stage: Stage::Vent,
            escalate: &["escalation[3]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "a third contact escalates for repeated contacts",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake. I will check within 24 hours."),
                ("inbound", "Any news on order A10234?"),
                ("outbound", "I'm checking order A10234 with the courier and will reply by tomorrow."),
                ("inbound", "This is the third time I am writing about order A10234. I want a discount."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            escalate: &["escalation[2]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "a legal threat escalates",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I will contact my lawyer and take you to court."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            escalate: &["escalation[0]"],
            escalates: true,
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "a request for a manager escalates",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want to speak to your manager."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            escalate: &["escalation[1]"],
            escalates: true,
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "a sarcastic complaint below the venting heat waits to be restated",
            messages: &[("inbound", "Oh great, order A10234 arrived two weeks late again. Thanks for nothing, really stellar service.")],
            facts: Some(CLOTHING),
            stage: Stage::Listen,
            options: Some(&["discount", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a polite request with an order number waits to be restated",
            messages: &[("inbound", "Hi there, could you please help me exchange order A10234? Thank you so much.")],
            facts: Some(CLOTHING),
            stage: Stage::Listen,
            ..BLANK
        },
        Scenario {
            name: "an accepted offer without a satisfaction check is confirmed",
            messages: &[
                ("inbound", "My rain jacket from order A10234 arrived torn."),
                ("outbound", "I'm sorry your rain jacket from order A10234 arrived torn; that was our mistake. I can offer a refund or an exchange."),
                ("inbound", "The refund please."),
            ],
            offers: &[("refund", "accepted")],
            facts: Some(CLOTHING),
            stage: Stage::Confirm,
            ..BLANK
        },
        Scenario {
            name: "an accepted offer with a satisfaction check moves to follow up",
            messages: &[
                ("inbound", "My rain jacket from order A10234 arrived torn."),
                ("outbound", "I'm sorry your rain jacket from order A10234 arrived torn; that was our mistake."),
                ("inbound", "The refund please."),
                ("outbound", "The refund for order A10234 is on its way within 3 business days. Does that work for you?"),
            ],
            offers: &[("refund", "accepted")],
            facts: Some(CLOTHING),
            stage: Stage::FollowUp,
            ..BLANK
        },
        Scenario {
            name: "a proposed offer waits for agreement",
            messages: &[
                ("inbound", "My rain jacket from order A10234 arrived torn."),
                ("outbound", "I'm sorry your rain jacket from order A10234 arrived torn; that was our mistake. I can offer a refund or an exchange."),
            ],
            offers: &[("refund", "proposed")],
            facts: Some(CLOTHING),
            stage: Stage::Agree,
            ..BLANK
        },
        Scenario {
            name: "a declined offer goes back to options",
            messages: &[
                ("inbound", "My rain jacket from order A10234 arrived torn. I want a refund."),
                ("outbound", "I'm sorry your rain jacket from order A10234 arrived torn; that was our mistake."),
                ("inbound", "No, store credit is not enough."),
            ],
            offers: &[("store_credit", "declined")],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            // The refusal reads as more upset than the first message (heat 0.25, then 0.46),
            // so the rule for rising heat offers a manager too.
            escalate: &["escalation[7]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "an overdue promise escalates",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            commitments: &[("2026-01-15", "open")],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            escalate: &["escalation[9]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "a kept promise does not escalate",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            commitments: &[("2026-01-15", "kept")],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "a promise due later does not escalate",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            commitments: &[("2026-01-25", "open")],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "heat rising after the reply escalates",
            messages: &[
                ("inbound", "Hello, my order A10234 arrived two weeks late."),
                ("outbound", "Order A10234 was late."),
                ("inbound", "Are you KIDDING me?! That's all you have to say? This is a DISGRACE, you people are hopeless and I am furious!"),
            ],
            facts: Some(CLOTHING),
            stage: Stage::Empathise,
            escalate: &["escalation[7]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "an agent override escalates for confirmation",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a refund."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            overrides: &[("refund", "loyal customer, second late delivery")],
            stage: Stage::OfferOptions,
            escalate: &["escalation[8]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "agent facts override the reason read from the text",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a refund."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(r#"{"reason":"billing_error","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":89}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["refund"]),
            ..BLANK
        },
        Scenario {
            name: "a large appliance bought on a whim cannot be returned, only credited",
            messages: &[
                ("inbound", "I changed my mind about the fridge in order A10234. Can I return it?"),
                ("outbound", "Thanks for telling me about the fridge in order A10234; let's look at this together."),
            ],
            facts: Some(r#"{"request":"return","reason":"change_of_mind","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-15","category":"appliances","receipt":true,"original_packaging":true,"final_sale":false,"amount":150}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "an anxious customer with a lost parcel is asked what they need",
            messages: &[
                ("inbound", "I'm really worried, my parcel for order A10234 never arrived and it was a birthday present."),
                ("outbound", "I'm sorry order A10234 never arrived; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "an empty case is waiting for the customer",
            stage: Stage::Listen,
            ..BLANK
        },
        Scenario {
            name: "only internal notes is still waiting for the customer",
            messages: &[("note", "Customer called, will write in later.")],
            stage: Stage::Listen,
            ..BLANK
        },
        Scenario {
            name: "a large order escalates for its amount",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a discount."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(r#"{"customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":1500}}"#),
            stage: Stage::OfferOptions,
            escalate: &["escalation[6]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "a high-value customer under the threshold does not escalate",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a discount."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            customer: Some(("gold", 4999.0)),
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            ..BLANK
        },
        Scenario {
            name: "a high-value customer over the threshold escalates",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a discount."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            customer: Some(("gold", 5000.0)),
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            escalate: &["escalation[3]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "a defect is offered an exchange, a repair, a refund or credit",
            messages: &[
                ("inbound", "My kettle from order A10234 stopped working after a week. It is faulty. I want a refund."),
                ("outbound", "I'm sorry your kettle from order A10234 stopped working; let's look at this together."),
            ],
            facts: Some(r#"{"reason":"defect","customer":{"concessions_90d":0},"order":{"delivered":"2025-10-10","category":"home","receipt":true,"final_sale":false,"amount":80}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["refund", "exchange", "repair", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a missing delivery date becomes the policy's question",
            messages: &[
                ("inbound", "I ordered the wrong size in order A10234. Can I return it?"),
                ("outbound", "Thanks for letting me know about order A10234; let's look at this together."),
            ],
            facts: Some(r#"{"request":"return","reason":"sizing","customer":{"concessions_90d":0},"order":{"category":"clothing","receipt":true,"final_sale":false,"amount":40}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a customer who does not say what they want is asked",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            ..BLANK
        },
        Scenario {
            name: "an agent who already stated the request moves to options",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(r#"{"request":"discount","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":89}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["discount", "store_credit"]),
            ..BLANK
        },
        Scenario {
            name: "a public threat escalates under the default policy",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I will post about this on Twitter and leave a review."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::RootCause,
            escalate: &["escalation[5]"],
            escalates: true,
            ..BLANK
        },
        Scenario {
            name: "a withdrawn offer leaves the case ready for options",
            messages: &[
                ("inbound", "My order A10234 arrived two weeks late. I want a discount."),
                ("outbound", "I'm sorry order A10234 arrived late; that was our mistake."),
            ],
            offers: &[("discount", "withdrawn")],
            facts: Some(CLOTHING),
            stage: Stage::OfferOptions,
            ..BLANK
        },
        Scenario {
            name: "a reply that never names the issue stays at listening",
            messages: &[
                ("inbound", "My rain jacket from order A10234 arrived torn."),
                ("outbound", "Thanks for writing in, we value you."),
            ],
            facts: Some(CLOTHING),
            stage: Stage::Listen,
            ..BLANK
        },
        Scenario {
            name: "a calm request after a restated issue with no fault is ready for options",
            messages: &[
                ("inbound", "Could I exchange order A10234 for a larger size?"),
                ("outbound", "Of course, thanks for asking about order A10234."),
            ],
            facts: Some(r#"{"reason":"sizing","customer":{"concessions_90d":0},"order":{"delivered":"2026-01-10","category":"clothing","receipt":true,"final_sale":false,"amount":40}}"#),
            stage: Stage::OfferOptions,
            options: Some(&["exchange", "return", "store_credit"]),
            ..BLANK
        },
    ]
}

#[test]
fn every_scenario_gives_its_stage_options_and_escalation() {
    let mut failures = Vec::new();
    for s in scenarios() {
        let plan = plan(&input_of(&s), models(), Some(default_policy()));
        let kinds: Vec<&str> = plan
            .options
            .as_ref()
            .map(|o| o.options.iter().map(|p| p.kind.name()).collect())
            .unwrap_or_default();
        let rules: Vec<&str> = plan
            .escalation
            .reasons
            .iter()
            .map(|r| r.rule.as_str())
            .collect();
        let stage_ok = plan.stage == s.stage;
        let options_ok = s.options.is_none_or(|o| o == kinds.as_slice());
        let escalate_ok =
            plan.escalation.escalate == s.escalates && s.escalate.iter().all(|r| rules.contains(r));
        if !(stage_ok && options_ok && escalate_ok) {
            failures.push(format!(
                "{}: stage {:?} ({}), options {:?}, escalation {:?}, questions {:?}",
                s.name,
                plan.stage,
                plan.stage_reason,
                kinds,
                rules,
                plan.options.as_ref().map(|o| &o.questions)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn there_are_at_least_forty_scenarios() {
    assert!(
        scenarios().len() >= 40,
        "only {} scenarios",
        scenarios().len()
    );
}

#[test]
fn every_suggestion_passes_the_coach_without_warnings_or_errors() {
    let mut failures = Vec::new();
    for (s, with_policy) in scenarios()
        .into_iter()
        .map(|s| (s, true))
        .chain(scenarios().into_iter().map(|s| (s, false)))
    {
        let input = input_of(&s);
        let plan = plan(&input, models(), with_policy.then(default_policy));
        let turns = conversation(&input);
        for suggestion in plan.suggested.all() {
            let review = coach::review(models(), &turns, suggestion, DraftKind::Reply, &[]);
            for f in &review.findings {
                if f.severity >= Severity::Warning {
                    failures.push(format!(
                        "{}: {:?} got {} on {:?}",
                        s.name, suggestion, f.rule, f.text
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A case from the table, by name.
fn scenario(name: &str) -> Scenario {
    scenarios()
        .into_iter()
        .find(|s| s.name == name)
        .expect("the scenario exists")
}

#[test]
fn the_restatement_uses_the_product_order_and_fault() {
    let s = scenario("a damaged item with a known order is offered an exchange or a refund");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    let restatement = plan.suggested.restatement.expect("a restatement is given");
    assert!(restatement.contains("A10234"), "{restatement}");
    assert!(restatement.contains("arrived damaged"), "{restatement}");
}

/// A case's messages, as (direction, text).
type Messages = &'static [(&'static str, &'static str)];

/// The restatement the plan suggests for a case of these messages.
fn restatement_of(messages: Messages) -> String {
    let s = Scenario { messages, ..BLANK };
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    plan.suggested.restatement.expect("a restatement is given")
}

#[test]
fn a_failing_website_or_app_is_restated_as_such_not_as_a_damaged_order() {
    const CASES: [(Messages, &str); 3] = [
        (
            &[(
                "inbound",
                "I've tried to order and your website isn't working at all",
            )],
            "website",
        ),
        (
            &[("inbound", "Your app keeps crashing every time I pay")],
            "app",
        ),
        (
            &[("inbound", "Another outage tonight, this is the third one")],
            "service",
        ),
    ];
    for (messages, service) in CASES {
        let restatement = restatement_of(messages);
        let wanted = format!("So I have it right: our {service} is not working for you.");
        assert!(restatement.contains(&wanted), "{restatement}");
        assert!(!restatement.contains("damaged"), "{restatement}");
    }
}

#[test]
fn a_cancelled_journey_and_a_wrong_charge_are_restated_in_the_customer_s_terms() {
    const CASES: [(Messages, &str); 3] = [
        (
            &[("inbound", "My flight was canceled and nobody told me")],
            "So I have it right: your flight was cancelled.",
        ),
        (
            &[("inbound", "The trains were delayed again this morning")],
            "So I have it right: your trains were delayed.",
        ),
        (
            &[("inbound", "I cancelled in May and I'm still being charged")],
            "was charged in error.",
        ),
    ];
    for (messages, wanted) in CASES {
        let restatement = restatement_of(messages);
        assert!(restatement.contains(wanted), "{restatement}");
    }
}

#[test]
fn the_options_are_phrased_as_a_choice_with_amounts() {
    let s = scenario("a damaged item with a known order is offered an exchange or a refund");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    let options = plan.suggested.options.expect("options are given");
    assert!(options.contains("a full refund of $89.00"), "{options}");
    assert!(options.contains("Which would you prefer?"), "{options}");
}

#[test]
fn a_customer_who_erred_is_offered_face_saving_wording_and_no_apology() {
    let s = scenario("a wrong size ordered within the window is offered an exchange");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    assert!(plan.suggested.face_saving.is_some());
    assert!(plan.suggested.apology.is_none());
}

#[test]
fn an_abusive_customer_gets_a_boundary_with_an_escalation_path() {
    let s = scenario("an abusive high-value customer escalates for the high value");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    let boundary = plan.suggested.boundary.expect("a boundary is given");
    assert!(boundary.contains("manager"), "{boundary}");
}

#[test]
fn without_a_policy_the_default_rules_escalate_abuse_and_there_are_no_options() {
    let s = scenario("an abusive high-value customer escalates for the high value");
    let plan = plan(&input_of(&s), models(), None);
    assert!(plan.options.is_none());
    let rules: Vec<&str> = plan
        .escalation
        .reasons
        .iter()
        .map(|r| r.rule.as_str())
        .collect();
    assert!(rules.contains(&"abuse"), "{rules:?}");
    assert!(rules.contains(&"high_value"), "{rules:?}");
    assert!(plan.escalation.handover.is_some());
}

#[test]
fn a_case_that_does_not_escalate_has_no_handover() {
    let s = scenario("a kept promise does not escalate");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    assert!(!plan.escalation.escalate);
    assert!(plan.escalation.handover.is_none());
}

#[test]
fn the_checklist_follows_the_guides_in_order() {
    let s = scenario("an accepted offer with a satisfaction check moves to follow up");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    let steps: Vec<&str> = plan.next_steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps.len(), 8);
    assert_eq!(steps[7], "Follow up in 3 days");
    assert!(plan.next_steps[1].done, "the issue was restated");
    assert!(plan.next_steps[6].done, "satisfaction was asked");
}

#[test]
fn customer_worth_counts_agent_minutes_from_messages() {
    let s = scenario("a third contact escalates for repeated contacts");
    let plan = plan(&input_of(&s), models(), Some(default_policy()));
    assert_eq!(plan.customer_worth.agent_minutes, 2 * 4 + 3);
}

#[test]
fn a_costly_abusive_customer_is_for_a_manager_to_weigh() {
    let mut input = input_of(&scenario("a legal threat escalates"));
    input.customer = Some(CustomerInput {
        lifetime_value: Some(50.0),
        abuse_incidents: Some(4),
        concessions: Some(300.0),
        ..CustomerInput::default()
    });
    let plan = plan(&input, models(), None);
    assert_eq!(
        plan.customer_worth.recommendation,
        Recommendation::PartWaysPolitely
    );
    let mut loyal = input_of(&scenario("a legal threat escalates"));
    loyal.customer = Some(CustomerInput {
        lifetime_value: Some(8000.0),
        orders: Some(40),
        ..CustomerInput::default()
    });
    let plan = super::plan(&loyal, models(), None);
    assert_eq!(plan.customer_worth.recommendation, Recommendation::Keep);
}

#[test]
fn the_desk_export_is_read_leniently() {
    let export = serde_json::json!({
        "case": {"id": 7},
        "customer": {"tier": "gold", "lifetime_value": "1200", "orders": 12},
        "timeline": [
            {"type": "message", "direction": "inbound", "text": "My order A10234 arrived two weeks late.", "created_at": "2026-01-19T10:00:00Z"},
            {"type": "offer", "kind": "discount", "amount": 8.9, "status": "proposed"},
            {"type": "commitment", "description": "call back", "due_at": "2026-01-18T09:00:00Z", "status": "open"},
            {"type": "unknown"},
            "not an object"
        ]
    });
    let input = CaseInput::from_export(&export, TODAY);
    assert_eq!(input.messages.len(), 1);
    assert_eq!(input.offers.len(), 1);
    assert_eq!(
        input.customer.as_ref().and_then(|c| c.lifetime_value),
        Some(1200.0)
    );
    let plan = plan(&input, models(), Some(default_policy()));
    assert_eq!(plan.stage, Stage::Agree);
    assert!(plan
        .escalation
        .reasons
        .iter()
        .any(|r| r.rule == "escalation[9]" && r.reason.contains("past its due day")));
}

#[test]
fn a_case_reads_from_json_with_missing_fields() {
    let input: CaseInput = serde_json::from_str(
        r#"{"today":"2026-01-20","messages":[{"direction":"inbound","text":"Hello"}]}"#,
    )
    .expect("a sparse case reads");
    assert_eq!(input.messages.len(), 1);
    let plan = plan(&input, models(), None);
    assert!(serde_json::to_string(&plan).is_ok());
}

/// Builds a case from generated parts.
fn generated(
    texts: Vec<(bool, String)>,
    request: Option<usize>,
    reason: Option<usize>,
    amount: f64,
) -> CaseInput {
    const REQUESTS: [&str; 5] = ["refund", "return", "exchange", "store_credit", "discount"];
    const REASONS: [&str; 5] = [
        "defect",
        "sizing",
        "late_delivery",
        "change_of_mind",
        "wrong_item",
    ];
    let facts = Facts {
        request: request.map(|i| serde_json::from_value(serde_json::json!(REQUESTS[i])).unwrap()),
        reason: reason.map(|i| serde_json::from_value(serde_json::json!(REASONS[i])).unwrap()),
        customer: policy::Customer {
            concessions_90d: Some(0.0),
            ..policy::Customer::default()
        },
        order: policy::Order {
            amount: Some(amount),
            delivered: Some("2026-01-05".to_owned()),
            receipt: Some(true),
            ..policy::Order::default()
        },
        ..Facts::default()
    };
    CaseInput {
        today: TODAY.to_owned(),
        messages: texts
            .into_iter()
            .map(|(inbound, text)| CaseMessage {
                direction: if inbound { "inbound" } else { "outbound" }.to_owned(),
                text,
                at: None,
            })
            .collect(),
        facts: Some(facts),
        ..CaseInput::default()
    }
}

const WORDS: &[&str] = &[
    "my order A10234 arrived two weeks late",
    "the jacket arrived torn",
    "I want a refund",
    "you are useless",
    "I'm sorry, that was our mistake",
    "I will call my lawyer",
    "thanks",
    "can I get an exchange",
];

fn texts() -> impl Strategy<Value = Vec<(bool, String)>> {
    prop::collection::vec(
        (any::<bool>(), prop::collection::vec(0..WORDS.len(), 1..3)),
        0..4,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(b, idx)| {
                (
                    b,
                    idx.iter().map(|i| WORDS[*i]).collect::<Vec<_>>().join(". "),
                )
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn options_are_exactly_what_the_policy_allows_for_the_same_facts(
        texts in texts(),
        request in proptest::option::of(0usize..5),
        reason in proptest::option::of(0usize..5),
        amount in 1.0f64..2000.0,
    ) {
        let input = generated(texts, request, reason, amount);
        let plan = plan(&input, models(), Some(default_policy()));
        let direct = policy::evaluate(default_policy(), &facts(&input, models()));
        let given = plan.options.expect("a policy gives an outcome");
        let allowed: Vec<OptionKind> = direct.options.iter().map(|o| o.kind).collect();
        for option in &given.options {
            prop_assert!(allowed.contains(&option.kind), "{:?} is not allowed", option.kind);
        }
        prop_assert_eq!(given, direct);
    }

    #[test]
    fn the_trace_names_a_rule_for_every_option(
        texts in texts(),
        request in proptest::option::of(0usize..5),
        reason in proptest::option::of(0usize..5),
        amount in 1.0f64..2000.0,
    ) {
        let input = generated(texts, request, reason, amount);
        let plan = plan(&input, models(), Some(default_policy()));
        let outcome = plan.options.expect("a policy gives an outcome");
        for option in &outcome.options {
            let name = option.kind.name();
            prop_assert!(
                outcome.trace.iter().any(|t| t.fired && (t.why.contains(name) || t.rule.contains(name))),
                "no fired rule names {}", name
            );
        }
    }

    #[test]
    fn the_same_input_gives_the_same_plan(
        texts in texts(),
        request in proptest::option::of(0usize..5),
        reason in proptest::option::of(0usize..5),
        amount in 1.0f64..2000.0,
    ) {
        let input = generated(texts, request, reason, amount);
        let first = plan(&input, models(), Some(default_policy()));
        let second = plan(&input.clone(), models(), Some(default_policy()));
        prop_assert_eq!(first, second);
    }
}

#[test]
fn the_restatement_names_the_product_the_customer_ordered() {
    let input = CaseInput {
        today: TODAY.to_owned(),
        messages: vec![CaseMessage {
            direction: "inbound".to_owned(),
            text: "I ordered a blue rain jacket, order A10234, and it arrived torn.".to_owned(),
            at: None,
        }],
        ..CaseInput::default()
    };
    let plan = plan(&input, models(), Some(default_policy()));
    let restatement = plan.suggested.restatement.expect("a restatement is given");
    assert!(
        restatement.contains("your blue rain jacket (order A10234)"),
        "{restatement}"
    );
    assert!(restatement.contains("arrived damaged"), "{restatement}");
}

#[test]
fn the_escalation_alone_is_the_plans_escalation() {
    let policy = default_policy();
    for s in scenarios() {
        let input = input_of(&s);
        let plan = plan(&input, models(), Some(policy));
        assert_eq!(
            escalation_for(&input, models(), Some(policy)),
            plan.escalation,
            "{}",
            s.name
        );
    }
}

#[test]
fn an_escalation_reason_is_keyed_by_rule_and_evidence_but_contacts_by_rule_only() {
    let reason = |rule: &str, evidence: &str| EscalationReason {
        rule: rule.to_owned(),
        reason: "why".to_owned(),
        evidence: evidence.to_owned(),
    };
    assert_eq!(
        reason("legal_threat", "\"my lawyer\"").key(),
        "legal_threat: \"my lawyer\""
    );
    assert_eq!(
        reason("repeated_contacts", "3 contacts about this case").key(),
        reason("repeated_contacts", "4 contacts about this case").key()
    );
    assert_eq!(
        reason("escalation[2]", "3 contacts about this case").key(),
        "escalation[2]"
    );
    assert_ne!(
        reason("policy_override", "refund: loyal").key(),
        reason("policy_override", "refund: again").key()
    );
}

#[test]
fn the_desk_export_gives_overrides_escalations_and_tenure() {
    let export = serde_json::json!({
        "case": {"id": 1},
        "customer": {"name": "Ana", "customer_since": "2024-01-12T10:00:00Z", "orders": 4},
        "timeline": [
            {"type": "message", "direction": "inbound", "text": "Hello"},
            {"type": "action", "kind": "policy_override", "description": "refund: ten years a customer"},
            {"type": "action", "kind": "status_escalated", "description": "escalated: why"},
            {"type": "action", "kind": "called_customer", "description": "left a voicemail"}
        ]
    });
    let input = CaseInput::from_export(&export, "2026-01-12");
    assert_eq!(
        input.overrides,
        vec![OverrideInput {
            option: "refund".to_owned(),
            reason: "ten years a customer".to_owned()
        }]
    );
    assert_eq!(input.escalations, 1);
    let customer = input.customer.unwrap();
    assert_eq!(customer.customer_since_days, Some(731));
    assert_eq!(customer.orders, Some(4));
}

#[test]
fn a_customers_worth_adds_up_every_case() {
    let abusive = input_of(&scenario(
        "an abusive high-value customer escalates for the high value",
    ));
    let mut third = input_of(&scenario("a third contact escalates for repeated contacts"));
    third.offers = vec![OfferInput {
        kind: "refund".to_owned(),
        amount: Some(40.0),
        status: "accepted".to_owned(),
    }];
    third.overrides = vec![OverrideInput {
        option: "refund".to_owned(),
        reason: "goodwill".to_owned(),
    }];
    third.escalations = 1;
    let record = CustomerInput {
        tier: Some("silver".to_owned()),
        lifetime_value: Some(300.0),
        orders: Some(3),
        customer_since_days: Some(730),
        ..CustomerInput::default()
    };
    let one = customer_worth_of(&record, std::slice::from_ref(&abusive), models());
    let both = customer_worth_of(&record, &[abusive.clone(), third.clone()], models());
    assert_eq!(one.figures.cases, 1);
    assert_eq!(both.figures.cases, 2);
    assert!(both.figures.contacts > one.figures.contacts);
    assert!(both.figures.agent_minutes > one.figures.agent_minutes);
    assert_eq!(both.figures.concessions, 40.0);
    assert_eq!(both.figures.policy_exceptions, 1);
    assert_eq!(both.figures.escalations, 1);
    assert!(both.figures.abuse_incidents >= 1);
    assert_eq!(both.figures.tenure_days, 730);
    assert!(both.worth.cost_to_serve > one.worth.cost_to_serve);
    assert_eq!(both.worth.value, one.worth.value);
    assert!(both
        .worth
        .reasons
        .iter()
        .any(|r| r.contains("across 2 case(s)")));
    assert_ne!(both.worth.recommendation, Recommendation::Keep);
    // Nothing on record and nothing costly: keep.
    let polite = input_of(&scenario(
        "a polite request with an order number waits to be restated",
    ));
    let calm = customer_worth_of(&record, &[polite], models());
    assert_eq!(calm.worth.recommendation, Recommendation::Keep);
    // Three abusive cases that cost more than they bring: part ways politely.
    let cheap = CustomerInput::default();
    let abused = customer_worth_of(
        &cheap,
        &[abusive.clone(), abusive.clone(), abusive],
        models(),
    );
    assert_eq!(
        abused.worth.recommendation,
        Recommendation::PartWaysPolitely
    );
}

/// The default policy with its escalation rules replaced by `rules`.
fn default_policy_escalating_on(name: &str, rules: &str) -> Result<Policy, policy::PolicyError> {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/default.toml"
    ));
    let start = text
        .find("[[escalation]]")
        .expect("the default policy escalates");
    let end = text
        .find("# Decision tables")
        .expect("the default policy has tables");
    policy::parse(
        name,
        &format!("{}{rules}\n{}", &text[..start], &text[end..]),
    )
}

#[test]
fn the_case_level_escalation_rules_are_the_policy_files_to_keep_or_leave_out() {
    let s = scenario("an agent override escalates for confirmation");
    let input = input_of(&s);
    let only_heat = default_policy_escalating_on(
        "heat.toml",
        "[[escalation]]\nwhen = \"heat_rising\"\nreason = \"Hotter after our reply.\"\n",
    )
    .expect("a policy with one escalation rule parses");
    let plan_heat = plan(&input, models(), Some(&only_heat));
    assert!(
        !plan_heat.escalation.escalate,
        "an override escalates only when the file asks for it: {:?}",
        plan_heat.escalation.reasons
    );
    let with_override = default_policy_escalating_on(
        "override.toml",
        "[[escalation]]\nwhen = \"policy_override\"\nreason = \"A manager confirms overrides.\"\n",
    )
    .expect("a policy with the override rule parses");
    let plan_override = plan(&input, models(), Some(&with_override));
    let reasons = &plan_override.escalation.reasons;
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].rule, "escalation[0]");
    assert_eq!(reasons[0].reason, "A manager confirms overrides.");
    assert!(
        reasons[0].evidence.contains("loyal customer"),
        "{reasons:?}"
    );
    let built_in = plan(&input, models(), None);
    assert!(built_in
        .escalation
        .reasons
        .iter()
        .any(|r| r.rule == "policy_override"));
    let unknown = default_policy_escalating_on(
        "bad.toml",
        "[[escalation]]\nwhen = \"order_total >= 5\"\nreason = \"x\"\n",
    )
    .expect_err("an unknown measure is refused");
    assert_eq!(unknown.file, "bad.toml");
    assert!(unknown.message.contains("order_total"), "{unknown:?}");
}
