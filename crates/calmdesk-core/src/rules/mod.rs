//! Exact rules: the part of reading a customer's message that hand-written rules do reliably.
//!
//! Each module reads one thing and points at the words that told it, as [`Evidence`] with byte
//! offsets into the original message:
//!
//! - [`words`]: the tokenizer and phrase matcher the other rules share;
//! - [`facts`]: order numbers, money, dates, durations, contact counts, products, e-mails, phones;
//! - [`fault`]: whose mistake the customer describes;
//! - [`abuse`]: profanity, insults aimed at the agent, threats of harm, shouting;
//! - [`phrases`]: asking for a manager, legal and public threats, leaving us, sarcasm;
//! - [`complaint_core`]: the message with the abuse aimed at the agent set aside;
//! - [`topics`]: the words a request for each Bitext intent is about, which the Reading asks for
//!   before it keeps the intent model's judgement.
//!
//! Every function here is pure and deterministic, and none panics on any input.

pub mod abuse;
pub mod complaint_core;
pub mod facts;
pub mod fault;
pub mod phrases;
pub mod topics;
pub mod words;

use serde::Serialize;

pub use abuse::{detect_abuse, AbuseRules};
pub use complaint_core::{complaint_core, ComplaintCore};
pub use facts::{extract_facts, Fact, FactKind};
pub use fault::{detect_fault, Fault, FaultReason, FaultSide};
pub use phrases::{detect_intents, PhraseIntent};
pub use words::{find_phrases, words, PhraseSet};

#[cfg(doc)]
use crate::span::Evidence;

/// Everything the exact rules find in one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFindings {
    pub facts: Vec<Fact>,
    pub fault: Fault,
    pub abuse: AbuseRules,
    pub intents: Vec<PhraseIntent>,
    /// The message with the insults and the swearing aimed at the agent set aside. Profanity in
    /// passing, such as "where is my damn parcel", stays: it is the customer's tone, not an
    /// attack.
    pub core: ComplaintCore,
}

/// Runs every exact rule on `text`.
pub fn apply_all(text: &str) -> RuleFindings {
    apply_all_in(&words::Tokens::new(text))
}

/// Every rule's findings in the message whose words are `tokens`.
pub fn apply_all_in(tokens: &words::Tokens) -> RuleFindings {
    let abuse = abuse::detect_abuse_in(tokens);
    let core = complaint_core(tokens.text, &abuse.aimed_at_agent());
    RuleFindings {
        facts: facts::extract_facts_in(tokens),
        fault: fault::detect_fault_in(tokens),
        intents: phrases::detect_intents_in(tokens),
        abuse,
        core,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Evidence;
    use crate::testing::assert_valid_evidence;

    /// All the evidence in a set of findings.
    fn all_evidence(findings: &RuleFindings) -> Vec<Evidence> {
        let mut evidence: Vec<Evidence> =
            findings.facts.iter().map(|f| f.evidence.clone()).collect();
        evidence.extend(findings.fault.reasons.iter().map(|r| r.evidence.clone()));
        evidence.extend(findings.abuse.profanity.iter().cloned());
        evidence.extend(findings.abuse.insults.iter().cloned());
        evidence.extend(findings.abuse.threats.iter().cloned());
        evidence.extend(findings.abuse.shouting.iter().cloned());
        evidence.extend(findings.intents.iter().map(|i| i.evidence.clone()));
        evidence
    }

    /// Messy inputs that every rule must survive.
    fn messy_inputs() -> Vec<String> {
        let mut inputs: Vec<String> = [
            "",
            " ",
            "😡😡😡",
            "<p>Hi&nbsp;there</p>",
            "Привет мир ĞÜŞ",
            "\u{301}\u{301}a\u{301} \u{20DD}",
            "’'’ don’t '",
            "#",
            "$",
            "€",
            "£1,",
            "1,",
            "order #",
            "@",
            "a@b.",
            "+",
            "(",
            "f**",
            "!!!???!!!",
            "YOU ARE ALL IDIOTS!!! ФЫВА ЖЖЖ ЭЭЭ",
            "you, idiot, you",
            ", idiot",
            "idiot",
            "you",
            "3rd time",
            "2026-13-45 99/99/9999 1.2.3",
            "\u{0}\u{7f}\u{feff}\t\r\n",
            "İstanbul’da ÇOK KÖTÜ BİR HİZMET",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let unit = "Where is my order #A10234, you useless idiot?! I paid $129.00 on 3 May 😡, \
                    called 5 times, my blue rain jacket arrived torn. I'll sue. WHY IS THIS SO HARD!!! ";
        inputs.push(unit.repeat(100_000 / unit.len() + 1));
        inputs.push("é".repeat(50_000));
        inputs.push("12 34 ".repeat(17_000));
        inputs.push("a@".repeat(50_000));
        inputs
    }

    #[test]
    fn every_rule_survives_messy_input_with_valid_spans() {
        for text in messy_inputs() {
            let findings = apply_all(&text);
            assert_valid_evidence(&text, &all_evidence(&findings));
            for span in &findings.core.removed {
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                assert_eq!(text[span.start..span.end], span.text);
            }
            for (start, end) in words(&text) {
                assert!(text.is_char_boundary(start) && text.is_char_boundary(end) && start < end);
            }
            for (start, end, _) in find_phrases(&text, &["you", "don't", "great, just great", "*"])
            {
                assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            }
        }
    }

    #[test]
    fn every_rule_survives_generated_noise_with_valid_spans() {
        // A fixed linear congruential sequence makes the same thousands of strings every run.
        let pieces = [
            "you", " ", "  ", "idiot", ",", ".", "!", "?", "’", "'", "\u{301}", "😡", "é", "Ж",
            "$", "€", "£", "#", "@", "*", "f", "k", "1", "23", "-", "/", "(", ")", "\n", "May",
            "3rd", "order", "time", "times", "called", "a", "the", "my", "arrived", "broken",
            "not", "USD", "YOU", "hell", "sh", "0", "+", "ago", "weeks", "for", "and",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3_000 {
            let mut text = String::new();
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let length = (state >> 58) as usize;
            for _ in 0..length {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            let findings = apply_all(&text);
            assert_valid_evidence(&text, &all_evidence(&findings));
            for span in &findings.core.removed {
                assert_eq!(text[span.start..span.end], span.text, "core of {text:?}");
            }
        }
    }

    #[test]
    fn apply_all_sets_aside_only_what_is_aimed_at_the_agent() {
        let findings = apply_all("Where is my damn parcel, you useless idiot? I paid $50!");
        assert_eq!(findings.core.text, "Where is my damn parcel? I paid $50!");
        assert!(findings.abuse.targets_agent);
        assert_eq!(findings.fault.side, FaultSide::Company);
        assert_eq!(findings.facts.len(), 1);
    }

    #[test]
    fn apply_all_reads_a_whole_complaint() {
        let text =
            "This is the third time I'm writing! Order #A10234 was supposed to arrive on Monday. \
                    Fuck you, I want to speak to a manager or I will sue.";
        let findings = apply_all(text);
        let kinds: Vec<FactKind> = findings.facts.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FactKind::ContactCount,
                FactKind::OrderNumber,
                FactKind::Date
            ]
        );
        let intents: Vec<&str> = findings.intents.iter().map(|i| i.intent).collect();
        assert_eq!(intents, ["speak_to_manager", "legal_threat"]);
        assert_eq!(findings.fault.reasons[0].reason, "late_delivery");
        assert_eq!(
            findings.core.text,
            "This is the third time I'm writing! Order #A10234 was supposed to arrive on Monday. \
             I want to speak to a manager or I will sue."
        );
    }
}
