//! Every malformed request gets a 4xx in the one error shape naming the field, and the
//! database is exactly as it was afterwards.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{new_case, spawn_apps, TestApp};

/// Everything a malformed request could have touched.
async fn snapshot(app: &TestApp, case: i64) -> Value {
    let (_, cases) = app.get("/api/v1/cases?limit=500").await;
    let (_, record) = app.get(&format!("/api/v1/cases/{case}")).await;
    let (_, audit) = app.get(&format!("/api/v1/cases/{case}/audit")).await;
    let (_, customers) = app.get("/api/v1/customers?limit=500").await;
    let (_, users) = app
        .call(Method::GET, "/api/v1/users", Some(&app.admin), None)
        .await;
    json!({"cases": cases, "record": record, "audit": audit, "customers": customers, "users": users})
}

#[tokio::test]
async fn malformed_requests_are_refused_with_the_field_named_and_nothing_written() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let case = app.create_case("ana@example.com", "torn").await;
        let (_, offer) = app
            .post(
                &format!("/api/v1/cases/{case}/offers"),
                json!({"kind": "refund", "amount": 10, "reason": "r"}),
            )
            .await;
        let offer = offer["id"].as_i64().unwrap();
        let before = snapshot(&app, case).await;

        let long = "x".repeat(301);
        let mut missing_subject = new_case("b@example.com", "t");
        missing_subject.as_object_mut().unwrap().remove("subject");
        let mut wrong_type = new_case("b@example.com", "t");
        wrong_type["subject"] = json!(42);
        let mut too_long = new_case("b@example.com", "t");
        too_long["subject"] = json!(long);
        let mut bad_email = new_case("not-an-email", "t");
        bad_email["customer"]["name"] = json!("B");
        let mut unknown = new_case("b@example.com", "t");
        unknown["customer"]["phone"] = json!("555");
        let mut blank_text = new_case("b@example.com", "   ");
        blank_text["channel"] = json!("chat");
        let mut bad_assignee = new_case("b@example.com", "t");
        bad_assignee["assignee_id"] = json!(99999);
        let huge_text = json!({"direction": "inbound", "text": "y".repeat(100_001)});

        let c = format!("/api/v1/cases/{case}");
        let json_cases: Vec<(Method, String, Value, u16, &str, &str)> = vec![
            (
                Method::POST,
                "/api/v1/cases".into(),
                missing_subject,
                400,
                "missing_field",
                "subject",
            ),
            (
                Method::POST,
                "/api/v1/cases".into(),
                wrong_type,
                400,
                "invalid_field",
                "subject",
            ),
            (
                Method::POST,
                "/api/v1/cases".into(),
                too_long,
                400,
                "invalid_field",
                "subject",
            ),
            (
                Method::POST,
                "/api/v1/cases".into(),
                bad_email,
                400,
                "invalid_field",
                "customer.email",
            ),
            (
                Method::POST,
                "/api/v1/cases".into(),
                unknown,
                400,
                "unknown_field",
                "customer.phone",
            ),
            (
                Method::POST,
                "/api/v1/cases".into(),
                blank_text,
                400,
                "invalid_field",
                "message.text",
            ),
            (
                Method::POST,
                "/api/v1/cases".into(),
                bad_assignee,
                400,
                "invalid_field",
                "assignee_id",
            ),
            (
                Method::POST,
                format!("{c}/messages"),
                json!({"direction": "sideways", "text": "t"}),
                400,
                "invalid_field",
                "direction",
            ),
            (
                Method::POST,
                format!("{c}/messages"),
                huge_text,
                400,
                "invalid_field",
                "text",
            ),
            (
                Method::POST,
                "/api/v1/cases/99999/messages".into(),
                json!({"direction": "inbound", "text": "t"}),
                404,
                "not_found",
                "case_id",
            ),
            (
                Method::POST,
                format!("{c}/offers"),
                json!({"kind": "refund", "amount": -5, "reason": "r"}),
                400,
                "invalid_field",
                "amount",
            ),
            (
                Method::POST,
                format!("{c}/offers"),
                json!({"kind": "bribe", "reason": "r"}),
                400,
                "invalid_field",
                "kind",
            ),
            (
                Method::POST,
                format!("{c}/offers"),
                json!({"kind": "refund", "currency": "dollars", "reason": "r"}),
                400,
                "invalid_field",
                "currency",
            ),
            (
                Method::POST,
                format!("{c}/offers/{offer}/decision"),
                json!({"status": "proposed"}),
                400,
                "invalid_field",
                "status",
            ),
            (
                Method::POST,
                format!("{c}/offers/99999/decision"),
                json!({"status": "accepted"}),
                404,
                "not_found",
                "offer_id",
            ),
            (
                Method::POST,
                format!("{c}/commitments"),
                json!({"description": "d", "due_at": "tomorrow"}),
                400,
                "invalid_field",
                "due_at",
            ),
            (
                Method::POST,
                format!("{c}/escalate"),
                json!({}),
                400,
                "invalid_field",
                "reason",
            ),
            (
                Method::POST,
                format!("{c}/close"),
                json!({"follow_up_days": 3}),
                400,
                "invalid_field",
                "follow_up_days",
            ),
            (
                Method::POST,
                format!("{c}/resolve"),
                json!({"follow_up_days": 999}),
                400,
                "invalid_field",
                "follow_up_days",
            ),
            (
                Method::POST,
                "/api/v1/follow-ups/99999/outcome".into(),
                json!({"status": "done", "satisfaction": 9}),
                400,
                "invalid_field",
                "satisfaction",
            ),
            (
                Method::POST,
                "/api/v1/follow-ups/99999/outcome".into(),
                json!({"status": "done"}),
                404,
                "not_found",
                "follow_up_id",
            ),
            (
                Method::PATCH,
                c.clone(),
                json!({"priority": "whenever"}),
                400,
                "invalid_field",
                "priority",
            ),
            (
                Method::PATCH,
                c.clone(),
                json!({"subject": long}),
                400,
                "invalid_field",
                "subject",
            ),
            (
                Method::PATCH,
                "/api/v1/customers/1".into(),
                json!({"orders": "many"}),
                400,
                "invalid_field",
                "orders",
            ),
        ];
        for (method, path, body, status, code, field) in json_cases {
            let (got, error) = app
                .call(method.clone(), &path, Some(&app.agent), Some(body))
                .await;
            assert_eq!(got.as_u16(), status, "{engine}: {method} {path}: {error}");
            assert_eq!(
                error["error"]["code"], code,
                "{engine}: {method} {path}: {error}"
            );
            assert_eq!(
                error["error"]["field"], field,
                "{engine}: {method} {path}: {error}"
            );
            assert!(error["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()));
        }

        let raw_cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
            (
                "/api/v1/cases",
                "application/json",
                b"{\"subject\": ".to_vec(),
                400,
                "body",
            ),
            (
                "/api/v1/cases",
                "application/json",
                b"[1, 2]".to_vec(),
                400,
                "body",
            ),
            (
                "/api/v1/cases",
                "application/json",
                format!("{} trailing", new_case("t@example.com", "t")).into_bytes(),
                400,
                "body",
            ),
            (
                "/api/v1/cases",
                "text/plain",
                b"hello".to_vec(),
                415,
                "content-type",
            ),
            (
                "/api/v1/cases",
                "application/json",
                vec![b' '; 2 * 1024 * 1024],
                413,
                "body",
            ),
            (
                "/api/v1/cases",
                "application/json",
                vec![0xff, 0xfe, 0x00],
                400,
                "body",
            ),
        ];
        for (path, content_type, body, status, field) in raw_cases {
            let (got, error) = app.call_raw(Method::POST, path, content_type, body).await;
            assert_eq!(got.as_u16(), status, "{engine}: {content_type}: {error}");
            assert_eq!(error["error"]["field"], field, "{engine}: {error}");
        }

        let gets: Vec<(&str, u16, &str)> = vec![
            ("/api/v1/cases/99999", 404, "case_id"),
            ("/api/v1/cases/abc", 400, "case_id"),
            ("/api/v1/cases/-1/audit", 400, "case_id"),
            ("/api/v1/cases?status=angry", 400, "status"),
            ("/api/v1/cases?limit=0", 400, "limit"),
            ("/api/v1/cases?limit=many", 400, "limit"),
            ("/api/v1/cases?escalated=maybe", 400, "escalated"),
            ("/api/v1/cases?cursor=xyz", 400, "cursor"),
            ("/api/v1/cases?assignee=me", 400, "assignee"),
            ("/api/v1/customers/99999", 404, "customer_id"),
            ("/api/v1/follow-ups?due_before=yesterday", 400, "due_before"),
            ("/api/v1/nothing-here", 404, "path"),
        ];
        for (path, status, field) in gets {
            let (got, error) = app.get(path).await;
            assert_eq!(got.as_u16(), status, "{engine}: {path}: {error}");
            assert_eq!(error["error"]["field"], field, "{engine}: {path}: {error}");
        }
        let (got, error) = app
            .call(
                Method::PUT,
                "/api/v1/cases",
                Some(&app.agent),
                Some(json!({})),
            )
            .await;
        assert_eq!(
            (got.as_u16(), error["error"]["code"].as_str()),
            (405, Some("method_not_allowed"))
        );

        let after = snapshot(&app, case).await;
        assert_eq!(
            before, after,
            "{engine}: a refused request changed the record"
        );
    }
}
