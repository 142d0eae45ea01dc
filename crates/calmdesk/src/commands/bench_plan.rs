//! `calmdesk bench plan`: Plan latency for a 20-message case under the shipped default policy,
//! the case a console showing the plan beside every conversation must handle.

use std::time::{Duration, Instant};

use calmdesk_core::playbook::{self, CaseInput, CaseMessage, CommitmentInput, OfferInput};

/// A case of 20 messages: a late, then damaged order, a customer growing angrier, an agent
/// replying, one offer and one promise.
fn case() -> CaseInput {
    let customer = [
        "My order #A10234 still hasn't arrived and it's been two weeks!",
        "This is the third time I'm writing. Nobody answers.",
        "The tracking hasn't moved since Monday. What is going on?",
        "It finally came and the blue rain jacket is torn. Unbelievable.",
        "I paid $129.00 for this and it's ruined.",
        "I want my money back, or I'm leaving a one-star review.",
        "Your courier threw it over the fence, I saw it on my camera.",
        "Hello?? Is anyone there?",
        "I'm not sending it back at my own cost, forget it.",
        "Fine. Just tell me when the refund will arrive.",
    ];
    let agent = [
        "I'm sorry for the wait; let me check the tracking for you.",
        "Thank you for your patience; the parcel is with the courier.",
        "I can see it is stuck at the depot; I have asked them to deliver it today.",
        "I'm sorry it arrived torn; that was our mistake.",
        "Could you send a photo of the damage so I can sort this out right away?",
        "I understand, and I want to fix this for you today.",
        "Thank you for letting us know; I have reported it to the courier.",
        "I'm here and looking into it now.",
        "You won't need to send anything back at your cost; we will send a prepaid label.",
        "I have issued the refund of $129.00; it reaches your card in 3 to 5 days. Does that work for you?",
    ];
    let messages = customer
        .iter()
        .zip(agent)
        .flat_map(|(c, a)| {
            [
                CaseMessage {
                    direction: "inbound".into(),
                    text: (*c).to_owned(),
                    at: None,
                },
                CaseMessage {
                    direction: "outbound".into(),
                    text: a.to_owned(),
                    at: None,
                },
            ]
        })
        .collect();
    CaseInput {
        today: "2026-01-20".into(),
        messages,
        offers: vec![OfferInput {
            kind: "refund".into(),
            amount: Some(129.0),
            status: "proposed".into(),
        }],
        commitments: vec![CommitmentInput {
            description: "refund reaches the card".into(),
            due: "2026-01-25".into(),
            status: "open".into(),
        }],
        ..CaseInput::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

pub fn run(plans: usize) -> anyhow::Result<()> {
    let (models, _) = crate::models::reading(None)?;
    let policy = super::plan::policy(None)?;
    let input = case();
    for _ in 0..20 {
        std::hint::black_box(playbook::plan(&input, &models, Some(&policy)));
    }
    let mut times = Vec::with_capacity(plans);
    let started = Instant::now();
    for _ in 0..plans.max(1) {
        let t = Instant::now();
        std::hint::black_box(playbook::plan(&input, &models, Some(&policy)));
        times.push(t.elapsed());
    }
    let rate = times.len() as f64 / started.elapsed().as_secs_f64();
    times.sort();
    println!(
        "A {}-message case under the shipped default policy, {} plans on one thread.\n",
        input.messages.len(),
        times.len()
    );
    println!("| measure | result |");
    println!("|---|---|");
    println!("| plan latency p50 | {:.3} ms |", percentile(&times, 0.5));
    println!("| plan latency p99 | {:.3} ms |", percentile(&times, 0.99));
    println!("| plans per second, 1 thread | {rate:.0} |");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_case_has_twenty_messages_and_plans() {
        let input = case();
        assert_eq!(input.messages.len(), 20);
        let models = crate::models::embedded().unwrap().reading_models().unwrap();
        let policy = super::super::plan::policy(None).unwrap();
        let plan = playbook::plan(&input, &models, Some(&policy));
        assert!(plan.options.is_some());
        assert!(!plan.next_steps.is_empty());
    }
}
