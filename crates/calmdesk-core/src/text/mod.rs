//! Text as the models see it: hashed word and character n-grams.

pub mod abuse_cues;
pub mod cues;
pub mod features;
pub mod negation;
pub mod strategies;
pub mod valence;

/// Whether `c` belongs to a word for the scanners of `text` (negation, strategies, cues,
/// valence): a letter or digit, or an apostrophe, straight or curly.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}
