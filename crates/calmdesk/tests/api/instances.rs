//! Two server instances on one database queue each due follow-up exactly once.

use std::time::{Duration, Instant};

use calmdesk_desk::domain::*;
use calmdesk_desk::Store;
use chrono::Utc;

use crate::helpers::start_server;

const CASES: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_process_due_follow_ups_with_none_done_twice() {
    for db in calmdesk_desk::testing::all().await {
        let engine = db.engine;
        let store = Store::connect(&db.url).await.unwrap();
        let actor = Actor::system("test");
        for i in 0..CASES {
            let case = store
                .create_case(
                    &NewCase {
                        customer: NewCustomer {
                            name: format!("C{i}"),
                            email: Some(format!("c{i}@example.com")),
                            handle: None,
                        },
                        subject: "late".into(),
                        channel: "email".into(),
                        message: FirstMessage {
                            text: "late again".into(),
                            ..FirstMessage::default()
                        },
                        ..NewCase::default()
                    },
                    &actor,
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
                    &actor,
                )
                .await
                .unwrap();
        }

        let servers = [
            start_server(&db.url, &["--instance", "one", "--job-interval", "0.02"]),
            start_server(&db.url, &["--instance", "two", "--job-interval", "0.02"]),
        ];
        let deadline = Instant::now() + Duration::from_secs(60);
        let due = loop {
            let due = store.due_follow_ups(Utc::now(), 1000).await.unwrap();
            if due.iter().all(|f| f.notified_at.is_some()) || Instant::now() > deadline {
                break due;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        drop(servers);
        assert_eq!(due.len(), CASES);
        assert!(
            due.iter().all(|f| f.notified_at.is_some()),
            "{engine}: not every follow-up was queued in time"
        );
        let by = |name: &str| {
            due.iter()
                .filter(|f| f.notified_by.as_deref() == Some(name))
                .count()
        };
        assert_eq!(
            by("one") + by("two"),
            CASES,
            "{engine}: each follow-up was taken by one of the two"
        );

        let mut queued_actions = 0;
        for follow_up in &due {
            let record = store.case_record(follow_up.case_id).await.unwrap();
            let count = record
                .timeline
                .iter()
                .filter(|e| matches!(e, TimelineEntry::Action(a) if a.kind == "follow_up_due"))
                .count();
            assert_eq!(
                count, 1,
                "{engine}: case {} was queued {count} times",
                follow_up.case_id
            );
            queued_actions += count;
        }
        assert_eq!(queued_actions, CASES);
        eprintln!(
            "{engine}: instance one queued {}, instance two {}",
            by("one"),
            by("two")
        );
        store.close().await;
    }
}
