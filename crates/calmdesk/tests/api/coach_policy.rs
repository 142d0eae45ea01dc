//! The coach and the policy engine over the command line and the API: `calmdesk coach` on an
//! argument, standard input and JSON Lines, `calmdesk rules test`, `calmdesk policy options` and
//! `calmdesk policy test`, `POST /api/v1/review`, and the Review stored with every outbound
//! message and note.

use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_refused, run_cli, run_cli_with_stdin, spawn_apps, stderr, stdout};

const CUSTOMER: &str = "My blue rain jacket arrived torn! Order #A10234.";
const BAD_DRAFT: &str = "Calm down. Per our policy you have to send it back.";
const GOOD_DRAFT: &str = "I'm so sorry your rain jacket arrived torn, that is our mistake. \
     I can send a replacement for order #A10234 today or refund you in full, whichever you \
     prefer. It will ship within 2 business days. Does that work for you?";

/// The top-level keys of every Review.
const REVIEW_KEYS: [&str; 8] = [
    "checklist",
    "checklist_reasons",
    "empathy",
    "findings",
    "packs",
    "politeness",
    "politeness_markers",
    "score",
];

/// The keys of every finding.
const FINDING_KEYS: [&str; 7] = [
    "end",
    "message",
    "rule",
    "severity",
    "start",
    "suggestions",
    "text",
];

/// The checklist items that are a value and a reason.
const CHECKS: [&str; 8] = [
    "acknowledged",
    "empathy",
    "clarifying_question",
    "options",
    "next_step",
    "timeline",
    "satisfaction_check",
    "boundary",
];

fn policy_file(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies")).join(name)
}

fn sorted_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort_unstable();
    keys
}

/// Writes the conversation with the torn-jacket customer to `dir` and returns its path.
fn write_context(dir: &Path) -> PathBuf {
    let path = dir.join("context.json");
    let context = json!({"conversation": [{"role": "customer", "text": CUSTOMER}]});
    std::fs::write(&path, context.to_string()).unwrap();
    path
}

/// Runs `calmdesk coach --json` on `draft` in the torn-jacket conversation; returns the Review.
fn coach_json(dir: &Path, draft: &str, kind: &str) -> Value {
    let context = write_context(dir);
    let output = run_cli(
        &[
            "coach",
            draft,
            "--context",
            context.to_str().unwrap(),
            "--kind",
            kind,
            "--json",
        ],
        dir,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("coach --json prints JSON ({e}): {}", stdout(&output)))
}

fn rule_ids(review: &Value) -> Vec<String> {
    review["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("findings is a list: {review}"))
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Asserts that `review` follows the Review contract, key by key.
fn assert_review(review: &Value) {
    assert_eq!(sorted_keys(review), REVIEW_KEYS, "{review}");
    let score = review["score"]
        .as_u64()
        .unwrap_or_else(|| panic!("score is a whole number: {review}"));
    assert!(score <= 100, "{review}");
    for finding in review["findings"].as_array().unwrap() {
        assert_eq!(sorted_keys(finding), FINDING_KEYS, "{finding}");
        assert!(
            ["info", "warning", "error"].contains(&finding["severity"].as_str().unwrap_or("")),
            "{finding}"
        );
        let (start, end) = (
            finding["start"].as_u64().unwrap(),
            finding["end"].as_u64().unwrap(),
        );
        assert!(start <= end, "{finding}");
        assert!(finding["suggestions"].is_array(), "{finding}");
        assert!(finding["message"].is_string(), "{finding}");
    }
    let checklist = &review["checklist"];
    let mut expected: Vec<&str> = CHECKS.to_vec();
    expected.push("apology");
    expected.sort_unstable();
    assert_eq!(sorted_keys(checklist), expected, "{checklist}");
    for check in CHECKS {
        let value = &checklist[check];
        assert!(
            value.is_boolean() || value.is_null(),
            "{check}: {checklist}"
        );
        assert!(
            review["checklist_reasons"][check].is_string(),
            "{check}: {review}"
        );
    }
    let apology = &checklist["apology"];
    assert_eq!(
        sorted_keys(apology),
        ["count", "needed", "owned"],
        "{apology}"
    );
    assert!(apology["count"].is_u64(), "{apology}");
    assert!(apology["needed"].is_boolean(), "{apology}");
    assert!(apology["owned"].is_boolean(), "{apology}");
    let empathy = &review["empathy"];
    assert_eq!(
        sorted_keys(empathy),
        ["emotional_reactions", "explorations", "interpretations"],
        "{empathy}"
    );
    for part in ["emotional_reactions", "interpretations", "explorations"] {
        let level = &empathy[part];
        assert!(level["level"].as_u64().is_some_and(|l| l <= 2), "{level}");
        let p = level["p"].as_array().unwrap_or_else(|| panic!("{level}"));
        assert_eq!(p.len(), 3, "{level}");
        let sum: f64 = p.iter().map(|x| x.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-3, "{part} sums to {sum}: {level}");
    }
    assert!(review["politeness"].is_number(), "{review}");
    let packs = review["packs"].as_array().unwrap();
    assert!(!packs.is_empty(), "{review}");
    for pack in packs {
        assert_eq!(sorted_keys(pack), ["name", "version"], "{pack}");
    }
    assert_eq!(packs[0]["name"], "calmdesk-default", "{review}");
}

#[test]
fn coach_prints_the_findings_of_a_bad_draft_with_their_rules_and_a_score() {
    let dir = tempfile::tempdir().unwrap();
    let context = write_context(dir.path());
    let output = run_cli(
        &["coach", BAD_DRAFT, "--context", context.to_str().unwrap()],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.lines().any(|l| l.starts_with("score: ")), "{text}");
    for rule in ["tone.condescending", "positive.deflecting"] {
        assert!(text.contains(rule), "{rule} missing from: {text}");
    }
}

#[test]
fn coach_json_gives_the_review_contract_and_a_good_draft_scores_higher_than_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let bad = coach_json(dir.path(), BAD_DRAFT, "reply");
    assert_review(&bad);
    let rules = rule_ids(&bad);
    assert!(rules.iter().any(|r| r == "tone.condescending"), "{bad}");
    assert!(rules.iter().any(|r| r == "positive.deflecting"), "{bad}");
    let calm = bad["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tone.condescending")
        .unwrap();
    let (start, end) = (
        calm["start"].as_u64().unwrap() as usize,
        calm["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&BAD_DRAFT[start..end], calm["text"], "{calm}");
    assert_eq!(calm["text"].as_str().unwrap().to_lowercase(), "calm down");

    let good = coach_json(dir.path(), GOOD_DRAFT, "reply");
    assert_review(&good);
    assert!(
        good["score"].as_u64() > bad["score"].as_u64(),
        "good {} is not above bad {}",
        good["score"],
        bad["score"]
    );
}

#[test]
fn coach_flags_a_derogatory_note_as_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let review = coach_json(dir.path(), "this nutcase is lying again", "note");
    assert_review(&review);
    let errors: Vec<&Value> = review["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(
        errors.iter().any(|f| f["rule"] == "notes.derogatory"),
        "{review}"
    );
}

#[test]
fn coach_reads_json_lines_in_order_with_an_error_object_at_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let conversation = json!([{"role": "customer", "text": CUSTOMER}]);
    let lines = [
        json!({"conversation": conversation, "draft": BAD_DRAFT}).to_string(),
        json!({"conversation": conversation, "text": "no draft here"}).to_string(),
        json!({"conversation": conversation, "draft": "this nutcase again", "kind": "note"})
            .to_string(),
    ];
    let path = dir.path().join("drafts.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let output = run_cli(&["coach", "--jsonl", path.to_str().unwrap()], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let out: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(out.len(), 3, "{}", stdout(&output));
    assert_review(&out[0]);
    assert!(rule_ids(&out[0]).iter().any(|r| r == "tone.condescending"));
    assert_eq!(out[1]["error"]["code"], "invalid_line", "{}", out[1]);
    assert_eq!(out[1]["error"]["line"], 2, "{}", out[1]);
    assert!(out[1].get("score").is_none(), "{}", out[1]);
    assert_review(&out[2]);
    assert!(rule_ids(&out[2]).iter().any(|r| r == "notes.derogatory"));
}

#[test]
fn coach_reads_the_draft_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let context = write_context(dir.path());
    let output = run_cli_with_stdin(
        &["coach", "--context", context.to_str().unwrap(), "--json"],
        dir.path(),
        BAD_DRAFT.as_bytes(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let review: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_review(&review);
    assert!(rule_ids(&review).iter().any(|r| r == "tone.condescending"));
}

#[test]
fn coach_refuses_an_unknown_kind_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(&["coach", BAD_DRAFT, "--kind", "bogus"], dir.path());
    assert_refused(&output, "bogus");
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
}

#[test]
fn rules_test_passes_the_default_pack() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(&["rules", "test"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("calmdesk-default"), "{text}");
    assert!(text.contains(" 0 examples failed"), "{text}");
}

const FAILING_PACK: &str = r#"name = "acme"
version = "3"

[[rules]]
id = "acme.no-promises"
kind = "existence"
severity = "warning"
message = "Do not promise a date."
phrases = ["guaranteed by friday"]
examples.match = ["It will arrive soon."]
examples.no_match = ["We will keep you posted."]
"#;

#[test]
fn rules_test_fails_a_company_pack_whose_example_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let packs = dir.path().join("packs");
    std::fs::create_dir(&packs).unwrap();
    std::fs::write(packs.join("acme.toml"), FAILING_PACK).unwrap();
    let output = run_cli(&["rules", "test", packs.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("acme.no-promises"), "{text}");
    assert!(text.contains("It will arrive soon."), "{text}");
    assert!(
        stderr(&output).contains("1 rule examples failed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn rules_test_names_the_file_and_line_of_a_broken_pack() {
    let dir = tempfile::tempdir().unwrap();
    let packs = dir.path().join("packs");
    std::fs::create_dir(&packs).unwrap();
    let broken = FAILING_PACK.replace(
        r#"phrases = ["guaranteed by friday"]"#,
        r#"phrases = ["guaranteed by friday""#,
    );
    assert_ne!(broken, FAILING_PACK);
    std::fs::write(packs.join("broken.toml"), broken).unwrap();
    let output = run_cli(&["rules", "test", packs.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let message = stderr(&output);
    let at = message
        .find("broken.toml:")
        .unwrap_or_else(|| panic!("no file name: {message}"));
    let line: String = message[at + "broken.toml:".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let line: usize = line
        .parse()
        .unwrap_or_else(|_| panic!("no line number: {message}"));
    assert!((9..=10).contains(&line), "line {line}: {message}");
}

#[test]
fn policy_test_passes_the_shipped_policies() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["default.toml", "abcd.toml"] {
        let path = policy_file(name);
        let output = run_cli(&["policy", "test", path.to_str().unwrap()], dir.path());
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains(" 0 failed"), "{name}: {text}");
        assert!(!text.contains("FAIL"), "{name}: {text}");
        assert!(
            !text.starts_with("0 passed"),
            "{name} has no examples: {text}"
        );
    }
}

/// Writes the facts to `dir` and runs `policy options --json` with the default policy.
fn policy_options(dir: &Path, facts: &Value) -> Value {
    let path = dir.join("facts.json");
    std::fs::write(&path, facts.to_string()).unwrap();
    let policy = policy_file("default.toml");
    let output = run_cli(
        &[
            "policy",
            "options",
            "--policy",
            policy.to_str().unwrap(),
            "--facts",
            path.to_str().unwrap(),
            "--json",
        ],
        dir,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "policy options --json prints JSON ({e}): {}",
            stdout(&output)
        )
    })
}

#[test]
fn policy_options_offers_ranked_options_with_reasons_and_a_trace_for_a_damaged_item() {
    let dir = tempfile::tempdir().unwrap();
    let facts = json!({
        "today": "2026-01-20",
        "request": "refund",
        "reason": "damaged_in_transit",
        "customer": {"tier": "silver", "concessions_90d": 0},
        "order": {"delivered": "2026-01-10", "amount": 80, "category": "clothing", "final_sale": false}
    });
    let outcome = policy_options(dir.path(), &facts);
    assert_eq!(sorted_keys(&outcome), ["options", "questions", "trace"]);
    let options = outcome["options"].as_array().unwrap();
    assert!(!options.is_empty(), "{outcome}");
    for option in options {
        assert_eq!(
            sorted_keys(option),
            ["amount", "approval", "kind", "reasons"],
            "{option}"
        );
        assert!(option["kind"].is_string(), "{option}");
        assert!(
            option["amount"].is_number() || option["amount"].is_null(),
            "{option}"
        );
        assert!(
            option["approval"].is_string() || option["approval"].is_null(),
            "{option}"
        );
        assert!(
            !option["reasons"].as_array().unwrap().is_empty(),
            "{option}"
        );
    }
    let kinds: Vec<&str> = options
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["refund", "exchange", "store_credit"], "{outcome}");
    assert_eq!(options[0]["amount"], 80.0, "{outcome}");
    assert_eq!(options[0]["approval"], Value::Null, "{outcome}");
    assert_eq!(outcome["questions"], json!([]), "{outcome}");
    let trace = outcome["trace"].as_array().unwrap();
    assert!(!trace.is_empty(), "{outcome}");
    for step in trace {
        assert!(
            !step["rule"].as_str().unwrap_or_default().is_empty(),
            "{step}"
        );
        assert!(step["fired"].is_boolean(), "{step}");
        assert!(step["why"].is_string(), "{step}");
    }
    assert!(
        trace
            .iter()
            .any(|s| s["rule"] == "reasons.damaged_in_transit" && s["fired"] == true),
        "{outcome}"
    );
}

#[test]
fn policy_options_asks_when_the_order_was_delivered_when_the_date_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let facts = json!({
        "today": "2026-03-01",
        "request": "return",
        "reason": "sizing",
        "customer": {"tier": "bronze", "concessions_90d": 0},
        "order": {"amount": 40, "category": "clothing", "receipt": true, "final_sale": false}
    });
    let outcome = policy_options(dir.path(), &facts);
    let questions = outcome["questions"].as_array().unwrap();
    assert!(
        questions
            .iter()
            .any(|q| q.as_str().unwrap_or_default().contains("delivered")),
        "{outcome}"
    );
    let kinds: Vec<&str> = outcome["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"return"), "{outcome}");
}

#[test]
fn a_policy_with_an_unknown_field_is_refused_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(policy_file("default.toml")).unwrap();
    let anchor = "currency = \"USD\"\n";
    let at = original.find(anchor).expect("the header names a currency") + anchor.len();
    let text = format!(
        "{}colour_scheme = \"blue\"\n{}",
        &original[..at],
        &original[at..]
    );
    let line = text[..at].lines().count() + 1;
    let path = dir.path().join("strange.toml");
    std::fs::write(&path, text).unwrap();
    let output = run_cli(&["policy", "test", path.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("strange.toml:{line}")),
        "expected strange.toml:{line} in: {message}"
    );
    assert!(message.contains("colour_scheme"), "{message}");
}

#[tokio::test]
async fn the_review_endpoint_reviews_a_draft_in_its_conversation() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let request = json!({
            "conversation": [{"role": "customer", "text": CUSTOMER}],
            "draft": BAD_DRAFT
        });
        let (status, review) = app.post("/api/v1/review", request.clone()).await;
        assert_eq!(status, StatusCode::OK, "{engine}: {review}");
        assert_review(&review);
        assert!(
            rule_ids(&review).iter().any(|r| r == "tone.condescending"),
            "{engine}: {review}"
        );

        let (status, body) = app
            .call(Method::POST, "/api/v1/review", None, Some(request.clone()))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{engine}: {body}");

        let (status, body) = app
            .post(
                "/api/v1/review",
                json!({"conversation": [{"role": "customer", "text": CUSTOMER}]}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{engine}: {body}");
        assert_eq!(body["error"]["code"], "missing_field", "{engine}: {body}");
        assert_eq!(body["error"]["field"], "draft", "{engine}: {body}");

        let mut extra = request.clone();
        extra["tone"] = json!("friendly");
        let (status, body) = app.post("/api/v1/review", extra).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{engine}: {body}");
        assert_eq!(body["error"]["code"], "unknown_field", "{engine}: {body}");
        assert_eq!(body["error"]["field"], "tone", "{engine}: {body}");
    }
}

#[tokio::test]
async fn an_outbound_message_and_a_note_are_reviewed_and_the_review_is_stored_and_audited() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let id = app.create_case("ana@example.com", CUSTOMER).await;
        let case = format!("/api/v1/cases/{id}");

        let (status, reply) = app
            .post(
                &format!("{case}/messages"),
                json!({"direction": "outbound", "text": BAD_DRAFT}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{engine}: {reply}");
        assert_review(&reply["review"]);
        assert!(
            rule_ids(&reply["review"])
                .iter()
                .any(|r| r == "tone.condescending"),
            "{engine}: {reply}"
        );

        let (status, note) = app
            .post(
                &format!("{case}/messages"),
                json!({"direction": "note", "text": "this nutcase is lying again"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{engine}: {note}");
        assert_review(&note["review"]);
        assert!(
            rule_ids(&note["review"])
                .iter()
                .any(|r| r == "notes.derogatory"),
            "{engine}: {note}"
        );

        let (status, record) = app.get(&case).await;
        assert_eq!(status, StatusCode::OK, "{engine}: {record}");
        let timeline = record["timeline"].as_array().unwrap();
        let stored = |message: &Value| {
            timeline
                .iter()
                .find(|e| e["type"] == "message" && e["id"] == message["id"])
                .unwrap_or_else(|| panic!("{engine}: message {} not in {record}", message["id"]))
                .clone()
        };
        assert_eq!(stored(&reply)["review"]["score"], reply["review"]["score"]);
        assert_eq!(
            rule_ids(&stored(&reply)["review"]),
            rule_ids(&reply["review"]),
            "{engine}"
        );
        assert_eq!(stored(&note)["review"]["score"], note["review"]["score"]);
        let inbound = timeline
            .iter()
            .find(|e| e["type"] == "message" && e["direction"] == "inbound")
            .unwrap();
        assert!(
            inbound.get("review").is_none_or(Value::is_null),
            "{engine}: an inbound message is read, not reviewed: {inbound}"
        );

        let (status, audit) = app.get(&format!("{case}/audit")).await;
        assert_eq!(status, StatusCode::OK, "{engine}: {audit}");
        let reviewed = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["entity"] == "message" && a["action"] == "reviewed")
            .count();
        assert_eq!(reviewed, 2, "{engine}: {audit}");
    }
}

#[tokio::test]
async fn a_case_plan_shows_customer_worth_to_managers_only() {
    for app in crate::helpers::spawn_apps().await {
        let id = app
            .create_case(
                "plan@example.com",
                "This is the third time I'm writing. My order #A10234 arrived torn and you are useless. I want a refund.",
            )
            .await;
        let path = format!("/api/v1/cases/{id}/plan");
        let (status, agent_view) = app.get(&path).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{agent_view}");
        for key in [
            "stage",
            "stage_reason",
            "next_steps",
            "suggested",
            "options",
            "escalation",
        ] {
            assert!(
                agent_view.get(key).is_some(),
                "{}: {key} missing",
                app.engine
            );
        }
        assert!(
            agent_view.get("customer_worth").is_none(),
            "agents do not see customer worth"
        );
        assert_eq!(
            agent_view["escalation"]["escalate"], true,
            "{}",
            agent_view["escalation"]
        );
        let (_, manager_view) = app
            .call(reqwest::Method::GET, &path, Some(&app.manager), None)
            .await;
        assert!(manager_view["customer_worth"]["recommendation"].is_string());
        let (status, missing) = app.get("/api/v1/cases/99999/plan").await;
        assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
        assert_eq!(missing["error"]["field"], "case_id");
    }
}

#[test]
fn plan_reads_a_conversation_file_and_prints_the_plan_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case.json");
    std::fs::write(
        &case,
        r#"{"messages": [
            {"direction": "inbound", "text": "My blue rain jacket from order #A10234 arrived torn. I want a refund."},
            {"direction": "outbound", "text": "I'm sorry your jacket arrived torn; that was our mistake."}
        ]}"#,
    )
    .unwrap();
    let output = crate::helpers::run_cli(
        &[
            "plan",
            case.to_str().unwrap(),
            "--json",
            "--today",
            "2026-11-23",
        ],
        dir.path(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(plan["stage"].is_string());
    assert!(plan["options"]["trace"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
    assert!(
        plan["suggested"]["restatement"]
            .as_str()
            .is_some_and(|r| r.contains("A10234")),
        "{}",
        plan["suggested"]
    );
    let readable = crate::helpers::run_cli(&["plan", case.to_str().unwrap()], dir.path());
    assert!(String::from_utf8_lossy(&readable.stdout).contains("stage:"));
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{not json").unwrap();
    let refused = crate::helpers::run_cli(&["plan", broken.to_str().unwrap()], dir.path());
    assert_eq!(refused.status.code(), Some(2));
}
