//! Compact linear models over hashed features: loading, inference and the file format.
//!
//! A model is a table of weights, one row per hash bucket and one column per output, plus a
//! bias and a calibration per output. Rows are contiguous, so scoring a message touches one
//! short row per feature. Weights are stored as 16-bit integers with one scale per output,
//! which keeps every shipped model small enough to embed in the binary.
//!
//! Calibration makes 0.5 the decision threshold: for yes/no outputs the logit threshold that
//! maximised F1 on validation data is mapped to 0.5 by `p = sigmoid(slope * (z - threshold))`,
//! monotone in the model's confidence; for one-of-many outputs a softmax temperature is fitted.

pub mod blend;
pub mod metrics;
pub mod train;

use crate::text::features::{extract, Feature, FeatureConfig, FEATURES_VERSION};

/// How a model's outputs relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// One yes/no output (the probability of the second label).
    Binary,
    /// Exactly one of several labels; probabilities sum to 1.
    MultiClass,
    /// Any number of labels, each yes/no.
    MultiLabel,
}

impl ModelKind {
    fn as_str(self) -> &'static str {
        match self {
            ModelKind::Binary => "binary",
            ModelKind::MultiClass => "multiclass",
            ModelKind::MultiLabel => "multilabel",
        }
    }

    fn parse(text: &str) -> Option<ModelKind> {
        match text {
            "binary" => Some(ModelKind::Binary),
            "multiclass" => Some(ModelKind::MultiClass),
            "multilabel" => Some(ModelKind::MultiLabel),
            _ => None,
        }
    }
}

/// Maps a raw output to a calibrated probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    pub slope: f32,
    pub threshold: f32,
}

impl Calibration {
    /// The calibrated probability of raw output `z`: 0.5 at the threshold.
    pub fn probability(&self, z: f32) -> f32 {
        sigmoid(self.slope * (z - self.threshold))
    }
}

impl Calibration {
    pub const IDENTITY: Calibration = Calibration {
        slope: 1.0,
        threshold: 0.0,
    };
}

/// A trained model and what is known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub name: String,
    pub kind: ModelKind,
    /// Output names; for a binary model, the negative then the positive label.
    pub labels: Vec<String>,
    pub features: FeatureConfig,
    pub buckets_log2: u8,
    /// Free-form facts for the model card: data, licence, command, figures.
    pub notes: Vec<(String, String)>,
    pub(crate) weights: Vec<f32>,
    pub(crate) bias: Vec<f32>,
    pub(crate) calibration: Vec<Calibration>,
    /// Softmax temperature for one-of-many models.
    pub(crate) temperature: f32,
}

/// Why model bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

const MAGIC: &[u8; 8] = b"CDMODEL1";

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl LinearModel {
    /// How many outputs the model has.
    pub fn heads(&self) -> usize {
        self.bias.len()
    }

    fn bucket_mask(&self) -> u32 {
        (1u32 << self.buckets_log2) - 1
    }

    /// Raw outputs for already extracted features.
    pub fn logits(&self, features: &[Feature]) -> Vec<f32> {
        let heads = self.heads();
        let mut out = self.bias.clone();
        if self.weights.is_empty() {
            // The weights were moved into a fused table (see `analysis::Models`).
            return out;
        }
        let mask = self.bucket_mask();
        for &(hash, weight) in features {
            let row = (hash & mask) as usize * heads;
            for (o, w) in out.iter_mut().zip(&self.weights[row..row + heads]) {
                *o += weight * w;
            }
        }
        out
    }

    /// The softmax temperature of a one-of-many model (1 for the others).
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Sets the softmax temperature of a one-of-many model, fitted elsewhere (for example on
    /// held-out parts of data the model was then trained on).
    pub fn set_temperature(&mut self, temperature: f32) {
        self.temperature = temperature;
    }

    /// Calibrated probabilities from raw outputs: one per label for one-of-many and any-of
    /// models, one (the positive label's) for a binary model.
    pub fn probabilities_from_logits(&self, logits: &[f32]) -> Vec<f32> {
        match self.kind {
            ModelKind::Binary | ModelKind::MultiLabel => logits
                .iter()
                .zip(&self.calibration)
                .map(|(z, c)| c.probability(*z))
                .collect(),
            ModelKind::MultiClass => {
                let t = self.temperature.max(1e-3);
                let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let exps: Vec<f32> = logits.iter().map(|z| ((z - max) / t).exp()).collect();
                let sum: f32 = exps.iter().sum();
                exps.iter().map(|e| e / sum).collect()
            }
        }
    }

    /// The calibrated probability of the first output alone, from its raw output: what
    /// [`LinearModel::probabilities_from_logits`] gives first, without making the others.
    pub fn first_probability(&self, logits: &[f32]) -> f32 {
        match (self.kind, logits.first(), self.calibration.first()) {
            (ModelKind::Binary | ModelKind::MultiLabel, Some(z), Some(c)) => c.probability(*z),
            _ => self
                .probabilities_from_logits(logits)
                .first()
                .copied()
                .unwrap_or(0.0),
        }
    }

    /// Calibrated probabilities for a text.
    pub fn predict(&self, text: &str) -> Vec<f32> {
        let features = extract(text, &self.features);
        self.probabilities_from_logits(&self.logits(&features))
    }

    /// The value of a note, if the model has it.
    pub fn note(&self, key: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a note, replacing an earlier one with the same key.
    pub fn set_note(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.notes.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.notes.push((key.to_owned(), value)),
        }
    }

    /// The model as bytes: a text header, then biases, calibrations and 16-bit weights with one
    /// scale per output, all little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let heads = self.heads();
        let mut header = String::new();
        let mut line = |k: &str, v: &str| {
            header.push_str(k);
            header.push('=');
            header.push_str(&v.replace('\n', " "));
            header.push('\n');
        };
        line("name", &self.name);
        line("kind", self.kind.as_str());
        line("labels", &self.labels.join("\t"));
        line("buckets_log2", &self.buckets_log2.to_string());
        line("word_ngrams", &self.features.word_ngrams.to_string());
        line("char_min", &self.features.char_min.to_string());
        line("char_max", &self.features.char_max.to_string());
        line("features_version", &FEATURES_VERSION.to_string());
        // Written only when set, so the files of models without cues stay as they were.
        if self.features.cues {
            line("cues", "1");
        }
        if self.features.strategies {
            line("strategies", "1");
        }
        if self.features.negation {
            line("negation", "1");
        }
        if self.features.valence {
            line("valence", "1");
        }
        if self.features.abuse {
            line("abuse", "1");
        }
        line("heads", &heads.to_string());
        line("temperature", &self.temperature.to_string());
        for (k, v) in &self.notes {
            line(&format!("note.{k}"), v);
        }
        let mut out = Vec::with_capacity(16 + header.len() + self.weights.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        let (scales, quantized) = self.quantized();
        for ((bias, calibration), scale) in self.bias.iter().zip(&self.calibration).zip(&scales) {
            out.extend_from_slice(&bias.to_le_bytes());
            out.extend_from_slice(&calibration.slope.to_le_bytes());
            out.extend_from_slice(&calibration.threshold.to_le_bytes());
            out.extend_from_slice(&scale.to_le_bytes());
        }
        out.extend_from_slice(&quantized);
        out
    }

    /// The weights as a model file stores them: one scale per output (its largest weight over
    /// 32,767), and each weight as a 16-bit multiple of its output's scale, little-endian, row
    /// by row.
    pub fn quantized(&self) -> (Vec<f32>, Vec<u8>) {
        let heads = self.heads();
        let mut scales = vec![0f32; heads];
        for row in self.weights.chunks_exact(heads) {
            for (s, w) in scales.iter_mut().zip(row) {
                *s = s.max(w.abs());
            }
        }
        for s in scales.iter_mut() {
            *s = if *s > 0.0 { *s / 32767.0 } else { 1.0 };
        }
        let bytes = self
            .weights
            .chunks_exact(heads)
            .flat_map(|row| row.iter().zip(&scales))
            .flat_map(|(w, s)| ((w / s).round().clamp(-32767.0, 32767.0) as i16).to_le_bytes())
            .collect();
        (scales, bytes)
    }

    /// Reads a model written by [`LinearModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<LinearModel, ModelError> {
        let parts = ModelParts::from_bytes(bytes)?;
        let heads = parts.model.heads();
        let mut weights = Vec::with_capacity(parts.quantized.len() / 2);
        for row in parts.quantized.chunks_exact(2 * heads) {
            for (b, scale) in row.chunks_exact(2).zip(&parts.scales) {
                weights.push(f32::from(i16::from_le_bytes([b[0], b[1]])) * scale);
            }
        }
        Ok(LinearModel {
            weights,
            ..parts.model
        })
    }
}

/// A model file read without converting its weights: the model with no weights, the scale of
/// each output, and the 16-bit weights as they lie in the file (row by row, little-endian), so
/// a caller can put them where they are needed in one pass.
#[derive(Debug, Clone)]
pub struct ModelParts<'b> {
    /// The model, its weights left empty.
    pub model: LinearModel,
    /// One scale per output: a weight is its 16-bit value times its output's scale.
    pub scales: Vec<f32>,
    /// The 16-bit weights, `2 * heads` bytes per bucket.
    pub quantized: &'b [u8],
}

impl<'b> ModelParts<'b> {
    /// Reads the header, biases, calibrations and scales of a model written by
    /// [`LinearModel::to_bytes`], and finds its weights.
    pub fn from_bytes(bytes: &'b [u8]) -> Result<ModelParts<'b>, ModelError> {
        let fail = |why: &str| ModelError(format!("not a calmdesk model: {why}"));
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(fail("bad magic"));
        }
        let header_len = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let body_start = 12 + header_len;
        let header = bytes
            .get(12..body_start)
            .and_then(|h| std::str::from_utf8(h).ok())
            .ok_or_else(|| fail("bad header"))?;
        let mut fields = std::collections::BTreeMap::new();
        let mut notes = Vec::new();
        for line in header.lines() {
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| fail("bad header line"))?;
            match k.strip_prefix("note.") {
                Some(note) => notes.push((note.to_owned(), v.to_owned())),
                None => {
                    fields.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        let get = |k: &str| fields.get(k).ok_or_else(|| fail(&format!("no {k}")));
        let number = |k: &str| -> Result<u64, ModelError> {
            get(k)?.parse().map_err(|_| fail(&format!("bad {k}")))
        };
        // Files from before the version line read text the first way.
        let version = fields
            .get("features_version")
            .map_or(Ok(1), |_| number("features_version"))?;
        if version != u64::from(FEATURES_VERSION) {
            return Err(ModelError(format!(
                "the model was trained on features version {version}, and this calmdesk reads \
                 version {FEATURES_VERSION}: rebuild the models with `calmdesk train`"
            )));
        }
        let heads = number("heads")? as usize;
        let buckets_log2 = number("buckets_log2")? as u8;
        if buckets_log2 > 24 || heads == 0 || heads > 1024 {
            return Err(fail("implausible size"));
        }
        let rows = 1usize << buckets_log2;
        let expected = body_start + heads * 16 + rows * heads * 2;
        if bytes.len() != expected {
            return Err(fail("truncated"));
        }
        let f32_at =
            |i: usize| f32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let mut bias = Vec::with_capacity(heads);
        let mut calibration = Vec::with_capacity(heads);
        let mut scales = Vec::with_capacity(heads);
        for h in 0..heads {
            let at = body_start + h * 16;
            bias.push(f32_at(at));
            calibration.push(Calibration {
                slope: f32_at(at + 4),
                threshold: f32_at(at + 8),
            });
            scales.push(f32_at(at + 12));
        }
        let weights_start = body_start + heads * 16;
        let kind = ModelKind::parse(get("kind")?).ok_or_else(|| fail("bad kind"))?;
        let model = LinearModel {
            name: get("name")?.clone(),
            kind,
            labels: get("labels")?.split('\t').map(str::to_owned).collect(),
            features: FeatureConfig {
                word_ngrams: number("word_ngrams")? as u8,
                char_min: number("char_min")? as u8,
                char_max: number("char_max")? as u8,
                cues: fields.get("cues").is_some_and(|v| v == "1"),
                strategies: fields.get("strategies").is_some_and(|v| v == "1"),
                negation: fields.get("negation").is_some_and(|v| v == "1"),
                valence: fields.get("valence").is_some_and(|v| v == "1"),
                abuse: fields.get("abuse").is_some_and(|v| v == "1"),
            },
            buckets_log2,
            notes,
            weights: Vec::new(),
            bias,
            calibration,
            temperature: get("temperature")?
                .parse()
                .map_err(|_| fail("bad temperature"))?,
        };
        Ok(ModelParts {
            model,
            scales,
            quantized: &bytes[weights_start..],
        })
    }
}
