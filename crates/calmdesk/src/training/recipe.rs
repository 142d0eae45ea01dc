//! How each task is trained: model kind, hash buckets and passes over the data.
//!
//! Every model the Reading uses shares one bucket count, so the Reading can fuse them into one
//! table with a row per bucket; the coach's empathy models, read separately, have fewer.

use calmdesk_core::model::train::TrainConfig;
use calmdesk_core::model::ModelKind;
use calmdesk_core::text::features::FeatureConfig;

use super::datasets::{TaskData, TaskId, TaskKind};

/// The model kind a task trains.
pub fn kind(task: &TaskData) -> ModelKind {
    match task.kind {
        TaskKind::MultiLabel => ModelKind::MultiLabel,
        TaskKind::MultiClass if task.labels.len() == 2 => ModelKind::Binary,
        TaskKind::MultiClass => ModelKind::MultiClass,
    }
}

/// The buckets every Reading model shares, so they can be fused into one table at load time.
pub const READING_BUCKETS_LOG2: u8 = 17;

/// How many times a task's validation rows are added to its training rows when its model is a
/// one-of-many one that learns from them (0: it does not, or learns from them as
/// [`learns_from_all_rows`] says): every task but sentiment, whose train rows come from other
/// data sets (TweetEval sentiment's own training texts are missing) and which gains from the
/// in-domain tweets of its validation split. Five-fold cross-validation over those rows, each
/// part held out of training, chose 10 repeats with L2 0.001: macro-recall 0.540 (validation,
/// without them) to 0.561 (once), 0.564 (3 times), 0.569 (10 times) and 0.572 (10 times, L2
/// 0.001). Its figures are then the cross-validated ones.
pub fn validation_repeats(id: TaskId) -> usize {
    match id {
        TaskId::Sentiment => 10,
        _ => 0,
    }
}

/// Whether a task's model learns from its validation rows as well as its train rows,
/// calibrated on every row's out-of-fold outputs and scored by cross-validation over the
/// validation rows (`tune::learn_from_all_rows`).
///
/// Scored on the same validation rows, each by a model that did not learn from it (`tune TASK
/// --no-cv --all-rows 5`), this took complaint's macro-F1 from 0.800 to 0.810, politeness's
/// accuracy from 0.824 to 0.829, hate's macro-F1 from 0.707 to 0.734, abusive's from 0.928 to
/// 0.930, offensive's (blended, `--blend 1`) from 0.725 to 0.737, and the macro-F1 of the
/// empathy models for interpretations from 0.527 to 0.566 and explorations from 0.617 to 0.633,
/// with each part's model trained on no more rows than the train split holds; the model shipped
/// learns from a quarter (TweetEval: a tenth) more. Emotional reactions (0.684 to 0.636), irony
/// (0.664 to 0.662) and emotions (0.495 to 0.486) lost, so they learn from their train rows
/// alone. Tweet_emotion's anger-vs-rest F1 rose (0.817 to 0.827) but its macro-F1 fell (0.669
/// to 0.656), both within the noise of 374 rows, while its anger rose on calm customer messages
/// (the heat's false alarms), so it does not either.
pub fn learns_from_all_rows(id: TaskId) -> bool {
    matches!(
        id,
        TaskId::Complaint
            | TaskId::Politeness
            | TaskId::Hate
            | TaskId::Abusive
            | TaskId::Offensive
            | TaskId::EmpathyIp
            | TaskId::EmpathyEx
    )
}

/// Whether a task's model gets a second stage fitted on its validation rows' out-of-fold
/// outputs (see `second_stage`), and the models whose outputs that stage reads too; only a task
/// whose validation rows are training data too. A donor must never learn from those rows.
/// Only a model that reads the valence features can take a stage (a sentiment model retrained
/// on a blend's features alone does not).
pub fn second_stage(id: TaskId, features: &FeatureConfig) -> Option<&'static [TaskId]> {
    match id {
        // Other models' outputs did not help it (docs/accuracy.md, sentiment): it reads none.
        TaskId::Sentiment if features.valence => Some(&[]),
        _ => None,
    }
}

/// The parts the validation rows are dealt into when they are training data too.
pub const VALIDATION_FOLDS: usize = 5;

/// The training configuration of a task.
pub fn config(id: TaskId) -> TrainConfig {
    let base = TrainConfig {
        buckets_log2: READING_BUCKETS_LOG2,
        ..TrainConfig::DEFAULT
    };
    // Settings were checked by 5-fold cross-validation on each train split (the `tune`
    // example; docs/accuracy.md has the figures). The L2 strengths of emotions, complaint,
    // offensive and hate were first chosen on the validation splits; cross-validation finds
    // them within noise of its own best, so they stay. The empathy models gain most from
    // weighting their rare levels up with a stronger penalty and gentler, longer training.
    // Hate and politeness train more gently (a lower learning rate; hate also fewer passes),
    // which cross-validation preferred for every penalty tried. Learning word n-grams only
    // (`word_only`) lowered the cross-validated figures of hate and empathy_ip and was mixed for
    // politeness, so no model uses it.
    // Sentiment is a transfer task (its train rows come from other data sets), so its label
    // weighting was chosen on its validation split.
    match id {
        TaskId::Emotions => TrainConfig { l2: 2e-2, ..base },
        TaskId::Complaint => TrainConfig { l2: 1e-2, ..base },
        TaskId::Offensive => TrainConfig { l2: 3e-3, ..base },
        TaskId::Hate => TrainConfig {
            l2: 3e-3,
            epochs: 3,
            learning_rate: 0.1,
            ..base
        },
        // The politeness strategies (gratitude, greetings, hedges, "could you" against "can
        // you", direct questions, ...) lift its cross-validated accuracy from 0.703 to 0.715.
        TaskId::Politeness => TrainConfig {
            features: FeatureConfig {
                strategies: true,
                ..FeatureConfig::DEFAULT
            },
            l2: 1e-4,
            epochs: 10,
            learning_rate: 0.05,
            ..base
        },
        TaskId::Intents => TrainConfig { epochs: 8, ..base },
        // What the abuse rules find (swear words, masked ones, insults) lifts its
        // cross-validated macro-F1 from 0.921 to 0.927, and on validation from 0.924 to 0.929.
        TaskId::Abusive => TrainConfig {
            features: FeatureConfig {
                abuse: true,
                ..FeatureConfig::DEFAULT
            },
            ..base
        },
        // The lexicon's valence lifts its cross-validated anger-vs-rest F1 from 0.812 to 0.820,
        // and blended its validation figure from 0.799 to 0.818.
        TaskId::TweetEmotion => TrainConfig {
            features: FeatureConfig {
                valence: true,
                ..FeatureConfig::DEFAULT
            },
            ..base
        },
        // The negated words lift its macro-recall, cross-validated over the validation tweets,
        // from 0.584 to 0.594, and the lexicon's valence to 0.607.
        TaskId::Sentiment => TrainConfig {
            features: FeatureConfig {
                negation: true,
                valence: true,
                ..FeatureConfig::DEFAULT
            },
            class_balance: 1.0,
            l2: 1e-3,
            ..base
        },
        TaskId::EmpathyEr | TaskId::EmpathyIp | TaskId::EmpathyEx => {
            let empathy = TrainConfig {
                buckets_log2: 16,
                epochs: 10,
                learning_rate: 0.1,
                l2: 3e-2,
                class_balance: 1.0,
                ..base
            };
            match id {
                // Explorations are questions: the count and the openings of the reply's
                // questions, which n-grams scaled to unit length cannot count, lift its
                // cross-validated macro-F1 from 0.62 to 0.68, and a lighter penalty to 0.69.
                TaskId::EmpathyEx => TrainConfig {
                    features: FeatureConfig::WITH_CUES,
                    l2: 1e-2,
                    ..empathy
                },
                // Emotional reactions gain a little from the cues (0.711 to 0.717).
                TaskId::EmpathyEr => TrainConfig {
                    features: FeatureConfig::WITH_CUES,
                    ..empathy
                },
                // Interpretations lose with them (0.561 to 0.542), so they read n-grams only.
                _ => empathy,
            }
        }
        _ => base,
    }
}
