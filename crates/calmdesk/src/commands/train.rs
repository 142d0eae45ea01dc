//! `calmdesk train`: rebuild every model from the public data, deterministically, and write
//! the files the binary embeds, with their model cards.

use std::path::Path;
use std::thread;

use anyhow::Context;
use calmdesk_core::model::train::{calibrate, train, Sample};
use calmdesk_core::model::{LinearModel, ModelKind};
use calmdesk_core::text::features::{extract, FeatureConfig};

use crate::cli::TrainArgs;
use crate::training::datasets::{self, Example, TaskData, TaskId};
use crate::training::{card, evaluate, recipe};

/// The version written on every model this code trains; raise it when training changes.
pub const MODEL_VERSION: &str = "1";

pub fn run(args: TrainArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.dump_splits {
        std::fs::create_dir_all(dir)?;
        datasets::dump_splits(&args.data, dir)?;
        println!("wrote the train and validation splits to {}", dir.display());
        return Ok(());
    }
    let tasks = selected(&args.task)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    println!("| model | metric | validation |");
    println!("|---|---|---|");
    for id in tasks {
        let model = train_task(&args.data, id)?;
        let path = args.out.join(format!("{}.cdm", id.name()));
        std::fs::write(&path, model.to_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        for figure in model.note("figures").unwrap_or_default().split("; ") {
            if let Some((metric, value)) = figure.rsplit_once(' ') {
                println!("| {} | {metric} | {value} |", id.name());
            }
        }
    }
    let models = crate::models::load_dir(&args.out)?;
    std::fs::write(args.out.join("README.md"), card::render(&models))?;
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
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Trains, calibrates and describes one task's model.
pub fn train_task(data: &Path, id: TaskId) -> anyhow::Result<LinearModel> {
    let task: TaskData =
        datasets::load(data, id).with_context(|| format!("cannot load the {} data", id.name()))?;
    let config = recipe::config(id);
    let kind = recipe::kind(&task);
    let train_set = featurise(&task.train, &config.features);
    let valid_set = featurise(&task.valid, &config.features);
    let mut model = train(id.name(), kind, task.labels.clone(), &train_set, &config);
    calibrate(&mut model, &valid_set);
    let figures: Vec<String> = evaluate::evaluate(&task, &model)
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
            "calmdesk train --task {} (seed {}, {} epochs of AdaGrad)",
            id.name(),
            config.seed,
            config.epochs
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
    model.set_note("figures", figures.join("; "));
    Ok(model)
}
