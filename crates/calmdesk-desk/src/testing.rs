//! Fresh databases for tests, on every engine the machine offers.
//!
//! SQLite is always tested. PostgreSQL is tested when `CALMDESK_TEST_POSTGRES_URL` names a
//! server; each call makes a new database there, so tests never share state. When `CI=true`,
//! a missing or unreachable PostgreSQL fails the test instead of being skipped.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{AnyConnection, Connection, Executor};

use crate::domain::{FirstMessage, NewCase, NewCustomer};

/// The variable that names the PostgreSQL server tests may use.
pub const POSTGRES_URL_VAR: &str = "CALMDESK_TEST_POSTGRES_URL";

/// A database made for one test.
#[derive(Debug)]
pub struct TestDatabase {
    /// `sqlite` or `postgres`, for messages.
    pub engine: &'static str,
    pub url: String,
    file: Option<PathBuf>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("calmdesk_test_{}_{}_{}", std::process::id(), nanos, n)
}

/// A new, empty SQLite database file in the system's temporary folder.
pub fn sqlite() -> TestDatabase {
    let file = std::env::temp_dir().join(format!("{}.db", unique_name()));
    TestDatabase {
        engine: "sqlite",
        url: format!("sqlite://{}", file.display()),
        file: Some(file),
    }
}

/// A new, empty PostgreSQL database, or None when no server is configured (outside CI).
pub async fn postgres() -> Option<TestDatabase> {
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let base = match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ if in_ci => {
            panic!("CI=true but {POSTGRES_URL_VAR} is not set: PostgreSQL tests must run")
        }
        _ => return None,
    };
    Some(
        postgres_at(&base)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {POSTGRES_URL_VAR}: {e}")),
    )
}

/// A new, empty database on the PostgreSQL server at `base_url`.
pub async fn postgres_at(base_url: &str) -> Result<TestDatabase, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let name = unique_name();
    let mut admin = AnyConnection::connect(base_url).await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let _ = admin.close().await;
    Ok(TestDatabase {
        engine: "postgres",
        url: with_database(base_url, &name),
        file: None,
    })
}

/// Every engine to test on: SQLite, and PostgreSQL when configured.
pub async fn all() -> Vec<TestDatabase> {
    let mut out = vec![sqlite()];
    out.extend(postgres().await);
    out
}

/// The same server URL with another database name.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{database}?{q}"),
        None => format!("{server}/{database}"),
    }
}

/// A new case for tests: Ana Lopez, at `email`, whose jacket arrived torn, saying `text`.
pub fn new_case(email: &str, text: &str) -> NewCase {
    NewCase {
        customer: NewCustomer {
            name: "Ana Lopez".into(),
            email: Some(email.into()),
            handle: None,
        },
        subject: "Jacket arrived torn".into(),
        channel: "email".into(),
        message: FirstMessage {
            text: text.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://u@127.0.0.1:5432/test", "x"),
            "postgres://u@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://127.0.0.1/test?sslmode=disable", "x"),
            "postgres://127.0.0.1/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://127.0.0.1", "x"),
            "postgres://127.0.0.1/x"
        );
    }
}
