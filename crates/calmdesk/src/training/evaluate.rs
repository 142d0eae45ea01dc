//! Scoring a model on its task's validation split, with the metric of the data set's paper.

use calmdesk_core::model::metrics::{accuracy, f1, macro_f1, macro_recall};
use calmdesk_core::model::{LinearModel, ModelKind};

use super::datasets::{Example, TaskData, TaskId};

/// One figure: what it measures and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub metric: &'static str,
    pub value: f64,
}

/// The value and row count of the figure named `metric` among figures measured on other rows
/// than a model's own (`heat_check`, `intent_check`); panics when there is none (for tests).
#[cfg(test)]
pub fn figure(scores: &[(Score, usize)], metric: &str) -> (f64, usize) {
    scores
        .iter()
        .find(|(s, _)| s.metric == metric)
        .map(|(s, rows)| (s.value, *rows))
        .unwrap_or_else(|| panic!("no figure {metric:?}"))
}

/// The predicted label of each example, from its probabilities, for one-of-many and yes/no
/// models.
fn predicted_classes(kind: ModelKind, probabilities: &[Vec<f32>]) -> Vec<usize> {
    probabilities
        .iter()
        .map(|p| match kind {
            ModelKind::Binary => usize::from(p.first().is_some_and(|&p| p >= 0.5)),
            _ => p
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i)
                .unwrap_or(0),
        })
        .collect()
}

fn gold_classes(examples: &[Example]) -> Vec<usize> {
    examples
        .iter()
        .map(|e| e.labels.first().copied().unwrap_or(0))
        .collect()
}

/// Macro-F1 over the labels of an any-of model at the 0.5 threshold.
fn multilabel_macro_f1(heads: usize, examples: &[Example], probabilities: &[Vec<f32>]) -> f64 {
    let mut total = 0.0;
    for h in 0..heads {
        let p: Vec<bool> = probabilities.iter().map(|p| p[h] >= 0.5).collect();
        let g: Vec<bool> = examples.iter().map(|e| e.labels.contains(&h)).collect();
        total += f1(&p, &g);
    }
    total / heads as f64
}

/// The figures a task is judged by, of `model` on the task's validation split.
pub fn evaluate(task: &TaskData, model: &LinearModel) -> Vec<Score> {
    let probabilities: Vec<Vec<f32>> = task.valid.iter().map(|e| model.predict(&e.text)).collect();
    evaluate_probabilities(task, model.kind, &task.valid, &probabilities)
}

/// The figures a task is judged by, on `examples` whose calibrated probabilities (as a model of
/// `kind` gives them) are `probabilities`, row for row: they may come from several models, each
/// row's from a model that did not learn from it.
pub fn evaluate_probabilities(
    task: &TaskData,
    kind: ModelKind,
    examples: &[Example],
    probabilities: &[Vec<f32>],
) -> Vec<Score> {
    let score = |metric, value| Score { metric, value };
    if kind == ModelKind::MultiLabel {
        return vec![score(
            "macro-F1 (28 labels, at 0.5)",
            multilabel_macro_f1(task.labels.len(), examples, probabilities),
        )];
    }
    let predicted = predicted_classes(kind, probabilities);
    let gold = gold_classes(examples);
    let classes = task.labels.len();
    match task.id {
        TaskId::Sentiment => vec![score(
            "macro-recall",
            macro_recall(&predicted, &gold, classes),
        )],
        TaskId::TweetEmotion => {
            let anger = task.labels.iter().position(|l| l == "anger").unwrap_or(0);
            let p: Vec<bool> = predicted.iter().map(|&c| c == anger).collect();
            let g: Vec<bool> = gold.iter().map(|&c| c == anger).collect();
            vec![
                score("anger-vs-rest F1", f1(&p, &g)),
                score("macro-F1", macro_f1(&predicted, &gold, classes)),
            ]
        }
        TaskId::Irony => {
            let p: Vec<bool> = predicted.iter().map(|&c| c == 1).collect();
            let g: Vec<bool> = gold.iter().map(|&c| c == 1).collect();
            vec![score("F1 (ironic)", f1(&p, &g))]
        }
        TaskId::Politeness | TaskId::Intents => {
            vec![score("accuracy", accuracy(&predicted, &gold))]
        }
        TaskId::EmpathyEr | TaskId::EmpathyIp | TaskId::EmpathyEx => vec![
            score("accuracy", accuracy(&predicted, &gold)),
            score("macro-F1", macro_f1(&predicted, &gold, classes)),
        ],
        TaskId::Emotions
        | TaskId::Offensive
        | TaskId::Hate
        | TaskId::Complaint
        | TaskId::Abusive => vec![score("macro-F1", macro_f1(&predicted, &gold, classes))],
    }
}
