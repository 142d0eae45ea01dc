//! Rule packs: the coach's rules as TOML, parsed, checked and tested against their examples.
//!
//! A pack is a name, a version and a list of rules. Phrase rules (existence, substitution,
//! occurrence, conditional, sequence) run on the draft alone; conversation rules name a check
//! written in Rust that also reads the conversation. A company pack adds rules or overrides the default pack's by id, and
//! a rule with `disabled = true` switches the rule of that id off.

use serde::{Deserialize, Serialize};

use super::checks::{self, Context, Draft};
use super::{DraftKind, Finding, Severity};
use crate::rules::PhraseSet;

/// The default pack, embedded at build time.
pub const DEFAULT_PACK: &str = include_str!("default_pack.toml");

/// How a rule finds what it flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Any of the phrases is flagged.
    Existence,
    /// Each phrase is flagged and its rewrite offered.
    Substitution,
    /// The phrases past the allowed number of uses are flagged.
    Occurrence,
    /// When any of the phrases is used (or always, when there are none), one of the required
    /// phrases must be used too; otherwise the first use (or the first sentence) is flagged.
    Conditional,
    /// Steps of phrases that follow one another in one sentence ("sorry" ... "but") are flagged.
    Sequence,
    /// A check written in Rust that reads the whole conversation, named by the rule's id.
    Conversation,
}

/// Which drafts a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    Reply,
    Note,
    Both,
}

impl AppliesTo {
    /// Whether a draft of `kind` is read by the rule.
    pub fn covers(self, kind: DraftKind) -> bool {
        matches!(
            (self, kind),
            (AppliesTo::Both, _)
                | (AppliesTo::Reply, DraftKind::Reply)
                | (AppliesTo::Note, DraftKind::Note)
        )
    }
}

/// One rule of a pack, compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub message: String,
    /// The phrases the rule looks for, in the phrase language of [`PhraseSet`].
    pub phrases: Vec<String>,
    /// The rewrite of each phrase, for substitution rules.
    pub rewrites: Vec<String>,
    /// The suggestion offered with every finding of the rule, when it has one.
    pub suggestion: Option<String>,
    /// How many uses an occurrence rule allows.
    pub max: usize,
    /// The phrases a conditional rule requires, one of which must be used.
    pub requires: Vec<String>,
    /// The steps of a sequence rule, each a list of phrases, matched in order in one sentence.
    pub sequence: Vec<Vec<String>>,
    pub applies_to: AppliesTo,
    /// Drafts that must trigger the rule.
    pub examples_match: Vec<String>,
    /// Drafts that must not trigger the rule.
    pub examples_no_match: Vec<String>,
    /// Whether the rule is switched off (a company pack's way to remove a default rule).
    pub disabled: bool,
    pub(crate) set: PhraseSet,
    pub(crate) requires_set: PhraseSet,
    pub(crate) steps: Vec<PhraseSet>,
}

/// A parsed pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub version: String,
    pub rules: Vec<Rule>,
}

/// Why a pack did not parse: the file, the line, the rule's id when known, and the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackError {
    pub file: String,
    pub line: usize,
    pub rule: Option<String>,
    pub message: String,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rule {
            Some(rule) => write!(
                f,
                "{}:{}: rule {rule}: {}",
                self.file, self.line, self.message
            ),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

impl std::error::Error for PackError {}

/// An example of a rule that did not behave as the pack says it should.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExampleFailure {
    pub rule: String,
    pub example: String,
    /// True when the example should have triggered the rule, false when it should not have.
    pub should_match: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    name: String,
    version: String,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    kind: Option<String>,
    severity: Option<String>,
    message: Option<String>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    swap: Vec<(String, String)>,
    suggestion: Option<String>,
    max: Option<usize>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    sequence: Vec<Vec<String>>,
    applies_to: Option<String>,
    #[serde(default)]
    disabled: bool,
    examples: Option<RawExamples>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(rename = "match", default)]
    matching: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// The line (from 1) holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line where the rule `id` is declared, or 1 when it cannot be found.
fn line_of_rule(text: &str, id: &str) -> usize {
    let quoted = format!("\"{id}\"");
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with("id") && line.contains(&quoted)
        })
        .map_or(1, |index| index + 1)
}

/// Parses the pack in `text`, read from `file` (the name only goes into errors).
pub fn parse_pack(file: &str, text: &str) -> Result<Pack, PackError> {
    let raw: RawPack = toml::from_str(text).map_err(|e| PackError {
        file: file.to_owned(),
        line: e.span().map_or(1, |span| line_of(text, span.start)),
        rule: None,
        message: e.message().to_owned(),
    })?;
    let mut rules: Vec<Rule> = Vec::with_capacity(raw.rules.len());
    for rule in raw.rules {
        let id = rule.id.clone();
        let error = |message: String| PackError {
            file: file.to_owned(),
            line: line_of_rule(text, &id),
            rule: Some(id.clone()),
            message,
        };
        if rules.iter().any(|r| r.id == rule.id) {
            return Err(error("the id is used twice in this pack".to_owned()));
        }
        rules.push(compile(rule).map_err(error)?);
    }
    Ok(Pack {
        name: raw.name,
        version: raw.version,
        rules,
    })
}

/// Checks one raw rule and compiles its phrases.
fn compile(raw: RawRule) -> Result<Rule, String> {
    if raw.id.trim().is_empty() {
        return Err("the id is empty".to_owned());
    }
    let kind = match raw.kind.as_deref() {
        Some("existence") => RuleKind::Existence,
        Some("substitution") => RuleKind::Substitution,
        Some("occurrence") => RuleKind::Occurrence,
        Some("conditional") => RuleKind::Conditional,
        Some("sequence") => RuleKind::Sequence,
        Some("conversation") => RuleKind::Conversation,
        None if raw.disabled => RuleKind::Existence,
        Some(other) => {
            return Err(format!(
            "unknown kind {other:?}; expected existence, substitution, occurrence, conditional, \
             sequence or conversation"
        ))
        }
        None => return Err("the rule needs a kind".to_owned()),
    };
    let severity = match raw.severity.as_deref() {
        Some("info") => Severity::Info,
        Some("warning") => Severity::Warning,
        Some("error") => Severity::Error,
        None if raw.disabled => Severity::Info,
        Some(other) => {
            return Err(format!(
                "unknown severity {other:?}; expected info, warning or error"
            ))
        }
        None => return Err("the rule needs a severity".to_owned()),
    };
    let applies_to = match raw.applies_to.as_deref() {
        None | Some("reply") => AppliesTo::Reply,
        Some("note") => AppliesTo::Note,
        Some("both") => AppliesTo::Both,
        Some(other) => {
            return Err(format!(
                "unknown applies_to {other:?}; expected reply, note or both"
            ))
        }
    };
    let message = match raw.message {
        Some(message) if !message.trim().is_empty() => message,
        _ if raw.disabled => String::new(),
        _ => return Err("the rule needs a message".to_owned()),
    };
    let (phrases, rewrites): (Vec<String>, Vec<String>) = if kind == RuleKind::Substitution {
        if !raw.phrases.is_empty() {
            return Err("a substitution rule lists its phrases in swap, not phrases".to_owned());
        }
        raw.swap.into_iter().unzip()
    } else {
        if !raw.swap.is_empty() {
            return Err("only a substitution rule has swap".to_owned());
        }
        (raw.phrases, Vec::new())
    };
    if kind != RuleKind::Conditional && !raw.requires.is_empty() {
        return Err("only a conditional rule has requires".to_owned());
    }
    if kind != RuleKind::Sequence && !raw.sequence.is_empty() {
        return Err("only a sequence rule has sequence".to_owned());
    }
    if kind == RuleKind::Sequence && !phrases.is_empty() {
        return Err("a sequence rule lists its steps in sequence, not phrases".to_owned());
    }
    if phrases
        .iter()
        .chain(&raw.requires)
        .chain(raw.sequence.iter().flatten())
        .any(|p| p.trim().is_empty())
    {
        return Err("a phrase is empty".to_owned());
    }
    match kind {
        RuleKind::Conversation if !checks::is_known(&raw.id) => {
            return Err(format!(
                "no conversation check is called {:?}; known: {}",
                raw.id,
                checks::KNOWN.join(", ")
            ))
        }
        RuleKind::Conversation if raw.id == "correct.indirectly" && phrases.is_empty() => {
            return Err("correct.indirectly needs the phrases it flags".to_owned())
        }
        RuleKind::Existence | RuleKind::Substitution | RuleKind::Occurrence
            if phrases.is_empty() && !raw.disabled =>
        {
            return Err("the rule needs phrases".to_owned())
        }
        RuleKind::Occurrence if raw.max.is_none() => {
            return Err("an occurrence rule needs max".to_owned())
        }
        RuleKind::Conditional if raw.requires.is_empty() && !raw.disabled => {
            return Err("a conditional rule needs requires".to_owned())
        }
        RuleKind::Sequence
            if !raw.disabled
                && (raw.sequence.len() < 2 || raw.sequence.iter().any(Vec::is_empty)) =>
        {
            return Err("a sequence rule needs at least two steps, each with phrases".to_owned())
        }
        _ => {}
    }
    let examples = match raw.examples {
        Some(examples) => examples,
        None if raw.disabled => RawExamples {
            matching: Vec::new(),
            no_match: Vec::new(),
        },
        None => return Err("the rule needs examples.match and examples.no_match".to_owned()),
    };
    if !raw.disabled && (examples.matching.is_empty() || examples.no_match.is_empty()) {
        return Err("the rule needs examples.match and examples.no_match".to_owned());
    }
    let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
    let required: Vec<&str> = raw.requires.iter().map(String::as_str).collect();
    let steps = raw
        .sequence
        .iter()
        .map(|step| PhraseSet::new(&step.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    Ok(Rule {
        id: raw.id,
        kind,
        severity,
        message,
        set: PhraseSet::new(&refs),
        phrases,
        rewrites,
        suggestion: raw.suggestion,
        max: raw.max.unwrap_or(0),
        requires_set: PhraseSet::new(&required),
        requires: raw.requires,
        steps,
        sequence: raw.sequence,
        applies_to,
        examples_match: examples.matching,
        examples_no_match: examples.no_match,
        disabled: raw.disabled,
    })
}

/// The default pack. It is checked by the tests, so parsing it cannot fail in a release.
pub fn default_pack() -> Pack {
    match parse_pack("default_pack.toml", DEFAULT_PACK) {
        Ok(pack) => pack,
        Err(error) => panic!("the default pack is valid: {error}"),
    }
}

/// The rules in force: the default pack's, then each company pack's in order, a rule replacing
/// the earlier one of the same id and a disabled rule removing it.
pub fn effective_rules<'p>(default: &'p Pack, packs: &'p [Pack]) -> Vec<&'p Rule> {
    let mut rules: Vec<&Rule> = Vec::new();
    for rule in default
        .rules
        .iter()
        .chain(packs.iter().flat_map(|p| &p.rules))
    {
        match rules.iter().position(|r| r.id == rule.id) {
            Some(index) => rules[index] = rule,
            None => rules.push(rule),
        }
    }
    rules.retain(|r| !r.disabled);
    rules
}

/// Runs every rule of `pack` on its examples, in the example context described in the default
/// pack's header, and returns the examples that did not behave.
pub fn test_pack(pack: &Pack) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in pack.rules.iter().filter(|r| !r.disabled) {
        let kind = if rule.applies_to == AppliesTo::Note {
            DraftKind::Note
        } else {
            DraftKind::Reply
        };
        let context = Context::example(kind);
        let cases = rule
            .examples_match
            .iter()
            .map(|e| (e, true))
            .chain(rule.examples_no_match.iter().map(|e| (e, false)));
        for (example, should_match) in cases {
            let draft = Draft::new(example, None);
            let found: Vec<Finding> = checks::run_rule(rule, &context, &draft);
            if found.is_empty() == should_match {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    example: example.clone(),
                    should_match,
                });
            }
        }
    }
    failures
}
