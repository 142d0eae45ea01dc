//! The coach as a guardrail and in scripts: JSON Lines on standard input, the shipped example
//! pack, the same Review from the command line and the API, and bad input refused with the
//! field or file named.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_refused, run_cli, run_cli_with_stdin, spawn_apps, stderr, stdout};

const CUSTOMER: &str = "My blue rain jacket arrived torn! Order #A10234.";
const DRAFT: &str = "Calm down. Per our policy you have to send it back. Thank you!";

/// The folder of example packs shipped with the project.
fn example_packs() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../packs"))
}

fn rule_ids(review: &Value) -> Vec<String> {
    review["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("findings is a list: {review}"))
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn coach_jsonl_dash_reads_requests_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let conversation = json!([{"role": "customer", "text": CUSTOMER}]);
    let input = [
        json!({"conversation": conversation, "draft": DRAFT}).to_string(),
        String::new(),
        json!({"draft": "this liar again", "kind": "note"}).to_string(),
    ]
    .join("\n");
    let output = run_cli_with_stdin(&["coach", "--jsonl", "-"], dir.path(), input.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    let reviews: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(reviews.len(), 2, "{}", stdout(&output));
    assert!(rule_ids(&reviews[0]).contains(&"tone.condescending".to_owned()));
    assert!(rule_ids(&reviews[0]).contains(&"positive.deflecting".to_owned()));
    let markers = reviews[0]["politeness_markers"].as_array().unwrap();
    assert!(
        markers
            .iter()
            .any(|m| m["strategy"] == "gratitude" && m["text"] == "Thank you"),
        "{markers:?}"
    );
    assert!(rule_ids(&reviews[1]).contains(&"notes.derogatory".to_owned()));
}

#[test]
fn coach_with_a_broken_context_or_missing_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let context = dir.path().join("context.json");
    std::fs::write(
        &context,
        r#"{"conversation": [{"role": "boss", "text": "hi"}]}"#,
    )
    .unwrap();
    let output = run_cli(
        &["coach", DRAFT, "--context", context.to_str().unwrap()],
        dir.path(),
    );
    assert_refused(&output, "context.json");
    assert!(output.stdout.is_empty(), "{}", stdout(&output));

    let output = run_cli(&["coach", "--file", "no-such-draft.txt"], dir.path());
    assert_refused(&output, "no-such-draft.txt");

    let output = run_cli(&["coach", "--jsonl", "no-such.jsonl"], dir.path());
    assert_refused(&output, "no-such.jsonl");
}

#[test]
fn rules_test_passes_the_shipped_example_pack() {
    let dir = tempfile::tempdir().unwrap();
    let packs = example_packs();
    let output = run_cli(&["rules", "test", packs.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("northwind-brand"), "{text}");
    assert!(text.contains(" 0 examples failed"), "{text}");
}

#[test]
fn coach_with_the_example_pack_applies_its_rules_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let packs = example_packs();
    let output = run_cli(
        &[
            "coach",
            "No worries, I guarantee it will arrive tomorrow.",
            "--packs",
            packs.to_str().unwrap(),
            "--json",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let review: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = rule_ids(&review);
    for rule in ["brand.banned", "brand.date_guarantee", "brand.sign_off"] {
        assert!(rules.contains(&rule.to_owned()), "{rule} in {rules:?}");
    }
    assert_eq!(review["packs"][1]["name"], "northwind-brand", "{review}");
    assert_eq!(review["packs"][1]["version"], "2026.11", "{review}");
}

#[tokio::test]
async fn the_review_endpoint_and_coach_json_give_the_same_review() {
    let dir = tempfile::tempdir().unwrap();
    let request = json!({
        "conversation": [
            {"role": "customer", "text": CUSTOMER},
            {"role": "agent", "text": "I'm sorry about that. Could you send a photo?"},
            {"role": "customer", "text": "Here it is. Fix it now."}
        ],
        "draft": DRAFT,
        "kind": "reply"
    });
    let output = run_cli_with_stdin(
        &["coach", "--jsonl", "-"],
        dir.path(),
        request.to_string().as_bytes(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let from_cli: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    for app in spawn_apps().await {
        let (status, from_api) = app.post("/api/v1/review", request.clone()).await;
        assert_eq!(status, StatusCode::OK, "{}: {from_api}", app.engine);
        assert_eq!(from_api, from_cli, "{}", app.engine);
    }
}

#[tokio::test]
async fn the_review_endpoint_names_the_bad_field() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let cases = [
            (
                json!({"conversation": [{"role": "boss", "text": "hi"}], "draft": "Hello"}),
                "conversation[0].role",
            ),
            (
                json!({"conversation": [{"role": "customer"}], "draft": "Hello"}),
                "conversation[0].text",
            ),
            (json!({"draft": 42}), "draft"),
            (json!({"draft": "Hello", "kind": "memo"}), "kind"),
            (
                json!({"draft": "x".repeat(calmdesk_desk::domain::MAX_TEXT + 1)}),
                "draft",
            ),
        ];
        for (body, field) in cases {
            let (status, answer) = app.post("/api/v1/review", body.clone()).await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{engine}: {body} -> {answer}"
            );
            assert_eq!(
                answer["error"]["field"], field,
                "{engine}: {body} -> {answer}"
            );
        }
    }
}
