//! Background work: putting due follow-ups in the queue.
//!
//! Every instance runs this loop; the desk's claim takes row locks, so instances sharing one
//! PostgreSQL database split the work and never queue a follow-up twice.

use std::time::Duration;

use calmdesk_desk::Store;
use chrono::Utc;

/// How many follow-ups one claim takes at most.
const BATCH: i64 = 50;

/// Claims due follow-ups every `interval` until the task is dropped or aborted.
pub async fn follow_up_loop(store: Store, instance: String, interval: Duration) {
    loop {
        match claim_all_due(&store, &instance).await {
            Ok(0) => {}
            Ok(claimed) => tracing::info!(claimed, instance, "queued due follow-ups"),
            Err(error) => tracing::warn!(%error, "claiming due follow-ups failed; will retry"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Claims every follow-up due now, a batch at a time; returns how many this instance took.
pub async fn claim_all_due(
    store: &Store,
    instance: &str,
) -> Result<usize, calmdesk_desk::DeskError> {
    let mut total = 0;
    loop {
        let claimed = store
            .claim_due_follow_ups(Utc::now(), instance, BATCH)
            .await?;
        total += claimed.len();
        if (claimed.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}
