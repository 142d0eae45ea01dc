//! The scores models are judged by, as each data set's paper defines them.

/// F1 of the positive class.
pub fn f1(predicted: &[bool], gold: &[bool]) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (p, g) in predicted.iter().zip(gold) {
        match (p, g) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            (false, false) => {}
        }
    }
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + fp + fn_)
    }
}

/// F1 of each class in turn against the rest, averaged.
pub fn macro_f1(predicted: &[usize], gold: &[usize], classes: usize) -> f64 {
    let scores: Vec<f64> = (0..classes)
        .map(|c| {
            let p: Vec<bool> = predicted.iter().map(|&x| x == c).collect();
            let g: Vec<bool> = gold.iter().map(|&x| x == c).collect();
            f1(&p, &g)
        })
        .collect();
    scores.iter().sum::<f64>() / classes.max(1) as f64
}

/// Recall of each class, averaged.
pub fn macro_recall(predicted: &[usize], gold: &[usize], classes: usize) -> f64 {
    let mut total = 0.0;
    for c in 0..classes {
        let relevant = gold.iter().filter(|&&g| g == c).count();
        let hit = predicted
            .iter()
            .zip(gold)
            .filter(|(&p, &g)| g == c && p == c)
            .count();
        total += if relevant == 0 {
            0.0
        } else {
            hit as f64 / relevant as f64
        };
    }
    total / classes.max(1) as f64
}

/// The share of exact matches.
pub fn accuracy(predicted: &[usize], gold: &[usize]) -> f64 {
    if gold.is_empty() {
        return 0.0;
    }
    let hits = predicted.iter().zip(gold).filter(|(p, g)| p == g).count();
    hits as f64 / gold.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_counts() {
        assert!((f1(&[true, true, false, false], &[true, false, true, false]) - 0.5).abs() < 1e-9);
        assert_eq!(accuracy(&[0, 1, 2], &[0, 1, 1]), 2.0 / 3.0);
        assert!((macro_recall(&[0, 0, 1], &[0, 1, 1], 2) - 0.75).abs() < 1e-9);
        assert!((macro_f1(&[0, 1], &[0, 1], 2) - 1.0).abs() < 1e-9);
    }
}
