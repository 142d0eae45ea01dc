//! The closed vocabularies of the record: statuses, roles, directions and kinds.
//!
//! Each is stored as its lowercase name, so the database, the JSON API and the CLI all spell
//! them the same way. `parse` is the one place a string becomes one of these values.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a string-backed enum with `as_str`, `parse` and the list of names, so the spelling
/// of every value lives in one place.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and serialised name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value with this name, if there is one.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted names, for error messages.
            pub fn names() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Where a case stands.
    CaseStatus { Open => "open", Waiting => "waiting", Escalated => "escalated", Resolved => "resolved", Closed => "closed" }
}

vocabulary! {
    /// How urgent a case is.
    Priority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
}

vocabulary! {
    /// Who a message is from: the customer (inbound), us (outbound), or an internal note.
    Direction { Inbound => "inbound", Outbound => "outbound", Note => "note" }
}

vocabulary! {
    /// What a user may do: agents work cases, managers also delete and approve, admins manage users.
    Role { Agent => "agent", Manager => "manager", Admin => "admin" }
}

vocabulary! {
    /// What an offer gives the customer.
    OfferKind { Refund => "refund", Return => "return", Exchange => "exchange", Repair => "repair", StoreCredit => "store_credit", Discount => "discount", Other => "other" }
}

vocabulary! {
    /// Where an offer stands.
    OfferStatus { Proposed => "proposed", Accepted => "accepted", Declined => "declined", Withdrawn => "withdrawn" }
}

vocabulary! {
    /// Where a promise made to the customer stands.
    CommitmentStatus { Open => "open", Kept => "kept", Broken => "broken", Cancelled => "cancelled" }
}

vocabulary! {
    /// Where a follow-up stands.
    FollowUpStatus { Due => "due", Done => "done", Skipped => "skipped" }
}

impl Role {
    /// Managers and admins may delete records and approve exceptions.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Manager | Role::Admin)
    }
}

impl CaseStatus {
    /// Whether a case may move from this status to `to`.
    ///
    /// A closed case only comes back through `reopen`; a resolved one may be closed, reopened or
    /// escalated again; every status may be escalated except a closed one.
    pub fn can_become(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        match (self, to) {
            (from, to) if from == to => false,
            (Closed, Open) => true,
            (Closed, _) => false,
            (Resolved, Open | Closed | Escalated) => true,
            (Resolved, _) => false,
            (Open | Waiting | Escalated, _) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_value() {
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(*status));
        }
        for kind in OfferKind::ALL {
            assert_eq!(OfferKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(Role::parse("boss"), None);
    }

    #[test]
    fn a_closed_case_only_reopens() {
        for to in CaseStatus::ALL {
            assert_eq!(
                CaseStatus::Closed.can_become(*to),
                *to == CaseStatus::Open,
                "{to}"
            );
        }
        assert!(CaseStatus::Open.can_become(CaseStatus::Resolved));
        assert!(!CaseStatus::Resolved.can_become(CaseStatus::Waiting));
    }

    #[test]
    fn serde_uses_the_stored_names() {
        assert_eq!(
            serde_json::to_string(&OfferKind::StoreCredit).unwrap(),
            "\"store_credit\""
        );
    }
}
