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
}

impl FeatureConfig {
    /// What every shipped model uses.
    pub const DEFAULT: FeatureConfig = FeatureConfig {
        word_ngrams: 2,
        char_min: 3,
        char_max: 5,
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

/// Splits text into normalised word tokens.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if current.is_empty() {
            return;
        }
        let word = std::mem::take(current);
        let token = if word.starts_with("http") || word.starts_with("www") {
            "<url>".to_owned()
        } else if word.starts_with('@') && word.len() > 1 {
            "<user>".to_owned()
        } else {
            word
        };
        out.push(token);
    };
    let mut last_digit = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' || (c == '@' && current.is_empty()) {
            if c.is_ascii_digit() {
                if !last_digit {
                    current.push('0');
                }
                last_digit = true;
                continue;
            }
            last_digit = false;
            if c == '’' {
                current.push('\'');
            } else {
                current.extend(c.to_lowercase());
            }
        } else if (c == '/' || c == '.' || c == ':')
            && (current.starts_with("http") || current.starts_with("www"))
        {
            current.push(c);
        } else {
            last_digit = false;
            flush(&mut current, &mut out);
            if !c.is_whitespace() && !c.is_ascii_punctuation() || matches!(c, '!' | '?') {
                out.push(c.to_string());
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The hashed features of `text`, sorted by hash, weights scaled to unit length.
pub fn extract(text: &str, config: &FeatureConfig) -> Vec<Feature> {
    let words = tokens(text);
    let mut hashes: Vec<u32> = Vec::with_capacity(words.len() * 8);
    for n in 1..=usize::from(config.word_ngrams) {
        if words.len() < n {
            break;
        }
        for window in words.windows(n) {
            let mut h = fnv(FNV_OFFSET ^ (n as u32), b"w");
            for (i, word) in window.iter().enumerate() {
                if i > 0 {
                    h = fnv(h, b" ");
                }
                h = fnv(h, word.as_bytes());
            }
            hashes.push(mix(h) & !CHAR_BIT);
        }
    }
    if config.char_max > 0 {
        // Hashing the UTF-8 bytes of a run of characters equals hashing them one character at
        // a time, so each n-gram is hashed straight from the padded word's bytes.
        let mut padded = String::with_capacity(32);
        let mut bounds: Vec<usize> = Vec::with_capacity(32);
        for word in &words {
            if word.starts_with('<') {
                continue;
            }
            padded.clear();
            padded.push(' ');
            padded.push_str(word);
            padded.push(' ');
            bounds.clear();
            bounds.extend(padded.char_indices().map(|(i, _)| i));
            bounds.push(padded.len());
            let chars = bounds.len() - 1;
            let bytes = padded.as_bytes();
            for n in usize::from(config.char_min)..=usize::from(config.char_max) {
                if chars < n {
                    break;
                }
                let seed = FNV_OFFSET ^ (0x100 + n as u32);
                for start in 0..=chars - n {
                    let h = fnv(seed, &bytes[bounds[start]..bounds[start + n]]);
                    hashes.push(mix(h) | CHAR_BIT);
                }
            }
        }
    }
    hashes.sort_unstable();
    let mut features: Vec<Feature> = Vec::with_capacity(hashes.len());
    for h in hashes {
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
