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

/// The area under the ROC curve: the chance that a random positive scores above a random
/// negative, ties counting half; 0.5 when either side is empty.
pub fn roc_auc(scores: &[f32], gold: &[bool]) -> f64 {
    let mut ranked: Vec<(f32, bool)> = scores.iter().copied().zip(gold.iter().copied()).collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = ranked.iter().filter(|(_, g)| *g).count();
    let negatives = ranked.len() - positives;
    if positives == 0 || negatives == 0 {
        return 0.5;
    }
    // Each positive wins against the negatives ranked strictly below it and half of those tied.
    let (mut wins, mut below) = (0.0, 0usize);
    let mut start = 0;
    while start < ranked.len() {
        let end = start + ranked[start..].partition_point(|r| r.0 <= ranked[start].0);
        let tied_negatives = ranked[start..end].iter().filter(|(_, g)| !g).count();
        let tied_positives = end - start - tied_negatives;
        wins += tied_positives as f64 * (below as f64 + 0.5 * tied_negatives as f64);
        below += tied_negatives;
        start = end;
    }
    wins / (positives as f64 * negatives as f64)
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
        assert_eq!(
            roc_auc(&[0.9, 0.8, 0.2, 0.1], &[true, true, false, false]),
            1.0
        );
        assert_eq!(
            roc_auc(&[0.1, 0.2, 0.8, 0.9], &[true, true, false, false]),
            0.0
        );
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, false]), 0.5);
        // Positives at 0.9 and 0.3 against negatives at 0.3 and 0.1: 2 + (0.5 + 1) of 4 pairs.
        assert_eq!(
            roc_auc(&[0.9, 0.3, 0.3, 0.1], &[true, true, false, false]),
            0.875
        );
        assert_eq!(
            roc_auc(&[0.3, 0.9, 0.1, 0.3], &[true, false, false, true]),
            0.5
        );
        assert_eq!(roc_auc(&[0.4], &[true]), 0.5);
    }
}
