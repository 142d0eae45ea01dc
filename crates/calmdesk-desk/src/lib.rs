//! The record of calmdesk: every customer, case, message, offer, promise, follow-up and change,
//! stored in SQLite or PostgreSQL behind one API.
//!
//! A key design decision: callers never see SQL or the engine. [`store::Store`] opens either
//! engine from a URL, runs that engine's migrations, and exposes the same methods on both; each
//! method that writes more than one row does so in one transaction and records an audit entry in
//! that same transaction.

pub mod domain;
pub mod error;
pub mod import;
pub mod store;
pub mod testing;

pub use error::DeskError;
pub use store::Store;
