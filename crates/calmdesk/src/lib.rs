//! calmdesk as a program: the command line, configuration and the commands, wiring the pure
//! core, the desk and the server together. `main.rs` only parses arguments and reports errors;
//! everything else lives here so tests can reach it.

pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod models;
pub mod packs;
pub mod render;

pub mod telemetry;
pub mod training;

use cli::{Cli, Command};

/// Runs one command to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    telemetry::init(cli.global.verbose);

    let config = config::Config::load(&cli.global)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => commands::serve::run(&config, args).await,
            Command::User(args) => commands::user::run(&config, args).await,
            Command::Import(args) => commands::import::run(&config, args).await,
            Command::Export(args) => commands::export::run(&config, args).await,
            Command::Db(args) => commands::db::run(&config, args).await,
            Command::Bench(args) => commands::bench::run(&config, args).await,

            Command::Analyze(args) => commands::analyze::run(args),
            Command::Coach(args) => commands::coach::run(args),
            Command::Rules(args) => commands::rules::run(args),
            Command::Policy(args) => commands::policy::run(args),
            Command::Plan(args) => commands::plan::run(args),
            Command::Reread(args) => commands::reread::run(&config, args).await,
            Command::Train(args) => commands::train::run(args),
            Command::Eval(args) => commands::eval::run(args),
        }
    })
}
