//! Cue features: the shape of a reply that hashed n-grams cannot see.
//!
//! N-gram features are scaled to unit length, so a model reading them cannot tell a two-line
//! answer from a long one, nor one question from five. Whether a reply explores the other
//! person's experience or shows it understood them depends on exactly that: how long it is,
//! how many of its sentences are questions and how they open, how much it speaks of "you"
//! and of "I". A model asks for these with [`FeatureConfig::cues`]; each cue is a named
//! feature hashed apart from the n-grams, with a value between 0 and 1.
//!
//! [`FeatureConfig::cues`]: super::features::FeatureConfig::cues

use super::features::{named_hash, Feature};

/// Cues count this much against the n-gram features, whose vector has unit length.
const CUE_WEIGHT: f32 = 0.5;

/// Words that open a question which asks about the other person or their situation.
const QUESTION_OPENERS: &[&str] = &[
    "what", "how", "why", "when", "where", "who", "which", "do", "did", "does", "have", "has",
    "are", "is", "was", "were", "can", "could", "would", "will", "should",
];

/// Words that address the reader.
const YOU: &[&str] = &[
    "you", "your", "you're", "yours", "yourself", "you've", "you'll",
];

/// Words that speak of the writer.
const I: &[&str] = &[
    "i", "me", "my", "i'm", "i've", "i'd", "i'll", "myself", "mine",
];

/// The hash of a cue's name, apart from any n-gram's (whose seeds differ).
fn cue_hash(name: &str) -> u32 {
    named_hash(0x0c0e, b"cue:", name)
}

/// The sentences of `text`: runs ended by `.`, `!`, `?` or a line break, trimmed, non-empty.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?', '\n'])
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphanumeric))
}

/// The lower-cased words of `sentence` with straight apostrophes.
fn words(sentence: &str) -> impl Iterator<Item = String> + '_ {
    sentence
        .split(|c: char| !super::is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
}

/// The cue features of `text`, sorted by hash.
pub fn cues(text: &str) -> Vec<Feature> {
    let mut sentence_count = 0usize;
    let mut questions = 0usize;
    let mut opened = 0usize;
    let (mut total, mut you, mut me) = (0usize, 0usize, 0usize);
    for sentence in sentences(text) {
        sentence_count += 1;
        let mut first = None;
        for word in words(sentence) {
            total += 1;
            you += usize::from(YOU.contains(&word.as_str()));
            me += usize::from(I.contains(&word.as_str()));
            first.get_or_insert(word);
        }
        if sentence.ends_with('?') {
            questions += 1;
            if first.is_some_and(|w| QUESTION_OPENERS.contains(&w.as_str())) {
                opened += 1;
            }
        }
    }
    let share = |n: usize| {
        if total == 0 {
            0.0
        } else {
            n as f32 / total as f32
        }
    };
    let length = match total {
        0..=9 => "length:short",
        10..=29 => "length:medium",
        30..=79 => "length:long",
        _ => "length:very_long",
    };
    let sentences_cue = match sentence_count {
        0 | 1 => "sentences:one",
        2 | 3 => "sentences:few",
        _ => "sentences:many",
    };
    let mut out: Vec<Feature> = [
        (length, 1.0),
        (sentences_cue, 1.0),
        ("questions:any", f32::from(questions > 0)),
        ("questions:count", questions.min(3) as f32 / 3.0),
        ("questions:opened", opened.min(2) as f32 / 2.0),
        ("questions:share", share(questions).min(1.0)),
        ("you:share", (3.0 * share(you)).min(1.0)),
        ("i:share", (3.0 * share(me)).min(1.0)),
        ("exclamation", f32::from(text.contains('!'))),
    ]
    .into_iter()
    .filter(|(_, value)| *value > 0.0)
    .map(|(name, value)| (cue_hash(name), value * CUE_WEIGHT))
    .collect();
    out.sort_unstable_by_key(|f| f.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(features: &[Feature], name: &str) -> f32 {
        features
            .iter()
            .find(|f| f.0 == cue_hash(name))
            .map_or(0.0, |f| f.1 / CUE_WEIGHT)
    }

    #[test]
    fn questions_length_and_address_are_cues() {
        let asked = cues("That sounds hard. How are you holding up? What happened after that?");
        assert_eq!(value(&asked, "questions:any"), 1.0);
        assert!((value(&asked, "questions:count") - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(value(&asked, "questions:opened"), 1.0);
        assert_eq!(value(&asked, "length:medium"), 1.0);
        assert_eq!(value(&asked, "sentences:few"), 1.0);
        assert!(value(&asked, "you:share") > 0.0);

        let told = cues("I had the same thing happen to me!");
        assert_eq!(value(&told, "questions:any"), 0.0);
        assert_eq!(value(&told, "length:short"), 1.0);
        assert_eq!(value(&told, "exclamation"), 1.0);
        assert!(value(&told, "i:share") > value(&told, "you:share"));
    }

    #[test]
    fn cues_are_sorted_bounded_and_empty_text_has_only_its_shape() {
        for text in ["", "?!?", "😡", "you you you? you!", &"word ".repeat(500)] {
            let features = cues(text);
            assert!(features.windows(2).all(|w| w[0].0 < w[1].0), "{text:?}");
            assert!(
                features
                    .iter()
                    .all(|f| f.1 > 0.0 && f.1 <= CUE_WEIGHT && f.0 & (1 << 31) == 0),
                "{text:?}"
            );
        }
        assert_eq!(value(&cues(""), "length:short"), 1.0);
    }
}
