//! The checks behind the rules: phrase rules on the draft, and the conversation checks that also
//! read what the customer wrote and what the agent already said.

use std::sync::OnceLock;

use super::pack::{Rule, RuleKind};
use super::{Check, DraftKind, Finding, Role, Severity, Turn};
use crate::analysis::Reading;
use crate::rules::words::{non_overlapping, PhraseMatch, Tokens};
use crate::rules::{extract_facts, words, FactKind, PhraseSet};
use crate::span::Span;

/// The conversation checks a pack may name, by id.
pub const KNOWN: [&str; 11] = [
    "tone.shouting",
    "correct.indirectly",
    "apology.once",
    "apology.own_it",
    "listen.acknowledge",
    "empathy.reactions",
    "root_cause.ask",
    "resolve.options",
    "resolve.timeline",
    "resolve.satisfaction",
    "boundary.abuse",
];

/// Whether `id` names a conversation check.
pub fn is_known(id: &str) -> bool {
    KNOWN.contains(&id)
}

const APOLOGY: &[&str] = &[
    "sorry",
    "apologise",
    "apologize",
    "apologies",
    "apologising",
    "apologizing",
];
const NON_APOLOGY: &[&str] = &[
    "sorry for any inconvenience",
    "apologize for any inconvenience",
    "apologise for any inconvenience",
    "sorry you feel that way",
    "sorry if you feel",
    "sorry if you were",
];
const OWNERSHIP: &[&str] = &[
    "our mistake",
    "our fault",
    "our error",
    "we got this wrong",
    "we got it wrong",
    "we made a mistake",
    "i made a mistake",
    "my mistake",
    "we messed up",
    "that's on us",
    "that is on us",
    "we dropped the ball",
    "we should have",
    "i should have",
];
const RESOLUTION: &[&str] = &[
    "refund",
    "refunded",
    "replacement",
    "replace",
    "exchange",
    "reship",
    "resend",
    "credit",
    "repair",
    "discount",
    "voucher",
    "reimburse",
    "new one",
    "money back",
    "swap",
];
const PROMISE: &[&str] = &[
    "i will",
    "i'll",
    "we will",
    "we'll",
    "i am going to",
    "i'm going to",
    "we are going to",
    "we're going to",
    "i have arranged",
    "i've arranged",
    // An action taken or an outcome the customer will see sets an expectation too: when?
    "i have issued|processed|requested|raised|booked|credited",
    "i've issued|processed|requested|raised|booked|credited",
    "we have issued|processed|requested|raised|booked|credited",
    "we've issued|processed|requested|raised|booked|credited",
    "you'll receive|see|get|hear",
    "you will receive|see|get|hear",
];
/// Words after a promise that only pass the customer's words on: "we'll pass your comments on",
/// "I'll be sure to share your feedback", "we'll get this passed onto the team".
const PASSING_ON: &[&str] = &[
    "pass", "passed", "passing", "share", "forward", "feed", "relay",
];
/// Words before a promise, in its sentence, that hope or make it hang on something rather than
/// promise: "hopefully we'll have them soon", "fingers crossed we'll", "I'm confident we'll
/// include it", "if you ever need anything, we'll come running".
const HEDGES: &[&str] = &[
    "hopefully",
    "hope",
    "hoping",
    "crossed",
    "confident",
    "if",
    "whether",
    "maybe",
    "perhaps",
];
const TIMELINE: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "within * hours",
    "within * days",
    "within * minutes",
    "within * business days",
    "within * working days",
    "within * * hours|days|minutes",
    "within * * business|working days",
    "in the next * hours|days|minutes",
    "by the end of the day|week",
    "in * minutes",
    "in * hours",
    "in * days",
    "end of day",
    "this week",
    "next week",
    "this afternoon",
    "this morning",
    "this evening",
    "right now",
    "straight away",
    "straightaway",
    "right away",
    "immediately",
];
const OPTIONS: &[&str] = &[
    "or",
    "either",
    "would you prefer",
    "whichever",
    "options",
    "choose",
];
const SATISFACTION: &[&str] = &[
    "does that work",
    "would that work",
    "does this work",
    "would this work",
    "is that okay",
    "is that ok",
    "is this okay",
    "how does that sound",
    "does that sound",
    "sound good",
    "works for you",
    "work for you",
    "are you happy with",
    "would that help",
    "does that help",
    "let me know if",
    "which would you prefer",
    "which do you prefer",
    "what would you prefer",
    "which suits you",
    "which works better",
];
/// Words that, before a resolution in its sentence, say it is not on offer ("we can't refund").
const NEGATION: &[&str] = &[
    "not", "no", "never", "can't", "cannot", "won't", "don't", "unable", "nothing",
];
/// Words before "(your|the) refund" that speak of one the customer asked for or is waiting on
/// ("help with your refund", "check the refund"), not of one the draft offers.
const ABOUT_EXISTING: &[&str] = &[
    "with",
    "about",
    "regarding",
    "on",
    "check",
    "checking",
    "of",
    "track",
    "tracking",
    "where",
    "when",
    "for",
];
const BOUNDARY: &[&str] = &[
    "keep this respectful",
    "keep it respectful",
    "keep our conversation respectful",
    "keep this conversation respectful",
    "keep this civil",
    "respectful",
    "i will not accept",
    "i won't accept",
    "abusive language",
    "if the language",
    "language like this",
    "that kind of language",
    "won't be able to continue",
    "will not be able to continue",
    "can't continue",
    "cannot continue",
    "treat each other with respect",
];
const ESCALATION: &[&str] = &[
    "manager",
    "supervisor",
    "team lead",
    "escalate",
    "escalation",
    "end this chat",
    "end the chat",
    "end this call",
    "end the call",
    "pass this to",
    "hand this over",
];
const EMPATHY: &[&str] = &[
    "i understand",
    "i can see",
    "i can imagine",
    "that must be",
    "must be frustrating",
    "frustrating",
    "i hear you",
    "sorry to hear",
    "i would be upset",
    "i'd be upset",
    "i'd feel the same",
    "disappointing",
    "upsetting",
    // Concern for the customer, the warmth a calm boundary keeps.
    "i want to help",
    "i'd like to help",
    "i want to make this right",
    "i want to put this right",
];

/// Words of a question that asks for the order number.
const ASK_ORDER: &[&str] = &[
    "order number",
    "order id",
    "order reference",
    "reference number",
    "which order",
    "order no",
];
/// Words of a sentence that asks the customer to send details without asking a question:
/// "Please DM us your order number", "send us a DM", "feel free to DM". On social media the
/// first step is often to move to a private message, where the details are asked for.
const DETAILS_REQUEST: &[&str] = &[
    "dm|pm|message|email|follow us|me",
    "send|shoot|drop|give us|me a|an dm|pm|message|email|note|line|call",
    "send|share|provide|include us|me",
    "please send|share|provide|include|confirm|check|dm|pm|message|email",
    "dm|pm|send|provide|share|confirm your|the",
    "let us|me know|have",
    "reach|reaching out to us|me",
    "reach us|me",
    "feel free to dm|pm|message|reach|contact",
    "contact|call|ring us|me",
    "connect with us|me",
    "i|we require|need your",
    "click here to send|share",
    "via|by|over|in dm|dms|pm|pms",
    "in|via|by|over|through a dm|pm|private",
];

/// Words of a reply that tells the customer what to do themselves: it answers rather than
/// investigates, so it need not ask for the order number ("you can cancel a pre-order in the
/// chat", "let's update to iOS 11.1", "check out this link").
const GUIDANCE: &[&str] = &[
    "you can|could|may|should|must",
    "you will|would need",
    "you need to",
    "you'll|youll need|want",
    "let's|lets",
    "check out",
    "please try|update|restart|go|visit|use|return|take|follow|refer|see|read|contact|call|report|keep",
    "be sure to",
    "kindly",
    "make sure",
    "try restarting|updating|resetting|reinstalling",
    "i'd|we'd recommend|suggest|advise",
    "i|we would recommend|suggest|advise",
    "here's how",
    "here is how",
    "https",
    "http",
    "www",
];

/// Words of a question that asks when it happened.
const ASK_WHEN: &[&str] = &[
    "when",
    "what date",
    "which date",
    "what day",
    "which day",
    "how long",
    "what time",
];
/// Words of a question that asks what outcome the customer wants.
const ASK_OUTCOME: &[&str] = &[
    "prefer",
    "would you like",
    "refund or",
    "or a refund",
    "replacement or",
    "or a replacement",
    "outcome",
    "how would you like",
    "what can we do",
    "what would help",
    "what would you like",
];
/// Words of a customer saying what they want.
const WANTED: &[&str] = &[
    "refund",
    "refunded",
    "money back",
    "replacement",
    "replace",
    "exchange",
    "swap",
    "cancel",
    "repair",
    "credit",
    "reship",
    "resend",
    "new one",
    "send another",
    "fix",
    "i want",
    "i'd like",
    "i would like",
    "where is",
    "where's",
];
/// The intents that say what outcome the customer wants.
const WANTED_INTENTS: &[&str] = &["get_refund", "track_refund", "cancel_order", "track_order"];
/// Words of a conversation about an order, where its number and the outcome the customer
/// wants are worth knowing; a question about a feature or an account needs neither.
const ORDER_TALK: &[&str] = &[
    "my|the|an|this|that|our|your|their|online|last order|orders",
    "ordered",
    "parcel",
    "package",
    "delivery",
    "delivered",
    "shipment",
    "shipping",
    "purchase",
    "purchased",
    "bought",
    "refund",
    "return",
    "returned",
    "exchange",
    "replacement",
    "charged",
    "charge",
    "billed",
    "invoice",
    "receipt",
];
/// The intents about an order.
const ORDER_INTENTS: &[&str] = &[
    "cancel_order",
    "change_order",
    "change_shipping_address",
    "delivery_period",
    "get_invoice",
    "check_invoice",
    "get_refund",
    "track_order",
    "track_refund",
    "payment_issue",
];
/// Fault reasons about an order.
const ORDER_FAULTS: &[&str] = &[
    "late_delivery",
    "lost_item",
    "wrong_item",
    "damaged_item",
    "double_charge",
    "wrong_charge",
    "wrong_size_ordered",
    "outside_return_window",
];
/// Words of a complaint about something that happened at a time worth knowing.
const EVENT: &[&str] = &[
    "arrived",
    "arrive",
    "delivered",
    "received",
    "came",
    "charged",
    "billed",
    "ordered",
    "broke",
    "broken",
    "damaged",
    "stopped working",
    "happened",
];
const NOT_ARRIVED: &[&str] = &[
    "never arrived",
    "hasn't arrived",
    "has not arrived",
    "not arrived",
    "didn't arrive",
    "did not arrive",
    "never came",
    "never delivered",
    "still waiting",
];
const CHARGED: &[&str] = &["charged", "billed", "payment"];
const ARRIVED: &[&str] = &["arrived", "delivered", "received", "came"];

/// A fact the reply may have to ask for before the cause can be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// The order number.
    OrderNumber,
    /// When it happened, with the question that fits the complaint.
    When(&'static str),
    /// What outcome the customer wants.
    Outcome,
}

impl Missing {
    /// The fact, as a message names it.
    pub fn name(self) -> &'static str {
        match self {
            Missing::OrderNumber => "the order number",
            Missing::When(_) => "when it happened",
            Missing::Outcome => "what outcome the customer wants",
        }
    }

    /// The question that asks for the fact.
    pub fn question(self) -> &'static str {
        match self {
            Missing::OrderNumber => "Could you tell me your order number?",
            Missing::When(question) => question,
            Missing::Outcome => "Would you prefer a refund or a replacement?",
        }
    }

    /// The words a question asking for the fact holds.
    fn asked_by(self) -> &'static PhraseSet {
        match self {
            Missing::OrderNumber => ask_order_set(),
            Missing::When(_) => ask_when_set(),
            Missing::Outcome => ask_outcome_set(),
        }
    }

    /// Whether `text` names the fact, as a question or a request asking for it does.
    fn named_in(self, text: &str) -> bool {
        !self.asked_by().find(text).is_empty()
    }

    /// Whether the question `text` asks for the fact.
    fn asked_in(self, text: &str) -> bool {
        text.trim_end().ends_with('?') && self.named_in(text)
    }
}

/// The facts `missing` that the draft asks for: in one of its questions, or, for the order
/// number, in a request to send it ("Please DM us your order number.").
fn asked(missing: &[Missing], draft: &Draft, questions: &[(usize, usize)]) -> Vec<Missing> {
    let text = draft.text;
    missing
        .iter()
        .copied()
        .filter(|&m| {
            questions.iter().any(|&(s, e)| m.asked_in(&text[s..e]))
                || (m == Missing::OrderNumber
                    && draft.requests.iter().any(|&(s, e)| m.named_in(&text[s..e])))
        })
        .collect()
}

/// The names of `missing`, as "a, b and c".
fn names(missing: &[Missing]) -> String {
    let names: Vec<&str> = missing.iter().map(|m| m.name()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Which of the order number, when it happened and the wanted outcome the conversation still
/// lacks: none of the customer's turns gives it (by its facts, the intents of `readings`, the
/// customer's recent messages, or plain words) and no agent turn has asked for it.
/// `order_known` says whether an order number appears anywhere.
pub fn missing_facts(
    conversation: &[Turn],
    readings: &[Reading],
    order_known: bool,
) -> Vec<Missing> {
    let customer: Vec<&str> = conversation
        .iter()
        .filter(|t| t.role == Role::Customer)
        .map(|t| t.text.as_str())
        .collect();
    // Facts are missing only for a problem or a request: a customer who thanks us or shares a
    // good day has no order number to give, even where the complaint model reads praise of the
    // service as a complaint about it.
    let problem = readings.iter().any(|r| {
        (r.complaint >= 0.5 && r.sentiment.positive < 0.5)
            || !r.fault.reasons.is_empty()
            || r.intents.iter().any(|(_, p)| p >= 0.5)
    });
    if customer.is_empty() || !problem {
        return Vec::new();
    }
    let agent_asked = |m: Missing| {
        conversation
            .iter()
            .filter(|t| t.role == Role::Agent)
            .any(|t| {
                sentences(&t.text)
                    .iter()
                    .any(|&(s, e)| m.asked_in(&t.text[s..e]))
            })
    };
    let said = |set: &PhraseSet| customer.iter().any(|text| !set.find(text).is_empty());
    let about_an_order = order_known
        || said(order_talk_set())
        || readings.iter().any(|r| {
            ORDER_INTENTS.iter().any(|i| r.intents.get(i) >= 0.5)
                || r.fault
                    .reasons
                    .iter()
                    .any(|f| ORDER_FAULTS.contains(&f.reason))
        });
    let mut out = Vec::new();
    if about_an_order && !order_known && !agent_asked(Missing::OrderNumber) {
        out.push(Missing::OrderNumber);
    }
    let dated = customer.iter().any(|text| {
        extract_facts(text)
            .iter()
            .any(|f| matches!(f.kind, FactKind::Date | FactKind::Duration))
    });
    // Once the agent has offered a resolution, the conversation is past finding the cause.
    let offered = conversation
        .iter()
        .filter(|t| t.role == Role::Agent)
        .any(|t| {
            let tokens = Tokens::new(&t.text);
            offered_resolution(&tokens, &sentences(&t.text)).is_some()
        });
    if offered {
        return out;
    }
    if !dated && said(event_set()) {
        let question = if said(not_arrived_set()) {
            "When was it due to arrive?"
        } else if said(charged_set()) {
            "When were you charged?"
        } else if said(arrived_set()) {
            "When did the parcel arrive?"
        } else {
            "When did this happen?"
        };
        let when = Missing::When(question);
        if !agent_asked(when) {
            out.push(when);
        }
    }
    let wanted = said(wanted_set())
        || readings
            .iter()
            .any(|r| WANTED_INTENTS.iter().any(|i| r.intents.get(i) >= 0.5));
    if about_an_order && !wanted && !agent_asked(Missing::Outcome) {
        out.push(Missing::Outcome);
    }
    out
}

/// The clarifying-question item of the checklist for a reply.
pub(super) fn clarifying_question(context: &Context, draft: &Draft) -> Check {
    let asked = asked(&context.missing, draft, &draft.questions);
    if !asked.is_empty() {
        Check::yes(&format!("the draft asks for {}", names(&asked)))
    } else if !draft.questions.is_empty() {
        Check::yes("the draft asks a question to find out more")
    } else if !draft.requests.is_empty() {
        Check::yes("the draft asks the customer to send the details")
    } else if !context.has_customer || context.missing.is_empty() {
        Check::skip("no facts are missing")
    } else if draft.resolution.is_some() {
        Check::skip("the draft already proposes a resolution")
    } else if draft.guidance {
        Check::skip("the draft tells the customer what they can do")
    } else {
        Check::no(&format!(
            "{} still missing and the draft does not ask for it",
            capitalised(&names(&context.missing))
        ))
    }
}

/// `text` with its first letter upper case.
fn capitalised(text: &str) -> String {
    match_case("X", text)
}

/// A phrase set compiled on first use.
fn set(cell: &'static OnceLock<PhraseSet>, phrases: &[&str]) -> &'static PhraseSet {
    cell.get_or_init(|| PhraseSet::new(phrases))
}

macro_rules! phrase_set {
    ($name:ident, $list:ident) => {
        fn $name() -> &'static PhraseSet {
            static CELL: OnceLock<PhraseSet> = OnceLock::new();
            set(&CELL, $list)
        }
    };
}

phrase_set!(apology_set, APOLOGY);
phrase_set!(non_apology_set, NON_APOLOGY);
phrase_set!(ownership_set, OWNERSHIP);
phrase_set!(resolution_set, RESOLUTION);
phrase_set!(promise_set, PROMISE);

phrase_set!(timeline_set, TIMELINE);
phrase_set!(options_set, OPTIONS);
phrase_set!(satisfaction_set, SATISFACTION);
phrase_set!(boundary_set, BOUNDARY);
phrase_set!(escalation_set, ESCALATION);
phrase_set!(empathy_set, EMPATHY);
phrase_set!(details_request_set, DETAILS_REQUEST);
phrase_set!(guidance_set, GUIDANCE);
phrase_set!(ask_order_set, ASK_ORDER);
phrase_set!(ask_when_set, ASK_WHEN);
phrase_set!(ask_outcome_set, ASK_OUTCOME);
phrase_set!(wanted_set, WANTED);
phrase_set!(event_set, EVENT);
phrase_set!(order_talk_set, ORDER_TALK);
phrase_set!(not_arrived_set, NOT_ARRIVED);
phrase_set!(charged_set, CHARGED);
phrase_set!(arrived_set, ARRIVED);

/// Whether the promise whose words run from `first` to just before `next`, in the sentence whose
/// first word is `sentence`, sets a date to keep. Some "I'll" and "we'll" set none:
/// - an offer of help: "I'll be happy to look into this", "I'll do my best to help", "we'll
///   help in any way we can", "I'll be able to help";
/// - asking: "I'll need your receipt";
/// - passing the customer's words on: "we'll pass your comments on", "I'll definitely share
///   this with the team", "we'll let our devs know" (but "we'll let you know" is a promise);
/// - being there: "we'll be here if it happens again", "I'll meet you there" (in a DM);
/// - a refusal: "we will not be able to";
/// - a hope or a condition before it (see [`HEDGES`]), or "we'll keep everything crossed".
fn sets_a_date(tokens: &Tokens, sentence: usize, first: usize, next: usize) -> bool {
    let at = |offset: usize, words: &[&str]| tokens.is(next + offset, words);
    let be = at(0, &["be"]);
    let offer = (be && at(1, &["happy", "glad", "able"]))
        || at(0, &["help"])
        || (at(0, &["do"]) && at(1, &["my", "our", "all", "everything", "what", "whatever"]));
    let asking = at(0, &["need"]);
    let passing_on = (0..4).any(|i| at(i, PASSING_ON))
        || (at(0, &["let"]) && at(1, &["the", "our", "them", "him", "her"]));
    let being_there = (be && at(1, &["here", "there", "waiting", "around"]))
        || (at(0, &["meet", "see"]) && at(1, &["you"]) && at(2, &["there", "in"]));
    let refusal = at(0, &["not", "never"]);
    let hedged =
        (sentence..first).any(|i| tokens.is(i, HEDGES)) || (0..4).any(|i| at(i, &["crossed"]));
    !(offer || asking || passing_on || being_there || refusal || hedged)
}

/// The spans of the apologies in `text`, leaving out the words of non-apologies.
pub fn apologies(text: &str) -> Vec<(usize, usize)> {
    apologies_in(&Tokens::new(text))
}

/// The non-overlapping matches of `set` in the words `tokens`, leftmost-longest first.
pub(crate) fn find_in(set: &PhraseSet, tokens: &Tokens) -> Vec<PhraseMatch> {
    non_overlapping(set.find_all_in(tokens))
}

/// The spans of the apologies in the words `tokens`, leaving out non-apologies.
fn apologies_in(tokens: &Tokens) -> Vec<(usize, usize)> {
    let non: Vec<(usize, usize)> = find_in(non_apology_set(), tokens)
        .iter()
        .map(|m| (m.start, m.end))
        .collect();
    find_in(apology_set(), tokens)
        .iter()
        .map(|m| (m.start, m.end))
        .filter(|(start, end)| !non.iter().any(|(s, e)| start < e && s < end))
        .collect()
}

/// The first resolution in `text` (whose sentences are `sentences`) that is not negated earlier
/// in its sentence: "we can't refund this" offers nothing.
fn offered_resolution(tokens: &Tokens, sentences: &[(usize, usize)]) -> Option<(usize, usize)> {
    resolutions(tokens, sentences).next()
}

/// Every resolution `tokens` names that is not negated ("no refund") or about one that already
/// exists ("check on your refund"), in order.
fn resolutions<'s>(
    tokens: &'s Tokens,
    sentences: &'s [(usize, usize)],
) -> impl Iterator<Item = (usize, usize)> + 's {
    let text = tokens.text;
    find_in(resolution_set(), tokens)
        .into_iter()
        .filter_map(move |m| {
            let from = sentence_at(sentences, m.start).map_or(0, |(s, _)| s);
            let before = &text[from..m.start];
            let negated = words(before).iter().any(|&(s, e)| {
                let word = before[s..e].to_lowercase().replace('\u{2019}', "'");
                NEGATION.contains(&word.as_str())
            });
            let about_existing = m.first_word >= 2
                && tokens.is(m.first_word - 1, &["your", "the"])
                && tokens.is(m.first_word - 2, ABOUT_EXISTING);
            (!negated && !about_existing).then_some((m.start, m.end))
        })
}

/// The kind of resolution a word of [`RESOLUTION`] names: "refunded", "reimburse" and "money
/// back" are a refund; "exchange", "swap", "resend" and "new one" a replacement (a new item,
/// the same or another); "voucher" a credit.
pub fn resolution_kind(words: &str) -> &'static str {
    match words.to_lowercase().as_str() {
        "refund" | "refunded" | "reimburse" | "money back" => "refund",
        "credit" | "voucher" => "credit",
        "repair" => "repair",
        "discount" => "discount",
        _ => "replacement",
    }
}

/// The kinds of resolution the customer asks for in `texts`, by [`resolution_kind`].
pub fn asked_resolutions<'t>(texts: impl IntoIterator<Item = &'t str>) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = texts
        .into_iter()
        .flat_map(|text| {
            let (tokens, sentences) = (Tokens::new(text), sentences(text));
            resolutions(&tokens, &sentences)
                .map(|(start, end)| resolution_kind(&text[start..end]))
                .collect::<Vec<_>>()
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// The first match of `phrases` in the words `tokens`.
fn first(phrases: &PhraseSet, tokens: &Tokens) -> Option<(usize, usize)> {
    find_in(phrases, tokens).first().map(|m| (m.start, m.end))
}

/// The sentence of `sentences` (as [`sentences`] gives them) that byte `at` lies in.
fn sentence_at(sentences: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    sentences.iter().copied().find(|&(s, e)| s <= at && at < e)
}

/// The sentences of `text` as byte ranges, trimmed, each with its closing punctuation.
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let closes = matches!(c, '.' | '!' | '?' | '\n')
            && chars
                .peek()
                .is_none_or(|(_, next)| !matches!(next, '.' | '!' | '?'));
        if closes {
            out.push((start, i + c.len_utf8()));
            start = i + c.len_utf8();
        }
    }
    out.push((start, text.len()));
    out.into_iter()
        .filter_map(|(s, e)| {
            let piece = &text[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            (s + lead < e - trail).then_some((s + lead, e - trail))
        })
        .collect()
}

/// What the checks need to know about the conversation around the draft.
#[derive(Debug, Clone)]
pub struct Context {
    pub kind: DraftKind,
    /// Whether the conversation holds a customer message at all.
    pub has_customer: bool,
    pub company_fault: bool,
    pub customer_fault: bool,
    /// Whether the last customer message is upset or hotter.
    pub upset: bool,
    /// The customer's clearest feeling in the last message, when one stands out: frustration,
    /// worry or disappointment.
    pub emotion: Option<&'static str>,
    /// Whether a recent customer message aims abuse at the agent.
    pub abusive: bool,
    /// Whether an order number appears anywhere in the conversation.
    pub order_known: bool,
    /// The facts the conversation still lacks that a reply should ask for.
    pub missing: Vec<Missing>,
    /// The words of the issue the draft should restate: fact values and fault cues.
    pub issue_terms: Vec<String>,
    /// How many apologies the agent's earlier turns hold.
    pub prior_apologies: usize,
    /// The kinds of resolution the customer asked for ([`resolution_kind`]): a draft that gives
    /// one of them need not offer a choice.
    pub asked_for: Vec<&'static str>,
}

impl Context {
    /// The context the pack examples run in: every condition of every check holds.
    pub fn example(kind: DraftKind) -> Context {
        Context {
            kind,
            has_customer: true,
            company_fault: true,
            customer_fault: true,
            upset: true,
            emotion: Some("frustration"),
            abusive: true,
            order_known: false,
            missing: vec![
                Missing::OrderNumber,
                Missing::When("When did the parcel arrive?"),
                Missing::Outcome,
            ],
            issue_terms: vec![
                "A1001".to_owned(),
                "rain jacket".to_owned(),
                "torn".to_owned(),
            ],
            prior_apologies: 0,
            asked_for: Vec::new(),
        }
    }
}

/// What the checks read in the draft, found once.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    pub text: &'a str,
    /// The draft's words, found once for every rule.
    pub tokens: Tokens<'a>,
    pub first_sentence: (usize, usize),
    /// Every sentence of the draft, trimmed, in order.
    pub sentences: Vec<(usize, usize)>,
    pub apologies: Vec<(usize, usize)>,
    pub owned: bool,
    /// Questions that ask for information (not for satisfaction).
    pub questions: Vec<(usize, usize)>,
    /// Sentences that ask the customer to send details without a question: "Please DM us
    /// your order number."
    pub requests: Vec<(usize, usize)>,
    /// Whether the draft tells the customer what to do themselves (a link, "you can", "let's
    /// update"): it answers rather than investigates.
    pub guidance: bool,
    pub resolution: Option<(usize, usize)>,
    pub promise: Option<(usize, usize)>,
    pub timeline: bool,
    pub options: bool,
    pub satisfaction: bool,
    pub boundary: bool,
    pub escalation: bool,
    /// The emotional reactions level: the higher of the model's, when given, and the level
    /// counted from cue phrases ("I understand", "that must be"), which the model can miss.
    pub reactions: u8,
}

impl<'a> Draft<'a> {
    /// Whether the resolution the draft offers is one the customer asked for.
    pub fn gives_what_was_asked(&self, context: &Context) -> bool {
        self.resolution.is_some_and(|(start, end)| {
            context
                .asked_for
                .contains(&resolution_kind(&self.text[start..end]))
        })
    }

    /// Reads `text`; `reactions` is the empathy model's level when there is one.
    pub fn new(text: &'a str, reactions: Option<u8>) -> Draft<'a> {
        let all = sentences(text);
        let satisfaction_set = satisfaction_set();
        let questions = all
            .iter()
            .copied()
            .filter(|&(s, e)| {
                text[s..e].ends_with('?') && satisfaction_set.find(&text[s..e]).is_empty()
            })
            .collect();
        let tokens = Tokens::new(text);
        let has = |set: &PhraseSet| !find_in(set, &tokens).is_empty();
        let asking = find_in(details_request_set(), &tokens);
        let requests: Vec<(usize, usize)> = all
            .iter()
            .copied()
            .filter(|&(s, e)| {
                !text[s..e].ends_with('?') && asking.iter().any(|m| s <= m.start && m.end <= e)
            })
            .collect();
        let resolution = offered_resolution(&tokens, &all);
        let guidance = has(guidance_set());
        let apologies = apologies_in(&tokens);
        let owned = has(ownership_set());
        let promise = find_in(promise_set(), &tokens)
            .into_iter()
            .find(|m| {
                let sentence_start =
                    sentence_at(&all, m.start).map_or(0, |(s, _)| tokens.index_at_or_after(s));
                sets_a_date(&tokens, sentence_start, m.first_word, m.last_word + 1)
            })
            .map(|m| (m.start, m.end));
        let timeline = has(timeline_set());
        let options = has(options_set());
        // Offering the resolution as a question ("would you prefer a refund or a
        // replacement?") asks the customer what works for them, as a satisfaction check does.
        let offered_as_question = resolution.is_some_and(|(at, _)| {
            sentence_at(&all, at).is_some_and(|(s, e)| text[s..e].ends_with('?'))
        });
        let satisfaction = has(satisfaction_set) || offered_as_question;
        let boundary = has(boundary_set());
        let escalation = has(escalation_set());
        let cues = find_in(empathy_set(), &tokens).len().min(2) as u8;
        Draft {
            text,
            first_sentence: all.first().copied().unwrap_or((0, text.len())),
            sentences: all,
            apologies,
            owned,
            questions,
            requests,
            guidance,
            resolution,
            promise,
            timeline,
            options,
            satisfaction,
            boundary,
            escalation,
            reactions: reactions.unwrap_or(0).max(cues),
            tokens,
        }
    }

    /// The non-overlapping matches of `set` in the draft.
    pub fn find(&self, set: &PhraseSet) -> Vec<PhraseMatch> {
        find_in(set, &self.tokens)
    }

    /// Whether what the draft promises waits on details it has just asked the customer for
    /// ("Could you DM us your account's email? We'll take a look."): the next step is theirs,
    /// so the promise needs no date yet. A promise made before the question ("I will look into
    /// order A10234. Could you send a photo?") does not wait.
    pub fn waits_on_customer(&self) -> bool {
        self.promise.is_some_and(|(at, _)| {
            self.questions
                .iter()
                .chain(&self.requests)
                .any(|&(start, _)| start <= at)
        })
    }

    /// Whether the draft proposes a fix: a resolution or a promise of action.
    pub fn proposes_fix(&self) -> bool {
        self.resolution.is_some() || self.promise.is_some()
    }

    /// The end of the sentence holding the first resolution or promise, or the draft's end.
    pub fn fix_sentence_end(&self) -> usize {
        let fix = [self.resolution, self.promise]
            .into_iter()
            .flatten()
            .map(|(start, _)| start)
            .min();
        fix.and_then(|at| sentence_at(&self.sentences, at).map(|(_, e)| e))
            .unwrap_or(self.text.len())
    }

    /// Whether the draft mentions one of `terms`, as whole words, ignoring case.
    pub fn mentions_any(&self, terms: &[String]) -> bool {
        self.mentions_any_before(terms, self.text.len())
    }

    /// Whether the draft mentions one of `terms` before byte `limit`, as whole words, ignoring
    /// case: a restatement that comes before the fix it leads to.
    pub fn mentions_any_before(&self, terms: &[String], limit: usize) -> bool {
        let mut limit = limit.min(self.text.len());
        while !self.text.is_char_boundary(limit) {
            limit -= 1;
        }
        let text = &self.text[..limit];
        let lower = text.to_lowercase();
        terms.iter().any(|term| {
            let term = term.to_lowercase();
            !term.is_empty()
                && lower.match_indices(&term).any(|(at, _)| {
                    let before = lower[..at].chars().next_back();
                    let after = lower[at + term.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
        })
    }
}

/// A finding of `rule` at `start..end` of the draft.
fn finding(
    rule: &Rule,
    draft: &Draft,
    (start, end): (usize, usize),
    severity: Severity,
    suggestions: Vec<String>,
) -> Finding {
    let span = Span::of(draft.text, start, end);
    Finding {
        rule: rule.id.clone(),
        severity,
        start: span.start,
        end: span.end,
        text: span.text,
        message: rule.message.clone(),
        suggestions,
    }
}

/// `rewrite` with its first letter upper case when the replaced text began with one, and lower
/// case when it did not, unless the rewrite's first word keeps its capital anywhere: the pronoun
/// "I" ("I'm", "I'd") or a word in capitals ("UPS").
fn match_case(replaced: &str, rewrite: &str) -> String {
    let upper = replaced.chars().next().is_some_and(char::is_uppercase);
    let first_word = rewrite
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let keeps_capital = first_word == "I"
        || (first_word.chars().count() > 1 && first_word.chars().all(|c| c.is_uppercase()));
    let mut chars = rewrite.chars();
    match chars.next() {
        Some(c) if upper => c.to_uppercase().chain(chars).collect(),
        Some(_) if keeps_capital => rewrite.to_owned(),
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The findings of one rule on one draft.
pub fn run_rule(rule: &Rule, context: &Context, draft: &Draft) -> Vec<Finding> {
    if rule.disabled || !rule.applies_to.covers(context.kind) {
        return Vec::new();
    }
    let general: Vec<String> = rule.suggestion.iter().cloned().collect();
    match rule.kind {
        RuleKind::Existence => draft
            .find(&rule.set)
            .iter()
            .map(|m| {
                finding(
                    rule,
                    draft,
                    (m.start, m.end),
                    rule.severity,
                    general.clone(),
                )
            })
            .collect(),
        RuleKind::Substitution => draft
            .find(&rule.set)
            .iter()
            .map(|m| {
                let rewrite = rule.rewrites.get(m.phrase).map_or("", String::as_str);
                let suggestions = if rewrite.is_empty() {
                    general.clone()
                } else {
                    vec![match_case(&draft.text[m.start..m.end], rewrite)]
                };
                finding(rule, draft, (m.start, m.end), rule.severity, suggestions)
            })
            .collect(),
        RuleKind::Occurrence => draft
            .find(&rule.set)
            .iter()
            .skip(rule.max)
            .map(|m| {
                finding(
                    rule,
                    draft,
                    (m.start, m.end),
                    rule.severity,
                    general.clone(),
                )
            })
            .collect(),
        RuleKind::Conditional => {
            if !draft.find(&rule.requires_set).is_empty() {
                return Vec::new();
            }
            let span = if rule.phrases.is_empty() {
                Some(draft.first_sentence)
            } else {
                first(&rule.set, &draft.tokens)
            };
            span.map(|span| vec![finding(rule, draft, span, rule.severity, general)])
                .unwrap_or_default()
        }
        RuleKind::Sequence => {
            let steps: Vec<Vec<(usize, usize)>> = rule
                .steps
                .iter()
                .map(|step| draft.find(step).iter().map(|m| (m.start, m.end)).collect())
                .collect();
            if steps.iter().any(Vec::is_empty) {
                return Vec::new();
            }
            draft
                .sentences
                .iter()
                .filter_map(|&sentence| sequence_in(&steps, sentence))
                .map(|span| finding(rule, draft, span, rule.severity, general.clone()))
                .collect()
        }
        RuleKind::Conversation => conversation(rule, context, draft, general),
    }
}

/// The span from the first step's match to the last step's when every step matches in order
/// inside `sentence`, each after the one before; `steps` holds each step's matches in the text.
fn sequence_in(
    steps: &[Vec<(usize, usize)>],
    (start, end): (usize, usize),
) -> Option<(usize, usize)> {
    let mut at = start;
    let mut first_start = None;
    for matches in steps {
        let &(s, e) = matches.iter().find(|&&(s, e)| s >= at && e <= end)?;
        first_start.get_or_insert(s);
        at = e;
    }
    first_start.map(|s| (s, at))
}

/// The spans of shouting: runs of two or more capitalised words, and stacked `!`.
#[cfg(test)]
fn shouting(text: &str) -> Vec<(usize, usize)> {
    shouting_in(text, &words(text))
}

/// [`shouting`] on `text` whose words are `spans`.
fn shouting_in(text: &str, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let caps = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| !c.is_lowercase())
            && w.chars().any(char::is_uppercase)
    };
    let mut run: Vec<(usize, usize)> = Vec::new();
    let flush = |run: &mut Vec<(usize, usize)>, out: &mut Vec<(usize, usize)>| {
        let long = run.iter().any(|(s, e)| e - s >= 4);
        if run.len() >= 2 && long {
            out.push((run[0].0, run[run.len() - 1].1));
        }
        run.clear();
    };
    for &(s, e) in spans {
        if caps(&text[s..e]) {
            run.push((s, e));
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    let mut at = 0;
    while let Some(found) = text[at..].find("!!") {
        let start = at + found;
        let end = start + text[start..].chars().take_while(|c| *c == '!').count();
        out.push((start, end));
        at = end;
    }
    out.sort_unstable();
    out
}

/// The customer's feelings the coach fits its empathy to, each with the emotions that show it.
pub const FEELINGS: [(&str, &[&str]); 3] = [
    ("frustration", &["anger", "annoyance", "disapproval"]),
    ("worry", &["fear", "nervousness", "confusion"]),
    ("disappointment", &["disappointment", "sadness", "grief"]),
];

/// An opening that responds to `feeling`.
pub(crate) fn fitted_empathy(feeling: &str) -> Option<&'static str> {
    match feeling {
        "frustration" => Some("I understand how frustrating this must be."),
        "worry" => Some("I can see why this is worrying, and I want to put your mind at rest."),
        "disappointment" => Some("I can imagine how disappointing this is."),
        _ => None,
    }
}

/// The findings of a conversation check.
fn conversation(
    rule: &Rule,
    context: &Context,
    draft: &Draft,
    general: Vec<String>,
) -> Vec<Finding> {
    let reply = context.kind == DraftKind::Reply;
    let one =
        |span: (usize, usize)| vec![finding(rule, draft, span, rule.severity, general.clone())];
    match rule.id.as_str() {
        "tone.shouting" => shouting_in(draft.text, &draft.tokens.spans)
            .into_iter()
            .map(|span| finding(rule, draft, span, rule.severity, Vec::new()))
            .collect(),
        "correct.indirectly" => {
            let severity = if context.customer_fault {
                Severity::Error
            } else {
                rule.severity
            };
            draft
                .find(&rule.set)
                .iter()
                .map(|m| finding(rule, draft, (m.start, m.end), severity, general.clone()))
                .collect()
        }
        "apology.once" => {
            let skip = 1usize.saturating_sub(context.prior_apologies);
            draft
                .apologies
                .iter()
                .skip(skip)
                .map(|&span| finding(rule, draft, span, rule.severity, Vec::new()))
                .collect()
        }
        "apology.own_it"
            if reply
                && context.company_fault
                && context.prior_apologies == 0
                && draft.apologies.is_empty()
                && !draft.owned =>
        {
            one(draft.first_sentence)
        }
        "listen.acknowledge"
            if reply
                && context.has_customer
                && !context.issue_terms.is_empty()
                && draft.proposes_fix()
                && !draft.mentions_any_before(&context.issue_terms, draft.fix_sentence_end()) =>
        {
            one(draft
                .resolution
                .or(draft.promise)
                .unwrap_or(draft.first_sentence))
        }
        "empathy.reactions" if reply && context.upset && draft.reactions == 0 => {
            let fitted = context
                .emotion
                .and_then(fitted_empathy)
                .map(|s| vec![s.to_owned()]);
            vec![finding(
                rule,
                draft,
                draft.first_sentence,
                rule.severity,
                fitted.unwrap_or(general),
            )]
        }
        "root_cause.ask" if reply && context.has_customer && draft.resolution.is_none() => {
            root_cause(rule, context, draft)
        }
        "resolve.options" if reply && !draft.options && !draft.gives_what_was_asked(context) => {
            draft.resolution.map(one).unwrap_or_default()
        }
        "resolve.timeline" if reply && !draft.timeline && !draft.waits_on_customer() => {
            draft.promise.map(one).unwrap_or_default()
        }
        "resolve.satisfaction" if reply && !draft.satisfaction => {
            draft.resolution.map(one).unwrap_or_default()
        }
        "boundary.abuse" if reply && context.abusive && !(draft.boundary && draft.escalation) => {
            one(draft.first_sentence)
        }
        _ => Vec::new(),
    }
}

/// The finding of `root_cause.ask`: the facts still missing, when the draft asks for none of
/// them, asks no other question and no one to send details (a draft asking something else is
/// already finding out more), tells the customer nothing they can do themselves (it answers
/// rather than investigates) and proposes no resolution.
fn root_cause(rule: &Rule, context: &Context, draft: &Draft) -> Vec<Finding> {
    let missing = &context.missing;
    let all_questions: Vec<(usize, usize)> = draft
        .sentences
        .iter()
        .copied()
        .filter(|&(s, e)| draft.text[s..e].ends_with('?'))
        .collect();
    if missing.is_empty()
        || !draft.questions.is_empty()
        || !draft.requests.is_empty()
        || draft.guidance
        || !asked(missing, draft, &all_questions).is_empty()
    {
        return Vec::new();
    }
    // Without the order number nothing can be looked up. The other facts matter once the draft
    // commits to act, unless it leaves the choice of what happens to the customer.
    let order_missing = missing.contains(&Missing::OrderNumber);
    if !order_missing && (draft.promise.is_none() || draft.options) {
        return Vec::new();
    }
    let mut found = finding(
        rule,
        draft,
        draft.first_sentence,
        rule.severity,
        missing.iter().map(|m| m.question().to_owned()).collect(),
    );
    found.message = rule.message.replace("{missing}", &names(missing));
    vec![found]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_trimmed_and_keep_their_punctuation() {
        let text = "Hi there. Could you help?! Thanks";
        let found: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["Hi there.", "Could you help?!", "Thanks"]);
    }

    #[test]
    fn non_apologies_are_not_counted_as_apologies() {
        assert_eq!(apologies("Sorry for any inconvenience.").len(), 0);
        assert_eq!(apologies("I'm sorry. Sorry again.").len(), 2);
    }

    #[test]
    fn a_rewrite_takes_the_case_of_what_it_replaces_but_i_and_capitals_stay() {
        assert_eq!(
            match_case("We can't", "what we can do is"),
            "What we can do is"
        );
        assert_eq!(
            match_case("we can't", "What we can do is"),
            "what we can do is"
        );
        assert_eq!(
            match_case("apologize for any inconvenience", "I'm sorry this happened"),
            "I'm sorry this happened"
        );
        assert_eq!(match_case("the courier", "UPS"), "UPS");
        assert_eq!(match_case("x", ""), "");
    }

    #[test]
    fn shouting_is_a_run_of_capitals_or_stacked_exclamation_marks() {
        let text = "READ THIS now, the UPS box!!";
        let found: Vec<&str> = shouting(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["READ THIS", "!!"]);
    }
}
