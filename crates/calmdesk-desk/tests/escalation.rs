//! Automatic escalation in the record, on every engine: once per new reason, never on a case
//! already escalated, resolved or closed, with its reasons kept on the case until a
//! de-escalation, and the cases with overdue promises found for the background job.

use calmdesk_desk::domain::*;
use calmdesk_desk::{testing, Store};
use chrono::{Duration, Utc};
use serde_json::json;

fn actor() -> Actor {
    Actor::system("test")
}

async fn open_case(store: &Store, email: &str) -> Case {
    let new = testing::new_case(email, "It arrived torn.");
    store.create_case(&new, &actor()).await.unwrap().case
}

fn auto(keys: &[&str]) -> AutoEscalation {
    AutoEscalation {
        reason: "The customer mentions legal action; a manager handles it.".into(),
        detail: json!({"automatic": true, "reasons": [{"rule": "legal_threat"}], "handover": "Handover: …"}),
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
    }
}

fn move_to(to: CaseStatus, reason: Option<&str>) -> Transition {
    Transition {
        to,
        reason: reason.map(str::to_owned),
        follow_up_days: None,
    }
}

#[tokio::test]
async fn an_automatic_escalation_fires_once_per_new_reason() {
    for db in testing::all().await {
        let store = Store::connect(&db.url).await.expect(db.engine);
        let case = open_case(&store, "auto@example.com").await;
        let escalated = store
            .escalate_automatically(case.id, &auto(&["legal: lawyer"]), &actor())
            .await
            .unwrap()
            .expect("escalated");
        assert_eq!(escalated.status, CaseStatus::Escalated);
        assert!(escalated.escalated);
        assert_eq!(escalated.escalation.as_ref().unwrap()["automatic"], true);
        assert!(escalated
            .escalation_reason
            .as_deref()
            .unwrap()
            .contains("legal action"));
        // Already escalated: nothing more.
        let again = store
            .escalate_automatically(case.id, &auto(&["abuse: 1"]), &actor())
            .await
            .unwrap();
        assert!(again.is_none(), "{}", db.engine);
        let audit = store.case_audit(case.id).await.unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.action == "status_changed")
                .count(),
            1
        );
        // De-escalated, the same reason does not escalate it again; a new one does.
        let back = store
            .transition(
                case.id,
                &move_to(CaseStatus::Open, Some("spoke to the customer")),
                &actor(),
            )
            .await
            .unwrap();
        assert!(back.escalation.is_none());
        assert!(back.escalation_reason.is_none());
        let same = store
            .escalate_automatically(case.id, &auto(&["legal: lawyer"]), &actor())
            .await
            .unwrap();
        assert!(same.is_none());
        assert_eq!(
            store.get_case(case.id).await.unwrap().status,
            CaseStatus::Open
        );
        let new = store
            .escalate_automatically(
                case.id,
                &auto(&["legal: lawyer", "speak_to_manager"]),
                &actor(),
            )
            .await
            .unwrap();
        assert!(new.is_some());
        // A resolved case is left alone.
        let other = open_case(&store, "resolved@example.com").await;
        store
            .transition(other.id, &move_to(CaseStatus::Resolved, None), &actor())
            .await
            .unwrap();
        let resolved = store
            .escalate_automatically(other.id, &auto(&["legal: lawyer"]), &actor())
            .await
            .unwrap();
        assert!(resolved.is_none());
        assert_eq!(
            store.get_case(other.id).await.unwrap().status,
            CaseStatus::Resolved
        );
        store.close().await;
    }
}

#[tokio::test]
async fn cases_with_overdue_promises_are_the_open_unescalated_ones() {
    for db in testing::all().await {
        let store = Store::connect(&db.url).await.expect(db.engine);
        let late = open_case(&store, "late@example.com").await;
        let early = open_case(&store, "early@example.com").await;
        let escalated = open_case(&store, "escalated@example.com").await;
        for (case, days) in [(&late, -2), (&early, 2), (&escalated, -2)] {
            store
                .add_commitment(
                    case.id,
                    &NewCommitment {
                        description: "call back".into(),
                        due_at: Utc::now() + Duration::days(days),
                    },
                    &actor(),
                )
                .await
                .unwrap();
        }
        store
            .transition(
                escalated.id,
                &move_to(CaseStatus::Escalated, Some("by hand")),
                &actor(),
            )
            .await
            .unwrap();
        let found = store
            .cases_with_overdue_promises(Utc::now(), 0, 50)
            .await
            .unwrap();
        assert_eq!(found, vec![late.id], "{}", db.engine);
        let after = store
            .cases_with_overdue_promises(Utc::now(), late.id, 50)
            .await
            .unwrap();
        assert!(after.is_empty());
        store.close().await;
    }
}
