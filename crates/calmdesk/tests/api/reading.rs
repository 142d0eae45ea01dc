//! The Reading over the command line and the API: `calmdesk analyze` on text, standard input and
//! JSON Lines, `POST /api/v1/analyze`, the Reading stored with every inbound message, and
//! `calmdesk reread`.

use std::path::Path;
use std::process::Output;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_refused, run_cli, run_cli_with_stdin, spawn_apps, stderr, stdout};
use calmdesk_core::analysis::READING_MODELS;

/// The top-level keys of every Reading, in the order they are written.
const READING_KEYS: [&str; 13] = [
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
    "diagnostics",
];

/// Asserts that `value` is a Reading: an object with exactly the contract's keys, 28 emotions
/// and 31 intents, and a heat level by name.
fn assert_reading(value: &Value) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("a Reading is an object: {value}"));
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = READING_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "{value}");
    assert_eq!(value["emotions"].as_object().map(|o| o.len()), Some(28));
    assert_eq!(value["intents"].as_object().map(|o| o.len()), Some(31));
    assert!(
        ["calm", "annoyed", "upset", "angry", "hostile"]
            .contains(&value["heat"]["level"].as_str().unwrap_or_default()),
        "{value}"
    );
}

/// Asserts that two JSON values are equal, numbers to within float parsing (the store keeps a
/// Reading as JSON text, and parsing it back may move a number by its last digit).
fn assert_same_json(stored: &Value, returned: &Value, context: &str) {
    match (stored, returned) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-12 + 1e-9 * a.abs().max(b.abs()),
                "{context}: {a} and {b}"
            );
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{context}: {stored} and {returned}");
            for (a, b) in a.iter().zip(b) {
                assert_same_json(a, b, context);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            assert!(a.keys().eq(b.keys()), "{context}: {stored} and {returned}");
            for (key, a) in a {
                assert_same_json(a, &b[key], context);
            }
        }
        _ => assert_eq!(stored, returned, "{context}"),
    }
}

/// The output lines as JSON.
fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn analyze_prints_a_readable_reading_with_the_evidence_marked() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(
        &[
            "analyze",
            "Where is my order #A100, you useless idiot? I will sue.",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.starts_with("heat: "), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour outside a terminal: {out}"
    );
    for marked in ["[[#A100]]", "[[you useless idiot]]", "[[I will sue]]"] {
        assert!(out.contains(marked), "{marked} in {out}");
    }
    assert!(out.contains("aimed at the agent yes"), "{out}");
    assert!(out.contains("legal_threat"), "{out}");
}

#[test]
fn analyze_json_prints_the_reading_contract() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(
        &[
            "analyze",
            "--json",
            "This is the third time I write, idiot!",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let reading: Value = serde_json::from_slice(&output.stdout).expect("the output is JSON");
    assert_reading(&reading);
    assert_eq!(reading["abuse"]["targets_agent"], true);
    assert_eq!(reading["facts"][0]["kind"], "contact_count");
    assert_eq!(reading["facts"][0]["count"], 3);
    // The keys come in the contract's order.
    let text = stdout(&output);
    let positions: Vec<usize> = READING_KEYS
        .iter()
        .map(|k| {
            text.find(&format!("\n  \"{k}\":"))
                .unwrap_or_else(|| panic!("{k} at the top level of {text}"))
        })
        .collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "{text}");
}

#[test]
fn analyze_reads_the_message_from_standard_input_and_reports_invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli_with_stdin(
        &["analyze", "--json"],
        dir.path(),
        b"My order #A100 arrived broken \xff and I want a refund",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let reading: Value = serde_json::from_slice(&output.stdout).expect("the output is JSON");
    assert_reading(&reading);
    assert_eq!(reading["facts"][0]["value"], "A100");
    assert_eq!(reading["fault"]["side"], "company");
    let codes: Vec<&str> = reading["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["invalid_utf8"]);

    let readable = run_cli_with_stdin(
        &["analyze"],
        dir.path(),
        "I want to speak to a manager".as_bytes(),
    );
    assert!(readable.status.success(), "{}", stderr(&readable));
    assert!(
        stdout(&readable).contains("[[speak to a manager]]"),
        "{}",
        stdout(&readable)
    );
}

/// 300 JSON Lines with ids and extra fields; lines 50, 120 and 200 are bad.
fn jsonl_input() -> String {
    let texts = [
        "Where is my order #A100?",
        "you useless idiot",
        "Thank you so much!",
        "I will sue you",
        "😡😡😡",
        "",
    ];
    let mut lines = Vec::new();
    for n in 1..=300usize {
        let line = match n {
            50 => "this is not JSON".to_owned(),
            120 => json!({"id": n, "body": "no text here"}).to_string(),
            200 => json!({"id": n, "text": 42}).to_string(),
            _ => json!({"text": texts[n % texts.len()], "id": n, "meta": {"a": 1, "n": n}})
                .to_string(),
        };
        lines.push(line);
    }
    lines.join("\n") + "\n"
}

/// Asserts that `lines` are the answers to [`jsonl_input`], in its order.
fn assert_jsonl_output(lines: &[Value]) {
    assert_eq!(lines.len(), 300);
    for (index, line) in lines.iter().enumerate() {
        let n = index + 1;
        match n {
            50 | 120 | 200 => {
                assert_eq!(line["error"]["line"], n, "{line}");
                assert_eq!(line["error"]["code"], "invalid_line", "{line}");
                assert!(line.get("heat").is_none(), "{line}");
            }
            _ => {
                assert!(line.get("error").is_none(), "line {n}: {line}");
                assert_eq!(line["input"]["id"], n, "{line}");
                assert_eq!(line["input"]["meta"], json!({"a": 1, "n": n}), "{line}");
                assert!(line["input"].get("text").is_none(), "{line}");
                for key in READING_KEYS {
                    assert!(line.get(key).is_some(), "line {n} has {key}");
                }
            }
        }
    }
    assert!(lines[49]["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("JSON")));
    assert!(lines[119]["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("text")));
    // Each Reading belongs to its own line's text.
    assert_eq!(lines[0]["abuse"]["targets_agent"], true, "line 1: idiot");
    assert_eq!(lines[1]["abuse"]["targets_agent"], false, "line 2: thanks");
    assert_eq!(lines[5]["facts"][0]["value"], "A100", "line 6: order");
    assert_eq!(
        lines[3]["diagnostics"][0]["code"], "no_words",
        "line 4: emoji"
    );
    assert_eq!(lines[4]["diagnostics"][0]["code"], "empty", "line 5: empty");
}

#[test]
fn analyze_jsonl_on_two_threads_answers_every_line_in_order_with_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages.jsonl");
    std::fs::write(&path, jsonl_input()).unwrap();
    let output = run_cli(
        &[
            "analyze",
            "--jsonl",
            path.to_str().unwrap(),
            "--threads",
            "2",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_jsonl_output(&json_lines(&output));
}

#[test]
fn analyze_jsonl_keeps_order_and_line_numbers_across_batches_on_three_threads() {
    // More lines than one batch holds (8,192 on one thread) and dozens of the workers' chunks
    // (512 lines), which come back in any order; one bad line far into the input, and blank
    // lines that still count.
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        "Where is my parcel?",
        "you useless idiot",
        "Thanks, all sorted!",
    ];
    let mut input = String::new();
    for i in 1..=20_000 {
        match i {
            9_000 => input.push_str("not json\n"),
            100 | 12_345 => input.push('\n'),
            _ => input.push_str(&format!(
                "{{\"text\": \"{}\", \"id\": {i}}}\n",
                texts[i % texts.len()]
            )),
        }
    }
    let path = dir.path().join("many.jsonl");
    std::fs::write(&path, input).unwrap();
    let run = |threads: &str| {
        let output = run_cli(
            &[
                "analyze",
                "--jsonl",
                path.to_str().unwrap(),
                "--threads",
                threads,
            ],
            dir.path(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        output
    };
    let three = run("3");
    assert!(
        three.stdout == run("1").stdout,
        "three threads write what one thread writes"
    );
    let lines = json_lines(&three);
    assert_eq!(lines.len(), 19_998);
    let mut expected = (1..=20_000).filter(|i| ![100, 12_345].contains(i));
    for line in &lines {
        let number = expected.next().unwrap();
        if number == 9_000 {
            assert_eq!(line["error"]["line"], 9_000);
        } else {
            assert_eq!(line["input"]["id"], number);
            let insult = texts[number % texts.len()] == "you useless idiot";
            assert_eq!(line["abuse"]["targets_agent"], insult, "line {number}");
        }
    }
}

#[test]
fn analyze_jsonl_reads_standard_input_with_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli_with_stdin(
        &["analyze", "--jsonl", "-", "--threads", "2"],
        dir.path(),
        jsonl_input().as_bytes(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_jsonl_output(&json_lines(&output));
}

#[test]
fn analyze_refuses_a_missing_file_or_models_folder_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = run_cli(&["analyze", "--jsonl", "missing.jsonl"], dir.path());
    assert_refused(&missing, "missing.jsonl");
    assert!(missing.stdout.is_empty());
    let no_models = run_cli(&["analyze", "--models", "/nonexistent", "x"], dir.path());
    assert_refused(&no_models, "/nonexistent");
    assert!(no_models.stdout.is_empty());
}

#[test]
fn analyze_with_a_models_folder_reads_like_the_embedded_models() {
    let dir = tempfile::tempdir().unwrap();
    let models = copy_reading_models(dir.path());
    let text = "My parcel has not arrived and you are useless.";
    let embedded = run_cli(&["analyze", "--json", text], dir.path());
    let from_folder = run_cli(
        &[
            "analyze",
            "--json",
            "--models",
            models.to_str().unwrap(),
            text,
        ],
        dir.path(),
    );
    assert!(from_folder.status.success(), "{}", stderr(&from_folder));
    assert_eq!(stdout(&embedded), stdout(&from_folder));
}

/// Copies the ten Reading models into `dir/models` and returns that folder.
fn copy_reading_models(dir: &Path) -> std::path::PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let target = dir.join("models");
    std::fs::create_dir_all(&target).unwrap();
    for name in READING_MODELS {
        let file = format!("{name}.cdm");
        std::fs::copy(source.join(&file), target.join(&file)).unwrap();
    }
    target
}

#[tokio::test]
async fn post_analyze_returns_the_reading_of_any_text() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let (status, reading) = app
            .post(
                "/api/v1/analyze",
                json!({"text": "I want to speak to a manager, order #A100 arrived broken"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{engine}: {reading}");
        assert_reading(&reading);
        assert_eq!(
            reading["intent_evidence"][0]["rule"],
            "intent.speak_to_manager"
        );
        assert_eq!(reading["intent_evidence"][0]["text"], "speak to a manager");
        assert_eq!(reading["facts"][0]["text"], "#A100");
        assert_eq!(reading["fault"]["side"], "company");

        let (status, empty) = app.post("/api/v1/analyze", json!({"text": ""})).await;
        assert_eq!(status, StatusCode::OK, "{engine}: {empty}");
        assert_eq!(empty["diagnostics"][0]["code"], "empty");
    }
}

#[tokio::test]
async fn post_analyze_needs_a_token_and_exactly_a_text() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let (status, body) = app
            .call(
                Method::POST,
                "/api/v1/analyze",
                None,
                Some(json!({"text": "hi"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{engine}: {body}");

        let (status, body) = app.post("/api/v1/analyze", json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{engine}: {body}");
        assert_eq!(body["error"]["field"], "text", "{engine}: {body}");

        let (status, body) = app
            .post("/api/v1/analyze", json!({"text": "hi", "lang": "en"}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{engine}: {body}");
        assert_eq!(body["error"]["code"], "unknown_field", "{engine}: {body}");
        assert_eq!(body["error"]["field"], "lang", "{engine}: {body}");

        let (status, body) = app.post("/api/v1/analyze", json!({"text": 7})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{engine}: {body}");
        assert_eq!(body["error"]["field"], "text", "{engine}: {body}");
    }
}

#[tokio::test]
async fn a_new_case_stores_a_reading_of_its_first_message_and_audits_it() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let id = app
            .create_case(
                "ana@example.com",
                "This is the third time I write: order #A100 arrived broken, you idiot.",
            )
            .await;
        let (status, case) = app.get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{engine}: {case}");
        let first = &case["timeline"][0];
        assert_eq!(first["direction"], "inbound", "{engine}: {case}");
        assert_reading(&first["reading"]);
        assert!(first["reading"]["heat"].is_object());
        assert_eq!(first["reading"]["abuse"]["targets_agent"], true);
        assert_eq!(first["reading"]["facts"][1]["value"], "A100", "{engine}");
        let version = first["reading_version"].as_str().unwrap_or_default();
        assert!(
            version.starts_with("m-") && version.len() > 18 && version[18..].starts_with(".r"),
            "{engine}: {version}"
        );

        let (_, audit) = app.get(&format!("/api/v1/cases/{id}/audit")).await;
        let read: Vec<&Value> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["entity"] == "message" && a["action"] == "read")
            .collect();
        assert_eq!(read.len(), 1, "{engine}: {audit}");
        assert_eq!(read[0]["entity_id"], first["id"], "{engine}: {audit}");
    }
}

#[tokio::test]
async fn inbound_messages_are_read_and_outbound_ones_are_not() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let id = app
            .create_case("bo@example.com", "Where is my parcel?")
            .await;
        let case = format!("/api/v1/cases/{id}");
        let (status, reply) = app
            .post(
                &format!("{case}/messages"),
                json!({"direction": "outbound", "text": "You idiot, it ships today."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{engine}: {reply}");
        assert!(reply["reading"].is_null(), "{engine}: {reply}");
        assert!(reply["reading_version"].is_null(), "{engine}: {reply}");

        let (status, inbound) = app
            .post(
                &format!("{case}/messages"),
                json!({"direction": "inbound", "text": "I want to speak to a manager."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{engine}: {inbound}");
        assert_reading(&inbound["reading"]);
        assert!(inbound["reading"]["intents"]["speak_to_manager"].as_f64() >= Some(0.5));
        assert!(inbound["reading_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("m-")));

        let (_, record) = app.get(&case).await;
        let messages: Vec<&Value> = record["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "message")
            .collect();
        assert_eq!(messages.len(), 3, "{engine}: {record}");
        let stored_reply = messages.iter().find(|m| m["id"] == reply["id"]).unwrap();
        assert!(stored_reply["reading"].is_null(), "{engine}: {record}");
        let stored = messages.iter().find(|m| m["id"] == inbound["id"]).unwrap();
        assert_same_json(&stored["reading"], &inbound["reading"], engine);
        assert_eq!(stored["reading_version"], inbound["reading_version"]);

        let (_, audit) = app.get(&format!("{case}/audit")).await;
        let read_ids: Vec<&Value> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["entity"] == "message" && a["action"] == "read")
            .map(|a| &a["entity_id"])
            .collect();
        assert_eq!(read_ids.len(), 2, "{engine}: {audit}");
        assert!(read_ids.contains(&&inbound["id"]), "{engine}: {audit}");
        assert!(!read_ids.contains(&&reply["id"]), "{engine}: {audit}");
    }
}

#[test]
fn import_reads_new_customer_messages_and_reread_finds_nothing_left() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("chats.csv");
    std::fs::write(
        &csv,
        "conversation_id,direction,text\n\
         c1,inbound,Where is my order #A100? This is the third time I ask.\n\
         c1,outbound,Sorry - it ships today.\n\
         c1,inbound,\"You are useless, I will sue.\"\n\
         c2,inbound,My jacket arrived broken.\n",
    )
    .unwrap();
    let import = run_cli(&["import", csv.to_str().unwrap()], dir.path());
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(
        stdout(&import).contains("read 3 new customer messages"),
        "{}",
        stdout(&import)
    );

    let reread = run_cli(&["reread"], dir.path());
    assert!(reread.status.success(), "{}", stderr(&reread));
    assert!(
        stdout(&reread).starts_with("read 0 messages"),
        "{}",
        stdout(&reread)
    );

    let again = run_cli(&["import", csv.to_str().unwrap()], dir.path());
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        !stdout(&again).contains("new customer messages"),
        "{}",
        stdout(&again)
    );

    let export = run_cli(&["export"], dir.path());
    let cases = json_lines(&export);
    assert_eq!(cases.len(), 2);
    let mut inbound = 0;
    let mut versions = Vec::new();
    for case in &cases {
        for message in case["timeline"].as_array().unwrap() {
            if message["direction"] == "inbound" {
                inbound += 1;
                assert_reading(&message["reading"]);
                versions.push(message["reading_version"].as_str().unwrap().to_owned());
            } else {
                assert!(message["reading"].is_null(), "{message}");
            }
        }
    }
    assert_eq!(inbound, 3);
    assert!(versions
        .iter()
        .all(|v| v.starts_with("m-") && *v == versions[0]));
    let angry = cases
        .iter()
        .flat_map(|c| c["timeline"].as_array().unwrap())
        .find(|m| m["text"] == "You are useless, I will sue.")
        .expect("the angry message is stored");
    assert_eq!(angry["reading"]["abuse"]["targets_agent"], true);
    assert!(angry["reading"]["intents"]["legal_threat"].as_f64() >= Some(0.5));
}

#[test]
fn reread_with_other_models_reads_every_inbound_message_again_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("chats.csv");
    std::fs::write(
        &csv,
        "conversation_id,text\n\
         c1,Where is my order #A100?\n\
         c2,Thanks for nothing.\n",
    )
    .unwrap();
    let import = run_cli(&["import", csv.to_str().unwrap()], dir.path());
    assert!(
        stdout(&import).contains("read 2 new customer messages"),
        "{}",
        stdout(&import)
    );
    let first = json_lines(&run_cli(&["export"], dir.path()));
    let embedded = first[0]["timeline"][0]["reading_version"]
        .as_str()
        .unwrap()
        .to_owned();

    // Only the ten Reading models: another set, so another fingerprint.
    let models = copy_reading_models(dir.path());
    let models = models.to_str().unwrap();
    let reread = run_cli(&["reread", "--models", models], dir.path());
    assert!(reread.status.success(), "{}", stderr(&reread));
    let out = stdout(&reread);
    assert!(out.starts_with("read 2 messages with models m-"), "{out}");
    let version = out.trim().rsplit(' ').next().unwrap().to_owned();
    assert_ne!(version, embedded);
    let again = run_cli(&["reread", "--models", models], dir.path());
    assert!(
        stdout(&again).starts_with("read 0 messages"),
        "{}",
        stdout(&again)
    );

    for case in json_lines(&run_cli(&["export"], dir.path())) {
        let message = &case["timeline"][0];
        assert_eq!(message["reading_version"], version.as_str(), "{case}");
        assert_reading(&message["reading"]);
    }
}

#[test]
fn bench_reading_times_one_and_two_threads_in_pairs_and_prints_medians() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("texts.jsonl");
    std::fs::write(
        &input,
        "{\"text\": \"Where is my parcel? It is two weeks late.\"}\n{\"text\": \"Thanks!\"}\n",
    )
    .unwrap();
    let input = input.to_str().unwrap();
    let output = run_cli(
        &[
            "bench",
            "reading",
            "--messages",
            "300",
            "--pairs",
            "2",
            "--input",
            input,
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let table = stdout(&output);
    assert!(table.contains("Texts: 300 messages"), "{table}");
    assert!(
        table.contains("| two threads against one, median of 2 pairs run in turn |"),
        "{table}"
    );
    assert!(table.contains("`analyze --jsonl --threads 1` (JSON in and out), median of 2"));
    assert_refused(
        &run_cli(
            &["bench", "reading", "--pairs", "0", "--input", input],
            dir.path(),
        ),
        "--pairs",
    );
}
