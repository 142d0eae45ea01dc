//! Tests of the coach with the shipped models.

use proptest::prelude::*;

use super::*;
use crate::testing::{models, strip_markers};

/// A calm customer with a clear order number and no stated fault.
const CALM: &[(Role, &str)] = &[(
    Role::Customer,
    "Hi, order #A10234 arrived with a broken handle on the kettle. Can you help?",
)];
/// An upset customer whose item the company damaged.
const DAMAGED: &[(Role, &str)] = &[(
    Role::Customer,
    "This is the third time I'm writing! My order #A10234 arrived damaged and nobody has \
     helped. I'm furious.",
)];
/// A customer who insults the agent.
const ABUSIVE: &[(Role, &str)] = &[(
    Role::Customer,
    "You useless idiot, where is my refund for order #A10234?",
)];
/// A customer who says they ordered the wrong size.
const MISTAKE: &[(Role, &str)] = &[(
    Role::Customer,
    "I ordered the wrong size by mistake, order #A10234, can I swap it?",
)];
/// A customer whose parcel never came, with no order number given.
const MISSING: &[(Role, &str)] = &[(
    Role::Customer,
    "My parcel never arrived and I'm really upset about it.",
)];
/// The damaged-item case after the agent already apologised once.
const APOLOGISED: &[(Role, &str)] = &[
    (
        Role::Customer,
        "This is the third time I'm writing! My order #A10234 arrived damaged and nobody has \
         helped. I'm furious.",
    ),
    (
        Role::Agent,
        "I'm sorry your order A10234 arrived damaged; that was our mistake. Could you send a photo?",
    ),
    (Role::Customer, "Here is the photo of order #A10234."),
];
/// No conversation at all.
const NONE: &[(Role, &str)] = &[];

/// The conversation as turns.
fn turns(conversation: &[(Role, &str)]) -> Vec<Turn> {
    conversation
        .iter()
        .map(|(role, text)| Turn {
            role: *role,
            text: (*text).to_owned(),
        })
        .collect()
}

/// One gallery case: the conversation, the kind of draft, the draft with the expected spans
/// marked, and for each marked span the rules expected there (joined with `+` when several).
type Case = (
    &'static [(Role, &'static str)],
    DraftKind,
    &'static str,
    &'static [&'static str],
);

const REPLY: DraftKind = DraftKind::Reply;
const NOTE: DraftKind = DraftKind::Note;

const GALLERY: &[Case] = &[
    // Good replies come out without warnings or errors.
    (
        DAMAGED,
        REPLY,
        "I'm so sorry your order A10234 arrived damaged, and I understand how frustrating it is \
         to write three times; that was our mistake. I can send a replacement today or refund you \
         within 24 hours. Which would you prefer?",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Thank you for letting us know about order A10234. I can send a new kettle tomorrow or \
         refund it today. Does that work for you?",
        &[],
    ),
    (
        ABUSIVE,
        REPLY,
        "I want to help with order A10234, and I need us to keep this respectful. If you would \
         prefer, my manager can take over.",
        &[],
    ),
    (
        MISTAKE,
        REPLY,
        "Thanks for telling us about order A10234. I can exchange it for the right size today or \
         refund you tomorrow; does that work for you?",
        &[],
    ),
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. Could you share your order \
         number so I can trace it?",
        &[],
    ),
    (
        NONE,
        NOTE,
        "Customer was upset about the late parcel; refund approved.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Could you send a photo of the kettle handle from order A10234?",
        &[],
    ),
    (
        APOLOGISED,
        REPLY,
        "Thank you for the photo of order A10234. I will send a replacement today, or a refund if \
         you prefer. Does that work for you?",
        &[],
    ),
    // Negative and deflecting phrasing.
    (
        CALM,
        REPLY,
        "For order A10234 [[you have to talk to sales]].",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[We can't]] refund order A10234. Could you send a photo?",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "Order A10234? [[That's not my job]].",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[Per our policy]] the kettle from order A10234 needs a photo. Could you send one?",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[Unfortunately there's nothing]] more to do about order A10234.",
        &["positive.deflecting"],
    ),
    // Blame at the customer.
    (
        CALM,
        REPLY,
        "[[You didn't read]] the care guide for order A10234.",
        &["blame.customer"],
    ),
    (
        CALM,
        REPLY,
        "[[You should have]] checked order A10234 sooner.",
        &["blame.customer"],
    ),
    // Condescension.
    (
        CALM,
        REPLY,
        "Please [[calm down]]. What happened to order A10234?",
        &["tone.condescending"],
    ),
    (
        CALM,
        REPLY,
        "[[As I already said]], order A10234 is covered. Could you send a photo?",
        &["tone.condescending"],
    ),
    (
        CALM,
        REPLY,
        "[[Obviously]] the handle of order A10234 should not break. Could you send a photo?",
        &["tone.condescending"],
    ),
    (
        CALM,
        REPLY,
        "[[To be honest]], order A10234 looks fine. Could you send a photo?",
        &["tone.condescending"],
    ),
    // Arguing.
    (
        CALM,
        REPLY,
        "[[That's not true]]; order A10234 was checked. Could you send a photo?",
        &["tone.arguing"],
    ),
    (
        CALM,
        REPLY,
        "[[No, you]] asked for this kettle in order A10234. Could you send a photo?",
        &["tone.arguing"],
    ),
    // Sarcasm, profanity, shouting, threats.
    (
        CALM,
        REPLY,
        "[[Oh great]], another broken kettle in order A10234. Could you send a photo?",
        &["tone.sarcasm"],
    ),
    (
        CALM,
        REPLY,
        "The [[damn]] courier broke order A10234. Could you send a photo?",
        &["tone.profanity"],
    ),
    (
        CALM,
        REPLY,
        "[[PLEASE READ]] my message about order A10234. Could you send a photo?",
        &["tone.shouting"],
    ),
    (
        CALM,
        REPLY,
        "Order A10234 is on its way[[!!!]] Could you send a photo?",
        &["tone.shouting"],
    ),
    (
        ABUSIVE,
        REPLY,
        "I hear you, but [[you'll regret]] talking to me like that. I need us to keep this \
         respectful, or my manager takes over.",
        &["tone.threat"],
    ),
    // Correct indirectly.
    (
        MISTAKE,
        REPLY,
        "[[You ordered the wrong size]] in order A10234. Could you tell me the size you need?",
        &["correct.indirectly"],
    ),
    (
        CALM,
        REPLY,
        "[[You're wrong]] about order A10234. Could you send a photo?",
        &["correct.indirectly"],
    ),
    (
        CALM,
        REPLY,
        "[[That's incorrect]], order A10234 has a warranty. Could you send a photo?",
        &["correct.indirectly"],
    ),
    // Apologise once and own it.
    (
        DAMAGED,
        REPLY,
        "I'm sorry your order A10234 arrived damaged, that was our mistake. I understand. \
         [[Sorry]] again. Could you send a photo?",
        &["apology.once"],
    ),
    (
        APOLOGISED,
        REPLY,
        "[[Sorry]] again about order A10234. I will send a replacement today or a refund. Does \
         that work for you?",
        &["apology.once"],
    ),
    (
        DAMAGED,
        REPLY,
        "[[I understand this is frustrating.]] Could you send a photo of order A10234?",
        &["apology.own_it"],
    ),
    (
        CALM,
        REPLY,
        "I understand, and we are [[sorry for any inconvenience]] with order A10234. Could you \
         send a photo?",
        &["apology.non_apology"],
    ),
    (
        CALM,
        REPLY,
        "I'm [[sorry you feel that way]] about order A10234. Could you send a photo?",
        &["apology.non_apology"],
    ),
    // Listen and restate.
    (
        CALM,
        REPLY,
        "I can send a new kettle today or a [[refund]] tomorrow. Does that work for you?",
        &["listen.acknowledge"],
    ),
    // Empathy when the customer is upset.
    (
        DAMAGED,
        REPLY,
        "[[Order A10234 is noted.]] We got this wrong, and a replacement ships today.",
        &["empathy.reactions"],
    ),
    // Root cause: the order number is missing.
    (
        MISSING,
        REPLY,
        "[[I'm sorry your parcel never arrived.]]",
        &["root_cause.ask"],
    ),
    // Timelines for promises.
    (
        CALM,
        REPLY,
        "[[I will]] look into order A10234. Could you send a photo?",
        &["resolve.timeline"],
    ),
    (
        CALM,
        REPLY,
        "For order A10234, [[we'll]] send a new kettle or a refund. Does that work for you?",
        &["resolve.timeline"],
    ),
    // Boundaries with an abusive customer.
    (
        ABUSIVE,
        REPLY,
        "[[I will check order A10234 today.]]",
        &["boundary.abuse+empathy.reactions"],
    ),
    (
        ABUSIVE,
        REPLY,
        "[[Please keep this respectful.]] I will check order A10234 today.",
        &["boundary.abuse+empathy.reactions"],
    ),
    // Notes about the customer.
    (
        NONE,
        NOTE,
        "Customer is a total [[nutcase]], ignore him.",
        &["notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Another [[idiot customer]] about shipping.",
        &["notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Says it never came, probably a [[liar]].",
        &["notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Refund order A10234, then we can't help any more.",
        &[],
    ),
    // Several findings in one draft.
    (
        CALM,
        REPLY,
        "[[Calm down]], [[you should have]] read it. [[We can't]] help with order A10234. Could \
         you send a photo?",
        &[
            "tone.condescending",
            "blame.customer",
            "positive.deflecting",
        ],
    ),
];

/// The warnings and errors of a review as `(rule, start, end)`, sorted.
fn flagged(review: &Review) -> Vec<(String, usize, usize)> {
    let mut found: Vec<(String, usize, usize)> = review
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| (f.rule.clone(), f.start, f.end))
        .collect();
    found.sort();
    found
}

#[test]
fn the_gallery_finds_exactly_the_marked_spans() {
    assert!(GALLERY.len() >= 40, "the gallery has at least 40 cases");
    let mut failures = Vec::new();
    for (conversation, kind, marked, rules) in GALLERY {
        let (draft, spans) = strip_markers(marked);
        assert_eq!(
            spans.len(),
            rules.len(),
            "one rule list per marker in {marked:?}"
        );
        let mut expected: Vec<(String, usize, usize)> = spans
            .iter()
            .zip(rules.iter())
            .flat_map(|(&(start, end), joined)| {
                joined
                    .split('+')
                    .map(move |rule| (rule.to_owned(), start, end))
            })
            .collect();
        expected.sort();
        let review = review(models(), &turns(conversation), &draft, *kind, &[]);
        let found = flagged(&review);
        if found != expected {
            failures.push(format!(
                "{draft:?}\n  expected {expected:?}\n  found    {found:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_of_the_default_pack_behaves() {
    let pack = default_pack();
    assert!(pack.rules.len() >= 20, "the default pack has its rules");
    assert_eq!(test_pack(&pack), Vec::<ExampleFailure>::new());
}

#[test]
fn every_rule_of_the_default_pack_carries_examples_both_ways() {
    for rule in default_pack().rules {
        assert!(
            !rule.examples_match.is_empty(),
            "{} has match examples",
            rule.id
        );
        assert!(
            !rule.examples_no_match.is_empty(),
            "{} has no_match examples",
            rule.id
        );
    }
}

#[test]
fn the_same_input_gives_the_same_review() {
    let conversation = turns(DAMAGED);
    let draft = "Calm down, we can't refund order A10234. Sorry. Sorry again!!!";
    let first = review(models(), &conversation, draft, REPLY, &[]);
    let second = review(models(), &conversation, draft, REPLY, &[]);
    assert_eq!(first, second);
    assert_eq!(
        serde_json::to_string(&first).expect("a review serialises"),
        serde_json::to_string(&second).expect("a review serialises")
    );
}

#[test]
fn the_review_json_has_the_contract_keys() {
    let review = review(
        models(),
        &turns(DAMAGED),
        "We can't help. Could you send a photo?",
        REPLY,
        &[],
    );
    let json = serde_json::to_value(&review).expect("a review serialises");
    let keys = |value: &serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&json),
        [
            "checklist",
            "empathy",
            "findings",
            "packs",
            "politeness",
            "score"
        ]
    );
    assert_eq!(
        keys(&json["findings"][0]),
        [
            "end",
            "message",
            "rule",
            "severity",
            "start",
            "suggestions",
            "text"
        ]
    );
    assert_eq!(
        keys(&json["checklist"]),
        [
            "acknowledged",
            "apology",
            "boundary",
            "clarifying_question",
            "empathy",
            "next_step",
            "options",
            "satisfaction_check",
            "timeline"
        ]
    );
    assert_eq!(
        keys(&json["checklist"]["acknowledged"]),
        ["reason", "value"]
    );
    assert_eq!(
        keys(&json["checklist"]["apology"]),
        ["count", "needed", "owned"]
    );
    assert_eq!(
        keys(&json["empathy"]),
        ["emotional_reactions", "explorations", "interpretations"]
    );
    assert_eq!(keys(&json["empathy"]["interpretations"]), ["level", "p"]);
    assert_eq!(
        json["empathy"]["explorations"]["p"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(json["packs"][0]["name"], "calmdesk-default");
    assert!(json["score"].is_u64());
    assert!(json["politeness"].is_f64());
}

#[test]
fn a_blunt_correction_is_an_error_when_the_customer_made_the_mistake() {
    let severity = |conversation: &[(Role, &str)]| {
        review(
            models(),
            &turns(conversation),
            "You're wrong about order A10234. Could you send a photo?",
            REPLY,
            &[],
        )
        .findings
        .iter()
        .find(|f| f.rule == "correct.indirectly")
        .map(|f| f.severity)
    };
    assert_eq!(severity(MISTAKE), Some(Severity::Error));
    assert_eq!(severity(CALM), Some(Severity::Warning));
}

#[test]
fn substitutions_offer_their_rewrite_in_the_case_of_the_text() {
    let review = review(models(), &turns(CALM), "We can't do that.", REPLY, &[]);
    let finding = review
        .findings
        .iter()
        .find(|f| f.rule == "positive.deflecting")
        .expect("the deflection is found");
    assert_eq!(finding.suggestions, ["What we can do is"]);
}

#[test]
fn apologies_are_counted_across_the_agents_turns_and_the_draft() {
    let review = review(
        models(),
        &turns(APOLOGISED),
        "Sorry again about order A10234.",
        REPLY,
        &[],
    );
    assert_eq!(review.checklist.apology.count, 2);
    assert!(review.checklist.apology.needed);
    assert!(review.checklist.apology.owned);
}

#[test]
fn a_good_reply_ticks_the_checklist_and_scores_full_marks() {
    let (conversation, kind, draft, _) = GALLERY[0];
    let review = review(models(), &turns(conversation), draft, kind, &[]);
    let list = &review.checklist;
    assert_eq!(list.acknowledged.value, Some(true));
    assert_eq!(list.empathy.value, Some(true));
    assert_eq!(list.options.value, Some(true));
    assert_eq!(list.clarifying_question.value, Some(true));
    assert_eq!(list.next_step.value, Some(true));
    assert_eq!(list.boundary.value, None);
    assert_eq!(list.apology.count, 1);
    assert_eq!(review.score, 100);
}

#[test]
fn the_score_subtracts_findings_and_adds_checklist_credit() {
    let review = review(
        models(),
        &turns(CALM),
        "Calm down, the damn kettle from order A10234 is fine.",
        REPLY,
        &[],
    );
    let errors = review
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count() as i32;
    let warnings = review
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count() as i32;
    assert_eq!((errors, warnings), (1, 1));
    let credit = CHECK_CREDIT * review.checklist.credited() as i32;
    assert_eq!(
        i32::from(review.score),
        (100 - ERROR_COST * errors - WARNING_COST * warnings + credit).clamp(0, 100)
    );
    assert!(review.score < 70);
}

#[test]
fn a_note_leaves_the_reply_checklist_out() {
    let review = review(
        models(),
        &turns(DAMAGED),
        "Customer is upset about the damage.",
        NOTE,
        &[],
    );
    assert_eq!(review.checklist.acknowledged.value, None);
    assert_eq!(review.checklist.timeline.value, None);
    assert!(!review.checklist.apology.needed);
    assert!(review.findings.is_empty(), "{:?}", review.findings);
}

#[test]
fn empathy_comes_from_the_models_as_three_probabilities() {
    let review = review(
        models(),
        &turns(DAMAGED),
        "I'm so sorry, that sounds really upsetting.",
        REPLY,
        &[],
    );
    for level in [
        &review.empathy.emotional_reactions,
        &review.empathy.interpretations,
        &review.empathy.explorations,
    ] {
        let sum: f32 = level.p.iter().sum();
        assert!((sum - 1.0).abs() < 1e-3, "{level:?} sums to one");
        assert!(level.level <= 2);
    }
    assert_eq!(review.empathy.emotional_reactions.level, 2);
}

#[test]
fn politeness_is_a_probability_with_its_markers_as_info() {
    let review = review(
        models(),
        &turns(CALM),
        "Thank you! Could you please send a photo? Can you also check the box?",
        REPLY,
        &[],
    );
    assert!((0.0..=1.0).contains(&review.politeness));
    let info: Vec<&str> = review
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .map(|f| f.rule.as_str())
        .collect();
    for rule in [
        "politeness.gratitude",
        "politeness.indirect_request",
        "politeness.please",
        "politeness.direct_request",
    ] {
        assert!(info.contains(&rule), "{rule} in {info:?}");
    }
}

/// A small company pack for the override tests.
const COMPANY: &str = r#"
name = "acme"
version = "2"

[[rules]]
id = "tone.sarcasm"
kind = "existence"
severity = "error"
message = "Acme never uses sarcasm."
phrases = ["oh great"]
examples.match = ["Oh great."]
examples.no_match = ["Great news."]

[[rules]]
id = "acme.competitor"
kind = "existence"
severity = "warning"
message = "Do not name a competitor."
phrases = ["globex"]
examples.match = ["Try Globex instead."]
examples.no_match = ["Try our outlet instead."]

[[rules]]
id = "blame.customer"
disabled = true
"#;

#[test]
fn a_company_pack_overrides_adds_and_disables_rules_by_id() {
    let pack = parse_pack("acme.toml", COMPANY).expect("the company pack parses");
    assert!(test_pack(&pack).is_empty());
    let review = review(
        models(),
        &turns(CALM),
        "Oh great, you should have tried Globex for order A10234. Could you send a photo?",
        REPLY,
        &[pack],
    );
    let rules: Vec<(&str, Severity)> = review
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("tone.sarcasm", Severity::Error),
            ("acme.competitor", Severity::Warning)
        ]
    );
    let names: Vec<&str> = review.packs.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["calmdesk-default", "acme"]);
}

#[test]
fn pack_errors_name_the_file_line_and_rule() {
    let broken = "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"a\"\nkind = \n";
    let error = parse_pack("x.toml", broken).expect_err("broken TOML is refused");
    assert_eq!((error.file.as_str(), error.line), ("x.toml", 5));

    let unknown = "name = \"x\"\nversion = \"1\"\n\n[[rules]]\nid = \"b\"\nkind = \"fuzzy\"\n\
                   severity = \"info\"\nmessage = \"m\"\n";
    let error = parse_pack("x.toml", unknown).expect_err("an unknown kind is refused");
    assert_eq!((error.line, error.rule.as_deref()), (5, Some("b")));
    assert!(error.message.contains("fuzzy"), "{error}");

    let no_examples = "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"c\"\n\
                       kind = \"existence\"\nseverity = \"info\"\nmessage = \"m\"\nphrases = [\"p\"]\n";
    let error = parse_pack("x.toml", no_examples).expect_err("a rule without examples is refused");
    assert!(error.message.contains("examples"), "{error}");

    let unknown_check = "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"d.nothing\"\n\
                         kind = \"conversation\"\nseverity = \"info\"\nmessage = \"m\"\n\
                         examples.match = [\"a\"]\nexamples.no_match = [\"b\"]\n";
    let error = parse_pack("x.toml", unknown_check).expect_err("an unknown check is refused");
    assert_eq!(error.rule.as_deref(), Some("d.nothing"));
}

#[test]
fn a_failing_example_is_reported() {
    let pack = parse_pack(
        "x.toml",
        "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"e\"\nkind = \"existence\"\n\
         severity = \"info\"\nmessage = \"m\"\nphrases = [\"apple\"]\n\
         examples.match = [\"a pear\"]\nexamples.no_match = [\"an apple\"]\n",
    )
    .expect("the pack parses");
    assert_eq!(
        test_pack(&pack),
        [
            ExampleFailure {
                rule: "e".to_owned(),
                example: "a pear".to_owned(),
                should_match: true
            },
            ExampleFailure {
                rule: "e".to_owned(),
                example: "an apple".to_owned(),
                should_match: false
            }
        ]
    );
}

#[test]
fn spans_quote_the_draft_on_messy_input() {
    for draft in [
        "",
        "   ",
        "😡😡 WE CAN'T!!!",
        "é calm down é",
        "\u{0}sorry\u{feff} sorry",
    ] {
        let review = review(models(), &turns(ABUSIVE), draft, REPLY, &[]);
        for finding in &review.findings {
            assert_eq!(
                draft.get(finding.start..finding.end),
                Some(finding.text.as_str())
            );
        }
        assert!(review.score <= 100);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_draft_gets_a_review_whose_spans_quote_it(draft in "\\PC{0,80}", note in any::<bool>()) {
        let kind = if note { NOTE } else { REPLY };
        let review = review(models(), &turns(DAMAGED), &draft, kind, &[]);
        for finding in &review.findings {
            prop_assert_eq!(draft.get(finding.start..finding.end), Some(finding.text.as_str()));
        }
        prop_assert!(review.score <= 100);
    }
}

#[test]
fn turns_and_draft_kinds_read_from_json() {
    let turn: Turn =
        serde_json::from_str(r#"{"role": "customer", "text": "Hi"}"#).expect("a turn deserialises");
    assert_eq!(turn.role, Role::Customer);
    let kind: DraftKind = serde_json::from_str(r#""note""#).expect("a kind deserialises");
    assert_eq!(kind, NOTE);
}

#[test]
fn a_single_resolution_without_a_satisfaction_check_gets_info_hints() {
    let review = review(
        models(),
        &turns(CALM),
        "I will send a replacement kettle for order A10234 tomorrow.",
        REPLY,
        &[],
    );
    let rules: Vec<(&str, Severity)> = review
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("resolve.options", Severity::Info),
            ("resolve.satisfaction", Severity::Info)
        ]
    );
    assert_eq!(review.checklist.timeline.value, Some(true));
    assert_eq!(review.checklist.options.value, Some(false));
    assert_eq!(review.checklist.satisfaction_check.value, Some(false));
}
