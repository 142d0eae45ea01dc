//! Feature extraction: a message becomes a short sparse vector of hashed n-grams.
//!
//! A key design decision: features are hashed into a fixed number of buckets instead of being
//! looked up in a vocabulary, so a model is just a table of weights, extraction allocates
//! little, and words never seen in training still land somewhere. Words are lowercased, runs of
//! digits become `0`, links and @handles become placeholders; word unigrams and bigrams carry
//! the meaning, character n-grams inside words catch misspellings and creative profanity.
//! Every feature's weight is sublinear (1 + ln count) and the vector is scaled to unit length.

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
}

impl FeatureConfig {
    /// What the Reading's models use.
    pub const DEFAULT: FeatureConfig = FeatureConfig {
        word_ngrams: 2,
        char_min: 3,
        char_max: 5,
        cues: false,
    };

    /// The default n-grams with the cue features: what the coach's empathy models read.
    pub const WITH_CUES: FeatureConfig = FeatureConfig {
        cues: true,
        ..FeatureConfig::DEFAULT
    };
}

/// The top bit of a hash marks a character n-gram.
const CHAR_BIT: u32 = 1 << 31;

/// Character n-grams count half as much as words: there are many more of them, and words
/// carry most of the meaning.
const CHAR_WEIGHT: f32 = 0.5;

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
        let current = &words.text[start..];
        if c.is_alphanumeric() || c == '\'' || c == '’' || (c == '@' && current.is_empty()) {
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
        } else if (c == '/' || c == '.' || c == ':')
            && (current.starts_with("http") || current.starts_with("www"))
        {
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

/// What [`extract`] reuses from one message to the next on a thread.
#[derive(Debug, Default)]
struct Scratch {
    words: Words,
    hashes: Vec<u32>,
    bounds: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The hashed features of `text`, sorted by hash: the n-grams' weights scaled to unit length,
/// then the cue features when `config` asks for them.
pub fn extract(text: &str, config: &FeatureConfig) -> Vec<Feature> {
    let features = SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => extract_with(text, config, &mut scratch),
        Err(_) => extract_with(text, config, &mut Scratch::default()),
    });
    if config.cues {
        with_cues(features, text)
    } else {
        features
    }
}

/// `features`, the n-gram features of `text`, with its cue features added, sorted by hash.
pub fn with_cues(mut features: Vec<Feature>, text: &str) -> Vec<Feature> {
    features.extend(super::cues::cues(text));
    features.sort_unstable_by_key(|f| f.0);
    features
}

fn extract_with(text: &str, config: &FeatureConfig, scratch: &mut Scratch) -> Vec<Feature> {
    let Scratch {
        words,
        hashes,
        bounds,
    } = scratch;
    words.clear();
    hashes.clear();
    tokenize(text, words);
    for n in 1..=usize::from(config.word_ngrams) {
        if words.len() < n {
            break;
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
    if config.char_max > 0 {
        // Hashing the UTF-8 bytes of a run of characters equals hashing them one character at
        // a time, so each n-gram is hashed straight from the padded word's bytes. The padding
        // spaces are hashed on their own rather than copied around the word.
        for index in 0..words.len() {
            let word = words.word(index);
            if word.starts_with('<') {
                continue;
            }
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
                    hashes.push(mix(h) | CHAR_BIT);
                }
            }
        }
    }
    hashes.sort_unstable();
    let mut features: Vec<Feature> = Vec::with_capacity(hashes.len());
    for &h in hashes.iter() {
        match features.last_mut() {
            Some((last, count)) if *last == h => *count += 1.0,
            _ => features.push((h, 1.0)),
        }
    }
    let mut norm = 0.0f32;
    for (h, w) in features.iter_mut() {
        *w = 1.0 + w.ln();
        if *h & CHAR_BIT != 0 {
            *w *= CHAR_WEIGHT;
        }
        norm += *w * *w;
    }
    if norm > 0.0 {
        let scale = 1.0 / norm.sqrt();
        for (_, w) in features.iter_mut() {
            *w *= scale;
        }
    }
    features
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Features computed the plain way: tokens as strings, each n-gram's padded word copied.
    fn plain_extract(text: &str, config: &FeatureConfig) -> Vec<Feature> {
        let words = tokens(text);
        let mut hashes = Vec::new();
        for n in 1..=usize::from(config.word_ngrams) {
            for window in words.windows(n) {
                let mut h = fnv(FNV_OFFSET ^ (n as u32), b"w");
                h = fnv(h, window.join(" ").as_bytes());
                hashes.push(mix(h) & !CHAR_BIT);
            }
        }
        for word in words.iter().filter(|w| !w.starts_with('<')) {
            let padded: Vec<char> = format!(" {word} ").chars().collect();
            for n in usize::from(config.char_min)..=usize::from(config.char_max) {
                for gram in padded.windows(n) {
                    let gram: String = gram.iter().collect();
                    let h = fnv(FNV_OFFSET ^ (0x100 + n as u32), gram.as_bytes());
                    hashes.push(mix(h) | CHAR_BIT);
                }
            }
        }
        hashes.sort_unstable();
        let mut features: Vec<Feature> = Vec::new();
        for h in hashes {
            match features.last_mut() {
                Some((last, count)) if *last == h => *count += 1.0,
                _ => features.push((h, 1.0)),
            }
        }
        for (h, w) in features.iter_mut() {
            *w = (1.0 + w.ln()) * if *h & CHAR_BIT != 0 { CHAR_WEIGHT } else { 1.0 };
        }
        let norm = features.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        for (_, w) in features.iter_mut() {
            *w /= norm;
        }
        features
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
            },
        ];
        for text in [
            "Where is my order #A10234?! I paid $129.99, you useless idiot",
            "Ünïcödé ÇOK KÖTÜ İstanbul’da don’t 漢字 😡😡 a",
            "@shop http://x.co/a www.example.com/x @ '' ’ 12 34 5a6b",
            "I",
            "ab",
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
        let norm: f32 = a.iter().map(|(_, w)| w * w).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(extract("", &FeatureConfig::DEFAULT).is_empty());
    }
}
