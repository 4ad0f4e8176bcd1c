//! Why a case command was refused, and the rules for the free texts people type.
use super::{CaseStatus, CommandKind, UnitId};
use serde::{Deserialize, Serialize};

coded_enum!(crate::domain::case::CaseError =>
    /// The free texts a command may carry; each has its own length limit.
    TextField {
        Reason => "reason",
        Result => "result",
        Progress => "progress",
        Note => "note",
        Comment => "comment",
        Name => "name",
        Title => "title",
        Description => "description",
        Address => "address",
        ReporterName => "reporter_name",
        Directive => "directive",
    }
);

impl TextField {
    /// Limits in characters (not bytes: Chinese text is three bytes a character).
    pub fn max_chars(self) -> usize {
        match self {
            TextField::Reason | TextField::Note | TextField::Comment | TextField::Directive => 500,
            TextField::Result | TextField::Progress => 2000,
            TextField::Name | TextField::ReporterName => 60,
            TextField::Title => 80,
            TextField::Description => 4000,
            TextField::Address => 200,
        }
    }
}

/// Every refusal the case rules can give; each maps to a localised message. Refusals
/// carry the unit or status involved so the message can name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CaseError {
    #[error("unknown code {0}")]
    UnknownCode(String),
    #[error("a code must be 1-40 lowercase letters, digits, dash or underscore: {0}")]
    BadCode(String),
    #[error("{0} is required")]
    TextRequired(TextField),
    #[error("{field} is longer than {max} characters")]
    TextTooLong { field: TextField, max: usize },
    #[error("a time limit is out of range")]
    BadTimeLimit,
    #[error("category {0} is not in use")]
    CategoryInactive(String),
    #[error("the case is {0} and accepts no further commands")]
    Finished(CaseStatus),
    #[error("{command} is not possible while the case is {status}")]
    WrongStatus { status: CaseStatus, command: CommandKind },
    #[error("this user may not {0} a case")]
    NotAllowed(CommandKind),
    #[error("unit {0} holds no current assignment on this case")]
    NotAssigned(UnitId),
    #[error("unit {0} has not signed for the case yet")]
    NotSigned(UnitId),
    #[error("unit {0} has already signed")]
    AlreadySigned(UnitId),
    #[error("unit {0} has already finished its part")]
    AlreadyDone(UnitId),
    #[error("only the lead unit resolves the case; unit {0} cooperates")]
    NotLead(UnitId),
    #[error("unit {0} leads, so it resolves the case instead of finishing a part")]
    LeadMustResolve(UnitId),
    #[error("units still to sign: {0:?}")]
    WaitingForSignatures(Vec<UnitId>),
    #[error("lead unit {0} is also listed as cooperating")]
    LeadAlsoCooperating(UnitId),
    #[error("unit {0} is listed twice")]
    DuplicateUnit(UnitId),
    #[error("at most {0} units per dispatch")]
    TooManyUnits(usize),
    #[error("a case cannot be merged into itself")]
    MergeIntoSelf,
    #[error("the case is already filed under category {0}")]
    SameCategory(String),
    #[error("an extension must be between one minute and thirty days")]
    BadExtension,
    #[error("unit {0} already has an extension request waiting")]
    ExtensionPending(UnitId),
    #[error("unit {0} has no extension request waiting")]
    NoExtensionPending(UnitId),
    #[error("the resident's answer is awaited until {0}")]
    FollowUpNotDue(i64),
    #[error("the map point is not a valid latitude and longitude")]
    BadLocation,
    #[error("the phone number is not valid")]
    BadPhone,
    #[error("the map point lies outside the district")]
    OutsideDistrict,
    #[error("the command's key is malformed or belongs to another command")]
    BadCommandKey,
    #[error("the place must be a village, community or grid of the district")]
    BadArea,
    #[error("unit {0} does not exist or is not in service")]
    UnknownUnit(UnitId),
    #[error("at most {0} attachments")]
    TooManyFiles(usize),
    #[error("an attachment is larger than {0} MB")]
    FileTooLarge(usize),
    #[error("attachments must be photos (JPEG, PNG, WebP) or PDF")]
    FileType,
    #[error("a case may only be merged into an open case")]
    BadMergeTarget,
    #[error("the tracking code or secret is wrong")]
    BadTrackingCode,
    #[error("the reporter must agree to how their data is used")]
    ConsentRequired,
    /// The form's hidden field, which people never see, was filled in.
    #[error("a field meant to catch automated programs was filled in")]
    LooksAutomated,
    #[error("{0} needs an open palm command on the case")]
    NoCommand(CommandKind),
    #[error("no unit is past its time to sign")]
    NothingOverdue,
    #[error("this person already commands the task force")]
    SameCommander,
    #[error("choose at least one unit")]
    NoUnits,
    #[error("unit {0} is already in the task force")]
    AlreadyInForce(UnitId),
    #[error("the commander must be an active commander, leader or operator")]
    BadCommander,
    #[error("unit {0} does not work in the area of the unit pushing the sub-task down")]
    NotBelow(UnitId),
    #[error("nothing is due on the case now")]
    NothingDue,
    #[error("no unit holds the case: dispatch it first")]
    NoUnitHolds,
    #[error("the date must lie in the future and within a year")]
    BadSupervisionDate,
    #[error("the case is already on the supervision list")]
    AlreadyListed,
    #[error("the case is not on the supervision list")]
    NotListed,
    #[error("there is no result to check yet")]
    NoResultYet,
}

/// A trimmed, non-empty text within the field's limit.
pub fn clean_text(field: TextField, raw: &str) -> Result<String, CaseError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(CaseError::TextRequired(field));
    }
    let max = field.max_chars();
    if text.chars().count() > max {
        return Err(CaseError::TextTooLong { field, max });
    }
    Ok(text.to_string())
}

/// An optional text: blank counts as absent, anything else must pass `clean_text`.
pub fn clean_optional(field: TextField, raw: Option<&str>) -> Result<Option<String>, CaseError> {
    match raw {
        Some(t) if !t.trim().is_empty() => clean_text(field, t).map(Some),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded_in_characters_not_bytes() {
        assert_eq!(clean_text(TextField::Reason, "  不属于本单位职责 \n").unwrap(), "不属于本单位职责");
        assert_eq!(clean_text(TextField::Reason, " \t "), Err(CaseError::TextRequired(TextField::Reason)));
        assert!(clean_text(TextField::Reason, &"墙".repeat(500)).is_ok());
        assert_eq!(clean_text(TextField::Reason, &"墙".repeat(501)), Err(CaseError::TextTooLong { field: TextField::Reason, max: 500 }));
    }

    #[test]
    fn a_blank_optional_note_is_simply_absent() {
        assert_eq!(clean_optional(TextField::Note, Some("   ")), Ok(None));
        assert_eq!(clean_optional(TextField::Note, None), Ok(None));
        assert_eq!(clean_optional(TextField::Note, Some(" 同意 ")), Ok(Some("同意".into())));
    }
}
