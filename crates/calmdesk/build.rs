//! Embeds the trained models: every `models/*.cdm` file of the repository becomes a byte
//! array in the binary, listed in `embedded_models.rs` in the build's output folder, with the
//! Reading models' weights fused into the one table a Reading reads (`fused_table.bin`), so a
//! start borrows it instead of making it.

use std::fmt::Write;
use std::path::Path;

include!("src/fingerprint.rs");

fn main() {
    // Read when the script runs, not when it was compiled: a script built for another checkout
    // must not embed that checkout's models (or none, once it is gone).
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let models = Path::new(&manifest).join("../../models");
    println!("cargo:rerun-if-changed={}", models.display());
    let mut names: Vec<String> = std::fs::read_dir(&models)
        .unwrap_or_else(|e| panic!("cannot read the models folder {}: {e}", models.display()))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".cdm"))
        .collect();
    assert!(
        !names.is_empty(),
        "no trained models (*.cdm) in {}",
        models.display()
    );
    names.sort();
    let mut code = String::from("/// The models embedded at build time: (file stem, bytes).\npub const EMBEDDED: &[(&str, &[u8])] = &[\n");
    // Each file's stem and bytes, for the fingerprint.
    let mut files = Vec::with_capacity(names.len());
    for name in &names {
        let path = models.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = name.trim_end_matches(".cdm");
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("cannot read the model {}: {e}", path.display()));
        files.push((stem, bytes));
        let _ = writeln!(
            code,
            "    ({stem:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let version = fingerprint(files.iter().map(|(n, b)| (*n, b.as_slice())));
    let _ = writeln!(
        code,
        "/// The fingerprint of the embedded models, computed when they were embedded.\npub const EMBEDDED_VERSION: &str = {version:?};"
    );
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).to_path_buf();
    // Models that cannot make a Reading embed no table; loading them says why.
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let models = calmdesk_core::analysis::Models::from_bytes(&named).ok();
    let embedded_table = match models.as_ref().and_then(|m| m.fused_table()) {
        Some(table) => {
            let path = out.join("fused_table.bin");
            std::fs::write(&path, table)
                .unwrap_or_else(|e| panic!("cannot write fused_table.bin: {e}"));
            format!("Some(include_bytes!({:?}))", path.display().to_string())
        }
        None => "None".to_owned(),
    };
    let _ = writeln!(
        code,
        "/// The Reading models' fused table, made from `EMBEDDED` when they were embedded (None \
         when they cannot make a Reading).\npub const EMBEDDED_TABLE: Option<&[u8]> = {embedded_table};"
    );
    std::fs::write(out.join("embedded_models.rs"), code)
        .unwrap_or_else(|e| panic!("cannot write embedded_models.rs: {e}"));
}
