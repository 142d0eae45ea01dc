//! Automatic escalation: when a customer message is stored, an agent overrides the policy, or
//! a promise falls past its due day, the desk asks the playbook's escalation rules about the
//! case; when they fire for something that has not escalated the case before, the case goes to
//! the manager queue with the reasons and the hand-over wording, through the desk's one
//! escalate transition (one transaction with its timeline action and audit entry).

use calmdesk_core::analysis::Models;
use calmdesk_core::playbook::{self, CaseInput};
use calmdesk_core::policy::Policy;
use calmdesk_desk::domain::{Actor, AutoEscalation, Case, Id};
use calmdesk_desk::{DeskError, Store};

use crate::AppState;

/// The actor automatic escalations are recorded under.
pub const ESCALATION_ACTOR: &str = "escalation rules";

/// Asks the escalation rules about case `case_id` under the policy in force, and escalates it
/// when they fire for a new reason. Returns the case when it was escalated now.
pub async fn check(state: &AppState, case_id: Id) -> Result<Option<Case>, DeskError> {
    check_case(&state.store, &state.models, &state.policy, case_id).await
}

/// [`check`] outside a server: the same rules, for the command line (`calmdesk import`).
pub async fn check_case(
    store: &Store,
    models: &Models,
    policy: &Policy,
    case_id: Id,
) -> Result<Option<Case>, DeskError> {
    let record = store.case_record(case_id).await?;
    if record.case.escalated {
        return Ok(None);
    }
    let export = serde_json::to_value(&record).map_err(|e| DeskError::Invalid {
        field: "case".into(),
        message: e.to_string(),
    })?;
    let today = chrono::Utc::now().date_naive().to_string();
    let input = CaseInput::from_export(&export, &today);
    let escalation = playbook::escalation_for(&input, models, Some(policy));
    if !escalation.escalate {
        return Ok(None);
    }
    let reason = escalation
        .reasons
        .iter()
        .map(|r| r.reason.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let auto = AutoEscalation {
        reason,
        keys: escalation
            .reasons
            .iter()
            .map(playbook::EscalationReason::key)
            .collect(),
        detail: serde_json::json!({
            "automatic": true,
            "reasons": escalation.reasons,
            "handover": escalation.handover,
        }),
    };
    let escalated = store
        .escalate_automatically(case_id, &auto, &Actor::system(ESCALATION_ACTOR))
        .await?;
    if let Some(case) = &escalated {
        tracing::info!(case = case.id, reason = %auto.reason, "escalated automatically");
    }
    Ok(escalated)
}
