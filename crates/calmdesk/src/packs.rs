//! Company rule packs for the coach: every `*.toml` file in a folder, parsed and checked
//! before any is used, so a broken pack never replaces the packs in force.

use std::path::Path;

use anyhow::Context;
use calmdesk_core::coach::{parse_pack, Pack};

/// The packs in `dir`, by file name; none when no folder is given.
pub fn load(dir: Option<&Path>) -> anyhow::Result<Vec<Pack>> {
    let Some(dir) = dir else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the rule pack folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            parse_pack(&path.display().to_string(), &text).map_err(|e| {
                let rule = e.rule.map(|r| format!(" (rule {r})")).unwrap_or_default();
                anyhow::anyhow!("{}:{}: {}{rule}", e.file, e.line, e.message)
            })
        })
        .collect()
}
