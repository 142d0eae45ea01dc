//! A second stage for a one-of-many model that learns mostly from other data than the rows
//! that matter: the sentiment model learns from Reddit comments and tweets labelled by a
//! teacher, and only 2,000 tweets of its own task.
//!
//! The stage is a softmax over the model's raw outputs, the raw outputs of its donors (other
//! models that never learned from those rows, trained on the model's features) and the text's
//! valence features (`calmdesk_core::text::valence`), fitted on those rows' out-of-fold outputs
//! (each part of the validation rows scored by a model trained without it) with every label
//! weighted alike, as macro-recall counts them. Its coefficients are then folded into the model:
//! a weighted sum of models' outputs is linear in the same features (see
//! `calmdesk_core::model::blend`), and a coefficient on a valence value becomes the weight of
//! that feature's row. Reading a message costs nothing more.

use calmdesk_core::model::blend::{add_to_row, fit_softmax_weighted, fold_heads, Blend, Head};
use calmdesk_core::model::train::balanced_label_weights;
use calmdesk_core::model::LinearModel;
use calmdesk_core::text::features::{Feature, FeatureConfig};
use calmdesk_core::text::valence;

use super::blending::Donors;
use super::datasets::TaskId;
use super::recipe;

/// The stage's penalty on its standardised coefficients, and its gradient steps.
const L2: f64 = 1e-3;
const ITERATIONS: usize = 500;

/// The models the second stage of `id`'s model, reading `features`, reads besides its own
/// outputs (see `recipe::second_stage`), trained in `pool` if they are not yet; `None` when the
/// model takes no stage.
pub fn donors<'p>(
    id: TaskId,
    features: &FeatureConfig,
    pool: &'p mut Donors,
) -> anyhow::Result<Option<Vec<&'p LinearModel>>> {
    recipe::second_stage(id, features)
        .map(|ids| pool.get(ids, *features))
        .transpose()
}

/// The stage's inputs for one text: the raw outputs of `model` and then of each of `donors`
/// for its `features`, then the text's valence values.
pub fn inputs(
    model: &LinearModel,
    donors: &[&LinearModel],
    text: &str,
    features: &[Feature],
) -> Vec<f32> {
    let mut row = model.logits(features);
    for donor in donors {
        row.extend(donor.logits(features));
    }
    row.extend(valence::values(text));
    row
}

/// Fits the stage to rows of [`inputs`] and their labels in `0..classes`, each label weighted
/// by one over its share of the rows.
pub fn fit(inputs: &[Vec<f32>], labels: &[usize], classes: usize) -> Vec<Blend> {
    let weights = balanced_label_weights(labels, classes);
    fit_softmax_weighted(inputs, labels, classes, L2, ITERATIONS, &weights)
}

/// `model` with `stage` folded in: its raw outputs are the stage's, for the same features.
/// The model must read the valence features (they are the stage's last inputs), and `donors`
/// must be those the stage was fitted with, reading the model's features.
pub fn fold(model: &LinearModel, donors: &[&LinearModel], stage: &[Blend]) -> LinearModel {
    assert!(
        model.features.valence,
        "{} does not read the valence features",
        model.name
    );
    let models: Vec<&LinearModel> = std::iter::once(model)
        .chain(donors.iter().copied())
        .collect();
    let outputs: usize = models.iter().map(|m| m.heads()).sum();
    let parts: Vec<Head> = stage
        .iter()
        .map(|blend| {
            let mut coefficients = blend.coefficients.iter().copied();
            let mut parts = Vec::with_capacity(outputs);
            for &m in &models {
                for head in 0..m.heads() {
                    parts.push((m, head, coefficients.next().unwrap_or(0.0)));
                }
            }
            (parts, blend.bias)
        })
        .collect();
    let mut folded = fold_heads(model, model.kind, &parts);
    for (at, hash) in valence::hashes().into_iter().enumerate() {
        let weights: Vec<f32> = stage
            .iter()
            .map(|blend| blend.coefficients[outputs + at])
            .collect();
        add_to_row(&mut folded, hash, &weights);
    }
    folded
}

/// What the stage says, in words, for the model card; `donors` names the models whose outputs
/// it reads besides the model's own.
pub fn description(donors: &[&str]) -> String {
    let read = if donors.is_empty() {
        "the model's raw outputs".to_owned()
    } else {
        format!(
            "the model's raw outputs, those of {} (retrained on its features)",
            donors.join(", ")
        )
    };
    format!(
        "multinomial logistic regression (L2 {L2} on standardised inputs, labels weighted by \
         one over their frequency) over {read} and the valence features, fitted on the \
         validation rows' out-of-fold outputs and folded into the weights"
    )
}

#[cfg(test)]
mod tests {
    use calmdesk_core::model::train::{train, Sample, TrainConfig};
    use calmdesk_core::model::ModelKind;
    use calmdesk_core::text::features::{extract, FeatureConfig};

    use super::*;

    const ROWS: [(&str, usize); 9] = [
        ("I hate this, terrible service", 0),
        ("awful, never again", 0),
        ("this is not good at all", 0),
        ("the parcel came on Tuesday", 1),
        ("my order number is 12", 1),
        ("it is a box", 1),
        ("I love it, great job", 2),
        ("thanks, wonderful help", 2),
        ("so happy with this", 2),
    ];

    fn config() -> TrainConfig {
        TrainConfig {
            buckets_log2: 12,
            features: FeatureConfig {
                valence: true,
                ..FeatureConfig::DEFAULT
            },
            ..TrainConfig::DEFAULT
        }
    }

    fn model() -> (LinearModel, Vec<Sample>) {
        let config = config();
        let samples: Vec<Sample> = ROWS
            .iter()
            .map(|(t, l)| (extract(t, &config.features), vec![*l]))
            .collect();
        let labels = ["negative", "neutral", "positive"]
            .map(String::from)
            .to_vec();
        let model = train(
            "sentiment",
            ModelKind::MultiClass,
            labels,
            &samples,
            &config,
        );
        (model, samples)
    }

    /// A yes/no model on the same rows and features: whether a row is negative.
    fn donor(samples: &[Sample]) -> LinearModel {
        let rows: Vec<Sample> = samples
            .iter()
            .map(|(features, labels)| (features.clone(), vec![usize::from(labels[0] == 0)]))
            .collect();
        let labels = ["calm", "upset"].map(String::from).to_vec();
        train("upset", ModelKind::Binary, labels, &rows, &config())
    }

    #[test]
    fn the_folded_model_outputs_what_the_stage_outputs() {
        let (model, samples) = model();
        let upset = donor(&samples);
        for donors in [vec![], vec![&upset]] {
            let rows: Vec<Vec<f32>> = ROWS
                .iter()
                .zip(&samples)
                .map(|((text, _), (features, _))| inputs(&model, &donors, text, features))
                .collect();
            assert!(rows.iter().all(|row| row.len() == 6 + donors.len()));
            let labels: Vec<usize> = ROWS.iter().map(|(_, l)| *l).collect();
            let stage = fit(&rows, &labels, 3);
            assert_eq!(stage.len(), 3);
            let folded = fold(&model, &donors, &stage);
            for text in [
                "I hate this",
                "great, thanks!",
                "not bad but awful delivery",
                "",
            ] {
                let features = extract(text, &model.features);
                let row = inputs(&model, &donors, text, &features);
                let got = folded.logits(&features);
                for (blend, got) in stage.iter().zip(&got) {
                    let expected = blend.bias
                        + blend
                            .coefficients
                            .iter()
                            .zip(&row)
                            .map(|(c, x)| c * x)
                            .sum::<f32>();
                    assert!((got - expected).abs() < 1e-3, "{text}: {got} vs {expected}");
                }
            }
        }
    }

    #[test]
    fn the_valence_features_have_rows_of_their_own() {
        // Folding adds each valence coefficient to its feature's row, so no two may share one
        // at the bucket counts the models use.
        for buckets_log2 in 12..=20u32 {
            let mask = (1u32 << buckets_log2) - 1;
            let mut rows: Vec<u32> = valence::hashes().iter().map(|h| h & mask).collect();
            rows.sort_unstable();
            rows.dedup();
            assert_eq!(rows.len(), 3, "2^{buckets_log2} buckets");
        }
    }

    #[test]
    fn rare_labels_weigh_as_much_as_common_ones() {
        // One input that does not tell the labels apart; label 1 is a tenth of the rows.
        let rows: Vec<Vec<f32>> = (0..100).map(|i| vec![(i % 3) as f32]).collect();
        let labels: Vec<usize> = (0..100).map(|i| usize::from(i % 10 == 0)).collect();
        let stage = fit(&rows, &labels, 2);
        assert!((stage[1].bias - stage[0].bias).abs() < 0.3, "{stage:?}");
    }
}
