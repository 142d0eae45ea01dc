//! `calmdesk train`: rebuild every model from the public data, deterministically, and write
//! the files the binary embeds, with their model cards.

use std::path::Path;
use std::thread;

use anyhow::Context;
use calmdesk_core::model::train::{calibrate, train, Sample, TrainConfig};
use calmdesk_core::model::{LinearModel, ModelKind};
use calmdesk_core::text::features::{extract, FeatureConfig};

use crate::cli::TrainArgs;
use crate::training::blending::{self, Donors};
use crate::training::datasets::{self, Example, TaskData, TaskId};
use crate::training::{card, evaluate, recipe, second_stage, tune};

/// The version written on every model this code trains; raise it when training changes.
pub const MODEL_VERSION: &str = "2";

pub fn run(args: TrainArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.dump_splits {
        std::fs::create_dir_all(dir)?;
        datasets::dump_splits(&args.data, dir)?;
        println!("wrote the train and validation splits to {}", dir.display());
        return Ok(());
    }
    let tasks = blending::training_order(selected(&args.task)?);
    let mut donors = Donors::new(&args.data);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    println!("| model | metric | validation |");
    println!("|---|---|---|");
    for id in tasks {
        let mut config = recipe::config(id);
        config.epochs = args.epochs.unwrap_or(config.epochs);
        config.learning_rate = args.learning_rate.unwrap_or(config.learning_rate);
        config.buckets_log2 = args
            .buckets_log2
            .unwrap_or(config.buckets_log2)
            .clamp(8, 22);
        config.l2 = args.l2.unwrap_or(config.l2);
        let model = train_task(&args.data, id, &config, &mut donors)?;
        let path = args.out.join(format!("{}.cdm", id.name()));
        std::fs::write(&path, model.to_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        for figure in model.note("figures").unwrap_or_default().split("; ") {
            if let Some((metric, value)) = figure.rsplit_once(' ') {
                println!("| {} | {metric} | {value} |", id.name());
            }
        }
        donors.keep_trained(id, model);
    }
    let set = crate::models::load_dir(&args.out)?;
    std::fs::write(args.out.join("README.md"), card::render(&set.models))?;
    Ok(())
}

fn selected(names: &[String]) -> anyhow::Result<Vec<TaskId>> {
    if names.is_empty() {
        return Ok(TaskId::ALL.to_vec());
    }
    names
        .iter()
        .map(|n| {
            TaskId::parse(n).with_context(|| {
                let all: Vec<&str> = TaskId::ALL.iter().map(|t| t.name()).collect();
                format!("--task must be one of {}, not {n:?}", all.join(", "))
            })
        })
        .collect()
}

/// Extracts features on every core; the order of the result is the order of the input.
pub fn featurise(examples: &[Example], config: &FeatureConfig) -> Vec<Sample> {
    let threads = thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let chunk = examples.len().div_ceil(threads).max(1);
    thread::scope(|scope| {
        let handles: Vec<_> = examples
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|e| (extract(&e.text, config), e.labels.clone()))
                        .collect::<Vec<Sample>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Trains, calibrates and describes one task's model; a blended one reads the models of
/// `donors`, trained there first when they are not yet.
pub fn train_task(
    data: &Path,
    id: TaskId,
    config: &TrainConfig,
    donors: &mut Donors,
) -> anyhow::Result<LinearModel> {
    let task: TaskData =
        datasets::load(data, id).with_context(|| format!("cannot load the {} data", id.name()))?;
    train_loaded(task, id, config, donors)
}

/// [`train_task`] on data already loaded.
pub fn train_loaded(
    task: TaskData,
    id: TaskId,
    config: &TrainConfig,
    donors: &mut Donors,
) -> anyhow::Result<LinearModel> {
    let kind = recipe::kind(&task);
    let train_set = featurise(&task.train, &config.features);
    let valid_set = featurise(&task.valid, &config.features);
    let all_rows = recipe::learns_from_all_rows(id);
    let repeats = recipe::validation_repeats(id);
    let mut blend_note = None;
    let mut stage_note = None;
    let (mut model, scores) = if all_rows {
        let learned = tune::learn_from_all_rows(&task, &train_set, &valid_set, |rows| {
            let (model, note) = blending::train_model(&task, id, rows, config, donors)?;
            blend_note = note;
            Ok::<_, anyhow::Error>(model)
        })?;
        (learned.model, learned.scores)
    } else if repeats == 0 {
        let (mut model, note) = blending::train_model(&task, id, &train_set, config, donors)?;
        blend_note = note;
        calibrate(&mut model, &valid_set);
        let scores = evaluate::evaluate(&task, &model);
        (model, scores)
    } else {
        // The validation rows are training data too, so they are scored by cross-validation:
        // each part by a model that did not see it.
        let stage_donors = second_stage::donors(id, &config.features, donors)
            .with_context(|| format!("cannot train the models {}'s stage reads", id.name()))?;
        let held_out = tune::cross_validate_with_train(
            &task,
            &train_set,
            &valid_set,
            config,
            (recipe::VALIDATION_FOLDS, repeats),
            stage_donors.as_deref(),
        );
        let fit = tune::with_repeats(&train_set, &valid_set, repeats);
        let mut model = train(id.name(), kind, task.labels.clone(), &fit, config);
        calibrate(&mut model, &valid_set);
        if kind == ModelKind::MultiClass {
            // Fitted on seen rows the temperature would make it overconfident.
            model.set_temperature(held_out.temperature);
        }
        if let Some(stage) = &held_out.stage {
            model = second_stage::fold(&model, stage_donors.as_deref().unwrap_or(&[]), stage);
            let names: Vec<&str> = stage_donors
                .iter()
                .flatten()
                .map(|m| m.name.as_str())
                .collect();
            stage_note = Some(second_stage::description(&names));
        }
        (model, held_out.scores)
    };
    let figures: Vec<String> = scores
        .iter()
        .map(|s| format!("{} {:.3}", s.metric, s.value))
        .collect();
    model.set_note("version", MODEL_VERSION);
    model.set_note("source", task.source);
    model.set_note("licence", task.licence);
    model.set_note("split", task.split);
    model.set_note("train_rows", task.train.len().to_string());
    model.set_note("valid_rows", task.valid.len().to_string());
    model.set_note(
        "command",
        format!(
            "calmdesk train --task {} (seed {}, {} epochs of AdaGrad, learning rate {}, L2 {}, 2^{} buckets{})",
            id.name(),
            config.seed,
            config.epochs,
            config.learning_rate,
            config.l2,
            config.buckets_log2,
            if config.class_balance == 0.0 {
                String::new()
            } else {
                format!(
                    ", label weights 1/frequency^{}",
                    config.class_balance
                )
            }
        ),
    );
    model.set_note(
        "calibration",
        match kind {
            ModelKind::Binary | ModelKind::MultiLabel => {
                "per output, the logit threshold with the best F1 on the validation split is mapped to 0.5 by a sigmoid whose slope minimises log loss there"
            }
            ModelKind::MultiClass => "softmax temperature fitted by log loss on the validation split; the most probable label applies",
        },
    );
    if all_rows {
        model.set_note(
            "train_rows",
            format!(
                "{}, and the {} validation rows",
                task.train.len(),
                task.valid.len()
            ),
        );
        model.set_note(
            "calibration",
            format!(
                "{} the out-of-fold outputs of every training row (train and validation rows \
                 dealt into {} parts, each scored by a model trained on the others){}",
                match kind {
                    ModelKind::MultiClass => "softmax temperature fitted by log loss on",
                    _ => "per output, the logit threshold with the best F1 on",
                },
                tune::ALL_ROWS_FOLDS,
                match kind {
                    ModelKind::MultiClass => "; the most probable label applies",
                    _ => " is mapped to 0.5 by a sigmoid whose slope minimises log loss there",
                }
            ),
        );
        model.set_note(
            "split",
            format!(
                "{}; its rows are training data too, so the figures are {}-fold \
                 cross-validation over them: each row scored by its part's model, trained \
                 without it and calibrated on the other parts' out-of-fold outputs, the figures \
                 taken over all the rows together",
                task.split,
                tune::ALL_ROWS_FOLDS
            ),
        );
    } else if repeats > 0 {
        model.set_note(
            "train_rows",
            format!(
                "{}, and the {} validation rows {repeats} times over",
                task.train.len(),
                task.valid.len()
            ),
        );
        model.set_note(
            "calibration",
            if stage_note.is_some() {
                "the second stage's softmax, fitted by log loss (labels weighted alike) on the \
                 out-of-fold outputs of the validation split; the most probable label applies"
            } else {
                "softmax temperature: the mean of those fitted by log loss on each held-out part \
                 of the validation split; the most probable label applies"
            },
        );
        model.set_note(
            "split",
            format!(
                "{}; its rows are training data too ({repeats} times over), so the figures are \
                 {}-fold cross-validation over them, each part scored by a model trained \
                 without it, {}",
                task.split,
                recipe::VALIDATION_FOLDS,
                if stage_note.is_some() {
                    "with a second stage fitted on the other parts' out-of-fold outputs"
                } else {
                    "and its temperature is the mean of those fitted on each held-out part"
                }
            ),
        );
    }
    if let Some(note) = blend_note {
        model.set_note("blend", note);
    }
    if let Some(note) = stage_note {
        model.set_note("stage", note);
    }
    model.set_note("figures", figures.join("; "));
    Ok(model)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn repository() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn the_committed_models_are_exactly_what_training_produces() {
        let data = repository().join(crate::cli::DEFAULT_DATA);
        if !data.exists() {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI=true but the training data is missing at {}",
                data.display()
            );
            return;
        }
        let mut donors = Donors::new(&data);
        for id in blending::training_order(TaskId::ALL.to_vec()) {
            let model = train_task(&data, id, &recipe::config(id), &mut donors).unwrap();
            let committed = std::fs::read(repository().join(format!("models/{}.cdm", id.name())))
                .unwrap_or_else(|e| panic!("models/{}.cdm: {e}", id.name()));
            assert!(
                model.to_bytes() == committed,
                "models/{}.cdm is not what `calmdesk train --task {}` produces; retrain and commit",
                id.name(),
                id.name()
            );
            donors.keep_trained(id, model);
        }
    }
}
