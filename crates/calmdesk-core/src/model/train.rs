//! Training: AdaGrad over hashed features, then calibration on validation data.
//!
//! Training is deterministic: examples are visited in an order drawn from a seeded generator,
//! updates happen one example at a time on one thread, and nothing depends on the clock, so
//! the same data and configuration give the same model bytes.

use super::{Calibration, LinearModel, ModelKind};
use crate::text::features::{Feature, FeatureConfig};

/// How to train.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    pub buckets_log2: u8,
    pub epochs: u32,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
    pub features: FeatureConfig,
    /// How far to even out rare and common labels: each example's loss is weighted by the
    /// inverse frequency of its label (of each output's positives, for any-of models) raised to
    /// this power. 0 weighs every example alike; 1 gives every label the same total weight.
    pub class_balance: f32,
    /// Learn word n-grams only: character n-gram features (the top bit of their hash is set)
    /// still count when scoring an example, as they do at inference, but their buckets are never
    /// updated for them, so a model can give them no weight of its own.
    pub word_only: bool,
}

impl TrainConfig {
    pub const DEFAULT: TrainConfig = TrainConfig {
        buckets_log2: 18,
        epochs: 5,
        learning_rate: 0.2,
        l2: 1e-6,
        seed: 7,
        features: FeatureConfig::DEFAULT,
        class_balance: 0.0,
        word_only: false,
    };
}

/// The top bit of a feature's hash marks a character n-gram (see `text::features`).
const CHAR_FEATURE: u32 = 1 << 31;

/// One training example: its features and label indices.
pub type Sample = (Vec<Feature>, Vec<usize>);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// The targets of one example, one per output.
fn targets(kind: ModelKind, labels: &[usize], heads: usize) -> Vec<f32> {
    let mut y = vec![0.0; heads];
    match kind {
        ModelKind::Binary => y[0] = if labels.first() == Some(&1) { 1.0 } else { 0.0 },
        ModelKind::MultiClass | ModelKind::MultiLabel => {
            for &l in labels {
                if l < heads {
                    y[l] = 1.0;
                }
            }
        }
    }
    y
}

/// The loss weights of `class_balance`: for yes/no and one-of-many models one weight per label
/// (indexed by the example's label), for any-of models one weight per output for its positives
/// (negatives weigh 1). Weights are scaled so that the examples' mean weight is 1.
fn class_weights(kind: ModelKind, data: &[Sample], classes: usize, power: f32) -> Vec<f32> {
    let mut counts = vec![0f64; classes];
    for (_, labels) in data {
        for &l in labels {
            if l < classes {
                counts[l] += 1.0;
            }
        }
    }
    if power == 0.0 || data.is_empty() {
        return vec![1.0; classes];
    }
    let n = data.len() as f64;
    match kind {
        ModelKind::Binary | ModelKind::MultiClass => {
            let raw = inverse_frequencies(&counts, n, f64::from(power));
            let mean: f64 = counts.iter().zip(&raw).map(|(c, w)| c * w).sum::<f64>() / n;
            raw.iter().map(|w| (w / mean) as f32).collect()
        }
        ModelKind::MultiLabel => counts
            .iter()
            .map(|&c| (((n - c).max(1.0) / c.max(1.0)).powf(f64::from(power))) as f32)
            .collect(),
    }
}

/// One weight per label: (rows / (labels × the label's rows)) to the power `power`, so that at
/// power 1 every label weighs as much as the others in all.
fn inverse_frequencies(counts: &[f64], rows: f64, power: f64) -> Vec<f64> {
    let classes = counts.len() as f64;
    counts
        .iter()
        .map(|&c| (rows / (classes * c.max(1.0))).powf(power))
        .collect()
}

/// The weight of each label in `0..classes` that makes every label of `labels` (one per row)
/// count alike: rows / (labels × the label's rows), for a weighted fit such as
/// `blend::fit_softmax_weighted`.
pub fn balanced_label_weights(labels: &[usize], classes: usize) -> Vec<f64> {
    let mut counts = vec![0f64; classes];
    for &label in labels {
        if let Some(count) = counts.get_mut(label) {
            *count += 1.0;
        }
    }
    inverse_frequencies(&counts, labels.len() as f64, 1.0)
}

/// Trains an uncalibrated model.
pub fn train(
    name: &str,
    kind: ModelKind,
    labels: Vec<String>,
    data: &[Sample],
    config: &TrainConfig,
) -> LinearModel {
    let heads = match kind {
        ModelKind::Binary => 1,
        _ => labels.len(),
    };
    let rows = 1usize << config.buckets_log2;
    let mask = (rows - 1) as u32;
    let mut weights = vec![0f32; rows * heads];
    let mut squares = vec![1e-6f32; rows * heads];
    let mut bias = vec![0f32; heads];
    let mut bias_squares = vec![1e-6f32; heads];
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng(config.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut z = vec![0f32; heads];
    let mut gradient = vec![0f32; heads];
    let weight_of = class_weights(kind, data, labels.len(), config.class_balance);
    for _ in 0..config.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &index in &order {
            let (features, labels) = &data[index];
            let y = targets(kind, labels, heads);
            z.copy_from_slice(&bias);
            for &(hash, x) in features {
                let row = (hash & mask) as usize * heads;
                for (zh, w) in z.iter_mut().zip(&weights[row..row + heads]) {
                    *zh += x * w;
                }
            }
            match kind {
                ModelKind::Binary | ModelKind::MultiLabel => {
                    for ((g, zh), yh) in gradient.iter_mut().zip(&z).zip(&y) {
                        *g = sigmoid(*zh) - yh;
                    }
                }
                ModelKind::MultiClass => {
                    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let sum: f32 = z.iter().map(|v| (v - max).exp()).sum();
                    for ((g, zh), yh) in gradient.iter_mut().zip(&z).zip(&y) {
                        *g = (zh - max).exp() / sum - yh;
                    }
                }
            }
            if config.class_balance != 0.0 {
                match kind {
                    ModelKind::Binary | ModelKind::MultiClass => {
                        let label = labels.first().copied().unwrap_or(0);
                        let w = weight_of.get(label).copied().unwrap_or(1.0);
                        gradient.iter_mut().for_each(|g| *g *= w);
                    }
                    ModelKind::MultiLabel => {
                        for ((g, yh), w) in gradient.iter_mut().zip(&y).zip(&weight_of) {
                            if *yh > 0.5 {
                                *g *= w;
                            }
                        }
                    }
                }
            }
            for &(hash, x) in features {
                if config.word_only && hash & CHAR_FEATURE != 0 {
                    continue;
                }
                let row = (hash & mask) as usize * heads;
                let rows = weights[row..row + heads]
                    .iter_mut()
                    .zip(&mut squares[row..row + heads])
                    .zip(&gradient);
                for ((w, sq), gh) in rows {
                    let g = gh * x + config.l2 * *w;
                    *sq += g * g;
                    *w -= config.learning_rate * g / sq.sqrt();
                }
            }
            for ((b, sq), g) in bias.iter_mut().zip(bias_squares.iter_mut()).zip(&gradient) {
                *sq += g * g;
                *b -= config.learning_rate * g / sq.sqrt();
            }
        }
    }
    LinearModel {
        name: name.to_owned(),
        kind,
        labels,
        features: config.features,
        buckets_log2: config.buckets_log2,
        notes: Vec::new(),
        weights,
        bias,
        calibration: vec![Calibration::IDENTITY; heads],
        temperature: 1.0,
    }
}

/// The logit threshold with the best F1 for one output.
fn best_threshold(scored: &mut [(f32, bool)]) -> f32 {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = scored.iter().filter(|(_, y)| *y).count() as f64;
    if positives == 0.0 || scored.is_empty() {
        return scored.first().map(|s| s.0 + 1.0).unwrap_or(0.0);
    }
    let (mut tp, mut best, mut best_at) = (0.0f64, -1.0f64, 0usize);
    for (k, (_, y)) in scored.iter().enumerate() {
        if *y {
            tp += 1.0;
        }
        let predicted = (k + 1) as f64;
        let f1 = 2.0 * tp / (predicted + positives);
        if f1 > best {
            best = f1;
            best_at = k;
        }
    }
    match scored.get(best_at + 1) {
        Some(next) => (scored[best_at].0 + next.0) / 2.0,
        None => scored[best_at].0 - 1e-3,
    }
}

fn log_loss(scored: &[(f32, bool)], slope: f32, threshold: f32) -> f64 {
    scored
        .iter()
        .map(|&(z, y)| {
            let p = f64::from(sigmoid(slope * (z - threshold))).clamp(1e-7, 1.0 - 1e-7);
            if y {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .sum()
}

/// Log-spaced values from `low` to `high`.
fn grid(low: f32, high: f32, steps: usize) -> impl Iterator<Item = f32> {
    let (a, b) = (low.ln(), high.ln());
    (0..steps).map(move |i| (a + (b - a) * i as f32 / (steps - 1) as f32).exp())
}

/// Calibrates a model on validation data: per-output F1 thresholds mapped to 0.5 for yes/no
/// outputs, a softmax temperature for one-of-many.
pub fn calibrate(model: &mut LinearModel, valid: &[Sample]) {
    let logits: Vec<Vec<f32>> = valid.iter().map(|(f, _)| model.logits(f)).collect();
    let labels: Vec<&[usize]> = valid.iter().map(|(_, labels)| labels.as_slice()).collect();
    calibrate_on(model, &logits, &labels);
}

/// Calibrates a model as [`calibrate`] does, on outputs already at hand: `logits[i]` are the
/// raw outputs for a row whose labels are `labels[i]`, which may come from other models of the
/// same kind (out-of-fold outputs, each row scored by a model that did not learn from it).
pub fn calibrate_on(model: &mut LinearModel, logits: &[Vec<f32>], labels: &[&[usize]]) {
    let heads = model.heads();
    let valid = labels;
    match model.kind {
        ModelKind::Binary | ModelKind::MultiLabel => {
            for h in 0..heads {
                let mut scored: Vec<(f32, bool)> = logits
                    .iter()
                    .zip(valid)
                    .map(|(z, labels)| (z[h], targets(model.kind, labels, heads)[h] > 0.5))
                    .collect();
                let threshold = best_threshold(&mut scored);
                let slope = grid(0.05, 20.0, 80)
                    .min_by(|a, b| {
                        log_loss(&scored, *a, threshold)
                            .total_cmp(&log_loss(&scored, *b, threshold))
                    })
                    .unwrap_or(1.0);
                model.calibration[h] = Calibration { slope, threshold };
            }
        }
        ModelKind::MultiClass => {
            let nll = |t: f32| -> f64 {
                logits
                    .iter()
                    .zip(valid)
                    .map(|(z, labels)| {
                        let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                        let sum: f64 = z.iter().map(|v| f64::from(((v - max) / t).exp())).sum();
                        let gold = labels.first().copied().unwrap_or(0).min(heads - 1);
                        -(f64::from(((z[gold] - max) / t).exp()) / sum)
                            .max(1e-12)
                            .ln()
                    })
                    .sum()
            };
            model.temperature = grid(0.1, 10.0, 80)
                .min_by(|a, b| nll(*a).total_cmp(&nll(*b)))
                .unwrap_or(1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::features::extract;

    fn samples(rows: &[(&str, usize)]) -> Vec<Sample> {
        rows.iter()
            .map(|(t, l)| (extract(t, &FeatureConfig::DEFAULT), vec![*l]))
            .collect()
    }

    /// A yes/no model named "t" trained on `data`.
    fn yes_no(data: &[Sample], config: &TrainConfig) -> LinearModel {
        train(
            "t",
            ModelKind::Binary,
            vec!["no".into(), "yes".into()],
            data,
            config,
        )
    }

    #[test]
    fn a_tiny_model_learns_and_survives_a_round_trip_through_bytes() {
        let data = samples(&[
            ("you are useless", 1),
            ("useless idiot", 1),
            ("thank you so much", 0),
            ("thanks, that helps", 0),
        ]);
        let config = TrainConfig {
            buckets_log2: 12,
            epochs: 20,
            ..TrainConfig::DEFAULT
        };
        let mut model = yes_no(&data, &config);
        calibrate(&mut model, &data);
        assert!(model.predict("so useless")[0] > 0.5);
        assert!(model.predict("thank you")[0] < 0.5);
        let again = LinearModel::from_bytes(&model.to_bytes()).unwrap();
        let (a, b) = (model.predict("useless"), again.predict("useless"));
        assert!((a[0] - b[0]).abs() < 1e-3);
        let same = yes_no(&data, &config);
        assert_eq!(same.weights, yes_no(&data, &config).weights);
        assert!(LinearModel::from_bytes(b"nonsense").is_err());
    }

    #[test]
    fn calibrating_on_outputs_at_hand_is_calibrating_on_the_rows_that_gave_them() {
        let data = samples(&[
            ("you are useless", 1),
            ("useless idiot", 1),
            ("so slow and useless", 1),
            ("thank you so much", 0),
            ("thanks, that helps", 0),
            ("useless but thanks", 0),
        ]);
        let config = TrainConfig {
            buckets_log2: 12,
            epochs: 3,
            ..TrainConfig::DEFAULT
        };
        let mut on_rows = yes_no(&data, &config);
        let mut on_outputs = on_rows.clone();
        calibrate(&mut on_rows, &data);
        let logits: Vec<Vec<f32>> = data.iter().map(|(f, _)| on_outputs.logits(f)).collect();
        let labels: Vec<&[usize]> = data.iter().map(|(_, l)| l.as_slice()).collect();
        calibrate_on(&mut on_outputs, &logits, &labels);
        assert_eq!(on_rows.calibration, on_outputs.calibration);
        // Other outputs give another calibration: it is the outputs that decide, not the model.
        let mut shifted = on_outputs.clone();
        let moved: Vec<Vec<f32>> = logits.iter().map(|z| vec![z[0] + 3.0]).collect();
        calibrate_on(&mut shifted, &moved, &labels);
        assert_ne!(shifted.calibration, on_outputs.calibration);
    }

    #[test]
    fn a_model_file_for_other_features_is_refused_with_the_way_out() {
        let data = samples(&[("useless", 1), ("thanks", 0)]);
        let config = TrainConfig {
            buckets_log2: 8,
            ..TrainConfig::DEFAULT
        };
        let model = yes_no(&data, &config);
        let bytes = model.to_bytes();
        let header_len = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let header = std::str::from_utf8(&bytes[12..12 + header_len]).unwrap();
        let rewrite = |header: &str| {
            let mut out = bytes[..8].to_vec();
            out.extend_from_slice(&(header.len() as u32).to_le_bytes());
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(&bytes[12 + header_len..]);
            out
        };
        assert!(LinearModel::from_bytes(&rewrite(header)).is_ok());
        // Files written before the version line existed weigh features the first way.
        let old = header.replace("features_version=2\n", "");
        assert_ne!(old, header);
        let newer = header.replace("features_version=2", "features_version=3");
        for refused in [rewrite(&old), rewrite(&newer)] {
            let error = LinearModel::from_bytes(&refused).unwrap_err().to_string();
            assert!(error.contains("calmdesk train"), "{error}");
        }
    }

    #[test]
    fn word_only_training_leaves_buckets_of_character_n_grams_alone() {
        let data = samples(&[
            ("you are useless", 1),
            ("useless idiot", 1),
            ("thank you so much", 0),
            ("thanks, that helps", 0),
        ]);
        let config = TrainConfig {
            word_only: true,
            ..TrainConfig::DEFAULT
        };
        let model = yes_no(&data, &config);
        let mask = (1u32 << config.buckets_log2) - 1;
        let word_rows: std::collections::HashSet<usize> = data
            .iter()
            .flat_map(|(features, _)| features.iter())
            .filter(|(hash, _)| hash & CHAR_FEATURE == 0)
            .map(|(hash, _)| (hash & mask) as usize)
            .collect();
        assert!(word_rows.iter().any(|&row| model.weights[row] != 0.0));
        for (row, w) in model.weights.iter().enumerate() {
            assert!(
                word_rows.contains(&row) || *w == 0.0,
                "bucket {row} learned {w}"
            );
        }
    }
}
