//! `calmdesk plan`: the Plan for a case: its stage, next steps, suggested wording, the options
//! the policy allows, escalation and (for managers) whether the customer is worth it.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use calmdesk_core::playbook::{self, CaseInput, Plan};
use calmdesk_core::policy::Policy;

use crate::cli::PlanArgs;

/// The policy shipped with calmdesk, used when none is named.
pub const DEFAULT_POLICY: &str = include_str!("../../../../policies/default.toml");

/// The named policy file, or the shipped default.
pub fn policy(path: Option<&Path>) -> anyhow::Result<Policy> {
    match path {
        Some(path) => super::policy::load(path),
        None => calmdesk_core::policy::parse("policies/default.toml", DEFAULT_POLICY)
            .map_err(|e| anyhow::anyhow!("{e}")),
    }
}

/// Today's date, as the playbook takes it.
pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// A case file: the desk's export of one case, or a conversation file in the playbook's own
/// shape (`{"messages": [{"direction", "text"}], ...}`).
pub fn case_input(value: &serde_json::Value, today: &str) -> anyhow::Result<CaseInput> {
    if value.get("case").is_some() || value.get("timeline").is_some() {
        return Ok(CaseInput::from_export(value, today));
    }
    let mut input: CaseInput = serde_json::from_value(value.clone()).context(
        "the case file is neither a case exported by calmdesk nor {\"messages\": [...]}",
    )?;
    if input.today.is_empty() {
        input.today = today.to_owned();
    }
    Ok(input)
}

pub fn run(args: PlanArgs) -> anyhow::Result<()> {
    let (models, _) = crate::models::reading(args.models.as_deref())?;
    let policy = policy(args.policy.as_deref())?;
    let text = std::fs::read_to_string(&args.case)
        .with_context(|| format!("cannot read {}", args.case.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", args.case.display()))?;
    let today = args.today.clone().unwrap_or_else(today);
    let input = case_input(&value, &today)?;
    let plan = playbook::plan(&input, &models, Some(&policy));
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &plan)?;
        writeln!(out)?;
        return Ok(());
    }
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    write_plan(&mut out, &plan, colour)?;
    Ok(())
}

fn write_plan(out: &mut impl Write, plan: &Plan, colour: bool) -> std::io::Result<()> {
    let bold = |s: &str| {
        if colour {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let value = serde_json::to_value(plan).unwrap_or_default();
    writeln!(
        out,
        "{} {} ({})",
        bold("stage:"),
        value["stage"].as_str().unwrap_or("?"),
        plan.stage_reason
    )?;
    writeln!(out, "{}", bold("next steps:"))?;
    for step in &plan.next_steps {
        let mark = if step.done { "[x]" } else { "[ ]" };
        writeln!(out, "  {mark} {}: {}", step.step, step.reason)?;
    }
    writeln!(out, "{}", bold("suggested wording:"))?;
    for line in plan.suggested.all() {
        writeln!(out, "  - {line}")?;
    }
    if let Some(outcome) = &plan.options {
        let outcome = serde_json::to_value(outcome).unwrap_or_default();
        writeln!(out, "{}", bold("options the policy allows:"))?;
        for option in outcome["options"].as_array().into_iter().flatten() {
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
                "  - {}{amount}{approval}",
                option["kind"].as_str().unwrap_or("?")
            )?;
        }
        for question in outcome["questions"].as_array().into_iter().flatten() {
            writeln!(out, "  ask: {}", question.as_str().unwrap_or_default())?;
        }
    }
    let escalation = &plan.escalation;
    writeln!(
        out,
        "{} {}",
        bold("escalate:"),
        if escalation.escalate { "yes" } else { "no" }
    )?;
    for reason in &escalation.reasons {
        writeln!(out, "  - {} ({})", reason.reason, reason.rule)?;
    }
    if let Some(handover) = &escalation.handover {
        writeln!(out, "  hand-over: {handover}")?;
    }
    let worth = &value["customer_worth"];
    writeln!(
        out,
        "{} {} (cost to serve {:.2}, value {:.2}; advice for a manager, never automatic)",
        bold("customer worth:"),
        worth["recommendation"].as_str().unwrap_or("?"),
        plan.customer_worth.cost_to_serve,
        plan.customer_worth.value
    )
}
