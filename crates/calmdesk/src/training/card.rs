//! Model cards: what each shipped model was trained on, how, and how well it scores.

use std::fmt::Write;

use calmdesk_core::model::LinearModel;
use calmdesk_core::text::features::FeatureConfig;

/// The notes `calmdesk train` records on every model, in card order.
pub const CARD_NOTES: &[(&str, &str)] = &[
    ("version", "version"),
    ("source", "data"),
    ("licence", "licence (as stated by the source)"),
    ("split", "validation split"),
    ("train_rows", "training rows"),
    ("valid_rows", "validation rows"),
    ("command", "training command"),
    ("blend", "blended with the other models"),
    ("stage", "second stage"),
    ("calibration", "calibration"),
    ("figures", "validation figures"),
];

/// The Markdown model card of every model, in order.
pub fn render(models: &[LinearModel]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Model cards\n\nThe models calmdesk ships, written by `calmdesk train` (this file \
         too). Each is a linear model over hashed word and character n-grams, stored with 16-bit \
         weights and embedded in the binary; `--models DIR` loads others. Only weights ship, \
         never the data.\n"
    );
    for model in models {
        let _ = writeln!(out, "## {}\n", model.name);
        let _ = writeln!(
            out,
            "- outputs: {} ({})",
            model.labels.join(", "),
            match model.kind {
                calmdesk_core::model::ModelKind::Binary => "yes/no: probability of the second",
                calmdesk_core::model::ModelKind::MultiClass =>
                    "one of many: probabilities sum to 1",
                calmdesk_core::model::ModelKind::MultiLabel => "any of: one probability each",
            }
        );
        let _ = writeln!(
            out,
            "- features: word 1-{}-grams and character {}-{}-grams inside words, hashed into 2^{} buckets{}",
            model.features.word_ngrams,
            model.features.char_min,
            model.features.char_max,
            model.buckets_log2,
            extra_features(&model.features)
        );
        for (key, title) in CARD_NOTES {
            if let Some(value) = model.note(key) {
                let _ = writeln!(out, "- {title}: {value}");
            }
        }
        out.push('\n');
    }
    out
}

/// What a model reads beyond its n-grams, for its card: each part opening with "; ".
fn extra_features(features: &FeatureConfig) -> String {
    let parts = [
        (
            features.cues,
            "cues of the text's shape (length, sentences, questions and how they open, shares \
             of \"you\" and \"I\", exclamation)",
        ),
        (
            features.strategies,
            "politeness strategies (gratitude, apologies, please, greetings and deference \
             opening a sentence, hedges, factuality, \"could you\" against \"can you\", direct \
             questions and starts, first and second person, words of positive and negative \
             feeling)",
        ),
        (
            features.negation,
            "negated words (up to three words after \"not\", \"never\", \"no\", a word ending \
             in \"n't\" and the like, within the clause)",
        ),
        (
            features.valence,
            "valence (how positive or negative the words are by the VADER lexicon's ratings, \
             with negations, intensifiers, capitals, \"but\" and exclamation marks)",
        ),
        (
            features.abuse,
            "what the abuse rules find (swearing, twice or more, insults, threats, abuse aimed \
             at the agent)",
        ),
    ];
    parts
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, text)| format!("; {text}"))
        .collect()
}
