//! Phrase intents: what the customer says they will do or want, in words exact enough that a
//! rule should find them every time: asking for a manager, threatening legal action or public
//! shaming, leaving us, and the stock phrases of sarcasm.
//!
//! A customer who says they do not want a manager, or are not leaving, has not asked for one or
//! left, so those two intents are cancelled by a negation just before them. Legal and public
//! threats are not: "I don't want to take legal action, but..." is still a threat.

use std::sync::OnceLock;

use serde::Serialize;

use super::words::{is_negation, negated_before, non_overlapping, PhraseSet, Tokens};
use crate::span::Evidence;

/// One intent found in a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhraseIntent {
    /// The intent's name, such as `legal_threat`.
    pub intent: &'static str,
    #[serde(flatten)]
    pub evidence: Evidence,
}

const SPEAK_TO_MANAGER: &[&str] = &[
    "speak|talk|speaking|talking to|with a|the|your manager|supervisor|superior|boss|manager's",
    "speak|talk|speaking|talking to|with someone|somebody|anyone|anybody in charge",
    "speak|talk|speaking|talking to|with someone|somebody senior|higher",
    "contact|touch with someone|somebody higher|senior",
    "speak|talk|speaking|talking to|with the person in charge",
    "get|put|give|fetch|bring me|us a|the|your manager|supervisor|boss",
    "get|fetch your|a|the manager|supervisor|boss",
    "i want|need|demand|request a|the|your manager|supervisor",
    "put me through to a|the|your manager|supervisor",
    "escalate this|it",
    "escalate my|the|this complaint|case|issue|matter|ticket|problem",
    "want|need this|it escalated",
    "who is your manager|supervisor|boss",
    "manager|supervisor now|please|immediately",
    "speak|talk|speaking|talking to|with corporate|headquarters",
    "speak|talk|speaking|talking to|with someone|somebody in|at corporate|headquarters",
    "get|need|want corporate involved",
];

const LEGAL_THREAT: &[&str] = &[
    "my lawyer|lawyers|solicitor|solicitors|attorney|attorneys",
    "i will sue",
    "i'll|ill sue",
    "i'm|im going to sue",
    "i am going to sue",
    "i'm|im gonna sue",
    "sue you|your|the|this",
    "see you in court",
    "legal action|proceedings|advice|team",
    "small claims",
    "attorney",
    "trading standards",
    "consumer protection|rights|ombudsman|council",
    "ombudsman",
    "chargeback|chargebacks",
    "charge back",
    "dispute the charge|payment|transaction",
    "report you to the bbb|ftc|cma|ombudsman|authorities|regulator",
    "better business bureau",
    "bbb",
    "attorney general",
    "file|filing|lodge|lodging|make|making a complaint with the ftc|fcc|cfpb|regulator|ombudsman",
];

const PUBLIC_THREAT: &[&str] = &[
    "post|posting|put|putting|share|sharing this|it|everything on|all twitter|facebook|instagram|tiktok|reddit|youtube|x|linkedin|trustpilot|yelp|online",
    "post|posting|put|putting|share|sharing this|it on social media",
    "post|posting|put|putting|share|sharing this|it all over social|twitter|facebook|instagram|tiktok|reddit|the",
    "leave|leaving|give|giving|write|writing|post|posting a|an 1|one|zero star review|rating",
    "leave|leaving|give|giving|write|writing|post|posting a|an bad|negative|terrible|scathing|awful|honest|horrible|damning review|reviews",
    "leave|leaving|give|giving|write|writing you a|an 1|one|zero star review|rating",
    "i'll|ill leave|write|post|give a|some review|reviews",
    "i will leave|write|post|give a|some review|reviews",
    "i'm|im gonna leave|write|post|give a|some review|reviews",
    "i'm|im going to leave|write|post|give a|some review|reviews",
    "i am going to leave|write|post|give a|some review|reviews",
    "post|posting|share|sharing|put|putting this|it everywhere",
    "post|posting|share|sharing|tweet|tweeting about this|it|you everywhere|online",
    "post|posting|tweet|tweeting|write|writing|complain|complaining about this|it|you on twitter|facebook|instagram|tiktok|reddit|youtube|x|linkedin|trustpilot|yelp|google|social",
    "post|posting|share|sharing|tweeting everywhere",
    "review you on trustpilot|google|yelp|amazon",
    "tell everyone|everybody",
    "tell all my friends",
    "contact|call|tell|alert the press|news|media|papers|newspapers|bbc|watchdog",
    "go|going|went to the press|news|media|papers|newspapers|bbc|watchdog",
    "contact|call|tell the local news|paper|press",
    "go|goes|going viral",
    "expose you|your",
    "warn other|others customers|people|buyers",
    "warn others",
];

const CANCEL_RELATIONSHIP: &[&str] = &[
    "i'm|im switching to",
    "i am switching to",
    "i'll|ill switch to",
    "i will switch to",
    "i'm|im going to switch to",
    "switching to a|another competitor|provider|company|supplier",
    "switching providers|companies|suppliers|banks",
    "taking|take|taken my business elsewhere",
    "never * from|with|at you|here again",
    "never * anything from|with you again",
    "never * you again",
    "never fly|flying|order|ordering|buy|buying|shop|shopping|use|using|book|booking|stay|staying * again",
    "never fly|flying|order|ordering|buy|buying|shop|shopping|use|using|book|booking|stay|staying with|from|at * again",
    "not|never going back ever|again",
    "lost me as a|your customer",
    "won't|wont renew",
    "won't|wont be renewing",
    "will not renew",
    "will not be renewing",
    "will not be renewed|renewing with",
    "won't|wont be renewed|renewing with",
    "won't|wont be ordering|buying|shopping|using from|with|here|you again",
    "cancel|cancelling|canceling|close|closing|terminate|terminating my|our account|membership|subscription|contract|plan",
    "going|go|moving|move to a|your competitor|competitors",
    "done with you|your",
    "lost a customer",
    "lost this|another|a * customer",
    "you've|youve|you have lost a|my customer|business|custom",
    "last time i order|shop|buy|use",
    "leaving|leave you for",
    "never again",
    "or i'm|im leaving",
    "or i am leaving",
    "or i'll|ill leave",
    "or i will leave",
];

const SARCASM_CUES: &[&str] = &[
    "great, just great",
    "great. just great",
    "thanks for nothing",
    "thank you for nothing",
    "oh wonderful|great|fantastic|brilliant|perfect|lovely|marvellous|marvelous|good|joy|super",
    "yeah right",
    "yeah sure",
    "what a surprise|shock",
    "surprise surprise",
    "just what i needed|wanted",
    "love waiting",
    "i love waiting|being",
    "so|very|really|super helpful (not",
    "so|very|really helpful, not",
    "wow thanks|great",
    "wow, thanks|great",
    "real helpful",
    "well done, genius|guys",
];

/// Every list of phrases, with its intent, rule id and whether a negation cancels it.
const INTENT_LISTS: &[(&str, &str, bool, &[&str])] = &[
    (
        "speak_to_manager",
        "intent.speak_to_manager",
        true,
        SPEAK_TO_MANAGER,
    ),
    ("legal_threat", "intent.legal_threat", false, LEGAL_THREAT),
    (
        "public_threat",
        "intent.public_threat",
        false,
        PUBLIC_THREAT,
    ),
    (
        "cancel_relationship",
        "intent.cancel_relationship",
        true,
        CANCEL_RELATIONSHIP,
    ),
    ("sarcasm_cue", "intent.sarcasm_cue", false, SARCASM_CUES),
];

/// What one compiled phrase stands for.
#[derive(Debug, Clone, Copy)]
struct IntentInfo {
    intent: &'static str,
    rule: &'static str,
    negatable: bool,
}

fn compiled() -> &'static (PhraseSet, Vec<IntentInfo>) {
    static SET: OnceLock<(PhraseSet, Vec<IntentInfo>)> = OnceLock::new();
    SET.get_or_init(|| {
        let mut phrases = Vec::new();
        let mut info = Vec::new();
        for &(intent, rule, negatable, list) in INTENT_LISTS {
            for phrase in list {
                let holds_negation = phrase
                    .split(|c: char| c.is_whitespace() || c == '|')
                    .any(is_negation);
                phrases.push(*phrase);
                info.push(IntentInfo {
                    intent,
                    rule,
                    negatable: negatable && !holds_negation,
                });
            }
        }
        (PhraseSet::new(&phrases), info)
    })
}

/// The intents of `text`, by position.
pub fn detect_intents(text: &str) -> Vec<PhraseIntent> {
    detect_intents_in(&Tokens::new(text))
}

/// The intents of the message whose words are `tokens`, by position.
pub fn detect_intents_in(tokens: &Tokens) -> Vec<PhraseIntent> {
    let text = tokens.text;
    let (phrases, info) = compiled();
    let kept = phrases
        .find_all_in(tokens)
        .into_iter()
        .filter(|found| {
            info.get(found.phrase)
                .is_some_and(|i| !(i.negatable && negated_before(tokens, found.first_word, 3)))
        })
        .collect();
    non_overlapping(kept)
        .into_iter()
        .filter_map(|found| {
            let i = info.get(found.phrase)?;
            Some(PhraseIntent {
                intent: i.intent,
                evidence: Evidence::of(text, found.start, found.end, i.rule),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_valid_evidence, strip_markers};

    /// Checks that the intents found in the marked text are exactly the marked spans, with
    /// these intent names in order.
    fn check(marked: &str, intents: &[&str]) {
        let (text, spans) = strip_markers(marked);
        let found = detect_intents(&text);
        let evidence: Vec<Evidence> = found.iter().map(|f| f.evidence.clone()).collect();
        assert_valid_evidence(&text, &evidence);
        let found: Vec<(usize, usize, &str)> = found
            .iter()
            .map(|f| (f.evidence.start, f.evidence.end, f.intent))
            .collect();
        let wanted: Vec<(usize, usize, &str)> = spans
            .iter()
            .zip(intents)
            .map(|(&(start, end), &intent)| (start, end, intent))
            .collect();
        assert_eq!(
            spans.len(),
            intents.len(),
            "markers and intents of {marked:?}"
        );
        assert_eq!(found, wanted, "intents in {text:?}");
    }

    #[test]
    fn requests_for_a_manager_are_found() {
        check("let me [[speak to a manager]]", &["speak_to_manager"]);
        check("[[get me your supervisor]]", &["speak_to_manager"]);
        check(
            "I want to [[talk to someone in charge]]",
            &["speak_to_manager"],
        );
        check("please [[escalate this]]", &["speak_to_manager"]);
        check(
            "can I get in [[touch with someone higher]] up?",
            &["speak_to_manager"],
        );
        check(
            "put me in [[contact with somebody senior]]",
            &["speak_to_manager"],
        );
        check(
            "No resolution. [[Need corporate involved]].",
            &["speak_to_manager"],
        );
        check(
            "I want to [[talk to someone at corporate]]",
            &["speak_to_manager"],
        );
        check("I don't want to speak to a manager", &[]);
    }

    #[test]
    fn legal_threats_are_found() {
        check("I've called [[my lawyer]]", &["legal_threat"]);
        check("[[I will sue]]", &["legal_threat"]);
        check("[[I’ll sue]] you", &["legal_threat"]);
        check("I'm taking [[legal action]]", &["legal_threat"]);
        check("see you at [[small claims]] court", &["legal_threat"]);
        check("I'm calling [[trading standards]]", &["legal_threat"]);
        check("I'll do a [[chargeback]]", &["legal_threat"]);
        check("I don't want to take [[legal action]]", &["legal_threat"]);
        check(
            "I will [[file a complaint with the FTC]]",
            &["legal_threat"],
        );
        check("I'd like to file a complaint", &[]);
    }

    #[test]
    fn public_threats_are_found() {
        check("I'll [[post this on twitter]]", &["public_threat"]);
        check("I'll [[post this on social media]]", &["public_threat"]);
        check("I'm going to [[leave a 1-star review]]", &["public_threat"]);
        check("I will [[tell everyone]]", &["public_threat"]);
        check("I will [[contact the press]]", &["public_threat"]);
        check("this will [[go viral]]", &["public_threat"]);
        check("I read a 1-star hotel review once", &[]);
        check(
            "by Friday or [[I'll write a review]] about it",
            &["public_threat"],
        );
        check(
            "I'm going to the [[BBB]] and [[posting everywhere]]",
            &["legal_threat", "public_threat"],
        );
        // Asking how to leave a review is no threat.
        check("can you help me leave a review about a service?", &[]);
        check("I want to write a review for your products", &[]);
        check(
            "I will [[post about this on Twitter]] and leave a review.",
            &["public_threat"],
        );
    }

    #[test]
    fn leaving_us_is_found_unless_denied() {
        check("[[I'm switching to]] Acme", &["cancel_relationship"]);
        check(
            "I'm [[taking my business elsewhere]]",
            &["cancel_relationship"],
        );
        check(
            "I'm [[never ordering from you again]]",
            &["cancel_relationship"],
        );
        check("[[cancel my subscription]] now", &["cancel_relationship"]);
        check("I'm [[going to a competitor]]", &["cancel_relationship"]);
        check("I am [[done with you]]", &["cancel_relationship"]);
        check("I don't want to cancel my subscription", &[]);
        check(
            "Fix it [[or I'm leaving]] for Spotify.",
            &["cancel_relationship"],
        );
        check("I'm [[leaving you for]] Acme", &["cancel_relationship"]);
        check(
            "You guys are the worst. [[Never again]].",
            &["cancel_relationship"],
        );
        check("I hope this never happens again", &[]);
        for marked in [
            "[[Never flying Southwest again]]. #neverflywn",
            "I'm [[NEVER using Amazon again]]!",
            "I will [[never fly with them again]]",
            "Bad customer experience. [[Not going back ever]] again.",
            "@Tesco You've [[lost me as a customer]]",
            "[[Won't renew]] prime if this isn't fixed.",
            "my contract [[will not be renewed with]] you",
            "Bad business. [[Lost this military customer]]",
            "we [[won't be renewing with]] you next year",
        ] {
            check(marked, &["cancel_relationship"]);
        }
        check("I never order pizza on Mondays", &[]);
        check("I will renew my plan if you fix this", &[]);
        check(
            "I'm leaving for Paris tomorrow, can I change the address?",
            &[],
        );
    }

    #[test]
    fn stock_sarcasm_is_found() {
        check("[[Great, just great]].", &["sarcasm_cue"]);
        check("[[Thanks for nothing]]!", &["sarcasm_cue"]);
        check("[[Oh wonderful]], another delay", &["sarcasm_cue"]);
        check("[[yeah right]]", &["sarcasm_cue"]);
        check("[[What a surprise]], it's late", &["sarcasm_cue"]);
        check("[[just what I needed]]", &["sarcasm_cue"]);
        check("[[I love waiting]] on hold", &["sarcasm_cue"]);
        check("[[so helpful (not]])", &["sarcasm_cue"]);
    }
}
