//! The trained models: embedded in the binary at build time, or read from a folder given
//! with `--models DIR`, with a fingerprint that says which set a stored Reading came from.

use std::path::Path;

use anyhow::Context;
use calmdesk_core::analysis::Models;
use calmdesk_core::model::LinearModel;

include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));

/// A set of models and the fingerprint of their bytes.
#[derive(Debug, Clone)]
pub struct ModelSet {
    pub models: Vec<LinearModel>,
    /// `m-` and 16 hex digits of a hash over every model's name and bytes.
    pub version: String,
}

impl ModelSet {
    /// The models sorted into the roles a Reading needs.
    pub fn reading_models(&self) -> anyhow::Result<Models> {
        Models::from_models(self.models.clone()).context("these models cannot make a Reading")
    }
}

/// A hash over every model's name and bytes, eight bytes at a time (it runs at every start).
fn fingerprint<'a>(parts: impl Iterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            hash = (hash ^ u64::from_le_bytes(w)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            hash ^= hash >> 29;
        }
        for &b in words.remainder() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (name, bytes) in parts {
        eat(name.as_bytes());
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(bytes);
    }
    format!("m-{hash:016x}")
}

/// Every embedded model, parsed.
pub fn embedded() -> anyhow::Result<ModelSet> {
    let models = EMBEDDED
        .iter()
        .map(|(name, bytes)| {
            LinearModel::from_bytes(bytes).with_context(|| format!("the embedded model {name}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let version = fingerprint(EMBEDDED.iter().map(|(n, b)| (*n, *b)));
    Ok(ModelSet { models, version })
}

/// Every `*.cdm` model in a folder, by file name.
pub fn load_dir(dir: &Path) -> anyhow::Result<ModelSet> {
    let files = read_dir(dir)?;
    let models = files
        .iter()
        .map(|(stem, bytes)| {
            LinearModel::from_bytes(bytes)
                .with_context(|| format!("{}", dir.join(format!("{stem}.cdm")).display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let version = fingerprint(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    Ok(ModelSet { models, version })
}

/// The `*.cdm` files of a folder, sorted by name: (file stem, bytes).
fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the models folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cdm"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in &paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        files.push((stem, bytes));
    }
    Ok(files)
}

/// The models a Reading needs and their fingerprint, from `dir` when given, else the embedded
/// ones. Faster than [`load`] then [`ModelSet::reading_models`]: the Reading models' weights
/// go from the file bytes straight into their fused table.
pub fn reading(dir: Option<&Path>) -> anyhow::Result<(Models, String)> {
    let context = "these models cannot make a Reading";
    match dir {
        Some(dir) => {
            let files = read_dir(dir)?;
            let bytes: Vec<(&str, &[u8])> = files
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            let models = Models::from_bytes(&bytes).context(context)?;
            let version = fingerprint(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
            Ok((models, version))
        }
        None => {
            let bytes: Vec<(&str, &[u8])> = EMBEDDED.to_vec();
            let models = Models::from_bytes(&bytes).context(context)?;
            Ok((models, fingerprint(EMBEDDED.iter().map(|(n, b)| (*n, *b)))))
        }
    }
}

/// The models to use: those in `dir` when given, else the embedded ones.
pub fn load(dir: Option<&Path>) -> anyhow::Result<ModelSet> {
    match dir {
        Some(dir) => load_dir(dir),
        None => embedded(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_models_make_a_reading_and_have_a_stable_fingerprint() {
        let set = embedded().unwrap();
        assert!(set.reading_models().is_ok());
        assert_eq!(set.version, embedded().unwrap().version);
        assert!(set.version.starts_with("m-") && set.version.len() == 18);
        let (_, version) = reading(None).unwrap();
        assert_eq!(version, set.version);
    }
}
