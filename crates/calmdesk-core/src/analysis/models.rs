//! The set of models a Reading needs, checked once when they are loaded.

use crate::model::{LinearModel, ModelError, ModelKind};
use crate::text::features::FeatureConfig;

/// Every model the Reading uses, by role.
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
}

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
        };
        Ok(Models {
            others: pool,
            ..models
        })
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
