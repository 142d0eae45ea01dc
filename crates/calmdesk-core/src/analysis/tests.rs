//! Tests of the Reading with the shipped models: the spans the rules must find, the heat, the
//! JSON contract, messy input, and properties that hold for any text.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::{decode, read, HeatLevel, Reading};
use crate::rules::{FactKind, FaultSide};
use crate::span::Evidence;
use crate::testing::{assert_valid_evidence, models, strip_markers};

fn reading(text: &str) -> Reading {
    read(models(), text)
}

/// Every piece of evidence in a Reading that carries a rule.
fn all_evidence(reading: &Reading) -> Vec<Evidence> {
    let mut all = reading.heat.evidence.clone();
    all.extend(reading.abuse.spans.iter().cloned());
    all.extend(reading.intent_evidence.iter().cloned());
    all.extend(reading.facts.iter().map(|f| f.evidence.clone()));
    all.extend(reading.fault.reasons.iter().map(|r| r.evidence.clone()));
    all
}

/// The lists of a Reading in which evidence found by `rule` belongs, by name: abuse raises the
/// heat and is listed as abuse, shouting and sarcasm only raise the heat, a contact count is a
/// fact that raises the heat, legal and public threats are intents that raise the heat.
fn places<'a>(reading: &'a Reading, rule: &str) -> Vec<(&'static str, Vec<&'a Evidence>)> {
    let heat = ("heat.evidence", reading.heat.evidence.iter().collect());
    let abuse = ("abuse.spans", reading.abuse.spans.iter().collect());
    let facts = ("facts", reading.facts.iter().map(|f| &f.evidence).collect());
    let fault = (
        "fault.reasons",
        reading.fault.reasons.iter().map(|r| &r.evidence).collect(),
    );
    let intents = ("intent_evidence", reading.intent_evidence.iter().collect());
    match rule {
        "abuse.shouting" | "intent.sarcasm_cue" => vec![heat],
        "fact.contact_count" => vec![facts, heat],
        "intent.legal_threat" | "intent.public_threat" => vec![intents, heat],
        _ if rule.starts_with("abuse.") => vec![abuse, heat],
        _ if rule.starts_with("fact.") => vec![facts],
        _ if rule.starts_with("fault.") => vec![fault],
        _ if rule.starts_with("intent.") => vec![intents],
        _ => panic!("no place is known for the rule {rule}"),
    }
}

/// Reads `marked` without its `[[`…`]]` markers and asserts that the n-th marked span was found
/// by the n-th rule of `rules`, in every list where that rule's evidence belongs; every piece of
/// evidence in the Reading must quote the text. Returns the text and its Reading.
fn check(marked: &str, rules: &[&str]) -> (String, Reading) {
    let (text, spans) = strip_markers(marked);
    assert_eq!(
        spans.len(),
        rules.len(),
        "{marked:?} marks one span per expected rule"
    );
    let found = reading(&text);
    assert_valid_evidence(&text, &all_evidence(&found));
    for (&(start, end), &rule) in spans.iter().zip(rules) {
        for (place, list) in places(&found, rule) {
            assert!(
                list.iter()
                    .any(|e| e.start == start && e.end == end && e.rule == rule),
                "{:?} by {rule} is in {place} of {text:?}; found {list:?}",
                &text[start..end]
            );
        }
    }
    (text, found)
}

/// A marked message and the rules that must find its marked spans, in order.
type Case = (&'static str, &'static [&'static str]);

const CASES: &[Case] = &[
    ("where is my [[damn]] parcel", &["abuse.profanity"]),
    (
        "[[you are useless]], [[idiot]]",
        &["abuse.insult_at_agent", "abuse.insult_at_agent"],
    ),
    (
        "Where is my refund, [[you useless idiot]]? I paid [[$50]]!",
        &["abuse.insult_at_agent", "fact.money"],
    ),
    ("[[you people are morons]]", &["abuse.insult_at_agent"]),
    ("[[Fuck you]]", &["abuse.profanity_at_agent"]),
    (
        "[[Go to hell]], [[you clowns]]",
        &["abuse.profanity_at_agent", "abuse.insult_at_agent"],
    ),
    (
        "If my refund is not here [[tomorrow]] I will [[burn your store down]].",
        &["fact.date", "abuse.threat"],
    ),
    (
        "[[I will find you]] and [[hurt you]]",
        &["abuse.threat", "abuse.threat"],
    ),
    ("[[WHY IS THIS SO HARD]]?", &["abuse.shouting"]),
    (
        "I want to [[speak to a manager]]",
        &["intent.speak_to_manager"],
    ),
    (
        "If this is not fixed [[I will sue]] you.",
        &["intent.legal_threat"],
    ),
    ("I'll [[see you in court]].", &["intent.legal_threat"]),
    (
        "I am going to [[post this on twitter]] and [[leave a one star review]]",
        &["intent.public_threat", "intent.public_threat"],
    ),
    (
        "I will [[report you to the BBB]] and [[tell everyone]].",
        &["intent.legal_threat", "intent.public_threat"],
    ),
    (
        "[[Cancel my account]], [[I'm switching to]] Acme.",
        &["intent.cancel_relationship", "intent.cancel_relationship"],
    ),
    (
        "This is the [[third time I have contacted]] you about this.",
        &["fact.contact_count"],
    ),
    (
        "I have [[called 5 times]] and nobody helps.",
        &["fact.contact_count"],
    ),
    (
        "My order [[#A10234]] [[has not arrived]].",
        &["fact.order_number", "fault.late_delivery"],
    ),
    (
        "You [[charged me twice]], [[€45.50]] each time!",
        &["fault.double_charge", "fact.money"],
    ),
    (
        "I was [[charged twice]] for order [[12345678]]",
        &["fault.double_charge", "fact.order_number"],
    ),
    ("I have been waiting [[for 3 weeks]].", &["fact.duration"]),
    (
        "My [[jacket]] [[arrived broken]].",
        &["fact.product", "fault.damaged_item"],
    ),
    (
        "I paid [[£129.99]] for this and it [[arrived damaged]].",
        &["fact.money", "fault.damaged_item"],
    ),
    (
        "[[I ordered the wrong]] size, can I swap it?",
        &["fault.wrong_size_ordered"],
    ),
    ("Your agent [[was rude]] to me.", &["fault.rude_staff"]),
    (
        "It [[was supposed to arrive]] [[on 3 May]].",
        &["fault.late_delivery", "fact.date"],
    ),
    (
        "Email me at [[ana@example.com]] or call [[+44 20 7946 0958]]",
        &["fact.email", "fact.phone"],
    ),
    (
        "[[Oh great]], another delay. [[Thanks for nothing]].",
        &["intent.sarcasm_cue", "intent.sarcasm_cue"],
    ),
    (
        "[[Great, just great]]. My parcel is late again.",
        &["intent.sarcasm_cue"],
    ),
    (
        "[[Yeah right]], [[so helpful (not]]).",
        &["intent.sarcasm_cue", "intent.sarcasm_cue"],
    ),
    (
        "Où est mon colis [[#A100]] ? 😡 [[Fuck you]]",
        &["fact.order_number", "abuse.profanity_at_agent"],
    ),
    (
        "<html><body><p>Where is my order&nbsp;[[#A100]]?</p></body></html>",
        &["fact.order_number"],
    ),
    (
        "[[You are an idiot]] and [[I will sue]] you, this is the [[4th time I write]]",
        &[
            "abuse.insult_at_agent",
            "intent.legal_threat",
            "fact.contact_count",
        ],
    ),
];

#[test]
fn every_marked_span_is_found_by_its_rule_where_it_belongs() {
    assert!(CASES.len() >= 25);
    for (marked, rules) in CASES {
        check(marked, rules);
    }
}

#[test]
fn a_polite_thank_you_is_calm_or_annoyed_at_most_with_no_evidence() {
    for text in [
        "Thank you so much for your help!",
        "Thanks a lot, that was quick and helpful.",
        "Great service, thank you!",
    ] {
        let (_, found) = check(text, &[]);
        assert!(found.heat.level <= HeatLevel::Annoyed, "{text}: {found:?}");
        assert!(found.heat.evidence.is_empty(), "{text}");
        assert!(found.abuse.spans.is_empty() && !found.abuse.targets_agent);
        assert!(found.emotions.get("gratitude") >= 0.5, "{text}");
    }
}

#[test]
fn a_message_that_asks_for_nothing_reads_low_on_every_intent_and_a_request_reads_its_own() {
    let bitext = |found: &Reading| -> Vec<(String, f32)> {
        found
            .intents
            .iter()
            .filter(|(label, _)| !super::reading::RULE_INTENTS.contains(label))
            .map(|(label, p)| (label.to_owned(), p))
            .collect()
    };
    for text in [
        "Thanks for the quick help yesterday, everything works now!",
        "hello",
        "Have a nice day",
    ] {
        let found = reading(text);
        let intents = bitext(&found);
        assert_eq!(intents.len(), 27);
        assert!(intents.iter().all(|(_, p)| *p < 0.5), "{text}: {intents:?}");
        // The share for asking for none of them is left out, so the 27 sum to well under 1.
        let sum: f32 = intents.iter().map(|(_, p)| p).sum();
        assert!(sum < 0.5, "{text}: {sum}");
        assert_eq!(found.intents.get(super::NO_INTENT), 0.0);
    }
    for (text, intent) in [
        (
            "How do I change my shipping address?",
            "change_shipping_address",
        ),
        ("I want my money back", "get_refund"),
        ("cancel order", "cancel_order"),
    ] {
        let found = reading(text);
        assert!(
            found.intents.get(intent) >= 0.5,
            "{text}: {:?}",
            bitext(&found)
        );
    }
}

#[test]
fn profanity_in_passing_is_not_aimed_at_the_agent_and_stays_in_the_complaint_core() {
    let (text, found) = check("where is my [[damn]] parcel", &["abuse.profanity"]);
    assert!(found.abuse.profanity);
    assert!(!found.abuse.targets_agent);
    assert!(found.abuse.threat < 0.5);
    assert_eq!(found.complaint_core.text, text);
    assert!(found.complaint_core.removed.is_empty());
    assert_eq!(found.fault.side, FaultSide::Company);
}

#[test]
fn a_message_that_insults_the_agent_is_angry_at_least_and_its_core_drops_the_insult() {
    let (_, found) = check(
        "Where is my refund, [[you useless idiot]]? I paid $50!",
        &["abuse.insult_at_agent"],
    );
    assert!(found.abuse.targets_agent);
    assert!(found.heat.level >= HeatLevel::Angry, "{:?}", found.heat);
    assert!(found.abuse.offensive >= 0.5);
    assert_eq!(found.complaint_core.text, "Where is my refund? I paid $50!");
    assert!(found
        .complaint_core
        .removed
        .iter()
        .any(|s| s.text.contains("you useless idiot")));

    let (_, bare) = check(
        "[[you are useless]], [[idiot]]",
        &["abuse.insult_at_agent", "abuse.insult_at_agent"],
    );
    assert!(bare.abuse.targets_agent);
    assert!(bare.heat.level >= HeatLevel::Angry);
    assert!(bare.abuse.offensive >= 0.5);
    assert!(!bare.complaint_core.text.contains("idiot"));
    assert!(!bare.complaint_core.text.contains("useless"));
}

#[test]
fn heat_rises_from_thanks_to_swearing_to_insults() {
    let thanks = reading("Thank you so much for your help!");
    let swearing = reading("where is my damn parcel");
    let insult = reading("you are useless, idiot");
    assert!(thanks.heat.score < swearing.heat.score);
    assert!(swearing.heat.score < insult.heat.score);
    assert!(thanks.heat.level < swearing.heat.level);
    assert!(swearing.heat.level <= insult.heat.level);
    assert_eq!(thanks.heat.level, HeatLevel::Calm);
    assert!(insult.heat.level >= HeatLevel::Angry);
}

#[test]
fn only_what_is_aimed_at_us_or_a_threat_makes_the_heat_hostile() {
    // Swearing in passing, however angry, scores 0.8 or more and stops at angry.
    let swearing = reading(
        "I'm fucking sick and tired of this internet. I've already contacted them 5 times about \
         how shitty it is. WTF!!!",
    );
    assert!(swearing.heat.score >= 0.8, "{:?}", swearing.heat);
    assert_eq!(swearing.heat.level, HeatLevel::Angry);
    // The same at us, or with a threat to sue, is hostile.
    for text in [
        "You idiots, I'm fucking sick and tired of this internet. I've already contacted you 5 \
         times about how shitty it is. WTF!!!",
        "I'm fucking sick and tired of this internet. I've already contacted them 5 times about \
         how shitty it is. WTF!!! I will sue",
    ] {
        let found = reading(text);
        assert_eq!(
            found.heat.level,
            HeatLevel::Hostile,
            "{text}: {:?}",
            found.heat
        );
    }
}

#[test]
fn a_threat_of_harm_is_a_threat_and_makes_the_heat_angry_or_hostile() {
    for (marked, rules) in [
        (
            "If my refund is not here tomorrow I will [[burn your store down]].",
            &["abuse.threat"][..],
        ),
        (
            "[[I will find you]] and [[hurt you]]",
            &["abuse.threat", "abuse.threat"][..],
        ),
    ] {
        let (_, found) = check(marked, rules);
        assert!(found.abuse.threat >= 0.5, "{marked}");
        assert!(
            matches!(found.heat.level, HeatLevel::Angry | HeatLevel::Hostile),
            "{marked}: {:?}",
            found.heat
        );
    }
    assert!(reading("I will find the receipt and send it.").abuse.threat < 0.5);
}

#[test]
fn a_bitext_intent_stands_only_on_a_word_for_its_topic() {
    // Each of these read an intent at 0.5 or above from the model alone: "please help" as
    // tracking an order, "I have a question" as recovering a password. None names its topic.
    for (text, model_said) in [
        ("@AskPlayStation please help", "track_order"),
        ("@115911 I have a question.", "recover_password"),
        ("@Delta 0062395415777", "get_refund"),
    ] {
        let found = reading(text);
        let p = found.intents.get(model_said);
        assert!(p < 0.5 && p > 0.0, "{text}: {model_said} {p}");
        assert!(
            found
                .intents
                .iter()
                .all(|(label, p)| p < 0.5 || label == "none"),
            "{text}: {:?}",
            found.intents
        );
        assert!(found.intent_evidence.is_empty(), "{text}");
    }
    // The model's judgements without a topic are scaled below 0.5, in their order; the rule
    // intents have no topic words and are left alone.
    let labels = [
        "track_order",
        "recover_password",
        "get_refund",
        "speak_to_manager",
    ];
    let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    let mut p = [0.9, 0.6, 0.8, 0.97];
    let words = super::reading::keep_intents_with_topic(
        &labels,
        &mut p,
        &crate::rules::words::Tokens::new("please help, I want my money back"),
    );
    assert_eq!(p, [0.441, 0.294, 0.8, 0.97]);
    let words: Vec<(&str, &str)> = words.iter().map(|e| (e.text.as_str(), e.rule)).collect();
    assert_eq!(words, [("money", "intent.topic.get_refund")]);
    // One that names it keeps the model's judgement, with the word as its evidence.
    let (text, spans) =
        strip_markers("@AmazonHelp Where is my [[order]]? https://support.example.com/track");
    let found = reading(&text);
    assert!(
        found.intents.get("track_order") >= 0.5,
        "{:?}",
        found.intents
    );
    let topic: Vec<(usize, usize, &str)> = found
        .intent_evidence
        .iter()
        .map(|e| (e.start, e.end, e.rule))
        .collect();
    assert_eq!(
        topic,
        vec![(spans[0].0, spans[0].1, "intent.topic.track_order")]
    );
}

#[test]
fn asking_for_a_manager_is_a_rule_intent_with_evidence() {
    let (_, found) = check(
        "I want to [[speak to a manager]]",
        &["intent.speak_to_manager"],
    );
    assert!(found.intents.get("speak_to_manager") >= 0.5);
    for intent in ["legal_threat", "public_threat", "cancel_relationship"] {
        assert!(found.intents.get(intent) < 0.5, "{intent}");
    }
    let declined = reading("I don't want to speak to a manager.");
    assert!(declined.intents.get("speak_to_manager") < 0.5);
    assert!(declined.intent_evidence.is_empty());
}

#[test]
fn legal_and_public_threats_are_intents_that_raise_the_heat() {
    let (_, legal) = check(
        "If this is not fixed [[I will sue]] you.",
        &["intent.legal_threat"],
    );
    assert!(legal.intents.get("legal_threat") >= 0.5);
    assert!(legal.intents.get("public_threat") < 0.5);
    let (_, public) = check(
        "I am going to [[post this on twitter]] and [[leave a one star review]]",
        &["intent.public_threat", "intent.public_threat"],
    );
    assert!(public.intents.get("public_threat") >= 0.5);
    assert!(public.intents.get("legal_threat") < 0.5);
    for found in [&legal, &public] {
        assert!(found.heat.level >= HeatLevel::Annoyed);
    }
}

#[test]
fn cancelling_and_switching_to_a_competitor_is_cancel_relationship() {
    let (_, found) = check(
        "[[Cancel my account]], [[I'm switching to]] Acme.",
        &["intent.cancel_relationship", "intent.cancel_relationship"],
    );
    assert!(found.intents.get("cancel_relationship") >= 0.5);
    let staying = reading("I'm not switching to anyone, I just want my refund.");
    assert!(staying.intents.get("cancel_relationship") < 0.5);
}

#[test]
fn repeated_contacts_raise_the_heat() {
    for (repeated, once) in [
        (
            "This is the third time I am asking: my parcel has not arrived.",
            "I am asking: my parcel has not arrived.",
        ),
        (
            "I have written five times and my refund is still missing.",
            "I have written and my refund is still missing.",
        ),
        (
            "I have contacted you 3 times about my order.",
            "I have contacted you about my order.",
        ),
    ] {
        let repeated_reading = reading(repeated);
        let once_reading = reading(once);
        assert!(
            repeated_reading.heat.score > once_reading.heat.score,
            "{repeated:?} is hotter than {once:?}"
        );
        assert!(repeated_reading.heat.level >= once_reading.heat.level);
        assert!(repeated_reading
            .heat
            .evidence
            .iter()
            .any(|e| e.rule == "fact.contact_count"));
        // Three contacts or more add 0.15 on top of what the model signals give.
        let signal = |name: &str| heat_signal(&repeated_reading, name);
        let from_models =
            0.45 * signal("anger") + 0.25 * signal("negative") + 0.1 * signal("disappointment");
        assert!(
            repeated_reading.heat.score >= (from_models.max(0.4) + 0.15).min(1.0) - 1e-4,
            "{repeated:?}: {:?}",
            repeated_reading.heat
        );
    }
}

#[test]
fn having_to_get_in_touch_again_or_threatening_to_escalate_raises_the_heat_whatever_the_words() {
    // However plainly put: the models read little anger in these words.
    for (text, at_least) in [
        (
            "This is the third time I'm writing, where is my refund?!",
            HeatLevel::Upset,
        ),
        (
            "Already contacted you 3-4 times in the last month about the same order.",
            HeatLevel::Upset,
        ),
        (
            "I have contacted you guys so many times about this.",
            HeatLevel::Upset,
        ),
        (
            "This is my second email about order 4471.",
            HeatLevel::Annoyed,
        ),
        (
            "If this isn't sorted by Friday I'm going to the BBB and posting everywhere.",
            HeatLevel::Upset,
        ),
        (
            "I will take legal action over this order.",
            HeatLevel::Upset,
        ),
        (
            "Can I speak to your manager please? This has gone on long enough.",
            HeatLevel::Annoyed,
        ),
    ] {
        let heat = reading(text).heat;
        assert!(heat.level >= at_least, "{text:?}: {heat:?}");
    }
    // The request for a manager is the heat's evidence.
    let manager = reading("Can I speak to your manager please?").heat;
    assert!(
        manager
            .evidence
            .iter()
            .any(|e| e.text == "speak to your manager" && e.rule == "intent.speak_to_manager"),
        "{manager:?}"
    );
    // A phone updated twice is no contact.
    let device = reading("I've updated my phone twice, how do I reset it?");
    assert!(
        !device
            .facts
            .iter()
            .any(|f| f.kind == FactKind::ContactCount),
        "{:?}",
        device.facts
    );
}

/// The value of one of the heat's model signals.
fn heat_signal(reading: &Reading, name: &str) -> f32 {
    reading
        .heat
        .signals
        .iter()
        .find(|s| s.signal == name)
        .map(|s| s.value)
        .expect("the signal is reported")
}

#[test]
fn annoyance_counts_as_anger_only_as_far_as_the_message_is_negative() {
    let plain = reading("how do I change my shipping address?");
    let signal = |name: &str| heat_signal(&plain, name);
    let (negative, annoyance) = (signal("negative"), plain.emotions.get("annoyance"));
    // The emotions model reads annoyance in a plain question; the sentiment does not.
    assert!(annoyance >= 0.5 && negative < 0.3, "{plain:?}");
    assert!(signal("anger") < 0.8 * annoyance, "{:?}", plain.heat);
}

#[test]
fn facts_carry_their_values() {
    let text = "Order #A10234: you charged me $129.00 and €45.50, I have waited for 3 weeks \
                and this is the third time I write.";
    let found = reading(text);
    assert_valid_evidence(text, &all_evidence(&found));
    let of = |kind: FactKind| found.facts.iter().filter(move |f| f.kind == kind);
    let order = of(FactKind::OrderNumber).next().expect("an order number");
    assert_eq!(
        (order.value.as_str(), order.evidence.text.as_str()),
        ("A10234", "#A10234")
    );
    let money: Vec<(Option<f64>, Option<&str>)> = of(FactKind::Money)
        .map(|f| (f.amount, f.currency.as_deref()))
        .collect();
    assert_eq!(
        money,
        [(Some(129.0), Some("USD")), (Some(45.5), Some("EUR"))]
    );
    let duration = of(FactKind::Duration).next().expect("a duration");
    assert!(duration.value.contains("3 weeks"), "{duration:?}");
    let contacts = of(FactKind::ContactCount).next().expect("a contact count");
    assert_eq!(contacts.count, Some(3));
    assert!(contacts.evidence.text.contains("third time"));
    for fact in &found.facts {
        assert_eq!(fact.evidence.rule, fact.kind.rule());
        assert_eq!(
            fact.amount.is_some(),
            fact.kind == FactKind::Money,
            "{fact:?}"
        );
    }
}

#[test]
fn a_broken_or_double_charged_order_is_the_companys_fault_and_a_wrong_size_is_the_customers() {
    for (marked, rule) in [
        ("My jacket [[arrived broken]].", "fault.damaged_item"),
        (
            "You [[charged me twice]] for one order.",
            "fault.double_charge",
        ),
    ] {
        let (_, found) = check(marked, &[rule]);
        assert_eq!(found.fault.side, FaultSide::Company, "{marked}");
        assert!(found
            .fault
            .reasons
            .iter()
            .all(|r| r.side == FaultSide::Company));
    }
    let (_, own) = check(
        "[[I ordered the wrong]] size, can I swap it?",
        &["fault.wrong_size_ordered"],
    );
    assert_eq!(own.fault.side, FaultSide::Customer);
    assert_eq!(own.fault.reasons[0].reason, "wrong_size_ordered");
    assert_eq!(
        reading("Can you tell me your opening hours?").fault.side,
        FaultSide::Unclear
    );
}

#[test]
fn a_sarcasm_cue_makes_the_message_ironic_and_raises_the_heat() {
    for (marked, rules) in [
        (
            "[[Oh great]], another delay. [[Thanks for nothing]].",
            &["intent.sarcasm_cue", "intent.sarcasm_cue"][..],
        ),
        (
            "[[Great, just great]]. My parcel is late again.",
            &["intent.sarcasm_cue"][..],
        ),
    ] {
        let (_, found) = check(marked, rules);
        assert!(found.irony >= 0.5, "{marked}: {}", found.irony);
    }
    // The sarcasm cue adds to the heat over the same words without it.
    let ironic = reading("Oh great, another delay.");
    let plain = reading("Another delay.");
    assert!(ironic.irony >= 0.5);
    assert!(ironic
        .heat
        .evidence
        .iter()
        .any(|e| e.rule == "intent.sarcasm_cue"));
    assert!(plain.heat.evidence.is_empty());
}

// The JSON contract.

const EMOTIONS: [&str; 28] = [
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
];

const INTENTS: [&str; 31] = [
    "cancel_order",
    "change_order",
    "change_shipping_address",
    "check_cancellation_fee",
    "check_invoice",
    "check_payment_methods",
    "check_refund_policy",
    "complaint",
    "contact_customer_service",
    "contact_human_agent",
    "create_account",
    "delete_account",
    "delivery_options",
    "delivery_period",
    "edit_account",
    "get_invoice",
    "get_refund",
    "newsletter_subscription",
    "payment_issue",
    "place_order",
    "recover_password",
    "registration_problems",
    "review",
    "set_up_shipping_address",
    "switch_account",
    "track_order",
    "track_refund",
    "speak_to_manager",
    "legal_threat",
    "public_threat",
    "cancel_relationship",
];

fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{value} is an object"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// The keys of a JSON object in the order they were written (a `serde_json::Value` sorts them).
fn keys_in_order(json: &str) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Keys, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some((key, serde::de::IgnoredAny)) =
                        map.next_entry::<String, serde::de::IgnoredAny>()?
                    {
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            deserializer.deserialize_map(Visitor)
        }
    }
    serde_json::from_str::<Keys>(json).expect("a JSON object").0
}

fn sorted<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    items.into_iter().collect()
}

/// Asserts that `value` is an evidence object: start, end, text and rule, quoting `text`.
fn assert_evidence_json(text: &str, value: &serde_json::Value) {
    for key in ["start", "end", "text", "rule"] {
        assert!(value.get(key).is_some(), "{value} has {key}");
    }
    let start = value["start"].as_u64().expect("start is a number") as usize;
    let end = value["end"].as_u64().expect("end is a number") as usize;
    assert_eq!(value["text"].as_str(), text.get(start..end), "{value}");
    assert!(value["rule"].as_str().is_some_and(|r| r.contains('.')));
}

#[test]
fn a_reading_serialises_to_the_documented_json_contract() {
    let text = "This is the third time I write! Order #A10234 arrived broken, you useless idiot. \
                I paid $129.00. Fuck you, I want to speak to a manager or I will sue. \
                Oh great, WHY IS THIS SO HARD";
    let found = reading(text);
    let value = serde_json::to_value(&found).expect("a Reading serialises");
    let json = serde_json::to_string(&found).expect("a Reading serialises");
    assert_eq!(
        keys_in_order(&json),
        [
            "heat",
            "emotions",
            "sentiment",
            "abuse",
            "complaint",
            "irony",
            "politeness",
            "intents",
            "intent_evidence",
            "facts",
            "fault",
            "complaint_core",
            "diagnostics"
        ]
    );
    // Labels come in the models' order, the rule intents last.
    let emotions = serde_json::to_string(&found.emotions).unwrap();
    assert_eq!(keys_in_order(&emotions), EMOTIONS);
    let intents = serde_json::to_string(&found.intents).unwrap();
    assert_eq!(keys_in_order(&intents), INTENTS);
    assert_eq!(sorted(keys(&value["emotions"])), sorted(EMOTIONS));
    assert_eq!(sorted(keys(&value["intents"])), sorted(INTENTS));
    assert_eq!(
        sorted(keys(&value["sentiment"])),
        sorted(["negative", "neutral", "positive"])
    );
    let sentiment_sum: f64 = ["negative", "neutral", "positive"]
        .iter()
        .map(|k| value["sentiment"][k].as_f64().expect("a number"))
        .sum();
    assert!((sentiment_sum - 1.0).abs() <= 1e-4, "{sentiment_sum}");
    assert!(["calm", "annoyed", "upset", "angry", "hostile"]
        .contains(&value["heat"]["level"].as_str().expect("a level name")));
    assert_eq!(
        sorted(keys(&value["heat"])),
        sorted(["level", "score", "evidence", "signals"])
    );
    assert_eq!(
        sorted(keys(&value["abuse"])),
        sorted([
            "offensive",
            "hate",
            "threat",
            "profanity",
            "targets_agent",
            "spans"
        ])
    );
    assert!(value["abuse"]["profanity"].is_boolean());
    assert_eq!(value["abuse"]["targets_agent"], true);
    assert_eq!(
        sorted(keys(&value["complaint_core"])),
        sorted(["text", "removed"])
    );
    assert!(["company", "customer", "unclear"].contains(&value["fault"]["side"].as_str().unwrap()));

    let mut evidence = 0;
    for list in [
        &value["heat"]["evidence"],
        &value["abuse"]["spans"],
        &value["intent_evidence"],
        &value["facts"],
        &value["fault"]["reasons"],
    ] {
        let items = list.as_array().expect("an evidence list");
        assert!(!items.is_empty(), "{list} has evidence for this message");
        for item in items {
            assert_evidence_json(text, item);
            evidence += 1;
        }
    }
    assert!(evidence >= 10, "{evidence}");
    for fact in value["facts"].as_array().unwrap() {
        for key in ["kind", "value", "amount", "currency", "count"] {
            assert!(fact.get(key).is_some(), "{fact} has {key}");
        }
    }
    for reason in value["fault"]["reasons"].as_array().unwrap() {
        assert!(reason["reason"].is_string() && reason["side"].is_string());
    }
}

#[test]
fn one_models_probabilities_alone_are_those_of_the_whole_fused_row() {
    use super::models::index;
    use crate::text::features::{extract, FeatureConfig};
    let models = models();
    for text in [
        "Could you please help me with this? Thank you so much!",
        "WHERE IS MY ORDER you useless idiots",
        "",
    ] {
        let features = extract(text, &FeatureConfig::DEFAULT);
        let logits = models.logits(text, &features);
        for model in [index::POLITENESS, index::INTENTS, index::EMOTIONS] {
            let whole = models.probabilities(&logits, model);
            let alone = models.probabilities_of(text, &features, model);
            assert_eq!(whole.len(), alone.len(), "{text:?} model {model}");
            for (a, b) in whole.iter().zip(&alone) {
                assert!((a - b).abs() < 1e-5, "{text:?} model {model}: {a} vs {b}");
            }
        }
    }
}

#[test]
fn heat_levels_serialise_in_snake_case_in_order() {
    let levels = [
        HeatLevel::Calm,
        HeatLevel::Annoyed,
        HeatLevel::Upset,
        HeatLevel::Angry,
        HeatLevel::Hostile,
    ];
    for (level, name) in levels
        .iter()
        .zip(["calm", "annoyed", "upset", "angry", "hostile"])
    {
        assert_eq!(serde_json::to_value(level).unwrap(), name);
        assert_eq!(level.as_str(), name);
    }
    assert!(levels.windows(2).all(|pair| pair[0] < pair[1]));
}

#[test]
fn diagnostics_serialise_as_code_and_message() {
    let value = serde_json::to_value(reading("")).unwrap();
    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "empty");
    assert!(diagnostics[0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// The direct JSON writer must write exactly what serde_json writes for the same Reading.
fn assert_written_like_serde(text: &str) {
    let found = reading(text);
    let mut written = Vec::new();
    super::write_reading(&mut written, &found);
    let expected = serde_json::to_string(&found).unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        expected,
        "for {text:?}"
    );
}

#[test]
fn the_direct_json_writer_writes_what_serde_json_writes() {
    for text in [
        "",
        "😡😡😡",
        "Where is my order #A10234, you useless idiot?! I paid $129.99 on 3 May, called 5 \
         times, e-mail me at jo@example.com or +1 555 123 4567. I'll sue. WHY IS THIS SO HARD!!!",
        "I want to speak to a manager. This is the third time I write, I will post a bad review \
         and switch to your competitor. Great, just great. The jacket arrived torn.",
        "Quotes \" and \\ backslashes, tabs\tand\nlines, \u{1} \u{8} \u{c} \u{1f} \u{7f} é 漢字",
        "<p>Where&nbsp;is <b>my</b> refund of €45,50?</p>",
        "I ordered the wrong size, my fault, and it is past the return window",
    ] {
        assert_written_like_serde(text);
    }
}

// Messy input.

/// Asserts everything that must hold of any Reading of `text`.
fn assert_sound(text: &str, found: &Reading) {
    assert_valid_evidence(text, &all_evidence(found));
    for span in &found.complaint_core.removed {
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(text[span.start..span.end], span.text);
    }
    assert_eq!(found.emotions.probabilities.len(), EMOTIONS.len());
    assert_eq!(found.intents.probabilities.len(), INTENTS.len());
    let mut probabilities: Vec<(&str, f32)> =
        found.emotions.iter().chain(found.intents.iter()).collect();
    probabilities.extend([
        ("sentiment.negative", found.sentiment.negative),
        ("sentiment.neutral", found.sentiment.neutral),
        ("sentiment.positive", found.sentiment.positive),
        ("abuse.offensive", found.abuse.offensive),
        ("abuse.hate", found.abuse.hate),
        ("abuse.threat", found.abuse.threat),
        ("complaint", found.complaint),
        ("irony", found.irony),
        ("politeness", found.politeness),
        ("heat.score", found.heat.score),
    ]);
    probabilities.extend(found.heat.signals.iter().map(|s| (s.signal, s.value)));
    for (name, p) in probabilities {
        assert!(
            p.is_finite() && (0.0..=1.0).contains(&p),
            "{name} = {p} for {text:?}"
        );
    }
    let sum = found.sentiment.negative + found.sentiment.neutral + found.sentiment.positive;
    assert!((sum - 1.0).abs() <= 1e-4, "sentiment sums to {sum}");
}

fn codes(found: &Reading) -> Vec<&'static str> {
    found.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn an_empty_or_blank_message_reads_with_an_empty_diagnostic() {
    for text in ["", " ", "\n\t  \r\n"] {
        let found = reading(text);
        assert_sound(text, &found);
        assert_eq!(codes(&found), ["empty"], "{text:?}");
        assert!(all_evidence(&found).is_empty());
        assert!(found.facts.is_empty());
        assert_eq!(found.fault.side, FaultSide::Unclear);
    }
}

#[test]
fn a_message_of_only_emoji_reads_with_a_no_words_diagnostic() {
    let found = reading("😡😡😡");
    assert_sound("😡😡😡", &found);
    assert_eq!(codes(&found), ["no_words"]);
    assert_eq!(found.complaint_core.text, "😡😡😡");
}

#[test]
fn a_message_of_100_kb_is_read_whole_by_the_rules_with_a_long_diagnostic() {
    let unit = "Where is my order #A10234, you useless idiot?! I paid $129.00 on 3 May 😡, \
                called 5 times, my blue rain jacket arrived torn. I'll sue. WHY IS THIS SO HARD!!! ";
    let text = unit.repeat(100_000 / unit.len() + 1);
    assert!(text.len() > 100_000);
    let found = reading(&text);
    assert_sound(&text, &found);
    assert_eq!(codes(&found), ["long"]);
    assert!(found.abuse.targets_agent);
    assert!(found.heat.level >= HeatLevel::Angry);
    // The rules read past the models' limit: the last order number is found too.
    let last_order = text.rfind("#A10234").unwrap();
    assert!(found
        .facts
        .iter()
        .any(|f| f.kind == FactKind::OrderNumber && f.evidence.start == last_order));
}

#[test]
fn html_mail_is_read_with_an_html_diagnostic_and_spans_quote_the_original() {
    let text = "<html><body><p>Where is my order&nbsp;#A100?</p></body></html>";
    let found = reading(text);
    assert_sound(text, &found);
    assert_eq!(codes(&found), ["html"]);
    let order = found
        .facts
        .iter()
        .find(|f| f.kind == FactKind::OrderNumber)
        .expect("the order number is found");
    assert_eq!(order.value, "A100");
    assert_eq!(&text[order.evidence.start..order.evidence.end], "#A100");
    assert_eq!(order.evidence.start, text.find("#A100").unwrap());
    // No tag or entity is read as evidence.
    for evidence in all_evidence(&found) {
        assert!(
            !evidence.text.contains('<') && !evidence.text.contains("&nbsp;"),
            "{evidence:?}"
        );
    }
}

#[test]
fn invalid_utf8_is_decoded_with_replacement_characters_and_read() {
    let (text, diagnostics) = decode(b"Where is my order \xff#A100?\xfe\xfd you idiot");
    assert_eq!(
        diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["invalid_utf8"]
    );
    assert!(text.contains('\u{FFFD}'));
    let found = reading(&text);
    assert_sound(&text, &found);
    assert!(found
        .facts
        .iter()
        .any(|f| f.kind == FactKind::OrderNumber && f.value == "A100"));
    let (clean, none) = decode("Où est ma commande ?".as_bytes());
    assert_eq!(clean, "Où est ma commande ?");
    assert!(none.is_empty());
}

#[test]
fn combining_marks_nul_bytes_and_right_to_left_text_read_without_a_panic() {
    for text in [
        "\u{301}\u{301}a\u{301} \u{20DD}",
        "\u{301}",
        "where\0 is my order #A100\0",
        "\0\0\0",
        "\u{7f}\u{feff}\u{200b}\u{202e}you idiot\u{202c}",
        "أين طلبي؟ لقد انتظرت أسبوعين #A100",
        "שלום, איפה ההזמנה שלי? you idiot",
        "İstanbul’da ÇOK KÖTÜ BİR HİZMET",
        "f**k you!!! 😡😡 $12 #A1 refund",
    ] {
        let found = reading(text);
        assert_sound(text, &found);
        assert!(
            !codes(&found).contains(&"empty"),
            "{text:?} is not empty: {:?}",
            found.diagnostics
        );
    }
    let nul_only = reading("\0\0\0");
    assert_eq!(codes(&nul_only), ["no_words"]);
    let arabic = "أين طلبي؟ لقد انتظرت أسبوعين #A100";
    let order = reading(arabic)
        .facts
        .into_iter()
        .find(|f| f.kind == FactKind::OrderNumber)
        .expect("the order number in right-to-left text is found");
    assert_eq!(order.evidence.text, "#A100");
}

// Properties.

const PIECES: &[&str] = &[
    "you", "idiot", "refund", "!!!", "$12", "#A1", "😡", "🙏", "useless", "damn", "fuck", "YOU",
    "ARE", "manager", "sue", "third", "time", "called", "5", "times", "order", "arrived", "broken",
    "charged", "twice", "oh", "great", ",", ".", "?", " ", "  ", "\n", "€", "é", "\u{301}", "<p>",
    "&nbsp;", "’", "'", "@", "+44", "3 May", "weeks", "not", "never", "\0",
];

fn mixed() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(PIECES),
            prop::sample::select(&[" ", "", ", "][..]),
        ),
        0..40,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(word, gap)| [word, gap])
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_line_of_text_reads_soundly(text in ".*") {
        assert_sound(&text, &reading(&text));
    }

    #[test]
    fn any_printable_text_reads_soundly(text in "\\PC{0,300}") {
        assert_sound(&text, &reading(&text));
    }

    #[test]
    fn any_mix_of_charged_words_reads_soundly_and_the_same_each_time(text in mixed()) {
        let first = reading(&text);
        assert_sound(&text, &first);
        prop_assert_eq!(&first, &reading(&text));
    }

    #[test]
    fn any_text_is_written_as_serde_json_writes_it(text in ".{0,200}") {
        assert_written_like_serde(&text);
    }

    #[test]
    fn reading_any_text_twice_gives_the_same_reading(text in "\\PC{0,120}") {
        prop_assert_eq!(reading(&text), reading(&text));
    }
}

#[test]
fn a_texts_logits_summed_word_by_word_are_those_of_its_features() {
    use super::models::index;
    use crate::text::features::{extract, FeatureConfig};
    let models = models();
    let long = "the parcel never came and nobody answers ".repeat(300);
    let texts = [
        "Could you please help me with this? Thank you so much!",
        "no no NO never, the theme of the end: the end",
        "WHERE IS MY ORDER #A1234 you useless idiots 😡😡 @shop http://x.co",
        "Ünïcödé ÇOK KÖTÜ İstanbul’da",
        "",
        long.as_str(),
    ];
    // Twice: the second time every word's rows are remembered ones.
    for text in texts.iter().chain(&texts) {
        let by_words = models.text_logits(text);
        let by_features = models.logits(text, &extract(text, &FeatureConfig::DEFAULT));
        for model in 0..=index::ABUSIVE {
            let a = models.probabilities(&by_words, model);
            let b = models.probabilities(&by_features, model);
            for (a, b) in a.iter().zip(&b) {
                assert!((a - b).abs() < 1e-5, "{text:?} model {model}: {a} vs {b}");
            }
        }
    }
}

#[test]
fn a_message_of_only_handles_reads_as_calm_and_neutral_as_an_empty_one() {
    let empty = reading("");
    for text in ["@DELTA", "@116407 @116136  https://t.co/0smhgLv0BL"] {
        let found = reading(text);
        assert_sound(text, &found);
        assert_eq!(codes(&found), ["only_mentions"], "{text:?}");
        assert_eq!(found.heat.level, HeatLevel::Calm, "{text:?}");
        assert_eq!(found.sentiment, empty.sentiment, "{text:?}");
    }
}

/// Checks that the Reading gives the shipped model `bytes` (at `index`, reading features of
/// its own) the probability it gives alone, and that its own features move most of `texts`.
fn reads_its_own_features(bytes: &[u8], index: usize, texts: &[&str]) {
    use crate::model::LinearModel;
    use crate::text::features::{extract, FeatureConfig};
    let alone = LinearModel::from_bytes(bytes).expect("the shipped model loads");
    assert!(
        alone.features.has_own(),
        "{} reads features of its own",
        alone.name
    );
    let models = models();
    let mut moved = 0;
    for text in texts {
        let features = extract(text, &alone.features);
        let expected = alone.probabilities_from_logits(&alone.logits(&features));
        let got = models.probabilities(&models.text_logits(text), index);
        for (got, expected) in got.iter().zip(&expected) {
            assert!(
                (got - expected).abs() < 1e-4,
                "{}, {text:?}: {got} vs {expected}",
                alone.name
            );
        }
        // Its own features count: without them the model's raw outputs are others.
        let plain = extract(text, &FeatureConfig::DEFAULT);
        let (with, without) = (alone.logits(&features), alone.logits(&plain));
        moved += usize::from(with.iter().zip(&without).any(|(a, b)| (a - b).abs() > 1e-2));
    }
    assert!(
        moved * 4 >= texts.len() * 3,
        "{}'s own features move only {moved} of {} texts",
        alone.name,
        texts.len()
    );
}

#[test]
fn the_politeness_model_reads_its_strategies_in_the_reading_too() {
    reads_its_own_features(
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../models/politeness.cdm"
        )),
        super::models::index::POLITENESS,
        &[
            "Hi! Could you perhaps take a look when you have a moment? Thanks so much.",
            "Why did you revert my edit? So you think you own this page?",
            "Please fix it.",
            "",
        ],
    );
}

#[test]
fn the_sentiment_model_reads_negated_words_in_the_reading_too() {
    reads_its_own_features(
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../models/sentiment.cdm"
        )),
        super::models::index::SENTIMENT,
        &[
            "The parcel did not arrive and nobody answers.",
            "I don't like it, it is not good at all.",
            "Never again.",
            "Not bad, not bad at all!",
        ],
    );
}

#[test]
fn the_abusive_model_reads_the_abuse_rules_in_the_reading_too() {
    let texts = [
        "where is my damn parcel",
        "you are a useless idiot",
        "f**k this, third time I ask",
        "shut up you stupid bot, I will find you",
    ];
    reads_its_own_features(
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../models/abusive.cdm"
        )),
        super::models::index::ABUSIVE,
        &texts,
    );
    // The Reading hands the model what its own run of the rules found: the same outputs as
    // running them again.
    let models = models();
    for text in texts.iter().chain(&["", "Thanks, all sorted."]) {
        let found = crate::rules::detect_abuse(text);
        assert_eq!(
            models.text_logits_with(text, Some(&found)),
            models.text_logits(text),
            "{text:?}"
        );
    }
}
