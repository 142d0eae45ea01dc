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

/// Where a marker's evidence ends: a "thank" is shown with the "you" that follows it.
fn shown_end(text: &str, name: &str, (start, end): (usize, usize)) -> usize {
    let after = &text[end..];
    let thanks_you = name == "gratitude"
        && text[start..end].eq_ignore_ascii_case("thank")
        && after
            .get(..4)
            .is_some_and(|you| you.eq_ignore_ascii_case(" you"))
        && !after[4..].starts_with(char::is_alphanumeric);
    if thanks_you {
        end + 4
    } else {
        end
    }
}

/// The politeness markers of `text`, in order of their spans. A "please" that opens a sentence
/// is shown once, as `please_start`; a "thank" is shown as "thank you" where "you" follows.
pub fn markers(text: &str) -> Vec<PolitenessMarker> {
    let found = strategy_spans(text);
    let opening_please = |span: (usize, usize)| found.contains(&("please_start", span));
    found
        .iter()
        .filter(|&&(name, span)| {
            SHOWN.contains(&name) && !(name == "please" && opening_please(span))
        })
        .map(|&(name, (start, end))| {
            let span = Span::of(text, start, shown_end(text, name, (start, end)));
            PolitenessMarker {
                strategy: name.to_owned(),
                start: span.start,
                end: span.end,
                text: span.text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<(String, String)> {
        markers(text)
            .into_iter()
            .map(|m| (m.strategy, m.text))
            .collect()
    }

    #[test]
    fn a_thank_is_shown_with_the_you_that_follows_it() {
        let gratitude = |t: &str| ("gratitude".to_owned(), t.to_owned());
        assert_eq!(shown("Thank you!"), [gratitude("Thank you")]);
        assert_eq!(shown("thank YOU"), [gratitude("thank YOU")]);
        assert_eq!(shown("I thank yourself"), [gratitude("thank")]);
        assert_eq!(shown("Thank"), [gratitude("Thank")]);
        assert_eq!(shown("Thanks you"), [gratitude("Thanks")]);
    }

    #[test]
    fn an_opening_please_is_shown_once() {
        assert_eq!(
            shown("Please send it."),
            [("please_start".to_owned(), "Please".to_owned())]
        );
        assert_eq!(
            shown("Send it, please."),
            [("please".to_owned(), "please".to_owned())]
        );
    }
}
