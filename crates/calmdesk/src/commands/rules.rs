//! `calmdesk rules test`: run every rule's examples in the default pack or in a folder of
//! company packs.

use calmdesk_core::coach::{default_pack, test_pack};

use crate::cli::{RulesArgs, RulesCommand};

pub fn run(args: RulesArgs) -> anyhow::Result<()> {
    match args.command {
        RulesCommand::Test { dir } => {
            let packs = match &dir {
                Some(dir) => crate::packs::load(Some(dir))?,
                None => vec![default_pack()],
            };
            let mut failures = 0;
            for pack in &packs {
                let failed = test_pack(pack);
                println!(
                    "{} {}: {} rules, {} examples failed",
                    pack.name,
                    pack.version,
                    pack.rules.len(),
                    failed.len()
                );
                for failure in &failed {
                    let expected = if failure.should_match {
                        "should match"
                    } else {
                        "should not match"
                    };
                    println!("  rule {}: {expected}: {:?}", failure.rule, failure.example);
                }
                failures += failed.len();
            }
            anyhow::ensure!(failures == 0, "{failures} rule examples failed");
        }
    }
    Ok(())
}
