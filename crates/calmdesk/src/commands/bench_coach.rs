//! `calmdesk bench coach`: review latency for a long draft in a long conversation, the case a
//! coach running on every keystroke must handle.

use std::time::{Duration, Instant};

use calmdesk_core::coach::{self, DraftKind, Role, Turn};

/// A reply of about 1,500 characters, built from sentences an agent might write.
fn draft() -> String {
    let sentences = [
        "I'm sorry your blue rain jacket from order #A10234 arrived torn; that was our mistake.",
        "I can see how frustrating it is to wait two weeks and then find it damaged.",
        "I can send a replacement today by express delivery, or refund the full $129.00 to your card.",
        "Which would you prefer?",
        "If you choose the replacement, it will reach you by Thursday and you can keep the torn one.",
        "Per our policy you have to send the damaged item back first, unfortunately.",
        "Could you tell me whether the sleeve or the seam is torn, so our warehouse team can check the batch?",
        "Does that work for you?",
    ];
    let mut text = String::new();
    while text.len() < 1500 {
        for s in sentences {
            if text.len() >= 1500 {
                break;
            }
            text.push_str(s);
            text.push(' ');
        }
    }
    text
}

fn conversation() -> Vec<Turn> {
    let customer = [
        "My order #A10234 still hasn't arrived and it's been two weeks!",
        "This is the third time I'm writing. Nobody answers.",
        "It finally came and the jacket is torn. Unbelievable.",
        "I want my money back, or I'm leaving a one-star review.",
        "Hello?? Is anyone there?",
    ];
    let agent = [
        "I'm sorry for the wait; let me check the tracking for you.",
        "Thank you for your patience; the parcel is with the courier.",
        "I understand, and I want to fix this for you.",
        "Could you send a photo of the damage?",
        "I'm here and looking into it now.",
    ];
    customer
        .iter()
        .zip(agent)
        .flat_map(|(c, a)| {
            [
                Turn {
                    role: Role::Customer,
                    text: (*c).to_owned(),
                },
                Turn {
                    role: Role::Agent,
                    text: a.to_owned(),
                },
            ]
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

pub fn run(reviews: usize) -> anyhow::Result<()> {
    let (models, _) = crate::models::reading(None)?;
    let (draft, conversation) = (draft(), conversation());
    for _ in 0..20 {
        std::hint::black_box(coach::review(
            &models,
            &conversation,
            &draft,
            DraftKind::Reply,
            &[],
        ));
    }
    let mut times = Vec::with_capacity(reviews);
    let started = Instant::now();
    for _ in 0..reviews.max(1) {
        let t = Instant::now();
        std::hint::black_box(coach::review(
            &models,
            &conversation,
            &draft,
            DraftKind::Reply,
            &[],
        ));
        times.push(t.elapsed());
    }
    let rate = times.len() as f64 / started.elapsed().as_secs_f64();
    times.sort();
    println!(
        "Draft of {} characters after a {}-message conversation, {} reviews on one thread.\n",
        draft.chars().count(),
        conversation.len(),
        times.len()
    );
    println!("| measure | result |");
    println!("|---|---|");
    println!("| review latency p50 | {:.3} ms |", percentile(&times, 0.5));
    println!(
        "| review latency p99 | {:.3} ms |",
        percentile(&times, 0.99)
    );
    println!("| reviews per second, 1 thread | {rate:.0} |");
    Ok(())
}
