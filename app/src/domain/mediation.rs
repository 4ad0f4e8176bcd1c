//! 矛盾调处: the mediation record of a dispute case — its parties, the mediator, each
//! session, the agreement — and the first-time resolution rate (初次化解成功率) read from
//! such records: resolved at the first session and not re-reported within 90 days of the
//! agreement, over all mediated disputes closed in the period.
use super::case::CaseId;
use super::rate::Rate;
use serde::{Deserialize, Serialize};

/// A dispute reported again this long after its agreement no longer counts against it.
pub const REREPORT_WINDOW_MS: i64 = 90 * 24 * 3600 * 1000;
pub const TEXT_MAX: usize = 4000;
pub const NAME_MAX: usize = 60;
pub const PARTIES_MAX: usize = 20;

coded_enum!(MediationError =>
    /// How a session ended.
    SessionOutcome {
        /// The parties agreed (达成协议).
        Agreed => "agreed",
        /// To be continued at another session.
        Continued => "continued",
        /// Mediation failed; the dispute is referred on.
        Failed => "failed",
    }
);

coded_enum!(MediationError =>
    /// Where a failed mediation is referred (诉调对接 and the others).
    Referral { Court => "court", Arbitration => "arbitration", PetitionOffice => "petition_office" }
);

coded_enum!(MediationError =>
    /// How a mediated dispute ended.
    Outcome {
        /// Resolved at the first session.
        FirstTime => "first_time",
        /// Resolved at a later session.
        Later => "later",
        /// Mediation failed; referred on.
        Referred => "referred",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MediationError {
    #[error("unknown code: {0}")]
    UnknownCode(String),
    /// Only dispute cases (信访矛盾调处) are mediated.
    #[error("not a dispute case")]
    NotADispute,
    #[error("the mediation is over")]
    Closed,
    #[error("no mediation has begun")]
    NotStarted,
    /// Two parties at least, each named.
    #[error("parties missing")]
    PartiesRequired,
    #[error("mediator missing")]
    MediatorRequired,
    #[error("place missing")]
    PlaceRequired,
    #[error("minutes missing")]
    MinutesRequired,
    #[error("agreement text missing")]
    AgreementRequired,
    /// The signed agreement's photo is the evidence.
    #[error("photo of the signed agreement missing")]
    PhotoRequired,
    /// An agreement follows a session that ended in one; a referral one that failed.
    #[error("the last session did not end so")]
    LastSessionDisagrees,
    /// A session dated in the future or before the case was received.
    #[error("bad session date")]
    BadDate,
    #[error("longer than {0} characters")]
    TooLong(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    /// Masked as shown (138****2222); the full number is kept only as a hash to find a
    /// re-report.
    pub phone_masked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub number: u32,
    pub at_ms: i64,
    pub place: String,
    pub outcome: SessionOutcome,
    pub minutes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mediation {
    pub case_id: CaseId,
    pub parties: Vec<Party>,
    /// The person who mediates and their organisation (a village mediation committee …).
    pub mediator: String,
    pub mediator_org: String,
    pub sessions: Vec<Session>,
    pub agreement: Option<String>,
    /// The attachment holding the photo of the signed agreement.
    pub agreement_photo: Option<i64>,
    pub agreed_ms: Option<i64>,
    pub outcome: Option<Outcome>,
    pub referred_to: Option<Referral>,
    pub closed_ms: Option<i64>,
    /// The case that reported the dispute again within 90 days of its agreement.
    pub rereported_by: Option<CaseId>,
}

fn text(raw: &str, max: usize, missing: MediationError) -> Result<String, MediationError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(missing);
    }
    if t.chars().count() > max {
        return Err(MediationError::TooLong(max));
    }
    Ok(t.to_string())
}

impl Mediation {
    /// Opens the record of a dispute: at least two named parties and a mediator.
    pub fn open(case_id: CaseId, parties: Vec<Party>, mediator: &str, mediator_org: &str) -> Result<Mediation, MediationError> {
        let parties: Vec<Party> = parties.into_iter().filter(|p| !p.name.trim().is_empty()).collect();
        if parties.len() < 2 || parties.len() > PARTIES_MAX {
            return Err(MediationError::PartiesRequired);
        }
        let parties = parties
            .into_iter()
            .map(|p| Ok(Party { name: text(&p.name, NAME_MAX, MediationError::PartiesRequired)?, ..p }))
            .collect::<Result<Vec<_>, MediationError>>()?;
        Ok(Mediation {
            case_id,
            parties,
            mediator: text(mediator, NAME_MAX, MediationError::MediatorRequired)?,
            mediator_org: text(mediator_org, NAME_MAX, MediationError::MediatorRequired)?,
            sessions: vec![],
            agreement: None,
            agreement_photo: None,
            agreed_ms: None,
            outcome: None,
            referred_to: None,
            closed_ms: None,
            rereported_by: None,
        })
    }

    /// Records a session held at `at_ms` (not after `now`, not before the case came in).
    pub fn hold(&mut self, at_ms: i64, place: &str, outcome: SessionOutcome, minutes: &str, received_ms: i64, now: i64) -> Result<&Session, MediationError> {
        if self.closed_ms.is_some() {
            return Err(MediationError::Closed);
        }
        if at_ms > now || at_ms < received_ms - 24 * 3600 * 1000 || self.sessions.last().is_some_and(|s| at_ms < s.at_ms) {
            return Err(MediationError::BadDate);
        }
        let session = Session {
            number: self.sessions.len() as u32 + 1,
            at_ms,
            place: text(place, NAME_MAX * 2, MediationError::PlaceRequired)?,
            outcome,
            minutes: text(minutes, TEXT_MAX, MediationError::MinutesRequired)?,
        };
        self.sessions.push(session);
        Ok(self.sessions.last().expect("just pushed"))
    }

    /// The agreement of the last session (which ended in one), with its signed photo: the
    /// dispute is resolved, at the first session or later.
    pub fn agree(&mut self, agreement: &str, photo: Option<i64>, now: i64) -> Result<Outcome, MediationError> {
        if self.closed_ms.is_some() {
            return Err(MediationError::Closed);
        }
        let last = self.sessions.last().ok_or(MediationError::NotStarted)?;
        if last.outcome != SessionOutcome::Agreed {
            return Err(MediationError::LastSessionDisagrees);
        }
        let agreement = text(agreement, TEXT_MAX, MediationError::AgreementRequired)?;
        let photo = photo.ok_or(MediationError::PhotoRequired)?;
        let outcome = if self.sessions.len() == 1 { Outcome::FirstTime } else { Outcome::Later };
        (self.agreement, self.agreement_photo, self.agreed_ms) = (Some(agreement), Some(photo), Some(now));
        (self.outcome, self.closed_ms) = (Some(outcome), Some(now));
        Ok(outcome)
    }

    /// Mediation failed at the last session: the dispute goes on to `to`.
    pub fn refer(&mut self, to: Referral, now: i64) -> Result<(), MediationError> {
        if self.closed_ms.is_some() {
            return Err(MediationError::Closed);
        }
        let last = self.sessions.last().ok_or(MediationError::NotStarted)?;
        if last.outcome != SessionOutcome::Failed {
            return Err(MediationError::LastSessionDisagrees);
        }
        (self.outcome, self.referred_to, self.closed_ms) = (Some(Outcome::Referred), Some(to), Some(now));
        Ok(())
    }

    /// Whether a case received at `received_ms` reporting the same dispute counts against it.
    pub fn rereport_counts(&self, received_ms: i64) -> bool {
        self.rereported_by.is_none() && self.agreed_ms.is_some_and(|a| received_ms >= a && received_ms - a <= REREPORT_WINDOW_MS)
    }

    /// Resolved at the first session and not reported again.
    pub fn first_time(&self) -> bool {
        self.outcome == Some(Outcome::FirstTime) && self.rereported_by.is_none()
    }
}

/// A mediation closed in a period, as the rate and its drill-down show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedLine {
    pub case_id: CaseId,
    pub code: String,
    pub title: String,
    pub outcome: Outcome,
    pub rereported: bool,
    pub township: Option<String>,
    pub mediator: String,
    pub mediator_org: String,
    pub category: String,
    pub category_name: String,
    pub closed_ms: i64,
}

impl ClosedLine {
    pub fn counts_as_first_time(&self) -> bool {
        self.outcome == Outcome::FirstTime && !self.rereported
    }
}

/// The first-time resolution rate over the mediations closed in a period.
pub fn first_time_rate(closed: &[ClosedLine]) -> Rate {
    Rate { part: closed.iter().filter(|c| c.counts_as_first_time()).count() as i64, whole: closed.len() as i64 }
}

/// `/center/mediation`: the rate of a period by township, mediator and category, and the
/// closed mediations behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateReport {
    pub from_ms: i64,
    pub to_ms: i64,
    pub rate: Rate,
    pub by_township: Vec<(String, Rate)>,
    pub by_mediator: Vec<(String, Rate)>,
    pub by_category: Vec<(String, Rate)>,
    pub lines: Vec<ClosedLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600 * 1000;

    fn opened() -> Mediation {
        let p = |n: &str| Party { name: n.into(), phone_masked: None };
        Mediation::open(7, vec![p("王某"), p("李某")], "陈调解员", "希望新村人民调解委员会").unwrap()
    }

    #[test]
    fn resolved_at_the_first_session() {
        let mut m = opened();
        m.hold(10 * DAY, "村调委会", SessionOutcome::Agreed, "双方同意按原界址砌墙", 9 * DAY, 11 * DAY).unwrap();
        assert_eq!(m.agree("以原界址为准", Some(3), 11 * DAY), Ok(Outcome::FirstTime));
        assert!(m.first_time());
    }

    #[test]
    fn resolved_at_the_second_session_is_later() {
        let mut m = opened();
        m.hold(10 * DAY, "村调委会", SessionOutcome::Continued, "分歧较大，约定再谈", 9 * DAY, 12 * DAY).unwrap();
        assert_eq!(m.agree("x", Some(3), 12 * DAY), Err(MediationError::LastSessionDisagrees));
        m.hold(11 * DAY, "乡司法所", SessionOutcome::Agreed, "达成一致", 9 * DAY, 12 * DAY).unwrap();
        assert_eq!(m.agree("以原界址为准", None, 12 * DAY), Err(MediationError::PhotoRequired));
        assert_eq!(m.agree("以原界址为准", Some(3), 12 * DAY), Ok(Outcome::Later));
        assert_eq!(m.hold(12 * DAY, "x", SessionOutcome::Agreed, "x", 9 * DAY, 12 * DAY).map(|_| ()), Err(MediationError::Closed));
    }

    #[test]
    fn a_failed_mediation_is_referred_on() {
        let mut m = opened();
        m.hold(10 * DAY, "村调委会", SessionOutcome::Failed, "一方拒绝调解", 9 * DAY, 12 * DAY).unwrap();
        m.refer(Referral::Court, 12 * DAY).unwrap();
        assert_eq!((m.outcome, m.referred_to), (Some(Outcome::Referred), Some(Referral::Court)));
    }

    #[test]
    fn bad_input_is_refused() {
        let p = |n: &str| Party { name: n.into(), phone_masked: None };
        assert_eq!(Mediation::open(1, vec![p("王某"), p(" ")], "陈", "调委会"), Err(MediationError::PartiesRequired));
        assert_eq!(Mediation::open(1, vec![p("王某"), p("李某")], " ", "调委会"), Err(MediationError::MediatorRequired));
        let mut m = opened();
        assert_eq!(m.hold(13 * DAY, "x", SessionOutcome::Agreed, "x", 9 * DAY, 12 * DAY).map(|_| ()), Err(MediationError::BadDate), "in the future");
        assert_eq!(m.hold(10 * DAY, "x", SessionOutcome::Agreed, " ", 9 * DAY, 12 * DAY).map(|_| ()), Err(MediationError::MinutesRequired));
        assert!(m.sessions.is_empty());
    }

    #[test]
    fn a_rereport_within_ninety_days_counts_against_the_first_time() {
        let mut m = opened();
        m.hold(10 * DAY, "村调委会", SessionOutcome::Agreed, "达成一致", 9 * DAY, 10 * DAY).unwrap();
        m.agree("协议", Some(1), 10 * DAY).unwrap();
        assert!(m.rereport_counts(100 * DAY), "exactly 90 days after");
        assert!(!m.rereport_counts(100 * DAY + 1));
        assert!(!m.rereport_counts(9 * DAY), "before the agreement");
    }

    #[test]
    fn the_rate_is_first_time_and_not_rereported_over_all_closed() {
        let c = |outcome, rereported| ClosedLine {
            case_id: 1,
            code: String::new(),
            title: String::new(),
            outcome,
            rereported,
            township: None,
            mediator: String::new(),
            mediator_org: String::new(),
            category: String::new(),
            category_name: String::new(),
            closed_ms: 0,
        };
        let closed = [c(Outcome::FirstTime, false), c(Outcome::FirstTime, true), c(Outcome::Later, false), c(Outcome::Referred, false)];
        assert_eq!(first_time_rate(&closed), Rate { part: 1, whole: 4 });
        assert_eq!(first_time_rate(&[]).percent_text(), "—");
    }
}
