//! The coach: an agent's draft reply (or internal note) and the conversation so far become a
//! [`Review`]: findings with spans in the draft, a checklist of the practices a good reply
//! follows, empathy and politeness scores, and one score out of 100.
//!
//! The rules come from rule packs (see [`pack`]): the default pack, shipped as TOML, and any
//! company packs layered on top. Phrase rules read the draft alone; conversation rules also read
//! the customer's messages (through their [`Reading`]) and the agent's earlier turns.
//!
//! The conversation checks read the last three customer messages: the company is at fault when
//! any of them says so, the customer when the last one does; the customer is upset when the last
//! one's heat is upset or hotter, and abusive when any of them aims abuse at the agent. Apologies
//! are counted over every agent turn and the draft. Emotional reactions are scored by the
//! `empathy_er` model when the models include it; the check takes the higher of the model's level
//! and a level counted from plain cue phrases ("I understand", "that must be"), which the model
//! sometimes misses, while the Review reports the model's own level and probabilities. When the
//! check asks for empathy, its suggestion is fitted to the feeling that stands out in the
//! customer's last message (frustration, worry or disappointment, from the emotion model).
//!
//! Politeness is the politeness model's probability for the draft, and `politeness_markers` lists
//! the strategies behind it (gratitude, please, hedges, indirect and direct requests, direct
//! questions and starts) with their spans, as evidence rather than findings.
//!
//! The score starts at 100, loses 25 per error and 10 per warning (info findings cost nothing),
//! gains 2 for each checklist item whose value is true, and is clamped to 0..=100. The credit
//! lets a reply that does much right recover a little from one slip, but never outweighs an
//! error.

pub mod checks;
pub mod pack;
pub mod politeness;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::analysis::{self, models::index, HeatLevel, Models, Reading};
use crate::rules::{extract_facts, FactKind, FaultSide};
use crate::text::cues::cues;
use crate::text::features::{extract, Feature, FeatureConfig};
use checks::{Context, Draft};
pub use pack::{default_pack, parse_pack, test_pack, ExampleFailure, Pack, PackError, Rule};
pub use politeness::PolitenessMarker;

/// Who wrote a turn of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Agent,
}

/// One message of the conversation so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub role: Role,
    pub text: String,
}

/// What the agent is writing: a reply the customer will read, or an internal note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    Reply,
    Note,
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One thing a rule found in the draft, with its span, message and rewrites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub message: String,
    pub suggestions: Vec<String>,
}

/// One checklist item: true or false, or null when it does not apply to this draft, with why.
///
/// In JSON an item is its bare value (`true`, `false` or `null`), as the Review's contract
/// says; the reasons travel beside the checklist, in the Review's `checklist_reasons`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub value: Option<bool>,
    pub reason: String,
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl Check {
    fn yes(reason: &str) -> Check {
        Check {
            value: Some(true),
            reason: reason.to_owned(),
        }
    }

    fn no(reason: &str) -> Check {
        Check {
            value: Some(false),
            reason: reason.to_owned(),
        }
    }

    fn skip(reason: &str) -> Check {
        Check {
            value: None,
            reason: reason.to_owned(),
        }
    }

    fn when(value: bool, yes: &str, no: &str) -> Check {
        if value {
            Check::yes(yes)
        } else {
            Check::no(no)
        }
    }
}

/// Apologies: how many the agent has made with this draft, whether one is owed (the company is
/// at fault), and whether the agent owned the mistake or apologised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApologyCheck {
    pub count: usize,
    pub needed: bool,
    pub owned: bool,
}

/// The practices of a good reply, item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub acknowledged: Check,
    pub empathy: Check,
    pub apology: ApologyCheck,
    pub clarifying_question: Check,
    pub options: Check,
    pub next_step: Check,
    pub timeline: Check,
    pub satisfaction_check: Check,
    pub boundary: Check,
}

/// Why each checklist item has its value, by item name (the apology's three figures need no
/// reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistReasons {
    pub acknowledged: String,
    pub empathy: String,
    pub clarifying_question: String,
    pub options: String,
    pub next_step: String,
    pub timeline: String,
    pub satisfaction_check: String,
    pub boundary: String,
}

impl Checklist {
    /// The reason of every item, for the Review's `checklist_reasons`.
    pub fn reasons(&self) -> ChecklistReasons {
        ChecklistReasons {
            acknowledged: self.acknowledged.reason.clone(),
            empathy: self.empathy.reason.clone(),
            clarifying_question: self.clarifying_question.reason.clone(),
            options: self.options.reason.clone(),
            next_step: self.next_step.reason.clone(),
            timeline: self.timeline.reason.clone(),
            satisfaction_check: self.satisfaction_check.reason.clone(),
            boundary: self.boundary.reason.clone(),
        }
    }

    /// How many items are true.
    fn credited(&self) -> usize {
        [
            &self.acknowledged,
            &self.empathy,
            &self.clarifying_question,
            &self.options,
            &self.next_step,
            &self.timeline,
            &self.satisfaction_check,
            &self.boundary,
        ]
        .iter()
        .filter(|c| c.value == Some(true))
        .count()
            + usize::from(self.apology.needed && self.apology.owned)
    }
}

/// One empathy dimension: the level (0 none, 1 weak, 2 strong) and the probability of each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmpathyLevel {
    pub level: u8,
    pub p: [f32; 3],
}

/// The draft's empathy in three dimensions: emotional reactions, interpretations, explorations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Empathy {
    pub emotional_reactions: EmpathyLevel,
    pub interpretations: EmpathyLevel,
    pub explorations: EmpathyLevel,
}

/// A pack that took part in the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackRef {
    pub name: String,
    pub version: String,
}

/// The coach's review of one draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub score: u8,
    pub findings: Vec<Finding>,
    pub checklist: Checklist,
    /// Why each checklist item is true, false or null.
    pub checklist_reasons: ChecklistReasons,
    pub empathy: Empathy,
    pub politeness: f32,
    pub packs: Vec<PackRef>,
    /// The politeness strategies the draft uses, with their spans: the evidence behind
    /// `politeness`.
    pub politeness_markers: Vec<PolitenessMarker>,
}

/// Points lost per error.
pub const ERROR_COST: i32 = 25;
/// Points lost per warning.
pub const WARNING_COST: i32 = 10;
/// Points gained per checklist item that is true.
pub const CHECK_CREDIT: i32 = 2;

/// The default pack, parsed once.
fn shipped_pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(default_pack)
}

/// Words of a fault cue too vague to show that a draft restates the issue.
const VAGUE: &[&str] = &[
    "never", "still", "didn't", "wasn't", "haven't", "hasn't", "have", "been", "with", "that",
    "this", "what", "when", "supposed", "your", "they", "were", "would", "should", "again",
];

/// How many recent customer messages the coach reads.
const RECENT: usize = 3;

/// The empathy level of `draft` from the model `name`, when `models` has it. `features` are the
/// draft's, extracted once for every model that reads it with the default features, and
/// `cued` the same with the draft's cue features added.
fn empathy_of(
    models: &Models,
    name: &str,
    draft: &str,
    (features, cued): (&[Feature], &[Feature]),
) -> Option<EmpathyLevel> {
    let model = models.other(name)?;
    let p = if model.features == FeatureConfig::DEFAULT {
        model.probabilities_from_logits(&model.logits(features))
    } else if model.features == FeatureConfig::WITH_CUES {
        model.probabilities_from_logits(&model.logits(cued))
    } else {
        model.predict(draft)
    };
    let mut out = [0f32; 3];
    for (slot, label) in out.iter_mut().zip(["0", "1", "2"]) {
        let at = model.labels.iter().position(|l| l == label)?;
        *slot = *p.get(at)?;
    }
    let mut level = 0;
    for (i, value) in out.iter().enumerate() {
        if *value > out[level] {
            level = i;
        }
    }
    Some(EmpathyLevel {
        level: level as u8,
        p: out,
    })
}

/// The least summed probability of a feeling's emotions for the coach to fit its empathy to it.
const FEELING_AT: f32 = 0.5;

/// The customer's clearest feeling in `reading`: the family of emotions with the highest summed
/// probability, when it reaches [`FEELING_AT`].
fn feeling(reading: &Reading) -> Option<&'static str> {
    checks::FEELINGS
        .iter()
        .map(|(name, emotions)| {
            let sum: f32 = emotions.iter().map(|e| reading.emotions.get(e)).sum();
            (*name, sum)
        })
        .filter(|(_, sum)| *sum >= FEELING_AT)
        .fold(
            None,
            |best: Option<(&'static str, f32)>, (name, sum)| match best {
                Some((_, top)) if top >= sum => best,
                _ => Some((name, sum)),
            },
        )
        .map(|(name, _)| name)
}

/// A level given by cue phrases when there is no model: certain, since it is a rule.
fn rule_level(level: u8) -> EmpathyLevel {
    let mut p = [0f32; 3];
    p[usize::from(level.min(2))] = 1.0;
    EmpathyLevel {
        level: level.min(2),
        p,
    }
}

/// Reviews `draft`, written by an agent after `conversation`, under the default pack and then
/// the company `packs` in order (each adding rules or overriding them by id).
pub fn review(
    models: &Models,
    conversation: &[Turn],
    draft: &str,
    kind: DraftKind,
    packs: &[Pack],
) -> Review {
    let default = shipped_pack();
    let customer: Vec<&Turn> = conversation
        .iter()
        .filter(|t| t.role == Role::Customer)
        .collect();
    let recent_turns = &customer[customer.len().saturating_sub(RECENT)..];
    let recent: Vec<Reading> = recent_turns
        .iter()
        .map(|t| analysis::read(models, &t.text))
        .collect();
    let last = recent.last();
    let mut issue_terms: Vec<String> = Vec::new();
    for reading in &recent {
        for fact in &reading.facts {
            if matches!(
                fact.kind,
                FactKind::OrderNumber | FactKind::Product | FactKind::Money | FactKind::Date
            ) {
                issue_terms.push(fact.value.clone());
                issue_terms.push(fact.evidence.text.clone());
            }
        }
        for reason in &reading.fault.reasons {
            issue_terms.extend(
                reason
                    .evidence
                    .text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| {
                        w.chars().count() >= 4 && !VAGUE.contains(&w.to_lowercase().as_str())
                    })
                    .map(str::to_owned),
            );
        }
    }
    issue_terms.sort();
    issue_terms.dedup();
    let prior_apologies = conversation
        .iter()
        .filter(|t| t.role == Role::Agent)
        .map(|t| checks::apologies(&t.text).len())
        .sum();
    let order_known = conversation
        .iter()
        .map(|t| t.text.as_str())
        .chain([draft])
        .any(|text| {
            extract_facts(text)
                .iter()
                .any(|f| f.kind == FactKind::OrderNumber)
        });
    let missing = checks::missing_facts(conversation, &recent, order_known);
    let mut asked_for = checks::asked_resolutions(recent_turns.iter().map(|t| t.text.as_str()));
    if recent.iter().any(|r| r.intents.get("get_refund") >= 0.5) && !asked_for.contains(&"refund") {
        asked_for.push("refund");
    }
    let context = Context {
        kind,
        has_customer: !recent.is_empty(),
        company_fault: recent.iter().any(|r| r.fault.side == FaultSide::Company),
        customer_fault: last.is_some_and(|r| r.fault.side == FaultSide::Customer),
        upset: last.is_some_and(|r| r.heat.level >= HeatLevel::Upset),
        emotion: last.and_then(feeling),
        abusive: recent.iter().any(|r| r.abuse.targets_agent),
        order_known,
        missing,
        issue_terms,
        prior_apologies,
        asked_for,
    };

    let features = extract(draft, &FeatureConfig::DEFAULT);
    // The n-gram features then the cues: the order of a model's sum is the only difference
    // from `extract` with cues, which sorts them.
    let cued: Vec<Feature> = features.iter().copied().chain(cues(draft)).collect();
    let both = (features.as_slice(), cued.as_slice());
    let reactions = empathy_of(models, "empathy_er", draft, both);
    let read = Draft::new(draft, reactions.as_ref().map(|e| e.level));
    let empathy = Empathy {
        emotional_reactions: reactions.unwrap_or_else(|| rule_level(read.reactions)),
        interpretations: empathy_of(models, "empathy_ip", draft, both)
            .unwrap_or_else(|| rule_level(0)),
        explorations: empathy_of(models, "empathy_ex", draft, both)
            .unwrap_or_else(|| rule_level(0)),
    };

    let mut findings: Vec<Finding> = pack::effective_rules(default, packs)
        .into_iter()
        .flat_map(|rule| checks::run_rule(rule, &context, &read))
        .collect();
    findings.sort_by(|a, b| {
        (a.start, a.end, &a.rule, a.severity).cmp(&(b.start, b.end, &b.rule, b.severity))
    });
    findings.dedup();

    let checklist = checklist(&context, &read);
    let politeness = models
        .probabilities_of(draft, &features, index::POLITENESS)
        .first()
        .copied()
        .unwrap_or(0.5);
    let cost: i32 = findings
        .iter()
        .map(|f| match f.severity {
            Severity::Error => ERROR_COST,
            Severity::Warning => WARNING_COST,
            Severity::Info => 0,
        })
        .sum();
    let credit = CHECK_CREDIT * checklist.credited() as i32;
    let score = (100 - cost + credit).clamp(0, 100) as u8;
    let politeness_markers = self::politeness::markers(draft);
    Review {
        score,
        findings,
        checklist_reasons: checklist.reasons(),
        checklist,
        empathy,
        politeness,
        politeness_markers,
        packs: std::iter::once(default)
            .chain(packs)
            .map(|p| PackRef {
                name: p.name.clone(),
                version: p.version.clone(),
            })
            .collect(),
    }
}

/// The checklist of a draft in its context.
fn checklist(context: &Context, draft: &Draft) -> Checklist {
    let note = "an internal note is not read by the customer";
    let apology = ApologyCheck {
        count: context.prior_apologies + draft.apologies.len(),
        needed: context.kind == DraftKind::Reply && context.company_fault,
        owned: !draft.apologies.is_empty() || draft.owned,
    };
    if context.kind == DraftKind::Note {
        return Checklist {
            acknowledged: Check::skip(note),
            empathy: Check::skip(note),
            apology,
            clarifying_question: Check::skip(note),
            options: Check::skip(note),
            next_step: Check::skip(note),
            timeline: Check::skip(note),
            satisfaction_check: Check::skip(note),
            boundary: Check::skip(note),
        };
    }
    let acknowledged = if !context.has_customer {
        Check::skip("there is no customer message to acknowledge")
    } else if context.issue_terms.is_empty() {
        Check::skip("the customer's messages name no specific order, item or fault")
    } else {
        Check::when(
            draft.mentions_any(&context.issue_terms),
            "the draft names the specific issue",
            "the draft does not name the order, the item or what went wrong",
        )
    };
    let empathy = if context.has_customer {
        Check::when(
            draft.reactions > 0,
            "the draft responds to how the customer feels",
            "the draft does not respond to how the customer feels",
        )
    } else {
        Check::skip("there is no customer message to respond to")
    };
    let clarifying_question = checks::clarifying_question(context, draft);
    let resolving = draft.resolution.is_some();
    let options = if draft.gives_what_was_asked(context) {
        Check::skip("the draft gives the resolution the customer asked for")
    } else if resolving {
        Check::when(
            draft.options,
            "the draft offers a choice",
            "the draft offers one resolution only",
        )
    } else {
        Check::skip("the draft proposes no resolution")
    };
    let next_step = Check::when(
        draft.proposes_fix() || !draft.questions.is_empty(),
        "the draft says what happens next",
        "the draft does not say what happens next",
    );
    let timeline = if draft.promise.is_some() && draft.waits_on_customer() {
        Check::skip("the promise waits on the details the draft asks for")
    } else if draft.promise.is_some() {
        Check::when(
            draft.timeline,
            "the promise comes with a time",
            "the draft promises action without saying when",
        )
    } else {
        Check::skip("the draft promises no action")
    };
    let satisfaction_check = if resolving {
        Check::when(
            draft.satisfaction,
            "the draft asks whether the solution works",
            "the draft does not ask whether the solution works",
        )
    } else {
        Check::skip("the draft proposes no resolution")
    };
    let boundary = if context.abusive {
        Check::when(
            draft.boundary && draft.escalation,
            "the draft sets a calm boundary and names the escalation path",
            "the customer is abusive and the draft sets no boundary with an escalation path",
        )
    } else {
        Check::skip("the customer is not abusive")
    };
    Checklist {
        acknowledged,
        empathy,
        apology,
        clarifying_question,
        options,
        next_step,
        timeline,
        satisfaction_check,
        boundary,
    }
}
