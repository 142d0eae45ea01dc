//! The domain of the desk: the words of DESIGN.md as types.
//!
//! `kinds` holds the closed vocabularies, `record` what is stored and read back, and `input`
//! what callers ask for, with its validation.

pub mod input;
pub mod kinds;
pub mod record;

pub use input::*;
pub use kinds::*;
pub use record::*;

/// Who is making a change: a signed-in user, or the system itself (imports, background jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<Id>,
    pub name: String,
}

impl Actor {
    /// A change made by calmdesk itself, such as an import or a background job.
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            name: name.to_owned(),
        }
    }
}
