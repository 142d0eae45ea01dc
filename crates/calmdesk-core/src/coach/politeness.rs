//! The politeness strategies a draft uses, as evidence beside the politeness model's score.
//!
//! The strategies follow the ones studied on the Stanford politeness data: gratitude, please
//! (in a sentence or opening it), hedges, apologies, deference and greetings that open a
//! sentence, indirect ("could you", "would you") against direct ("can you", "will you")
//! requests, direct questions and direct starts ("so", "and", "but"), sentences that open with
//! "you", and factuality ("in fact", "actually"). Each marker carries its span in the draft.

use std::sync::OnceLock;

use serde::Serialize;

use crate::rules::words::{non_overlapping, words, Tokens};
use crate::rules::PhraseSet;
use crate::span::Span;

/// One politeness strategy found in the draft, with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolitenessMarker {
    pub strategy: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Phrases found anywhere, with their strategy.
const PHRASES: &[(&str, &str)] = &[
    ("please", "please"),
    ("thank you", "gratitude"),
    ("thanks", "gratitude"),
    ("appreciate", "gratitude"),
    ("grateful", "gratitude"),
    ("perhaps", "hedge"),
    ("maybe", "hedge"),
    ("might", "hedge"),
    ("possibly", "hedge"),
    ("probably", "hedge"),
    ("i think", "hedge"),
    ("i wonder", "hedge"),
    ("i suppose", "hedge"),
    ("it seems", "hedge"),
    ("sorry", "apology"),
    ("apologise", "apology"),
    ("apologize", "apology"),
    ("apologies", "apology"),
    ("could you", "indirect_request"),
    ("would you", "indirect_request"),
    ("would you mind", "indirect_request"),
    ("can you", "direct_request"),
    ("will you", "direct_request"),
    ("in fact", "factuality"),
    ("actually", "factuality"),
    ("the fact is", "factuality"),
    ("the truth is", "factuality"),
];

/// Words that mark a strategy only when they open a sentence.
const OPENERS: &[(&str, &str)] = &[
    ("hi", "greeting"),
    ("hello", "greeting"),
    ("hey", "greeting"),
    ("great", "deference"),
    ("good", "deference"),
    ("nice", "deference"),
    ("excellent", "deference"),
    ("so", "direct_start"),
    ("then", "direct_start"),
    ("and", "direct_start"),
    ("but", "direct_start"),
    ("you", "second_person_start"),
    ("what", "direct_question"),
    ("why", "direct_question"),
    ("who", "direct_question"),
    ("how", "direct_question"),
    ("where", "direct_question"),
    ("when", "direct_question"),
];

fn phrase_set() -> &'static PhraseSet {
    static SET: OnceLock<PhraseSet> = OnceLock::new();
    SET.get_or_init(|| PhraseSet::new(&PHRASES.iter().map(|(p, _)| *p).collect::<Vec<_>>()))
}

fn marker(text: &str, (start, end): (usize, usize), strategy: &str) -> PolitenessMarker {
    let span = Span::of(text, start, end);
    PolitenessMarker {
        strategy: strategy.to_owned(),
        start: span.start,
        end: span.end,
        text: span.text,
    }
}

/// The politeness markers of the text whose words are `tokens` and whose sentences are
/// `sentences`, in order of their spans.
pub fn markers(tokens: &Tokens, sentences: &[(usize, usize)]) -> Vec<PolitenessMarker> {
    let text = tokens.text;
    let openings: Vec<usize> = sentences.iter().map(|&(start, _)| start).collect();
    let mut out: Vec<PolitenessMarker> = non_overlapping(phrase_set().find_all_in(tokens))
        .iter()
        .map(|m| {
            let strategy = PHRASES[m.phrase].1;
            let strategy = if strategy == "please" && openings.contains(&m.start) {
                "please_start"
            } else {
                strategy
            };
            marker(text, (m.start, m.end), strategy)
        })
        .collect();
    for &(start, end) in sentences {
        let Some(&(s, e)) = words(&text[start..end]).first() else {
            continue;
        };
        let word = text[start + s..start + e].to_lowercase();
        let Some(&(_, strategy)) = OPENERS.iter().find(|(w, _)| *w == word) else {
            continue;
        };
        if strategy == "direct_question" && !text[start..end].ends_with('?') {
            continue;
        }
        out.push(marker(text, (start + s, start + e), strategy));
    }
    out.sort_by(|a, b| (a.start, a.end, &a.strategy).cmp(&(b.start, b.end, &b.strategy)));
    out
}
