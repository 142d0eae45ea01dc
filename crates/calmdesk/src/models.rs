//! The trained models: embedded in the binary at build time, or read from a folder given
//! with `--models DIR`, with a fingerprint that says which set a stored Reading came from.

use std::path::Path;

use anyhow::Context;
use calmdesk_core::analysis::Models;
use calmdesk_core::model::LinearModel;

include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));
include!("fingerprint.rs");

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

/// Every embedded model, parsed.
pub fn embedded() -> anyhow::Result<ModelSet> {
    let models = EMBEDDED
        .iter()
        .map(|(name, bytes)| {
            LinearModel::from_bytes(bytes).with_context(|| format!("the embedded model {name}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(ModelSet {
        models,
        version: EMBEDDED_VERSION.to_owned(),
    })
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
            Ok((models, EMBEDDED_VERSION.to_owned()))
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
    fn the_reading_models_fused_from_file_bytes_read_as_those_fused_from_parsed_models() {
        let parsed = embedded().unwrap().reading_models().unwrap();
        let (from_bytes, _) = reading(None).unwrap();
        for text in [
            "This is the THIRD time I write: order #A-1234 never arrived!!",
            "thanks, that works for me",
            "you are useless, idiot",
            "",
        ] {
            let (a, b) = (
                calmdesk_core::analysis::read(&parsed, text),
                calmdesk_core::analysis::read(&from_bytes, text),
            );
            assert!((a.heat.score - b.heat.score).abs() < 2e-4, "{text:?}");
            for (x, y) in a
                .emotions
                .probabilities
                .iter()
                .chain(&a.intents.probabilities)
                .zip(
                    b.emotions
                        .probabilities
                        .iter()
                        .chain(&b.intents.probabilities),
                )
            {
                assert!((x - y).abs() < 2e-4, "{text:?}: {x} against {y}");
            }
        }
    }

    #[test]
    fn the_embedded_models_make_a_reading_and_have_a_stable_fingerprint() {
        let set = embedded().unwrap();
        assert!(set.reading_models().is_ok());
        assert_eq!(set.version, embedded().unwrap().version);
        assert!(set.version.starts_with("m-") && set.version.len() == 18);
        let (_, version) = reading(None).unwrap();
        assert_eq!(version, set.version);
        // The build computed it; it must be what the bytes give now.
        assert_eq!(
            set.version,
            fingerprint(EMBEDDED.iter().map(|(n, b)| (*n, *b)))
        );
    }
}
