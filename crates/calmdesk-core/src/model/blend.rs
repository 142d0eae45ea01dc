//! Blending: a yes/no model that also reads other models' raw outputs, with the other models'
//! weights folded into its own.
//!
//! Every Reading model is linear in the same hashed features, so a weighted sum of their raw
//! outputs is itself a linear model over those features: its weight for a bucket is the same
//! weighted sum of theirs. A model can therefore learn from what the others learned on their
//! own data (the offensive model from the emotions of GoEmotions, say) and still cost one row
//! per feature when a message is read. [`fit_logistic`] learns the weights of the sum; [`fold`]
//! folds it into one model.

use super::{Calibration, LinearModel, ModelKind};

/// A weighted sum of inputs plus a bias: the raw output of a blended yes/no model.
#[derive(Debug, Clone, PartialEq)]
pub struct Blend {
    pub coefficients: Vec<f32>,
    pub bias: f32,
}

/// Fits logistic regression to rows of dense `inputs` and yes/no `labels`, minimising the mean
/// log loss plus `l2` times the squared coefficients of the standardised inputs, by
/// `iterations` steps of full-batch gradient descent. Deterministic: the same data gives the
/// same blend. Inputs that never vary get a zero coefficient.
pub fn fit_logistic(inputs: &[Vec<f32>], labels: &[bool], l2: f64, iterations: usize) -> Blend {
    let width = inputs.first().map_or(0, Vec::len);
    let n = inputs.len().max(1) as f64;
    // Standardised inputs make one step size right for every coefficient.
    let mut mean = vec![0f64; width];
    let mut scale = vec![0f64; width];
    for row in inputs {
        for (m, &x) in mean.iter_mut().zip(row) {
            *m += f64::from(x) / n;
        }
    }
    for row in inputs {
        for ((s, &x), m) in scale.iter_mut().zip(row).zip(&mean) {
            *s += (f64::from(x) - m).powi(2) / n;
        }
    }
    let spread: Vec<f64> = scale
        .iter()
        .map(|v| if *v > 1e-12 { v.sqrt() } else { 0.0 })
        .collect();
    let standard: Vec<Vec<f64>> = inputs
        .iter()
        .map(|row| {
            row.iter()
                .zip(&mean)
                .zip(&spread)
                .map(|((&x, m), s)| {
                    if *s > 0.0 {
                        (f64::from(x) - m) / s
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let mut w = vec![0f64; width];
    let mut b = 0f64;
    // Log loss of standardised inputs has curvature at most 1/4 per unit of input, so this
    // step never overshoots.
    let step = 1.0 / (0.25 * (width as f64 + 1.0) + 2.0 * l2);
    let mut gradient = vec![0f64; width];
    for _ in 0..iterations {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut gradient_b = 0.0;
        for (row, &label) in standard.iter().zip(labels) {
            let z = b + row.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>();
            let error = 1.0 / (1.0 + (-z).exp()) - if label { 1.0 } else { 0.0 };
            for (g, x) in gradient.iter_mut().zip(row) {
                *g += error * x / n;
            }
            gradient_b += error / n;
        }
        for (wi, g) in w.iter_mut().zip(&gradient) {
            *wi -= step * (g + 2.0 * l2 * *wi);
        }
        b -= step * gradient_b;
    }
    // Back to the inputs as they come.
    let coefficients: Vec<f64> = w
        .iter()
        .zip(&spread)
        .map(|(w, s)| if *s > 0.0 { w / s } else { 0.0 })
        .collect();
    let bias = b - coefficients
        .iter()
        .zip(&mean)
        .map(|(c, m)| c * m)
        .sum::<f64>();
    Blend {
        coefficients: coefficients.iter().map(|&c| c as f32).collect(),
        bias: bias as f32,
    }
}

/// The yes/no model whose raw output is `bias` plus, for each part, its coefficient times the
/// raw output `head` of its model: one table of weights, named and described as `base`, and
/// not yet calibrated. Every part must have `base`'s features and bucket count, and its
/// weights (not moved into a fused table).
pub fn fold(base: &LinearModel, parts: &[(&LinearModel, usize, f32)], bias: f32) -> LinearModel {
    let rows = 1usize << base.buckets_log2;
    let mut weights = vec![0f32; rows];
    let mut total_bias = bias;
    for &(model, head, coefficient) in parts {
        assert!(
            model.buckets_log2 == base.buckets_log2 && model.features == base.features,
            "{} cannot be folded into {}: other features",
            model.name,
            base.name
        );
        let heads = model.heads();
        assert!(
            model.weights.len() == rows * heads,
            "{} has no weights",
            model.name
        );
        for (w, row) in weights.iter_mut().zip(model.weights.chunks_exact(heads)) {
            *w += coefficient * row[head];
        }
        total_bias += coefficient * model.bias[head];
    }
    LinearModel {
        name: base.name.clone(),
        kind: ModelKind::Binary,
        labels: base.labels.clone(),
        features: base.features,
        buckets_log2: base.buckets_log2,
        notes: base.notes.clone(),
        weights,
        bias: vec![total_bias],
        calibration: vec![Calibration::IDENTITY],
        temperature: 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::train::{train, Sample, TrainConfig};
    use crate::text::features::{extract, FeatureConfig};

    /// The blend's raw output for one row of inputs.
    fn output(blend: &Blend, inputs: &[f32]) -> f32 {
        blend.bias
            + blend
                .coefficients
                .iter()
                .zip(inputs)
                .map(|(c, x)| c * x)
                .sum::<f32>()
    }

    #[test]
    fn logistic_regression_finds_the_informative_input() {
        // Input 0 decides the label, input 1 is noise, input 2 never varies.
        let inputs: Vec<Vec<f32>> = (0..200)
            .map(|i| {
                let x = (i % 20) as f32 - 9.5;
                vec![x, ((i * 7919) % 13) as f32, 3.0]
            })
            .collect();
        let labels: Vec<bool> = inputs.iter().map(|r| r[0] > 0.0).collect();
        let blend = fit_logistic(&inputs, &labels, 1e-4, 500);
        assert!(blend.coefficients[0] > 0.5, "{blend:?}");
        assert!(blend.coefficients[1].abs() < 0.1 * blend.coefficients[0]);
        assert_eq!(blend.coefficients[2], 0.0);
        let right = inputs
            .iter()
            .zip(&labels)
            .filter(|(r, &l)| (output(&blend, r) > 0.0) == l)
            .count();
        assert_eq!(right, inputs.len());
        // The same data, the same blend.
        assert_eq!(fit_logistic(&inputs, &labels, 1e-4, 500), blend);
        // A stronger penalty shrinks it.
        let shrunk = fit_logistic(&inputs, &labels, 1.0, 500);
        assert!(shrunk.coefficients[0].abs() < blend.coefficients[0].abs());
    }

    #[test]
    fn a_folded_model_outputs_the_weighted_sum_of_its_parts() {
        let config = TrainConfig {
            buckets_log2: 12,
            ..TrainConfig::DEFAULT
        };
        let rows = |pairs: &[(&str, usize)]| -> Vec<Sample> {
            pairs
                .iter()
                .map(|(t, l)| (extract(t, &FeatureConfig::DEFAULT), vec![*l]))
                .collect()
        };
        let angry = train(
            "angry",
            ModelKind::Binary,
            vec!["no".into(), "yes".into()],
            &rows(&[("you idiots", 1), ("thanks a lot", 0), ("useless", 1)]),
            &config,
        );
        let moods = train(
            "moods",
            ModelKind::MultiClass,
            vec!["sad".into(), "glad".into(), "mad".into()],
            &rows(&[("so sad", 0), ("so glad", 1), ("so mad", 2)]),
            &config,
        );
        let folded = fold(&angry, &[(&angry, 0, 0.7), (&moods, 2, -1.5)], 0.25);
        assert_eq!(folded.name, "angry");
        for text in ["you idiots, so mad", "so glad, thanks", "", "unseen words"] {
            let features = extract(text, &FeatureConfig::DEFAULT);
            let expected =
                0.25 + 0.7 * angry.logits(&features)[0] - 1.5 * moods.logits(&features)[2];
            let got = folded.logits(&features)[0];
            assert!((got - expected).abs() < 1e-4, "{text}: {got} vs {expected}");
        }
    }
}
