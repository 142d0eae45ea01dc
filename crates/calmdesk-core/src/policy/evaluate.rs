//! Applying a policy to the facts of a case: options out, with reasons, questions and a trace.
//!
//! The engine starts from what the customer's reason allows, lets the decision tables add or
//! take away options, and then checks each option against final sale, the return window, the
//! receipt and packaging rules, the customer's history, the restocking fee, the approval
//! thresholds and the agent's own limits. A check that needs a missing fact does not guess: it
//! holds the option back and asks a question instead. Every rule it looks at leaves a trace step,
//! fired or not, with the reason why.

use serde::{Deserialize, Serialize};

use super::facts::{Day, Facts, OptionKind, Reason, Role};
use super::model::{CountsFrom, Hit, Policy, ReasonRule, TableRule, Waiver, Window};

/// One option for the agent to offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyOption {
    /// What is offered.
    pub kind: OptionKind,
    /// How much money it is worth, after any restocking fee, when known.
    pub amount: Option<f64>,
    /// The role that must approve it, if the agent may not give it alone.
    pub approval: Option<String>,
    /// Why it is offered, one sentence per condition met.
    pub reasons: Vec<String>,
}

/// One rule the engine looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    /// The rule, named after its place in the policy file.
    pub rule: String,
    /// Whether it fired.
    pub fired: bool,
    /// Why it fired or did not.
    pub why: String,
}

/// What the engine decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The options, best first.
    pub options: Vec<PolicyOption>,
    /// Questions to ask before more can be decided.
    pub questions: Vec<String>,
    /// Every rule looked at, in order.
    pub trace: Vec<TraceStep>,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    /// The condition holds, for this reason.
    Pass(String),
    /// The condition fails, for this reason.
    Fail(String),
    /// A fact is missing; these questions would settle it.
    Ask(Vec<String>),
}

/// An option still being considered.
#[derive(Debug, Clone)]
struct Candidate {
    kind: OptionKind,
    amount: Option<f64>,
    approval: Option<Role>,
    reasons: Vec<String>,
    blocked: Option<Check>,
}

/// The state of one evaluation.
#[derive(Debug, Default)]
struct Run {
    trace: Vec<TraceStep>,
    questions: Vec<String>,
    notes: Vec<String>,
}

impl Run {
    fn step(&mut self, rule: impl Into<String>, fired: bool, why: impl Into<String>) {
        self.trace.push(TraceStep {
            rule: rule.into(),
            fired,
            why: why.into(),
        });
    }

    fn ask(&mut self, question: &str) {
        if !self.questions.iter().any(|q| q == question) {
            self.questions.push(question.to_string());
        }
    }
}

/// The question asked when a date is missing or unreadable.
fn date_question(label: &str, value: Option<&String>) -> Result<Day, String> {
    let question = match label {
        "today" => "What is today's date?".to_string(),
        "delivered" => "When was the order delivered?".to_string(),
        _ => "When was the order bought?".to_string(),
    };
    match value {
        None => Err(question),
        Some(text) => Day::parse(text)
            .ok_or_else(|| format!("The date \"{text}\" is not a YYYY-MM-DD date. {question}")),
    }
}

/// How specific a window row is: exact category and tier beat wildcards.
fn specificity(window: &Window) -> u8 {
    u8::from(window.category != "*") * 2 + u8::from(window.tier != "*")
}

/// Whether a pattern ("*" or a name) matches a value, or `None` if the value is unknown.
fn matches(pattern: &str, value: Option<&String>) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    value.map(|v| v.eq_ignore_ascii_case(pattern))
}

/// Picks the window for the facts, or asks for the tier or category that would pick it.
fn window_check(policy: &Policy, facts: &Facts, run: &mut Run) -> Check {
    let tier = facts.customer.tier.as_ref();
    let category = facts.order.category.as_ref();
    let mut questions = Vec::new();
    let mut best: Option<(usize, &Window)> = None;
    for (i, window) in policy.window.iter().enumerate() {
        match (
            matches(&window.tier, tier),
            matches(&window.category, category),
        ) {
            (Some(true), Some(true))
                if best.is_none_or(|(_, b)| specificity(window) > specificity(b)) =>
            {
                best = Some((i, window));
            }
            (None, _) => questions.push("What is the customer's membership tier?".to_string()),
            (_, None) => questions.push("What category is the item in?".to_string()),
            _ => {}
        }
    }
    if !questions.is_empty() {
        questions.dedup();
        run.step(
            "window",
            false,
            "the window depends on the tier or category, which is not known",
        );
        return Check::Ask(questions);
    }
    for (i, window) in policy.window.iter().enumerate() {
        if best.is_some_and(|(b, _)| b == i) {
            continue;
        }
        let matched = matches(&window.tier, tier) == Some(true)
            && matches(&window.category, category) == Some(true);
        run.step(
            format!(
                "window[{i}] (category {}, tier {})",
                window.category, window.tier
            ),
            false,
            if matched {
                "a more specific window row applies"
            } else {
                "its category or tier does not match"
            },
        );
    }
    let Some((index, window)) = best else {
        run.step(
            "window",
            false,
            "no window row matches, so there is no time limit",
        );
        return Check::Pass("no return window applies".to_string());
    };
    let name = format!(
        "window[{index}] (category {}, tier {})",
        window.category, window.tier
    );
    let Some(days) = window.days else {
        run.step(&name, true, "this window has no time limit");
        return Check::Pass("returns have no time limit here".to_string());
    };
    let (label, date) = match window.counts_from {
        CountsFrom::Delivered => ("delivered", facts.order.delivered.as_ref()),
        CountsFrom::Purchased => ("purchased", facts.order.purchased.as_ref()),
    };
    let elapsed = match (
        date_question("today", facts.today.as_ref()),
        date_question(label, date),
    ) {
        (Ok(today), Ok(start)) => Ok(today.since(start)),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect::<Vec<_>>()),
    };
    let waiver = waiver_check(&window.waived_by, facts);
    match elapsed {
        Ok(elapsed) if elapsed <= days as i64 => {
            let why = format!("{elapsed} days since {label}, within the {days}-day window");
            run.step(&name, true, &why);
            Check::Pass(why)
        }
        Ok(elapsed) => {
            let outside = format!("{elapsed} days since {label}, outside the {days}-day window");
            match waiver {
                Some(Check::Pass(w)) => {
                    let why = format!("{outside}, but {w}");
                    run.step(&name, true, &why);
                    Check::Pass(why)
                }
                Some(Check::Ask(q)) => {
                    run.step(&name, false, format!("{outside}; a waiver may still apply"));
                    Check::Ask(q)
                }
                _ => {
                    run.step(&name, false, &outside);
                    Check::Fail(outside)
                }
            }
        }
        Err(questions) => match waiver {
            Some(Check::Pass(w)) => {
                let why = format!("the date is not known, but {w}");
                run.step(&name, true, &why);
                Check::Pass(why)
            }
            _ => {
                run.step(&name, false, "the dates the window needs are not known");
                Check::Ask(questions)
            }
        },
    }
}

/// Whether a fact lets the customer return outside the window; `None` when no waiver exists.
fn waiver_check(waivers: &[Waiver], facts: &Facts) -> Option<Check> {
    if waivers.is_empty() {
        return None;
    }
    let mut questions = Vec::new();
    for waiver in waivers {
        let (fact, pass, question) = match waiver {
            Waiver::Receipt => (
                facts.order.receipt,
                "the customer has a receipt",
                "Does the customer have a receipt or proof of purchase?",
            ),
            Waiver::Packaging => (
                facts.order.original_packaging,
                "the item is in its original packaging",
                "Is the item in its original packaging?",
            ),
        };
        match fact {
            Some(true) => return Some(Check::Pass(pass.to_string())),
            Some(false) => {}
            None => questions.push(question.to_string()),
        }
    }
    if questions.is_empty() {
        Some(Check::Fail("no waiver applies".to_string()))
    } else {
        Some(Check::Ask(questions))
    }
}

/// Checks one yes-or-no fact that a reason requires.
fn required_fact(fact: Option<bool>, yes: &str, no: &str, question: &str) -> Check {
    match fact {
        Some(true) => Check::Pass(yes.to_string()),
        Some(false) => Check::Fail(no.to_string()),
        None => Check::Ask(vec![question.to_string()]),
    }
}

/// Combines checks: the first failure wins, then any questions, else all the passes.
fn combine(checks: Vec<Check>) -> Check {
    let mut passes = Vec::new();
    let mut questions = Vec::new();
    for check in checks {
        match check {
            Check::Fail(why) => return Check::Fail(why),
            Check::Ask(q) => questions.extend(q),
            Check::Pass(why) => passes.push(why),
        }
    }
    if questions.is_empty() {
        Check::Pass(passes.join("; "))
    } else {
        Check::Ask(questions)
    }
}

/// Evaluates one table rule's conditions; `Err` carries the question a missing fact raises.
fn rule_matches(rule: &TableRule, facts: &Facts) -> Result<bool, String> {
    let w = &rule.when;
    if let Some(request) = w.request {
        match facts.request {
            Some(r) if r != request => return Ok(false),
            None => return Err("What does the customer ask for?".to_string()),
            _ => {}
        }
    }
    if let Some(reason) = w.reason {
        match facts.reason {
            Some(r) if r != reason => return Ok(false),
            None => return Err("Why does the customer ask for this?".to_string()),
            _ => {}
        }
    }
    if let Some(tier) = &w.tier {
        match matches(tier, facts.customer.tier.as_ref()) {
            Some(false) => return Ok(false),
            None => return Err("What is the customer's membership tier?".to_string()),
            _ => {}
        }
    }
    if let Some(category) = &w.category {
        match matches(category, facts.order.category.as_ref()) {
            Some(false) => return Ok(false),
            None => return Err("What category is the item in?".to_string()),
            _ => {}
        }
    }
    if w.amount_below.is_some() || w.amount_at_least.is_some() {
        let Some(amount) = facts.order.amount else {
            return Err("How much did the customer pay?".to_string());
        };
        if w.amount_below.is_some_and(|limit| amount >= limit)
            || w.amount_at_least.is_some_and(|limit| amount < limit)
        {
            return Ok(false);
        }
    }
    if let Some(confirmed) = w.company_error {
        match facts.order.company_error {
            Some(c) if c != confirmed => return Ok(false),
            None => {
                return Err("Does the system confirm that the company made the mistake?".to_string())
            }
            _ => {}
        }
    }
    if let Some(most) = w.days_late_at_most {
        match facts.order.days_late {
            Some(late) if late > most => return Ok(false),
            None => return Err("How many days late is the payment?".to_string()),
            _ => {}
        }
    }
    Ok(true)
}

/// The smallest role above `role` whose limit covers `needed`, or admin when none does.
fn approver(
    policy: &Policy,
    role: Role,
    needed: f64,
    limit: impl Fn(&super::model::Limits) -> Option<f64>,
) -> Role {
    [Role::Manager, Role::Admin]
        .into_iter()
        .filter(|r| *r > role)
        .find(|r| {
            policy
                .limits
                .get(r)
                .and_then(&limit)
                .is_some_and(|l| needed <= l)
        })
        .unwrap_or(Role::Admin)
}

/// Applies a policy to the facts of a case.
pub fn evaluate(policy: &Policy, facts: &Facts) -> Outcome {
    let mut run = Run::default();
    let role = facts.agent.role.unwrap_or_else(|| {
        run.step(
            "agent.role",
            false,
            "no role given, so the agent is treated as the role with the least authority",
        );
        Role::Agent
    });
    if facts.request.is_none() {
        run.ask("What does the customer ask for?");
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    let empty = ReasonRule::default();
    let rule = match facts.reason {
        None => {
            run.ask("Why does the customer ask for this?");
            run.step("reasons", false, "the reason is not known");
            &empty
        }
        Some(reason) => match policy.reasons.get(&reason) {
            Some(rule) => {
                let allowed: Vec<&str> = rule.allows.iter().map(|k| k.name()).collect();
                run.step(
                    format!("reasons.{}", reason.name()),
                    !rule.allows.is_empty(),
                    if allowed.is_empty() {
                        format!("{} allows nothing by itself", reason.name())
                    } else {
                        format!("{} allows {}", reason.name(), allowed.join(", "))
                    },
                );
                for kind in &rule.allows {
                    candidates.push(Candidate {
                        kind: *kind,
                        amount: None,
                        approval: None,
                        reasons: vec![format!("allowed for {}", reason.name())],
                        blocked: None,
                    });
                }
                rule
            }
            None => {
                run.step(
                    format!("reasons.{}", reason.name()),
                    false,
                    format!("the policy has no section for {}", reason.name()),
                );
                &empty
            }
        },
    };
    let mut forbidden: Vec<(OptionKind, String)> = Vec::new();
    apply_tables(policy, facts, &mut run, &mut candidates, &mut forbidden);

    if let Some(sale) = &policy.final_sale {
        let exempt = facts
            .reason
            .is_some_and(|r| sale.unless_reasons.contains(&r));
        let (fired, why) = match (exempt, facts.order.final_sale) {
            (true, _) => (false, "the reason is exempt from the final-sale rule"),
            (false, Some(true)) => (true, "a final-sale item keeps only the options it allows"),
            (false, Some(false)) => (false, "the item was not sold as final sale"),
            (false, None) => (false, "it is not known whether the item was final sale"),
        };
        run.step("final_sale", fired, why);
    }
    let covered = covered_check(policy, facts, facts.reason, rule, &mut run);
    let fee = restocking_fee(policy, facts, &mut run);
    let mut history_exceeded = None;
    for candidate in &mut candidates {
        if let Some((_, why)) = forbidden.iter().find(|(k, _)| *k == candidate.kind) {
            candidate.blocked = Some(Check::Fail(why.clone()));
            continue;
        }
        let mut checks = Vec::new();
        if let Some(sale) = &policy.final_sale {
            let exempt = facts
                .reason
                .is_some_and(|r| sale.unless_reasons.contains(&r));
            if !exempt && !sale.allows.contains(&candidate.kind) {
                checks.push(required_fact(
                    facts.order.final_sale.map(|f| !f),
                    "not a final-sale item",
                    "final-sale items cannot have this",
                    "Was the item sold as final sale?",
                ));
            }
        }
        if policy.policy.window_covers.contains(&candidate.kind) {
            checks.push(covered.clone());
        }
        if candidate.kind.is_money() {
            let amount = match candidate.kind {
                OptionKind::Discount => policy
                    .policy
                    .goodwill_discount_percent
                    .and_then(|p| facts.order.amount.map(|a| a * p / 100.0)),
                _ => facts.order.amount.map(|a| a * (1.0 - fee.0 / 100.0)),
            };
            let thresholds = policy.history.is_some()
                || !policy.approval.is_empty()
                || !policy.limits.is_empty();
            if facts.order.amount.is_none() && thresholds {
                checks.push(Check::Ask(vec![
                    "How much did the customer pay?".to_string()
                ]));
            }
            if fee.0 > 0.0 && candidate.kind != OptionKind::Discount {
                candidate.reasons.push(fee.1.clone());
            }
            candidate.amount = amount.map(|a| (a * 100.0).round() / 100.0);
            if let (Some(history), Some(amount)) = (&policy.history, candidate.amount) {
                match facts.customer.concessions_90d {
                    None => checks.push(Check::Ask(vec![
                        "How much has the customer already been given in the last 90 days?"
                            .to_string(),
                    ])),
                    Some(given) if given + amount > history.max_concessions_90d => {
                        let why = format!(
                            "{given:.2} already given in 90 days plus {amount:.2} is over the limit of {:.2}",
                            history.max_concessions_90d
                        );
                        history_exceeded = Some(why.clone());
                        checks.push(Check::Fail(why));
                    }
                    Some(_) => {}
                }
            }
        }
        candidate.blocked = match combine(checks) {
            Check::Pass(why) => {
                if !why.is_empty() {
                    candidate.reasons.push(why);
                }
                None
            }
            other => Some(other),
        };
        if candidate.blocked.is_none() {
            approvals(policy, role, candidate, &mut run);
        }
    }
    if let Some(why) = history_exceeded {
        run.step("history.max_concessions_90d", true, &why);
        candidates.push(Candidate {
            kind: OptionKind::Escalate,
            amount: None,
            approval: Some(Role::Manager),
            reasons: vec![format!("a manager decides: {why}")],
            blocked: None,
        });
    } else if policy.history.is_some() {
        run.step(
            "history.max_concessions_90d",
            false,
            "the customer's recent concessions leave room, or no money option was checked",
        );
    }
    escalations(policy, facts, &mut run, &mut candidates);
    finish(policy, facts, role, run, candidates)
}

/// Runs the decision tables, adding offers and recording what they forbid.
fn apply_tables(
    policy: &Policy,
    facts: &Facts,
    run: &mut Run,
    candidates: &mut Vec<Candidate>,
    forbidden: &mut Vec<(OptionKind, String)>,
) {
    for table in &policy.table {
        for (i, rule) in table.rule.iter().enumerate() {
            let name = format!("table \"{}\" rule {}", table.name, i + 1);
            let note = rule.then.note.clone().unwrap_or_else(|| name.clone());
            match rule_matches(rule, facts) {
                Ok(true) => {
                    run.step(&name, true, &note);
                    if let Some(question) = &rule.then.ask {
                        run.ask(question);
                    }
                    if rule.then.offer.is_empty() {
                        if let Some(note) = &rule.then.note {
                            run.notes.push(note.clone());
                        }
                    }
                    for kind in &rule.then.offer {
                        match candidates.iter_mut().find(|c| c.kind == *kind) {
                            Some(c) => {
                                c.reasons.push(note.clone());
                                c.approval = c.approval.max(rule.then.approval);
                            }
                            None => candidates.push(Candidate {
                                kind: *kind,
                                amount: None,
                                approval: if *kind == OptionKind::Escalate {
                                    rule.then.approval.or(Some(Role::Manager))
                                } else {
                                    rule.then.approval
                                },
                                reasons: vec![note.clone()],
                                blocked: None,
                            }),
                        }
                    }
                    for kind in &rule.then.forbid {
                        forbidden.push((*kind, note.clone()));
                    }
                    if table.hit == Hit::First {
                        break;
                    }
                }
                Ok(false) => run.step(&name, false, "its conditions do not hold"),
                Err(question) => {
                    run.step(&name, false, format!("a fact is missing: {question}"));
                    run.ask(&question);
                    if table.hit == Hit::First {
                        break;
                    }
                }
            }
        }
    }
}

/// The check shared by every window-governed option: window, receipt and packaging.
fn covered_check(
    policy: &Policy,
    facts: &Facts,
    reason: Option<Reason>,
    rule: &ReasonRule,
    run: &mut Run,
) -> Check {
    let Some(reason) = reason else {
        return Check::Ask(vec!["Why does the customer ask for this?".to_string()]);
    };
    let mut checks = Vec::new();
    if rule.ignores_window {
        run.step(
            format!("reasons.{}.ignores_window", reason.name()),
            true,
            "the return window does not apply to this reason",
        );
    } else {
        checks.push(window_check(policy, facts, run));
    }
    if rule.needs_receipt {
        let check = required_fact(
            facts.order.receipt,
            "the customer has a receipt",
            "this needs a receipt and the customer has none",
            "Does the customer have a receipt or proof of purchase?",
        );
        let fired = matches!(check, Check::Pass(_));
        run.step(
            format!("reasons.{}.needs_receipt", reason.name()),
            fired,
            describe(&check),
        );
        checks.push(check);
    }
    if rule.needs_packaging {
        let check = required_fact(
            facts.order.original_packaging,
            "the item is in its original packaging",
            "this needs the original packaging and the item is not in it",
            "Is the item in its original packaging?",
        );
        let fired = matches!(check, Check::Pass(_));
        run.step(
            format!("reasons.{}.needs_packaging", reason.name()),
            fired,
            describe(&check),
        );
        checks.push(check);
    }
    combine(checks)
}

/// A check in words, for the trace.
fn describe(check: &Check) -> String {
    match check {
        Check::Pass(why) | Check::Fail(why) => why.clone(),
        Check::Ask(q) => format!("a fact is missing: {}", q.join(" ")),
    }
}

/// The restocking fee that applies, in percent, with its sentence.
fn restocking_fee(policy: &Policy, facts: &Facts, run: &mut Run) -> (f64, String) {
    let mut best: Option<(usize, u8)> = None;
    for (i, fee) in policy.restocking_fee.iter().enumerate() {
        let reason_ok = fee.reason.is_none() || fee.reason == facts.reason;
        let category_ok = matches(&fee.category, facts.order.category.as_ref()) == Some(true);
        let score = u8::from(fee.reason.is_some()) * 2 + u8::from(fee.category != "*");
        if reason_ok && category_ok && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    for (i, fee) in policy.restocking_fee.iter().enumerate() {
        let fired = best.is_some_and(|(b, _)| b == i);
        run.step(
            format!("restocking_fee[{i}]"),
            fired,
            if fired {
                format!("a {}% restocking fee applies", fee.percent)
            } else {
                "it does not match, or a more specific fee does".to_string()
            },
        );
    }
    match best {
        Some((i, _)) => {
            let percent = policy.restocking_fee[i].percent;
            (percent, format!("a {percent}% restocking fee is taken"))
        }
        None => (0.0, String::new()),
    }
}

/// Sets the approval an option needs from the approval rows and the agent's limits.
fn approvals(policy: &Policy, role: Role, candidate: &mut Candidate, run: &mut Run) {
    let Some(amount) = candidate.amount else {
        return;
    };
    for (i, row) in policy.approval.iter().enumerate() {
        let applies = if row.options.is_empty() {
            candidate.kind.is_money()
        } else {
            row.options.contains(&candidate.kind)
        };
        if !applies {
            continue;
        }
        let fired = amount > row.over_amount && role < row.role;
        run.step(
            format!("approval[{i}]"),
            fired,
            format!(
                "{} of {amount:.2} against a threshold of {:.2} for the {} role",
                candidate.kind.name(),
                row.over_amount,
                role.name()
            ),
        );
        if fired {
            candidate.approval = candidate.approval.max(Some(row.role));
            candidate.reasons.push(format!(
                "over {:.2}, so a {} approves",
                row.over_amount,
                row.role.name()
            ));
        }
    }
    let limits = policy.limits.get(&role);
    match candidate.kind {
        OptionKind::Discount => {
            if let (Some(percent), Some(limit)) = (
                policy.policy.goodwill_discount_percent,
                limits.and_then(|l| l.discount_percent),
            ) {
                let fired = percent > limit && role < Role::Admin;
                let name = format!("limits.{}.discount_percent", role.name());
                run.step(
                    &name,
                    fired,
                    format!("{percent}% against a limit of {limit}%"),
                );
                if fired {
                    let who = approver(policy, role, percent, |l| l.discount_percent);
                    candidate.approval = candidate.approval.max(Some(who));
                    candidate.reasons.push(format!(
                        "{percent}% is over the {}'s limit of {limit}%, so a {} approves",
                        role.name(),
                        who.name()
                    ));
                }
            }
        }
        OptionKind::StoreCredit => {
            if let Some(limit) = limits.and_then(|l| l.store_credit) {
                let fired = amount > limit && role < Role::Admin;
                let name = format!("limits.{}.store_credit", role.name());
                run.step(
                    &name,
                    fired,
                    format!("{amount:.2} against a limit of {limit:.2}"),
                );
                if fired {
                    let who = approver(policy, role, amount, |l| l.store_credit);
                    candidate.approval = candidate.approval.max(Some(who));
                    candidate.reasons.push(format!(
                        "{amount:.2} is over the {}'s store credit limit of {limit:.2}, so a {} approves",
                        role.name(),
                        who.name()
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Adds an escalation option for every escalation rule that fires.
fn escalations(policy: &Policy, facts: &Facts, run: &mut Run, candidates: &mut Vec<Candidate>) {
    for (i, rule) in policy.escalation.iter().enumerate() {
        let name = format!("escalation[{i}]");
        match rule.when.met(facts) {
            Some(true) => {
                run.step(&name, true, &rule.reason);
                let role = rule.role.unwrap_or(Role::Manager);
                match candidates
                    .iter_mut()
                    .find(|c| c.kind == OptionKind::Escalate && c.blocked.is_none())
                {
                    Some(c) => {
                        c.reasons.push(rule.reason.clone());
                        c.approval = c.approval.max(Some(role));
                    }
                    None => candidates.push(Candidate {
                        kind: OptionKind::Escalate,
                        amount: None,
                        approval: Some(role),
                        reasons: vec![rule.reason.clone()],
                        blocked: None,
                    }),
                }
            }
            Some(false) => run.step(&name, false, "its condition does not hold"),
            None => run.step(&name, false, "the fact it needs is not known"),
        }
    }
}

/// Ranks the options, collects the questions, adds a decline when nothing is left.
fn finish(
    policy: &Policy,
    facts: &Facts,
    role: Role,
    mut run: Run,
    candidates: Vec<Candidate>,
) -> Outcome {
    let mut options: Vec<PolicyOption> = Vec::new();
    let mut failures = Vec::new();
    let mut pending = false;
    for candidate in candidates {
        match candidate.blocked {
            None => {
                if let Some(existing) = options.iter_mut().find(|o| o.kind == candidate.kind) {
                    existing.reasons.extend(candidate.reasons);
                    continue;
                }
                options.push(PolicyOption {
                    kind: candidate.kind,
                    amount: candidate.amount,
                    approval: candidate.approval.map(|r| r.name().to_string()),
                    reasons: candidate.reasons,
                });
            }
            Some(Check::Fail(why)) => {
                run.step(
                    format!("withhold {}", candidate.kind.name()),
                    false,
                    format!("not offered: {why}"),
                );
                failures.push(format!("{} is not possible: {why}", candidate.kind.name()));
            }
            Some(Check::Ask(questions)) => {
                pending = true;
                run.step(
                    format!("withhold {}", candidate.kind.name()),
                    false,
                    "held back until the questions are answered",
                );
                for q in &questions {
                    run.ask(q);
                }
            }
            Some(Check::Pass(_)) => {}
        }
    }
    // The requested option comes first; escalation comes after every real remedy.
    options.sort_by_key(|o| {
        (
            o.kind == OptionKind::Escalate,
            Some(o.kind) != facts.request,
        )
    });
    let remedies = options.iter().any(|o| o.kind != OptionKind::Escalate);
    if !remedies && !pending && run.questions.is_empty() && facts.reason.is_some() {
        let limit = policy
            .limits
            .get(&role)
            .and_then(|l| l.discount_percent)
            .map(|p| format!(" (up to {p}%)"))
            .unwrap_or_default();
        let mut reasons = failures;
        reasons.append(&mut run.notes);
        if reasons.is_empty() {
            let asked = facts.request.map_or("remedy", OptionKind::name);
            reasons.push(format!("the policy allows no {asked} in this case"));
        }
        let escalated = options.iter().any(|o| o.kind == OptionKind::Escalate);
        let discount = policy.policy.goodwill_discount_percent.is_some() || !limit.is_empty();
        reasons.push(if escalated {
            "Alternative: explain the policy and offer the escalation listed with this decline."
                .to_string()
        } else if discount {
            format!(
                "Alternative: explain the policy and offer a goodwill discount within the {}'s limit{limit}.",
                role.name()
            )
        } else {
            "Alternative: explain the policy kindly and what the customer can do next.".to_string()
        });
        run.step(
            "decline",
            true,
            "no remedy is allowed, so the agent declines with an alternative",
        );
        options.insert(
            0,
            PolicyOption {
                kind: OptionKind::Decline,
                amount: None,
                approval: None,
                reasons,
            },
        );
    }
    for option in &options {
        run.step(
            format!("offer {}", option.kind.name()),
            true,
            option.reasons.join("; "),
        );
    }
    Outcome {
        options,
        questions: run.questions,
        trace: run.trace,
    }
}
