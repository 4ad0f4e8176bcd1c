//! The one application error: every server function returns it, and the UI turns each
//! variant into a localised sentence (see `ui::errors`).
use crate::domain::campaign::CampaignError;
use crate::domain::case::CaseError;
use crate::domain::duty::DutyError;
use crate::domain::emergency::EmergencyError;
use crate::domain::hazard::HazardError;
use crate::domain::mediation::MediationError;
use crate::domain::org::OrgError;
use crate::domain::report::ReportError;
use crate::domain::risk::RiskError;
use crate::domain::roster::RosterError;
use crate::domain::signin::SignInRefusal;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input: {0}")]
    Invalid(OrgError),
    #[error("sign-in refused: {0:?}")]
    SignIn(SignInRefusal),
    #[error("case: {0}")]
    Case(CaseError),
    #[error("livelihood call: {0}")]
    Campaign(CampaignError),
    #[error("report: {0}")]
    Report(ReportError),
    #[error("risk warning: {0}")]
    Risk(RiskError),
    #[error("mediation: {0}")]
    Mediation(MediationError),
    #[error("duty roster: {0}")]
    Duty(DutyError),
    #[error("emergency report: {0}")]
    Emergency(EmergencyError),
    #[error("hazard: {0}")]
    Hazard(HazardError),
    #[error("roster file: {0}")]
    Roster(RosterError),
    #[error("file could not be read: {0}")]
    BadFile(String),
    #[error("already exists")]
    Duplicate,
    #[error("not found")]
    NotFound,
    #[error("you cannot deactivate your own account")]
    SelfDeactivation,
    /// The caller's password was set by someone else: only changing it is allowed until then.
    #[error("change your password first")]
    MustChangePassword,
    /// Too many requests from one address or phone; try again after this many seconds.
    #[error("too many requests, retry in {0} s")]
    TooManyRequests(u64),
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
    /// The request itself cannot be read: refused before any decoder sees it.
    #[error("malformed request: {0:?}")]
    Malformed(RequestProblem),
}

/// What is wrong with a request's form, as opposed to what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestProblem {
    /// No `Content-Type`, or one this call does not take.
    WrongContentType,
    /// `multipart/form-data` without a usable boundary.
    BadBoundary,
    /// A form whose escapes are broken or whose text is not UTF-8.
    BadEncoding,
    /// A form longer than any of ours can be.
    TooLarge,
    /// A method the address does not take (a POST to a page that is only read).
    WrongMethod,
}

impl AppError {
    /// The HTTP status that tells clients what kind of refusal this is; only `Internal`
    /// is a server fault (5xx), so a flood of bad sign-ins never looks like an outage.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::SignIn(SignInRefusal::BadCredentials) => 401,
            AppError::Forbidden | AppError::SelfDeactivation | AppError::MustChangePassword => 403,
            AppError::NotFound => 404,
            AppError::Duplicate => 409,
            AppError::Invalid(_) | AppError::Roster(_) | AppError::BadFile(_) | AppError::Transport(_) => 422,
            AppError::SignIn(SignInRefusal::Busy) => 503,
            AppError::Case(e) => case_status(e),
            // A person's quota of suggestions in a call is used up for the whole call: waiting
            // does not help, so it is a conflict with what is stored, not a 429 to retry.
            AppError::Campaign(CampaignError::WrongStatus { .. } | CampaignError::Closed | CampaignError::NotOpenYet | CampaignError::PersonLimit(_)) => 409,
            AppError::Campaign(CampaignError::BadReceipt) => 404,
            AppError::Campaign(_) => 422,
            AppError::Report(ReportError::Published | ReportError::Frozen) => 409,
            AppError::Report(_) => 422,
            AppError::Risk(RiskError::NotAllowed) => 403,
            AppError::Risk(RiskError::WrongStatus(_)) => 409,
            AppError::Risk(_) => 422,
            AppError::Mediation(MediationError::Closed | MediationError::NotStarted | MediationError::LastSessionDisagrees | MediationError::NotADispute) => {
                409
            }
            AppError::Mediation(_) => 422,
            AppError::Duty(DutyError::NotYours) => 403,
            AppError::Duty(
                DutyError::Overlap
                | DutyError::AlreadyCheckedIn
                | DutyError::AlreadyHandedOver
                | DutyError::Started
                | DutyError::Decided
                | DutyError::SwapWaiting,
            ) => 409,
            AppError::Duty(_) => 422,
            AppError::Emergency(EmergencyError::NotYourUnit) => 403,
            AppError::Emergency(EmergencyError::StageOrder | EmergencyError::Closed | EmergencyError::AlreadyChecked) => 409,
            AppError::Emergency(_) => 422,
            AppError::Hazard(HazardError::NotYourStep) => 403,
            AppError::Hazard(HazardError::WrongState) => 409,
            AppError::Hazard(_) => 422,
            AppError::TooManyRequests(_) | AppError::SignIn(SignInRefusal::Throttled(_)) => 429,
            AppError::Internal => 500,
            AppError::Malformed(RequestProblem::WrongContentType) => 415,
            AppError::Malformed(RequestProblem::BadBoundary | RequestProblem::BadEncoding) => 400,
            AppError::Malformed(RequestProblem::TooLarge) => 413,
            AppError::Malformed(RequestProblem::WrongMethod) => 405,
        }
    }
}

/// A refused case command: the caller's right (403), a state that does not allow it
/// (409: someone else may have moved the case), or what was typed (422).
fn case_status(e: &CaseError) -> u16 {
    use CaseError as E;
    match e {
        E::NotAllowed(_) => 403,
        E::BadTrackingCode => 404,
        E::Finished(_)
        | E::WrongStatus { .. }
        | E::NotAssigned(_)
        | E::NotSigned(_)
        | E::AlreadySigned(_)
        | E::AlreadyDone(_)
        | E::NotLead(_)
        | E::LeadMustResolve(_)
        | E::WaitingForSignatures(_)
        | E::ExtensionPending(_)
        | E::NoExtensionPending(_)
        | E::FollowUpNotDue(_)
        | E::NoCommand(_)
        | E::NothingOverdue
        | E::NothingDue
        | E::NoUnitHolds
        | E::AlreadyListed
        | E::NotListed
        | E::NoResultYet
        | E::AlreadyInForce(_)
        | E::BadMergeTarget => 409,
        _ => 422,
    }
}

impl From<CampaignError> for AppError {
    fn from(e: CampaignError) -> Self {
        AppError::Campaign(e)
    }
}

impl From<RiskError> for AppError {
    fn from(e: RiskError) -> Self {
        AppError::Risk(e)
    }
}

impl From<EmergencyError> for AppError {
    fn from(e: EmergencyError) -> Self {
        AppError::Emergency(e)
    }
}

impl From<HazardError> for AppError {
    fn from(e: HazardError) -> Self {
        AppError::Hazard(e)
    }
}

impl From<DutyError> for AppError {
    fn from(e: DutyError) -> Self {
        AppError::Duty(e)
    }
}

impl From<MediationError> for AppError {
    fn from(e: MediationError) -> Self {
        AppError::Mediation(e)
    }
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        AppError::Report(e)
    }
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        AppError::Case(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl From<OrgError> for AppError {
    fn from(e: OrgError) -> Self {
        AppError::Invalid(e)
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::Duplicate => AppError::Duplicate,
            StoreError::NotFound => AppError::NotFound,
            StoreError::Db(e) => {
                tracing::error!(error = %e, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        crate::store::StoreError::Db(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every 429 is a limit that passes with time and says when (`Retry-After`); a quota
    /// that does not pass is not one.
    #[test]
    fn only_limits_that_pass_with_time_answer_429() {
        assert_eq!(AppError::TooManyRequests(3).http_status(), 429);
        assert_eq!(AppError::SignIn(SignInRefusal::Throttled(2)).http_status(), 429);
        assert_eq!(AppError::Campaign(CampaignError::PersonLimit(5)).http_status(), 409);
    }
}
