//! One typed configuration, built once from flags, environment variables and an optional TOML
//! file (in that order of precedence), then passed down.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::cli::GlobalArgs;

/// The settings a configuration file may hold; every one is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub addr: Option<String>,
    pub follow_up_days: Option<i64>,
    pub job_interval_secs: Option<f64>,
}

/// The resolved configuration.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub addr: String,
    /// Days from resolution to follow-up, unless a request says otherwise.
    pub follow_up_days: i64,
    /// Seconds between checks for due follow-ups.
    pub job_interval_secs: f64,
}

/// Where data lives when nothing says otherwise.
pub const DEFAULT_DATA_DIR: &str = "data";
/// Where the server listens when nothing says otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

impl Config {
    /// Builds the configuration from the command line (which has already read the environment)
    /// and the configuration file, if one is named.
    pub fn load(args: &GlobalArgs) -> anyhow::Result<Config> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = match args.database_url.clone().or(file.database_url) {
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("calmdesk.db").display()),
        };
        let follow_up_days = file
            .follow_up_days
            .unwrap_or(calmdesk_desk::store::DEFAULT_FOLLOW_UP_DAYS);
        if !(0..=365).contains(&follow_up_days) {
            anyhow::bail!("follow_up_days in the configuration must be between 0 and 365");
        }
        Ok(Config {
            database_url,
            data_dir,
            addr: file.addr.unwrap_or_else(|| DEFAULT_ADDR.to_owned()),
            follow_up_days,
            job_interval_secs: file.job_interval_secs.unwrap_or(30.0),
        })
    }

    /// Opens the record, creating the data directory for a SQLite file if needed, and brings
    /// the schema up to date.
    pub async fn open_store(&self) -> anyhow::Result<calmdesk_desk::Store> {
        if let Some(path) = self.database_url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if let Some(parent) = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create the folder {}", parent.display()))?;
            }
        }
        let store = calmdesk_desk::Store::connect(&self.database_url)
            .await
            .with_context(|| format!("cannot open the database {}", redact(&self.database_url)))?;
        Ok(store.with_follow_up_days(self.follow_up_days))
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("the configuration file {} is not valid", path.display()))
}

/// The URL with any password replaced, for logs and messages.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    match (rest.find('@'), rest.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        _ => url.to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("addr", &self.addr)
            .field("follow_up_days", &self.follow_up_days)
            .field("job_interval_secs", &self.job_interval_secs)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("postgres://ana:s3cret@db/x"),
            "postgres://ana:***@db/x"
        );
        assert_eq!(redact("postgres://ana@db/x"), "postgres://ana@db/x");
        let config = Config {
            database_url: "postgres://a:pw@h/d".into(),
            data_dir: "data".into(),
            addr: DEFAULT_ADDR.into(),
            follow_up_days: 3,
            job_interval_secs: 30.0,
        };
        assert!(!format!("{config:?}").contains("pw"));
    }

    #[test]
    fn flags_override_the_file_and_sqlite_lives_in_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("calmdesk.toml");
        std::fs::write(&file, "data_dir = \"from-file\"\naddr = \"0.0.0.0:9\"\n").unwrap();
        let args = GlobalArgs {
            config: Some(file.clone()),
            ..GlobalArgs::default()
        };
        let config = Config::load(&args).unwrap();
        assert_eq!(config.database_url, "sqlite://from-file/calmdesk.db");
        assert_eq!(config.addr, "0.0.0.0:9");
        let args = GlobalArgs {
            config: Some(file),
            data_dir: Some("flag".into()),
            ..GlobalArgs::default()
        };
        assert_eq!(Config::load(&args).unwrap().data_dir, PathBuf::from("flag"));
    }

    #[test]
    fn an_unknown_setting_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "databse_url = \"x\"\n").unwrap();
        let args = GlobalArgs {
            config: Some(file),
            ..GlobalArgs::default()
        };
        assert!(Config::load(&args).is_err());
    }
}
