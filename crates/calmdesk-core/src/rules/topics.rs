//! Topics: the words a request for each Bitext intent is about. A refund is asked for with a
//! word for money coming back, a password reset with a word for signing in, an invoice with a
//! word for a bill. The intent model learns Bitext's requests, and on customers' own messages it
//! also fires on what only sounds like them: "please help" reads as tracking an order and "I
//! have a question" as recovering a password. The Reading keeps a Bitext intent at 0.5 or above
//! only where the message names its topic, and that word is the intent's evidence.
//!
//! A topic word is a whole word or a stem (written with a trailing `*`) that a word starts with.
//! A word or stem of six letters or more also counts with one letter wrong, missing, added or
//! two swapped ("pasword", "acount", "reciept"; not "older" for "order"), as customers type in a hurry. Handles, links and
//! e-mail addresses name no topic: "@AppleSupport" asks for no customer service.

use super::words::Tokens;
use crate::span::Evidence;

const ORDER: &str = "order* purchas* item* package* parcel* deliver* shipment* product* goods";
const MONEY_BACK: &str = "refund* reimburs* money compensat* rebate* restitution*";
const ACCOUNT: &str = "account* profile* user users";
const ADDRESS: &str = "address* addres* adress*";
const INVOICE: &str = "invoic* bill bills billing receipt*";

/// The topic words of one Bitext intent, in groups, and the rule id of its evidence.
#[derive(Debug)]
pub struct Topic {
    pub intent: &'static str,
    rule: &'static str,
    groups: &'static [&'static str],
}

/// A [`Topic`] whose rule id is `intent.topic.` and the intent's name.
macro_rules! topic {
    ($intent:literal, [$($group:expr),+ $(,)?]) => {
        Topic {
            intent: $intent,
            rule: concat!("intent.topic.", $intent),
            groups: &[$($group),+],
        }
    };
}

/// Each Bitext intent's topic.
const TOPICS: &[Topic] = &[
    topic!("cancel_order", ["cancel* afford*"]),
    topic!("change_order", ["chang* modif* edit edits editing edited updat* add adding remov* replac* swap* substitut* correct* fix* alter*", ORDER]),
    topic!("change_shipping_address", [ADDRESS]),
    topic!("check_cancellation_fee", ["fee fees charge* penalt* cost*"]),
    topic!("check_invoice", [INVOICE]),
    topic!("check_payment_methods", ["pay* card cards method* option* modalit*"]),
    topic!("check_refund_policy", [MONEY_BACK, "polic*"]),
    topic!("complaint", ["complain* claim* reclamation* dissatisf* unhappy problem* issue*"]),
    topic!("contact_customer_service", ["contact* reach* call* phone* speak* talk* chat* email* e-mail mail number hour* touch hotline helpline availab* open*"]),
    topic!("contact_human_agent", ["human* person* agent* representative* reps operator* someone somebody people staff employee* assistant*"]),
    topic!("create_account", [ACCOUNT, "regist* open* sign signing signup creat*"]),
    topic!("delete_account", [ACCOUNT]),
    topic!("delivery_options", ["order ordering deliver* ship ships shipped shipping shipment* postage courier* option* method*"]),
    topic!("delivery_period", ["arriv* deliver* ship ships shipped shipping shipment* eta when long soon expect*"]),
    topic!("edit_account", [ACCOUNT, "detail* information info data"]),
    topic!("get_invoice", [INVOICE]),
    topic!("get_refund", [MONEY_BACK]),
    topic!("newsletter_subscription", ["newsl* subscri* mailing email emails"]),
    topic!("payment_issue", ["pay* card cards charg* transaction* declin* bill bills billing"]),
    topic!("place_order", [ORDER, "buy buying bought shop shopping acquir* earn"]),
    topic!("recover_password", ["password* passw* pwd passcode* pin login* log logged logging signin sign signing locked lock pass key recover* restor* retriev* hack*"]),
    topic!("registration_problems", [ACCOUNT, "regist* signup sign signing"]),
    topic!("review", ["review* feedback opinion* rate rating* comment* suggest*"]),
    topic!("set_up_shipping_address", [ADDRESS]),
    topic!("switch_account", [ACCOUNT]),
    topic!("track_order", [ORDER, "track*"]),
    topic!("track_refund", [MONEY_BACK]),
];

/// The topic of `intent`, or `None` for an intent with no topic words (the rule intents).
pub fn topic_of(intent: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|topic| topic.intent == intent)
}

/// The first word of `tokens` that names the topic of `intent`, as evidence, or `None` where
/// none does (or the intent has no topic words).
pub fn topic_evidence(tokens: &Tokens, intent: &str) -> Option<Evidence> {
    topic_of(intent)?.evidence_in(tokens)
}

impl Topic {
    /// The first word of `tokens` that names this topic, as evidence.
    pub fn evidence_in(&self, tokens: &Tokens) -> Option<Evidence> {
        (0..tokens.len())
            .filter(|&i| !tokens.is_handle(i) && !in_link_or_address(tokens, i))
            .find(|&i| {
                let word = tokens.folded(i);
                self.groups
                    .iter()
                    .flat_map(|group| group.split_whitespace())
                    .any(|topic| names(word, topic))
            })
            .map(|i| Evidence::of(tokens.text, tokens.start(i), tokens.end(i), self.rule))
    }
}

/// Whether word `index` is part of a link or an e-mail address: the run of text without
/// whitespace around it starts with "http" or "www.", or holds an "@" after its start.
fn in_link_or_address(tokens: &Tokens, index: usize) -> bool {
    let text = tokens.text;
    let (start, end) = (tokens.start(index), tokens.end(index));
    let from = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let to = text[end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| end + i);
    let run = &text[from..to];
    run.starts_with("http") || run.starts_with("www.") || run.chars().skip(1).any(|c| c == '@')
}

/// The length from which a topic word may be mistyped: shorter words are too near others.
const SLIP_FROM: usize = 6;

/// Whether the folded `word` names `topic`: a whole word, or a stem ending in `*` that the word
/// starts with; from six letters on, with one slip of the keyboard.
fn names(word: &str, topic: &str) -> bool {
    match topic.strip_suffix('*') {
        Some(stem) => {
            word.starts_with(stem)
                || stem.len() >= SLIP_FROM
                    && (stem.len() - 1..=stem.len() + 1)
                        .filter_map(|n| word.get(..n))
                        .any(|prefix| one_slip(prefix, stem))
        }
        None => word == topic || topic.len() >= SLIP_FROM && one_slip(word, topic),
    }
}

/// Whether `a` is `b` with at most one letter changed, added or dropped, or two neighbours
/// swapped.
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (rest_a, rest_b) = (&a[same..], &b[same..]);
    match (rest_a.len(), rest_b.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            rest_a[1..] == rest_b[1..]
                || x >= 2
                    && rest_a[0] == rest_b[1]
                    && rest_a[1] == rest_b[0]
                    && rest_a[2..] == rest_b[2..]
        }
        (x, y) if x > y => rest_a[1..] == *rest_b,
        _ => *rest_a == rest_b[1..],
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::{assert_valid_evidence, strip_markers};

    /// Checks that the topic evidence of `intent` in the marked text is the marked span, or
    /// that there is none where nothing is marked.
    fn check(intent: &str, marked: &str) {
        let (text, spans) = strip_markers(marked);
        let found = topic_evidence(&Tokens::new(&text), intent);
        let found = found.map(|e| {
            assert_eq!(e.rule, format!("intent.topic.{intent}"));
            (e.start, e.end)
        });
        assert_eq!(found, spans.first().copied(), "{intent}: {marked}");
    }

    #[test]
    fn a_request_names_its_topic() {
        let cases = [
            ("get_refund", "I want my [[money]] back"),
            ("get_refund", "Can I get the $35 [[refunded]] for the seat?"),
            ("get_refund", "[[reimbvurse]] 1200 dollars"),
            ("track_refund", "I'm waiting for a [[comensation]] of $160"),
            ("track_order", "Where is my [[order]]?"),
            ("recover_password", "I forgot my [[pasword]]"),
            ("recover_password", "I can't [[log]] in"),
            ("cancel_order", "please [[cancelo]] purchase 370795561790"),
            ("change_shipping_address", "update the delivery [[adress]]"),
            ("contact_human_agent", "let me talk to a real [[person]]"),
            ("check_invoice", "where is my [[reciept]]?"),
            ("delivery_options", "do you [[ship]] to Toronto?"),
            ("review", "I'd like to leave some [[feedback]]"),
            (
                "contact_customer_service",
                "at what time is customer service [[available]]?",
            ),
            (
                "cancel_order",
                "I can no longer [[afford]] purchase 00123842",
            ),
            ("switch_account", "switch to the gold [[accoount]]"),
            ("get_refund", "“As promised” £4 [[refund]]… ‘accidentally’"),
        ];
        for (intent, marked) in cases {
            check(intent, marked);
        }
    }

    #[test]
    fn a_message_without_the_topic_has_no_evidence() {
        let cases = [
            ("track_order", "@AskPlayStation please help"),
            ("recover_password", "I have a question"),
            ("recover_password", "Tf is wrong with my keyboard"),
            ("contact_customer_service", "@AppleSupport hello?"),
            (
                "contact_customer_service",
                "@sprintcare is the worst customer service",
            ),
            (
                "contact_customer_service",
                "see https://support.example.com/help",
            ),
            (
                "newsletter_subscription",
                "write to me at help.mail@example.com",
            ),
            ("get_refund", "@Delta 0062395415777"),
            (
                "get_invoice",
                "I trying to download Qurare but it says page not found",
            ),
            (
                "review",
                "thank you for helping me get all of my services back",
            ),
            ("place_order", "Can I get help already??"),
            ("track_order", "my older brother"),
            (
                "change_order",
                "Star Wars Battlefront 2 Elite Trooper Deluxe Edition",
            ),
            ("payment_issue", "the cardboard box was soaked"),
            ("speak_to_manager", "get me your manager"),
        ];
        for (intent, marked) in cases {
            check(intent, marked);
        }
    }

    #[test]
    fn the_first_naming_word_is_the_evidence() {
        check(
            "track_order",
            "@AmazonHelp my [[parcel]] and my order are late",
        );
    }

    #[test]
    fn one_slip_allows_one_edit_or_one_swap() {
        for (a, b, expected) in [
            ("account", "account", true),
            ("acount", "account", true),
            ("accoumt", "account", true),
            ("acocunt", "account", true),
            ("accounts", "account", true),
            ("cacount", "account", true),
            ("cacont", "account", false),
            ("acct", "account", false),
            ("refudn", "refund", true),
            ("refnd", "refund", true),
            ("rfnd", "refund", false),
        ] {
            assert_eq!(one_slip(a, b), expected, "{a} against {b}");
        }
    }

    #[test]
    fn every_topic_word_is_folded_and_every_intent_listed_once() {
        let mut names: Vec<&str> = TOPICS.iter().map(|topic| topic.intent).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TOPICS.len());
        assert_eq!(TOPICS.len(), 27);
        for Topic {
            intent: name,
            rule,
            groups,
        } in TOPICS
        {
            assert_eq!(*rule, format!("intent.topic.{name}"));
            assert!(topic_of(name).is_some());
            for word in groups.iter().flat_map(|g| g.split_whitespace()) {
                assert_eq!(word, word.to_lowercase(), "{name}: {word}");
                assert!(word.trim_end_matches('*').len() >= 2, "{name}: {word}");
            }
        }
        assert!(topic_of("speak_to_manager").is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        // Words, handles, links and addresses of any characters: the evidence always lies on
        // the text's character boundaries and quotes it.
        #[test]
        fn any_text_gives_sound_topic_evidence(
            text in "([@#“‘£é😀]?(refund|pässwörd|acount|order|www\\.x|https://y|a@b\\.c|\\PC{0,8})[ ,.!?]{0,2}){0,12}"
        ) {
            let tokens = Tokens::new(&text);
            for topic in TOPICS {
                let found: Vec<Evidence> = topic_evidence(&tokens, topic.intent).into_iter().collect();
                assert_valid_evidence(&text, &found);
            }
        }
    }
}
