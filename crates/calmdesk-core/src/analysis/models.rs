//! The set of models a Reading needs, checked once when they are loaded.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::reading::NO_INTENT;
use super::word_rows::{self, WordRows};
use crate::model::{LinearModel, ModelError, ModelKind, ModelParts};
use crate::rules::abuse::AbuseRules;
use crate::text::features::{self, Feature, FeatureConfig, Visitor, CHAR_WEIGHT};

/// Positions of the Reading models in [`Models::logits`], for [`Models::probabilities`].
pub mod index {
    pub const EMOTIONS: usize = 0;
    pub const SENTIMENT: usize = 1;
    pub const TWEET_EMOTION: usize = 2;
    pub const OFFENSIVE: usize = 3;
    pub const HATE: usize = 4;
    pub const IRONY: usize = 5;
    pub const COMPLAINT: usize = 6;
    pub const POLITENESS: usize = 7;
    pub const INTENTS: usize = 8;
    pub const ABUSIVE: usize = 9;
}

/// The raw outputs of every Reading model for one message.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingLogits {
    all: Vec<f32>,
}

/// Where a Reading model's weights are when it is loaded: in the model as floats, or still in
/// its file as 16-bit values with a scale per output.
type Quantized<'b> = Option<(Vec<f32>, &'b [u8])>;

/// Rows of the fused table are padded to a multiple of this many outputs, so a row's sums run
/// in whole vectors.
const BLOCK: usize = 8;

/// Features whose rows are fetched together before they are summed.
const GROUP: usize = 16;

/// Bytes per cache line.
const LINE: usize = 64;

/// Puts models that share a bucket count into one table; None when they differ.
///
/// Weights stay 16-bit little-endian with one scale per output, as in the model files: copied
/// as they are from a file's bytes, or quantised the same way from a model's floats. The table
/// is written a row at a time, each model's part of the row from its own bytes, so every byte
/// of the table and of the files is touched once, in order. A table made earlier from the same
/// models (see [`Models::fused_table`]) is borrowed instead, when `made` gives one.
fn fuse(
    models: &[(&LinearModel, &Quantized); ORDER],
    made: Option<&'static [u8]>,
) -> Result<Option<Fused>, ModelError> {
    let buckets_log2 = models[0].0.buckets_log2;
    if models.iter().any(|(m, _)| m.buckets_log2 != buckets_log2) {
        return Ok(None);
    }
    let width: usize = models.iter().map(|(m, _)| m.heads()).sum();
    let stride = width.div_ceil(BLOCK) * BLOCK;
    let rows = 1usize << buckets_log2;
    // Each model's scales and 16-bit little-endian weights, a row of its outputs at a time:
    // borrowed from its file, or quantised from its floats.
    let parts: Vec<_> = models
        .iter()
        .map(|(model, quantized)| match quantized {
            Some((scales, bytes)) => (Cow::Borrowed(scales.as_slice()), Cow::Borrowed(*bytes)),
            None => {
                let (scales, bytes) = model.quantized();
                (Cow::Owned(scales), Cow::Owned(bytes))
            }
        })
        .collect();
    let mut scales: Vec<f32> = parts.iter().flat_map(|(s, _)| s.iter().copied()).collect();
    scales.resize(stride, 0.0);
    let sources: Vec<&[u8]> = parts.iter().map(|(_, bytes)| bytes.as_ref()).collect();
    if models
        .iter()
        .zip(&sources)
        .any(|((m, _), bytes)| bytes.len() != rows * 2 * m.heads())
    {
        return Ok(None);
    }
    let weights = match made {
        Some(table) if table.len() == rows * stride * 2 => Cow::Borrowed(table),
        Some(table) => {
            return Err(ModelError(format!(
                "the fused table has {} bytes where these models need {}",
                table.len(),
                rows * stride * 2
            )))
        }
        None => {
            let mut weights = Vec::with_capacity(rows * stride * 2);
            for row in 0..rows {
                for ((model, _), bytes) in models.iter().zip(&sources) {
                    let size = 2 * model.heads();
                    weights.extend_from_slice(&bytes[row * size..(row + 1) * size]);
                }
                weights.resize((row + 1) * stride * 2, 0);
            }
            Cow::Owned(weights)
        }
    };
    let mut bias: Vec<f32> = models
        .iter()
        .flat_map(|(m, _)| m.bias.iter().copied())
        .collect();
    bias.resize(stride, 0.0);
    Ok(Some(Fused {
        buckets_log2,
        width,
        stride,
        weights,
        scales,
        bias,
    }))
}

/// Adds `x` times each 16-bit little-endian weight of `weights` to the sum at its place.
///
/// One flat loop over whole pairs of bytes: the compiler turns it into loads of eight weights
/// at a time, where a loop over blocks of a row had it gather weights a block apart.
fn add_weights(weights: &[u8], x: f32, sums: &mut [f32]) {
    let (pairs, _) = weights.as_chunks::<2>();
    for (sum, &pair) in sums.iter_mut().zip(pairs) {
        *sum += x * f32::from(i16::from_le_bytes(pair));
    }
}

/// The names of the Reading models, in fused-row order.
pub const READING_MODELS: [&str; ORDER] = [
    "emotions",
    "sentiment",
    "tweet_emotion",
    "offensive",
    "hate",
    "irony",
    "complaint",
    "politeness",
    "intents",
    "abusive",
];

/// Every model the Reading uses, by role.
///
/// When the Reading models share a bucket count their weights are moved into one fused table
/// and the models keep only their labels, biases and calibrations: score them through
/// [`Models::logits`] and [`Models::probabilities`], not through each model's own `logits`.
#[derive(Debug, Clone)]
pub struct Models {
    pub emotions: LinearModel,
    pub sentiment: LinearModel,
    pub tweet_emotion: LinearModel,
    pub offensive: LinearModel,
    pub hate: LinearModel,
    pub irony: LinearModel,
    pub complaint: LinearModel,
    pub politeness: LinearModel,
    pub intents: LinearModel,
    pub abusive: LinearModel,
    /// Models the Reading does not use (the coach's empathy models, for example).
    pub others: Vec<LinearModel>,
    /// Every Reading model's weights side by side, when they share one bucket count.
    fused: Option<Fused>,
    /// A number no other set of models loaded by this process has, for the rows each thread
    /// remembers per word.
    id: u64,
    /// The emotion labels, shared by every Reading.
    pub(crate) emotion_labels: Arc<[String]>,
    /// The tweet emotion labels.
    pub(crate) tweet_emotion_labels: Arc<[String]>,
    /// The intent labels: the intent model's but [`NO_INTENT`], then the rule-decided ones.
    pub(crate) intent_labels: Arc<[String]>,
    /// Where the intent model's [`NO_INTENT`] output is, if it has one: the Reading leaves it
    /// out, so that a message that asks for none of the intents reads low on all of them.
    pub(crate) no_intent: Option<usize>,
    /// The outputs, in fused-row order, of the models that also read features of their own
    /// (the politeness strategies, the negated words, the valence, the abuse cues:
    /// `features::OwnFeatures`), with their settings: those features are added to these outputs
    /// only.
    own: Vec<(std::ops::Range<usize>, FeatureConfig)>,
}

/// The Reading models' weights in one table: a row per bucket holding every model's outputs,
/// so each feature of a message costs one memory access instead of one per model. Weights are
/// 16-bit, as in the model files, which halves the memory a message's features touch; an
/// output's sum is scaled once at the end.
#[derive(Debug, Clone)]
struct Fused {
    buckets_log2: u8,
    /// Outputs per row.
    width: usize,
    /// Values per row: the width padded to whole blocks.
    stride: usize,
    /// Every row's 16-bit weights, little-endian: made when the models are loaded, or borrowed
    /// from a table made when the program was built.
    weights: Cow<'static, [u8]>,
    /// Per output: a weight is its 16-bit value times this.
    scales: Vec<f32>,
    bias: Vec<f32>,
}

/// The Reading models in the order their outputs sit in a fused row.
const ORDER: usize = 10;

/// The next [`Models::id`].
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Fused {
    /// Where the row of a feature's hash starts, in bytes.
    fn row_at(&self, hash: u32) -> usize {
        (hash & ((1u32 << self.buckets_log2) - 1)) as usize * self.stride * 2
    }

    /// The row of a feature's hash, 2 bytes a weight.
    fn row(&self, hash: u32) -> &[u8] {
        let at = self.row_at(hash);
        &self.weights[at..at + self.stride * 2]
    }

    /// Adds `x` times the row of `hash` to `sums`.
    fn add(&self, hash: u32, x: f32, sums: &mut [f32]) {
        add_weights(self.row(hash), x, sums);
    }

    /// Adds every feature's weight times its row to `sums`.
    fn add_all(&self, features: &[Feature], sums: &mut [f32]) {
        for group in features.chunks(GROUP) {
            // First touch every cache line of the group's rows: these loads do not wait on one
            // another, so the processor fetches them all at once, and the sums below find the
            // rows in cache.
            let mut touched = 0u8;
            for &(hash, _) in group {
                let row = self.row(hash);
                for b in row.iter().step_by(LINE) {
                    touched ^= *b;
                }
                touched ^= row[row.len() - 1];
            }
            std::hint::black_box(touched);
            for &(hash, x) in group {
                self.add(hash, x, sums);
            }
        }
    }

    /// Adds every feature's weight times its row to `sums`, in the outputs `columns` only.
    fn add_to(&self, features: &[Feature], columns: std::ops::Range<usize>, sums: &mut [f32]) {
        let bytes = 2 * columns.start..2 * columns.end;
        for &(hash, x) in features {
            add_weights(
                &self.row(hash)[bytes.clone()],
                x,
                &mut sums[columns.clone()],
            );
        }
    }

    /// The outputs from a message's sums, each times `scale`.
    fn outputs<'s>(&'s self, sums: &'s [f32], scale: f32) -> impl Iterator<Item = f32> + 's {
        sums.iter()
            .zip(&self.scales)
            .zip(&self.bias)
            .take(self.width)
            .map(move |((sum, column), bias)| bias + sum * scale * column)
    }
}

/// Sums a message's rows of the fused table a word at a time: a word's unigram and character
/// n-gram rows are summed once per thread and remembered (see `word_rows`).
struct WordSums<'a> {
    fused: &'a Fused,
    id: u64,
    rows: &'a mut WordRows,
    sums: Vec<f32>,
    /// Phrases, summed at the end all together so their rows are fetched together.
    phrases: Vec<Feature>,
}

impl Visitor for WordSums<'_> {
    fn word(&mut self, word: &str, unigram: u32, weight: f32) {
        let fused = self.fused;
        let row = self.rows.row(self.id, fused.stride, word, unigram, |row| {
            fused.add(unigram, 1.0, row);
            features::char_ngrams(word, &FeatureConfig::DEFAULT, |h| {
                fused.add(h, CHAR_WEIGHT, row)
            });
        });
        for (sum, w) in self.sums.iter_mut().zip(row) {
            *sum += weight * w;
        }
    }

    fn phrase(&mut self, hash: u32, weight: f32) {
        self.phrases.push((hash, weight));
    }
}

impl Models {
    /// Sorts loaded models into their roles; every role must be filled, with the kind and
    /// features the Reading expects.
    pub fn from_models(models: Vec<LinearModel>) -> Result<Models, ModelError> {
        Models::assemble(models.into_iter().map(|m| (m, None)).collect(), None)
    }

    /// Reads model files and sorts them into their roles, as [`Models::from_models`] does. The
    /// Reading models' 16-bit weights go straight from the bytes into the fused table, without
    /// a float copy of each model on the way. Each file comes with a name for errors.
    pub fn from_bytes(files: &[(&str, &[u8])]) -> Result<Models, ModelError> {
        Models::from_bytes_with(files, None)
    }

    /// As [`Models::from_bytes`], with the Reading models' fused table made earlier from the
    /// same files by [`Models::fused_table`] (when the program was built, say): the table is
    /// borrowed, not made again, so loading costs little more than reading the files' headers.
    /// A table of the wrong size for these models is an error.
    pub fn from_bytes_and_table(
        files: &[(&str, &[u8])],
        table: &'static [u8],
    ) -> Result<Models, ModelError> {
        Models::from_bytes_with(files, Some(table))
    }

    /// The Reading models' fused table, for [`Models::from_bytes_and_table`]: every bucket's
    /// row of 16-bit little-endian weights. None when the models do not share a bucket count.
    pub fn fused_table(&self) -> Option<&[u8]> {
        self.fused.as_ref().map(|fused| fused.weights.as_ref())
    }

    fn from_bytes_with(
        files: &[(&str, &[u8])],
        table: Option<&'static [u8]>,
    ) -> Result<Models, ModelError> {
        let mut pool = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            let named = |e: ModelError| ModelError(format!("{name}: {e}"));
            let parts = ModelParts::from_bytes(bytes).map_err(named)?;
            if READING_MODELS.contains(&parts.model.name.as_str()) {
                pool.push((parts.model, Some((parts.scales, parts.quantized))));
            } else {
                pool.push((LinearModel::from_bytes(bytes).map_err(named)?, None));
            }
        }
        Models::assemble(pool, table)
    }

    fn assemble(
        mut pool: Vec<(LinearModel, Quantized)>,
        table: Option<&'static [u8]>,
    ) -> Result<Models, ModelError> {
        let mut take = |name: &str, kind: ModelKind| -> Result<_, ModelError> {
            let index = pool
                .iter()
                .position(|(m, _)| m.name == name)
                .ok_or_else(|| ModelError(format!("the {name} model is missing")))?;
            let (model, quantized) = pool.remove(index);
            if model.kind != kind {
                return Err(ModelError(format!("the {name} model has the wrong kind")));
            }
            // A model may also read features of its own, which are added to its outputs alone
            // (see `Models::own`).
            if model.features.shared() != FeatureConfig::DEFAULT {
                return Err(ModelError(format!(
                    "the {name} model uses other features than this version of calmdesk"
                )));
            }
            Ok((model, quantized))
        };
        let mut reading = [
            take(READING_MODELS[0], ModelKind::MultiLabel)?,
            take(READING_MODELS[1], ModelKind::MultiClass)?,
            take(READING_MODELS[2], ModelKind::MultiClass)?,
            take(READING_MODELS[3], ModelKind::Binary)?,
            take(READING_MODELS[4], ModelKind::Binary)?,
            take(READING_MODELS[5], ModelKind::Binary)?,
            take(READING_MODELS[6], ModelKind::Binary)?,
            take(READING_MODELS[7], ModelKind::Binary)?,
            take(READING_MODELS[8], ModelKind::MultiClass)?,
            take(READING_MODELS[9], ModelKind::Binary)?,
        ];
        let fused = fuse(
            &std::array::from_fn(|i| (&reading[i].0, &reading[i].1)),
            table,
        )?;
        for (model, quantized) in &mut reading {
            match (&fused, quantized.take()) {
                // The fused table holds these weights now; keeping both would double the memory.
                (Some(_), _) => model.weights = Vec::new(),
                (None, Some((scales, bytes))) => {
                    model.weights = bytes
                        .chunks_exact(2)
                        .zip(scales.iter().cycle())
                        .map(|(b, s)| f32::from(i16::from_le_bytes([b[0], b[1]])) * s)
                        .collect();
                }
                (None, None) => {}
            }
        }
        let [emotions, sentiment, tweet_emotion, offensive, hate, irony, complaint, politeness, intents, abusive] =
            reading.map(|(model, _)| model);
        let mut own = Vec::new();
        let mut start = 0;
        for model in [
            &emotions,
            &sentiment,
            &tweet_emotion,
            &offensive,
            &hate,
            &irony,
            &complaint,
            &politeness,
            &intents,
            &abusive,
        ] {
            if model.features.has_own() {
                own.push((start..start + model.heads(), model.features));
            }
            start += model.heads();
        }
        let emotion_labels = Arc::from(emotions.labels.clone());
        let tweet_emotion_labels = Arc::from(tweet_emotion.labels.clone());
        let no_intent = intents.labels.iter().position(|l| l == NO_INTENT);
        let mut intent_labels: Vec<String> = intents
            .labels
            .iter()
            .filter(|l| *l != NO_INTENT)
            .cloned()
            .collect();
        intent_labels.extend(super::reading::RULE_INTENTS.iter().map(|s| (*s).to_owned()));
        Ok(Models {
            emotions,
            sentiment,
            tweet_emotion,
            offensive,
            hate,
            irony,
            complaint,
            politeness,
            intents,
            abusive,
            others: pool.into_iter().map(|(model, _)| model).collect(),
            fused,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            emotion_labels,
            tweet_emotion_labels,
            intent_labels: Arc::from(intent_labels),
            no_intent,
            own,
        })
    }

    /// The Reading models, in fused-row order.
    fn reading_models(&self) -> [&LinearModel; ORDER] {
        [
            &self.emotions,
            &self.sentiment,
            &self.tweet_emotion,
            &self.offensive,
            &self.hate,
            &self.irony,
            &self.complaint,
            &self.politeness,
            &self.intents,
            &self.abusive,
        ]
    }

    /// Adds to `sums` the features of `text` that some models read alone, to their outputs.
    fn add_own(&self, fused: &Fused, text: &str, abuse: Option<&AbuseRules>, sums: &mut [f32]) {
        let configs = self.own.iter().map(|(_, config)| config);
        let found = features::OwnFeatures::find(text, configs, abuse);
        for (columns, config) in &self.own {
            for part in found.read_by(config) {
                fused.add_to(part, columns.clone(), sums);
            }
        }
    }

    /// The raw outputs of every Reading model for a text and its n-gram features
    /// (`FeatureConfig::DEFAULT`), in fused-row order.
    pub fn logits(&self, text: &str, features: &[Feature]) -> ReadingLogits {
        let models = self.reading_models();
        let mut all = Vec::with_capacity(models.iter().map(|m| m.heads()).sum());
        match &self.fused {
            Some(fused) => {
                let mut sums = vec![0f32; fused.stride];
                fused.add_all(features, &mut sums);
                self.add_own(fused, text, None, &mut sums);
                all.extend(fused.outputs(&sums, 1.0));
            }
            None => {
                for model in models {
                    if model.features.has_own() {
                        let mut read = features.to_vec();
                        read.extend(features::own_features(text, &model.features));
                        all.extend(model.logits(&read));
                    } else {
                        all.extend(model.logits(features));
                    }
                }
            }
        }
        ReadingLogits { all }
    }

    /// The raw outputs of every Reading model for a text: those [`Models::logits`] gives for
    /// its features (`FeatureConfig::DEFAULT`), up to the order floats are added in, but summed
    /// a word at a time, each word's rows once per thread (see `word_rows`).
    pub fn text_logits(&self, text: &str) -> ReadingLogits {
        self.text_logits_with(text, None)
    }

    /// As [`Models::text_logits`], with what the abuse rules found in this very text, where the
    /// caller has run them, so a model that reads their findings does not run them again.
    pub fn text_logits_with(&self, text: &str, abuse: Option<&AbuseRules>) -> ReadingLogits {
        let Some(fused) = &self.fused else {
            return self.logits(text, &features::extract(text, &FeatureConfig::DEFAULT));
        };
        word_rows::with(|rows| {
            let mut sums = WordSums {
                fused,
                id: self.id,
                rows,
                sums: vec![0f32; fused.stride],
                // A phrase per word, about: room made once for most messages.
                phrases: Vec::with_capacity(text.len() / 4 + 8),
            };
            let scale = features::visit(text, &FeatureConfig::DEFAULT, &mut sums);
            fused.add_all(&sums.phrases, &mut sums.sums);
            if !self.own.is_empty() {
                // The n-grams are scaled to unit length, a model's own features not: scale
                // first.
                sums.sums.iter_mut().for_each(|s| *s *= scale);
                self.add_own(fused, text, abuse, &mut sums.sums);
                return ReadingLogits {
                    all: fused.outputs(&sums.sums, 1.0).collect(),
                };
            }
            ReadingLogits {
                all: fused.outputs(&sums.sums, scale).collect(),
            }
        })
    }

    /// Where the outputs of the Reading model at `index` sit in a fused row, with the model.
    fn columns(&self, index: usize) -> (std::ops::Range<usize>, &LinearModel) {
        let models = self.reading_models();
        let start: usize = models[..index].iter().map(|m| m.heads()).sum();
        (start..start + models[index].heads(), models[index])
    }

    /// Calibrated probabilities of the Reading model at `index` (fused-row order).
    pub fn probabilities(&self, logits: &ReadingLogits, index: usize) -> Vec<f32> {
        let (columns, model) = self.columns(index);
        model.probabilities_from_logits(&logits.all[columns])
    }

    /// The calibrated probability of the first output of the Reading model at `index` (the
    /// yes of a yes/no model): the first of [`Models::probabilities`].
    pub fn probability(&self, logits: &ReadingLogits, index: usize) -> f32 {
        let (columns, model) = self.columns(index);
        model.first_probability(&logits.all[columns])
    }

    /// Calibrated probabilities of the Reading model at `index` alone, for a text and its
    /// n-gram features (`FeatureConfig::DEFAULT`) that need no other model (the coach's
    /// politeness of a draft): only that model's outputs are summed.
    pub fn probabilities_of(&self, text: &str, features: &[Feature], index: usize) -> Vec<f32> {
        let (columns, model) = self.columns(index);
        let own = features::own_features(text, &model.features);
        let Some(fused) = &self.fused else {
            let mut read = features.to_vec();
            read.extend_from_slice(&own);
            return model.probabilities_from_logits(&model.logits(&read));
        };
        let (start, end) = (columns.start, columns.end);
        let mut sums = vec![0f32; end - start];
        for &(hash, x) in features.iter().chain(&own) {
            add_weights(&fused.row(hash)[2 * start..2 * end], x, &mut sums);
        }
        let logits: Vec<f32> = sums
            .iter()
            .zip(&fused.scales[start..end])
            .zip(&fused.bias[start..end])
            .map(|((sum, scale), bias)| bias + sum * scale)
            .collect();
        model.probabilities_from_logits(&logits)
    }

    /// A model the Reading does not use, by name.
    pub fn other(&self, name: &str) -> Option<&LinearModel> {
        self.others.iter().find(|m| m.name == name)
    }

    /// Every model with its version, for provenance.
    pub fn versions(&self) -> Vec<(String, String)> {
        [
            &self.emotions,
            &self.sentiment,
            &self.tweet_emotion,
            &self.offensive,
            &self.hate,
            &self.irony,
            &self.complaint,
            &self.politeness,
            &self.intents,
            &self.abusive,
        ]
        .into_iter()
        .chain(&self.others)
        .map(|m| (m.name.clone(), m.note("version").unwrap_or("0").to_owned()))
        .collect()
    }
}
