//! The whole life of a case over HTTP, with its audit log.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_apps;

#[tokio::test]
async fn a_case_lives_from_first_message_to_closing_and_every_step_is_audited() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let id = app
            .create_case("ana@example.com", "My jacket arrived torn. Order #A100.")
            .await;
        let case = format!("/api/v1/cases/{id}");

        let (status, reply) = app
            .post(&format!("{case}/messages"), json!({"direction": "outbound", "text": "I'm sorry it arrived torn; let me fix that."}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{engine}: {reply}");
        assert_eq!(reply["author"], "agent");
        let (status, _) = app
            .post(
                &format!("{case}/messages"),
                json!({"direction": "note", "text": "Customer sent photos."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = app
            .post(
                &format!("{case}/messages"),
                json!({"direction": "inbound", "text": "I want my money back."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);

        let (_, discount) = app
            .post(
                &format!("{case}/offers"),
                json!({"kind": "discount", "amount": 15, "reason": "damaged on arrival"}),
            )
            .await;
        let (status, declined) = app
            .post(
                &format!("{case}/offers/{}/decision", discount["id"]),
                json!({"status": "declined", "note": "wants a refund"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{declined}");
        assert_eq!(declined["status"], "declined");
        let (_, refund) = app
            .post(&format!("{case}/offers"), json!({"kind": "refund", "amount": 129.0, "currency": "EUR", "reason": "damaged on arrival"}))
            .await;
        let (_, accepted) = app
            .post(
                &format!("{case}/offers/{}/decision", refund["id"]),
                json!({"status": "accepted"}),
            )
            .await;
        assert_eq!(accepted["status"], "accepted");
        assert_eq!(accepted["amount"], 129.0);
        let (status, _) = app
            .post(
                &format!("{case}/offers/{}/decision", refund["id"]),
                json!({"status": "withdrawn"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "an answered offer stays answered"
        );

        let (status, promise) = app
            .post(
                &format!("{case}/commitments"),
                json!({"description": "refund within 3 days", "due_at": "2030-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{promise}");
        let (_, kept) = app
            .post(
                &format!("{case}/commitments/{}/settle", promise["id"]),
                json!({"status": "kept"}),
            )
            .await;
        assert_eq!(kept["status"], "kept");
        let (_, action) = app
            .post(
                &format!("{case}/actions"),
                json!({"kind": "refund_issued", "description": "EUR 129 back to the card"}),
            )
            .await;
        assert_eq!(action["kind"], "refund_issued");

        let (status, resolved) = app
            .post(
                &format!("{case}/resolve"),
                json!({"reason": "refunded", "follow_up_days": 0}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{resolved}");
        assert_eq!(resolved["status"], "resolved");

        let (_, due) = app.get("/api/v1/follow-ups").await;
        let follow_up = due
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["case_id"] == id)
            .unwrap_or_else(|| panic!("{engine}: the follow-up is due: {due}"))
            .clone();
        let (status, done) = app
            .post(
                &format!("/api/v1/follow-ups/{}/outcome", follow_up["id"]),
                json!({"status": "done", "outcome": "refund arrived", "satisfaction": 4}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done["satisfaction"], 4);
        let (_, due) = app.get("/api/v1/follow-ups").await;
        assert!(due.as_array().unwrap().iter().all(|f| f["case_id"] != id));

        let (status, closed) = app.post(&format!("{case}/close"), json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(closed["status"], "closed");

        let (_, record) = app.get(&case).await;
        let timeline = record["timeline"].as_array().unwrap();
        let count = |kind: &str| timeline.iter().filter(|e| e["type"] == kind).count();
        assert_eq!(
            (
                count("message"),
                count("offer"),
                count("commitment"),
                count("follow_up")
            ),
            (4, 2, 1, 1)
        );
        assert_eq!(record["customer"]["emails"][0], "ana@example.com");

        let (_, audit) = app.get(&format!("{case}/audit")).await;
        let steps: Vec<String> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                format!(
                    "{}:{}",
                    a["entity"].as_str().unwrap(),
                    a["action"].as_str().unwrap()
                )
            })
            .collect();
        let expected = [
            "case:created",
            "message:created",
            "offer:created",
            "offer:decided",
            "offer:created",
            "offer:decided",
            "commitment:created",
            "commitment:settled",
            "action:created",
            "follow_up:scheduled",
            "case:status_changed",
            "follow_up:recorded",
            "case:status_changed",
        ];
        let mut position = 0;
        for step in expected {
            position = steps[position..]
                .iter()
                .position(|s| s == step)
                .map(|p| position + p + 1)
                .unwrap_or_else(|| panic!("{engine}: {step} missing in order from {steps:?}"));
        }
        assert!(audit
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["actor"] == "agent" || a["actor"] == "test"));

        let (_, export) = app.get(&format!("{case}/export")).await;
        assert_eq!(export["case"]["id"], id);
        assert_eq!(
            export["audit"].as_array().unwrap().len(),
            audit.as_array().unwrap().len()
        );

        let (status, reopened) = app
            .post(
                &format!("{case}/reopen"),
                json!({"reason": "refund bounced"}),
            )
            .await;
        assert_eq!(
            (status, reopened["status"].as_str()),
            (StatusCode::OK, Some("open"))
        );
    }
}

#[tokio::test]
async fn queues_filter_by_status_assignee_escalation_and_customer_with_a_cursor() {
    for app in spawn_apps().await {
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(
                app.create_case(&format!("c{i}@example.com"), "Where is my order?")
                    .await,
            );
        }
        let (_, me) = app
            .call(Method::GET, "/api/v1/me", Some(&app.manager), None)
            .await;
        let (status, _) = app
            .call(
                Method::PATCH,
                &format!("/api/v1/cases/{}", ids[0]),
                Some(&app.agent),
                Some(json!({"assignee_id": me["id"], "priority": "high"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app
            .post(
                &format!("/api/v1/cases/{}/escalate", ids[1]),
                json!({"reason": "asked for a manager"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        let (_, page) = app.get("/api/v1/cases?limit=2").await;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, next) = app
            .get(&format!("/api/v1/cases?limit=2&cursor={cursor}"))
            .await;
        assert!(next["items"][0]["id"].as_i64().unwrap() < cursor.parse::<i64>().unwrap());

        let (_, escalated) = app.get("/api/v1/cases?escalated=true").await;
        assert_eq!(escalated["items"].as_array().unwrap().len(), 1);
        assert_eq!(
            escalated["items"][0]["escalation_reason"],
            "asked for a manager"
        );
        let (_, by_status) = app.get("/api/v1/cases?status=escalated").await;
        assert_eq!(by_status["items"][0]["id"], ids[1]);
        let (_, assigned) = app
            .get(&format!("/api/v1/cases?assignee={}", me["id"]))
            .await;
        assert_eq!(assigned["items"].as_array().unwrap().len(), 1);
        let (_, case) = app.get(&format!("/api/v1/cases/{}", ids[2])).await;
        let customer = case["customer"]["id"].as_i64().unwrap();
        let (_, theirs) = app.get(&format!("/api/v1/cases?customer={customer}")).await;
        assert_eq!(theirs["items"].as_array().unwrap().len(), 1);
        let (_, theirs_too) = app
            .get(&format!("/api/v1/customers/{customer}/cases"))
            .await;
        assert_eq!(theirs_too["items"][0]["id"], ids[2]);
        let (status, updated) = app
            .call(
                Method::PATCH,
                &format!("/api/v1/customers/{customer}"),
                Some(&app.agent),
                Some(json!({"tier": "gold", "lifetime_value": 2450.5, "orders": 31})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["tier"], "gold");
        let (_, customers) = app.get("/api/v1/customers?limit=500").await;
        assert_eq!(customers["items"].as_array().unwrap().len(), 5);
    }
}

#[tokio::test]
async fn the_openapi_document_and_health_check_are_served() {
    for app in spawn_apps().await {
        let (status, doc) = app
            .call(Method::GET, "/api/v1/openapi.json", None, None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/v1/cases",
            "/api/v1/cases/{case_id}/offers/{offer_id}/decision",
            "/api/v1/follow-ups",
            "/api/v1/users",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} is documented");
        }
        let (status, health) = app.call(Method::GET, "/healthz", None, None).await;
        assert_eq!(
            (status, health["database"].as_str()),
            (StatusCode::OK, Some("ok"))
        );
    }
}
