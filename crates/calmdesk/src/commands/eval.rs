//! `calmdesk eval`: score every model on its validation split and print a table.

use anyhow::Context;

use crate::cli::EvalArgs;
use crate::training::datasets::{self, TaskId};
use crate::training::evaluate;

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let models = crate::models::load(args.models.as_deref())?.models;
    println!("| model | metric | validation | rows |");
    println!("|---|---|---|---|");
    for model in &models {
        let Some(id) = TaskId::parse(&model.name) else {
            continue;
        };
        let task = datasets::load(&args.data, id)
            .with_context(|| format!("cannot load the {} data", id.name()))?;
        for score in evaluate::evaluate(&task, model) {
            println!(
                "| {} | {} | {:.3} | {} |",
                model.name,
                score.metric,
                score.value,
                task.valid.len()
            );
        }
    }
    Ok(())
}
