//! Background work: putting due follow-ups in the queue, and escalating cases whose promises
//! fell past their due day.
//!
//! Every instance runs these loops; the desk's claim takes row locks, so instances sharing one
//! PostgreSQL database split the work and never queue a follow-up twice, and an automatic
//! escalation only applies to a case nobody escalated meanwhile.

use std::time::Duration;

use calmdesk_desk::Store;
use chrono::Utc;

use crate::AppState;

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

/// Every `interval`, asks the escalation rules about the open cases with an open promise past
/// due, until the task is dropped or aborted.
pub async fn overdue_promise_loop(state: AppState, interval: Duration) {
    loop {
        // Each round takes the policy in force now.
        match escalate_overdue(&state.clone()).await {
            Ok(0) => {}
            Ok(escalated) => tracing::info!(escalated, "escalated cases with overdue promises"),
            Err(error) => tracing::warn!(%error, "checking overdue promises failed; will retry"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Asks the escalation rules about every open case with an open promise past due; returns how
/// many cases were escalated. The rules count a promise as overdue once its due day has passed.
pub async fn escalate_overdue(state: &AppState) -> Result<usize, calmdesk_desk::DeskError> {
    let mut escalated = 0;
    let mut after = 0;
    loop {
        let ids = state
            .store
            .cases_with_overdue_promises(Utc::now(), after, BATCH)
            .await?;
        let Some(last) = ids.last().copied() else {
            return Ok(escalated);
        };
        for id in ids {
            if crate::escalation::check(state, id).await?.is_some() {
                escalated += 1;
            }
        }
        after = last;
    }
}
