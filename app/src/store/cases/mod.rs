//! The case register: each case's current state and its hash-chained history.
//!
//! `cases.state` holds the aggregate as JSON so a command loads one row; the history in
//! `case_events` is the record of truth, and `verify_history` checks both that every
//! chain is unbroken and that replaying it gives the stored state.
use super::hash::sha256_hex;
use super::{Backend, StoreError};
use crate::domain::case::{
    AttachmentInfo, Case, CaseEvent, CaseFilter, CaseId, CasePage, CaseStatus, CaseSummary, Category, CheckedText, Cursor, GeoPoint, Intake, TimelineEntry,
    UnitId,
};
use crate::domain::org::AreaLevel;
use crate::domain::privacy::Contact;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

mod alarms;
mod attachments;
mod history;
mod keys;
mod list;
mod search;
mod writes;

pub use alarms::*;
pub use attachments::*;
pub use history::*;
pub use keys::*;
pub use list::*;
pub use search::*;
pub use writes::*;

/// Who may see which cases: everyone's (the center, leaders), one unit's, or one unit's and
/// every case in its area (a township government, a village committee, a grid team).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Unit(UnitId),
    Area { unit: UnitId, level: AreaLevel, area_id: i64 },
}
