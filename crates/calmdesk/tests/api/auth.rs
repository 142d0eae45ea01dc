//! Who may do what: 401 without a valid token, 403 when the role is not allowed.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_apps;

#[tokio::test]
async fn each_role_gets_exactly_the_routes_it_is_allowed() {
    for app in spawn_apps().await {
        let engine = app.engine;
        let (_, agent_user) = app
            .call(Method::GET, "/api/v1/me", Some(&app.agent), None)
            .await;
        let agent_id = agent_user["id"].as_i64().unwrap();
        let tokens = [
            ("nobody", None),
            ("bad token", Some("cdk_not_a_token")),
            ("agent", Some(app.agent.as_str())),
            ("manager", Some(app.manager.as_str())),
            ("admin", Some(app.admin.as_str())),
        ];
        // For each route: the status expected for nobody, a bad token, agent, manager, admin.
        for (who, token) in tokens {
            let expect = |agent: u16, manager: u16, admin: u16| -> StatusCode {
                let code = match who {
                    "nobody" | "bad token" => 401,
                    "agent" => agent,
                    "manager" => manager,
                    _ => admin,
                };
                StatusCode::from_u16(code).unwrap()
            };
            let case = app
                .create_case(&format!("{}@example.com", who.replace(' ', "")), "hello")
                .await;
            let table: Vec<(Method, String, Option<serde_json::Value>, StatusCode)> = vec![
                (
                    Method::GET,
                    "/api/v1/cases".into(),
                    None,
                    expect(200, 200, 200),
                ),
                (
                    Method::GET,
                    format!("/api/v1/cases/{case}"),
                    None,
                    expect(200, 200, 200),
                ),
                (
                    Method::POST,
                    "/api/v1/cases".into(),
                    Some(crate::helpers::new_case("x@example.com", "hi")),
                    expect(201, 201, 201),
                ),
                (
                    Method::POST,
                    format!("/api/v1/cases/{case}/messages"),
                    Some(json!({"direction": "note", "text": "n"})),
                    expect(201, 201, 201),
                ),
                (
                    Method::GET,
                    "/api/v1/users".into(),
                    None,
                    expect(403, 200, 200),
                ),
                (
                    Method::POST,
                    "/api/v1/users".into(),
                    Some(
                        json!({"name": format!("new-{}", who.replace(' ', "-")), "role": "agent"}),
                    ),
                    expect(403, 403, 201),
                ),
                (
                    Method::PATCH,
                    format!("/api/v1/users/{agent_id}"),
                    Some(json!({"role": "agent"})),
                    expect(403, 403, 200),
                ),
                (
                    Method::DELETE,
                    format!("/api/v1/cases/{case}"),
                    None,
                    expect(403, 204, 204),
                ),
            ];
            for (method, path, body, expected) in table {
                let (status, body) = app.call(method.clone(), &path, token, body).await;
                assert_eq!(status, expected, "{engine}: {who} {method} {path}: {body}");
                if status.is_client_error() {
                    assert_eq!(body["error"]["field"], "authorization", "{body}");
                    let code = if status == StatusCode::UNAUTHORIZED {
                        "unauthorized"
                    } else {
                        "forbidden"
                    };
                    assert_eq!(body["error"]["code"], code);
                }
            }
        }
    }
}

#[tokio::test]
async fn a_disabled_users_token_stops_working_and_admins_cannot_disable_themselves() {
    for app in spawn_apps().await {
        let (status, made) = app
            .call(
                Method::POST,
                "/api/v1/users",
                Some(&app.admin),
                Some(json!({"name": "temp", "role": "agent"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let token = made["token"].as_str().unwrap();
        assert_eq!(
            app.call(Method::GET, "/api/v1/me", Some(token), None)
                .await
                .0,
            StatusCode::OK
        );
        let (status, _) = app
            .call(
                Method::DELETE,
                &format!("/api/v1/users/{}", made["user"]["id"]),
                Some(&app.admin),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            app.call(Method::GET, "/api/v1/me", Some(token), None)
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
        let (_, me) = app
            .call(Method::GET, "/api/v1/me", Some(&app.admin), None)
            .await;
        let (status, _) = app
            .call(
                Method::DELETE,
                &format!("/api/v1/users/{}", me["id"]),
                Some(&app.admin),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
}
