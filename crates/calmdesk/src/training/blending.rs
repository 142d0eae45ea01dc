//! Blended models: a yes/no or one-of-many Reading model that also reads the raw outputs of the other Reading
//! models, folded into its own weights (see `calmdesk_core::model::blend`), so reading a
//! message costs nothing more.
//!
//! The blend's coefficients are learned on the task's train split: the task's own model is
//! represented there by out-of-fold outputs (each fifth scored by a model trained on the other
//! four fifths, so it does not look better than it is on text it never saw), and the other
//! models by their outputs as trained on their own data.

use std::path::Path;

use anyhow::Context;
use calmdesk_core::analysis::READING_MODELS;
use calmdesk_core::model::blend::{fit_logistic, fit_softmax, fold_heads, Head};
use calmdesk_core::model::train::{train, Sample, TrainConfig};
use calmdesk_core::model::{LinearModel, ModelKind};
use calmdesk_core::text::features::FeatureConfig;

use super::datasets::{self, TaskData, TaskId};
use super::{recipe, tune};

/// Parts the train split is dealt into for the task's own out-of-fold outputs.
const FOLDS: usize = 5;

/// The blend's penalty on its standardised coefficients, and its gradient steps.
const L2: f64 = 1e-3;
const ITERATIONS: usize = 300;

/// The blended models, in the order they are trained: each reads the ones before it.
/// Tweet_emotion's anger-vs-rest F1 on validation rose from 0.784 to 0.799 and offensive's
/// macro-F1 from 0.707 to 0.735, while complaint, abusive, irony and hate lost (politeness
/// moved within noise); see docs/accuracy.md.
const BLENDED: [TaskId; 2] = [TaskId::TweetEmotion, TaskId::Offensive];

/// Whether a task's model is blended with the other Reading models' outputs.
pub fn is_blended(id: TaskId) -> bool {
    BLENDED.contains(&id)
}

/// `tasks` in the order they are trained: a blended model after the models it reads.
pub fn training_order(mut tasks: Vec<TaskId>) -> Vec<TaskId> {
    tasks.sort_by_key(|id| BLENDED.iter().position(|b| b == id).map_or(0, |p| p + 1));
    tasks
}

/// The models whose outputs `id`'s blend reads: every other Reading model that is not blended
/// or is blended before it, in the Reading's order. A model whose recipe reads more than the
/// blend's features (politeness reads the politeness strategies) is read as trained on the
/// blend's features alone, since only a model of the same features can be folded in.
pub fn donors_of(id: TaskId) -> Vec<TaskId> {
    let place = |t: TaskId| BLENDED.iter().position(|&b| b == t);
    READING_MODELS
        .iter()
        .filter_map(|name| TaskId::parse(name))
        .filter(|&d| {
            d != id
                && match (place(d), place(id)) {
                    (None, _) => true,
                    (Some(donor), Some(blend)) => donor < blend,
                    (Some(_), None) => false,
                }
        })
        .collect()
}

/// Models trained in this run, for blends to read; a model not yet trained, or trained on other
/// features than a blend's, is trained when a blend first needs it, with its own recipe and the
/// blend's features.
#[derive(Debug)]
pub struct Donors<'d> {
    data: &'d Path,
    models: Vec<(TaskId, LinearModel)>,
}

impl<'d> Donors<'d> {
    pub fn new(data: &'d Path) -> Donors<'d> {
        Donors {
            data,
            models: Vec::new(),
        }
    }

    /// Keeps a model trained in this run, when a blend reads it.
    pub fn insert(&mut self, id: TaskId, model: LinearModel) {
        let read = TaskId::ALL
            .iter()
            .any(|&blended| is_blended(blended) && donors_of(blended).contains(&id));
        if read {
            self.models.retain(|(d, _)| *d != id);
            self.models.push((id, model));
        }
    }

    /// Keeps a model as `calmdesk train` trained it, when a blend reads that model: not one
    /// that blends read as learned from its own data set's rows alone
    /// ([`datasets::blends_read_own_rows`]), which [`Donors::get`] trains when needed.
    pub fn keep_trained(&mut self, id: TaskId, model: LinearModel) {
        if !datasets::blends_read_own_rows(id) {
            self.insert(id, model);
        }
    }

    /// The models of `ids` reading `features`, in that order, each trained first if it is not
    /// yet.
    pub fn get(
        &mut self,
        ids: &[TaskId],
        features: FeatureConfig,
    ) -> anyhow::Result<Vec<&LinearModel>> {
        let found = |models: &[(TaskId, LinearModel)], id: TaskId| {
            models
                .iter()
                .position(|(d, m)| *d == id && m.features == features)
        };
        for &id in ids {
            if found(&self.models, id).is_none() {
                let config = TrainConfig {
                    features,
                    ..recipe::config(id)
                };
                let mut none = Donors::new(self.data);
                let task = datasets::load_for_blends(self.data, id)?;
                let model = crate::commands::train::train_loaded(task, id, &config, &mut none)?;
                self.models.push((id, model));
            }
        }
        Ok(ids
            .iter()
            .filter_map(|&id| found(&self.models, id).map(|at| &self.models[at].1))
            .collect())
    }
}

/// Trains `task`'s model, not yet calibrated, from `rows`: blended with the other Reading
/// models' outputs where [`is_blended`] says so (with the sentence for its model card), else
/// alone.
pub fn train_model(
    task: &TaskData,
    id: TaskId,
    rows: &[Sample],
    config: &TrainConfig,
    donors: &mut Donors,
) -> anyhow::Result<(LinearModel, Option<String>)> {
    if is_blended(id) {
        let (model, note) = train_blended(task, id, rows, config, donors)?;
        Ok((model, Some(note)))
    } else {
        let labels = task.labels.clone();
        Ok((
            train(id.name(), recipe::kind(task), labels, rows, config),
            None,
        ))
    }
}

/// Trains `task`'s yes/no or one-of-many model blended with the outputs of its donors (see
/// [`donors_of`]), not yet calibrated, and a sentence for its model card.
pub fn train_blended(
    task: &TaskData,
    id: TaskId,
    train_set: &[Sample],
    config: &TrainConfig,
    donors: &mut Donors,
) -> anyhow::Result<(LinearModel, String)> {
    let name = id.name();
    let kind = recipe::kind(task);
    if kind == ModelKind::MultiLabel {
        anyhow::bail!("only a yes/no or one-of-many model can be blended, and {name} is neither");
    }
    let donor_ids = donors_of(id);
    let models = donors
        .get(&donor_ids, config.features)
        .with_context(|| format!("cannot train the models {name} is blended with"))?;
    if let Some(other) = models
        .iter()
        .find(|m| m.buckets_log2 != config.buckets_log2 || m.features != config.features)
    {
        anyhow::bail!(
            "{name} is blended with the other Reading models and must share their features and \
             2^{} buckets, which {} has",
            other.buckets_log2,
            other.name
        );
    }
    let labels = task.labels.clone();
    let own = train(name, kind, labels.clone(), train_set, config);
    let mut out_of_fold = vec![Vec::new(); train_set.len()];
    for part in 0..FOLDS {
        let fit = tune::part_of(train_set, FOLDS, part, false);
        let model = train(name, kind, labels.clone(), &fit, config);
        for (i, (features, _)) in train_set.iter().enumerate().skip(part).step_by(FOLDS) {
            out_of_fold[i] = model.logits(features);
        }
    }
    let inputs: Vec<Vec<f32>> = train_set
        .iter()
        .zip(out_of_fold)
        .map(|((features, _), mut row)| {
            for model in &models {
                row.extend(model.logits(features));
            }
            row
        })
        .collect();
    let classes: Vec<usize> = train_set
        .iter()
        .map(|(_, labels)| labels.first().copied().unwrap_or(0))
        .collect();
    let blends = if kind == ModelKind::Binary {
        let positive: Vec<bool> = classes.iter().map(|&c| c == 1).collect();
        vec![fit_logistic(&inputs, &positive, L2, ITERATIONS)]
    } else {
        fit_softmax(&inputs, &classes, own.heads(), L2, ITERATIONS)
    };
    let heads: Vec<Head> = blends
        .iter()
        .map(|blend| {
            let mut coefficients = blend.coefficients.iter().copied();
            let mut parts = Vec::new();
            for model in std::iter::once(&&own).chain(&models) {
                for head in 0..model.heads() {
                    parts.push((*model, head, coefficients.next().unwrap_or(0.0)));
                }
            }
            (parts, blend.bias)
        })
        .collect();
    let folded = fold_heads(&own, kind, &heads);
    let names: Vec<String> = donor_ids
        .iter()
        .map(|&d| {
            let own_rows = datasets::blends_read_own_rows(d);
            let mut how = Vec::new();
            if recipe::config(d).features != config.features {
                how.push("retrained on the blend's features alone");
            } else if own_rows {
                how.push("retrained");
            }
            if own_rows {
                how.push("learned from its own data set's rows alone");
            }
            if how.is_empty() {
                d.name().to_owned()
            } else {
                format!("{} ({})", d.name(), how.join(", "))
            }
        })
        .collect();
    let regression = if kind == ModelKind::Binary {
        "logistic regression"
    } else {
        "multinomial logistic regression"
    };
    let description = format!(
        "its own outputs (out of {FOLDS} folds) blended by {regression} (L2 {L2} on \
         standardised inputs) with the raw outputs of {}, all folded into one table of weights",
        names.join(", ")
    );
    Ok((folded, description))
}

#[cfg(test)]
mod tests {
    use calmdesk_core::text::features::extract;

    use super::*;
    use crate::training::datasets::{Example, TaskKind};

    /// Texts and whether they are offensive.
    const ROWS: [(&str, usize); 8] = [
        ("you are a useless idiot", 1),
        ("what a stupid clown", 1),
        ("shut up you moron", 1),
        ("idiots the lot of you", 1),
        ("thanks for the quick help", 0),
        ("my parcel is late again", 0),
        ("could you check my order", 0),
        ("lovely service today", 0),
    ];

    fn task() -> TaskData {
        let rows: Vec<Example> = ROWS
            .iter()
            .map(|(text, label)| Example {
                text: (*text).to_owned(),
                labels: vec![*label],
            })
            .collect();
        TaskData {
            id: TaskId::Offensive,
            kind: TaskKind::MultiClass,
            labels: vec!["not-offensive".into(), "offensive".into()],
            train: rows.clone(),
            valid: rows,
            split: "",
            licence: "",
            source: "",
        }
    }

    /// The rows, featurised as the Reading's models read them.
    fn samples() -> Vec<Sample> {
        ROWS.iter()
            .map(|(t, l)| (extract(t, &FeatureConfig::DEFAULT), vec![*l]))
            .collect()
    }

    /// Donors trained on the same rows with `buckets_log2`, without any data folder.
    fn donors(buckets_log2: u8) -> Donors<'static> {
        let config = TrainConfig {
            buckets_log2,
            ..TrainConfig::DEFAULT
        };
        let samples = samples();
        let mut donors = Donors::new(Path::new("no-data-needed"));
        for id in donors_of(TaskId::Offensive) {
            let model = train(
                id.name(),
                ModelKind::Binary,
                vec!["no".into(), "yes".into()],
                &samples,
                &config,
            );
            donors.insert(id, model);
        }
        donors
    }

    #[test]
    fn a_blended_model_is_one_linear_model_that_separates_its_rows() {
        let task = task();
        let config = TrainConfig {
            buckets_log2: 12,
            ..TrainConfig::DEFAULT
        };
        let samples = samples();
        let mut donors = donors(12);
        let (model, note) =
            train_blended(&task, TaskId::Offensive, &samples, &config, &mut donors).unwrap();
        assert_eq!(model.name, "offensive");
        assert_eq!(model.heads(), 1);
        assert!(note.contains("emotions") && !note.contains("offensive,"));
        for (features, labels) in &samples {
            let z = model.logits(features)[0];
            assert_eq!(z > 0.0, labels[0] == 1, "{z}");
        }
    }

    #[test]
    fn donors_with_other_buckets_are_an_error_not_a_panic() {
        let config = TrainConfig {
            buckets_log2: 13,
            ..TrainConfig::DEFAULT
        };
        let samples = samples();
        let error = train_blended(
            &task(),
            TaskId::Offensive,
            &samples,
            &config,
            &mut donors(12),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("2^12 buckets"), "{error}");
    }

    #[test]
    fn a_blend_reads_every_other_reading_model_not_blended_after_it() {
        let donors = donors_of(TaskId::Offensive);
        assert_eq!(donors.len(), READING_MODELS.len() - 1);
        assert!(!donors.contains(&TaskId::Offensive));
        assert!(donors.contains(&TaskId::Emotions) && donors.contains(&TaskId::Abusive));
        // A blend reads the blends trained before it, and they do not read it.
        assert!(donors.contains(&TaskId::TweetEmotion));
        assert!(!donors_of(TaskId::TweetEmotion).contains(&TaskId::Offensive));
        assert_eq!(
            donors_of(TaskId::TweetEmotion).len(),
            READING_MODELS.len() - 2
        );
        // The coach's models are not the Reading's.
        assert!(!donors.contains(&TaskId::EmpathyEr));
        // A model that is not blended reads no blended one.
        let plain = donors_of(TaskId::Complaint);
        assert!(!plain.contains(&TaskId::Offensive) && !plain.contains(&TaskId::TweetEmotion));
        // Every blend is trained after the models it reads.
        let order = training_order(TaskId::ALL.to_vec());
        for (at, id) in order.iter().enumerate() {
            for donor in donors_of(*id).iter().filter(|_| is_blended(*id)) {
                let donor_at = order.iter().position(|d| d == donor).unwrap();
                assert!(donor_at < at, "{id:?} is trained before {donor:?}");
            }
        }
    }

    #[test]
    fn a_blended_one_of_many_model_has_a_head_per_label_and_separates_its_rows() {
        // Each label's rows share its words, so every fifth is learned from the other four.
        let words = ["furious angry", "lovely happy", "sad lonely"];
        let rows: Vec<Example> = (0..30)
            .map(|i| Example {
                text: format!("{} about order {}", words[i % 3], i / 3),
                labels: vec![i % 3],
            })
            .collect();
        let task = TaskData {
            id: TaskId::TweetEmotion,
            kind: TaskKind::MultiClass,
            labels: vec!["anger".into(), "joy".into(), "sadness".into()],
            train: rows.clone(),
            valid: rows.clone(),
            split: "",
            licence: "",
            source: "",
        };
        let samples: Vec<Sample> = rows
            .iter()
            .map(|e| (extract(&e.text, &FeatureConfig::DEFAULT), e.labels.clone()))
            .collect();
        let config = TrainConfig {
            buckets_log2: 12,
            ..TrainConfig::DEFAULT
        };
        let mut donors = donors(12);
        let (model, note) =
            train_blended(&task, TaskId::TweetEmotion, &samples, &config, &mut donors).unwrap();
        assert_eq!((model.kind, model.heads()), (ModelKind::MultiClass, 3));
        assert!(
            note.contains("multinomial") && !note.contains("offensive"),
            "{note}"
        );
        for (features, labels) in &samples {
            let z = model.logits(features);
            let best = (0..3).max_by(|&a, &b| z[a].total_cmp(&z[b]));
            assert_eq!(best, Some(labels[0]), "{z:?}");
        }
    }
}
