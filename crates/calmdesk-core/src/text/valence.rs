//! Valence features: how positive or negative a message's words are, by human ratings.
//!
//! A model learns a word's sentiment only from the rows it is trained on; the sentiment model's
//! rows are mostly Reddit comments, and a tweet's words are often ones it has seen rarely. The
//! VADER lexicon (Hutto and Gilbert, ICWSM 2014; MIT licence, see `VALENCE-LICENCE`) gives
//! about 7,500 words, slang and emoticons a mean rating from -4 to +4 by human raters, in
//! `valence.tsv` (written by `scripts/valence_lexicon.py`). This module scores a message with
//! it, with a few rules of thumb about how people write feeling: a negation in the three words
//! before a word turns its valence round and weakens it, an intensifier strengthens it and a
//! softener weakens it, a word in capitals in a message that is not all capitals is stronger,
//! after "but" a message counts more than before it, and exclamation marks strengthen the
//! whole. The sum becomes three named features, hashed apart from the n-grams: its squashed
//! total (`val:compound`, -1 to 1) and the shares of positive and negative weight among the
//! words (`val:positive`, `val:negative`). A model asks for them with
//! [`FeatureConfig::valence`].
//!
//! [`FeatureConfig::valence`]: super::features::FeatureConfig::valence

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::features::{named_features, named_hash, Feature};
use super::negation::{fold, ABSENCE};
use crate::rules::words::{ends_in_nt, Fnv, NEGATIONS};

/// The lexicon: a token and its mean rating.
const LEXICON: &str = include_str!("valence.tsv");

/// The features count this much against the n-gram features, whose vector has unit length.
const VALENCE_WEIGHT: f32 = 2.0;

/// How many words before a word a negation or an intensifier reaches.
const REACH: usize = 3;

/// A negated word's valence is multiplied by this.
const NEGATED: f32 = -0.74;

/// What an intensifier adds to (and a softener takes from) the strength of the word it
/// governs, at the distance of one word; further away it counts less.
const BOOST: f32 = 0.29;

/// What a word in capitals adds to its strength, when the message is not all capitals.
const CAPITALS: f32 = 0.73;

/// What each exclamation mark, up to [`MOST_EXCLAMATIONS`], adds to the total's strength.
const EXCLAMATION: f32 = 0.29;
const MOST_EXCLAMATIONS: usize = 4;

/// Before and after the first "but", a word's valence is multiplied by these.
const BEFORE_BUT: f32 = 0.5;
const AFTER_BUT: f32 = 1.5;

/// The total is squashed into -1..1 as total / sqrt(total² + this).
const SQUASH: f32 = 15.0;

/// Words that make the next words stronger ("very good", "so rude").
const INTENSIFIERS: &[&str] = &[
    "absolutely",
    "completely",
    "deeply",
    "especially",
    "exceptionally",
    "extremely",
    "fully",
    "highly",
    "hugely",
    "incredibly",
    "insanely",
    "most",
    "particularly",
    "really",
    "seriously",
    "so",
    "such",
    "super",
    "terribly",
    "thoroughly",
    "too",
    "totally",
    "truly",
    "utterly",
    "very",
    "way",
];

/// Words that make the next words weaker ("slightly annoyed", "a bit late").
const SOFTENERS: &[&str] = &[
    "almost",
    "bit",
    "fairly",
    "kinda",
    "less",
    "little",
    "marginally",
    "mildly",
    "moderately",
    "partly",
    "rather",
    "slightly",
    "somewhat",
];

/// What a word does to the words after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Role {
    #[default]
    None,
    Intensifier,
    Softener,
    /// A negation or a word of absence (see `text::negation`).
    Negator,
    But,
}

/// A token's rating and role.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    valence: f32,
    role: Role,
}

type Table = HashMap<&'static str, Entry, BuildHasherDefault<Fnv>>;

/// The lexicon with the words that change others, read once: one lookup tells all about a word.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Table = LEXICON
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (token, value) = line.split_once('\t')?;
                let valence = value.parse().ok()?;
                Some((
                    token,
                    Entry {
                        valence,
                        role: Role::None,
                    },
                ))
            })
            .collect();
        let roles = [
            (INTENSIFIERS, Role::Intensifier),
            (SOFTENERS, Role::Softener),
            (NEGATIONS, Role::Negator),
            (ABSENCE, Role::Negator),
            (&["but"][..], Role::But),
        ];
        for (words, role) in roles {
            for word in words {
                table.entry(word).or_default().role = role;
            }
        }
        table
    })
}

/// A message's valence, as [`score`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Valence {
    /// The total squashed into -1..1.
    pub compound: f32,
    /// The share of positive weight among the words, 0..1.
    pub positive: f32,
    /// The share of negative weight among the words, 0..1.
    pub negative: f32,
}

/// One word of a message as the scoring needs it.
#[derive(Debug, Clone, Copy)]
struct Word {
    valence: f32,
    capitals: bool,
    role: Role,
}

/// The word inside `token` (a run of text between spaces): `token` without the punctuation
/// around it.
fn core(token: &str) -> &str {
    token.trim_matches(|c: char| !super::is_word_char(c))
}

/// Whether `word` is written in capitals: two letters or more, none of them lower case.
fn in_capitals(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

/// The entry of a folded word: the table's, and a negator's for any word ending in "n't".
fn entry_of(table: &Table, folded: &str) -> Entry {
    let entry = table.get(folded).copied().unwrap_or_default();
    if entry.role == Role::None && ends_in_nt(folded) {
        return Entry {
            role: Role::Negator,
            ..entry
        };
    }
    entry
}

/// The words of `text` with their ratings and roles, in `words`.
fn words(text: &str, words: &mut Vec<Word>, folded: &mut String) {
    let table = table();
    for token in text.split_whitespace() {
        let word = core(token);
        // Most tokens are a word in lower case and nothing else: one lookup.
        if word.len() == token.len()
            && token.is_ascii()
            && !token.bytes().any(|b| b.is_ascii_uppercase())
        {
            let entry = entry_of(table, token);
            words.push(Word {
                valence: entry.valence,
                capitals: false,
                role: entry.role,
            });
            continue;
        }
        // An emoticon is rated as written; a word without its punctuation, in lower case.
        let (entry, capitals) = match table.get(token) {
            Some(_) => (entry_of(table, token), false),
            None => {
                if word.is_empty() {
                    continue;
                }
                fold(word, folded);
                (entry_of(table, folded), in_capitals(word))
            }
        };
        words.push(Word {
            valence: entry.valence,
            capitals,
            role: entry.role,
        });
    }
}

/// The valence of `text`.
pub fn score(text: &str) -> Valence {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let (words, folded) = &mut *scratch;
            score_with(text, words, folded)
        }
        Err(_) => score_with(text, &mut Vec::new(), &mut String::new()),
    })
}

thread_local! {
    /// The words of the message being scored and a word folded, kept from one message to the
    /// next on a thread.
    static SCRATCH: std::cell::RefCell<(Vec<Word>, String)> = std::cell::RefCell::default();
}

fn score_with(text: &str, words: &mut Vec<Word>, folded: &mut String) -> Valence {
    words.clear();
    self::words(text, words, folded);
    let words = &mut words[..];
    let capitals = words.iter().filter(|w| w.capitals).count();
    // Capitals stand out only against words that are not in capitals.
    let shouting_stands_out = capitals > 0 && capitals < words.len();
    let but = words.iter().position(|w| w.role == Role::But);
    // Each word's valence becomes its valence in context: the rules read only the roles of the
    // words before it, which do not change.
    for at in 0..words.len() {
        let word = words[at];
        let mut valence = word.valence;
        if valence != 0.0 {
            let sign = valence.signum();
            if word.capitals && shouting_stands_out {
                valence += sign * CAPITALS;
            }
            let mut negated = false;
            for distance in 1..=REACH.min(at) {
                let before = &words[at - distance];
                let fade = 1.0 - 0.05 * (distance - 1) as f32;
                valence += sign
                    * BOOST
                    * fade
                    * match before.role {
                        Role::Intensifier => 1.0,
                        Role::Softener => -1.0,
                        _ => 0.0,
                    };
                negated |= before.role == Role::Negator;
            }
            if negated {
                valence *= NEGATED;
            }
            match but {
                Some(b) if at < b => valence *= BEFORE_BUT,
                Some(b) if at > b => valence *= AFTER_BUT,
                _ => {}
            }
        }
        words[at].valence = valence;
    }
    let valences = words.iter().map(|w| w.valence);
    let exclamations = text.matches('!').count().min(MOST_EXCLAMATIONS) as f32 * EXCLAMATION;
    let mut total: f32 = valences.clone().sum();
    if total != 0.0 {
        total += total.signum() * exclamations;
    }
    let compound = (total / (total * total + SQUASH).sqrt()).clamp(-1.0, 1.0);
    let (mut positive, mut negative, mut neutral) = (0.0f32, 0.0f32, 0.0f32);
    for valence in valences {
        if valence > 0.0 {
            positive += valence + 1.0;
        } else if valence < 0.0 {
            negative += 1.0 - valence;
        } else {
            neutral += 1.0;
        }
    }
    if positive > negative {
        positive += exclamations;
    } else if negative > positive {
        negative += exclamations;
    }
    let all = positive + negative + neutral;
    if all == 0.0 {
        return Valence::default();
    }
    Valence {
        compound,
        positive: positive / all,
        negative: negative / all,
    }
}

/// The names of the valence features, in the order of [`values`] and [`hashes`].
pub const NAMES: [&str; 3] = ["compound", "positive", "negative"];

/// The hashes of the valence features, in the order of [`NAMES`], made once.
pub fn hashes() -> [u32; 3] {
    static HASHES: OnceLock<[u32; 3]> = OnceLock::new();
    *HASHES.get_or_init(|| NAMES.map(|name| named_hash(0x7a1e, b"val:", name)))
}

/// The values of the valence features of `text`, in the order of [`NAMES`], as a model reads
/// them (a zero is a feature the text does not have).
pub fn values(text: &str) -> [f32; 3] {
    let v = score(text);
    [v.compound, v.positive, v.negative].map(|value| value * VALENCE_WEIGHT)
}

/// The valence features of `text`.
pub fn valence(text: &str) -> Vec<Feature> {
    named_features(hashes(), values(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_reads_whole_and_rates_words_and_emoticons() {
        let table = table();
        assert!(table.len() > 7000, "{} entries", table.len());
        assert!(table["good"].valence > 1.0);
        assert!(table["terrible"].valence < -2.0);
        assert!(table[":)"].valence > 0.0);
        assert!(table.values().all(|e| (-4.0..=4.0).contains(&e.valence)));
    }

    #[test]
    fn negators_are_those_of_the_negation_features() {
        let table = table();
        for word in [
            "not", "no", "never", "don't", "isn't", "cant", "nothing", "without", "barely", "nor",
            "good", "but", "very", "note", "know", "t", "n't", "won‘t", "can`t",
        ] {
            let negator = entry_of(table, word).role == Role::Negator;
            assert_eq!(negator, super::super::negation::negates(word), "{word}");
        }
    }

    #[test]
    fn feeling_words_set_the_sign_and_rules_of_thumb_the_strength() {
        let good = score("The service was good.");
        assert!(good.compound > 0.2 && good.positive > 0.0 && good.negative == 0.0);
        let bad = score("The service was terrible.");
        assert!(bad.compound < -0.2 && bad.negative > 0.0);
        assert!(score("The service was not good.").compound < 0.0);
        // "no" is rated itself, and negates what follows all the same.
        assert!(score("no good").compound < 0.0);
        assert!(score("The service was very good.").compound > good.compound);
        assert!(score("The service was slightly good.").compound < good.compound);
        assert!(score("The service was good!!!").compound > good.compound);
        assert!(score("The service was GOOD.").compound > good.compound);
        // After "but" counts more: the message leans the way its end does.
        assert!(score("The food was good but the service was terrible").compound < 0.0);
        assert!(score("Thanks :)").compound > 0.0);
        assert_eq!(score("The parcel came on Tuesday."), Valence::default());
        assert_eq!(score(""), Valence::default());
        assert_eq!(score("!!! ..."), Valence::default());
    }

    #[test]
    fn features_are_sorted_bounded_and_absent_for_neutral_text() {
        assert!(valence("The parcel came on Tuesday.").is_empty());
        for text in [
            "I love it",
            "I HATE THIS!!!!!!",
            "not bad at all, but awful service",
        ] {
            let features = valence(text);
            assert!(!features.is_empty());
            assert!(features.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(features.iter().all(|f| f.1.abs() <= VALENCE_WEIGHT));
        }
    }

    /// The words' ratings and roles as the module's text defines them, word by word without
    /// the shortcuts of [`words`].
    fn plain_words(text: &str) -> Vec<(f32, bool, Role)> {
        let lexicon: HashMap<&str, f32> = LEXICON
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (token, value) = line.split_once('\t')?;
                Some((token, value.parse().ok()?))
            })
            .collect();
        let role = |word: &str| {
            if super::super::negation::negates(word) {
                Role::Negator
            } else if INTENSIFIERS.contains(&word) {
                Role::Intensifier
            } else if SOFTENERS.contains(&word) {
                Role::Softener
            } else if word == "but" {
                Role::But
            } else {
                Role::None
            }
        };
        text.split_whitespace()
            .filter_map(|token| {
                if let Some(&valence) = lexicon.get(token) {
                    return Some((valence, false, role(token)));
                }
                let word = core(token);
                if word.is_empty() {
                    return None;
                }
                let folded = word.replace('\u{2019}', "'").to_lowercase();
                let valence = lexicon.get(folded.as_str()).copied().unwrap_or(0.0);
                Some((valence, in_capitals(word), role(&folded)))
            })
            .collect()
    }

    fn scanned(text: &str) -> Vec<(f32, bool, Role)> {
        let mut found = Vec::new();
        words(text, &mut found, &mut String::new());
        found
            .into_iter()
            .map(|w| (w.valence, w.capitals, w.role))
            .collect()
    }

    #[test]
    fn the_quick_scan_agrees_with_the_plain_one() {
        for text in [
            "No, I DON'T like it :) but it's not bad at all",
            "Don’t be SO rude!!! Nothing works, hardly ever, can't won't",
            "\"good\" (bad) ... very-good NOT—good İstanbul ÇOK güzel :D :d",
        ] {
            assert_eq!(scanned(text), plain_words(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_scan_agrees_with_the_plain_one_on_ascii_text(
            text in "(no|NOT|don't|but|very|bit|good|BAD|:\\)|:D|[a-zA-Z'!.,()\"-]{1,6}|[ \t\n\u{b}\u{c}\r]|[\u{0}-\u{7f}]){0,14}"
        ) {
            proptest::prop_assert_eq!(scanned(&text), plain_words(&text));
        }

        #[test]
        fn the_quick_scan_agrees_with_the_plain_one_on_any_text(
            text in "(no|NOT|don't|don’t|won‘t|but|very|bit|good|BAD|:\\)|:D|[a-zA-Z'’!.,]{1,6}| |\\PC){0,12}"
        ) {
            proptest::prop_assert_eq!(scanned(&text), plain_words(&text));
        }


        #[test]
        fn any_text_scores_within_bounds(text in "\\PC{0,80}") {
            let v = score(&text);
            proptest::prop_assert!((-1.0..=1.0).contains(&v.compound));
            proptest::prop_assert!((0.0..=1.0).contains(&v.positive));
            proptest::prop_assert!((0.0..=1.0).contains(&v.negative));
        }
    }
}
