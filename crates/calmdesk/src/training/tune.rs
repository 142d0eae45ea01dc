//! Choosing a task's training settings without looking at its validation split: k-fold
//! cross-validation on the train split.
//!
//! The train rows are dealt into `folds` parts in file order (row `i` goes to part `i % folds`);
//! each part in turn is held out, a model is trained on the others, calibrated on the held-out
//! part (as `calmdesk train` calibrates on validation) and scored there with the task's metric.
//! The figures are averaged over the parts. The validation split is never touched.

use calmdesk_core::model::train::{calibrate, train, Sample, TrainConfig};

use super::datasets::{Example, TaskData};
use super::evaluate::{evaluate, Score};
use super::recipe;

/// The task's figures averaged over `folds` cross-validation parts of its train split.
///
/// `samples` are the featurised train rows, in the order of `task.train`.
pub fn cross_validate(
    task: &TaskData,
    samples: &[Sample],
    config: &TrainConfig,
    folds: usize,
) -> Vec<Score> {
    let folds = folds.max(2);
    let kind = recipe::kind(task);
    let mut totals: Vec<Score> = Vec::new();
    for fold in 0..folds {
        let held = |i: usize| i % folds == fold;
        let fit: Vec<Sample> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| !held(*i))
            .map(|(_, s)| s.clone())
            .collect();
        let check: Vec<Sample> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| held(*i))
            .map(|(_, s)| s.clone())
            .collect();
        let check_rows: Vec<Example> = task
            .train
            .iter()
            .enumerate()
            .filter(|(i, _)| held(*i))
            .map(|(_, e)| e.clone())
            .collect();
        let mut model = train(task.id.name(), kind, task.labels.clone(), &fit, config);
        calibrate(&mut model, &check);
        let part = TaskData {
            valid: check_rows,
            train: Vec::new(),
            ..task.clone()
        };
        for (k, score) in evaluate(&part, &model).into_iter().enumerate() {
            match totals.get_mut(k) {
                Some(total) => total.value += score.value,
                None => totals.push(score),
            }
        }
    }
    for total in &mut totals {
        total.value /= folds as f64;
    }
    totals
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
