//! The plan acting on the desk, over real HTTP on every engine: automatic escalation to the
//! manager queue, de-escalation with its reason, the agent's override of the policy, overdue
//! promises found by the background job, a customer's worth, and reloading the policy and
//! rule packs on the running server.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, spawn_apps, TestApp};

const LEGAL: &str =
    "My order A10234 arrived two weeks late. I will contact my lawyer and take you to court.";
const POLITE: &str = "Hi there, could you please help me exchange order A10234? Thank you so much.";

async fn case_of(app: &TestApp, id: i64) -> Value {
    let (status, body) = app.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn actions<'a>(record: &'a Value, kind: &str) -> Vec<&'a Value> {
    record["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "action" && e["kind"] == kind)
        .collect()
}

async fn audit_of(app: &TestApp, id: i64) -> Vec<Value> {
    let (status, body) = app.get(&format!("/api/v1/cases/{id}/audit")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

async fn queue_ids(app: &TestApp) -> Vec<i64> {
    let (status, page) = app.get("/api/v1/cases?escalated=true").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_legal_threat_puts_the_case_in_the_manager_queue_with_reasons_and_handover() {
    for app in spawn_apps().await {
        let calm = app.create_case("calm@example.com", POLITE).await;
        let id = app.create_case("legal@example.com", LEGAL).await;

        let record = case_of(&app, id).await;
        let case = &record["case"];
        assert_eq!(case["status"], "escalated", "{}: {record}", app.engine);
        assert_eq!(case["escalated"], true);
        let reasons = case["escalation"]["reasons"].as_array().unwrap();
        assert!(
            reasons
                .iter()
                .any(|r| r["reason"].as_str().unwrap().contains("legal action")
                    && r["evidence"].as_str().unwrap().contains("lawyer")),
            "{reasons:?}"
        );
        assert_eq!(case["escalation"]["automatic"], true);
        assert!(case["escalation"]["handover"]
            .as_str()
            .unwrap()
            .starts_with("Handover:"));
        assert!(case["escalation_reason"]
            .as_str()
            .unwrap()
            .contains("legal action"));
        let escalated = actions(&record, "status_escalated");
        assert_eq!(escalated.len(), 1, "{record}");
        assert!(escalated[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("escalated automatically: "));
        assert_eq!(escalated[0]["actor"], "escalation rules");
        let audited = audit_of(&app, id).await.iter().any(|a| {
            a["action"] == "status_changed"
                && a["actor"] == "escalation rules"
                && a["after"]["case"]["status"] == "escalated"
        });
        assert!(audited, "{record}");

        // The queue has it, and not the calm case.
        let queue = queue_ids(&app).await;
        assert!(queue.contains(&id), "{queue:?}");
        assert!(!queue.contains(&calm), "{queue:?}");
        assert_eq!(case_of(&app, calm).await["case"]["status"], "open");

        // The plan says the same.
        let (_, plan) = app.get(&format!("/api/v1/cases/{id}/plan")).await;
        assert_eq!(plan["escalation"]["escalate"], true);

        // Only a manager takes it back out, and only with a reason.
        let path = format!("/api/v1/cases/{id}/deescalate");
        let reason = json!({"reason": "Called the customer; the lawyer talk was frustration."});
        let (status, body) = app.post(&path, reason.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = app
            .call(Method::POST, &path, Some(&app.manager), Some(json!({})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "reason");
        assert_eq!(case_of(&app, id).await["case"]["status"], "escalated");
        let (status, body) = app
            .call(Method::POST, &path, Some(&app.manager), Some(reason))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "open");
        assert!(body["escalation"].is_null());
        let record = case_of(&app, id).await;
        let back = actions(&record, "status_open");
        assert!(back[0]["description"]
            .as_str()
            .unwrap()
            .contains("de-escalated: Called the customer"));
        assert!(!queue_ids(&app).await.contains(&id));

        // The same legal threat does not escalate it again; a new reason does.
        let messages = format!("/api/v1/cases/{id}/messages");
        let (status, _) = app
            .post(
                &messages,
                json!({"direction": "inbound", "text": "Thanks for the call."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(case_of(&app, id).await["case"]["status"], "open");
        let (status, _) = app
            .post(
                &messages,
                json!({"direction": "inbound", "text": "I want to speak to your manager."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let record = case_of(&app, id).await;
        assert_eq!(record["case"]["status"], "escalated", "{record}");
        assert_eq!(actions(&record, "status_escalated").len(), 2);
    }
}

#[tokio::test]
async fn an_override_is_recorded_with_its_reason_and_escalates_and_bad_input_stores_nothing() {
    for app in spawn_apps().await {
        let id = app.create_case("override@example.com", POLITE).await;
        let path = format!("/api/v1/cases/{id}/overrides");
        let before = case_of(&app, id).await["timeline"]
            .as_array()
            .unwrap()
            .len();
        for (body, field) in [
            (json!({"option": "teleport", "reason": "why not"}), "option"),
            (json!({"option": "refund", "reason": "   "}), "reason"),
            (json!({"option": "refund"}), "reason"),
            (
                json!({"option": "refund", "reason": "x", "amount": 3}),
                "amount",
            ),
        ] {
            let (status, error) = app.post(&path, body.clone()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
            assert_eq!(error["error"]["field"], field, "{body}: {error}");
        }
        let (status, _) = app
            .post(
                "/api/v1/cases/99999/overrides",
                json!({"option": "refund", "reason": "loyal"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let record = case_of(&app, id).await;
        assert_eq!(record["timeline"].as_array().unwrap().len(), before);
        assert_eq!(record["case"]["status"], "open");

        let (status, body) = app
            .post(
                &path,
                json!({"option": "refund", "reason": "Ten years a customer; the window closed yesterday."}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", app.engine);
        assert_eq!(body["action"]["kind"], "policy_override");
        assert_eq!(
            body["action"]["description"],
            "refund: Ten years a customer; the window closed yesterday."
        );
        assert_eq!(body["action"]["actor"], "agent");
        assert_eq!(body["case"]["status"], "escalated");
        let record = case_of(&app, id).await;
        let reasons = record["case"]["escalation"]["reasons"].as_array().unwrap();
        assert!(
            reasons.iter().any(|r| r["reason"]
                .as_str()
                .unwrap()
                .contains("went against the policy")
                && r["evidence"]
                    .as_str()
                    .unwrap()
                    .contains("Ten years a customer")),
            "{reasons:?}"
        );
        assert!(audit_of(&app, id)
            .await
            .iter()
            .any(|a| a["entity"] == "action" && a["after"]["kind"] == "policy_override"));
        assert!(queue_ids(&app).await.contains(&id));
    }
}

#[tokio::test]
async fn the_background_job_escalates_a_case_whose_promise_is_past_due() {
    for app in spawn_apps().await {
        let late = app.create_case("late@example.com", POLITE).await;
        let kept = app.create_case("kept@example.com", POLITE).await;
        let past = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
        let future = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
        for (id, due) in [(late, &past), (kept, &future)] {
            let (status, body) = app
                .post(
                    &format!("/api/v1/cases/{id}/commitments"),
                    json!({"description": "call the customer back", "due_at": due}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        assert_eq!(case_of(&app, late).await["case"]["status"], "open");
        let escalated = calmdesk_server::jobs::escalate_overdue(&app.state)
            .await
            .unwrap();
        assert_eq!(escalated, 1, "{}", app.engine);
        let record = case_of(&app, late).await;
        assert_eq!(record["case"]["status"], "escalated");
        let reasons = record["case"]["escalation"]["reasons"].as_array().unwrap();
        assert!(reasons
            .iter()
            .any(|r| r["reason"].as_str().unwrap().contains("past its due day")));
        assert_eq!(case_of(&app, kept).await["case"]["status"], "open");
        // Running it again changes nothing.
        assert_eq!(
            calmdesk_server::jobs::escalate_overdue(&app.state)
                .await
                .unwrap(),
            0
        );
    }
}

#[tokio::test]
async fn a_customers_worth_is_for_managers_and_counts_every_case() {
    for app in spawn_apps().await {
        let email = "worth@example.com";
        let first = app.create_case(email, POLITE).await;
        let second = app
            .create_case(
                email,
                "You are an idiot. My order A10234 arrived late and you are useless.",
            )
            .await;
        let customer = case_of(&app, first).await["customer"]["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            case_of(&app, second).await["customer"]["id"].as_i64(),
            Some(customer)
        );
        let (status, _) = app
            .call(
                Method::PATCH,
                &format!("/api/v1/customers/{customer}"),
                Some(&app.manager),
                Some(json!({"tier": "silver", "lifetime_value": 420.5, "orders": 6})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let path = format!("/api/v1/customers/{customer}/worth");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        for token in [&app.manager, &app.admin] {
            let (status, worth) = app.call(Method::GET, &path, Some(token), None).await;
            assert_eq!(status, StatusCode::OK, "{}: {worth}", app.engine);
            assert_eq!(worth["customer_id"], customer);
            let figures = &worth["figures"];
            assert_eq!(figures["cases"], 2);
            assert_eq!(figures["contacts"], 2);
            assert_eq!(figures["orders"], 6);
            assert_eq!(figures["lifetime_value"], 420.5);
            assert_eq!(figures["tier"], "silver");
            assert!(figures["abuse_incidents"].as_u64().unwrap() >= 1);
            assert!(figures["escalations"].as_u64().unwrap() >= 1, "{worth}");
            assert!(worth["cost_to_serve"].as_f64().unwrap() > 0.0);
            assert!(worth["value"].as_f64().unwrap() >= 420.5);
            assert!([
                "keep",
                "keep_with_boundaries",
                "manager_review",
                "part_ways_politely"
            ]
            .contains(&worth["recommendation"].as_str().unwrap()));
            assert!(worth["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_str().unwrap().contains("across 2 case(s)")));
        }
        let (status, body) = app
            .call(
                Method::GET,
                "/api/v1/customers/99999/worth",
                Some(&app.manager),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = app
            .call(
                Method::GET,
                "/api/v1/customers/abc/worth",
                Some(&app.manager),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "customer_id");
    }
}

/// The shipped default policy with one more escalation rule that fires on any case.
fn marked_policy() -> String {
    format!(
        "{}\n[[escalation]]\nwhen = \"repeated_contacts >= 1\"\nreason = \"Reloaded rule: every case goes to a manager.\"\n",
        calmdesk::commands::plan::DEFAULT_POLICY
    )
}

fn reasons_of(plan: &Value) -> String {
    plan["escalation"]["reasons"].to_string()
}

#[tokio::test]
async fn a_reload_with_a_broken_policy_or_pack_keeps_the_rules_in_force() {
    for db in calmdesk_desk::testing::all().await {
        let dir = tempfile::tempdir().unwrap();
        let policy = dir.path().join("policy.toml");
        let packs = dir.path().join("packs");
        std::fs::create_dir(&packs).unwrap();
        let reloader =
            calmdesk::commands::serve::reloader(Some(policy.clone()), Some(packs.clone()));
        let app = spawn_app_with(db, |state| state.with_reloader(reloader)).await;
        let id = app.create_case("reload@example.com", POLITE).await;
        let plan_path = format!("/api/v1/cases/{id}/plan");
        let (_, before) = app.get(&plan_path).await;
        assert!(!reasons_of(&before).contains("Reloaded rule"));

        let reload = |token: String| {
            let app = &app;
            async move {
                app.call(Method::POST, "/api/v1/admin/reload", Some(&token), None)
                    .await
            }
        };
        // Agents and managers may not reload.
        for token in [&app.agent, &app.manager] {
            let (status, body) = reload(token.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        }
        // A missing file and a policy with an error are refused with the file and line.
        let (status, body) = reload(app.admin.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "policy");
        std::fs::write(
            &policy,
            marked_policy().replace("days = 30", "days = \"30d\""),
        )
        .unwrap();
        let (status, body) = reload(app.admin.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "invalid_rules");
        assert_eq!(body["error"]["field"], "policy");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("policy.toml:") && message.contains("unit"),
            "{message}"
        );
        let (_, still) = app.get(&plan_path).await;
        assert_eq!(reasons_of(&still), reasons_of(&before));

        // A good policy with a broken pack is refused too, naming the pack.
        std::fs::write(&policy, marked_policy()).unwrap();
        std::fs::write(packs.join("broken.toml"), "[[rule]]\nid = \n").unwrap();
        let (status, body) = reload(app.admin.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "packs");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("broken.toml:2"));
        let (_, still) = app.get(&plan_path).await;
        assert!(!reasons_of(&still).contains("Reloaded rule"));

        // Once both are good, the new policy is used.
        std::fs::remove_file(packs.join("broken.toml")).unwrap();
        let (status, body) = reload(app.admin.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["packs"], 0);
        assert!(body["policy"]["name"].is_string());
        let (_, after) = app.get(&plan_path).await;
        assert!(
            reasons_of(&after).contains("Reloaded rule"),
            "{}",
            reasons_of(&after)
        );
    }
}

#[tokio::test]
async fn a_server_without_files_to_reload_says_so() {
    for app in spawn_apps().await {
        let (status, body) = app
            .call(Method::POST, "/api/v1/admin/reload", Some(&app.admin), None)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["field"], "policy");
    }
}
