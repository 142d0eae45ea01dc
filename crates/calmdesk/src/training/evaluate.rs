//! Scoring a model on its task's validation split, with the metric of the data set's paper.

use calmdesk_core::model::metrics::{accuracy, f1, macro_f1, macro_recall};
use calmdesk_core::model::{LinearModel, ModelKind};
use calmdesk_core::text::features::extract;

use super::datasets::{Example, TaskData, TaskId};

/// One figure: what it measures and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub metric: &'static str,
    pub value: f64,
}

/// The predicted label of each example for one-of-many and yes/no models.
fn predicted_classes(model: &LinearModel, examples: &[Example]) -> Vec<usize> {
    examples
        .iter()
        .map(|e| {
            let p = model.predict(&e.text);
            match model.kind {
                ModelKind::Binary => usize::from(p[0] >= 0.5),
                _ => p
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(i, _)| i)
                    .unwrap_or(0),
            }
        })
        .collect()
}

fn gold_classes(examples: &[Example]) -> Vec<usize> {
    examples
        .iter()
        .map(|e| e.labels.first().copied().unwrap_or(0))
        .collect()
}

/// Macro-F1 over labels of an any-of model at the 0.5 threshold.
fn multilabel_macro_f1(model: &LinearModel, examples: &[Example]) -> f64 {
    let heads = model.heads();
    let predictions: Vec<Vec<f32>> = examples
        .iter()
        .map(|e| {
            let features = extract(&e.text, &model.features);
            model.probabilities_from_logits(&model.logits(&features))
        })
        .collect();
    let mut total = 0.0;
    for h in 0..heads {
        let p: Vec<bool> = predictions.iter().map(|p| p[h] >= 0.5).collect();
        let g: Vec<bool> = examples.iter().map(|e| e.labels.contains(&h)).collect();
        total += f1(&p, &g);
    }
    total / heads as f64
}

/// The figures a task is judged by.
pub fn evaluate(task: &TaskData, model: &LinearModel) -> Vec<Score> {
    let valid = &task.valid;
    let score = |metric, value| Score { metric, value };
    if model.kind == ModelKind::MultiLabel {
        return vec![score(
            "macro-F1 (28 labels, at 0.5)",
            multilabel_macro_f1(model, valid),
        )];
    }
    let predicted = predicted_classes(model, valid);
    let gold = gold_classes(valid);
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
