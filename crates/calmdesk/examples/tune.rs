//! Cross-validates training settings for one task on its train split.
//!
//! ```sh
//! cargo run --release -p calmdesk --example tune -- hate --l2 1e-3,1e-2 --balance 0,0.5 --valid
//! ```
//!
//! Every combination of the listed values (the recipe's own where a setting is not listed) is
//! scored by `--folds` (default 5) cross-validation on the train split and printed. `--valid`
//! also prints the validation figures of a model trained on the whole train split, for
//! reference only: choose settings by the cross-validation figures. `--no-cv` skips the
//! cross-validation (for transfer tasks, such as sentiment, whose train rows come from other
//! data sets). `--extra FILE` (repeatable) adds the rows of a JSON Lines file in the format of
//! `calmdesk train --dump-splits` to the train split, to try other training data.
//! `--cues 0|1` turns the cue features (the text's shape) off or on, whatever the recipe says;
//! `--word-ngrams N` and `--chars MIN-MAX` (`0-0`: none) change the n-grams extracted.
//! `--valid-folds K` deals the validation rows into K parts and scores each part with a model
//! trained on the train split plus the other parts: what the validation rows would add as
//! training data (for transfer tasks such as sentiment, whose train rows are from elsewhere);
//! `--valid-repeats R` adds those parts R times over, to weigh them more; `--second-stage 0|1`
//! scores each part with a second stage folded in, fitted on the other parts' out-of-fold
//! outputs (see `training::second_stage`; by default as the recipe says, and only for a model
//! that reads the valence features); `--stage-donors A,B` names the models whose outputs the
//! stage reads besides the task's own (`none`: no others; by default the recipe's).
//! `--blend 1` also cross-validates the task's model blended with the other Reading models'
//! outputs (see `training::blending`; yes/no and one-of-many tasks), each part's blend learned from the
//! other parts.
//! `--all-rows K` scores, over K parts of the validation rows, a model trained on the train split
//! (calibrated on the other parts) against one that learns from the validation rows too
//! (`training::tune::learn_from_all_rows`; blended with `--blend 1`).
//! `--data DIR` points at the data folder (default `../shared/data`).

use std::path::PathBuf;

use anyhow::{bail, Context};
use calmdesk::commands::train::featurise;
use calmdesk::training::blending::{self, Donors};
use calmdesk::training::datasets::{self, TaskId};
use calmdesk::training::{evaluate, recipe, tune};
use calmdesk_core::model::train::{calibrate, train, Sample};

fn list(value: &str) -> anyhow::Result<Vec<f32>> {
    value
        .split(',')
        .map(|v| {
            v.trim()
                .parse::<f32>()
                .with_context(|| format!("not a number: {v}"))
        })
        .collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        bail!("usage: tune TASK [--l2 A,B] [--epochs A,B] [--lr A,B] [--balance A,B] [--word-only 0,1] [--folds K] [--valid] [--no-cv] [--extra FILE] [--cues 0|1] [--word-ngrams N] [--chars MIN-MAX] [--valid-folds K] [--valid-repeats R] [--blend 0|1] [--strategies 0|1] [--negation 0|1] [--valence 0|1] [--second-stage 0|1] [--stage-donors A,B] [--all-rows K] [--data DIR]");
    };
    let id = TaskId::parse(name).with_context(|| format!("no task {name}"))?;
    let mut base = recipe::config(id);
    let (mut l2s, mut epochs, mut rates, mut balances) = (
        vec![base.l2],
        vec![base.epochs as f32],
        vec![base.learning_rate],
        vec![base.class_balance],
    );
    let mut word_only = vec![base.word_only];
    let (mut folds, mut valid, mut cv) = (5usize, false, true);
    let (mut valid_folds, mut valid_repeats) = (0usize, 1usize);
    let mut data = PathBuf::from(calmdesk::cli::DEFAULT_DATA);
    let mut extra: Vec<PathBuf> = Vec::new();
    let mut blend = false;
    let mut all_rows = 0usize;
    let mut stage: Option<bool> = None;
    let mut stage_donors: Option<Vec<TaskId>> = None;
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--l2" => l2s = list(value()?)?,
            "--epochs" => epochs = list(value()?)?,
            "--lr" => rates = list(value()?)?,
            "--balance" => balances = list(value()?)?,
            "--word-only" => word_only = list(value()?)?.into_iter().map(|v| v != 0.0).collect(),
            "--folds" => folds = value()?.parse()?,
            "--valid-folds" => valid_folds = value()?.parse()?,
            "--valid-repeats" => valid_repeats = value()?.parse()?,
            "--data" => data = PathBuf::from(value()?),
            "--valid" => valid = true,
            "--all-rows" => all_rows = value()?.parse()?,
            "--blend" => blend = value()? != "0",
            "--second-stage" => stage = Some(value()? != "0"),
            "--stage-donors" => {
                stage_donors = Some(
                    value()?
                        .split(',')
                        .filter(|d| *d != "none" && !d.is_empty())
                        .map(|d| TaskId::parse(d).with_context(|| format!("no task {d}")))
                        .collect::<anyhow::Result<_>>()?,
                )
            }
            "--no-cv" => cv = false,
            "--extra" => extra.push(PathBuf::from(value()?)),
            "--cues" => base.features.cues = value()? != "0",
            "--strategies" => base.features.strategies = value()? != "0",
            "--negation" => base.features.negation = value()? != "0",
            "--valence" => base.features.valence = value()? != "0",
            "--abuse" => base.features.abuse = value()? != "0",
            "--word-ngrams" => base.features.word_ngrams = value()?.parse()?,
            "--chars" => {
                let (min, max) = value()?
                    .split_once('-')
                    .context("--chars takes MIN-MAX, such as 3-5 (0-0: none)")?;
                base.features.char_min = min.parse()?;
                base.features.char_max = max.parse()?;
            }
            other => bail!("unknown option {other}"),
        }
    }
    let mut task = datasets::load(&data, id)?;
    for path in &extra {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let row: serde_json::Value = serde_json::from_str(line)?;
            let labels = row["labels"]
                .as_array()
                .context("no labels")?
                .iter()
                .filter_map(|l| l.as_u64().map(|l| l as usize))
                .collect();
            let text = row["text"].as_str().context("no text")?.to_owned();
            task.train.push(datasets::Example { text, labels });
        }
    }
    // The stage's donors, from a pool of their own: the blends below borrow `donors`.
    let recipe_stage = recipe::second_stage(id, &base.features);
    let stage_ids: Option<Vec<TaskId>> = match stage.unwrap_or(recipe_stage.is_some()) {
        true if base.features.valence => {
            Some(stage_donors.unwrap_or_else(|| recipe_stage.unwrap_or(&[]).to_vec()))
        }
        _ => None,
    };
    let mut stage_pool = Donors::new(&data);
    let stage_models = match &stage_ids {
        Some(ids) => Some(stage_pool.get(ids, base.features)?),
        None => None,
    };
    let samples = featurise(&task.train, &base.features);
    let valid_samples = featurise(&task.valid, &base.features);
    let mut donors = Donors::new(&data);
    for &l2 in &l2s {
        for &e in &epochs {
            for &learning_rate in &rates {
                for &class_balance in &balances {
                    for &word_only in &word_only {
                        let config = calmdesk_core::model::train::TrainConfig {
                            l2,
                            epochs: e as u32,
                            learning_rate,
                            class_balance,
                            word_only,
                            ..base
                        };
                        let mut line = format!(
                            "{name} l2={l2} epochs={e} lr={learning_rate} \
                             balance={class_balance} word_only={word_only}"
                        );
                        if cv {
                            for s in tune::cross_validate(&task, &samples, &config, folds) {
                                line.push_str(&format!(" | cv {} {:.4}", s.metric, s.value));
                            }
                            if blend {
                                let scores = tune::cross_validate_blended(
                                    &task,
                                    &samples,
                                    &config,
                                    folds,
                                    &mut donors,
                                )?;
                                for s in scores {
                                    line.push_str(&format!(
                                        " | cv blended {} {:.4}",
                                        s.metric, s.value
                                    ));
                                }
                            }
                        }
                        if valid_folds >= 2 {
                            let scores = tune::cross_validate_with_train(
                                &task,
                                &samples,
                                &valid_samples,
                                &config,
                                (valid_folds, valid_repeats),
                                stage_models.as_deref(),
                            );
                            for s in scores.scores {
                                line.push_str(&format!(" | valid-cv {} {:.4}", s.metric, s.value));
                            }
                        }
                        if all_rows >= 2 {
                            let kind = recipe::kind(&task);
                            let donors = &mut donors;
                            let make = |rows: &[Sample]| {
                                if blend {
                                    blending::train_blended(&task, id, rows, &config, donors)
                                        .map(|(model, _)| model)
                                } else {
                                    let labels = task.labels.clone();
                                    Ok(train(id.name(), kind, labels, rows, &config))
                                }
                            };
                            let [now, all] = tune::with_validation_rows(
                                &task,
                                &samples,
                                &valid_samples,
                                all_rows,
                                make,
                            )?;
                            for (what, scores) in [("train-only", now), ("all-rows", all)] {
                                for s in scores {
                                    line.push_str(&format!(
                                        " | {what} {} {:.4}",
                                        s.metric, s.value
                                    ));
                                }
                            }
                        }
                        if valid {
                            let kind = recipe::kind(&task);
                            let mut model =
                                train(id.name(), kind, task.labels.clone(), &samples, &config);
                            calibrate(&mut model, &valid_samples);
                            for s in evaluate::evaluate(&task, &model) {
                                line.push_str(&format!(" | valid {} {:.4}", s.metric, s.value));
                            }
                            if blend {
                                let (mut model, _) = blending::train_blended(
                                    &task,
                                    id,
                                    &samples,
                                    &config,
                                    &mut donors,
                                )?;
                                calibrate(&mut model, &valid_samples);
                                for s in evaluate::evaluate(&task, &model) {
                                    line.push_str(&format!(
                                        " | valid blended {} {:.4}",
                                        s.metric, s.value
                                    ));
                                }
                            }
                        }
                        println!("{line}");
                    }
                }
            }
        }
    }
    Ok(())
}
