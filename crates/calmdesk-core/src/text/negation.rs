//! Negation features: the words a negation governs, marked as negated.
//!
//! "not good" and "good" share the word "good", and a bag of n-grams sees the negation only in
//! the bigram "not good"; "not really that good" it misses. The words that follow a negator
//! ("not", "never", "no", a word ending in "n't", ...) up to the end of the clause (a
//! punctuation mark or "but"), at most [`SCOPE`] of them, each become a named feature
//! `neg:WORD`, hashed apart from the n-grams. A model asks for these with
//! [`FeatureConfig::negation`].
//!
//! [`FeatureConfig::negation`]: super::features::FeatureConfig::negation

use super::features::{named_hash, Feature};
use super::Piece;
use crate::rules::words::is_negation;

/// How many words after a negator it governs.
const SCOPE: usize = 3;

/// A negated word counts this much against the n-gram features, whose vector has unit length.
const NEGATION_WEIGHT: f32 = 0.3;

/// Words of absence, which negate what follows them too, beyond the rules' negations.
pub(crate) const ABSENCE: &[&str] = &[
    "nothing", "nobody", "none", "neither", "without", "hardly", "barely",
];

/// Whether `word` (lower case, straight apostrophes) negates what follows it: one of the rules'
/// negations ("not", "never", "no", a word ending in "n't", "dont", ...) or a word of absence.
pub(crate) fn negates(word: &str) -> bool {
    is_negation(word) || ABSENCE.contains(&word)
}

/// Whether `c` ends a negation's scope.
fn ends_scope(c: char) -> bool {
    matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '\n')
}

/// Whether `word` (as written) could be a negator or "but": each of them starts with "n", "h",
/// "b" or "w", or ends with "t". Most words are neither, and are then not lower-cased at all.
fn may_turn(word: &str) -> bool {
    let bytes = word.as_bytes();
    let (first, last) = (bytes[0].to_ascii_lowercase(), bytes[bytes.len() - 1]);
    matches!(first, b'n' | b'h' | b'b' | b'w') || last.eq_ignore_ascii_case(&b't')
}

/// `word` lower-cased with straight apostrophes, into `folded`.
pub(crate) fn fold(word: &str, folded: &mut String) {
    folded.clear();
    for c in word.chars() {
        match c {
            '\u{2019}' => folded.push('\''),
            c if c.is_ascii() => folded.push(c.to_ascii_lowercase()),
            c => folded.extend(c.to_lowercase()),
        }
    }
}

/// Calls `negated` with each negated word of `text`, lower-cased, in order.
fn visit_negated(text: &str, mut negated: impl FnMut(&str)) {
    let mut left = 0usize;
    let mut buffer = String::new();
    let mut end_word = |word: &str, left: &mut usize| {
        if *left == 0 && !may_turn(word) {
            return;
        }
        let folded = super::folded(word, &mut buffer);
        if folded == "but" {
            *left = 0;
        } else if negates(folded) {
            *left = SCOPE;
        } else if *left > 0 {
            *left -= 1;
            negated(folded);
        }
    };
    super::scan_words(text, |piece| match piece {
        Piece::Word(from, to) => end_word(&text[from..to], &mut left),
        Piece::Other(c) => {
            if ends_scope(c) {
                left = 0;
            }
        }
    });
}

/// The negation features of `text`, sorted by hash, each once.
pub fn negation(text: &str) -> Vec<Feature> {
    let mut out: Vec<Feature> = Vec::new();
    visit_negated(text, |word| {
        out.push((named_hash(0x4e67, b"neg:", word), NEGATION_WEIGHT));
    });
    out.sort_unstable_by_key(|f| f.0);
    out.dedup_by_key(|f| f.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The negated words of `text`, in order, lower-cased.
    fn negated_words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        visit_negated(text, |word| out.push(word.to_owned()));
        out
    }

    #[test]
    fn a_negation_governs_the_next_words_of_its_clause() {
        assert_eq!(
            negated_words("It is not really that good."),
            ["really", "that", "good"]
        );
        assert_eq!(negated_words("I don't like it, it's fine"), ["like", "it"]);
        assert_eq!(negated_words("never again but I love it"), ["again"]);
        assert_eq!(negated_words("No way! Great"), ["way"]);
        assert!(negated_words("Good product").is_empty());
        assert!(negated_words("").is_empty());
    }

    /// The negated words by the definition: every word lower-cased, every negator checked.
    fn plain_negated_words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for clause in text.split(ends_scope) {
            let mut left = 0;
            let words = clause
                .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
                .filter(|w| !w.is_empty())
                .map(|w| w.to_lowercase().replace('\u{2019}', "'"));
            for word in words {
                if word == "but" {
                    left = 0;
                } else if negates(&word) {
                    left = SCOPE;
                } else if left > 0 {
                    left -= 1;
                    out.push(word);
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn negated_words_are_those_of_the_definition(
            text in "(?s)(\\PC|[ .,!?\n'’]|not|NOT|Don’t|never|but|BUT|İ|nothing){0,40}"
        ) {
            proptest::prop_assert_eq!(negated_words(&text), plain_negated_words(&text));
        }
    }

    #[test]
    fn features_are_sorted_once_each_and_apart_from_n_grams() {
        let features = negation("not good, not good, not bad");
        assert_eq!(features.len(), 2);
        assert!(features.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(features.iter().all(|f| f.0 >> 31 == 0));
    }
}
