//! The set of models a Reading needs, checked once when they are loaded.

use std::sync::Arc;

use crate::model::{LinearModel, ModelError, ModelKind};
use crate::text::features::{Feature, FeatureConfig};

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

/// Puts models that share a bucket count into one table; None when they differ.
fn fuse(models: &[&LinearModel; ORDER]) -> Option<Fused> {
    let buckets_log2 = models[0].buckets_log2;
    if models.iter().any(|m| m.buckets_log2 != buckets_log2) {
        return None;
    }
    let width: usize = models.iter().map(|m| m.heads()).sum();
    let rows = 1usize << buckets_log2;
    let mut weights = vec![0f32; rows * width];
    let mut offset = 0;
    for model in models {
        let heads = model.heads();
        for row in 0..rows {
            weights[row * width + offset..row * width + offset + heads]
                .copy_from_slice(&model.weights[row * heads..(row + 1) * heads]);
        }
        offset += heads;
    }
    let bias = models.iter().flat_map(|m| m.bias.iter().copied()).collect();
    Some(Fused {
        buckets_log2,
        width,
        weights,
        bias,
    })
}

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
    /// The emotion labels, shared by every Reading.
    pub(crate) emotion_labels: Arc<[String]>,
    /// The tweet emotion labels.
    pub(crate) tweet_emotion_labels: Arc<[String]>,
    /// The intent labels: the intent model's, then the rule-decided ones.
    pub(crate) intent_labels: Arc<[String]>,
}

/// The Reading models' weights in one table: a row per bucket holding every model's outputs,
/// so each feature of a message costs one memory access instead of one per model.
#[derive(Debug, Clone)]
struct Fused {
    buckets_log2: u8,
    width: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// The Reading models in the order their outputs sit in a fused row.
const ORDER: usize = 10;

impl Models {
    /// Sorts loaded models into their roles; every role must be filled, with the kind and
    /// features the Reading expects.
    pub fn from_models(models: Vec<LinearModel>) -> Result<Models, ModelError> {
        let mut pool = models;
        let mut take = |name: &str, kind: ModelKind| -> Result<LinearModel, ModelError> {
            let index = pool
                .iter()
                .position(|m| m.name == name)
                .ok_or_else(|| ModelError(format!("the {name} model is missing")))?;
            let model = pool.remove(index);
            if model.kind != kind {
                return Err(ModelError(format!("the {name} model has the wrong kind")));
            }
            if model.features != FeatureConfig::DEFAULT {
                return Err(ModelError(format!(
                    "the {name} model uses other features than this version of calmdesk"
                )));
            }
            Ok(model)
        };
        let models = Models {
            emotions: take("emotions", ModelKind::MultiLabel)?,
            sentiment: take("sentiment", ModelKind::MultiClass)?,
            tweet_emotion: take("tweet_emotion", ModelKind::MultiClass)?,
            offensive: take("offensive", ModelKind::Binary)?,
            hate: take("hate", ModelKind::Binary)?,
            irony: take("irony", ModelKind::Binary)?,
            complaint: take("complaint", ModelKind::Binary)?,
            politeness: take("politeness", ModelKind::Binary)?,
            intents: take("intents", ModelKind::MultiClass)?,
            abusive: take("abusive", ModelKind::Binary)?,
            others: Vec::new(),
            fused: None,
            emotion_labels: Arc::from(Vec::new()),
            tweet_emotion_labels: Arc::from(Vec::new()),
            intent_labels: Arc::from(Vec::new()),
        };
        let mut models = Models {
            others: pool,
            ..models
        };
        models.fused = fuse(&models.reading_models());
        if models.fused.is_some() {
            // The fused table holds these weights now; keeping both would double the memory.
            for model in models.reading_models_mut() {
                model.weights = Vec::new();
            }
        }
        models.emotion_labels = Arc::from(models.emotions.labels.clone());
        models.tweet_emotion_labels = Arc::from(models.tweet_emotion.labels.clone());
        let mut intents = models.intents.labels.clone();
        intents.extend(super::reading::RULE_INTENTS.iter().map(|s| (*s).to_owned()));
        models.intent_labels = Arc::from(intents);
        Ok(models)
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

    fn reading_models_mut(&mut self) -> [&mut LinearModel; ORDER] {
        [
            &mut self.emotions,
            &mut self.sentiment,
            &mut self.tweet_emotion,
            &mut self.offensive,
            &mut self.hate,
            &mut self.irony,
            &mut self.complaint,
            &mut self.politeness,
            &mut self.intents,
            &mut self.abusive,
        ]
    }

    /// The raw outputs of every Reading model for one message's features, in fused-row order.
    pub fn logits(&self, features: &[Feature]) -> ReadingLogits {
        let models = self.reading_models();
        let mut all = Vec::with_capacity(models.iter().map(|m| m.heads()).sum());
        match &self.fused {
            Some(fused) => {
                all.extend_from_slice(&fused.bias);
                let mask = (1u32 << fused.buckets_log2) - 1;
                for &(hash, x) in features {
                    let row = (hash & mask) as usize * fused.width;
                    for (o, w) in all.iter_mut().zip(&fused.weights[row..row + fused.width]) {
                        *o += x * w;
                    }
                }
            }
            None => {
                for model in models {
                    all.extend(model.logits(features));
                }
            }
        }
        ReadingLogits { all }
    }

    /// Calibrated probabilities of the Reading model at `index` (fused-row order).
    pub fn probabilities(&self, logits: &ReadingLogits, index: usize) -> Vec<f32> {
        let models = self.reading_models();
        let start: usize = models[..index].iter().map(|m| m.heads()).sum();
        let model = models[index];
        model.probabilities_from_logits(&logits.all[start..start + model.heads()])
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
