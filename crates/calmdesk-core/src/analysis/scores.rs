//! Named probabilities that serialise as a JSON object in label order.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A probability per label, in the model's label order. The label names are shared with the
/// model, so a Reading does not copy them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelScores {
    pub labels: Arc<[String]>,
    pub probabilities: Vec<f32>,
}

impl LabelScores {
    /// The probability of `label`, or 0 when the label is unknown.
    pub fn get(&self, label: &str) -> f32 {
        self.labels
            .iter()
            .position(|l| l == label)
            .and_then(|i| self.probabilities.get(i).copied())
            .unwrap_or(0.0)
    }

    /// Every label with its probability, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f32)> {
        self.labels
            .iter()
            .map(String::as_str)
            .zip(self.probabilities.iter().copied())
    }

    /// Labels at or above 0.5, most probable first.
    pub fn applying(&self) -> Vec<(&str, f32)> {
        let mut out: Vec<(&str, f32)> = self.iter().filter(|(_, p)| *p >= 0.5).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }
}

impl Serialize for LabelScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.probabilities.len()))?;
        for (label, p) in self.iter() {
            map.serialize_entry(label, &p)?;
        }
        map.end()
    }
}
