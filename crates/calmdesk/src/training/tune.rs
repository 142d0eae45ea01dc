//! Choosing a task's training settings without looking at its validation split: k-fold
//! cross-validation on the train split.
//!
//! The train rows are dealt into `folds` parts in file order (row `i` goes to part `i % folds`);
//! each part in turn is held out, a model is trained on the others, calibrated on the held-out
//! part (as `calmdesk train` calibrates on validation) and scored there with the task's metric.
//! The figures are averaged over the parts. The validation split is never touched.

use calmdesk_core::model::train::{calibrate, calibrate_on, train, Sample, TrainConfig};
use calmdesk_core::model::LinearModel;

use super::blending::{self, Donors};
use super::datasets::{Example, TaskData};
use super::evaluate::{evaluate, evaluate_probabilities, Score};
use super::recipe;
use super::second_stage;
use calmdesk_core::model::blend::Blend;

/// The items of `all` in part `fold` of `folds` (`inside`), or in the other parts: row `i` is
/// in part `i % folds`.
pub(crate) fn part_of<T: Clone>(all: &[T], folds: usize, fold: usize, inside: bool) -> Vec<T> {
    all.iter()
        .enumerate()
        .filter(|(i, _)| (i % folds == fold) == inside)
        .map(|(_, x)| x.clone())
        .collect()
}

/// The figures of `model` on the validation rows `rows` of `task`.
fn score_on(task: &TaskData, model: &LinearModel, rows: Vec<Example>) -> Vec<Score> {
    let part = TaskData {
        valid: rows,
        train: Vec::new(),
        ..task.clone()
    };
    evaluate(&part, model)
}

/// Figures summed part by part, then averaged.
#[derive(Debug, Default)]
struct Totals(Vec<Score>);

impl Totals {
    fn add(&mut self, scores: Vec<Score>) {
        for (k, score) in scores.into_iter().enumerate() {
            match self.0.get_mut(k) {
                Some(total) => total.value += score.value,
                None => self.0.push(score),
            }
        }
    }

    fn mean(mut self, parts: usize) -> Vec<Score> {
        for total in &mut self.0 {
            total.value /= parts as f64;
        }
        self.0
    }
}

/// The task's figures averaged over `folds` cross-validation parts of its train split.
///
/// `samples` are the featurised train rows, in the order of `task.train`.
pub fn cross_validate(
    task: &TaskData,
    samples: &[Sample],
    config: &TrainConfig,
    folds: usize,
) -> Vec<Score> {
    let kind = recipe::kind(task);
    cross_validate_with(task, samples, folds, |fit| {
        Ok::<_, std::convert::Infallible>(train(
            task.id.name(),
            kind,
            task.labels.clone(),
            fit,
            config,
        ))
    })
    .unwrap_or_else(|never| match never {})
}

/// As [`cross_validate`], each part's model blended with the other Reading models' outputs
/// (see `blending`), the blend learned from the other parts alone.
pub fn cross_validate_blended(
    task: &TaskData,
    samples: &[Sample],
    config: &TrainConfig,
    folds: usize,
    donors: &mut Donors,
) -> anyhow::Result<Vec<Score>> {
    cross_validate_with(task, samples, folds, |fit| {
        blending::train_blended(task, task.id, fit, config, donors).map(|(model, _)| model)
    })
}

/// Cross-validation with the models `make` trains from each part's training rows.
fn cross_validate_with<E>(
    task: &TaskData,
    samples: &[Sample],
    folds: usize,
    mut make: impl FnMut(&[Sample]) -> Result<LinearModel, E>,
) -> Result<Vec<Score>, E> {
    let folds = folds.max(2);
    let mut totals = Totals::default();
    for fold in 0..folds {
        let fit = part_of(samples, folds, fold, false);
        let check = part_of(samples, folds, fold, true);
        let mut model = make(&fit)?;
        calibrate(&mut model, &check);
        totals.add(score_on(
            task,
            &model,
            part_of(&task.train, folds, fold, true),
        ));
    }
    Ok(totals.mean(folds))
}

/// `train` followed by `extra` `repeats` times over: training rows with more weight on some.
pub fn with_repeats(train: &[Sample], extra: &[Sample], repeats: usize) -> Vec<Sample> {
    let mut fit = Vec::with_capacity(train.len() + extra.len() * repeats);
    fit.extend_from_slice(train);
    for _ in 0..repeats {
        fit.extend_from_slice(extra);
    }
    fit
}

/// What cross-validation over the validation rows finds.
#[derive(Debug, Clone)]
pub struct HeldOut {
    /// The task's figures over all the validation rows together, each row's probabilities from
    /// the model of the part it was held out of.
    pub scores: Vec<Score>,
    /// The softmax temperature fitted on each held-out part, averaged: a temperature measured
    /// on rows the models did not see, for the model that then trains on all of them.
    pub temperature: f32,
    /// With a second stage, the stage fitted on every row's out-of-fold outputs, for the model
    /// that then trains on all of them (see `second_stage`).
    pub stage: Option<Vec<Blend>>,
}

/// The task's figures over its validation split dealt into `folds` parts, each part scored by a
/// model trained on the whole train split and the other parts, `repeats` times each (and
/// calibrated on those parts); the figures are taken over all the rows together.
///
/// `train` and `valid` are the featurised rows, in the order of `task.train` and `task.valid`.
///
/// With `stage` (the models whose outputs the stage reads besides the task's own, reading the
/// task's features), each part is scored instead by its model with a second stage folded in,
/// fitted on the out-of-fold outputs of the other parts' rows (see `second_stage`), and the
/// stage fitted on every row's is returned. The model must read the valence features
/// (`recipe::second_stage` says which can take a stage).
pub fn cross_validate_with_train(
    task: &TaskData,
    train_samples: &[Sample],
    valid_samples: &[Sample],
    config: &TrainConfig,
    (folds, repeats): (usize, usize),
    stage: Option<&[&LinearModel]>,
) -> HeldOut {
    let folds = folds.max(2);
    let kind = recipe::kind(task);
    let mut temperature = 0.0;
    let mut models = Vec::with_capacity(folds);
    let mut out_of_fold = vec![Vec::new(); valid_samples.len()];
    // Each validation row's probabilities, from the model of the part it is held out of.
    let mut probabilities = vec![Vec::new(); valid_samples.len()];
    let held = |fold: usize| {
        task.valid
            .iter()
            .zip(valid_samples)
            .enumerate()
            .skip(fold)
            .step_by(folds)
    };
    for fold in 0..folds {
        let others = part_of(valid_samples, folds, fold, false);
        let fit = with_repeats(train_samples, &others, repeats.max(1));
        let mut model = train(task.id.name(), kind, task.labels.clone(), &fit, config);
        let mut probe = model.clone();
        calibrate(&mut probe, &part_of(valid_samples, folds, fold, true));
        temperature += probe.temperature() / folds as f32;
        calibrate(&mut model, &others);
        for (i, (example, (features, _))) in held(fold) {
            match stage {
                Some(donors) => {
                    out_of_fold[i] = second_stage::inputs(&model, donors, &example.text, features)
                }
                None => probabilities[i] = model.probabilities_from_logits(&model.logits(features)),
            }
        }
        if stage.is_some() {
            models.push(model);
        }
    }
    let stage = stage.map(|donors| {
        let labels: Vec<usize> = valid_samples
            .iter()
            .map(|(_, labels)| labels.first().copied().unwrap_or(0))
            .collect();
        let classes = task.labels.len();
        for (fold, model) in models.iter().enumerate() {
            let fitted = second_stage::fit(
                &part_of(&out_of_fold, folds, fold, false),
                &part_of(&labels, folds, fold, false),
                classes,
            );
            let folded = second_stage::fold(model, donors, &fitted);
            for (i, (example, _)) in held(fold) {
                probabilities[i] = folded.predict(&example.text);
            }
        }
        second_stage::fit(&out_of_fold, &labels, classes)
    });
    HeldOut {
        scores: evaluate_probabilities(task, kind, &task.valid, &probabilities),
        temperature,
        stage,
    }
}

/// A model that learns from its validation rows too (see `recipe::learns_from_all_rows`), and
/// its figures on them.
#[derive(Debug, Clone)]
pub struct AllRows {
    /// Trained on the train rows and the validation rows, calibrated on every row's out-of-fold
    /// outputs.
    pub model: LinearModel,
    /// The task's figures over the validation rows, each row's probabilities from the model of
    /// its part, which did not learn from it, calibrated on the other parts' out-of-fold outputs
    /// (train rows included), never on its own part's labels; the figures are those of all the
    /// rows together.
    pub scores: Vec<Score>,
}

/// Trains a model on the train rows and the validation rows, dealt together into
/// [`ALL_ROWS_FOLDS`] parts (row `i` of the train rows then the validation rows in part
/// `i % ALL_ROWS_FOLDS`). A model per part, trained on the others, gives that part's
/// out-of-fold outputs; the final model is calibrated on all of them (a yes/no threshold per
/// output, or a one-of-many model's temperature), and each part's validation rows are scored by
/// its own part's model, calibrated on the other parts' outputs, the figures taken over all the
/// validation rows together. `make` trains the (uncalibrated) models from a set of rows, blended
/// or not.
pub fn learn_from_all_rows<E>(
    task: &TaskData,
    train_samples: &[Sample],
    valid_samples: &[Sample],
    mut make: impl FnMut(&[Sample]) -> Result<LinearModel, E>,
) -> Result<AllRows, E> {
    let folds = ALL_ROWS_FOLDS;
    let fit = with_repeats(train_samples, valid_samples, 1);
    let part = |i: usize| i % folds;
    let mut logits = vec![Vec::new(); fit.len()];
    let mut models = Vec::with_capacity(folds);
    for p in 0..folds {
        let model = make(&part_of(&fit, folds, p, false))?;
        for (i, (features, _)) in fit.iter().enumerate().skip(p).step_by(folds) {
            logits[i] = model.logits(features);
        }
        models.push(model);
    }
    let labels: Vec<&[usize]> = fit.iter().map(|(_, l)| l.as_slice()).collect();
    // Each validation row's probabilities, from its part's model calibrated on the other parts.
    let mut probabilities = vec![Vec::new(); valid_samples.len()];
    for (p, mut model) in models.into_iter().enumerate() {
        let (others, other_labels): (Vec<Vec<f32>>, Vec<&[usize]>) = logits
            .iter()
            .zip(&labels)
            .enumerate()
            .filter(|(i, _)| part(*i) != p)
            .map(|(_, (z, l))| (z.clone(), *l))
            .unzip();
        calibrate_on(&mut model, &others, &other_labels);
        // The validation rows follow the train rows.
        let first = train_samples.len();
        for (j, row) in probabilities.iter_mut().enumerate() {
            if part(first + j) == p {
                *row = model.probabilities_from_logits(&logits[first + j]);
            }
        }
    }
    let scores = evaluate_probabilities(task, recipe::kind(task), &task.valid, &probabilities);
    let mut model = make(&fit)?;
    calibrate_on(&mut model, &logits, &labels);
    Ok(AllRows { model, scores })
}

/// The parts [`learn_from_all_rows`] deals the rows into.
pub const ALL_ROWS_FOLDS: usize = 5;

/// What learning from the validation rows too gains, on those rows: the figures of (1) a model
/// trained on the train split alone, each of `folds` parts of the validation rows scored with
/// the model calibrated on the other parts, as `calmdesk train` does for a model that does not
/// learn from them, and (2) [`learn_from_all_rows`]; `make` trains the (uncalibrated)
/// models, blended or not.
pub fn with_validation_rows<E>(
    task: &TaskData,
    train_samples: &[Sample],
    valid_samples: &[Sample],
    folds: usize,
    mut make: impl FnMut(&[Sample]) -> Result<LinearModel, E>,
) -> Result<[Vec<Score>; 2], E> {
    let folds = folds.max(2);
    let train_only = make(train_samples)?;
    let mut probabilities = vec![Vec::new(); valid_samples.len()];
    for fold in 0..folds {
        let mut model = train_only.clone();
        calibrate(&mut model, &part_of(valid_samples, folds, fold, false));
        for (i, (features, _)) in valid_samples.iter().enumerate().skip(fold).step_by(folds) {
            probabilities[i] = model.probabilities_from_logits(&model.logits(features));
        }
    }
    let now = evaluate_probabilities(task, train_only.kind, &task.valid, &probabilities);
    let all = learn_from_all_rows(task, train_samples, valid_samples, make)?;
    Ok([now, all.scores])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::datasets::{TaskId, TaskKind};
    use calmdesk_core::text::features::extract;

    /// An easy yes/no task of 60 rows, its first 15 also its validation rows when `valid` says.
    fn easy_task(valid: bool) -> TaskData {
        let rows: Vec<Example> = (0..60)
            .map(|i| Example {
                text: if i % 2 == 0 {
                    format!("thank you kindly friend {i}")
                } else {
                    format!("this is useless rubbish {i}")
                },
                labels: vec![i % 2],
            })
            .collect();
        TaskData {
            id: TaskId::Complaint,
            kind: TaskKind::MultiClass,
            labels: vec!["not_complaint".into(), "complaint".into()],
            valid: if valid {
                rows[45..].to_vec()
            } else {
                rows[..4].to_vec()
            },
            train: if valid { rows[..45].to_vec() } else { rows },
            split: "",
            licence: "",
            source: "",
        }
    }

    fn samples_of(rows: &[Example]) -> Vec<Sample> {
        rows.iter()
            .map(|e| {
                (
                    extract(&e.text, &TrainConfig::DEFAULT.features),
                    e.labels.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn learning_from_all_rows_scores_the_validation_rows_and_calibrates_the_model() {
        let task = easy_task(true);
        let config = TrainConfig {
            buckets_log2: 12,
            ..TrainConfig::DEFAULT
        };
        let (train_set, valid_set) = (samples_of(&task.train), samples_of(&task.valid));
        let kind = recipe::kind(&task);
        let make = |rows: &[Sample]| {
            let labels = task.labels.clone();
            Ok::<_, std::convert::Infallible>(train("complaint", kind, labels, rows, &config))
        };
        let learned = learn_from_all_rows(&task, &train_set, &valid_set, make).unwrap();
        assert_eq!(learned.scores.len(), 1);
        assert!(learned.scores[0].value > 0.9, "{:?}", learned.scores);
        assert!(learned.model.predict("what useless rubbish")[0] > 0.5);
        assert!(learned.model.predict("thank you kindly")[0] < 0.5);
        // The model learned from the validation rows too: it is not the train rows' model.
        let train_only = train("complaint", kind, task.labels.clone(), &train_set, &config);
        let features = &valid_set[0].0;
        assert_ne!(learned.model.logits(features), train_only.logits(features));
        // Training again gives the same model, byte for byte.
        let again = learn_from_all_rows(&task, &train_set, &valid_set, make).unwrap();
        assert_eq!(learned.model.to_bytes(), again.model.to_bytes());
    }

    #[test]
    fn cross_validation_scores_an_easy_task_highly() {
        let task = easy_task(false);
        let samples = samples_of(&task.train);
        let config = TrainConfig {
            buckets_log2: 12,
            ..TrainConfig::DEFAULT
        };
        let scores = cross_validate(&task, &samples, &config, 3);
        assert_eq!(scores.len(), 1);
        assert!(scores[0].value > 0.9, "{scores:?}");
    }
}
