//! The real binary: help, users, import, export, and exit code 2 on bad input.

use std::path::Path;

use crate::helpers::{assert_refused, run_cli, stderr, stdout};

const TWCS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/twcs-sample/twcs_first5000.csv"
);

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["import", "--help"],
        vec!["export", "--help"],
        vec!["db", "migrate", "--help"],
        vec!["bench", "desk", "--help"],
    ] {
        let output = run_cli(&args, dir.path());
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

#[test]
fn user_add_prints_the_token_last_and_refuses_bad_input_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_cli(&["user", "add", "ana", "--role", "manager"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let token = out.lines().last().unwrap();
    assert!(token.starts_with("cdk_") && token.len() == 68, "{out}");
    assert!(
        dir.path().join("data/calmdesk.db").exists(),
        "SQLite lives in ./data by default"
    );

    for (args, message) in [
        (vec!["user", "add", "ana"], "exists already"),
        (
            vec!["user", "add", "bob", "--role", "boss"],
            "--role must be one of",
        ),
        (vec!["user", "add", "bad name"], "name"),
        (vec!["user", "token", "nobody"], "no user named nobody"),
        (
            vec!["--database-url", "mysql://x", "db", "migrate"],
            "sqlite:// or postgres://",
        ),
        (vec!["import", "missing.csv"], "cannot read missing.csv"),
        (vec!["frobnicate"], "unrecognized subcommand"),
    ] {
        assert_refused(&run_cli(&args, dir.path()), message);
    }
    let list = run_cli(&["user", "list"], dir.path());
    assert_eq!(
        stdout(&list).lines().count(),
        1,
        "the failed adds wrote nothing"
    );
}

#[test]
fn global_flags_work_before_and_after_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    let elsewhere = elsewhere.to_str().unwrap();
    assert!(
        run_cli(&["--data-dir", elsewhere, "user", "add", "ana"], dir.path())
            .status
            .success()
    );
    let after = run_cli(&["user", "list", "--data-dir", elsewhere], dir.path());
    assert!(stdout(&after).contains("ana"));
    let url = format!("sqlite://{elsewhere}/calmdesk.db");
    let by_url = run_cli(&["user", "list", "--database-url", &url], dir.path());
    assert!(stdout(&by_url).contains("ana"));
    assert!(!dir.path().join("data").exists());
}

#[test]
fn the_twitter_sample_imports_once_and_exports_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let first = run_cli(&["import", TWCS], dir.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = stdout(&first);
    let new_cases: usize = summary
        .split(" new cases")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(new_cases > 1000, "{summary}");
    assert!(summary.contains("skipped"), "{summary}");

    let again = run_cli(&["import", TWCS], dir.path());
    assert!(
        stdout(&again).contains(" 0 new cases, 0 messages added"),
        "{}",
        stdout(&again)
    );

    let export = run_cli(&["export"], dir.path());
    let lines: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), new_cases);
    let messages: usize = lines
        .iter()
        .map(|l| l["timeline"].as_array().unwrap().len())
        .sum();
    assert!(messages > 4000);
    for line in &lines {
        let timeline = line["timeline"].as_array().unwrap();
        assert!(
            timeline.iter().any(|m| m["direction"] == "inbound"),
            "{line}"
        );
        assert!(line["case"]["external_id"]
            .as_str()
            .unwrap()
            .starts_with("twcs:"));
    }
    let out = dir.path().join("out.jsonl");
    let to_file = run_cli(&["export", "--out", out.to_str().unwrap()], dir.path());
    assert!(to_file.status.success());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        new_cases
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn mail_threads_by_references_across_mbox_and_eml_files() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = write(
        dir.path(),
        "support.mbox",
        "\
From ana@example.com Mon May  4 09:00:00 2026
From: Ana Lopez <ana@example.com>
To: help@shop.example
Subject: Torn jacket, order #A100
Message-ID: <m1@example.com>
Date: Mon, 04 May 2026 09:00:00 +0000

My blue jacket arrived torn. This is unacceptable.

From help@shop.example Mon May  4 10:00:00 2026
From: Shop Help <help@shop.example>
To: ana@example.com
Subject: Re: Torn jacket, order #A100
Message-ID: <m2@shop.example>
In-Reply-To: <m1@example.com>
References: <m1@example.com>
Date: Mon, 04 May 2026 10:00:00 +0000

I'm sorry it arrived torn. Would a replacement or a refund suit you better?

From bo@example.com Mon May  4 11:00:00 2026
From: Bo <bo@example.com>
Subject: Wrong size
Message-ID: <b1@example.com>
Date: Mon, 04 May 2026 11:00:00 +0000

I ordered a size M and got an XL.
",
    );
    let eml = write(
        dir.path(),
        "reply.eml",
        "\
From: Ana Lopez <ana@example.com>
To: help@shop.example
Subject: Re: Torn jacket, order #A100
Message-ID: <m3@example.com>
In-Reply-To: <m2@shop.example>
References: <m1@example.com> <m2@shop.example>
Date: Mon, 04 May 2026 12:00:00 +0000

A refund, please.

> I'm sorry it arrived torn.
",
    );
    let first = run_cli(&["import", &mbox], dir.path());
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("2 conversations, 2 new cases, 3 messages added"),
        "{}",
        stdout(&first)
    );
    let second = run_cli(&["import", &eml, &mbox], dir.path());
    assert!(
        stdout(&second).contains("1 conversations, 0 new cases, 1 messages added"),
        "{}",
        stdout(&second)
    );
    assert!(stdout(&second).contains("total:"), "{}", stdout(&second));

    let export = run_cli(&["export"], dir.path());
    let cases: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cases.len(), 2);
    let ana = cases
        .iter()
        .find(|c| c["customer"]["emails"][0] == "ana@example.com")
        .unwrap();
    let directions: Vec<&str> = ana["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, ["inbound", "outbound", "inbound"]);
    assert_eq!(ana["timeline"][2]["text"], "A refund, please.");
    assert_eq!(ana["case"]["subject"], "Torn jacket, order #A100");
}

#[test]
fn csv_and_jsonl_files_import_with_their_documented_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("chats.csv");
    std::fs::write(&csv, "conversation_id,message_id,direction,author,customer_name,customer_email,channel,subject,created_at,text\n\
        c1,1,inbound,Ana,Ana,ana@example.com,chat,Late parcel,2026-05-01 10:00:00,Where is my parcel?\n\
        c1,2,outbound,Sam,,,chat,,2026-05-01 10:05:00,It ships today.\n\
        c2,3,inbound,Bo,Bo,bo@example.com,chat,Refund,not a date,Refund please\n").unwrap();
    let jsonl = dir.path().join("more.jsonl");
    std::fs::write(
        &jsonl,
        "{\"conversation_id\": \"j1\", \"text\": \"Hello\", \"customer_name\": \"Cy\"}\nnot json\n",
    )
    .unwrap();
    let output = run_cli(
        &["import", csv.to_str().unwrap(), jsonl.to_str().unwrap()],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("chats.csv: 1 conversations, 1 new cases, 2 messages added"),
        "{out}"
    );
    assert!(
        out.contains("more.jsonl: 1 conversations, 1 new cases, 1 messages added"),
        "{out}"
    );
    assert_eq!(out.matches("  skipped").count(), 2, "{out}");
    let unknown = dir.path().join("notes.txt");
    std::fs::write(&unknown, "hello").unwrap();
    let refused = run_cli(&["import", unknown.to_str().unwrap()], dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--format"));
}

#[test]
fn import_puts_a_legal_threat_in_the_manager_queue_and_a_broken_policy_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("threat.jsonl");
    std::fs::write(
        &jsonl,
        "{\"conversation_id\": \"t1\", \"customer_name\": \"Di\", \"text\": \"Third time I am writing about order #A555. If it is not refunded by Friday my lawyer will be in touch.\"}\n\
         {\"conversation_id\": \"t2\", \"customer_name\": \"Ed\", \"text\": \"Could you tell me when my order ships? Thanks!\"}\n",
    )
    .unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[windows]\nno_such_key = 3\n").unwrap();
    let refused = run_cli(
        &[
            "import",
            jsonl.to_str().unwrap(),
            "--policy",
            broken.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_refused(&refused, "broken.toml");
    let export = run_cli(&["export"], dir.path());
    assert!(export.status.success(), "{}", stderr(&export));
    assert_eq!(
        stdout(&export).trim(),
        "",
        "a refused import stores nothing"
    );

    let output = run_cli(&["import", jsonl.to_str().unwrap()], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("escalated 1 cases to the manager queue"),
        "{}",
        stdout(&output)
    );
    let export = run_cli(&["export"], dir.path());
    let cases: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let escalated: Vec<&str> = cases
        .iter()
        .filter(|c| c["case"]["escalated"] == true)
        .map(|c| c["customer"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(escalated, ["Di"]);
    let again = run_cli(&["import", jsonl.to_str().unwrap()], dir.path());
    assert!(
        !stdout(&again).contains("escalated"),
        "nothing new, nothing escalated: {}",
        stdout(&again)
    );
}
