//! Helpers shared by the core's tests: marked-up inputs, span checks and the shipped models.

use std::sync::OnceLock;

use crate::analysis::Models;
use crate::model::LinearModel;
use crate::span::Evidence;

/// The shipped Reading and empathy models, embedded at compile time and loaded once.
pub fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| {
        macro_rules! shipped {
            ($($name:literal),+ $(,)?) => {
                vec![$(
                    LinearModel::from_bytes(include_bytes!(concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/../../models/",
                        $name,
                        ".cdm"
                    )))
                    .expect(concat!("the shipped ", $name, " model loads")),
                )+]
            };
        }
        let models = shipped![
            "emotions",
            "sentiment",
            "tweet_emotion",
            "offensive",
            "hate",
            "irony",
            "complaint",
            "politeness",
            "intents",
            "abusive",
            "empathy_er",
            "empathy_ip",
            "empathy_ex",
        ];
        Models::from_models(models).expect("the shipped models load")
    })
}

/// The text of `marked` without its `[[` and `]]` markers, and the byte ranges that the markers
/// enclosed, measured in the text without markers.
pub fn strip_markers(marked: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(marked.len());
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    let mut rest = marked;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[[") {
            assert!(open.is_none(), "markers do not nest in {marked:?}");
            open = Some(text.len());
            rest = after;
        } else if let Some(after) = rest.strip_prefix("]]") {
            let start = open.take().expect("every ]] closes an earlier [[");
            spans.push((start, text.len()));
            rest = after;
        } else {
            let c = rest.chars().next().expect("the rest is not empty");
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    assert!(open.is_none(), "every [[ is closed in {marked:?}");
    (text, spans)
}

/// Asserts that every piece of evidence is a valid span of `text` that quotes it exactly.
pub fn assert_valid_evidence(text: &str, evidence: &[Evidence]) {
    for found in evidence {
        assert!(
            found.start <= found.end && found.end <= text.len(),
            "{found:?} is in the text"
        );
        assert!(
            text.is_char_boundary(found.start),
            "{found:?} starts on a boundary"
        );
        assert!(
            text.is_char_boundary(found.end),
            "{found:?} ends on a boundary"
        );
        assert_eq!(
            text[found.start..found.end],
            found.text,
            "{found:?} quotes the text"
        );
    }
}

/// Asserts that every `WordList` constant declared in the module source `source` is compiled
/// into the lexicon that its `fn lexicon()` builds, so no list is silently never matched.
pub fn assert_every_word_list_is_compiled(source: &str) {
    let start = source
        .find("fn lexicon()")
        .expect("the module has a lexicon");
    let body = &source[start..];
    let body = &body[..body.find("\n}\n").expect("the lexicon function ends")];
    let mut lists = 0;
    for line in source.lines() {
        let Some((name, kind)) = line
            .strip_prefix("const ")
            .and_then(|rest| rest.split_once(':'))
        else {
            continue;
        };
        if kind.trim_start().starts_with("WordList") {
            lists += 1;
            assert!(
                body.contains(&format!(" {name},")),
                "{name} is in the lexicon"
            );
        }
    }
    assert!(lists > 0, "the module declares word lists");
}

#[test]
fn markers_are_stripped_and_measured() {
    assert_eq!(
        strip_markers("where is my [[damn]] parcel"),
        ("where is my damn parcel".to_owned(), vec![(12, 16)])
    );
}
