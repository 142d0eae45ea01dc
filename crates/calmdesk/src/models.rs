//! The trained models: embedded in the binary at build time, or read from a folder given
//! with `--models DIR`.

use std::path::Path;

use anyhow::Context;
use calmdesk_core::model::LinearModel;

include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));

/// Every embedded model, parsed.
pub fn embedded() -> anyhow::Result<Vec<LinearModel>> {
    EMBEDDED
        .iter()
        .map(|(name, bytes)| {
            LinearModel::from_bytes(bytes).with_context(|| format!("the embedded model {name}"))
        })
        .collect()
}

/// Every `*.cdm` model in a folder, by file name.
pub fn load_dir(dir: &Path) -> anyhow::Result<Vec<LinearModel>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the models folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cdm"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            LinearModel::from_bytes(&bytes).with_context(|| format!("{}", p.display()))
        })
        .collect()
}

/// The models to use: those in `dir` when given, else the embedded ones.
pub fn load(dir: Option<&Path>) -> anyhow::Result<Vec<LinearModel>> {
    match dir {
        Some(dir) => load_dir(dir),
        None => embedded(),
    }
}
