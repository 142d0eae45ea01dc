//! Checking the heat, whose weights are set by hand, against labelled messages that stand in
//! for heat labels (there is no labelled heat data): Bitext's customer-service requests, where
//! those tagged as offensive language should read upset or worse and the rest calm, and the
//! TweetEval emotion validation tweets, where those labelled anger should rank above the rest.

use std::path::Path;

use anyhow::{Context, Result};
use calmdesk_core::analysis::{read, HeatLevel, Models, Reading};
use calmdesk_core::model::metrics::roc_auc;

use super::datasets;
use super::evaluate::Score;

/// The heat's figures on the Bitext dev requests and the TweetEval emotion validation tweets,
/// each with the number of rows it was measured on.
pub fn heat_scores(data_dir: &Path, models: &Models) -> Result<Vec<(Score, usize)>> {
    let requests = datasets::tagged_requests(data_dir).context("the Bitext dev requests")?;
    let readings: Vec<(Reading, bool)> = requests
        .iter()
        .map(|(text, offensive)| (read(models, text), *offensive))
        .collect();
    // The share of the requests tagged (or not) as offensive whose heat level passes `test`.
    let share = |offensive: bool, test: fn(HeatLevel) -> bool| {
        let rows: Vec<&Reading> = readings
            .iter()
            .filter(|(_, o)| *o == offensive)
            .map(|(r, _)| r)
            .collect();
        let hits = rows.iter().filter(|r| test(r.heat.level)).count();
        (hits as f64 / rows.len().max(1) as f64, rows.len())
    };
    let (plain_calm, plain) = share(false, |level| level == HeatLevel::Calm);
    let (plain_upset, _) = share(false, |level| level >= HeatLevel::Upset);
    let (offensive_upset, offensive) = share(true, |level| level >= HeatLevel::Upset);

    let (labels, tweets) = datasets::tweeteval_validation(data_dir, "emotion")?;
    let anger = labels
        .iter()
        .position(|l| l == "anger")
        .context("TweetEval emotion has no anger label")?;
    let gold: Vec<bool> = tweets.iter().map(|e| e.labels == [anger]).collect();
    let tweet_readings: Vec<Reading> = tweets.iter().map(|e| read(models, &e.text)).collect();
    let heat: Vec<f32> = tweet_readings.iter().map(|r| r.heat.score).collect();
    let negative: Vec<f32> = tweet_readings
        .iter()
        .map(|r| r.sentiment.negative)
        .collect();

    let score = |metric, value, rows| (Score { metric, value }, rows);
    Ok(vec![
        score("plain requests read calm", plain_calm, plain),
        score("plain requests read upset or worse", plain_upset, plain),
        score(
            "offensive requests read upset or worse",
            offensive_upset,
            offensive,
        ),
        score(
            "anger tweets above the rest (ROC AUC)",
            roc_auc(&heat, &gold),
            gold.len(),
        ),
        score(
            "the same by negative sentiment alone",
            roc_auc(&negative, &gold),
            gold.len(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

    #[test]
    fn the_heat_tells_calm_requests_from_offensive_ones_and_anger_from_the_rest() {
        let models = crate::models::embedded().unwrap().reading_models().unwrap();
        let scores = heat_scores(Path::new(DATA_DIR), &models).unwrap();
        let figure = |metric: &str| crate::training::evaluate::figure(&scores, metric);
        let (calm, plain) = figure("plain requests read calm");
        let (false_alarms, _) = figure("plain requests read upset or worse");
        let (offensive_upset, offensive) = figure("offensive requests read upset or worse");
        let (auc, tweets) = figure("anger tweets above the rest (ROC AUC)");
        let (negative_auc, _) = figure("the same by negative sentiment alone");
        assert_eq!((plain, offensive, tweets), (776, 34, 374));
        assert!(calm > 0.75, "plain requests read calm: {calm}");
        assert!(
            false_alarms < 0.1,
            "plain requests read upset: {false_alarms}"
        );
        assert!(
            offensive_upset > 0.9,
            "offensive requests upset: {offensive_upset}"
        );
        // The heat reads more than the sentiment does.
        assert!(
            auc > negative_auc + 0.05,
            "heat {auc}, negative {negative_auc}"
        );
    }
}
