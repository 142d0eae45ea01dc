//! Named probabilities that serialise as a JSON object in label order.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A probability per label, in the model's label order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelScores(pub Vec<(String, f32)>);

impl LabelScores {
    /// The probability of `label`, or 0 when the label is unknown.
    pub fn get(&self, label: &str) -> f32 {
        self.0
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, p)| *p)
            .unwrap_or(0.0)
    }

    /// Labels at or above 0.5, most probable first.
    pub fn applying(&self) -> Vec<(&str, f32)> {
        let mut out: Vec<(&str, f32)> = self
            .0
            .iter()
            .filter(|(_, p)| *p >= 0.5)
            .map(|(l, p)| (l.as_str(), *p))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }
}

impl Serialize for LabelScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (label, p) in &self.0 {
            map.serialize_entry(label, p)?;
        }
        map.end()
    }
}
