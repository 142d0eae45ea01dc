//! Tweets labelled by a teacher for the sentiment model.
//!
//! The TweetEval sentiment training texts are missing from the data, so the sentiment model has
//! few in-domain rows. The other tweet data sets have plenty of tweets without sentiment
//! labels; VADER, a lexicon-based sentiment scorer, labels them once, offline
//! (`scripts/vader_teacher.py`), and its scores are committed in
//! `models/teachers/sentiment-vader.txt`, so training needs no Python. The file holds one score
//! per tweet, in the order [`unlabelled_texts`] gives them, under a header with their number and
//! checksum: scores for other texts (other data, or a data set that changed) are not used.

use std::collections::HashSet;
use std::hash::Hasher;
use std::path::Path;

use anyhow::{bail, Context, Result};
use calmdesk_core::rules::words::Fnv;

use super::datasets::{load_own, Example, TaskId};

/// The committed teacher scores: VADER's compound score of each unlabelled tweet, in hundredths.
pub const SCORES: &str = include_str!("../../../../models/teachers/sentiment-vader.txt");

/// The tasks whose tweets (train rows, text only) are labelled by the teacher. Their validation
/// rows are left out, so no model learns from text another model is judged on: the offensive
/// model reads the sentiment model's outputs (see `blending`), and its validation figure would
/// flatter it if the sentiment model had seen those tweets.
const SOURCES: [TaskId; 5] = [
    TaskId::Offensive,
    TaskId::Hate,
    TaskId::Irony,
    TaskId::Abusive,
    TaskId::Complaint,
];

/// How far from 0, in hundredths, VADER's compound score must be for a tweet to count as
/// positive or negative; nearer, it is neutral. VADER's own authors suggest 0.05; 0.1 scored
/// best on the sentiment validation tweets, for VADER alone and as a teacher.
const POLAR_AT: i32 = 10;

/// The training tweets of the [`SOURCES`], without sentiment labels, each once, in a fixed
/// order, leaving out any text in `exclude` (the sentiment validation tweets).
pub fn unlabelled_texts(data_dir: &Path, exclude: &HashSet<&str>) -> Result<Vec<String>> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut texts = Vec::new();
    for id in SOURCES {
        let data = load_own(data_dir, id)?;
        for example in data.train {
            if !exclude.contains(example.text.as_str()) && seen.insert(example.text.clone()) {
                texts.push(example.text);
            }
        }
    }
    Ok(texts)
}

/// FNV-1a (64-bit) over the texts, each followed by a newline: what the scores file's header
/// records, so scores are only used for the texts they were computed for.
pub fn checksum(texts: &[String]) -> u64 {
    let mut hasher = Fnv::default();
    for text in texts {
        hasher.write(text.as_bytes());
        hasher.write(b"\n");
    }
    hasher.finish()
}

/// A parsed scores file.
#[derive(Debug, PartialEq)]
pub struct Scores {
    /// How many texts were scored.
    pub texts: usize,
    /// The [`checksum`] of those texts.
    pub checksum: u64,
    /// Each text's compound score in hundredths, -100 to 100.
    pub hundredths: Vec<i32>,
}

/// Reads a scores file: `#` comment lines, a header `texts=N checksum=HEX`, then one integer
/// per line.
pub fn parse(file: &str) -> Result<Scores> {
    let mut lines = file
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty());
    let (_, header) = lines.next().context("the scores file has no header")?;
    let mut texts = None;
    let mut sum = None;
    for field in header.split_whitespace() {
        match field.split_once('=') {
            Some(("texts", n)) => {
                texts = Some(n.parse::<usize>().context("texts= is not a number")?)
            }
            Some(("checksum", hex)) => {
                sum = Some(u64::from_str_radix(hex, 16).context("checksum= is not hexadecimal")?)
            }
            _ => {}
        }
    }
    let (Some(texts), Some(checksum)) = (texts, sum) else {
        bail!("the scores file's header needs texts= and checksum=");
    };
    let mut hundredths = Vec::with_capacity(texts);
    for (number, line) in lines {
        let value: i32 = line
            .trim()
            .parse()
            .with_context(|| format!("line {}: not a score: {line:?}", number + 1))?;
        if !(-100..=100).contains(&value) {
            bail!(
                "line {}: a score is from -100 to 100, not {value}",
                number + 1
            );
        }
        hundredths.push(value);
    }
    if hundredths.len() != texts {
        bail!(
            "the header says {texts} scores, the file has {}",
            hundredths.len()
        );
    }
    Ok(Scores {
        texts,
        checksum,
        hundredths,
    })
}

/// The texts with the teacher's labels (0 negative, 1 neutral, 2 positive), or `None` when the
/// scores were computed for other texts.
pub fn labelled(texts: Vec<String>, scores: &Scores) -> Option<Vec<Example>> {
    if texts.len() != scores.texts || checksum(&texts) != scores.checksum {
        return None;
    }
    Some(
        texts
            .into_iter()
            .zip(&scores.hundredths)
            .map(|(text, &score)| Example {
                text,
                labels: vec![match score {
                    s if s >= POLAR_AT => 2,
                    s if s <= -POLAR_AT => 0,
                    _ => 1,
                }],
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_scores_parse() {
        let scores = parse(SCORES).unwrap();
        assert_eq!(scores.hundredths.len(), scores.texts);
        assert!(scores.texts > 10_000);
    }

    #[test]
    fn scores_label_only_the_texts_they_were_computed_for() {
        let texts: Vec<String> = ["great stuff", "meh", "awful"].map(String::from).to_vec();
        let file = format!(
            "# a comment\ntexts=3 checksum={:x}\n80\n-5\n-60\n",
            checksum(&texts)
        );
        let scores = parse(&file).unwrap();
        let labelled = labelled(texts.clone(), &scores).unwrap();
        let labels: Vec<usize> = labelled.iter().map(|e| e.labels[0]).collect();
        assert_eq!(labels, [2, 1, 0]);
        let mut other = texts;
        other[1] = "okay".into();
        assert!(super::labelled(other, &scores).is_none());
    }

    #[test]
    fn a_broken_scores_file_says_what_is_wrong() {
        let error = |file: &str| parse(file).unwrap_err().to_string();
        assert!(error("").contains("no header"));
        assert!(error("texts=2\n1\n2\n").contains("checksum="));
        assert!(error("texts=2 checksum=ff\n1\n").contains("says 2 scores"));
        assert!(error("texts=1 checksum=ff\nx\n").contains("line 2: not a score"));
        assert!(error("texts=1 checksum=ff\n101\n").contains("from -100 to 100"));
    }
}
