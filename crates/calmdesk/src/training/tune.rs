//! Choosing a task's training settings without looking at its validation split: k-fold
//! cross-validation on the train split.
//!
//! The train rows are dealt into `folds` parts in file order (row `i` goes to part `i % folds`);
//! each part in turn is held out, a model is trained on the others, calibrated on the held-out
//! part (as `calmdesk train` calibrates on validation) and scored there with the task's metric.
//! The figures are averaged over the parts. The validation split is never touched.

use calmdesk_core::model::train::{calibrate, train, Sample, TrainConfig};
use calmdesk_core::model::LinearModel;

use super::blending::{self, Donors};
use super::datasets::{Example, TaskData};
use super::evaluate::{evaluate, Score};
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
    /// The task's figures, averaged over the parts.
    pub scores: Vec<Score>,
    /// The softmax temperature fitted on each held-out part, averaged: a temperature measured
    /// on rows the models did not see, for the model that then trains on all of them.
    pub temperature: f32,
    /// With a second stage, the stage fitted on every row's out-of-fold outputs, for the model
    /// that then trains on all of them (see `second_stage`).
    pub stage: Option<Vec<Blend>>,
}

/// The task's figures over `folds` parts of its validation split, each part scored by a model
/// trained on the whole train split and the other parts, `repeats` times each (and calibrated
/// on those parts).
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
    let mut totals = Totals::default();
    let mut temperature = 0.0;
    let mut models = Vec::with_capacity(folds);
    let mut out_of_fold = vec![Vec::new(); valid_samples.len()];
    for fold in 0..folds {
        let others = part_of(valid_samples, folds, fold, false);
        let fit = with_repeats(train_samples, &others, repeats.max(1));
        let mut model = train(task.id.name(), kind, task.labels.clone(), &fit, config);
        let mut probe = model.clone();
        calibrate(&mut probe, &part_of(valid_samples, folds, fold, true));
        temperature += probe.temperature() / folds as f32;
        calibrate(&mut model, &others);
        if let Some(donors) = stage {
            let rows = task.valid.iter().zip(valid_samples).enumerate();
            for (i, (example, (features, _))) in rows.skip(fold).step_by(folds) {
                out_of_fold[i] = second_stage::inputs(&model, donors, &example.text, features);
            }
            models.push(model);
        } else {
            totals.add(score_on(
                task,
                &model,
                part_of(&task.valid, folds, fold, true),
            ));
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
            totals.add(score_on(
                task,
                &second_stage::fold(model, donors, &fitted),
                part_of(&task.valid, folds, fold, true),
            ));
        }
        second_stage::fit(&out_of_fold, &labels, classes)
    });
    HeldOut {
        scores: totals.mean(folds),
        temperature,
        stage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::datasets::{TaskId, TaskKind};
    use calmdesk_core::text::features::extract;

    #[test]
    fn cross_validation_scores_an_easy_task_highly() {
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
        let task = TaskData {
            id: TaskId::Complaint,
            kind: TaskKind::MultiClass,
            labels: vec!["not_complaint".into(), "complaint".into()],
            valid: rows[..4].to_vec(),
            train: rows,
            split: "",
            licence: "",
            source: "",
        };
        let samples: Vec<Sample> = task
            .train
            .iter()
            .map(|e| {
                (
                    extract(&e.text, &TrainConfig::DEFAULT.features),
                    e.labels.clone(),
                )
            })
            .collect();
        let config = TrainConfig {
            buckets_log2: 12,
            ..TrainConfig::DEFAULT
        };
        let scores = cross_validate(&task, &samples, &config, 3);
        assert_eq!(scores.len(), 1);
        assert!(scores[0].value > 0.9, "{scores:?}");
    }
}
