//! One module per command.

pub mod bench;
pub mod db;
pub mod eval;
pub mod export;
pub mod import;
pub mod serve;
pub mod train;
pub mod user;
