//! The abuse rules' findings as features, for a model that learns what abuse looks like: the
//! rules know swear words, masked ones ("f**k") and insults from curated lists, which hashed
//! n-grams only learn word by word from the rows they see.

use std::sync::OnceLock;

use super::features::{named_features, named_hash, Feature};
use crate::rules::abuse::{detect_abuse, AbuseRules};

/// How much a finding counts against the unit-length n-grams.
pub const ABUSE_WEIGHT: f32 = 1.0;

/// The names of the features, in the order of [`hashes`].
pub const NAMES: [&str; 5] = [
    "profanity",
    "profanity_twice",
    "insult",
    "threat",
    "at_agent",
];

/// The hashes of the features, in the order of [`NAMES`], made once.
fn hashes() -> [u32; 5] {
    static HASHES: OnceLock<[u32; 5]> = OnceLock::new();
    *HASHES.get_or_init(|| NAMES.map(|name| named_hash(0xab05, b"abuse:", name)))
}

/// The abuse-rule features of `text`, sorted by hash.
pub fn abuse_cues(text: &str) -> Vec<Feature> {
    from_findings(&detect_abuse(text))
}

/// The abuse-rule features of a text whose abuse rules found `found`, sorted by hash: for a
/// caller that has run the rules on that very text already.
pub fn from_findings(found: &AbuseRules) -> Vec<Feature> {
    let on = [
        !found.profanity.is_empty(),
        found.profanity.len() >= 2,
        !found.insults.is_empty(),
        !found.threats.is_empty(),
        found.targets_agent,
    ];
    named_features(hashes(), on.map(|on| if on { ABUSE_WEIGHT } else { 0.0 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swearing_and_insults_are_features_and_a_plain_message_has_none() {
        assert!(abuse_cues("Where is my parcel? It was due on Monday.").is_empty());
        assert_eq!(abuse_cues("where is my damn parcel").len(), 1);
        assert!(abuse_cues("you are a useless idiot").len() >= 2);
    }
}
