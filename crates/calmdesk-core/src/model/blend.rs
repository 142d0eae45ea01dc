//! Blending: a yes/no or one-of-many model that also reads other models' raw outputs, with the
//! other models' weights folded into its own.
//!
//! Every Reading model is linear in the same hashed features, so a weighted sum of their raw
//! outputs is itself a linear model over those features: its weight for a bucket is the same
//! weighted sum of theirs. A model can therefore learn from what the others learned on their
//! own data (the offensive model from the emotions of GoEmotions, say) and still cost one row
//! per feature when a message is read. [`fit_logistic`] (two labels) and [`fit_softmax`] (more)
//! learn the weights of the sums; [`fold`] and [`fold_heads`] fold them into one model.

use super::{Calibration, LinearModel, ModelKind};

/// A weighted sum of inputs plus a bias: the raw output of a blended yes/no model.
#[derive(Debug, Clone, PartialEq)]
pub struct Blend {
    pub coefficients: Vec<f32>,
    pub bias: f32,
}

/// Inputs scaled to mean 0 and spread 1 per column, with what undoes it. A column that never
/// varies is all zeros and gets a zero coefficient.
struct Standardised {
    rows: Vec<Vec<f64>>,
    mean: Vec<f64>,
    spread: Vec<f64>,
}

impl Standardised {
    fn new(inputs: &[Vec<f32>]) -> Standardised {
        let width = inputs.first().map_or(0, Vec::len);
        let n = inputs.len().max(1) as f64;
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
        let rows = inputs
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
        Standardised { rows, mean, spread }
    }

    /// The blend over the inputs as they come, from coefficients `w` and bias `b` learned on
    /// the standardised ones.
    fn blend(&self, w: &[f64], b: f64) -> Blend {
        let coefficients: Vec<f64> = w
            .iter()
            .zip(&self.spread)
            .map(|(w, s)| if *s > 0.0 { w / s } else { 0.0 })
            .collect();
        let bias = b - coefficients
            .iter()
            .zip(&self.mean)
            .map(|(c, m)| c * m)
            .sum::<f64>();
        Blend {
            coefficients: coefficients.iter().map(|&c| c as f32).collect(),
            bias: bias as f32,
        }
    }
}

/// Fits logistic regression to rows of dense `inputs` and yes/no `labels`, minimising the mean
/// log loss plus `l2` times the squared coefficients of the standardised inputs, by
/// `iterations` steps of full-batch gradient descent. Deterministic: the same data gives the
/// same blend. Inputs that never vary get a zero coefficient.
pub fn fit_logistic(inputs: &[Vec<f32>], labels: &[bool], l2: f64, iterations: usize) -> Blend {
    let standard = Standardised::new(inputs);
    let width = standard.mean.len();
    let n = inputs.len().max(1) as f64;
    let mut w = vec![0f64; width];
    let mut b = 0f64;
    // Log loss of standardised inputs has curvature at most 1/4 per unit of input, so this
    // step never overshoots.
    let step = 1.0 / (0.25 * (width as f64 + 1.0) + 2.0 * l2);
    let mut gradient = vec![0f64; width];
    for _ in 0..iterations {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut gradient_b = 0.0;
        for (row, &label) in standard.rows.iter().zip(labels) {
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
    standard.blend(&w, b)
}

/// Fits multinomial logistic regression (softmax) to rows of dense `inputs` and labels in
/// `0..classes`, as [`fit_logistic`] does for two: mean log loss plus `l2` times the squared
/// coefficients of the standardised inputs, full-batch gradient descent, deterministic. One
/// blend per class, whose raw outputs are the softmax's inputs.
pub fn fit_softmax(
    inputs: &[Vec<f32>],
    labels: &[usize],
    classes: usize,
    l2: f64,
    iterations: usize,
) -> Vec<Blend> {
    fit_softmax_weighted(inputs, labels, classes, l2, iterations, &[])
}

/// [`fit_softmax`] with a weight per class: each row's log loss counts its class's weight
/// (given none, every class weighs 1). Weights of one over each class's frequency make every
/// class count alike, as a macro-averaged measure does.
pub fn fit_softmax_weighted(
    inputs: &[Vec<f32>],
    labels: &[usize],
    classes: usize,
    l2: f64,
    iterations: usize,
    class_weights: &[f64],
) -> Vec<Blend> {
    let standard = Standardised::new(inputs);
    let width = standard.mean.len();
    let weight_of = |label: usize| class_weights.get(label).copied().unwrap_or(1.0);
    let n = labels
        .iter()
        .map(|&label| weight_of(label))
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mut w = vec![vec![0f64; width]; classes];
    let mut b = vec![0f64; classes];
    // The softmax log loss has curvature at most 1/2 per unit of standardised input.
    let step = 1.0 / (0.5 * (width as f64 + 1.0) + 2.0 * l2);
    let mut gradient = vec![vec![0f64; width]; classes];
    let mut gradient_b = vec![0f64; classes];
    let mut p = vec![0f64; classes];
    for _ in 0..iterations {
        gradient.iter_mut().flatten().for_each(|g| *g = 0.0);
        gradient_b.iter_mut().for_each(|g| *g = 0.0);
        for (row, &label) in standard.rows.iter().zip(labels) {
            for ((p, w), b) in p.iter_mut().zip(&w).zip(&b) {
                *p = b + row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>();
            }
            let top = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            p.iter_mut().for_each(|z| *z = (*z - top).exp());
            let total: f64 = p.iter().sum();
            for (c, ((p, g), gb)) in p
                .iter()
                .zip(gradient.iter_mut())
                .zip(gradient_b.iter_mut())
                .enumerate()
            {
                let error = (p / total - if c == label { 1.0 } else { 0.0 }) * weight_of(label);
                for (g, x) in g.iter_mut().zip(row) {
                    *g += error * x / n;
                }
                *gb += error / n;
            }
        }
        for ((w, g), (b, gb)) in w
            .iter_mut()
            .zip(&gradient)
            .zip(b.iter_mut().zip(&gradient_b))
        {
            for (wi, g) in w.iter_mut().zip(g) {
                *wi -= step * (g + 2.0 * l2 * *wi);
            }
            *b -= step * gb;
        }
    }
    w.iter()
        .zip(&b)
        .map(|(w, &b)| standard.blend(w, b))
        .collect()
}

/// One output of a folded model: its parts, each a model, one of its raw outputs and a
/// coefficient, and a bias.
pub type Head<'m> = (Vec<(&'m LinearModel, usize, f32)>, f32);

/// The yes/no model whose raw output is `bias` plus, for each part, its coefficient times the
/// raw output `head` of its model: one table of weights, named and described as `base`, and
/// not yet calibrated. Every part must have `base`'s features and bucket count, and its
/// weights (not moved into a fused table).
pub fn fold(base: &LinearModel, parts: &[(&LinearModel, usize, f32)], bias: f32) -> LinearModel {
    fold_heads(base, ModelKind::Binary, &[(parts.to_vec(), bias)])
}

/// The model of `kind` with one raw output per entry of `heads`, each folded as [`fold`]
/// folds a yes/no model's: named, labelled and described as `base`, not yet calibrated.
pub fn fold_heads(base: &LinearModel, kind: ModelKind, heads: &[Head]) -> LinearModel {
    let rows = 1usize << base.buckets_log2;
    let width = heads.len();
    let mut weights = vec![0f32; rows * width];
    let mut biases = Vec::with_capacity(width);
    for (column, (parts, bias)) in heads.iter().enumerate() {
        let mut total_bias = *bias;
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
            for (w, row) in weights
                .chunks_exact_mut(width)
                .zip(model.weights.chunks_exact(heads))
            {
                w[column] += coefficient * row[head];
            }
            total_bias += coefficient * model.bias[head];
        }
        biases.push(total_bias);
    }
    LinearModel {
        name: base.name.clone(),
        kind,
        labels: base.labels.clone(),
        features: base.features,
        buckets_log2: base.buckets_log2,
        notes: base.notes.clone(),
        weights,
        calibration: vec![Calibration::IDENTITY; width],
        bias: biases,
        temperature: 1.0,
    }
}

/// Adds `weights`, one per output of `model`, to the row of the feature whose hash is `hash`:
/// a blend's coefficient on a feature's value (the valence, say) becomes the model's weight for
/// that feature. Features that share the row's bucket get the weights too, as any hashed
/// features do.
pub fn add_to_row(model: &mut LinearModel, hash: u32, weights: &[f32]) {
    let heads = model.heads();
    assert!(weights.len() == heads, "one weight per output");
    let row = (hash & model.bucket_mask()) as usize * heads;
    assert!(
        model.weights.len() >= row + heads,
        "{} has no weights",
        model.name
    );
    for (w, add) in model.weights[row..row + heads].iter_mut().zip(weights) {
        *w += add;
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
    fn softmax_regression_finds_each_class_by_its_input() {
        // Three classes, each marked by a high value of its own input; input 3 never varies.
        let inputs: Vec<Vec<f32>> = (0..300)
            .map(|i| {
                let mut row = vec![((i * 31) % 7) as f32 * 0.1; 4];
                row[i % 3] += 2.0;
                row[3] = 1.5;
                row
            })
            .collect();
        let labels: Vec<usize> = (0..300).map(|i| i % 3).collect();
        let blends = fit_softmax(&inputs, &labels, 3, 1e-4, 300);
        assert_eq!(blends.len(), 3);
        for (c, blend) in blends.iter().enumerate() {
            let own = blend.coefficients[c];
            for (k, other) in blend.coefficients.iter().enumerate().take(3) {
                if k != c {
                    assert!(own > *other, "class {c}: {blends:?}");
                }
            }
            assert_eq!(blend.coefficients[3], 0.0);
        }
        let right = inputs
            .iter()
            .zip(&labels)
            .filter(|(row, &label)| {
                let scores: Vec<f32> = blends.iter().map(|b| output(b, row)).collect();
                let best = (0..3).max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
                best == Some(label)
            })
            .count();
        assert_eq!(right, inputs.len());
        assert_eq!(fit_softmax(&inputs, &labels, 3, 1e-4, 300), blends);
    }

    #[test]
    fn class_weights_move_the_softmax_towards_the_weighted_class() {
        // One uninformative input; class 1 is a tenth of the rows.
        let inputs: Vec<Vec<f32>> = (0..200).map(|i| vec![((i / 10) % 4) as f32]).collect();
        let labels: Vec<usize> = (0..200).map(|i| usize::from(i % 10 == 0)).collect();
        let margin = |blends: &[Blend]| blends[1].bias - blends[0].bias;
        let plain = fit_softmax(&inputs, &labels, 2, 1e-4, 300);
        assert_eq!(
            fit_softmax_weighted(&inputs, &labels, 2, 1e-4, 300, &[1.0, 1.0]),
            plain
        );
        // Unweighted, the rare class is far less likely; weighted by one over its frequency,
        // about as likely as the other.
        assert!(margin(&plain) < -1.0, "{plain:?}");
        let balanced = fit_softmax_weighted(&inputs, &labels, 2, 1e-4, 300, &[1.0 / 0.9, 10.0]);
        assert!(margin(&balanced).abs() < 0.3, "{balanced:?}");
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
        let two = fold_heads(
            &moods,
            ModelKind::MultiClass,
            &[
                (vec![(&moods, 0, 1.0), (&angry, 0, 0.5)], 0.1),
                (vec![(&moods, 1, -2.0)], -0.3),
            ],
        );
        assert_eq!((two.heads(), two.kind), (2, ModelKind::MultiClass));
        for text in ["so sad, you idiots", "so glad", ""] {
            let features = extract(text, &FeatureConfig::DEFAULT);
            let (m, a) = (moods.logits(&features), angry.logits(&features));
            let got = two.logits(&features);
            let expected = [0.1 + m[0] + 0.5 * a[0], -0.3 - 2.0 * m[1]];
            for (g, e) in got.iter().zip(expected) {
                assert!((g - e).abs() < 1e-4, "{text}: {got:?} vs {expected:?}");
            }
        }
        // A named feature's weights added to its row: its value times them is added to the
        // outputs, and texts without it read as before.
        let mut reads_more = two.clone();
        let hash = 0x1234_5678;
        add_to_row(&mut reads_more, hash, &[2.0, -1.0]);
        let mut features = extract("so glad", &FeatureConfig::DEFAULT);
        assert_eq!(reads_more.logits(&features), two.logits(&features));
        features.push((hash, 0.5));
        let (before, after) = (two.logits(&features), reads_more.logits(&features));
        assert!(
            (after[0] - before[0] - 1.0).abs() < 1e-5,
            "{before:?} {after:?}"
        );
        assert!(
            (after[1] - before[1] + 0.5).abs() < 1e-5,
            "{before:?} {after:?}"
        );
    }
}
