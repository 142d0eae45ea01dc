//! Feature extraction: a message becomes a short sparse vector of hashed n-grams.
//!
//! A key design decision: features are hashed into a fixed number of buckets instead of being
//! looked up in a vocabulary, so a model is just a table of weights, extraction allocates
//! little, and words never seen in training still land somewhere. Words are lowercased, runs of
//! digits become `0`, links and @handles become placeholders; word unigrams and bigrams carry
//! the meaning, character n-grams inside words catch misspellings and creative profanity.
//! Each distinct word and word n-gram weighs 1 + ln(how often the message says it); a word's
//! character n-grams take its weight times [`CHAR_WEIGHT`], added up over the words that share
//! them. So a word's part in any weighted sum over a message's features depends on the word
//! alone, and the Reading remembers it per word instead of summing a dozen rows again
//! ([`visit`] hands over words for that). The vector is scaled to unit length counting each
//! feature as its own dimension (exact when no two words share a character n-gram).

use crate::rules::abuse::AbuseRules;

/// How a text's features are weighed, written in every model file: a model is only right for
/// the features it was trained on. 1 counted every feature sublinearly on its own; 2 counts
/// words (with their character n-grams) and phrases, so a word's rows can be summed once.
pub const FEATURES_VERSION: u32 = 2;

/// Which n-grams to extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureConfig {
    /// Word n-grams from 1 up to this many words (0 turns them off).
    pub word_ngrams: u8,
    /// Character n-grams inside words (padded with spaces), from `char_min` to `char_max` long;
    /// 0 turns them off.
    pub char_min: u8,
    pub char_max: u8,
    /// Add the reply's shape as cue features (see `text::cues`): its length, its questions,
    /// how much it says "you" and "I".
    pub cues: bool,
    /// Add the politeness strategies a request uses as features (see `text::strategies`).
    pub strategies: bool,
    /// Add the words a negation governs as features (see `text::negation`).
    pub negation: bool,
    /// Add how positive or negative the words are by a rated lexicon (see `text::valence`).
    pub valence: bool,
    /// Add what the abuse rules find (swearing, insults, threats; see `text::abuse_cues`).
    pub abuse: bool,
}

impl FeatureConfig {
    /// What the Reading's models use.
    pub const DEFAULT: FeatureConfig = FeatureConfig {
        word_ngrams: 2,
        char_min: 3,
        char_max: 5,
        cues: false,
        strategies: false,
        negation: false,
        valence: false,
        abuse: false,
    };

    /// The default n-grams with the cue features: what the coach's empathy models read.
    pub const WITH_CUES: FeatureConfig = FeatureConfig {
        cues: true,
        ..FeatureConfig::DEFAULT
    };
}

/// The top bit of a hash marks a character n-gram.
const CHAR_BIT: u32 = 1 << 31;

/// A hashed feature and its weight.
pub type Feature = (u32, f32);

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

fn fnv(seed: u32, bytes: &[u8]) -> u32 {
    let mut hash = seed;
    for &b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// The hash of a named feature (a cue, a strategy): FNV-1a of `kind` then `name` from a seed
/// apart from the n-grams', with the top bit clear, since it is not a character n-gram.
pub(crate) fn named_hash(salt: u32, kind: &[u8], name: &str) -> u32 {
    fnv(fnv(FNV_OFFSET ^ salt, kind), name.as_bytes()) & !CHAR_BIT
}

/// Named features with their values, those that are not zero, sorted by hash.
pub(crate) fn named_features<const N: usize>(hashes: [u32; N], values: [f32; N]) -> Vec<Feature> {
    let mut out: Vec<Feature> = hashes
        .into_iter()
        .zip(values)
        .filter(|(_, value)| *value != 0.0)
        .collect();
    out.sort_unstable_by_key(|f| f.0);
    out
}

/// Final mixing so nearby hashes spread over the buckets.
fn mix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x7feb_352d);
    h ^= h >> 15;
    h = h.wrapping_mul(0x846c_a68b);
    h ^ (h >> 16)
}

/// The normalised words of a text, one after another in one buffer, so tokenizing allocates
/// nothing once the buffers have grown.
#[derive(Debug, Default)]
struct Words {
    text: String,
    /// Where each word lies in `text`.
    spans: Vec<(usize, usize)>,
}

impl Words {
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    fn word(&self, index: usize) -> &str {
        let (start, end) = self.spans[index];
        &self.text[start..end]
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Ends the word being built at `start`: a link or a handle becomes its placeholder.
    fn flush(&mut self, start: usize) {
        let word = &self.text[start..];
        if word.is_empty() {
            return;
        }
        let placeholder = if word.starts_with("http") || word.starts_with("www") {
            Some("<url>")
        } else if word.starts_with('@') && word.len() > 1 {
            Some("<user>")
        } else {
            None
        };
        if let Some(placeholder) = placeholder {
            self.text.truncate(start);
            self.text.push_str(placeholder);
        }
        self.spans.push((start, self.text.len()));
    }

    /// Adds a word of one character.
    fn push_char(&mut self, c: char) {
        let start = self.text.len();
        self.text.push(c);
        self.spans.push((start, self.text.len()));
    }
}

/// Splits `text` into normalised word tokens, appended to `words`.
fn tokenize(text: &str, words: &mut Words) {
    let mut start = words.text.len();
    let mut last_digit = false;
    for c in text.chars() {
        // The word so far is only looked at for an `@` and for a link's punctuation. A word
        // character is `text::is_word_char`'s, split here for ASCII: calling that one instead
        // costs 1.4% more instructions per Reading.
        let is_word_char = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '\''
        } else {
            c.is_alphanumeric() || c == '’'
        };
        if is_word_char || (c == '@' && words.text.len() == start) {
            if c.is_ascii_digit() {
                if !last_digit {
                    words.text.push('0');
                }
                last_digit = true;
                continue;
            }
            last_digit = false;
            if c == '’' {
                words.text.push('\'');
            } else if c.is_ascii() {
                words.text.push(c.to_ascii_lowercase());
            } else {
                words.text.extend(c.to_lowercase());
            }
        } else if (c == '/' || c == '.' || c == ':') && {
            let current = &words.text[start..];
            current.starts_with("http") || current.starts_with("www")
        } {
            words.text.push(c);
        } else {
            last_digit = false;
            words.flush(start);
            if !c.is_whitespace() && !c.is_ascii_punctuation() || matches!(c, '!' | '?') {
                words.push_char(c);
            }
            start = words.text.len();
        }
    }
    words.flush(start);
}

/// Splits text into normalised word tokens.
pub fn tokens(text: &str) -> Vec<String> {
    let mut words = Words::default();
    tokenize(text, &mut words);
    (0..words.len()).map(|i| words.word(i).to_owned()).collect()
}

/// What [`visit`] reuses from one message to the next on a thread.
#[derive(Debug, Default)]
struct Scratch {
    words: Words,
    hashes: Vec<u32>,
    /// A word's unigram hash and the index of one of its occurrences.
    types: Vec<(u32, u32)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
    static BOUNDS: std::cell::RefCell<Vec<usize>> = std::cell::RefCell::default();
}

/// What a message's features are built from, handed over by [`visit`]: each distinct word once,
/// with its count made sublinear, and each distinct n-gram of two or more words. A word stands
/// for its unigram and its character n-grams (see [`char_ngrams`]), so whatever sums weights
/// over a message's features can do it a word at a time, and remember a word's sum.
pub trait Visitor {
    /// A distinct word (normalised, as [`tokens`] gives it), the hash of its unigram, and its
    /// weight: 1 + ln of how often the message says it.
    fn word(&mut self, word: &str, unigram: u32, weight: f32);
    /// A distinct n-gram of two or more words and its weight.
    fn phrase(&mut self, hash: u32, weight: f32);
}

/// Hands the message's distinct words and phrases to `visitor` (words ordered by their
/// unigram's hash, then phrases by theirs) and returns the scale that brings its features to
/// unit length, counting every feature as its own dimension: 1 / the square root of the sum,
/// over words, of weight² × (1 + [`CHAR_WEIGHT`]² × its character n-grams) and, over phrases,
/// of weight². Zero when the message has no words.
pub fn visit(text: &str, config: &FeatureConfig, visitor: &mut impl Visitor) -> f32 {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => visit_with(text, config, visitor, &mut scratch),
        Err(_) => visit_with(text, config, visitor, &mut Scratch::default()),
    })
}

fn visit_with(
    text: &str,
    config: &FeatureConfig,
    visitor: &mut impl Visitor,
    scratch: &mut Scratch,
) -> f32 {
    let Scratch {
        words,
        hashes,
        types,
    } = scratch;
    words.clear();
    tokenize(text, words);
    let mut norm2 = 0.0f32;
    if config.word_ngrams >= 1 {
        let word = |i: u32| words.word(i as usize);
        // A word's unigram hash is its one-word n-gram's.
        hashes.clear();
        phrase_hashes(words, 1, hashes);
        types.clear();
        types.extend(hashes.iter().copied().zip(0u32..));
        // Equal words have equal hashes; words that only share a hash are told apart.
        types.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| word(a.1).cmp(word(b.1))));
        for run in types.chunk_by(|a, b| a.0 == b.0 && word(a.1) == word(b.1)) {
            let text = word(run[0].1);
            let weight = sublinear(run.len());
            let chars = char_ngram_count(text, config) as f32;
            norm2 += weight * weight * (1.0 + CHAR_WEIGHT * CHAR_WEIGHT * chars);
            visitor.word(text, run[0].0, weight);
        }
    }
    for n in 2..=usize::from(config.word_ngrams) {
        hashes.clear();
        phrase_hashes(words, n, hashes);
        hashes.sort_unstable();
        for run in hashes.chunk_by(|a, b| a == b) {
            let weight = sublinear(run.len());
            norm2 += weight * weight;
            visitor.phrase(run[0], weight);
        }
    }
    if norm2 > 0.0 {
        1.0 / norm2.sqrt()
    } else {
        0.0
    }
}

/// The hashed features of `text`, sorted by hash: its words' unigrams and character n-grams
/// and its phrases, weighted as [`visit`] says and scaled by its scale, then the cue features
/// when `config` asks for them.
pub fn extract(text: &str, config: &FeatureConfig) -> Vec<Feature> {
    let mut collect = Collect {
        config,
        grams: Vec::new(),
    };
    let scale = visit(text, config, &mut collect);
    let mut grams = collect.grams;
    grams.sort_unstable_by_key(|g| g.0);
    let mut features: Vec<Feature> = Vec::with_capacity(grams.len());
    for (h, w) in grams {
        match features.last_mut() {
            Some((last, sum)) if *last == h => *sum += w,
            _ => features.push((h, w)),
        }
    }
    for (_, w) in features.iter_mut() {
        *w *= scale;
    }
    let features = if config.cues {
        with_cues(features, text)
    } else {
        features
    };
    let mut features = features;
    if config.has_own() {
        features.extend(own_features(text, config));
        features.sort_unstable_by_key(|f| f.0);
    }
    features
}

/// Every feature a visit hands over, unscaled, in the order it comes.
struct Collect<'c> {
    config: &'c FeatureConfig,
    grams: Vec<Feature>,
}

impl Visitor for Collect<'_> {
    fn word(&mut self, word: &str, unigram: u32, weight: f32) {
        self.grams.push((unigram, weight));
        let grams = &mut self.grams;
        char_ngrams(word, self.config, |h| grams.push((h, weight * CHAR_WEIGHT)));
    }

    fn phrase(&mut self, hash: u32, weight: f32) {
        self.grams.push((hash, weight));
    }
}

/// `features`, the n-gram features of `text`, with its cue features added, sorted by hash.
pub fn with_cues(mut features: Vec<Feature>, text: &str) -> Vec<Feature> {
    features.extend(super::cues::cues(text));
    features.sort_unstable_by_key(|f| f.0);
    features
}

impl FeatureConfig {
    /// These settings without the features a model reads alone (see [`own_features`]).
    pub fn shared(&self) -> FeatureConfig {
        FeatureConfig {
            strategies: false,
            negation: false,
            valence: false,
            abuse: false,
            ..*self
        }
    }

    /// Whether these settings read features beyond the shared n-grams and cues.
    pub fn has_own(&self) -> bool {
        self.strategies || self.negation || self.valence || self.abuse
    }
}

/// The features of `text` that `config` reads beyond its n-grams and cues: the politeness
/// strategies, the negated words, the valence and the abuse cues, not scaled with the n-grams.
/// Models that share n-grams (the Reading's) each add these to their own outputs alone.
pub fn own_features(text: &str, config: &FeatureConfig) -> Vec<Feature> {
    let found = OwnFeatures::find(text, [config], None);
    found.read_by(config).flatten().copied().collect()
}

/// A text's own features of every kind some models read, each kind found once however many
/// models read it (the sentiment and tweet_emotion models both read the valence).
#[derive(Debug, Default)]
pub struct OwnFeatures {
    strategies: Vec<Feature>,
    negation: Vec<Feature>,
    valence: Vec<Feature>,
    abuse: Vec<Feature>,
}

impl OwnFeatures {
    /// The kinds any of `configs` reads, found in `text`; `abuse` is what the abuse rules found
    /// in that very text, where the caller has run them (otherwise they run here if needed).
    pub fn find<'c>(
        text: &str,
        configs: impl IntoIterator<Item = &'c FeatureConfig>,
        abuse: Option<&AbuseRules>,
    ) -> OwnFeatures {
        let mut wanted = FeatureConfig::DEFAULT;
        for config in configs {
            wanted.strategies |= config.strategies;
            wanted.negation |= config.negation;
            wanted.valence |= config.valence;
            wanted.abuse |= config.abuse;
        }
        let found =
            |on: bool, find: fn(&str) -> Vec<Feature>| if on { find(text) } else { Vec::new() };
        OwnFeatures {
            strategies: found(wanted.strategies, super::strategies::strategies),
            negation: found(wanted.negation, super::negation::negation),
            valence: found(wanted.valence, super::valence::valence),
            abuse: match abuse {
                Some(rules) if wanted.abuse => super::abuse_cues::from_findings(rules),
                _ => found(wanted.abuse, super::abuse_cues::abuse_cues),
            },
        }
    }

    /// The kinds `config` reads, in a fixed order: strategies, negated words, valence, abuse
    /// cues.
    pub fn read_by<'s>(&'s self, config: &FeatureConfig) -> impl Iterator<Item = &'s [Feature]> {
        [
            (config.strategies, &self.strategies),
            (config.negation, &self.negation),
            (config.valence, &self.valence),
            (config.abuse, &self.abuse),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, found)| found.as_slice())
    }
}

/// 1 + ln(count): a word said three times counts about twice as much as once.
fn sublinear(count: usize) -> f32 {
    1.0 + (count as f32).ln()
}

/// How much a character n-gram counts against its word's unigram: a word has many of them, and
/// words carry most of the meaning.
pub const CHAR_WEIGHT: f32 = 0.5;

/// How many hashes [`char_ngrams`] gives for `word`.
fn char_ngram_count(word: &str, config: &FeatureConfig) -> usize {
    if config.char_max == 0 || word.starts_with('<') {
        return 0;
    }
    // The padded word's characters.
    let chars = 2 + if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    (usize::from(config.char_min)..=usize::from(config.char_max))
        .map(|n| (chars + 1).saturating_sub(n))
        .sum()
}

/// The hashes of the word n-grams of `n` words (n ≥ 2), appended to `hashes`.
fn phrase_hashes(words: &Words, n: usize, hashes: &mut Vec<u32>) {
    if words.len() < n {
        return;
    }
    let seed = fnv(FNV_OFFSET ^ (n as u32), b"w");
    for first in 0..=words.len() - n {
        let mut h = seed;
        for i in first..first + n {
            if i > first {
                h = fnv(h, b" ");
            }
            h = fnv(h, words.word(i).as_bytes());
        }
        hashes.push(mix(h) & !CHAR_BIT);
    }
}

/// Calls `push` with the hash of every character n-gram of `word` padded with spaces (none for
/// a placeholder such as `<url>`), shortest first, each length from the left.
pub fn char_ngrams(word: &str, config: &FeatureConfig, push: impl FnMut(u32)) {
    if config.char_max == 0 || word.starts_with('<') {
        return;
    }
    BOUNDS.with(|bounds| match bounds.try_borrow_mut() {
        Ok(mut bounds) => char_ngrams_with(word, config, &mut bounds, push),
        Err(_) => char_ngrams_with(word, config, &mut Vec::new(), push),
    })
}

fn char_ngrams_with(
    word: &str,
    config: &FeatureConfig,
    bounds: &mut Vec<usize>,
    mut push: impl FnMut(u32),
) {
    // Hashing the UTF-8 bytes of a run of characters equals hashing them one character at
    // a time, so each n-gram is hashed straight from the padded word's bytes. The padding
    // spaces are hashed on their own rather than copied around the word.
    // Character boundaries of " word ": the padding, the word's characters, the end.
    bounds.clear();
    bounds.push(0);
    if word.is_ascii() {
        bounds.extend(1..=word.len());
    } else {
        bounds.extend(word.char_indices().map(|(i, _)| i + 1));
    }
    bounds.extend([word.len() + 1, word.len() + 2]);
    let chars = bounds.len() - 1;
    let bytes = word.as_bytes();
    let last = word.len() + 1;
    for n in usize::from(config.char_min)..=usize::from(config.char_max) {
        if chars < n {
            break;
        }
        let seed = FNV_OFFSET ^ (0x100 + n as u32);
        for start in 0..=chars - n {
            let (from, to) = (bounds[start], bounds[start + n]);
            // Padded byte i is a space at 0 and at `last`, else word byte i - 1.
            let mut h = seed;
            if from == 0 {
                h = fnv(h, b" ");
            }
            h = fnv(h, &bytes[from.max(1) - 1..to.min(last) - 1]);
            if to == last + 1 {
                h = fnv(h, b" ");
            }
            push(mix(h) | CHAR_BIT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_features_found_once_are_what_each_model_reads_alone() {
        let sentiment = FeatureConfig {
            negation: true,
            valence: true,
            ..FeatureConfig::DEFAULT
        };
        let emotion = FeatureConfig {
            valence: true,
            ..FeatureConfig::DEFAULT
        };
        let polite = FeatureConfig {
            strategies: true,
            ..FeatureConfig::DEFAULT
        };
        let text = "Could you please help? I am NOT happy, the box was not good at all!";
        let found = OwnFeatures::find(text, [&sentiment, &emotion, &polite], None);
        for config in [&sentiment, &emotion, &polite, &FeatureConfig::DEFAULT] {
            let shared: Vec<Feature> = found.read_by(config).flatten().copied().collect();
            let alone = own_features(text, config);
            assert_eq!(shared, alone);
            assert_eq!(alone.is_empty(), !config.has_own());
        }
        // A kind no model asked for is not looked for.
        let only = OwnFeatures::find(text, [&emotion], None);
        assert_eq!(only.read_by(&polite).flatten().count(), 0);
        assert!(only.read_by(&emotion).flatten().count() > 0);
    }

    /// Features computed the plain way: tokens as strings counted in a map, each n-gram's
    /// padded word copied.
    fn plain_extract(text: &str, config: &FeatureConfig) -> Vec<Feature> {
        use std::collections::BTreeMap;
        let words = tokens(text);
        let mut sums: BTreeMap<u32, f32> = BTreeMap::new();
        let mut norm2 = 0.0f32;
        for n in 1..=usize::from(config.word_ngrams) {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for window in words.windows(n) {
                *counts.entry(window.join(" ")).or_default() += 1;
            }
            for (gram, count) in counts {
                let weight = 1.0 + (count as f32).ln();
                let h = fnv(fnv(FNV_OFFSET ^ (n as u32), b"w"), gram.as_bytes());
                *sums.entry(mix(h) & !CHAR_BIT).or_default() += weight;
                let mut chars = 0;
                if n == 1 && !gram.starts_with('<') {
                    let padded: Vec<char> = format!(" {gram} ").chars().collect();
                    for m in usize::from(config.char_min)..=usize::from(config.char_max) {
                        for piece in padded.windows(m) {
                            let piece: String = piece.iter().collect();
                            let h = fnv(FNV_OFFSET ^ (0x100 + m as u32), piece.as_bytes());
                            *sums.entry(mix(h) | CHAR_BIT).or_default() += weight * CHAR_WEIGHT;
                            chars += 1;
                        }
                    }
                }
                norm2 += weight * weight * (1.0 + CHAR_WEIGHT * CHAR_WEIGHT * chars as f32);
            }
        }
        let scale = 1.0 / norm2.sqrt();
        sums.into_iter().map(|(h, w)| (h, w * scale)).collect()
    }

    #[test]
    fn features_are_those_of_the_plain_computation() {
        let configs = [
            FeatureConfig::DEFAULT,
            FeatureConfig {
                word_ngrams: 3,
                char_min: 1,
                char_max: 6,
                cues: false,
                strategies: false,
                negation: false,
                valence: false,
                abuse: false,
            },
        ];
        for text in [
            "Where is my order #A10234?! I paid $129.99, you useless idiot",
            "Ünïcödé ÇOK KÖTÜ İstanbul’da don’t 漢字 😡😡 a",
            "@shop http://x.co/a www.example.com/x @ '' ’ 12 34 5a6b",
            "I",
            "ab",
            "no no NO never, the theme of the end: the end",
        ] {
            for config in &configs {
                let fast = extract(text, config);
                let plain = plain_extract(text, config);
                assert_eq!(fast.len(), plain.len(), "{text:?}");
                for (a, b) in fast.iter().zip(&plain) {
                    assert_eq!(a.0, b.0, "{text:?}");
                    assert!((a.1 - b.1).abs() < 1e-6, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn tokens_are_lowercased_with_digits_links_and_handles_folded() {
        assert_eq!(
            tokens("WHERE is order #A1234?! @shop http://x.co/a don’t"),
            ["where", "is", "order", "a0", "?", "!", "<user>", "<url>", "don't"]
        );
    }

    #[test]
    fn features_have_unit_length_and_are_deterministic() {
        let a = extract("My parcel is late, again!", &FeatureConfig::DEFAULT);
        let b = extract("My parcel is late, again!", &FeatureConfig::DEFAULT);
        assert_eq!(a, b);
        // No two features of this message share a hash, so its length is exactly one.
        let norm: f32 = a.iter().map(|(_, w)| w * w).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(extract("", &FeatureConfig::DEFAULT).is_empty());
    }
}
