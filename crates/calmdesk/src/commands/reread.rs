//! `calmdesk reread`: give every inbound message a Reading by the current models, for messages
//! stored before the models changed or before calmdesk read messages at all.

use calmdesk_core::analysis::{self, Models};
use calmdesk_desk::domain::Actor;
use calmdesk_desk::Store;

use crate::cli::RereadArgs;
use crate::config::Config;

/// Messages read per transaction.
const BATCH: i64 = 500;

/// Reads every inbound message that has no Reading by `version`; returns how many it read.
pub async fn reread_all(store: &Store, models: &Models, version: &str) -> anyhow::Result<usize> {
    let actor = Actor::system("reader");
    let mut after = 0;
    let mut total = 0;
    loop {
        let batch = store.unread_messages(version, after, BATCH).await?;
        let Some(last) = batch.last() else {
            return Ok(total);
        };
        after = last.id;
        let readings: Vec<(i64, serde_json::Value)> = batch
            .iter()
            .map(|m| {
                let reading = analysis::read(models, &m.text);
                (m.id, serde_json::to_value(&reading).unwrap_or_default())
            })
            .collect();
        store.set_readings(&readings, version, &actor).await?;
        total += readings.len();
    }
}

pub async fn run(config: &Config, args: RereadArgs) -> anyhow::Result<()> {
    let (models, version) = crate::models::reading(args.models.as_deref())?;
    let store = config.open_store().await?;
    let read = reread_all(&store, &models, &version).await?;
    println!("read {read} messages with models {version}");
    store.close().await;
    Ok(())
}
