//! Words and phrases: a small Unicode-aware tokenizer, word lists answered in one lookup, and a
//! whole-word phrase matcher that the other rules share.
//!
//! A word is a run of letters and digits in any script, with apostrophes allowed inside it
//! ("don't", "customer’s") and combining marks allowed after its first letter. Words are byte
//! ranges into the original text, so every rule can point back at exactly what the customer wrote.
//!
//! Each word is also folded once per message, to lower case with straight apostrophes, so the
//! rules compare words by plain equality: "DON’T" folds to "don't".
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
//! This runs on every message, so the costly parts happen once: phrase lists are compiled into a
//! [`PhraseSet`] and word lists into a [`Lexicon`], each kept in a static, and a message is
//! tokenized and folded once. Matching then costs one hash lookup per word.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;

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
    if text.is_ascii() {
        ascii_words(text.as_bytes())
    } else {
        any_words(text)
    }
}

/// [`words`] of ASCII text, most messages, a byte at a time: a word character is a letter or a
/// digit, the only apostrophe the straight one, and there are no combining marks.
fn ascii_words(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::with_capacity(bytes.len() / 5 + 1);
    let mut start: Option<usize> = None;
    let mut core_end = 0;
    for (index, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            start.get_or_insert(index);
            core_end = index + 1;
        } else if start.is_some() && b == b'\'' {
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

/// [`words`] of any text, a character at a time.
fn any_words(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::with_capacity(text.len() / 5 + 1);
    let mut start: Option<usize> = None;
    let mut core_end = 0;
    let mut index = 0;
    while index < bytes.len() {
        // ASCII needs no decoding; anything else is decoded one character at a time.
        let c = match bytes[index] {
            byte if byte.is_ascii() => char::from(byte),
            _ => match text[index..].chars().next() {
                Some(c) => c,
                None => break,
            },
        };
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
        index = end;
    }
    if let Some(word_start) = start {
        found.push((word_start, core_end));
    }
    found
}

/// Where the first byte of `bytes` at or after `from` that `wanted` accepts is, or the length of
/// `bytes` when none is.
///
/// Most bytes of a message are not the ones a rule looks for (a digit, a mask, an exclamation
/// mark), so sixteen at a time are judged together, every one of them, which the compiler turns
/// into a few vector compares; the one found is then looked for in its sixteen.
pub(crate) fn next_wanted(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> usize {
    let mut at = from.min(bytes.len());
    let (chunks, _) = bytes[at..].as_chunks::<16>();
    for chunk in chunks {
        if chunk.iter().fold(false, |any, &b| any | wanted(b)) {
            break;
        }
        at += 16;
    }
    bytes[at..]
        .iter()
        .position(|&b| wanted(b))
        .map_or(bytes.len(), |found| at + found)
}

/// A character as the rules compare it: lower case, with every apostrophe made straight.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if is_apostrophe(c) {
        '\''
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Appends the folded form of `word` to `out`.
fn push_folded(out: &mut String, word: &str) {
    if word.is_ascii() {
        let from = out.len();
        out.push_str(word);
        out[from..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().map(fold));
    }
}

/// The words of a text, kept with the text and folded once, with the small questions the rules
/// ask of them.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    /// The text the words were found in.
    pub text: &'a str,
    /// The byte ranges of the words, in order.
    pub spans: Vec<(usize, usize)>,
    /// Every word folded, one after another.
    folded: String,
    /// Where each folded word lies in `folded`.
    folded_spans: Vec<(usize, usize)>,
    /// The [`word_hash`] of each folded word, computed once for every phrase set that looks
    /// the words up.
    hashes: Vec<u64>,
}

impl<'a> Tokens<'a> {
    /// The words of `text`.
    pub fn new(text: &'a str) -> Tokens<'a> {
        let spans = words(text);
        let mut folded = String::with_capacity(text.len());
        let mut folded_spans = Vec::with_capacity(spans.len());
        let mut hashes = Vec::with_capacity(spans.len());
        for &(start, end) in &spans {
            let from = folded.len();
            push_folded(&mut folded, &text[start..end]);
            folded_spans.push((from, folded.len()));
            hashes.push(word_hash(&folded[from..]));
        }
        Tokens {
            text,
            spans,
            folded,
            folded_spans,
            hashes,
        }
    }

    /// How many words there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are no words at all.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Word `index` as written, or the empty string past the last word.
    pub fn word(&self, index: usize) -> &'a str {
        match self.spans.get(index) {
            Some(&(start, end)) => &self.text[start..end],
            None => "",
        }
    }

    /// Word `index` folded to lower case with straight apostrophes, or the empty string past the
    /// last word.
    pub fn folded(&self, index: usize) -> &str {
        match self.folded_spans.get(index) {
            Some(&(start, end)) => &self.folded[start..end],
            None => "",
        }
    }

    /// The [`word_hash`] of word `index` folded, or that of the empty string past the last word.
    pub fn hash(&self, index: usize) -> u64 {
        self.hashes
            .get(index)
            .copied()
            .unwrap_or_else(|| word_hash(""))
    }

    /// The byte where word `index` starts, or the end of the text past the last word.
    pub fn start(&self, index: usize) -> usize {
        self.spans.get(index).map_or(self.text.len(), |span| span.0)
    }

    /// The byte where word `index` ends, or the end of the text past the last word.
    pub fn end(&self, index: usize) -> usize {
        self.spans.get(index).map_or(self.text.len(), |span| span.1)
    }

    /// The text between word `index - 1` and word `index`: before the first word when `index`
    /// is 0, and after the last word when `index` is the number of words.
    pub fn gap_before(&self, index: usize) -> &'a str {
        let from = match index.checked_sub(1) {
            Some(previous) => self.end(previous),
            None => 0,
        };
        let to = self.start(index).max(from);
        &self.text[from..to]
    }

    /// Whether word `index` is an @handle ("@AcmeHelp"), whether or not the "@" is part of the
    /// word.
    pub fn is_handle(&self, index: usize) -> bool {
        self.word(index).starts_with('@') || self.gap_before(index).ends_with('@')
    }

    /// Whether word `index` follows the word before it with nothing but whitespace between.
    pub fn spaced(&self, index: usize) -> bool {
        index > 0 && index < self.len() && {
            let gap = self.gap_before(index);
            !gap.is_empty() && gap.chars().all(char::is_whitespace)
        }
    }

    /// Whether word `index` is in the same clause as the word before it.
    pub fn joined(&self, index: usize) -> bool {
        index > 0 && index < self.len() && !gap_breaks_clause(self.gap_before(index))
    }

    /// Whether word `index` exists and, folded, is one of `expected`, which must be folded too.
    /// For a handful of words; longer lists belong in a [`Lexicon`].
    pub fn is(&self, index: usize, expected: &[&str]) -> bool {
        index < self.len() && {
            // Byte by byte: these words are short, and a library comparison costs a call each.
            let folded = self.folded(index).as_bytes();
            expected.iter().any(|word| {
                word.len() == folded.len() && word.bytes().zip(folded).all(|(a, &b)| a == b)
            })
        }
    }

    /// The index of the word that starts at byte `start`, if one does.
    pub fn index_starting_at(&self, start: usize) -> Option<usize> {
        self.spans.binary_search_by(|span| span.0.cmp(&start)).ok()
    }

    /// The index of the first word that starts at or after byte `at`.
    pub fn index_at_or_after(&self, at: usize) -> usize {
        self.spans.partition_point(|span| span.0 < at)
    }
}

/// Whether the word `word` reads as `expected`, which must already be folded (lower case, with
/// straight apostrophes).
pub fn word_is(word: &str, expected: &str) -> bool {
    let (mine_bytes, theirs_bytes) = (word.as_bytes(), expected.as_bytes());
    if mine_bytes.len() == theirs_bytes.len() && mine_bytes.eq_ignore_ascii_case(theirs_bytes) {
        return true;
    }
    if word.is_ascii() {
        return false;
    }
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

/// Words that deny what follows them, written without their apostrophe as angry messages often
/// are. Words ending in "n't" are recognised separately.
pub(crate) const NEGATIONS: &[&str] = &[
    "not", "never", "no", "nor", "cannot", "dont", "didnt", "doesnt", "isnt", "wasnt", "arent",
    "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt", "aint",
];

/// Whether `word` is a negation such as "not", "never", "no" or any word ending in "n't".
pub fn is_negation(word: &str) -> bool {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        // Already as the list is written, as a folded word is: plain comparisons, the
        // quickest to reject.
        return word.ends_with("n't") || NEGATIONS.contains(&word);
    }
    ends_in_nt(word) || word_is_any(word, NEGATIONS)
}

/// Whether `word` ends in "n't", in any case and with any apostrophe.
pub fn ends_in_nt(word: &str) -> bool {
    // No other character folds to an ASCII "t", "'" or "n", so ASCII endings are read as bytes.
    match word.as_bytes() {
        [.., n, b'\'', t] => return n.eq_ignore_ascii_case(&b'n') && t.eq_ignore_ascii_case(&b't'),
        [.., t] if !t.eq_ignore_ascii_case(&b't') => return false,
        _ => {}
    }
    let mut tail = word.chars().rev().map(fold);
    tail.next() == Some('t') && tail.next() == Some('\'') && tail.next() == Some('n')
}

/// Whether `gap`, the text between two words, ends a clause: it holds sentence punctuation, a
/// comma, a semicolon, a colon, a bracket or a line break.
pub fn gap_breaks_clause(gap: &str) -> bool {
    gap.chars()
        .any(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n' | '(' | ')'))
}

/// Whether one of the `window` words before word `first` is a negation, looking back no further
/// than the start of its clause.
pub fn negated_before(tokens: &Tokens, first: usize, window: usize) -> bool {
    let mut index = first.min(tokens.len());
    for _ in 0..window {
        if index == 0 || (index < tokens.len() && !tokens.joined(index)) {
            return false;
        }
        index -= 1;
        if is_negation(tokens.folded(index)) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Word lists answered in one lookup.

/// The 64-bit FNV-1a hash: fast for short words, and the same on every run, unlike the
/// standard library's randomly seeded hasher.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The FNV-1a hash of a folded word, as [`Tokens`] keep it for each of their words.
pub fn word_hash(folded: &str) -> u64 {
    let mut hasher = Fnv::default();
    hasher.write(folded.as_bytes());
    hasher.finish()
}

/// A hasher for keys that are hashes already: it passes a `u64` through.
#[derive(Debug, Clone, Copy, Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed by [`word_hash`]es. Different words may share a hash, so whoever looks a
/// word up this way compares the words it finds.
type HashMapOfWords<V> = HashMap<u64, V, BuildHasherDefault<Passthrough>>;

/// A named list of folded words, with the bit that stands for it in a [`Lexicon`].
#[derive(Debug, Clone, Copy)]
pub struct WordList {
    /// The list's bit, from 0 to 63, unique within its lexicon.
    pub bit: u32,
    /// The words, folded: lower case with straight apostrophes.
    pub words: &'static [&'static str],
}

impl WordList {
    /// The list `words`, known to its lexicon by `bit`.
    pub const fn new(bit: u32, words: &'static [&'static str]) -> WordList {
        WordList { bit, words }
    }

    /// The list's bit as a mask.
    pub const fn mask(&self) -> u64 {
        match 1u64.checked_shl(self.bit) {
            Some(mask) => mask,
            None => 0,
        }
    }
}

/// The mask of all of `lists`, to ask whether a word is in any of them.
pub const fn mask_of(lists: &[WordList]) -> u64 {
    let mut mask = 0;
    let mut index = 0;
    while index < lists.len() {
        mask |= lists[index].mask();
        index += 1;
    }
    mask
}

/// Word lists compiled into one table, so one lookup tells which lists a word is in. The table
/// is keyed by [`word_hash`], which [`Tokens`] already hold for each of their words.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Each word with the bits of the lists it is in, by its hash.
    table: HashMapOfWords<Vec<(Box<str>, u64)>>,
}

impl Lexicon {
    /// Compiles `lists`. Each list's bit must be below 64 and used once; the lists are
    /// constants, so a test of each lexicon checks this.
    pub fn new(lists: &[WordList]) -> Lexicon {
        let mut table = HashMapOfWords::<Vec<(Box<str>, u64)>>::default();
        let mut used = 0u64;
        for list in lists {
            assert!(
                list.bit < 64 && used & list.mask() == 0,
                "bit {} is free",
                list.bit
            );
            used |= list.mask();
            for word in list.words {
                let mut key = String::with_capacity(word.len());
                push_folded(&mut key, word);
                let words = table.entry(word_hash(&key)).or_default();
                match words.iter_mut().find(|(w, _)| **w == *key) {
                    Some((_, bits)) => *bits |= list.mask(),
                    None => words.push((key.into_boxed_str(), list.mask())),
                }
            }
        }
        Lexicon { table }
    }

    /// The bits of the lists that the folded word `folded` is in.
    pub fn bits_of(&self, folded: &str) -> u64 {
        self.bits_of_hashed(folded, word_hash(folded))
    }

    /// [`Lexicon::bits_of`] for a word whose [`word_hash`] is known.
    fn bits_of_hashed(&self, folded: &str, hash: u64) -> u64 {
        self.table
            .get(&hash)
            .and_then(|words| words.iter().find(|(w, _)| **w == *folded))
            .map_or(0, |(_, bits)| *bits)
    }
}

/// The words of a message, each tagged with the lists of one [`Lexicon`] it is in. It reads as
/// the [`Tokens`] it tags.
#[derive(Debug, Clone)]
pub struct Tagged<'t, 'a> {
    tokens: &'t Tokens<'a>,
    tags: Vec<u64>,
}

impl<'t, 'a> Tagged<'t, 'a> {
    /// Tags the words of `tokens` with the lists of `lexicon`.
    pub fn new(tokens: &'t Tokens<'a>, lexicon: &Lexicon) -> Tagged<'t, 'a> {
        let tags = (0..tokens.len())
            .map(|index| lexicon.bits_of_hashed(tokens.folded(index), tokens.hash(index)))
            .collect();
        Tagged { tokens, tags }
    }

    /// Whether word `index` is in `list`, which must belong to the lexicon it was tagged with.
    pub fn is_in(&self, index: usize, list: WordList) -> bool {
        self.is_in_any(index, list.mask())
    }

    /// Whether word `index` is in any of the lists of `mask`, made with [`mask_of`].
    pub fn is_in_any(&self, index: usize, mask: u64) -> bool {
        self.tags.get(index).is_some_and(|tags| tags & mask != 0)
    }

    /// Whether word `index` starts with an ASCII digit.
    pub fn starts_with_digit(&self, index: usize) -> bool {
        self.word(index)
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit)
    }
}

impl<'t, 'a> Deref for Tagged<'t, 'a> {
    type Target = Tokens<'a>;

    fn deref(&self) -> &Tokens<'a> {
        self.tokens
    }
}

// ---------------------------------------------------------------------------------------------
// Phrases.

/// One step of a compiled phrase: any word, or one of a few folded words.
#[derive(Debug, Clone)]
enum Step {
    AnyWord,
    /// The folded words with their [`word_hash`]es.
    OneOf(Vec<(u64, Box<str>)>),
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

/// Whether `c` belongs to a word of a phrase, with the `|` and `*` of the pattern language.
fn is_pattern_char(c: char) -> bool {
    c.is_alphanumeric() || is_apostrophe(c) || c == '|' || c == '*'
}

impl Pattern {
    fn compile(phrase: &str) -> Pattern {
        let mut steps = Vec::new();
        let mut gaps = Vec::new();
        let mut gap = String::new();
        let mut rest = phrase;
        while !rest.is_empty() {
            let token_length = rest
                .find(|c: char| !is_pattern_char(c))
                .unwrap_or(rest.len());
            if token_length == 0 {
                let c = rest.chars().next().unwrap_or(' ');
                if gap_char_counts(c) {
                    gap.push(c);
                }
                rest = &rest[c.len_utf8()..];
                continue;
            }
            let token = &rest[..token_length];
            rest = &rest[token_length..];
            if !steps.is_empty() {
                gaps.push(std::mem::take(&mut gap));
            }
            gap.clear();
            steps.push(if token == "*" {
                Step::AnyWord
            } else {
                Step::OneOf(
                    token
                        .split('|')
                        .map(|alternative| {
                            let mut folded = String::new();
                            push_folded(&mut folded, alternative.trim_matches(is_apostrophe));
                            (word_hash(&folded), folded.into_boxed_str())
                        })
                        .filter(|(_, alternative)| !alternative.is_empty())
                        .collect(),
                )
            });
        }
        Pattern { steps, gaps }
    }
}

/// Whether the text between two words matches the gap a phrase asks for: the same punctuation,
/// ignoring whitespace, hyphens and apostrophes.
fn gap_matches(text_gap: &str, pattern_gap: &str) -> bool {
    text_gap
        .chars()
        .filter(|c| gap_char_counts(*c))
        .eq(pattern_gap.chars())
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
    /// The phrases by the hash of a word of their anchor, the first step that is not a
    /// wildcard, with how many steps come before it: a phrase is only tried where its anchor
    /// is found.
    by_anchor_word: HashMapOfWords<Vec<(usize, usize)>>,
    /// A bit per [`ANCHOR_BITS`] slot of anchor-word hashes, set when some phrase has a word
    /// of that slot in its anchor: most words anchor no phrase, and this says so in one load.
    anchor_bits: [u64; ANCHOR_BITS / 64],
    /// Phrases of wildcards alone, tried at every word.
    only_wildcards: Vec<usize>,
}

/// Slots of the anchor-word filter of a [`PhraseSet`].
const ANCHOR_BITS: usize = 1024;

/// The slot of the anchor-word filter and the bit in it for a word's hash.
fn anchor_bit(hash: u64) -> (usize, u64) {
    let slot = (hash >> 32) as usize % ANCHOR_BITS;
    (slot / 64, 1 << (slot % 64))
}

impl PhraseSet {
    /// Compiles `phrases`; a match reports the index of its phrase in this list.
    pub fn new(phrases: &[&str]) -> PhraseSet {
        let patterns: Vec<Pattern> = phrases.iter().map(|p| Pattern::compile(p)).collect();
        let mut by_anchor_word: HashMapOfWords<Vec<(usize, usize)>> = HashMapOfWords::default();
        let mut anchor_bits = [0u64; ANCHOR_BITS / 64];
        let mut only_wildcards = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let anchor = pattern
                .steps
                .iter()
                .enumerate()
                .find_map(|(at, step)| match step {
                    Step::OneOf(alternatives) => Some((at, alternatives)),
                    Step::AnyWord => None,
                });
            match anchor {
                Some((before, alternatives)) => {
                    for (hash, _) in alternatives {
                        let (word, bit) = anchor_bit(*hash);
                        anchor_bits[word] |= bit;
                        let anchored = by_anchor_word.entry(*hash).or_default();
                        if anchored.last() != Some(&(index, before)) {
                            anchored.push((index, before));
                        }
                    }
                }
                None if !pattern.steps.is_empty() => only_wildcards.push(index),
                None => {}
            }
        }
        PhraseSet {
            patterns,
            by_anchor_word,
            anchor_bits,
            only_wildcards,
        }
    }

    /// Every match in `text`, overlapping ones included, by start and then longest first.
    pub fn find_all(&self, text: &str) -> Vec<PhraseMatch> {
        self.find_all_in(&Tokens::new(text))
    }

    /// Every match in the words `tokens`, overlapping ones included, by start and then longest
    /// first.
    pub fn find_all_in(&self, tokens: &Tokens) -> Vec<PhraseMatch> {
        let mut found = Vec::new();
        let mut try_at = |first: usize, phrase: usize| {
            if let Some(last) = self.match_at(tokens, first, phrase) {
                found.push(PhraseMatch {
                    start: tokens.start(first),
                    end: tokens.end(last),
                    phrase,
                    first_word: first,
                    last_word: last,
                });
            }
        };
        for index in 0..tokens.len() {
            for &phrase in &self.only_wildcards {
                try_at(index, phrase);
            }
            let hash = tokens.hash(index);
            let (word, bit) = anchor_bit(hash);
            if self.anchor_bits[word] & bit == 0 {
                continue;
            }
            for &(phrase, before) in self
                .by_anchor_word
                .get(&hash)
                .map_or(&[][..], Vec::as_slice)
            {
                if let Some(first) = index.checked_sub(before) {
                    try_at(first, phrase);
                }
            }
        }
        if found.len() > 1 {
            found.sort_unstable_by(|a, b| {
                (a.start, b.end, a.phrase).cmp(&(b.start, a.end, b.phrase))
            });
        }
        found
    }

    /// The leftmost-longest matches in `text` that do not overlap one another.
    pub fn find(&self, text: &str) -> Vec<PhraseMatch> {
        non_overlapping(self.find_all(text))
    }

    /// The index of the last word of phrase `phrase` when it matches from word `first`.
    fn match_at(&self, tokens: &Tokens, first: usize, phrase: usize) -> Option<usize> {
        let pattern = self.patterns.get(phrase)?;
        for (offset, step) in pattern.steps.iter().enumerate() {
            let index = first + offset;
            if index >= tokens.len() {
                return None;
            }
            // The word first: a hash tells most words apart at once, a gap takes a walk.
            if let Step::OneOf(alternatives) = step {
                let (hash, folded) = (tokens.hash(index), tokens.folded(index));
                if !alternatives
                    .iter()
                    .any(|(h, a)| *h == hash && **a == *folded)
                {
                    return None;
                }
            }
            if offset > 0 && !gap_matches(tokens.gap_before(index), &pattern.gaps[offset - 1]) {
                return None;
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
    use crate::testing::strip_markers;

    proptest::proptest! {
        #[test]
        fn the_quick_negator_check_is_the_lists(
            word in "(no|not|never|nor|dont|cant|won|n|hardly|nothing|without|t|'|’|‘|[a-zA-Z]{0,4}|\\PC){0,3}"
        ) {
            let by_lists = ends_in_nt(&word) || word_is_any(&word, NEGATIONS);
            proptest::prop_assert_eq!(is_negation(&word), by_lists);
        }
    }

    #[test]
    fn ascii_words_are_those_read_a_character_at_a_time() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            "",
            "'",
            "don't say 'this' or 'that'",
            "a'b'' ''c 12'3 x'",
            "customers' money, rock'n'roll",
            every_ascii.as_str(),
        ] {
            assert_eq!(ascii_words(text.as_bytes()), any_words(text), "{text:?}");
        }
    }

    #[test]
    fn the_next_wanted_byte_is_the_first_one_looking_a_byte_at_a_time() {
        let text = b"no digits here, then 7 and, thirty-three bytes later, 42!";
        let digit = |b: u8| b.is_ascii_digit();
        for from in 0..=text.len() + 2 {
            let plain = (from..text.len())
                .find(|&at| digit(text[at]))
                .unwrap_or(text.len());
            assert_eq!(next_wanted(text, from, digit), plain, "from {from}");
        }
        assert_eq!(next_wanted(b"", 0, digit), 0);
    }

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
        assert_eq!(
            find_phrases(text, &["you are", "you are useless"]),
            vec![(0, 15, 1)]
        );
    }

    #[test]
    fn negation_looks_back_only_within_the_clause() {
        let tokens = Tokens::new("it did not arrive broken. No, it arrived broken");
        assert!(negated_before(&tokens, 3, 3));
        assert!(!negated_before(&tokens, 8, 3));
        assert!(negated_before(&Tokens::new("it DIDN’T work"), 2, 1));
    }

    #[test]
    fn words_are_folded_once_for_plain_comparison() {
        let tokens = Tokens::new("DON’T Stop");
        assert_eq!(
            (tokens.folded(0), tokens.folded(1), tokens.folded(2)),
            ("don't", "stop", "")
        );
        assert!(tokens.is(1, &["go", "stop"]));
        assert_eq!(tokens.hash(0), word_hash("don't"));
        assert_eq!(tokens.hash(1), word_hash("stop"));
        assert_eq!(tokens.hash(2), word_hash(""));
        assert_ne!(tokens.hash(0), tokens.hash(1));
    }

    #[test]
    fn many_phrases_sharing_first_word_slots_still_match_only_their_words() {
        // More first words than the filter has slots, so slots are shared; a word whose slot
        // is set but which starts no phrase must still find nothing.
        let phrases: Vec<String> = (0..3000).map(|i| format!("word{i} tail")).collect();
        let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
        let set = PhraseSet::new(&refs);
        let found = set.find_all("say word17 tail and word2999 tail but not word3000 tail");
        let matched: Vec<usize> = found.iter().map(|m| m.phrase).collect();
        assert_eq!(matched, vec![17, 2999]);
    }

    #[test]
    fn a_lexicon_tags_each_word_with_its_lists() {
        const GREETINGS: WordList = WordList::new(0, &["hello", "hi"]);
        const SHORT: WordList = WordList::new(5, &["hi", "yo"]);
        let lexicon = Lexicon::new(&[GREETINGS, SHORT]);
        let tokens = Tokens::new("Hi there, HELLO");
        let tagged = Tagged::new(&tokens, &lexicon);
        assert!(tagged.is_in(0, GREETINGS) && tagged.is_in(0, SHORT));
        assert!(
            !tagged.is_in(1, GREETINGS)
                && tagged.is_in(2, GREETINGS)
                && !tagged.is_in(3, GREETINGS)
        );
        assert_eq!(tagged.word(2), "HELLO");
        // Looked up by the hash the tokens hold, a word gets the bits its text gets.
        let tokens = Tokens::new("Yo! HI hello hellO ’hi' hiya h i");
        let tagged = Tagged::new(&tokens, &lexicon);
        for index in 0..tokens.len() {
            assert_eq!(
                tagged.tags[index],
                lexicon.bits_of(tokens.folded(index)),
                "{}",
                tokens.word(index)
            );
        }
        assert_eq!(lexicon.bits_of("hi"), GREETINGS.mask() | SHORT.mask());
        assert_eq!(lexicon.bits_of("hiya"), 0);
    }
}
