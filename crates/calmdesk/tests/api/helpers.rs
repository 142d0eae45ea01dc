//! Starting the app for a test and talking to it over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use calmdesk_desk::domain::{Actor, Role};
use calmdesk_desk::testing::TestDatabase;
use calmdesk_desk::Store;
use calmdesk_server::AppState;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A server running in this process on a random port, with one user of each role.
pub struct TestApp {
    pub engine: &'static str,
    pub address: String,
    pub admin: String,
    pub manager: String,
    pub agent: String,
    pub client: reqwest::Client,
    /// The state the server runs with (for background jobs and reloads in tests).
    pub state: AppState,
    _db: TestDatabase,
}

/// Starts one app per engine under test (SQLite always, PostgreSQL when configured).
pub async fn spawn_apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in calmdesk_desk::testing::all().await {
        apps.push(spawn_app(db).await);
    }
    apps
}

pub async fn spawn_app(db: TestDatabase) -> TestApp {
    spawn_app_with(db, |state| state).await
}

/// Starts the app with its state changed by `configure` first (a reloader, say).
pub async fn spawn_app_with(
    db: TestDatabase,
    configure: impl FnOnce(AppState) -> AppState,
) -> TestApp {
    let store = Store::connect(&db.url)
        .await
        .expect("open the test database");
    let actor = Actor::system("test");
    let token = |name: &'static str, role| {
        let store = store.clone();
        let actor = actor.clone();
        async move { store.add_user(name, role, &actor).await.unwrap().token }
    };
    let admin = token("admin", Role::Admin).await;
    let manager = token("manager", Role::Manager).await;
    let agent = token("agent", Role::Agent).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let set = calmdesk::models::embedded().unwrap();
    let state = AppState::new(
        store.clone(),
        std::sync::Arc::new(set.reading_models().unwrap()),
        set.version.into(),
        std::sync::Arc::new(Vec::new()),
        std::sync::Arc::new(calmdesk::commands::plan::policy(None).unwrap()),
    );
    let state = configure(state);
    tokio::spawn(calmdesk_server::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    TestApp {
        engine: db.engine,
        address,
        admin,
        manager,
        agent,
        client: reqwest::Client::new(),
        state,
        _db: db,
    }
}

impl TestApp {
    /// Sends a request with an optional token and JSON body; returns the status and JSON body
    /// (Null when the body is empty).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.address, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("the server answers")).await
    }

    /// Sends a raw body with a content type.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let request = self
            .client
            .request(method, format!("{}{}", self.address, path))
            .bearer_auth(&self.agent)
            .header("content-type", content_type)
            .body(body);
        read(request.send().await.expect("the server answers")).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(&self.agent), Some(body))
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(&self.agent), None).await
    }

    /// Opens a case as the agent and returns its id.
    pub async fn create_case(&self, email: &str, text: &str) -> i64 {
        let (status, body) = self.post("/api/v1/cases", new_case(email, text)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().unwrap()
    }
}

async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.bytes().await.unwrap_or_default();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "a non-JSON body with {status}: {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    (status, value)
}

pub fn new_case(email: &str, text: &str) -> Value {
    serde_json::json!({
        "customer": {"name": "Ana Lopez", "email": email},
        "subject": "Jacket arrived torn",
        "channel": "email",
        "message": {"text": text}
    })
}

/// The path of the binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_calmdesk")
}

/// The binary, to be run in `dir`, with none of calmdesk's environment variables inherited.
fn cli(args: &[&str], dir: &std::path::Path) -> Command {
    let mut command = Command::new(binary());
    command.args(args).current_dir(dir);
    for var in [
        "CALMDESK_DATABASE_URL",
        "CALMDESK_DATA_DIR",
        "CALMDESK_CONFIG",
        "CALMDESK_MODELS",
        "CALMDESK_PACKS",
        "CALMDESK_POLICY",
    ] {
        command.env_remove(var);
    }
    command
}

/// Runs the binary to completion.
pub fn run_cli(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    cli(args, dir).output().expect("the binary runs")
}

/// Runs the binary to completion with `input` on its standard input.
pub fn run_cli_with_stdin(
    args: &[&str],
    dir: &std::path::Path,
    input: &[u8],
) -> std::process::Output {
    let mut child = cli(args, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().expect("standard input is piped");
    let input = input.to_vec();
    // Written from another thread so a full output pipe cannot block the write.
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input));
    let output = child.wait_with_output().expect("the binary runs");
    writer
        .join()
        .expect("the writer finishes")
        .expect("the input is written");
    output
}

/// What a finished run printed on standard output.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a finished run printed on standard error.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that a command was refused as the CLI refuses bad input: exit code 2, with `needle`
/// (the file, flag or value at fault) named on standard error.
pub fn assert_refused(output: &std::process::Output, needle: &str) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    assert!(
        stderr(output).contains(needle),
        "{needle:?} not in: {}",
        stderr(output)
    );
}

/// A `calmdesk serve` process and the address it printed.
pub struct ServerProcess {
    pub child: Child,
    pub address: String,
    /// Kept open so the server can go on printing after its first line.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `calmdesk serve` on a random port against `database_url` and waits until it says
/// where it listens.
pub fn start_server(database_url: &str, extra: &[&str]) -> ServerProcess {
    let mut child = Command::new(binary())
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            database_url,
        ])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().unwrap();
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let address = line
        .trim()
        .strip_prefix("calmdesk listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    ServerProcess {
        child,
        address,
        _stdout: stdout,
    }
}
