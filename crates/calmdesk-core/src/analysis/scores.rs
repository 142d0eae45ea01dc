//! Named probabilities that serialise as a JSON object in label order.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// How many steps a Reading's probabilities are given in: four decimal places. More would only
/// repeat the noise of the models' 16-bit weights, and short numbers are quick to write and read.
pub const STEPS: f32 = 10_000.0;

/// Every whole number of steps from 0 to 1 as an `f32`, `k as f32 / STEPS` at index `k`:
/// divided once when the program is compiled rather than for every probability of every
/// Reading, twice (rounded, then written).
static STEP_VALUES: [f32; STEPS as usize + 1] = {
    let mut values = [0.0f32; STEPS as usize + 1];
    let mut k = 0;
    while k < values.len() {
        values[k] = k as f32 / STEPS;
        k += 1;
    }
    values
};

/// `p` to four decimal places: the nearest multiple of 1/[`STEPS`].
pub fn rounded(p: f32) -> f32 {
    if (0.0..=1.0).contains(&p) {
        // Adding a half and truncating rounds as `round` does for these values, without the
        // library call; the result is at most `STEPS`.
        STEP_VALUES[(p * STEPS + 0.5) as usize]
    } else {
        (p * STEPS).round() / STEPS
    }
}

/// How many steps of 1/[`STEPS`] `value` is, when it is a whole number of them from 0 to 1.
pub fn whole_steps(value: f32) -> Option<u32> {
    if !(0.0..=1.0).contains(&value) {
        return None;
    }
    let steps = (value * STEPS + 0.5) as usize;
    (STEP_VALUES[steps] == value).then_some(steps as u32)
}

/// Every probability of `ps` to four decimal places.
pub fn round_all(mut ps: Vec<f32>) -> Vec<f32> {
    for p in &mut ps {
        *p = rounded(*p);
    }
    ps
}

/// A distribution to four decimal places that still sums to one: each value is rounded down,
/// and the steps left over go to the values that lost most (largest remainder; ties to the
/// earlier label), so a rounded distribution is as close to the original as one can be.
pub fn round_distribution(mut ps: Vec<f32>) -> Vec<f32> {
    let total: f32 = ps.iter().sum();
    if ps.is_empty() || !total.is_finite() || total <= 0.0 {
        return round_all(ps);
    }
    let scaled: Vec<f32> = ps.iter().map(|p| p / total * STEPS).collect();
    let mut steps: Vec<u32> = scaled.iter().map(|x| x.floor().max(0.0) as u32).collect();
    let left = (STEPS as u32).saturating_sub(steps.iter().sum());
    let mut order: Vec<usize> = (0..ps.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (scaled[a] - scaled[a].floor(), scaled[b] - scaled[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(left as usize) {
        steps[i] += 1;
    }
    for (p, step) in ps.iter_mut().zip(steps) {
        *p = step as f32 / STEPS;
    }
    ps
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_divided_when_compiled_are_those_divided_when_run() {
        for k in 0..=STEPS as u32 {
            let divided = std::hint::black_box(k) as f32 / std::hint::black_box(STEPS);
            assert_eq!(STEP_VALUES[k as usize].to_bits(), divided.to_bits(), "{k}");
            assert_eq!(whole_steps(divided), Some(k));
            assert_eq!(rounded(divided), divided);
        }
        assert_eq!(whole_steps(0.123_45), None);
        assert_eq!(whole_steps(1.5), None);
        assert_eq!(rounded(0.999_99), 1.0);
    }

    #[test]
    fn rounding_keeps_four_places() {
        assert_eq!(rounded(0.123_456), 0.1235);
        assert_eq!(rounded(0.499_94), 0.4999);
        assert_eq!(rounded(1e-9), 0.0);
        assert_eq!(rounded(1.0), 1.0);
    }

    #[test]
    fn a_rounded_distribution_sums_to_one() {
        for ps in [
            vec![0.333_33, 0.333_33, 0.333_34],
            vec![0.528_566_84, 0.276_317_48, 0.195_115_69],
            vec![0.000_04, 0.000_04, 0.999_92],
            vec![0.5, 0.5],
            vec![1.0, 0.0, 0.0],
        ] {
            let before = ps.clone();
            let after = round_distribution(ps);
            let steps: u32 = after.iter().map(|p| (p * STEPS).round() as u32).sum();
            assert_eq!(steps, 10_000, "{before:?} -> {after:?}");
            for (b, a) in before.iter().zip(&after) {
                assert!((b - a).abs() <= 1.0 / STEPS, "{before:?} -> {after:?}");
                assert_eq!(*a, rounded(*a), "{a} is a whole number of steps");
            }
        }
        assert_eq!(
            round_distribution(vec![0.333_33, 0.333_33, 0.333_34]),
            [0.3333, 0.3333, 0.3334]
        );
    }
}
