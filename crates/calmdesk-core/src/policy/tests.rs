//! Scenario, example, error and property tests for the policy engine.

use super::*;

/// The shipped general-retailer policy.
const DEFAULT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../policies/default.toml"
));

/// The shipped policy for the ABCD guidelines.
const ABCD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../policies/abcd.toml"
));

/// Reads the shipped general-retailer policy.
fn default_policy() -> Policy {
    parse("default.toml", DEFAULT).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_example_in_the_default_policy_passes() {
    let policy = default_policy();
    let results = run_examples(&policy);
    assert!(results.len() >= 8);
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn every_example_in_the_abcd_policy_passes() {
    let policy = parse("abcd.toml", ABCD).unwrap_or_else(|e| panic!("{e}"));
    let results = run_examples(&policy);
    assert!(results.len() >= 10);
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

/// Reads facts from JSON text.
fn facts(json: &str) -> Facts {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad facts {json}: {e}"))
}

/// One table-driven scenario against the default policy.
struct Scenario {
    name: &'static str,
    facts: &'static str,
    options: &'static [&'static str],
    approvals: &'static [(&'static str, &'static str)],
    questions: &'static [&'static str],
}

/// Checks that every option is backed by a rule that fired, named in the trace.
fn assert_trace_backs_options(outcome: &Outcome, context: &str) {
    for option in &outcome.options {
        assert!(
            !option.reasons.is_empty(),
            "{context}: {option:?} has no reasons"
        );
        let kind = option.kind.name();
        assert!(
            outcome
                .trace
                .iter()
                .any(|s| s.fired && s.rule == format!("offer {kind}")),
            "{context}: no trace step offers {kind}"
        );
        let prefixes: &[&str] = match option.kind {
            OptionKind::Escalate => &["escalation", "history", "table"],
            OptionKind::Decline => &["decline"],
            _ => &["reasons.", "table"],
        };
        assert!(
            outcome
                .trace
                .iter()
                .any(|s| s.fired && prefixes.iter().any(|p| s.rule.starts_with(p))),
            "{context}: no fired rule explains {kind}"
        );
    }
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "a late delivery earns a discount that needs a manager, and store credit",
        facts: r#"{"today":"2026-01-12","request":"discount","reason":"late_delivery","customer":{"tier":"silver","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":60,"final_sale":false}}"#,
        options: &["discount", "store_credit"],
        approvals: &[("discount", "manager")],
        questions: &[],
    },
    Scenario {
        name: "a damaged item may be exchanged, refunded or credited, the request first",
        facts: r#"{"today":"2026-05-12","request":"refund","reason":"damaged_in_transit","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"final_sale":false}}"#,
        options: &["refund", "exchange", "store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a wrong size outside the window leaves only store credit",
        facts: r#"{"today":"2026-03-12","request":"exchange","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a final-sale item in the wrong size is declined with an alternative",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":true,"final_sale":true}}"#,
        options: &["decline"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a defective final-sale item is still covered",
        facts: r#"{"today":"2026-01-12","request":"repair","reason":"defect","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"final_sale":true}}"#,
        options: &["repair", "exchange", "refund", "store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "without a receipt a wrong size gets store credit only",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":false,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a gold member may return after 45 days",
        facts: r#"{"today":"2026-02-24","request":"return","reason":"sizing","customer":{"tier":"gold","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["return", "exchange", "store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a bronze member may not return after 45 days",
        facts: r#"{"today":"2026-02-24","request":"return","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a high-value refund needs a manager's approval",
        facts: r#"{"today":"2026-01-12","request":"refund","reason":"damaged_in_transit","customer":{"tier":"silver","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":250,"final_sale":false}}"#,
        options: &["refund", "exchange", "store_credit"],
        approvals: &[("refund", "manager"), ("store_credit", "manager")],
        questions: &[],
    },
    Scenario {
        name: "a manager gives a high-value refund without further approval",
        facts: r#"{"today":"2026-01-12","request":"refund","reason":"damaged_in_transit","agent":{"role":"manager"},"customer":{"tier":"silver","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":250,"final_sale":false}}"#,
        options: &["refund", "exchange", "store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a missing delivery date becomes a question and holds back the return",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &["When was the order delivered?"],
    },
    Scenario {
        name: "a manager may give the goodwill discount alone",
        facts: r#"{"today":"2026-01-12","request":"discount","reason":"late_delivery","agent":{"role":"manager"},"customer":{"tier":"silver","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":60,"final_sale":false}}"#,
        options: &["discount", "store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "concessions over the 90-day limit withhold money and escalate",
        facts: r#"{"today":"2026-01-12","request":"refund","reason":"wrong_item","customer":{"tier":"silver","concessions_90d":290},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"final_sale":false}}"#,
        options: &["exchange", "escalate"],
        approvals: &[("escalate", "manager")],
        questions: &[],
    },
    Scenario {
        name: "a missing today is asked for",
        facts: r#"{"request":"return","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &["What is today's date?"],
    },
    Scenario {
        name: "an unreadable date is quoted back in the question",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"10/01/2026","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &[
            "The date \"10/01/2026\" is not a YYYY-MM-DD date. When was the order delivered?",
        ],
    },
    Scenario {
        name: "a missing reason is asked and nothing is offered or declined",
        facts: r#"{"today":"2026-01-12","request":"refund","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50}}"#,
        options: &[],
        approvals: &[],
        questions: &["Why does the customer ask for this?"],
    },
    Scenario {
        name: "a missing tier is asked because the gold window differs",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"sizing","customer":{"concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":50,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &["What is the customer's membership tier?"],
    },
    Scenario {
        name: "electronics bought on a whim pay a twenty percent restocking fee",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"change_of_mind","customer":{"tier":"bronze","concessions_90d":0},"order":{"delivered":"2026-01-10","amount":100,"category":"electronics","receipt":true,"original_packaging":true,"final_sale":false}}"#,
        options: &["return", "store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a large appliance is not taken back for a change of mind",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"change_of_mind","customer":{"tier":"bronze","concessions_90d":0},"order":{"delivered":"2026-01-10","amount":80,"category":"appliances","receipt":true,"original_packaging":true,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a legal threat adds an escalation after the remedies",
        facts: r#"{"today":"2026-01-12","request":"exchange","reason":"wrong_item","signals":["legal_threat"],"customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"final_sale":false}}"#,
        options: &["exchange", "refund", "escalate"],
        approvals: &[("escalate", "manager")],
        questions: &[],
    },
    Scenario {
        name: "a third contact escalates",
        facts: r#"{"today":"2026-01-12","request":"exchange","reason":"wrong_item","contacts":3,"customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"final_sale":false}}"#,
        options: &["exchange", "refund", "escalate"],
        approvals: &[("escalate", "manager")],
        questions: &[],
    },
    Scenario {
        name: "a reason the policy allows nothing for is declined with an alternative",
        facts: r#"{"today":"2026-01-12","request":"refund","reason":"other","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"final_sale":false}}"#,
        options: &["decline"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "a change of mind without the packaging gets store credit only",
        facts: r#"{"today":"2026-01-12","request":"return","reason":"change_of_mind","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":40,"receipt":true,"original_packaging":false,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &[],
    },
    Scenario {
        name: "store credit above the agent's limit needs a manager",
        facts: r#"{"today":"2026-01-12","request":"store_credit","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":150,"receipt":true,"final_sale":false}}"#,
        options: &["store_credit", "exchange", "return"],
        approvals: &[("store_credit", "manager")],
        questions: &[],
    },
    Scenario {
        name: "unknown recent concessions are asked and hold back money",
        facts: r#"{"today":"2026-01-12","request":"refund","reason":"wrong_item","customer":{"tier":"bronze"},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"final_sale":false}}"#,
        options: &["exchange"],
        approvals: &[],
        questions: &["How much has the customer already been given in the last 90 days?"],
    },
    Scenario {
        name: "an unknown receipt is asked for",
        facts: r#"{"today":"2026-01-12","request":"exchange","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"final_sale":false}}"#,
        options: &["store_credit"],
        approvals: &[],
        questions: &["Does the customer have a receipt or proof of purchase?"],
    },
    Scenario {
        name: "an unknown final-sale flag is asked for",
        facts: r#"{"today":"2026-01-12","request":"exchange","reason":"sizing","customer":{"tier":"bronze","concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"receipt":true}}"#,
        options: &[],
        approvals: &[],
        questions: &["Was the item sold as final sale?"],
    },
    Scenario {
        name: "a customer of long standing is escalated as well as helped",
        facts: r#"{"today":"2026-01-12","request":"exchange","reason":"wrong_item","customer":{"tier":"gold","lifetime_value":6000,"concessions_90d":0},"order":{"category":"clothing","delivered":"2026-01-10","amount":20,"final_sale":false}}"#,
        options: &["exchange", "refund", "escalate"],
        approvals: &[("escalate", "manager")],
        questions: &[],
    },
];

#[test]
fn every_scenario_gives_the_expected_options_approvals_and_questions() {
    let policy = default_policy();
    assert!(SCENARIOS.len() >= 20);
    for scenario in SCENARIOS {
        let outcome = evaluate(&policy, &facts(scenario.facts));
        let kinds: Vec<&str> = outcome.options.iter().map(|o| o.kind.name()).collect();
        assert_eq!(kinds, scenario.options, "{}", scenario.name);
        for option in &outcome.options {
            let expected = scenario
                .approvals
                .iter()
                .find(|(k, _)| *k == option.kind.name())
                .map(|(_, r)| r.to_string());
            assert_eq!(
                option.approval,
                expected,
                "{}: {}",
                scenario.name,
                option.kind.name()
            );
        }
        assert_eq!(outcome.questions, scenario.questions, "{}", scenario.name);
        assert_trace_backs_options(&outcome, scenario.name);
    }
}

#[test]
fn a_change_of_mind_return_takes_the_restocking_fee_off_the_amount() {
    let outcome = evaluate(&default_policy(), &facts(SCENARIOS[17].facts));
    assert_eq!(outcome.options[0].amount, Some(80.0));
    assert!(outcome
        .trace
        .iter()
        .any(|s| s.rule == "restocking_fee[1]" && s.fired));
}

#[test]
fn a_decline_names_the_goodwill_alternative_within_the_agents_limit() {
    let outcome = evaluate(&default_policy(), &facts(SCENARIOS[3].facts));
    let reasons = outcome.options[0].reasons.join(" ");
    assert!(reasons.contains("final-sale"), "{reasons}");
    assert!(
        reasons.contains("goodwill discount within the agent's limit (up to 5%)"),
        "{reasons}"
    );
}

#[test]
fn the_outcome_serialises_with_the_agreed_field_names() {
    let outcome = evaluate(&default_policy(), &facts(SCENARIOS[0].facts));
    let json = serde_json::to_value(&outcome).unwrap();
    let option = &json["options"][0];
    assert_eq!(option["kind"], "discount");
    assert_eq!(option["amount"], 6.0);
    assert_eq!(option["approval"], "manager");
    assert!(option["reasons"].is_array());
    assert!(json["questions"].is_array());
    let step = &json["trace"][0];
    assert!(step["rule"].is_string() && step["fired"].is_boolean() && step["why"].is_string());
}

/// A small valid policy, to which the error tests add one mistake.
const SMALL: &str = "[policy]\nname = \"t\"\nversion = \"1\"\ncurrency = \"USD\"\n";

#[test]
fn an_unknown_field_is_reported_with_its_line() {
    let text = format!("{SMALL}\n[reasons.sizing]\nallow = [\"exchange\"]\n");
    let error = parse("t.toml", &text).unwrap_err();
    assert_eq!(error.line, 7, "{error}");
    assert!(error.message.contains("allow"), "{error}");
    assert!(error.to_string().starts_with("t.toml:7: "), "{error}");
}

#[test]
fn a_window_with_a_unit_is_an_error_in_the_wrong_unit() {
    for days in ["\"30d\"", "\"1 month\"", "30.5"] {
        let text = format!("{SMALL}[[window]]\ndays = {days}\n");
        let error = parse("t.toml", &text).unwrap_err();
        assert!(error.message.contains("wrong unit"), "{error}");
        assert_eq!(error.line, 6, "{error}");
    }
}

#[test]
fn negative_days_are_an_error() {
    let error = parse("t.toml", &format!("{SMALL}[[window]]\ndays = -3\n")).unwrap_err();
    assert!(error.message.contains("negative"), "{error}");
    assert_eq!(error.line, 6);
}

#[test]
fn an_unknown_reason_or_option_name_is_an_error_with_its_line() {
    let reason = parse("t.toml", &format!("{SMALL}[reasons.bored]\nallows = []\n")).unwrap_err();
    assert_eq!(reason.line, 5, "{reason}");
    let option = parse(
        "t.toml",
        &format!("{SMALL}[reasons.sizing]\nallows = [\"hug\"]\n"),
    )
    .unwrap_err();
    assert_eq!(option.line, 6, "{option}");
    assert!(option.message.contains("hug"), "{option}");
}

#[test]
fn an_unknown_escalation_condition_is_an_error() {
    let text = format!("{SMALL}[[escalation]]\nwhen = \"moon_phase\"\nreason = \"x\"\n");
    let error = parse("t.toml", &text).unwrap_err();
    assert!(error.message.contains("moon_phase"), "{error}");
    assert_eq!(error.line, 6);
}

#[test]
fn a_syntax_error_names_its_line() {
    let error = parse("t.toml", &format!("{SMALL}[[window]\n")).unwrap_err();
    assert_eq!(error.line, 5, "{error}");
}

#[test]
fn a_first_hit_rule_that_an_earlier_rule_covers_is_an_overlap_error() {
    let text = format!(
        "{SMALL}[[table]]\nname = \"x\"\nhit = \"first\"\n\n[[table.rule]]\nwhen = {{ tier = \"gold\" }}\nthen = {{ offer = [\"refund\"] }}\n\n[[table.rule]]\nwhen = {{ tier = \"gold\", reason = \"defect\" }}\nthen = {{ offer = [\"repair\"] }}\n"
    );
    let error = parse("t.toml", &text).unwrap_err();
    assert!(error.message.contains("overlaps rule 1"), "{error}");
    assert_eq!(error.line, 13, "{error}");
    let collect = text.replace("\"first\"", "\"collect\"");
    assert!(parse("t.toml", &collect).is_ok());
}

#[test]
fn a_narrower_amount_after_a_wider_one_is_an_overlap_but_the_reverse_is_not() {
    let rules = |first: u32, second: u32| {
        format!(
            "{SMALL}[[table]]\nname = \"x\"\nhit = \"first\"\n[[table.rule]]\nwhen = {{ amount_below = {first} }}\nthen = {{}}\n[[table.rule]]\nwhen = {{ amount_below = {second} }}\nthen = {{}}\n"
        )
    };
    assert!(parse("t.toml", &rules(100, 10)).is_err());
    assert!(parse("t.toml", &rules(10, 100)).is_ok());
}

#[test]
fn a_table_rule_can_ask_a_question_and_so_holds_back_the_decline() {
    let text = format!(
        "{SMALL}[[table]]\nname = \"x\"\nhit = \"collect\"\n[[table.rule]]\nwhen = {{ reason = \"other\" }}\nthen = {{ ask = \"What happened exactly?\" }}\n"
    );
    let outcome = evaluate(
        &parse("t.toml", &text).unwrap(),
        &facts(r#"{"reason":"other","request":"refund"}"#),
    );
    assert_eq!(outcome.questions, ["What happened exactly?"]);
    assert!(outcome.options.is_empty());
}

#[test]
fn every_window_row_appears_in_the_trace() {
    let outcome = evaluate(&default_policy(), &facts(SCENARIOS[6].facts));
    for i in 0..3 {
        let name = format!("window[{i}]");
        assert!(
            outcome.trace.iter().any(|s| s.rule.starts_with(&name)),
            "{name}"
        );
    }
    assert!(outcome
        .trace
        .iter()
        .any(|s| s.rule.starts_with("window[1]") && s.fired));
}

#[test]
fn a_failing_example_is_reported_with_what_differed() {
    let text = format!(
        "{SMALL}[reasons.defect]\nallows = [\"repair\"]\n\n[[example]]\nname = \"wrong\"\nfacts = {{ request = \"repair\", reason = \"defect\" }}\nexpect_options = [\"refund\"]\n"
    );
    let results = run_examples(&parse("t.toml", &text).unwrap());
    assert!(!results[0].passed);
    assert!(
        results[0].details.contains("refund"),
        "{}",
        results[0].details
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Facts drawn from every field's plausible values, each possibly missing.
    fn any_facts() -> impl Strategy<Value = Facts> {
        let kinds = [
            "refund",
            "return",
            "exchange",
            "repair",
            "store_credit",
            "discount",
            "extension",
            "cancel",
        ];
        let reasons = [
            "defect",
            "damaged_in_transit",
            "wrong_item",
            "sizing",
            "colour",
            "change_of_mind",
            "late_delivery",
            "billing_error",
            "other",
        ];
        let tiers = ["gold", "silver", "bronze", "guest"];
        let categories = ["electronics", "appliances", "clothing", "subscription"];
        (
            (
                proptest::option::of(proptest::sample::select(kinds.to_vec())),
                proptest::option::of(proptest::sample::select(reasons.to_vec())),
                proptest::option::of(proptest::sample::select(tiers.to_vec())),
                proptest::option::of(proptest::sample::select(categories.to_vec())),
                proptest::option::of(0u32..400),
                proptest::option::of(0u32..400),
            ),
            (
                proptest::option::of(0.0f64..2000.0),
                proptest::option::of(0.0f64..400.0),
                proptest::option::of(any::<bool>()),
                proptest::option::of(any::<bool>()),
                proptest::option::of(any::<bool>()),
                proptest::option::of(0i64..5),
                proptest::option::of(any::<bool>()),
                proptest::option::of(0u32..5),
                proptest::option::of(proptest::sample::select(vec!["agent", "manager", "admin"])),
            ),
        )
            .prop_map(
                |(
                    (request, reason, tier, category, bought, delivered),
                    (amount, given, receipt, packaging, final_sale, late, error, contacts, role),
                )| {
                    let day = |n: u32| format!("2025-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
                    let mut facts = Facts {
                        today: Some("2026-01-15".to_string()),
                        request: request.map(|k| serde_json::from_value(k.into()).unwrap()),
                        reason: reason.map(|r| serde_json::from_value(r.into()).unwrap()),
                        contacts,
                        ..Facts::default()
                    };
                    facts.customer.tier = tier.map(str::to_string);
                    facts.customer.concessions_90d = given;
                    facts.order.category = category.map(str::to_string);
                    facts.order.purchased = bought.map(day);
                    facts.order.delivered = delivered.map(day);
                    facts.order.amount = amount;
                    facts.order.receipt = receipt;
                    facts.order.original_packaging = packaging;
                    facts.order.final_sale = final_sale;
                    facts.order.days_late = late;
                    facts.order.company_error = error;
                    facts.agent.role = role.map(|r| serde_json::from_value(r.into()).unwrap());
                    facts
                },
            )
    }

    proptest! {
        #[test]
        fn the_default_policy_never_offers_what_the_reason_forbids(facts in any_facts()) {
            let policy = default_policy();
            let outcome = evaluate(&policy, &facts);
            let allowed = facts
                .reason
                .and_then(|r| policy.reasons.get(&r))
                .map(|r| r.allows.clone())
                .unwrap_or_default();
            for option in &outcome.options {
                let meta = matches!(option.kind, OptionKind::Escalate | OptionKind::Decline);
                prop_assert!(meta || allowed.contains(&option.kind), "{:?}", option);
                let sale = policy.final_sale.as_ref().unwrap();
                if facts.order.final_sale == Some(true)
                    && !facts.reason.is_some_and(|r| sale.unless_reasons.contains(&r))
                {
                    prop_assert!(meta || sale.allows.contains(&option.kind), "{:?}", option);
                }
                let appliance = facts.order.category.as_deref() == Some("appliances");
                if appliance && facts.reason == Some(Reason::ChangeOfMind) {
                    prop_assert!(option.kind != OptionKind::Return, "the table forbids it");
                }
            }
        }

        #[test]
        fn every_option_has_a_trace_step_that_fired(facts in any_facts()) {
            for text in [DEFAULT, ABCD] {
                let policy = parse("p.toml", text).unwrap();
                let outcome = evaluate(&policy, &facts);
                assert_trace_backs_options(&outcome, "property");
            }
        }

        #[test]
        fn the_same_input_gives_the_same_outcome(facts in any_facts()) {
            for text in [DEFAULT, ABCD] {
                let policy = parse("p.toml", text).unwrap();
                let first = evaluate(&policy, &facts);
                let second = evaluate(&policy.clone(), &facts.clone());
                prop_assert_eq!(
                    serde_json::to_string(&first).unwrap(),
                    serde_json::to_string(&second).unwrap()
                );
            }
        }
    }
}

#[test]
fn a_decline_beside_an_escalation_points_to_it_as_the_alternative() {
    let policy = parse("abcd.toml", ABCD).unwrap();
    let outcome = evaluate(
        &policy,
        &facts(r#"{"request":"extension","reason":"other","customer":{"tier":"bronze"}}"#),
    );
    let decline = &outcome.options[0];
    assert_eq!(decline.kind, OptionKind::Decline);
    assert!(
        decline.reasons.join(" ").contains("escalation"),
        "{decline:?}"
    );
    assert_eq!(outcome.options[1].approval.as_deref(), Some("manager"));
}
