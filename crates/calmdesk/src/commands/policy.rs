//! `calmdesk policy`: the options a company's policy allows for a set of facts, and the
//! policy file's own examples run as tests.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use calmdesk_core::policy::{self, Facts, Policy};

use crate::cli::{PolicyArgs, PolicyCommand};

/// Reads and checks a policy file; its errors name the file and line.
pub fn load(path: &Path) -> anyhow::Result<Policy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the policy {}", path.display()))?;
    policy::parse(&path.display().to_string(), &text).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn run(args: PolicyArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match args.command {
        PolicyCommand::Options {
            policy,
            facts,
            json,
        } => {
            let policy = load(&policy)?;
            let text = std::fs::read_to_string(&facts)
                .with_context(|| format!("cannot read the facts {}", facts.display()))?;
            let facts: Facts = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid facts file", facts.display()))?;
            let outcome = policy::evaluate(&policy, &facts);
            if json {
                serde_json::to_writer_pretty(&mut out, &outcome)?;
                writeln!(out)?;
                return Ok(());
            }
            let value = serde_json::to_value(&outcome)?;
            let empty = Vec::new();
            let options = value["options"].as_array().unwrap_or(&empty);
            if options.is_empty() {
                writeln!(out, "no options")?;
            }
            for (rank, option) in options.iter().enumerate() {
                let amount = option["amount"]
                    .as_f64()
                    .map(|a| format!(" {a:.2}"))
                    .unwrap_or_default();
                let approval = option["approval"]
                    .as_str()
                    .map(|r| format!(" (needs {r} approval)"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}. {}{amount}{approval}",
                    rank + 1,
                    option["kind"].as_str().unwrap_or("?")
                )?;
                for reason in option["reasons"].as_array().unwrap_or(&empty) {
                    writeln!(out, "   - {}", reason.as_str().unwrap_or_default())?;
                }
            }
            for question in value["questions"].as_array().unwrap_or(&empty) {
                writeln!(out, "ask: {}", question.as_str().unwrap_or_default())?;
            }
            writeln!(out, "trace:")?;
            for step in value["trace"].as_array().unwrap_or(&empty) {
                let mark = if step["fired"].as_bool() == Some(true) {
                    "fired"
                } else {
                    "     "
                };
                writeln!(
                    out,
                    "  {mark} {}: {}",
                    step["rule"].as_str().unwrap_or_default(),
                    step["why"].as_str().unwrap_or_default()
                )?;
            }
        }
        PolicyCommand::Test { file } => {
            let policy = load(&file)?;
            let results = policy::run_examples(&policy);
            let failed = results.iter().filter(|r| !r.passed).count();
            for result in &results {
                let mark = if result.passed { "ok  " } else { "FAIL" };
                writeln!(out, "{mark} {}: {}", result.name, result.details)?;
            }
            writeln!(out, "{} passed, {failed} failed", results.len() - failed)?;
            anyhow::ensure!(
                failed == 0,
                "{failed} policy examples failed in {}",
                file.display()
            );
        }
    }
    Ok(())
}
