//! The storage suite: the same behaviour checked on SQLite and, when configured, PostgreSQL.

use calmdesk_desk::domain::*;
use calmdesk_desk::import::{
    ImportedConversation, ImportedCustomer, ImportedDirection, ImportedMessage,
};
use calmdesk_desk::{testing, DeskError, Store};
use chrono::{Duration, Utc};

fn agent() -> Actor {
    Actor::system("test")
}

/// Runs `check` once per engine on a fresh, migrated store.
macro_rules! on_every_engine {
    ($name:ident, |$store:ident| $body:block) => {
        #[tokio::test]
        async fn $name() {
            for db in testing::all().await {
                let $store = Store::connect(&db.url).await.expect(db.engine);
                $body
                $store.close().await;
            }
        }
    };
}

on_every_engine!(a_case_opens_with_its_customer_and_first_message, |store| {
    let record = store
        .create_case(
            &testing::new_case("Ana@Example.com", "It arrived torn."),
            &agent(),
        )
        .await
        .unwrap();
    assert_eq!(record.case.status, CaseStatus::Open);
    assert_eq!(record.customer.emails, vec!["ana@example.com"]);
    assert_eq!(record.timeline.len(), 1);
    let TimelineEntry::Message(first) = &record.timeline[0] else {
        panic!("not a message")
    };
    assert_eq!(first.direction, Direction::Inbound);
    assert_eq!(first.author, "Ana Lopez");
    let again = store
        .create_case(
            &testing::new_case("ana@example.com", "Still torn."),
            &agent(),
        )
        .await
        .unwrap();
    assert_eq!(
        again.customer.id, record.customer.id,
        "the same e-mail finds the same customer"
    );
});

on_every_engine!(an_invalid_case_writes_nothing, |store| {
    let mut bad = testing::new_case("ana@example.com", "x");
    bad.subject = "s".repeat(MAX_SHORT + 1);
    let err = store.create_case(&bad, &agent()).await.unwrap_err();
    assert!(
        matches!(err, DeskError::Invalid { ref field, .. } if field == "subject"),
        "{err}"
    );
    let mut unknown_assignee = testing::new_case("ana@example.com", "x");
    unknown_assignee.assignee_id = Some(999);
    assert!(store
        .create_case(&unknown_assignee, &agent())
        .await
        .is_err());
    assert_eq!(store.count_cases().await.unwrap(), 0);
    assert_eq!(
        store.list_customers(None, 10).await.unwrap().items.len(),
        0,
        "no customer half-written"
    );
});

on_every_engine!(
    the_life_of_a_case_is_recorded_in_order_with_its_audit,
    |store| {
        let case = store
            .create_case(
                &testing::new_case("b@example.com", "Where is my parcel?"),
                &agent(),
            )
            .await
            .unwrap()
            .case;
        store
            .add_message(
                case.id,
                &NewMessage {
                    direction: Direction::Outbound,
                    text: "Sorry, checking now.".into(),
                    author: None,
                    channel: None,
                    external_id: None,
                    at: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        let declined = store
            .add_offer(
                case.id,
                &NewOffer {
                    kind: OfferKind::Discount,
                    amount: Some(5.0),
                    currency: None,
                    reason: "late".into(),
                },
                &agent(),
            )
            .await
            .unwrap();
        store
            .decide_offer(
                case.id,
                declined.id,
                &OfferDecision {
                    status: OfferStatus::Declined,
                    note: Some("wants refund".into()),
                },
                &agent(),
            )
            .await
            .unwrap();
        let accepted = store
            .add_offer(
                case.id,
                &NewOffer {
                    kind: OfferKind::Refund,
                    amount: Some(49.99),
                    currency: Some("EUR".into()),
                    reason: "late delivery".into(),
                },
                &agent(),
            )
            .await
            .unwrap();
        let accepted = store
            .decide_offer(
                case.id,
                accepted.id,
                &OfferDecision {
                    status: OfferStatus::Accepted,
                    note: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        assert_eq!(accepted.amount, Some(49.99));
        let again = store
            .decide_offer(
                case.id,
                accepted.id,
                &OfferDecision {
                    status: OfferStatus::Declined,
                    note: None,
                },
                &agent(),
            )
            .await;
        assert!(matches!(again, Err(DeskError::Conflict { .. })));
        let resolved = store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Resolved,
                    reason: Some("refunded".into()),
                    follow_up_days: Some(0),
                },
                &agent(),
            )
            .await
            .unwrap();
        assert_eq!(resolved.status, CaseStatus::Resolved);
        let due = store
            .due_follow_ups(Utc::now() + Duration::seconds(1), 10)
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        store
            .record_follow_up(
                due[0].id,
                &FollowUpOutcome {
                    status: FollowUpStatus::Done,
                    outcome: Some("happy".into()),
                    satisfaction: Some(5),
                },
                &agent(),
            )
            .await
            .unwrap();
        let closed = store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Closed,
                    reason: None,
                    follow_up_days: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        assert!(closed.closed_at.is_some());
        let record = store.case_record(case.id).await.unwrap();
        let kinds: Vec<&str> = record
            .timeline
            .iter()
            .map(|e| match e {
                TimelineEntry::Message(_) => "message",
                TimelineEntry::Action(_) => "action",
                TimelineEntry::Offer(_) => "offer",
                TimelineEntry::Commitment(_) => "commitment",
                TimelineEntry::FollowUp(_) => "follow_up",
            })
            .collect();
        assert_eq!(kinds.iter().filter(|k| **k == "offer").count(), 2);
        assert!(kinds.contains(&"follow_up"));
        let audit = store.case_audit(case.id).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        for expected in [
            "created",
            "decided",
            "status_changed",
            "scheduled",
            "recorded",
        ] {
            assert!(
                actions.contains(&expected),
                "{expected} missing from {actions:?}"
            );
        }
        let decided = audit.iter().find(|a| a.action == "decided").unwrap();
        assert_eq!(decided.before.as_ref().unwrap()["status"], "proposed");
        assert_eq!(decided.after.as_ref().unwrap()["status"], "declined");
    }
);

on_every_engine!(
    a_closed_case_cannot_be_resolved_and_reopening_skips_its_follow_up,
    |store| {
        let case = store
            .create_case(&testing::new_case("c@example.com", "Broken"), &agent())
            .await
            .unwrap()
            .case;
        store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Resolved,
                    reason: None,
                    follow_up_days: Some(3),
                },
                &agent(),
            )
            .await
            .unwrap();
        store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Closed,
                    reason: None,
                    follow_up_days: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        let err = store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Resolved,
                    reason: None,
                    follow_up_days: None,
                },
                &agent(),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, DeskError::Conflict { .. }));
        store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Open,
                    reason: Some("still broken".into()),
                    follow_up_days: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        let record = store.case_record(case.id).await.unwrap();
        let follow_up = record
            .timeline
            .iter()
            .find_map(|e| match e {
                TimelineEntry::FollowUp(f) => Some(f),
                _ => None,
            })
            .unwrap();
        assert_eq!(follow_up.status, FollowUpStatus::Skipped);
    }
);

on_every_engine!(queues_filter_and_page_with_a_cursor, |store| {
    let manager = store
        .add_user("mia", Role::Manager, &agent())
        .await
        .unwrap()
        .user;
    for i in 0..7 {
        let mut c = testing::new_case(&format!("q{i}@example.com"), "hello");
        if i % 2 == 0 {
            c.assignee_id = Some(manager.id);
        }
        let case = store.create_case(&c, &agent()).await.unwrap().case;
        if i < 2 {
            store
                .transition(
                    case.id,
                    &Transition {
                        to: CaseStatus::Escalated,
                        reason: Some("legal threat".into()),
                        follow_up_days: None,
                    },
                    &agent(),
                )
                .await
                .unwrap();
        }
    }
    let mut filter = CaseFilter {
        limit: 3,
        ..Default::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = store.list_cases(&filter).await.unwrap();
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next_cursor {
            Some(c) => filter.before_id = Some(c.parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats"
    );
    let assigned = store
        .list_cases(&CaseFilter {
            assignee_id: Some(manager.id),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(assigned.items.len(), 4);
    let escalated = store
        .list_cases(&CaseFilter {
            escalated: Some(true),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(escalated.items.len(), 2);
    assert!(escalated
        .items
        .iter()
        .all(|c| c.escalation_reason.as_deref() == Some("legal threat")));
    let by_status = store
        .list_cases(&CaseFilter {
            status: Some(CaseStatus::Escalated),
            assignee_id: Some(manager.id),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_status.items.len(), 1);
});

on_every_engine!(tokens_authenticate_until_the_user_is_disabled, |store| {
    let made = store.add_user("ana", Role::Agent, &agent()).await.unwrap();
    assert_eq!(
        store.authenticate(&made.token).await.unwrap().unwrap().name,
        "ana"
    );
    assert!(store.authenticate("cdk_nope").await.unwrap().is_none());
    assert!(matches!(
        store.add_user("ana", Role::Admin, &agent()).await,
        Err(DeskError::Conflict { .. })
    ));
    store.disable_user(made.user.id, &agent()).await.unwrap();
    assert!(store.authenticate(&made.token).await.unwrap().is_none());
});

on_every_engine!(importing_twice_adds_nothing_the_second_time, |store| {
    let at = Utc::now();
    let conversation = ImportedConversation {
        references: Vec::new(),
        external_id: "csv:t1".into(),
        channel: "chat".into(),
        subject: "Refund please".into(),
        customer: ImportedCustomer {
            name: "Bo".into(),
            email: None,
            handle: Some("@bo".into()),
        },
        messages: vec![
            ImportedMessage {
                external_id: "csv:t1:1".into(),
                direction: ImportedDirection::Inbound,
                author: "Bo".into(),
                text: "Refund please".into(),
                at,
            },
            ImportedMessage {
                external_id: "csv:t1:2".into(),
                direction: ImportedDirection::Outbound,
                author: "Desk".into(),
                text: "On it".into(),
                at,
            },
        ],
    };
    let first = store
        .import_conversation(&conversation, &agent())
        .await
        .unwrap();
    assert!(first.case_created);
    assert_eq!(first.messages_added, 2);
    let second = store
        .import_conversation(&conversation, &agent())
        .await
        .unwrap();
    assert_eq!(
        (
            second.case_created,
            second.messages_added,
            second.messages_existing
        ),
        (false, 0, 2)
    );
    assert_eq!(second.case_id, first.case_id);
    assert_eq!(store.count_cases().await.unwrap(), 1);
});

on_every_engine!(due_follow_ups_are_claimed_once, |store| {
    for i in 0..5 {
        let case = store
            .create_case(
                &testing::new_case(&format!("f{i}@example.com"), "x"),
                &agent(),
            )
            .await
            .unwrap()
            .case;
        store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Resolved,
                    reason: None,
                    follow_up_days: Some(0),
                },
                &agent(),
            )
            .await
            .unwrap();
    }
    let later = Utc::now() + Duration::seconds(1);
    let a = store.claim_due_follow_ups(later, "a", 3).await.unwrap();
    let b = store.claim_due_follow_ups(later, "b", 10).await.unwrap();
    let c = store.claim_due_follow_ups(later, "c", 10).await.unwrap();
    assert_eq!((a.len(), b.len(), c.len()), (3, 2, 0));
    assert_eq!(
        store.due_follow_ups(later, 10).await.unwrap().len(),
        5,
        "claimed follow-ups are still due until recorded"
    );
});

on_every_engine!(deleting_a_case_keeps_its_record_in_the_audit_log, |store| {
    let case = store
        .create_case(&testing::new_case("d@example.com", "gone"), &agent())
        .await
        .unwrap()
        .case;
    store.delete_case(case.id, &agent()).await.unwrap();
    assert!(matches!(
        store.get_case(case.id).await,
        Err(DeskError::NotFound { .. })
    ));
    let audit = store.entity_audit("case", case.id).await.unwrap();
    let deleted = audit.last().unwrap();
    assert_eq!(deleted.action, "deleted");
    assert_eq!(
        deleted.before.as_ref().unwrap()["timeline"][0]["text"],
        "gone"
    );
});

on_every_engine!(
    a_case_waiting_on_the_customer_reopens_when_they_reply,
    |store| {
        let case = store
            .create_case(
                &testing::new_case("w@example.com", "Where is it?"),
                &agent(),
            )
            .await
            .unwrap()
            .case;
        let waiting = store
            .transition(
                case.id,
                &Transition {
                    to: CaseStatus::Waiting,
                    reason: Some("asked for the order number".into()),
                    follow_up_days: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        assert_eq!(waiting.status, CaseStatus::Waiting);
        assert_eq!(
            store.get_case(case.id).await.unwrap().status,
            CaseStatus::Waiting
        );
        store
            .add_message(
                case.id,
                &NewMessage {
                    direction: Direction::Inbound,
                    text: "It is #A100".into(),
                    author: None,
                    channel: None,
                    external_id: None,
                    at: None,
                },
                &agent(),
            )
            .await
            .unwrap();
        assert_eq!(
            store.get_case(case.id).await.unwrap().status,
            CaseStatus::Open
        );
    }
);
