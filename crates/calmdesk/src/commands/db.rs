//! `calmdesk db`: database maintenance.

use crate::cli::{DbArgs, DbCommand};
use crate::config::{redact, Config};

pub async fn run(config: &Config, args: DbArgs) -> anyhow::Result<()> {
    match args.command {
        DbCommand::Migrate => {
            let store = config.open_store().await?;
            store.close().await;
            println!("{} is up to date", redact(&config.database_url));
        }
    }
    Ok(())
}
