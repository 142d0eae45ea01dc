//! The Reading of one customer message: how upset they are and why, what they want, what is
//! aimed at the agent, the facts, and whose mistake it was, each with its evidence.

use serde::Serialize;

use super::input::{model_part, prepare, Diagnostic};
use super::models::{index, Models};
use super::scores::{round_all, round_distribution, rounded, LabelScores};
use crate::rules::{self, ComplaintCore, Fact, FactKind, Fault};
use crate::span::Evidence;

/// How upset the customer is, from calm to hostile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeatLevel {
    Calm,
    Annoyed,
    Upset,
    Angry,
    Hostile,
}

impl HeatLevel {
    fn from_score(score: f32) -> HeatLevel {
        match score {
            s if s < 0.2 => HeatLevel::Calm,
            s if s < 0.4 => HeatLevel::Annoyed,
            s if s < 0.6 => HeatLevel::Upset,
            s if s < 0.8 => HeatLevel::Angry,
            _ => HeatLevel::Hostile,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HeatLevel::Calm => "calm",
            HeatLevel::Annoyed => "annoyed",
            HeatLevel::Upset => "upset",
            HeatLevel::Angry => "angry",
            HeatLevel::Hostile => "hostile",
        }
    }
}

/// A model's contribution to the heat, by name and value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub signal: &'static str,
    pub value: f32,
}

/// How upset, with the words and model signals behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heat {
    pub level: HeatLevel,
    pub score: f32,
    /// The words that raised the heat: profanity, shouting, threats, insults, sarcasm,
    /// repeated contacts, legal or public threats.
    pub evidence: Vec<Evidence>,
    /// The model signals that fed the score.
    pub signals: Vec<Signal>,
}

/// Probabilities of negative, neutral and positive, summing to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sentiment {
    pub negative: f32,
    pub neutral: f32,
    pub positive: f32,
}

/// Abuse: offensive or hateful language, threats, and whether any of it is aimed at the agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Abuse {
    pub offensive: f32,
    pub hate: f32,
    pub threat: f32,
    pub profanity: bool,
    pub targets_agent: bool,
    pub spans: Vec<Evidence>,
}

/// Everything calmdesk reads in one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub heat: Heat,
    pub emotions: LabelScores,
    pub sentiment: Sentiment,
    pub abuse: Abuse,
    pub complaint: f32,
    pub irony: f32,
    pub politeness: f32,
    pub intents: LabelScores,
    /// The rule matches behind the intents that phrase rules decide.
    pub intent_evidence: Vec<Evidence>,
    pub facts: Vec<Fact>,
    pub fault: Fault,
    pub complaint_core: ComplaintCore,
    pub diagnostics: Vec<Diagnostic>,
}

/// The version of how a Reading is made from the models' outputs: the rules, the heat and
/// every other step after the models. Stored Readings carry it with the models' fingerprint, so
/// that `calmdesk reread` reads them again when either changes. Raise it with any change that
/// gives other Readings from the same models (a test in the `calmdesk` crate notices).
pub const RULES_VERSION: u32 = 14;

/// The intents a de-escalation needs that the Bitext data lacks; phrase rules decide them.
pub const RULE_INTENTS: [&str; 4] = [
    "speak_to_manager",
    "legal_threat",
    "public_threat",
    "cancel_relationship",
];

/// The intent model's label for a message that asks for none of the Bitext intents (a
/// thank-you, a remark, a problem outside them). The model learns it so that its other
/// outputs can all be low; the Reading does not show it.
pub const NO_INTENT: &str = "none";

/// A rule's verdict as a probability: near-certain when it matched, near-zero otherwise.
fn rule_probability(matched: bool) -> f32 {
    if matched {
        0.97
    } else {
        0.03
    }
}

/// How far a Bitext intent whose topic the message never names is scaled: below the threshold,
/// keeping the order of the model's judgements.
const WITHOUT_TOPIC: f32 = 0.49;

/// Keeps each Bitext intent the model gives 0.5 or more only where the message, whose words
/// are `tokens`, names its topic (`rules::topics`) and returns the naming words; the others are
/// scaled below 0.5.
pub(super) fn keep_intents_with_topic(
    labels: &[String],
    probabilities: &mut [f32],
    tokens: &rules::words::Tokens,
) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    for (label, p) in labels.iter().zip(probabilities.iter_mut()) {
        if *p < 0.5 {
            continue;
        }
        let Some(topic) = rules::topics::topic_of(label) else {
            continue;
        };
        match topic.evidence_in(tokens) {
            Some(word) => evidence.push(word),
            None => *p = rounded(*p * WITHOUT_TOPIC),
        }
    }
    evidence
}

/// Reads one message.
pub fn read(models: &Models, text: &str) -> Reading {
    let (cleaned, diagnostics) = prepare(text);
    let tokens = rules::words::Tokens::new(&cleaned);
    let found = rules::apply_all_in(&tokens);
    // Rules ran on the cleaned text, which has the same byte offsets; re-take the text of each
    // span from the original so evidence quotes what the customer wrote.
    let quote = |e: &Evidence| Evidence::of(text, e.start, e.end, e.rule);

    // A message of only handles and links has nothing for the models to read.
    let unreadable = diagnostics.iter().any(|d| d.code == "only_mentions");
    let model_text = if unreadable { "" } else { model_part(&cleaned) };
    // The abuse rules ran on the cleaned text; a model that reads their findings takes them
    // when it reads the same text.
    let same_text = model_text.len() == cleaned.len();
    let logits = models.text_logits_with(model_text, same_text.then_some(&found.abuse));
    // Every probability is given to four decimal places, and the rules below read the same
    // figures the Reading shows.
    let probabilities = |i: usize| round_all(models.probabilities(&logits, i));
    let emotions = LabelScores {
        labels: models.emotion_labels.clone(),
        probabilities: probabilities(index::EMOTIONS),
    };
    let sentiment_p = round_distribution(models.probabilities(&logits, index::SENTIMENT));
    let tweet_emotion = LabelScores {
        labels: models.tweet_emotion_labels.clone(),
        probabilities: probabilities(index::TWEET_EMOTION),
    };
    let probability = |i: usize| rounded(models.probability(&logits, i));
    let offensive = probability(index::OFFENSIVE);
    let abusive = probability(index::ABUSIVE);
    let hate = probability(index::HATE);
    let irony = probability(index::IRONY);
    let complaint = probability(index::COMPLAINT);
    let politeness = probability(index::POLITENESS);

    let mut intent_p = probabilities(index::INTENTS);
    if let Some(none) = models.no_intent {
        intent_p.remove(none);
    }
    let mut intent_evidence: Vec<Evidence> =
        keep_intents_with_topic(&models.intent_labels, &mut intent_p, &tokens)
            .iter()
            .map(quote)
            .collect();
    for intent in RULE_INTENTS {
        let hits: Vec<Evidence> = found
            .intents
            .iter()
            .filter(|i| i.intent == intent)
            .map(|i| quote(&i.evidence))
            .collect();
        intent_p.push(rule_probability(!hits.is_empty()));
        intent_evidence.extend(hits);
    }
    let intents = LabelScores {
        labels: models.intent_labels.clone(),
        probabilities: intent_p,
    };
    let sarcasm: Vec<Evidence> = found
        .intents
        .iter()
        .filter(|i| i.intent == "sarcasm_cue")
        .map(|i| quote(&i.evidence))
        .collect();

    let abuse_rules = &found.abuse;
    let insulted = !abuse_rules.insults.is_empty();
    let threatened = !abuse_rules.threats.is_empty();
    let mut spans: Vec<Evidence> = abuse_rules
        .insults
        .iter()
        .chain(&abuse_rules.profanity)
        .chain(&abuse_rules.threats)
        .map(quote)
        .collect();
    spans.sort_by_key(|e| (e.start, e.end));
    let abuse = Abuse {
        offensive: if insulted {
            offensive.max(abusive).max(0.9)
        } else {
            offensive
        },
        hate,
        threat: rule_probability(threatened),
        profanity: !abuse_rules.profanity.is_empty(),
        targets_agent: abuse_rules.targets_agent,
        spans,
    };

    let negative = sentiment_p.first().copied().unwrap_or(0.0);
    // The tweet emotion model always picks one of anger, joy, optimism and sadness, so its
    // anger only counts as far as the message is negative at all. GoEmotions' annoyance,
    // calibrated for F1 on a rare label, passes 0.5 on plain questions ("how do I change my
    // shipping address?"), so it counts in full only where the message is at least 0.3
    // negative.
    let anger = rounded(
        emotions
            .get("anger")
            .max(0.8 * emotions.get("annoyance") * (negative / 0.3).min(1.0))
            .max(tweet_emotion.get("anger") * negative),
    );
    let contacts = found
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::ContactCount)
        // With no number ("so many times", "again and again") they mean more than twice.
        .map(|f| f.count.unwrap_or(3))
        .max()
        .unwrap_or(0);
    let escalating: Vec<Evidence> = intent_evidence
        .iter()
        .filter(|e| e.rule == "intent.legal_threat" || e.rule == "intent.public_threat")
        .cloned()
        .collect();
    let manager: Vec<Evidence> = intent_evidence
        .iter()
        .filter(|e| e.rule == "intent.speak_to_manager")
        .cloned()
        .collect();
    // Having to get in touch again wears a customer down, one who asks for a manager has given
    // up on the agent, and one who threatens to sue or go public is upset, however plainly they
    // put it: the models' part starts from a floor.
    let floor = [
        match contacts {
            0 | 1 => 0.0,
            2 => 0.2,
            _ => 0.4,
        },
        if manager.is_empty() { 0.0 } else { 0.2 },
        if escalating.is_empty() { 0.0 } else { 0.4 },
    ]
    .into_iter()
    .fold(0.0f32, f32::max);
    let mut score =
        (0.45 * anger + 0.25 * negative + 0.1 * emotions.get("disappointment")).max(floor);
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut bump = |amount: f32, items: Vec<Evidence>| {
        if !items.is_empty() {
            score += amount;
            evidence.extend(items);
        }
    };
    bump(0.15, abuse_rules.profanity.iter().map(quote).collect());
    bump(
        0.1 * abuse_rules.shouting.len().min(2) as f32,
        abuse_rules.shouting.iter().map(quote).collect(),
    );
    bump(0.4, abuse_rules.threats.iter().map(quote).collect());
    bump(0.3, abuse_rules.insults.iter().map(quote).collect());
    bump(0.2, sarcasm);
    let contact_evidence: Vec<Evidence> = found
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::ContactCount)
        .map(|f| quote(&f.evidence))
        .collect();
    bump(if contacts >= 3 { 0.15 } else { 0.1 }, contact_evidence);
    let escalating_found = !escalating.is_empty();
    bump(0.15, escalating);
    bump(0.05, manager);
    let score = rounded(score.clamp(0.0, 1.0));
    let mut level = HeatLevel::from_score(score);
    // Hostility is aimed at someone: anything aimed at us makes a message at least angry, and
    // a message is hostile only with something aimed at us or a threat (of harm, of the law, of
    // going public). Swearing in passing, however angry, stops at angry.
    let aimed = abuse.targets_agent || threatened;
    if aimed {
        level = level.max(HeatLevel::Angry);
    } else if !escalating_found {
        level = level.min(HeatLevel::Angry);
    }
    evidence.sort_by_key(|e| (e.start, e.end));
    evidence.dedup();

    let irony = if sarcasm_found(&found) {
        irony.max(0.6)
    } else {
        irony
    };
    let complaint_core = core_of(text, &found.core);
    let mut facts = found.facts;
    for fact in &mut facts {
        fact.evidence = quote(&fact.evidence);
    }
    let mut fault = found.fault;
    for reason in &mut fault.reasons {
        reason.evidence = quote(&reason.evidence);
    }
    Reading {
        heat: Heat {
            level,
            score,
            evidence,
            signals: vec![
                Signal {
                    signal: "anger",
                    value: anger,
                },
                Signal {
                    signal: "negative",
                    value: negative,
                },
                Signal {
                    signal: "disappointment",
                    value: emotions.get("disappointment"),
                },
            ],
        },
        emotions,
        sentiment: Sentiment {
            negative,
            neutral: sentiment_p.get(1).copied().unwrap_or(0.0),
            positive: sentiment_p.get(2).copied().unwrap_or(0.0),
        },
        abuse,
        complaint,
        irony,
        politeness,
        intents,
        intent_evidence,
        facts,
        fault,
        complaint_core,
        diagnostics,
    }
}

fn sarcasm_found(found: &rules::RuleFindings) -> bool {
    found.intents.iter().any(|i| i.intent == "sarcasm_cue")
}

/// Whether `text` already has its words one space apart, with no other whitespace and none at
/// either end: what most messages are, checked in one pass over their bytes. Only ASCII text is
/// judged; any other may hold Unicode spaces, and is tidied word by word.
fn is_tidy(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && bytes.iter().all(|&b| b == b' ' || b.is_ascii_graphic())
        && !bytes.windows(2).any(|pair| pair == b"  ")
}

/// The complaint core, with its removed spans quoting the original text.
fn core_of(text: &str, core: &ComplaintCore) -> ComplaintCore {
    // Blanked-out HTML leaves runs of spaces; the core is for reading, so they go.
    let mut tidy = String::with_capacity(core.text.len());
    if is_tidy(&core.text) {
        tidy.push_str(&core.text);
    } else {
        for word in core.text.split_whitespace() {
            if !tidy.is_empty() {
                tidy.push(' ');
            }
            tidy.push_str(word);
        }
    }
    let lead = tidy.len()
        - tidy
            .trim_start_matches(['.', ',', ';', ':', '!', '?', ' '])
            .len();
    tidy.drain(..lead);
    ComplaintCore {
        text: tidy,
        removed: core
            .removed
            .iter()
            .map(|s| crate::span::Span::of(text, s.start, s.end))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_tidy;

    #[test]
    fn text_judged_tidy_is_what_tidying_word_by_word_gives() {
        for text in [
            "where is my parcel?",
            "where  is my parcel",
            " leading",
            "trailing ",
            "tab\there",
            "line\nbreak",
            "vertical\u{b}tab",
            "unit\u{1f}separator",
            "non\u{a0}breaking",
            "em\u{2003}space",
            "",
            "one",
        ] {
            let words: Vec<&str> = text.split_whitespace().collect();
            if is_tidy(text) {
                assert_eq!(words.join(" "), text, "{text:?}");
            }
        }
        assert!(is_tidy("where is my parcel?"));
        assert!(!is_tidy("where  is"));
    }
}
