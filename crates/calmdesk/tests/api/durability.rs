//! A server killed with SIGKILL in the middle of a burst of writes loses none it acknowledged.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use calmdesk_desk::domain::{Actor, Role};
use calmdesk_desk::Store;
use serde_json::{json, Value};

use crate::helpers::{new_case, start_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_a_sigkill() {
    for db in calmdesk_desk::testing::all().await {
        let engine = db.engine;
        let store = Store::connect(&db.url).await.unwrap();
        let token = store
            .add_user("ana", Role::Admin, &Actor::system("test"))
            .await
            .unwrap()
            .token;
        store.close().await;

        let mut server = start_server(&db.url, &[]);
        let client = reqwest::Client::new();
        let created: Value = client
            .post(format!("{}/api/v1/cases", server.address))
            .bearer_auth(&token)
            .json(&new_case("burst@example.com", "first"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let case = created["id"].as_i64().unwrap();

        let acknowledged = Arc::new(Mutex::new(Vec::<(String, Value)>::new()));
        let mut writers = Vec::new();
        for writer in 0..8 {
            let (client, token, address) = (client.clone(), token.clone(), server.address.clone());
            let acknowledged = acknowledged.clone();
            writers.push(tokio::spawn(async move {
                for n in 0..100_000 {
                    let (path, body) = if n % 5 == 4 {
                        (
                            "/api/v1/cases".to_owned(),
                            new_case(&format!("w{writer}n{n}@example.com"), "new case"),
                        )
                    } else {
                        (
                            format!("/api/v1/cases/{case}/messages"),
                            json!({"direction": "inbound", "text": format!("burst {writer} {n}")}),
                        )
                    };
                    let sent = client
                        .post(format!("{address}{path}"))
                        .bearer_auth(&token)
                        .timeout(Duration::from_secs(5))
                        .json(&body)
                        .send()
                        .await;
                    let Ok(response) = sent else { return };
                    if !response.status().is_success() {
                        return;
                    }
                    let Ok(value) = response.json::<Value>().await else {
                        return;
                    };
                    acknowledged.lock().unwrap().push((path, value));
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(600)).await;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        for writer in writers {
            writer.await.unwrap();
        }
        let acknowledged = acknowledged.lock().unwrap().clone();
        assert!(
            acknowledged.len() > 10,
            "{engine}: the burst wrote too little to test: {}",
            acknowledged.len()
        );

        let server = start_server(&db.url, &[]);
        let get = |path: String| {
            let (client, token) = (client.clone(), token.clone());
            async move {
                client
                    .get(path)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .json::<Value>()
                    .await
                    .unwrap()
            }
        };
        let record = get(format!("{}/api/v1/cases/{case}", server.address)).await;
        let stored: Vec<i64> = record["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "message")
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        for (path, value) in &acknowledged {
            if path.ends_with("/messages") {
                let id = value["id"].as_i64().unwrap();
                assert!(
                    stored.contains(&id),
                    "{engine}: acknowledged message {id} was lost"
                );
            } else {
                let id = value["id"].as_i64().unwrap();
                let again = get(format!("{}/api/v1/cases/{id}", server.address)).await;
                assert_eq!(
                    again["case"]["id"], id,
                    "{engine}: acknowledged case {id} was lost"
                );
                assert_eq!(
                    again["timeline"].as_array().unwrap().len(),
                    1,
                    "{engine}: case {id} lost its first message"
                );
            }
        }
    }
}
