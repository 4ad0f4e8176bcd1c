//! Case use cases: register a case from any channel, carry out a command on it, read it.
//! Each change is decided by `domain::case`, then written — state, history, search index,
//! files — in one transaction.
use super::Effects;
use super::attachments::{Upload, WrittenFiles, record_files, write_files};
use super::codes::{new_secret, secret_hash, tracking_code};
use super::visibility::{check_visible, reading_scope};
use crate::domain::Receipt;
use crate::domain::case::{
    self, Actor, AreaPage, AssignmentView, CALLER_HISTORY_MAX, CallerCase, CallerHistory, Case, CaseCommand, CaseDetail, CaseError, CaseFilter, CaseId,
    CaseOptions, CasePage, CaseStatus, CaseSummary, Channel, CommandKey, Cursor, DUPLICATE_WINDOW_MS, GeoPoint, Intake, IntakeText, PAGE_SIZE, TrackView,
    Urgency, near_enough, offered, public_step,
};
use crate::domain::notice::{self, Notice};
use crate::domain::org::{CASE_PLACE_LEVELS, Role, UnitKind};
use crate::error::AppError;
use crate::store::cases as store;
use crate::store::notices as store_notices;
use crate::store::{Db, now_ms, org as store_org};

mod alarms;
mod execute;
mod intake;
mod integrity;
mod public;
mod reads;

pub use alarms::*;
pub use execute::*;
pub use intake::*;
pub use integrity::*;
pub use public::*;
pub use reads::*;

fn user_id(by: &Actor) -> Option<i64> {
    match by {
        Actor::Staff { user_id, .. } => Some(*user_id),
        _ => None,
    }
}

/// After a change's transaction: committed, it wakes the scheduler and pushes its notices
/// (the change's, then any risk warning's it raised); refused, the files written for it are
/// taken back.
fn settle<T>(fx: &Effects, stored: WrittenFiles<'_>, result: Result<(T, Vec<Notice>), AppError>) -> Result<T, AppError> {
    match result {
        Ok((done, notices)) => {
            fx.live.alarms_changed();
            fx.live.published(notices);
            Ok(done)
        }
        Err(e) => {
            stored.discard();
            Err(e)
        }
    }
}
