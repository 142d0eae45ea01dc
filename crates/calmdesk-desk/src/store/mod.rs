//! Storage: one [`Store`] over SQLite or PostgreSQL, chosen by the database URL.
//!
//! Both engines are reached through sqlx's `Any` driver with SQL that both accept (`$1`
//! placeholders, `RETURNING`, integer times in Unix milliseconds), so each query is written once.
//! Where the engines differ (SQLite's single writer, PostgreSQL's row locks) the difference is
//! kept here, in [`Store::begin`] and in the few queries that branch on [`Engine`].
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: a write is acknowledged only after its
//! transaction is on disk. Writes go through a pool of one connection, so concurrent requests
//! queue in the application instead of failing with `SQLITE_BUSY`; reads use their own pool.

mod audit;
mod cases;
mod customers;
mod follow_ups;
mod import;
mod readings;
mod rows;
mod seed;
mod timeline;
mod users;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::error::DeskError;

pub use import::ImportOutcome;
pub use readings::Unread;
pub use users::NewToken;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The record, on one database.
#[derive(Debug, Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    engine: Engine,
    follow_up_days: i64,
}

/// Days from resolution to follow-up when neither the request nor the configuration says.
pub const DEFAULT_FOLLOW_UP_DAYS: i64 = 3;

/// A transaction on either engine.
pub(crate) type Tx = Transaction<'static, Any>;

impl Store {
    /// Opens the database at `url` (`sqlite://PATH` or `postgres://…`), creating a SQLite file
    /// if it does not exist yet, and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Store, DeskError> {
        let store = Store::open(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database without running migrations.
    pub async fn open(url: &str) -> Result<Store, DeskError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            return Err(DeskError::Invalid {
                field: "database_url".into(),
                message: format!(
                    "must start with sqlite:// or postgres://, not {:?}",
                    url.split(':').next().unwrap_or_default()
                ),
            });
        };
        let options = AnyConnectOptions::from_str(&sqlite_creating(url))?;
        match engine {
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Ok(Store {
                    read: pool.clone(),
                    write: pool,
                    engine,
                    follow_up_days: DEFAULT_FOLLOW_UP_DAYS,
                })
            }
            Engine::Sqlite => {
                let in_memory = url.contains(":memory:");
                let write = sqlite_pool(1, options.clone()).await?;
                let read = if in_memory {
                    write.clone()
                } else {
                    sqlite_pool(4, options).await?
                };
                Ok(Store {
                    read,
                    write,
                    engine,
                    follow_up_days: DEFAULT_FOLLOW_UP_DAYS,
                })
            }
        }
    }

    /// Applies the engine's migrations that have not been applied yet.
    pub async fn migrate(&self) -> Result<(), DeskError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.write).await?,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.write).await?,
        }
        Ok(())
    }

    /// Sets how many days after resolution a follow-up falls due by default.
    pub fn with_follow_up_days(mut self, days: i64) -> Store {
        self.follow_up_days = days;
        self
    }

    /// Which engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), DeskError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads before it writes cannot fail half-way when
    /// another process wrote in between.
    pub(crate) async fn begin(&self) -> Result<Tx, DeskError> {
        Ok(match self.engine {
            Engine::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.write.begin().await?,
        })
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.read
    }
}

/// SQLite URLs get `mode=rwc` so a missing database file is created.
fn sqlite_creating(url: &str) -> String {
    if !url.starts_with("sqlite:") || url.contains("mode=") || url.contains(":memory:") {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}mode=rwc")
}

async fn sqlite_pool(size: u32, options: AnyConnectOptions) -> Result<AnyPool, DeskError> {
    Ok(AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
}

/// Times are stored as Unix milliseconds.
pub(crate) fn to_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

pub(crate) fn from_ms_opt(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(from_ms)
}

/// The current time, truncated to what the database keeps, so a value written and read back
/// compares equal.
pub(crate) fn now() -> DateTime<Utc> {
    from_ms(to_ms(Utc::now()))
}

/// Money is stored as integer cents.
pub(crate) fn to_cents(amount: Option<f64>) -> Option<i64> {
    amount.map(|a| (a * 100.0).round() as i64)
}

pub(crate) fn from_cents(cents: Option<i64>) -> Option<f64> {
    cents.map(|c| c as f64 / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_their_file_and_others_are_left_alone() {
        assert_eq!(sqlite_creating("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(
            sqlite_creating("sqlite://a.db?x=1"),
            "sqlite://a.db?x=1&mode=rwc"
        );
        assert_eq!(sqlite_creating("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(sqlite_creating("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn cents_round_trip() {
        assert_eq!(to_cents(Some(19.99)), Some(1999));
        assert_eq!(from_cents(Some(1999)), Some(19.99));
    }
}
