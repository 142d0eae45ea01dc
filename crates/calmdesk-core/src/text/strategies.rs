//! Politeness strategy features: how a request is put, which a bag of n-grams sees only in part.
//!
//! The strategies are those found to mark politeness in requests on the Stanford politeness
//! data: gratitude, apologies, "please" (and "please" opening a sentence), greetings and
//! deference opening a sentence, hedges, factuality, indirect ("could you") against direct
//! ("can you") requests, direct questions and direct starts ("so", "but"), sentences opening
//! with "I" or "you", first person plural, and words of positive and negative feeling. N-grams
//! see the words but not where in a sentence they stand, and their vector has unit length, so a
//! long request dilutes them. A model asks for these with [`FeatureConfig::strategies`]; each
//! strategy is a named feature hashed apart from the n-grams: 1 when the text uses it, and a
//! second feature when it uses it twice or more. The coach shows the same strategies, with
//! their spans ([`strategy_spans`]), as the evidence behind a draft's politeness score.
//!
//! [`FeatureConfig::strategies`]: super::features::FeatureConfig::strategies

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::features::{named_hash, Feature};
use super::Piece;
use crate::rules::words::Fnv;

/// Words looked up by FNV-1a, which is quicker for short words than the standard hasher.
type WordMap = HashMap<&'static str, Entry, BuildHasherDefault<Fnv>>;

/// Strategies count this much against the n-gram features, whose vector has unit length.
const STRATEGY_WEIGHT: f32 = 0.5;

/// Strategies marked by one word anywhere in the text.
const WORDS: &[(&str, &[&str])] = &[
    (
        "gratitude",
        &[
            "thanks",
            "thank",
            "thx",
            "appreciate",
            "appreciated",
            "grateful",
        ],
    ),
    (
        "apology",
        &[
            "sorry",
            "apologise",
            "apologize",
            "apologies",
            "apologised",
            "apologized",
            "oops",
            "pardon",
        ],
    ),
    ("please", &["please", "pls", "plz"]),
    (
        "hedge",
        &[
            "maybe",
            "perhaps",
            "possibly",
            "probably",
            "might",
            "suggest",
            "seems",
            "seem",
            "apparently",
            "likely",
            "guess",
            "suppose",
            "wonder",
            "wondering",
            "assume",
        ],
    ),
    (
        "factuality",
        &[
            "actually",
            "really",
            "honestly",
            "clearly",
            "obviously",
            "certainly",
        ],
    ),
    (
        "first_person",
        &[
            "i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll",
        ],
    ),
    (
        "first_person_plural",
        &[
            "we",
            "our",
            "ours",
            "us",
            "ourselves",
            "let's",
            "we're",
            "we've",
        ],
    ),
    (
        "second_person",
        &[
            "you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll", "u",
        ],
    ),
    (
        "positive",
        &[
            "good",
            "great",
            "nice",
            "excellent",
            "wonderful",
            "fantastic",
            "awesome",
            "amazing",
            "perfect",
            "helpful",
            "useful",
            "interesting",
            "glad",
            "happy",
            "pleased",
            "welcome",
            "kind",
            "kindly",
            "best",
            "better",
            "love",
            "like",
            "enjoy",
            "well",
            "fine",
            "cool",
            "brilliant",
            "beautiful",
            "fair",
            "right",
            "correct",
            "clear",
            "agree",
            "hope",
            "hopefully",
            "impressive",
            "valuable",
            "congratulations",
            "cheers",
            "friendly",
        ],
    ),
    (
        "negative",
        &[
            "bad",
            "wrong",
            "terrible",
            "awful",
            "horrible",
            "poor",
            "worse",
            "worst",
            "stupid",
            "dumb",
            "idiot",
            "ridiculous",
            "nonsense",
            "useless",
            "pointless",
            "silly",
            "crap",
            "hate",
            "annoying",
            "annoyed",
            "angry",
            "rude",
            "unacceptable",
            "problem",
            "fail",
            "failed",
            "broken",
            "mess",
            "waste",
            "lie",
            "lies",
            "vandal",
            "vandalism",
            "abuse",
            "spam",
            "garbage",
            "disagree",
            "unfortunately",
            "confused",
            "confusing",
            "never",
        ],
    ),
];

/// Strategies marked by two words in a row anywhere in the text.
const PAIRS: &[(&str, &str, &str)] = &[
    ("could", "you", "indirect_request"),
    ("would", "you", "indirect_request"),
    ("can", "you", "direct_request"),
    ("will", "you", "direct_request"),
    ("in", "fact", "factuality"),
    ("i", "think", "hedge"),
    ("i", "believe", "hedge"),
    ("the", "way", "by_the_way"),
];

/// Strategies marked by the word that opens a sentence.
const OPENERS: &[(&str, &[&str])] = &[
    (
        "greeting",
        &["hi", "hello", "hey", "dear", "greetings", "hiya"],
    ),
    (
        "deference",
        &[
            "great",
            "good",
            "nice",
            "interesting",
            "cool",
            "excellent",
            "awesome",
            "wonderful",
        ],
    ),
    ("please_start", &["please", "pls", "plz"]),
    ("direct_start", &["so", "then", "and", "but", "or"]),
    (
        "first_person_start",
        &[
            "i", "my", "mine", "me", "myself", "i'm", "i've", "i'd", "i'll",
        ],
    ),
    (
        "second_person_start",
        &[
            "you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll",
        ],
    ),
];

/// Words that open a direct question (in a sentence ending with "?").
const QUESTION_WORDS: &[&str] = &["what", "why", "who", "how", "where", "when"];

/// Every strategy, in the order of their counts.
const NAMES: [&str; 20] = [
    "gratitude",
    "apology",
    "please",
    "hedge",
    "factuality",
    "first_person",
    "first_person_plural",
    "second_person",
    "positive",
    "negative",
    "indirect_request",
    "direct_request",
    "by_the_way",
    "greeting",
    "deference",
    "please_start",
    "direct_start",
    "first_person_start",
    "second_person_start",
    "direct_question",
];

/// The hash of a strategy feature's name, apart from any n-gram's or cue's.
fn strategy_hash(name: &str) -> u32 {
    named_hash(0x5717, b"strategy:", name)
}

/// What one lower-cased word can mark.
#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    /// Strategies it marks anywhere, one bit each (by place in [`NAMES`]).
    anywhere: u32,
    /// Strategies it marks when it opens a sentence.
    opening: u32,
    /// Whether it opens a direct question.
    question: bool,
    /// Whether it ends one of the [`PAIRS`].
    ends_pair: bool,
}

/// The place of a strategy in [`NAMES`].
fn place(name: &str) -> usize {
    NAMES
        .iter()
        .position(|n| *n == name)
        .unwrap_or_else(|| unreachable!("{name} is not a strategy"))
}

/// Every word of the tables with what it marks, and the hashes of every strategy's features
/// (used once, twice or more).
struct Tables {
    words: WordMap,
    hashes: [(u32, u32); NAMES.len()],
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut words = WordMap::default();
        for (name, list) in WORDS {
            for word in *list {
                words.entry(word).or_default().anywhere |= 1 << place(name);
            }
        }
        for (name, list) in OPENERS {
            for word in *list {
                words.entry(word).or_default().opening |= 1 << place(name);
            }
        }
        for word in QUESTION_WORDS {
            words.entry(word).or_default().question = true;
        }
        for (_, second, _) in PAIRS {
            words.entry(second).or_default().ends_pair = true;
        }
        let hashes = std::array::from_fn(|i| {
            (
                strategy_hash(NAMES[i]),
                strategy_hash(&format!("{}:2+", NAMES[i])),
            )
        });
        Tables { words, hashes }
    })
}

/// One pass over a text, telling `hit` each strategy found (by place in [`NAMES`]) with the
/// byte span of the words that mark it.
struct Scanner<'t, F> {
    tables: &'t Tables,
    hit: F,
    /// The word before the current one, lower-cased, and where it starts.
    previous: String,
    previous_start: usize,
    /// Whether the current sentence has a word yet, and the span of its first word when that
    /// word opens a question.
    started: bool,
    question: Option<(usize, usize)>,
}

impl<F: FnMut(usize, (usize, usize))> Scanner<'_, F> {
    fn mark(&mut self, mask: u32, span: (usize, usize)) {
        let mut mask = mask;
        while mask != 0 {
            (self.hit)(mask.trailing_zeros() as usize, span);
            mask &= mask - 1;
        }
    }

    /// One lower-cased word of the text, at `span`.
    fn word(&mut self, word: &str, span: (usize, usize)) {
        let entry = self.tables.words.get(word).copied();
        if let Some(entry) = entry {
            self.mark(entry.anywhere, span);
            if entry.ends_pair && self.started {
                for (first, second, name) in PAIRS {
                    if *second == word && *first == self.previous {
                        self.mark(1 << place(name), (self.previous_start, span.1));
                    }
                }
            }
        }
        if !self.started {
            self.started = true;
            self.question = entry.filter(|e| e.question).map(|_| span);
            self.mark(entry.map_or(0, |e| e.opening), span);
        }
        self.previous.clear();
        self.previous.push_str(word);
        self.previous_start = span.0;
    }

    /// The end of a sentence, at its closing character.
    fn end_sentence(&mut self, closing: char) {
        if let Some(span) = self.question.filter(|_| closing == '?') {
            self.mark(1 << place("direct_question"), span);
        }
        self.started = false;
        self.question = None;
    }
}

/// Finds every strategy of `text` in one pass, telling `hit` its place in [`NAMES`] and its span.
fn scan(text: &str, hit: impl FnMut(usize, (usize, usize))) {
    let mut scanner = Scanner {
        tables: tables(),
        hit,
        // Room for most words, made once for the two buffers that take turns.
        previous: String::with_capacity(24),
        previous_start: 0,
        started: false,
        question: None,
    };
    let mut buffer = String::with_capacity(24);
    super::scan_words(text, |piece| match piece {
        Piece::Word(from, to) => {
            let word = super::folded(&text[from..to], &mut buffer);
            scanner.word(word, (from, to));
        }
        Piece::Other(c) => {
            if matches!(c, '.' | '!' | '?' | '\n') {
                scanner.end_sentence(c);
            }
        }
    });
}

/// How often each strategy occurs in `text`, by place in [`NAMES`].
fn count_all(text: &str) -> [u16; NAMES.len()] {
    let mut counts = [0u16; NAMES.len()];
    scan(text, |at, _| counts[at] = counts[at].saturating_add(1));
    counts
}

/// Every strategy `text` uses, by name, with the byte span of the words that mark it (a pair's
/// two words, a direct question's opening word), in order of their spans.
pub fn strategy_spans(text: &str) -> Vec<(&'static str, (usize, usize))> {
    let mut out = Vec::new();
    scan(text, |at, span| out.push((NAMES[at], span)));
    out.sort_by_key(|&(name, span)| (span, place(name)));
    out
}

/// The strategy features of `text`, sorted by hash.
pub fn strategies(text: &str) -> Vec<Feature> {
    let hashes = &tables().hashes;
    let mut out: Vec<Feature> = Vec::new();
    for (&(once, twice), count) in hashes.iter().zip(count_all(text)) {
        if count >= 1 {
            out.push((once, STRATEGY_WEIGHT));
        }
        if count >= 2 {
            out.push((twice, STRATEGY_WEIGHT));
        }
    }
    out.sort_unstable_by_key(|f| f.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How often each strategy occurs in `text`, by name: those it uses, in a stable order.
    fn strategy_counts(text: &str) -> Vec<(&'static str, usize)> {
        NAMES
            .iter()
            .zip(count_all(text))
            .filter(|(_, count)| *count > 0)
            .map(|(name, count)| (*name, usize::from(count)))
            .collect()
    }

    /// The sentences of `text`: runs ended by `.`, `!`, `?` or a line break, trimmed, with a
    /// letter or digit.
    fn sentences(text: &str) -> impl Iterator<Item = &str> {
        text.split_inclusive(['.', '!', '?', '\n'])
            .map(str::trim)
            .filter(|s| s.chars().any(char::is_alphanumeric))
    }

    /// The lower-cased words of `sentence` with straight apostrophes.
    fn words(sentence: &str) -> Vec<String> {
        sentence
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
            .collect()
    }

    /// The counts by the definition, sentence by sentence and list by list.
    fn plain_counts(text: &str) -> Vec<(&'static str, usize)> {
        let mut counts = [0usize; NAMES.len()];
        for sentence in sentences(text) {
            let words = words(sentence);
            for word in &words {
                for (name, list) in WORDS {
                    counts[place(name)] += usize::from(list.contains(&word.as_str()));
                }
            }
            for pair in words.windows(2) {
                for (first, second, name) in PAIRS {
                    counts[place(name)] += usize::from(pair[0] == *first && pair[1] == *second);
                }
            }
            let Some(first) = words.first() else {
                continue;
            };
            for (name, list) in OPENERS {
                counts[place(name)] += usize::from(list.contains(&first.as_str()));
            }
            if sentence.ends_with('?') && QUESTION_WORDS.contains(&first.as_str()) {
                counts[place("direct_question")] += 1;
            }
        }
        NAMES
            .iter()
            .zip(counts)
            .filter(|(_, c)| *c > 0)
            .map(|(n, c)| (*n, c))
            .collect()
    }

    #[test]
    fn one_pass_counts_are_those_of_the_definition() {
        let texts = [
            "Hi there. Could you perhaps take a look? Thanks so much, I really appreciate it.",
            "Why did you revert my edit?! So you think you own this page? Can you stop.",
            "WHAT?? Would  you\nplease stop... In fact, I think we’re right, by the way.",
            "' hello? You’re kind. you'll see! Ünïcödé İstanbul ÇOK. and but so",
            "",
            "🙂🙂",
            "thanks thanks thanks thanks",
            "I\nthink\n? what\n?",
        ];
        for text in texts {
            assert_eq!(strategy_counts(text), plain_counts(text), "{text:?}");
        }
    }

    fn count(text: &str, name: &str) -> usize {
        strategy_counts(text)
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c)
    }

    proptest::proptest! {
        #[test]
        fn one_pass_counts_match_the_definition_on_any_text(
            text in "(?s)(\\PC|[ .!?\n'’]|could you|by the way|please|Hi|what){0,40}"
        ) {
            proptest::prop_assert_eq!(strategy_counts(&text), plain_counts(&text));
        }
    }

    #[test]
    fn strategies_are_found_where_they_stand() {
        let polite =
            "Hi there. Could you perhaps take a look? Thanks so much, I really appreciate it.";
        assert_eq!(count(polite, "greeting"), 1);
        assert_eq!(count(polite, "indirect_request"), 1);
        assert_eq!(count(polite, "hedge"), 1);
        assert_eq!(count(polite, "gratitude"), 2);
        assert_eq!(count(polite, "direct_request"), 0);
        let blunt = "Why did you revert my edit? So you think you own this page? Can you stop.";
        assert_eq!(count(blunt, "direct_question"), 1);
        assert_eq!(count(blunt, "direct_start"), 1);
        assert_eq!(count(blunt, "direct_request"), 1);
        assert_eq!(count(blunt, "greeting"), 0);
        // "please" opening a sentence is its own strategy, as well as a "please".
        assert_eq!(count("Please fix it.", "please_start"), 1);
        assert_eq!(count("Fix it, please.", "please_start"), 0);
        assert_eq!(count("Fix it, please.", "please"), 1);
        // A question word that does not open a question is not a direct question.
        assert_eq!(count("What a day.", "direct_question"), 0);
    }

    #[test]
    fn each_strategy_found_has_the_span_of_its_words() {
        let text = "Hi there. Could you perhaps look? Why did it break?\nThanks, I think so.";
        let found: Vec<(&str, &str)> = strategy_spans(text)
            .into_iter()
            .map(|(name, (start, end))| (name, &text[start..end]))
            .collect();
        assert_eq!(
            found,
            [
                ("greeting", "Hi"),
                ("indirect_request", "Could you"),
                ("second_person", "you"),
                ("hedge", "perhaps"),
                ("direct_question", "Why"),
                ("gratitude", "Thanks"),
                ("first_person", "I"),
                ("hedge", "I think"),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn spans_agree_with_the_counts_and_stand_on_char_boundaries(
            text in "(?s)(\\PC|[ .!?\n'’]|could you|Ünï|please|Hi|what){0,40}"
        ) {
            let spans = strategy_spans(&text);
            for (_, (start, end)) in &spans {
                proptest::prop_assert!(start < end && *end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(*start) && text.is_char_boundary(*end));
            }
            let mut counted: Vec<(&str, usize)> = Vec::new();
            for name in NAMES {
                let n = spans.iter().filter(|(s, _)| *s == name).count();
                if n > 0 {
                    counted.push((name, n));
                }
            }
            proptest::prop_assert_eq!(counted, strategy_counts(&text));
        }
    }

    #[test]
    fn features_are_sorted_bounded_and_mark_repeats() {
        for text in [
            "",
            "🙂",
            "thanks thanks thanks",
            "Could you? Would you? Please!",
        ] {
            let features = strategies(text);
            assert!(features.windows(2).all(|w| w[0].0 < w[1].0), "{text}");
            assert!(features
                .iter()
                .all(|f| f.0 >> 31 == 0 && f.1 == STRATEGY_WEIGHT));
        }
        assert!(strategies("").is_empty());
        let repeated = strategies("thanks, thanks");
        assert!(repeated.contains(&(strategy_hash("gratitude:2+"), STRATEGY_WEIGHT)));
        assert!(!strategies("thanks").contains(&(strategy_hash("gratitude:2+"), STRATEGY_WEIGHT)));
    }
}
