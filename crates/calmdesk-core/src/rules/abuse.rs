//! Abuse: profanity in passing, profanity and insults aimed at the agent, threats of harm, and
//! shouting.
//!
//! The distinction that matters to an agent is the target. "Where is my damn parcel" is an angry
//! customer and needs no special handling; "you useless idiot" is aimed at the agent, and the
//! desk sets it aside before anyone reads the complaint. Shouting is kept as evidence of heat,
//! not of abuse.

use std::sync::OnceLock;

use serde::Serialize;

use super::words::{
    is_negation, negated_before, next_wanted, non_overlapping, Lexicon, PhraseSet, Tagged, Tokens,
    WordList,
};
use crate::span::Evidence;

/// The rule id of profanity in passing.
pub const PROFANITY: &str = "abuse.profanity";
/// The rule id of profanity aimed at the agent: "fuck you", "go to hell".
pub const PROFANITY_AT_AGENT: &str = "abuse.profanity_at_agent";
/// The rule id of insults aimed at the agent or the company's staff.
pub const INSULT_AT_AGENT: &str = "abuse.insult_at_agent";
/// The rule id of threats of harm or vengeance.
pub const THREAT: &str = "abuse.threat";
/// The rule id of shouting: runs of capitals and of "!!!".
pub const SHOUTING: &str = "abuse.shouting";

/// What the abuse rules found in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AbuseRules {
    /// Swear words, with the rule `abuse.profanity`, and swearing aimed at the agent, with the
    /// rule `abuse.profanity_at_agent`.
    pub profanity: Vec<Evidence>,
    /// Insults aimed at a person we are: the agent, our staff, our company.
    pub insults: Vec<Evidence>,
    /// Threats of harm or vengeance to people.
    pub threats: Vec<Evidence>,
    /// Runs of capital letters and of exclamation marks.
    pub shouting: Vec<Evidence>,
    /// Whether any insult or any swearing is aimed at the agent.
    pub targets_agent: bool,
}

impl AbuseRules {
    /// The insults, the profanity aimed at the agent and the threats, by position: what the
    /// desk sets aside before the complaint is read.
    pub fn aimed_at_agent(&self) -> Vec<Evidence> {
        let mut aimed: Vec<Evidence> = self
            .insults
            .iter()
            .chain(
                self.profanity
                    .iter()
                    .filter(|p| p.rule == PROFANITY_AT_AGENT),
            )
            .chain(&self.threats)
            .cloned()
            .collect();
        aimed.sort_by_key(|e| (e.start, e.end));
        aimed
    }
}

/// What the abuse rules find in `text`.
pub fn detect_abuse(text: &str) -> AbuseRules {
    detect_abuse_in(&Tokens::new(text))
}

/// What the abuse rules find in the words `words` of a message.
pub fn detect_abuse_in(words: &Tokens) -> AbuseRules {
    let tokens = Tagged::new(words, lexicon());
    let profanity = find_profanity(&tokens);
    let insults = find_insults(&tokens);
    let threats = find_threats(&tokens);
    let shouting = find_shouting(&tokens);
    // A threat of harm is aimed at the people the customer is writing to.
    let targets_agent = !insults.is_empty()
        || !threats.is_empty()
        || profanity.iter().any(|p| p.rule == PROFANITY_AT_AGENT);
    AbuseRules {
        profanity,
        insults,
        threats,
        shouting,
        targets_agent,
    }
}

/// Every word list of this module, compiled once.
fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        Lexicon::new(&[
            SWEAR_WORDS,
            HELL_LEADS,
            HELL_FOLLOWERS,
            AIMING_WORDS,
            INSULT_NOUNS,
            INSULT_ADJECTIVES,
            VOCATIVE_NOUNS,
            INSULT_FILLERS,
            SECOND_PERSON,
            SECOND_PERSON_GROUPS,
            OUR_PEOPLE,
            OUR_PERSONS,
            STAFF_MODIFIERS,
            INSULT_TAILS,
            ACRONYMS,
        ])
    })
}

// ---------------------------------------------------------------------------------------------
// Profanity.

/// Swear words matched as whole words.
const SWEAR_WORDS: WordList = WordList::new(
    0,
    &[
        "damn",
        "damned",
        "dammit",
        "damnit",
        "goddamn",
        "goddamned",
        "goddammit",
        "crap",
        "crappy",
        "shit",
        "shitty",
        "shite",
        "shits",
        "shitting",
        "bullshit",
        "horseshit",
        "bloody",
        "bastard",
        "bastards",
        "bitch",
        "bitches",
        "bitching",
        "bitchy",
        "ass",
        "arse",
        "asshole",
        "assholes",
        "arsehole",
        "arseholes",
        "jackass",
        "dumbass",
        "wtf",
        "ffs",
        "stfu",
        "omfg",
        "piss",
        "pissed",
        "pissing",
        "bollocks",
        "wanker",
        "wankers",
        "twat",
        "twats",
        "prick",
        "pricks",
        "dickhead",
        "dickheads",
        "cunt",
        "cunts",
        "fck",
        "fcking",
        "fking",
        "fkn",
        "fuk",
        "fukin",
        "fuking",
        "feckin",
    ],
);

/// Swear words matched as prefixes, so "fucking" and "motherfucker" are found.
const SWEAR_STEMS: &[&str] = &["fuck", "motherfuck"];

/// Swear words that may be written with symbols for some letters: "f**k", "sh*t", "$hit".
const MASKED_SWEARS: &[&str] = &[
    "fuck", "fucking", "fucker", "fucked", "fuckin", "shit", "shitty", "bitch", "asshole",
    "bastard", "damn", "crap", "cunt", "dick", "piss", "ass", "bullshit",
];

/// Words just before "hell" that make it a swear: "what the hell", "go to hell".
const HELL_LEADS: WordList =
    WordList::new(1, &["the", "to", "bloody", "holy", "like", "from", "heck"]);

/// Words just after "hell" that make it a swear: "hell no".
const HELL_FOLLOWERS: WordList = WordList::new(2, &["no", "yes", "of"]);

/// Swearing aimed at the agent, whatever words the fuck-family check below leaves out.
const AIMED_SWEARING: &[&str] = &[
    "screw you|u|yourself|yourselves|off",
    "damn you|u",
    "go to hell",
    "to hell with you|u|your|this",
    "burn|rot in hell",
    "kiss my ass|arse",
    "piss|bugger|sod off",
    "eat shit",
    "shut the fuck|hell up",
    "stfu",
    "bite me",
];

/// Words after a fuck-family swear that aim it at someone: "fuck you", "fuck off".
const AIMING_WORDS: WordList = WordList::new(
    3,
    &[
        "you",
        "u",
        "off",
        "yourself",
        "yourselves",
        "ya",
        "your",
        "youse",
    ],
);

fn aimed_swearing() -> &'static PhraseSet {
    static SET: OnceLock<PhraseSet> = OnceLock::new();
    SET.get_or_init(|| PhraseSet::new(AIMED_SWEARING))
}

/// Whether word `index` is a swear word by itself.
fn is_swear_word(tokens: &Tagged, index: usize) -> bool {
    let folded = tokens.folded(index);
    if tokens.is_in(index, SWEAR_WORDS) || SWEAR_STEMS.iter().any(|stem| folded.starts_with(stem)) {
        return true;
    }
    if folded == "hell" {
        let led = index > 0 && tokens.joined(index) && tokens.is_in(index - 1, HELL_LEADS);
        let followed = tokens.joined(index + 1) && tokens.is_in(index + 1, HELL_FOLLOWERS);
        let exclaimed = tokens.gap_before(index + 1).starts_with('!');
        return led || followed || exclaimed;
    }
    false
}

/// Whether `c` may stand for a letter in a masked swear word.
fn is_mask(c: char) -> bool {
    matches!(c, '*' | '#' | '@' | '$' | '%' | '!')
}

/// The masked swear words of `text`, such as "f**k" and "sh*t", as byte ranges.
fn masked_swears(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let push_run = |start: usize, end: usize, found: &mut Vec<(usize, usize)>| {
        let run = text[start..end].trim_end_matches(['!', '?']);
        let end = start + run.len();
        let masks = run.chars().filter(|&c| is_mask(c)).count();
        let letters = run.chars().filter(char::is_ascii_alphabetic).count();
        if masks == 0 || letters == 0 || run.len() < 3 {
            return;
        }
        let matches = MASKED_SWEARS.iter().any(|swear| {
            swear.len() == run.len()
                && swear
                    .bytes()
                    .zip(run.bytes())
                    .all(|(s, r)| is_mask(char::from(r)) || s == r.to_ascii_lowercase())
        });
        if matches {
            found.push((start, end));
        }
    };
    // Runs are of ASCII letters and masks, so bytes will do: every byte of a character beyond
    // ASCII is 0x80 or more and ends a run, as the character would. A run without a mask is
    // an ordinary word and is not looked at, so each run is found from a mask in it.
    let bytes = text.as_bytes();
    let in_run = |b: u8| b.is_ascii_alphabetic() || is_mask(char::from(b));
    let mut at = 0;
    loop {
        let mask = next_wanted(bytes, at, |b| is_mask(char::from(b)));
        if mask == bytes.len() {
            break;
        }
        // The run around the mask, out to the bytes on either side that are in no run.
        let start = bytes[..mask]
            .iter()
            .rposition(|&b| !in_run(b))
            .map_or(0, |outside| outside + 1);
        let end = bytes[mask..]
            .iter()
            .position(|&b| !in_run(b))
            .map_or(bytes.len(), |outside| mask + outside);
        push_run(start, end, &mut found);
        at = end;
    }
    found
}

/// Swear words, with swearing aimed at the agent recorded once over its whole phrase.
fn find_profanity(tokens: &Tagged) -> Vec<Evidence> {
    let text = tokens.text;
    // The message's words are already at hand: match on them rather than tokenizing again.
    let mut aimed: Vec<(usize, usize)> = non_overlapping(aimed_swearing().find_all_in(tokens))
        .into_iter()
        .map(|found| (found.start, found.end))
        .collect();
    let mut plain: Vec<(usize, usize)> = Vec::new();
    let mut swears: Vec<(usize, usize, Option<usize>)> = (0..tokens.len())
        .filter(|&index| is_swear_word(tokens, index))
        .map(|index| (tokens.start(index), tokens.end(index), Some(index)))
        .collect();
    swears.extend(
        masked_swears(text)
            .into_iter()
            .map(|(start, end)| (start, end, None)),
    );
    for (start, end, index) in swears {
        let fuck_family = match index {
            Some(index) => {
                let folded = tokens.folded(index);
                folded.starts_with('f') || folded.starts_with("motherf")
            }
            None => text[start..end].starts_with(['f', 'F']),
        };
        let next = match index {
            Some(index) => index + 1,
            None => tokens.index_at_or_after(end),
        };
        let spaced = next < tokens.len() && {
            let gap = &text[end.min(tokens.start(next))..tokens.start(next)];
            !gap.is_empty() && gap.chars().all(char::is_whitespace)
        };
        if fuck_family && spaced && tokens.is_in(next, AIMING_WORDS) {
            let mut last = next;
            if tokens.is(next, &["your"]) && tokens.spaced(next + 1) {
                last = next + 1;
            }
            let mut from = start;
            let go = index
                .unwrap_or_else(|| tokens.index_at_or_after(start))
                .checked_sub(1);
            if let Some(go) = go.filter(|&go| tokens.is(go, &["go"]) && tokens.end(go) < start) {
                from = tokens.start(go);
            }
            aimed.push((from, tokens.end(last)));
        } else {
            plain.push((start, end));
        }
    }
    aimed.sort_unstable();
    let inside_aimed =
        |start: usize, end: usize| aimed.iter().any(|&(s, e)| s <= start && end <= e);
    let mut found: Vec<Evidence> = plain
        .into_iter()
        .filter(|&(start, end)| !inside_aimed(start, end))
        .map(|(start, end)| Evidence::of(text, start, end, PROFANITY))
        .chain(
            aimed
                .iter()
                .map(|&(start, end)| Evidence::of(text, start, end, PROFANITY_AT_AGENT)),
        )
        .collect();
    found.sort_by_key(|e| (e.start, e.end));
    found.dedup_by(|later, earlier| later.start < earlier.end);
    found
}

// ---------------------------------------------------------------------------------------------
// Insults aimed at the agent.

/// Nouns that insult a person.
const INSULT_NOUNS: WordList = WordList::new(
    4,
    &[
        "idiot",
        "idiots",
        "moron",
        "morons",
        "clown",
        "clowns",
        "liar",
        "liars",
        "joke",
        "scum",
        "imbecile",
        "imbeciles",
        "fool",
        "fools",
        "loser",
        "losers",
        "muppet",
        "muppets",
        "cretin",
        "cretins",
        "dimwit",
        "dimwits",
        "halfwit",
        "halfwits",
        "jerk",
        "jerks",
        "amateurs",
        "disgrace",
        "bastard",
        "bastards",
        "prick",
        "pricks",
        "wanker",
        "wankers",
        "asshole",
        "assholes",
        "arsehole",
        "arseholes",
        "bitch",
        "twat",
        "twats",
        "dickhead",
        "dickheads",
        "cunt",
        "cunts",
        "motherfucker",
        "motherfuckers",
        "jackass",
        "dumbass",
        "numpty",
        "numpties",
        "buffoon",
        "buffoons",
    ],
);

/// Adjectives that insult a person when said of one.
const INSULT_ADJECTIVES: WordList = WordList::new(
    5,
    &[
        "useless",
        "stupid",
        "incompetent",
        "pathetic",
        "dumb",
        "worthless",
        "clueless",
        "hopeless",
        "brainless",
        "inept",
        "moronic",
        "idiotic",
        "retarded",
    ],
);

/// Insult nouns that make sense alone as a vocative: ", idiot."
const VOCATIVE_NOUNS: WordList = WordList::new(
    6,
    &[
        "idiot",
        "idiots",
        "moron",
        "morons",
        "clown",
        "clowns",
        "liar",
        "liars",
        "imbecile",
        "imbeciles",
        "fool",
        "fools",
        "loser",
        "losers",
        "muppet",
        "muppets",
        "cretin",
        "cretins",
        "dimwit",
        "halfwit",
        "jerk",
        "jerks",
        "bastard",
        "bastards",
        "prick",
        "wanker",
        "wankers",
        "asshole",
        "assholes",
        "arsehole",
        "twat",
        "dickhead",
        "numpty",
        "buffoon",
        "buffoons",
        "scum",
    ],
);

/// Words that may sit between the target and the insult: "you are such a", "you're all".
const INSULT_FILLERS: WordList = WordList::new(
    7,
    &[
        "a",
        "an",
        "the",
        "such",
        "so",
        "really",
        "truly",
        "totally",
        "completely",
        "absolutely",
        "utterly",
        "utter",
        "complete",
        "total",
        "just",
        "all",
        "bunch",
        "pack",
        "load",
        "of",
        "most",
        "very",
        "fucking",
        "fking",
        "bloody",
        "damn",
        "freaking",
        "effing",
        "frigging",
        "absolute",
        "literally",
        "seriously",
        "actually",
        "clearly",
        "obviously",
        "being",
        "acting",
        "like",
        "as",
        "and",
        "are",
        "r",
        "were",
        "is",
        "was",
        "be",
        "must",
        "seem",
        "sound",
        "look",
        "been",
        "have",
        "has",
        "nothing",
        "but",
        "biggest",
        "worst",
        "useless",
        "stupid",
        "incompetent",
        "pathetic",
        "dumb",
        "worthless",
        "clueless",
        "hopeless",
        "brainless",
        "inept",
        "lying",
        "thieving",
        "lazy",
        "rude",
        "ignorant",
        "arrogant",
        "sorry",
    ],
);

/// Words that stand for the person we are talking to.
const SECOND_PERSON: WordList = WordList::new(
    8,
    &[
        "you", "u", "ya", "ye", "you're", "youre", "ur", "y'all", "yall", "you've", "youve",
        "youse",
    ],
);

/// Words after "you" that still address our side: "you guys", "you people".
const SECOND_PERSON_GROUPS: WordList =
    WordList::new(9, &["guys", "people", "lot", "all", "lads", "two", "folks"]);

/// Our staff and company, after "your": "your staff", "your company".
const OUR_PEOPLE: WordList = WordList::new(
    10,
    &[
        "staff",
        "agent",
        "agents",
        "people",
        "company",
        "team",
        "employees",
        "employee",
        "rep",
        "reps",
        "representative",
        "representatives",
        "colleague",
        "colleagues",
        "worker",
        "workers",
        "manager",
        "managers",
        "supervisor",
        "supervisors",
        "driver",
        "drivers",
        "courier",
        "couriers",
        "advisor",
        "advisors",
        "adviser",
        "advisers",
        "operator",
        "operators",
        "assistant",
        "assistants",
        "guys",
        "lot",
        "firm",
        "business",
        "boss",
        "outfit",
    ],
);

/// Our staff named as persons after "the", "that" or "this": "the agent was useless".
const OUR_PERSONS: WordList = WordList::new(
    11,
    &[
        "agent",
        "rep",
        "representative",
        "employee",
        "staff",
        "manager",
        "driver",
        "courier",
        "advisor",
        "adviser",
        "operator",
        "supervisor",
        "assistant",
    ],
);

/// Words that may sit between "your" and the staff it names: "your customer service team".
const STAFF_MODIFIERS: WordList = WordList::new(
    12,
    &[
        "support",
        "customer",
        "service",
        "services",
        "delivery",
        "call",
        "centre",
        "center",
        "sales",
        "shop",
        "store",
        "warehouse",
        "entire",
        "whole",
        "so-called",
        "so",
        "called",
        "useless",
        "stupid",
        "incompetent",
    ],
);

/// Words after an insult that still belong to it: "you stupid people".
const INSULT_TAILS: WordList = WordList::new(
    13,
    &["people", "lot", "bunch", "guys", "company", "staff", "lot"],
);

/// Whether the insult at word `index` starts there, and where it ends: a noun, an adjective, or
/// "piece of shit".
fn insult_at(tokens: &Tagged, index: usize) -> Option<usize> {
    if tokens.is_in(index, INSULT_NOUNS) || tokens.is_in(index, INSULT_ADJECTIVES) {
        return Some(index);
    }
    let piece_of = tokens.is(index, &["piece"])
        && tokens.is(index + 1, &["of"])
        && tokens.is(
            index + 2,
            &[
                "shit", "crap", "garbage", "trash", "junk", "work", "dirt", "filth", "sh",
            ],
        );
    piece_of.then_some(index + 2)
}

/// Where a target of insults that starts at word `index` ends: "you", "you guys", "are you",
/// "your staff", "your customer service team", "the agent".
fn target_at(tokens: &Tagged, index: usize) -> Option<usize> {
    if tokens.is_in(index, SECOND_PERSON) {
        if tokens.spaced(index + 1) && tokens.is_in(index + 1, SECOND_PERSON_GROUPS) {
            return Some(index + 1);
        }
        return Some(index);
    }
    if tokens.is(index, &["are", "r"])
        && tokens.spaced(index + 1)
        && tokens.is(index + 1, &["you", "u"])
    {
        if tokens.spaced(index + 2) && tokens.is_in(index + 2, SECOND_PERSON_GROUPS) {
            return Some(index + 2);
        }
        return Some(index + 1);
    }
    let possessive = tokens.is(index, &["your", "ur", "yours"]);
    let demonstrative = tokens.is(index, &["the", "that", "this"]);
    if possessive || demonstrative {
        let mut at = index + 1;
        while possessive
            && at - index <= 3
            && tokens.spaced(at)
            && tokens.is_in(at, STAFF_MODIFIERS)
        {
            at += 1;
        }
        let people = if possessive { OUR_PEOPLE } else { OUR_PERSONS };
        if tokens.spaced(at) && tokens.is_in(at, people) {
            return Some(at);
        }
        // "your customer service" names a department, and counts only when a staff word follows.
    }
    None
}

/// Insults aimed at the agent or at our staff.
fn find_insults(tokens: &Tagged) -> Vec<Evidence> {
    let text = tokens.text;
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let Some(target_end) = target_at(tokens, index) else {
            index += 1;
            continue;
        };
        // "your useless staff" is an insult by itself.
        let mut last_insult = (index + 1..target_end)
            .any(|at| tokens.is_in(at, INSULT_ADJECTIVES))
            .then_some(target_end);
        let mut negated = false;
        let mut at = target_end + 1;
        while at < tokens.len() && at - target_end <= 7 && tokens.joined(at) {
            if let Some(end) = insult_at(tokens, at) {
                last_insult = Some(end);
                at = end + 1;
                continue;
            }
            if is_negation(tokens.folded(at)) {
                negated = true;
                break;
            }
            if !tokens.is_in(at, INSULT_FILLERS) {
                break;
            }
            at += 1;
        }
        match last_insult {
            Some(mut last) if !negated && !negated_before(tokens, index, 1) => {
                while tokens.spaced(last + 1)
                    && tokens.is_in(last + 1, INSULT_TAILS)
                    && last - target_end < 8
                {
                    last += 1;
                }
                found.push((tokens.start(index), tokens.end(last)));
                index = last + 1;
            }
            _ => index += 1,
        }
    }
    found.extend(find_vocatives(tokens));
    found.sort_unstable();
    found.dedup_by(|later, earlier| later.0 < earlier.1);
    found
        .into_iter()
        .map(|(start, end)| Evidence::of(text, start, end, INSULT_AT_AGENT))
        .collect()
}

/// Insults said as a form of address: "Where is my order, idiot?", "Useless morons."
fn find_vocatives(tokens: &Tagged) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for index in 0..tokens.len() {
        if !tokens.is_in(index, VOCATIVE_NOUNS) {
            continue;
        }
        let mut first = index;
        while first > 0
            && index - first < 3
            && tokens.spaced(first)
            && (tokens.is_in(first - 1, INSULT_ADJECTIVES)
                || tokens.is(first - 1, &["absolute", "complete", "total", "utter"])
                || is_swear_word(tokens, first - 1))
        {
            first -= 1;
        }
        let before = tokens.gap_before(first);
        let opens = first == 0 || before.contains([',', '.', '!', '?', '\n', ':', ';']);
        let after = tokens.gap_before(index + 1);
        let closes = index + 1 == tokens.len() || after.contains([',', '.', '!', '?', '\n', ';']);
        if opens && closes {
            found.push((tokens.start(first), tokens.end(index)));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Threats.

/// Threats of harm or vengeance to people. Threats to sue or to post reviews are not here: they
/// are intents, found by the phrase rules.
const THREATS: &[&str] = &[
    "i will find|hunt|track you",
    "i'll|ill find|hunt|track you",
    "i'm|im going to find|hunt|track you",
    "i am going to find|hunt|track you",
    "i'm|im gonna find|hunt|track|get you",
    "i will hurt|kill|punch|beat|smash|attack|stab|shoot|strangle",
    "i'll|ill hurt|kill|punch|beat|smash|attack|stab|shoot|strangle",
    "i'm|im going to hurt|kill|punch|beat|smash|attack|stab|shoot|strangle",
    "i am going to hurt|kill|punch|beat|smash|attack|stab|shoot|strangle",
    "i'm|im gonna hurt|kill|punch|beat|smash|attack|stab|shoot|strangle",
    "i will get you",
    "i'll|ill get you",
    "hunt you down",
    "i know where you live|work|are",
    "i know where your",
    "you'll|youll regret",
    "you will regret",
    "you'll|youll pay for this|that|it",
    "you will pay for this|that|it",
    "you'll|youll be sorry",
    "you will be sorry",
    "watch your back",
    "better watch out|yourself|yourselves",
    "burn your|the|this store|shop|office|warehouse|place|building|house down",
    "burn it|this down",
    "burn down your|the|this store|shop|office|warehouse|place|building",
    "you're|youre dead",
    "you are dead",
    "make you pay|suffer|regret",
    "wait till|until i find|get|see you",
    "come down there and",
    "i'll|ill be waiting for you",
    "break your neck|legs|face|arms|nose|jaw",
    "punch|smack|slap|kill|hurt|stab|shoot you",
];

fn threat_phrases() -> &'static PhraseSet {
    static SET: OnceLock<PhraseSet> = OnceLock::new();
    SET.get_or_init(|| PhraseSet::new(THREATS))
}

/// Threats of harm or vengeance, unless denied just before ("not going to hurt").
fn find_threats(tokens: &Tagged) -> Vec<Evidence> {
    let text = tokens.text;
    let all = threat_phrases().find_all_in(tokens);
    super::words::non_overlapping(all)
        .into_iter()
        .filter(|found| !negated_before(tokens, found.first_word, 2))
        .map(|found| Evidence::of(text, found.start, found.end, THREAT))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Shouting.

/// Capitalised words that are ordinary acronyms, not shouting.
const ACRONYMS: WordList = WordList::new(
    14,
    &[
        "usa", "uk", "us", "eu", "ups", "dhl", "usps", "fedex", "tnt", "dpd", "gls", "id", "ok",
        "tv", "pm", "am", "pc", "ceo", "faq", "asap", "gb", "usd", "eur", "gbp", "vat", "sms",
        "pin", "url", "pdf", "nhs", "bbc", "cnn", "hdmi", "usb", "led", "lcd", "xl", "xxl", "xs",
        "sku", "rma", "eta", "ipad", "iphone", "hr", "it", "po", "diy", "cod", "atm", "ssn", "dob",
        "nyc", "la", "ny", "uae",
    ],
);

/// Whether a word is written in capitals: it has a cased letter and no lower-case one.
fn is_capitals(word: &str) -> bool {
    word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase)
}

/// Runs of three or more shouted words, and runs of "!!!" or "?!?".
fn find_shouting(tokens: &Tagged) -> Vec<Evidence> {
    let text = tokens.text;
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None;
    let close = |run: &mut Option<(usize, usize, usize)>, found: &mut Vec<(usize, usize)>| {
        if let Some((first, last, counted)) = run.take() {
            if counted >= 3 {
                found.push((tokens.start(first), tokens.end(last)));
            }
        }
    };
    for index in 0..tokens.len() {
        let word = tokens.word(index);
        // Most words have a small letter, which ends a run: say so before looking further.
        if word.bytes().any(|b| b.is_ascii_lowercase()) {
            close(&mut run, &mut found);
            continue;
        }
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if is_capitals(word) && !has_digit {
            let counts = letters >= 2 && !tokens.is_in(index, ACRONYMS);
            let entry = run.get_or_insert((index, index, 0));
            // A lone "I" or "A" may open a run but does not stretch it.
            if letters >= 2 {
                entry.1 = index;
            }
            if counts {
                entry.2 += 1;
            }
        } else if has_digit && !word.chars().any(char::is_lowercase) {
            // Numbers neither end nor extend a run of shouting.
        } else {
            close(&mut run, &mut found);
        }
    }
    close(&mut run, &mut found);
    found.extend(punctuation_runs(text));
    found.sort_unstable();
    found
        .into_iter()
        .map(|(start, end)| Evidence::of(text, start, end, SHOUTING))
        .collect()
}

/// Runs of at least three exclamation marks, or of three or more marks mixing "?" and "!"; a run
/// of question marks alone is confusion, not shouting.
fn punctuation_runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    loop {
        at = next_wanted(bytes, at, |b| matches!(b, b'!' | b'?'));
        if at == bytes.len() {
            break;
        }
        let start = at;
        while at < bytes.len() && matches!(bytes[at], b'!' | b'?') {
            at += 1;
        }
        let run = &bytes[start..at];
        let exclaims = run.iter().filter(|&&b| b == b'!').count();
        if run.len() >= 3 && exclaims > 0 {
            found.push((start, at));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_valid_evidence, strip_markers};

    /// Which list of evidence a check is about.
    #[derive(Debug, Clone, Copy)]
    enum List {
        Profanity,
        Insults,
        Threats,
        Shouting,
    }

    /// Checks that the chosen list of evidence in the marked text is exactly the marked spans.
    fn check(marked: &str, list: List) -> AbuseRules {
        let (text, expected) = strip_markers(marked);
        let abuse = detect_abuse(&text);
        let evidence = match list {
            List::Profanity => &abuse.profanity,
            List::Insults => &abuse.insults,
            List::Threats => &abuse.threats,
            List::Shouting => &abuse.shouting,
        };
        assert_valid_evidence(&text, evidence);
        let found: Vec<(usize, usize)> = evidence.iter().map(|e| (e.start, e.end)).collect();
        assert_eq!(found, expected, "{list:?} in {text:?}");
        abuse
    }

    #[test]
    fn every_word_list_is_compiled_into_the_lexicon() {
        crate::testing::assert_every_word_list_is_compiled(include_str!("abuse.rs"));
    }

    use List::*;

    #[test]
    fn profanity_in_passing_does_not_target_the_agent() {
        let abuse = check("where is my [[damn]] parcel", Profanity);
        assert!(!abuse.targets_agent);
        assert!(abuse.insults.is_empty());
        check("what the [[hell]] is this [[shit]]", Profanity);
        check("this is [[bloody]] [[crap]], [[wtf]]", Profanity);
        check("[[fucking]] useless product", Profanity);
    }

    #[test]
    fn masked_swear_words_are_profanity() {
        check("this [[f**king]]... no, this [[sh*t]]!", Profanity);
        check("[[$hit]] service", Profanity);
        // Beside characters beyond ASCII, at either end of the text, and after a handle.
        check("[[f**k]]ü and é[[sh*t]]", Profanity);
        check("[[b!tch]]", Profanity);
        check("@shop [[cr@p]] 😡[[d@mn]]!!", Profanity);
        // Masks without a swear word, and swear words' shapes without masks or letters.
        check("@shop_uk #1 100% $$$ !!! a*b*c", Profanity);
    }

    #[test]
    fn ordinary_words_that_contain_swears_are_not_profanity() {
        check(
            "Hello, I need assistance with my class booking in Hell, Norway",
            Profanity,
        );
        check("Passing the scunthorpe shipment", Profanity);
    }

    #[test]
    fn swearing_aimed_at_the_agent_is_recorded_as_aimed() {
        let abuse = check("[[fuck you]] and your refunds", Profanity);
        assert!(abuse.targets_agent);
        assert_eq!(abuse.profanity[0].rule, PROFANITY_AT_AGENT);
        check("[[screw you]]", Profanity);
        check("just [[go to hell]]", Profanity);
        check("[[f**k off]]", Profanity);
    }

    #[test]
    fn insults_aimed_at_the_agent_are_found() {
        let abuse = check("[[you are useless]]", Insults);
        assert!(abuse.targets_agent);
        check("[[you're an idiot]]", Insults);
        check("Listen, [[you idiot]].", Insults);
        check("Where is it, [[you useless idiot]]?", Insults);
        check("[[your staff are morons]]", Insults);
        check("[[are you stupid]]?", Insults);
        check("Still nothing, [[idiot]].", Insults);
        check("stop it, [[fuckin idiots]]!", Insults);
        check("[[you guys are a joke]]", Insults);
        check("[[You fucking piece of shit]]", Insults);
        check("[[your customer service team are clowns]]", Insults);
        check("[[your useless staff]] hung up", Insults);
        check("[[the driver was an idiot]]", Insults);
    }

    #[test]
    fn insults_about_things_are_not_aimed_at_people() {
        let abuse = check("this product is useless", Insults);
        assert!(!abuse.targets_agent);
        check("I feel stupid for buying this", Insults);
        check("you sent me a useless product", Insults);
        check("you are not useless, just slow", Insults);
        check("What a joke.", Insults);
    }

    #[test]
    fn threats_of_harm_are_found_but_legal_threats_are_not() {
        check("[[I will find you]]", Threats);
        check("[[I'll find you]]", Threats);
        check("[[you'll regret]] this", Threats);
        check("[[I'm going to hurt]] someone", Threats);
        check("[[watch your back]]", Threats);
        check("[[I know where you live]]", Threats);
        check("I'll [[burn your store down]]", Threats);
        check("I will sue you and post this on twitter", Threats);
        check("I'm not going to hurt anyone", Threats);
    }

    #[test]
    fn shouting_is_runs_of_capitals_or_exclamation_marks() {
        check("[[WHERE IS MY ORDER]]", Shouting);
        check("[[WHERE IS MY PARCEL]][[?!?]] I paid", Shouting);
        check("I sent it by UPS to the USA, ID 42, OK", Shouting);
        check("[[I WANT MY MONEY]] back[[!!!]]", Shouting);
        check("really[[?!?]] Why??", Shouting);
        check("PLEASE HELP me", Shouting);
        check("Привет мир ĞÜŞ", Shouting);
    }
}
