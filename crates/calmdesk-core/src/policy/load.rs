//! Reading a policy file, and running the examples it carries.
//!
//! Errors name the file and the line: syntax errors and unknown fields come with the span the
//! TOML reader reports, and the checks that need the whole file (a rule in a first-hit table that
//! can never fire, an empty escalation reason) search the text for the line they concern.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::evaluate::evaluate;
use super::model::{Hit, Policy, When};

/// Why a policy file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    /// The file name given to `parse`.
    pub file: String,
    /// The line, counted from 1; 0 when no line applies.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for PolicyError {}

/// The outcome of one `[[example]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleResult {
    /// The example's name.
    pub name: String,
    /// Whether the engine gave what the example expects.
    pub passed: bool,
    /// What differed, or a short summary when it passed.
    pub details: String,
}

/// The line, counted from 1, of a byte offset in a text.
fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line of the first occurrence of `needle` at or after line `from`, if any.
fn find_line(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
}

/// Reads a policy from its TOML text; `file_name` only labels errors.
pub fn parse(file_name: &str, text: &str) -> Result<Policy, PolicyError> {
    let error = |line: usize, message: String| PolicyError {
        file: file_name.to_string(),
        line,
        message,
    };
    let policy: Policy = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of_offset(text, s.start)).unwrap_or(0);
        error(line, e.message().trim().to_string())
    })?;
    for table in &policy.table {
        let table_line = find_line(text, &format!("\"{}\"", table.name), 1).unwrap_or(0);
        if table.hit != Hit::First {
            continue;
        }
        for (j, later) in table.rule.iter().enumerate() {
            for (i, earlier) in table.rule.iter().enumerate().take(j) {
                if covers(&earlier.when, &later.when) {
                    let mut line = table_line;
                    for _ in 0..=j {
                        line = find_line(text, "[[table.rule]]", line + 1).unwrap_or(line);
                    }
                    return Err(error(
                        line,
                        format!(
                            "rule {} of first-hit table \"{}\" overlaps rule {}: every case it matches is already taken by rule {}, so it can never fire",
                            j + 1,
                            table.name,
                            i + 1,
                            i + 1
                        ),
                    ));
                }
            }
        }
    }
    for (i, rule) in policy.escalation.iter().enumerate() {
        if rule.reason.trim().is_empty() {
            let line = find_line(text, "[[escalation]]", 1)
                .map(|first| {
                    (0..i).fold(first, |l, _| {
                        find_line(text, "[[escalation]]", l + 1).unwrap_or(l)
                    })
                })
                .unwrap_or(0);
            return Err(error(
                line,
                "an escalation needs a reason for the agent".to_string(),
            ));
        }
    }
    Ok(policy)
}

/// Whether every case that `later` matches is also matched by `earlier`.
fn covers(earlier: &When, later: &When) -> bool {
    fn field<T: PartialEq>(e: &Option<T>, l: &Option<T>) -> bool {
        match (e, l) {
            (None, _) => true,
            (Some(a), Some(b)) => a == b,
            (Some(_), None) => false,
        }
    }
    let bound =
        |e: Option<f64>, l: Option<f64>, earlier_is_wider: fn(f64, f64) -> bool| match (e, l) {
            (None, _) => true,
            (Some(a), Some(b)) => earlier_is_wider(a, b),
            (Some(_), None) => false,
        };
    field(&earlier.request, &later.request)
        && field(&earlier.reason, &later.reason)
        && field(&earlier.tier, &later.tier)
        && field(&earlier.category, &later.category)
        && bound(earlier.amount_below, later.amount_below, |a, b| a >= b)
        && bound(earlier.amount_at_least, later.amount_at_least, |a, b| {
            a <= b
        })
        && match (earlier.days_late_at_most, later.days_late_at_most) {
            (None, _) => true,
            (Some(a), Some(b)) => a >= b,
            (Some(_), None) => false,
        }
        && field(&earlier.company_error, &later.company_error)
}

/// Runs every `[[example]]` of a policy against the engine.
pub fn run_examples(policy: &Policy) -> Vec<ExampleResult> {
    policy
        .example
        .iter()
        .map(|example| {
            let outcome = evaluate(policy, &example.facts);
            let got: Vec<_> = outcome.options.iter().map(|o| o.kind).collect();
            let mut problems = Vec::new();
            if got != example.expect_options {
                problems.push(format!(
                    "expected options {:?}, got {:?}",
                    names(&example.expect_options),
                    names(&got)
                ));
            }
            if outcome.questions != example.expect_questions {
                problems.push(format!(
                    "expected questions {:?}, got {:?}",
                    example.expect_questions, outcome.questions
                ));
            }
            for (kind, role) in &example.expect_approvals {
                let actual = outcome
                    .options
                    .iter()
                    .find(|o| o.kind.name() == kind)
                    .and_then(|o| o.approval.clone());
                if actual.as_deref() != Some(role.name()) {
                    problems.push(format!(
                        "expected {kind} to need {} approval, got {actual:?}",
                        role.name()
                    ));
                }
            }
            ExampleResult {
                name: example.name.clone(),
                passed: problems.is_empty(),
                details: if problems.is_empty() {
                    format!("options {:?}", names(&got))
                } else {
                    problems.join("; ")
                },
            }
        })
        .collect()
}

/// Option kinds as their file names.
fn names(kinds: &[super::facts::OptionKind]) -> Vec<&'static str> {
    kinds.iter().map(|k| k.name()).collect()
}
