//! The politeness strategies a draft uses, as evidence beside the politeness model's score.
//!
//! They are the strategies the politeness model reads (`text::strategies`), so the evidence is
//! what the score came from: gratitude, apologies, please (and please opening a sentence),
//! hedges, factuality, indirect ("could you", "would you") against direct ("can you", "will
//! you") requests, and, opening a sentence, greetings, deference, direct starts ("so", "but")
//! and "you", and direct questions. The model's other strategies (pronouns anywhere, words of
//! positive or negative feeling) say too little alone to be shown as evidence. Each marker
//! carries its span in the draft.

use serde::Serialize;

use crate::span::Span;
use crate::text::strategies::strategy_spans;

/// One politeness strategy found in the draft, with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolitenessMarker {
    pub strategy: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The strategies shown as evidence.
const SHOWN: &[&str] = &[
    "gratitude",
    "apology",
    "please",
    "please_start",
    "hedge",
    "factuality",
    "indirect_request",
    "direct_request",
    "greeting",
    "deference",
    "direct_start",
    "second_person_start",
    "direct_question",
];

/// The politeness markers of `text`, in order of their spans. A "please" that opens a sentence
/// is shown once, as `please_start`.
pub fn markers(text: &str) -> Vec<PolitenessMarker> {
    let found = strategy_spans(text);
    let opening_please = |span: (usize, usize)| found.contains(&("please_start", span));
    found
        .iter()
        .filter(|&&(name, span)| {
            SHOWN.contains(&name) && !(name == "please" && opening_please(span))
        })
        .map(|&(name, (start, end))| {
            let span = Span::of(text, start, end);
            PolitenessMarker {
                strategy: name.to_owned(),
                start: span.start,
                end: span.end,
                text: span.text,
            }
        })
        .collect()
}
