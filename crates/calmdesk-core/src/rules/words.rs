//! Words and phrases: a small Unicode-aware tokenizer and a whole-word phrase matcher that the
//! other rules share.
//!
//! A word is a run of letters and digits in any script, with apostrophes allowed inside it
//! ("don't", "customer’s") and combining marks allowed after its first letter. Words are byte
//! ranges into the original text, so every rule can point back at exactly what the customer wrote.
//!
//! Phrases are written in a tiny pattern language, kept deliberately simple:
//!
//! - words are compared case-insensitively, and straight, curly and modifier apostrophes are the
//!   same character, so `"don't"` matches "DON’T";
//! - words may be separated by any amount of whitespace or by hyphens, so `"one star"` matches
//!   "one-star" and "one   star";
//! - punctuation written in a phrase must appear between the same words of the text, so
//!   `"great, just great"` needs the comma;
//! - `a|b|c` matches any one of the words `a`, `b` or `c`;
//! - `*` matches any single word.
//!
//! Compiling phrases costs a few allocations, so the rules compile each list once into a
//! [`PhraseSet`] and keep it in a static; matching a message then allocates only its results.

/// Whether `c` is an apostrophe: the straight one, the curly ones, or the modifier letter.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}')
}

/// Whether `c` is a combining mark from the common blocks, such as the accent in a decomposed "é".
fn is_combining_mark(c: char) -> bool {
    matches!(
        c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

/// Whether `c` joins words like a space does in a phrase: whitespace or a hyphen.
fn is_soft_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The byte ranges of the words of `text`, in order.
///
/// Apostrophes count only inside a word, so the quotes around 'this' are not part of it.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start: Option<usize> = None;
    let mut core_end = 0;
    for (index, c) in text.char_indices() {
        let end = index + c.len_utf8();
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(index);
            }
            core_end = end;
        } else if start.is_some() && is_combining_mark(c) {
            core_end = end;
        } else if start.is_some() && is_apostrophe(c) {
            // An apostrophe stays in the word only if a letter or digit follows it.
        } else if let Some(word_start) = start.take() {
            found.push((word_start, core_end));
        }
    }
    if let Some(word_start) = start {
        found.push((word_start, core_end));
    }
    found
}

/// A character as phrases compare it: lower case, with every apostrophe made straight.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if is_apostrophe(c) {
        '\''
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Whether the word `word` reads as `expected`, which must already be folded (lower case, with
/// straight apostrophes).
pub fn word_is(word: &str, expected: &str) -> bool {
    let mut mine = word.chars().map(fold);
    let mut theirs = expected.chars();
    loop {
        match (mine.next(), theirs.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// Whether the word `word` reads as any of `expected`.
pub fn word_is_any(word: &str, expected: &[&str]) -> bool {
    expected.iter().any(|candidate| word_is(word, candidate))
}

/// Whether `word` starts with `prefix`, which must already be folded.
pub fn word_starts_with(word: &str, prefix: &str) -> bool {
    let mut mine = word.chars().map(fold);
    prefix.chars().all(|p| mine.next() == Some(p))
}

/// Whether `word` ends with `suffix`, which must already be folded.
pub fn word_ends_with(word: &str, suffix: &str) -> bool {
    let mut mine = word.chars().rev().map(fold);
    suffix.chars().rev().all(|s| mine.next() == Some(s))
}

/// Words that deny what follows them, written without their apostrophe as angry messages often
/// are. Words ending in "n't" are recognised separately.
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "nor", "cannot", "dont", "didnt", "doesnt", "isnt", "wasnt", "arent",
    "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt", "aint",
];

/// Whether `word` is a negation such as "not", "never", "no" or any word ending in "n't".
pub fn is_negation(word: &str) -> bool {
    word_is_any(word, NEGATIONS) || word_ends_with(word, "n't")
}

/// Whether `gap`, the text between two words, ends a clause: it holds sentence punctuation, a
/// comma, a semicolon, a colon or a line break.
pub fn gap_breaks_clause(gap: &str) -> bool {
    gap.chars()
        .any(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n' | '(' | ')'))
}

/// Whether one of the `window` words before word `first` of `text` is a negation, looking back
/// no further than the start of its clause.
pub fn negated_before(text: &str, words: &[(usize, usize)], first: usize, window: usize) -> bool {
    let mut index = first.min(words.len());
    for _ in 0..window {
        if index == 0 {
            return false;
        }
        if index < words.len() && gap_breaks_clause(&text[words[index - 1].1..words[index].0]) {
            return false;
        }
        index -= 1;
        let (start, end) = words[index];
        if is_negation(&text[start..end]) {
            return true;
        }
    }
    false
}

/// One step of a compiled phrase: any word, or one of a few folded words.
#[derive(Debug, Clone)]
enum Step {
    AnyWord,
    OneOf(Vec<String>),
}

/// A compiled phrase: its steps, and the punctuation required between each step and the next.
#[derive(Debug, Clone)]
struct Pattern {
    steps: Vec<Step>,
    gaps: Vec<String>,
}

/// Whether a character of a gap between words is significant when comparing gaps.
fn gap_char_counts(c: char) -> bool {
    !is_soft_separator(c) && !is_apostrophe(c)
}

impl Pattern {
    fn compile(phrase: &str) -> Pattern {
        let mut steps = Vec::new();
        let mut gaps = Vec::new();
        let mut token = String::new();
        let mut gap = String::new();
        let is_token_char = |c: char| c.is_alphanumeric() || is_apostrophe(c) || c == '|' || c == '*';
        let mut finish = |token: &mut String, gap: &mut String, steps: &mut Vec<Step>| {
            if token.is_empty() {
                return;
            }
            if !steps.is_empty() {
                gaps.push(std::mem::take(gap));
            }
            gap.clear();
            let step = if token == "*" {
                Step::AnyWord
            } else {
                Step::OneOf(
                    token
                        .split('|')
                        .map(|alternative| {
                            alternative
                                .trim_matches(is_apostrophe)
                                .chars()
                                .map(fold)
                                .collect::<String>()
                        })
                        .filter(|alternative| !alternative.is_empty())
                        .collect(),
                )
            };
            steps.push(step);
            token.clear();
        };
        for c in phrase.chars() {
            if is_token_char(c) {
                token.push(c);
            } else {
                finish(&mut token, &mut gap, &mut steps);
                if gap_char_counts(c) {
                    gap.push(c);
                }
            }
        }
        finish(&mut token, &mut gap, &mut steps);
        Pattern { steps, gaps }
    }

    /// The first bytes that a text word must fold to for this pattern to start there, or `None`
    /// when any word may start it.
    fn first_bytes(&self) -> Option<Vec<u8>> {
        match self.steps.first() {
            Some(Step::OneOf(alternatives)) => {
                let mut bytes: Vec<u8> = alternatives.iter().map(|a| bucket_of(a)).collect();
                bytes.sort_unstable();
                bytes.dedup();
                Some(bytes)
            }
            _ => None,
        }
    }
}

/// The index bucket of a word: its first folded byte when ASCII, and 255 for any other script.
fn bucket_of(word: &str) -> u8 {
    match word.chars().next().map(fold) {
        Some(c) if c.is_ascii() => c as u8,
        _ => 255,
    }
}

/// Whether the text between two words matches the gap a phrase asks for: the same punctuation,
/// ignoring whitespace, hyphens and apostrophes.
fn gap_matches(text_gap: &str, pattern_gap: &str) -> bool {
    let mut mine = text_gap.chars().filter(|c| gap_char_counts(*c));
    let mut theirs = pattern_gap.chars();
    loop {
        match (mine.next(), theirs.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// One place where a phrase of a [`PhraseSet`] matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    /// The byte where the match starts in the text.
    pub start: usize,
    /// The byte where the match ends in the text.
    pub end: usize,
    /// The index of the phrase in the list the set was built from.
    pub phrase: usize,
    /// The index of the first matched word in the text's words.
    pub first_word: usize,
    /// The index of the last matched word in the text's words.
    pub last_word: usize,
}

/// A list of phrases compiled once for fast matching against many messages.
#[derive(Debug, Clone)]
pub struct PhraseSet {
    patterns: Vec<Pattern>,
    by_first_byte: Vec<Vec<usize>>,
    starting_with_any_word: Vec<usize>,
}

impl PhraseSet {
    /// Compiles `phrases`; a match reports the index of its phrase in this list.
    pub fn new(phrases: &[&str]) -> PhraseSet {
        let patterns: Vec<Pattern> = phrases.iter().map(|p| Pattern::compile(p)).collect();
        let mut by_first_byte = vec![Vec::new(); 256];
        let mut starting_with_any_word = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            if pattern.steps.is_empty() {
                continue;
            }
            match pattern.first_bytes() {
                Some(bytes) => {
                    for byte in bytes {
                        by_first_byte[usize::from(byte)].push(index);
                    }
                }
                None => starting_with_any_word.push(index),
            }
        }
        PhraseSet {
            patterns,
            by_first_byte,
            starting_with_any_word,
        }
    }

    /// Every match in `text`, overlapping ones included, by start and then longest first.
    pub fn find_all(&self, text: &str) -> Vec<PhraseMatch> {
        self.find_all_in(text, &words(text))
    }

    /// Every match in `text`, whose words the caller has already found with [`words`].
    pub fn find_all_in(&self, text: &str, words: &[(usize, usize)]) -> Vec<PhraseMatch> {
        let mut found = Vec::new();
        for (index, &(start, end)) in words.iter().enumerate() {
            let first_found = found.len();
            let bucket = usize::from(bucket_of(&text[start..end]));
            let candidates = self.by_first_byte[bucket]
                .iter()
                .chain(self.starting_with_any_word.iter());
            for &phrase in candidates {
                if let Some(last) = self.match_at(text, words, index, phrase) {
                    found.push(PhraseMatch {
                        start,
                        end: words[last].1,
                        phrase,
                        first_word: index,
                        last_word: last,
                    });
                }
            }
            found[first_found..].sort_by(|a, b| b.end.cmp(&a.end).then(a.phrase.cmp(&b.phrase)));
        }
        found
    }

    /// The leftmost-longest matches in `text` that do not overlap one another.
    pub fn find(&self, text: &str) -> Vec<PhraseMatch> {
        non_overlapping(self.find_all(text))
    }

    /// The index of the last word of phrase `phrase` when it matches from word `first`.
    fn match_at(
        &self,
        text: &str,
        words: &[(usize, usize)],
        first: usize,
        phrase: usize,
    ) -> Option<usize> {
        let pattern = &self.patterns[phrase];
        for (offset, step) in pattern.steps.iter().enumerate() {
            let index = first + offset;
            let &(start, end) = words.get(index)?;
            if offset > 0 {
                let gap = &text[words[index - 1].1..start];
                if !gap_matches(gap, &pattern.gaps[offset - 1]) {
                    return None;
                }
            }
            if let Step::OneOf(alternatives) = step {
                let word = &text[start..end];
                if !alternatives.iter().any(|a| word_is(word, a)) {
                    return None;
                }
            }
        }
        Some(first + pattern.steps.len().checked_sub(1)?)
    }
}

/// The matches of `sorted` (by start, then longest first) that do not overlap an earlier one.
pub fn non_overlapping(sorted: Vec<PhraseMatch>) -> Vec<PhraseMatch> {
    let mut kept: Vec<PhraseMatch> = Vec::with_capacity(sorted.len());
    for found in sorted {
        if kept.last().is_none_or(|last| found.start >= last.end) {
            kept.push(found);
        }
    }
    kept
}

/// The whole-word, case-insensitive matches of `phrases` in `text`, as `(start, end, phrase
/// index)`, leftmost-longest and without overlaps.
///
/// This compiles the phrases on every call; code that matches the same phrases often should
/// build a [`PhraseSet`] once instead.
pub fn find_phrases(text: &str, phrases: &[&str]) -> Vec<(usize, usize, usize)> {
    PhraseSet::new(phrases)
        .find(text)
        .into_iter()
        .map(|found| (found.start, found.end, found.phrase))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::strip_markers;

    /// Checks that the words of the marked text are exactly the marked spans.
    fn check_words(marked: &str) {
        let (text, expected) = strip_markers(marked);
        assert_eq!(words(&text), expected, "words of {text:?}");
    }

    /// Checks that `phrases` match exactly the marked spans of the text.
    fn check_phrases(marked: &str, phrases: &[&str]) {
        let (text, expected) = strip_markers(marked);
        let found: Vec<(usize, usize)> = find_phrases(&text, phrases)
            .into_iter()
            .map(|(start, end, _)| (start, end))
            .collect();
        assert_eq!(found, expected, "phrases in {text:?}");
    }

    #[test]
    fn words_keep_inner_apostrophes_and_drop_quotes() {
        check_words("[[don't]] [[say]] '[[this]]'");
        check_words("[[customers]]' [[money]], [[don’t]]!");
    }

    #[test]
    fn words_are_unicode_aware() {
        check_words("[[Привет]] [[мир]] [[ĞÜŞ]] 😡 [[123]]");
        check_words("[[cafe\u{301}]] \u{301}[[x]]");
    }

    #[test]
    fn phrases_match_whole_words_in_any_case() {
        check_phrases("I was [[CHARGED TWICE]] today", &["charged twice"]);
        check_phrases("I was overcharged twice", &["charged twice"]);
    }

    #[test]
    fn phrases_tolerate_extra_spaces_hyphens_and_curly_apostrophes() {
        check_phrases("it [[doesn’t   work]]", &["doesn't work"]);
        check_phrases("a [[one-star review]]", &["one star review"]);
    }

    #[test]
    fn punctuation_in_a_phrase_must_be_in_the_text() {
        check_phrases("[[great, just great]]", &["great, just great"]);
        check_phrases("great just great", &["great, just great"]);
        check_phrases("that was great, just great stuff", &["great just"]);
    }

    #[test]
    fn alternatives_and_wildcards_match_single_words() {
        check_phrases("where is my [[parcel]]", &["parcel|package"]);
        check_phrases("[[bought it 3 months ago]]", &["bought it * months ago"]);
    }

    #[test]
    fn the_longest_phrase_wins_where_phrases_overlap() {
        let text = "you are useless";
        assert_eq!(find_phrases(text, &["you are", "you are useless"]), vec![(0, 15, 1)]);
    }

    #[test]
    fn negation_looks_back_only_within_the_clause() {
        let text = "it did not arrive broken. No, it arrived broken";
        let words = words(text);
        assert!(negated_before(text, &words, 3, 3));
        assert!(!negated_before(text, &words, 8, 3));
    }
}
