//! `calmdesk eval`: score every model on its validation split and print a table.

use anyhow::Context;

use crate::cli::EvalArgs;
use crate::commands::train::featurise;
use crate::training::blending::{self, Donors};
use crate::training::datasets::{self, TaskId};
use crate::training::evaluate::Score;
use crate::training::{evaluate, heat_check, intent_check, recipe, second_stage, tune};

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let set = crate::models::load(args.models.as_deref())?;
    let reading_models = set.reading_models()?;
    let models = set.models;
    // The models a second stage reads, trained as `calmdesk train` trains them.
    let mut donors = Donors::new(&args.data);
    println!("| model | metric | validation | rows |");
    println!("|---|---|---|---|");
    for model in &models {
        let Some(id) = TaskId::parse(&model.name) else {
            continue;
        };
        let task = datasets::load(&args.data, id)
            .with_context(|| format!("cannot load the {} data", id.name()))?;
        // A model that trains on its validation rows is scored as it was chosen: by
        // cross-validation over them, retraining its recipe (the figure of the recipe, not of
        // the loaded model).
        let scores = if recipe::learns_from_all_rows(id) {
            let config = recipe::config(id);
            let train_set = featurise(&task.train, &config.features);
            let valid_set = featurise(&task.valid, &config.features);
            tune::learn_from_all_rows(&task, &train_set, &valid_set, |rows| {
                blending::train_model(&task, id, rows, &config, &mut donors).map(|(m, _)| m)
            })?
            .scores
        } else if recipe::validation_repeats(id) > 0 {
            let config = recipe::config(id);
            let train_set = featurise(&task.train, &config.features);
            let valid_set = featurise(&task.valid, &config.features);
            let stage_donors = second_stage::donors(id, &config.features, &mut donors)?;
            tune::cross_validate_with_train(
                &task,
                &train_set,
                &valid_set,
                &config,
                (recipe::VALIDATION_FOLDS, recipe::validation_repeats(id)),
                stage_donors.as_deref(),
            )
            .scores
        } else {
            evaluate::evaluate(&task, model)
        };
        print_scores(&model.name, scores, task.valid.len());
    }
    // The heat is no model of its own: its hand-set weights are checked on stand-in labels.
    for (score, rows) in heat_check::heat_scores(&args.data, &reading_models)? {
        print_scores("heat", vec![score], rows);
    }
    // The intents are scored on Bitext's own dev requests above; here, on other messages.
    for (score, rows) in intent_check::intent_scores(&args.data, &reading_models)? {
        print_scores("intents", vec![score], rows);
    }
    Ok(())
}

fn print_scores(model: &str, scores: Vec<Score>, rows: usize) {
    for score in scores {
        println!(
            "| {model} | {} | {:.3} | {rows} |",
            score.metric, score.value
        );
    }
}
