//! One module per command.

pub mod analyze;
pub mod bench;
pub mod bench_coach;
pub mod bench_plan;
pub mod bench_reading;
pub mod coach;
pub mod db;
pub mod eval;
pub mod export;
pub mod import;
pub mod plan;
pub mod policy;
pub mod reread;
pub mod rules;
pub mod serve;
pub mod train;
pub mod user;
