//! The government's review of a suggestion, from submission to an adopted project done:
//!
//! ```text
//! submitted ─hide(reason)→ hidden        ─merge(into)→ merged      (also from assigned)
//! submitted ─assign(unit)→ assigned ─answer→ evaluating | accepted | rejected
//! evaluating ─answer→ accepted | rejected | evaluating
//! accepted ─shortlist→ shortlisted ─vote→ adopted | not_adopted
//! adopted ─publish→ published ─progress(100 %)→ completed
//! ```
use super::{CampaignError, Field};
use serde::{Deserialize, Serialize};

coded_enum!(crate::domain::campaign::CampaignError =>
    SuggestionStatus {
        Submitted => "submitted",
        Hidden => "hidden",
        Merged => "merged",
        Assigned => "assigned",
        Evaluating => "evaluating",
        Accepted => "accepted",
        Rejected => "rejected",
        Shortlisted => "shortlisted",
        Adopted => "adopted",
        NotAdopted => "not_adopted",
        Published => "published",
        Completed => "completed",
    }
);

impl SuggestionStatus {
    /// Shown on the public list (hidden and merged ones are not; their submitters see why).
    pub fn is_public(self) -> bool {
        !matches!(self, SuggestionStatus::Hidden | SuggestionStatus::Merged)
    }

    /// Still waiting for the government to do something.
    pub fn awaits_handling(self) -> bool {
        matches!(self, SuggestionStatus::Submitted | SuggestionStatus::Assigned | SuggestionStatus::Evaluating)
    }
}

coded_enum!(crate::domain::campaign::CampaignError =>
    /// The evaluating department's answer.
    Verdict { Evaluating => "evaluating", Accepted => "accepted", Rejected => "rejected" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub verdict: Verdict,
    pub reason: String,
    /// Estimated cost in yuan (integers: money is never a float).
    pub cost_yuan: Option<i64>,
    /// When it could be done, as the department words it ("2022年内").
    pub period: Option<String>,
}

impl Answer {
    /// An answer as a department types it: the cost in 万元 (ten thousand yuan, as budgets
    /// are discussed), kept in whole yuan.
    pub fn from_form(verdict: &str, reason: String, cost_wan: &str, period: String) -> Result<Answer, CampaignError> {
        let cost_yuan = match cost_wan.trim() {
            "" => None,
            c => Some(
                c.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e9)
                    .map(|v| (v * 10_000.0).round() as i64)
                    .ok_or(CampaignError::BadAmount)?,
            ),
        };
        Ok(Answer { verdict: verdict.parse()?, reason, cost_yuan, period: Some(period) })
    }
}

/// The people's-congress deputies' vote (票决) on a shortlisted item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Vote {
    /// Adopted with more than half of the votes cast.
    pub fn adopts(&self) -> bool {
        let cast = self.yes + self.no + self.abstain;
        cast > 0 && self.yes * 2 > cast
    }
}

coded_enum!(crate::domain::campaign::CampaignError =>
    /// The kinds of review step, as pages offer them.
    ReviewKind {
        Hide => "hide",
        Merge => "merge",
        Assign => "assign",
        Answer => "answer",
        Shortlist => "shortlist",
        Vote => "vote",
        Publish => "publish",
        Progress => "progress",
    }
);

impl ReviewKind {
    /// The statuses this step may start from: the one place the lifecycle's arrows live.
    pub fn from_statuses(self) -> &'static [SuggestionStatus] {
        use SuggestionStatus as S;
        match self {
            ReviewKind::Hide | ReviewKind::Merge | ReviewKind::Assign => &[S::Submitted, S::Assigned],
            ReviewKind::Answer => &[S::Assigned, S::Evaluating],
            ReviewKind::Shortlist => &[S::Accepted],
            ReviewKind::Vote => &[S::Shortlisted],
            ReviewKind::Publish => &[S::Adopted],
            ReviewKind::Progress => &[S::Published],
        }
    }

    /// The steps a suggestion in `status` offers; the page shows exactly these.
    pub fn offered(status: SuggestionStatus) -> Vec<ReviewKind> {
        ReviewKind::ALL.iter().copied().filter(|k| k.from_statuses().contains(&status)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewCommand {
    Hide { reason: String },
    Merge { into: i64 },
    Assign { unit: i64 },
    Answer(Answer),
    Shortlist,
    RecordVote(Vote),
    Publish,
    Progress { percent: u8, note: String },
}

impl ReviewCommand {
    pub fn kind(&self) -> ReviewKind {
        match self {
            ReviewCommand::Hide { .. } => ReviewKind::Hide,
            ReviewCommand::Merge { .. } => ReviewKind::Merge,
            ReviewCommand::Assign { .. } => ReviewKind::Assign,
            ReviewCommand::Answer(_) => ReviewKind::Answer,
            ReviewCommand::Shortlist => ReviewKind::Shortlist,
            ReviewCommand::RecordVote(_) => ReviewKind::Vote,
            ReviewCommand::Publish => ReviewKind::Publish,
            ReviewCommand::Progress { .. } => ReviewKind::Progress,
        }
    }
}

/// What the history records; the state is the fold of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewEvent {
    Submitted,
    Hidden { reason: String },
    Merged { into: i64 },
    Assigned { unit: i64 },
    Answered(Answer),
    Shortlisted,
    Voted { vote: Vote, adopted: bool },
    Published,
    Progressed { percent: u8, note: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionState {
    pub id: i64,
    pub status: SuggestionStatus,
    pub hidden_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub unit: Option<i64>,
    pub answer: Option<Answer>,
    pub vote: Option<Vote>,
    pub progress: u8,
}

impl SuggestionState {
    pub fn new(id: i64) -> SuggestionState {
        SuggestionState { id, status: SuggestionStatus::Submitted, hidden_reason: None, merged_into: None, unit: None, answer: None, vote: None, progress: 0 }
    }

    pub fn apply(&mut self, e: &ReviewEvent) {
        use SuggestionStatus as S;
        match e {
            ReviewEvent::Submitted => {}
            ReviewEvent::Hidden { reason } => {
                self.status = S::Hidden;
                self.hidden_reason = Some(reason.clone());
            }
            ReviewEvent::Merged { into } => {
                self.status = S::Merged;
                self.merged_into = Some(*into);
            }
            ReviewEvent::Assigned { unit } => {
                self.status = S::Assigned;
                self.unit = Some(*unit);
            }
            ReviewEvent::Answered(a) => {
                self.status = match a.verdict {
                    Verdict::Evaluating => S::Evaluating,
                    Verdict::Accepted => S::Accepted,
                    Verdict::Rejected => S::Rejected,
                };
                self.answer = Some(a.clone());
            }
            ReviewEvent::Shortlisted => self.status = S::Shortlisted,
            ReviewEvent::Voted { vote, adopted } => {
                self.vote = Some(*vote);
                self.status = if *adopted { S::Adopted } else { S::NotAdopted };
            }
            ReviewEvent::Published => self.status = S::Published,
            ReviewEvent::Progressed { percent, .. } => {
                self.progress = *percent;
                if *percent >= 100 {
                    self.status = S::Completed;
                }
            }
        }
    }
}

fn text(field: Field, raw: &str, max: usize) -> Result<String, CampaignError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(CampaignError::Required(field));
    }
    if t.chars().count() > max {
        return Err(CampaignError::TooLong { field, max });
    }
    Ok(t.into())
}

/// The event `cmd` appends to a suggestion in `s`, or why it is refused.
pub fn decide(s: &SuggestionState, cmd: &ReviewCommand) -> Result<ReviewEvent, CampaignError> {
    if !cmd.kind().from_statuses().contains(&s.status) {
        return Err(CampaignError::WrongStatus { status: s.status });
    }
    Ok(match cmd {
        ReviewCommand::Hide { reason } => ReviewEvent::Hidden { reason: text(Field::Reason, reason, 500)? },
        ReviewCommand::Merge { into } => {
            if *into == s.id {
                return Err(CampaignError::MergeIntoSelf);
            }
            ReviewEvent::Merged { into: *into }
        }
        ReviewCommand::Assign { unit } => ReviewEvent::Assigned { unit: *unit },
        ReviewCommand::Answer(a) => {
            if a.cost_yuan.is_some_and(|c| c < 0) {
                return Err(CampaignError::BadAmount);
            }
            let period = match a.period.as_deref().map(str::trim) {
                Some("") | None => None,
                Some(p) => Some(text(Field::Period, p, 100)?),
            };
            ReviewEvent::Answered(Answer { verdict: a.verdict, reason: text(Field::Reason, &a.reason, 1000)?, cost_yuan: a.cost_yuan, period })
        }
        ReviewCommand::Shortlist => ReviewEvent::Shortlisted,
        ReviewCommand::RecordVote(v) => {
            if v.yes + v.no + v.abstain == 0 || v.yes.max(v.no).max(v.abstain) > 10_000 {
                return Err(CampaignError::BadVote);
            }
            ReviewEvent::Voted { vote: *v, adopted: v.adopts() }
        }
        ReviewCommand::Publish => ReviewEvent::Published,
        ReviewCommand::Progress { percent, note } => {
            if *percent > 100 || *percent < s.progress {
                return Err(CampaignError::BadAmount);
            }
            ReviewEvent::Progressed { percent: *percent, note: text(Field::Note, note, 500)? }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(s: &mut SuggestionState, cmd: ReviewCommand) -> Result<(), CampaignError> {
        let e = decide(s, &cmd)?;
        s.apply(&e);
        Ok(())
    }

    fn accepted() -> ReviewCommand {
        ReviewCommand::Answer(Answer { verdict: Verdict::Accepted, reason: "可行".into(), cost_yuan: Some(3_000_000), period: Some("2022年内".into()) })
    }

    #[test]
    fn a_suggestion_goes_from_submission_to_a_completed_project() {
        let mut s = SuggestionState::new(1);
        run(&mut s, ReviewCommand::Assign { unit: 7 }).unwrap();
        run(&mut s, ReviewCommand::Answer(Answer { verdict: Verdict::Evaluating, reason: "正在测算".into(), cost_yuan: None, period: None })).unwrap();
        assert_eq!(s.status, SuggestionStatus::Evaluating);
        run(&mut s, accepted()).unwrap();
        run(&mut s, ReviewCommand::Shortlist).unwrap();
        run(&mut s, ReviewCommand::RecordVote(Vote { yes: 150, no: 20, abstain: 10 })).unwrap();
        assert_eq!(s.status, SuggestionStatus::Adopted);
        run(&mut s, ReviewCommand::Publish).unwrap();
        run(&mut s, ReviewCommand::Progress { percent: 40, note: "已开工".into() }).unwrap();
        assert_eq!(run(&mut s, ReviewCommand::Progress { percent: 30, note: "x".into() }), Err(CampaignError::BadAmount), "progress never goes back");
        run(&mut s, ReviewCommand::Progress { percent: 100, note: "已完工".into() }).unwrap();
        assert_eq!(s.status, SuggestionStatus::Completed);
    }

    #[test]
    fn a_vote_adopts_only_with_more_than_half_of_the_votes_cast() {
        assert!(Vote { yes: 91, no: 40, abstain: 50 }.adopts());
        assert!(!Vote { yes: 90, no: 40, abstain: 50 }.adopts(), "exactly half is not more than half");
        let mut s = SuggestionState::new(1);
        for c in [ReviewCommand::Assign { unit: 7 }, accepted(), ReviewCommand::Shortlist] {
            run(&mut s, c).unwrap();
        }
        assert_eq!(run(&mut s, ReviewCommand::RecordVote(Vote { yes: 0, no: 0, abstain: 0 })), Err(CampaignError::BadVote));
        run(&mut s, ReviewCommand::RecordVote(Vote { yes: 10, no: 30, abstain: 0 })).unwrap();
        assert_eq!(s.status, SuggestionStatus::NotAdopted);
        assert_eq!(run(&mut s, ReviewCommand::Publish), Err(CampaignError::WrongStatus { status: SuggestionStatus::NotAdopted }));
    }

    #[test]
    fn hidden_and_merged_suggestions_leave_the_public_list_with_a_reason() {
        let mut s = SuggestionState::new(3);
        assert_eq!(run(&mut s, ReviewCommand::Merge { into: 3 }), Err(CampaignError::MergeIntoSelf));
        assert_eq!(run(&mut s, ReviewCommand::Hide { reason: " ".into() }), Err(CampaignError::Required(Field::Reason)));
        run(&mut s, ReviewCommand::Hide { reason: "含有个人隐私信息".into() }).unwrap();
        assert!(!s.status.is_public());
        assert_eq!(s.hidden_reason.as_deref(), Some("含有个人隐私信息"));
        assert!(run(&mut s, ReviewCommand::Assign { unit: 1 }).is_err());
    }

    #[test]
    fn the_page_offers_exactly_the_steps_the_rules_accept() {
        let sample = |k: ReviewKind| match k {
            ReviewKind::Hide => ReviewCommand::Hide { reason: "r".into() },
            ReviewKind::Merge => ReviewCommand::Merge { into: 9 },
            ReviewKind::Assign => ReviewCommand::Assign { unit: 1 },
            ReviewKind::Answer => accepted(),
            ReviewKind::Shortlist => ReviewCommand::Shortlist,
            ReviewKind::Vote => ReviewCommand::RecordVote(Vote { yes: 3, no: 1, abstain: 0 }),
            ReviewKind::Publish => ReviewCommand::Publish,
            ReviewKind::Progress => ReviewCommand::Progress { percent: 50, note: "n".into() },
        };
        for status in SuggestionStatus::ALL {
            let mut s = SuggestionState::new(1);
            s.status = *status;
            for kind in ReviewKind::ALL {
                let refused = matches!(decide(&s, &sample(*kind)), Err(CampaignError::WrongStatus { .. }));
                assert_eq!(ReviewKind::offered(*status).contains(kind), !refused, "{status} / {kind}");
            }
        }
        assert_eq!(ReviewKind::offered(SuggestionStatus::Submitted), vec![ReviewKind::Hide, ReviewKind::Merge, ReviewKind::Assign]);
        assert!(ReviewKind::offered(SuggestionStatus::Completed).is_empty());
    }

    fn command() -> impl Strategy<Value = ReviewCommand> {
        prop_oneof![
            Just(ReviewCommand::Hide { reason: "r".into() }),
            (1i64..4).prop_map(|into| ReviewCommand::Merge { into }),
            (1i64..4).prop_map(|unit| ReviewCommand::Assign { unit }),
            prop_oneof![Just(Verdict::Evaluating), Just(Verdict::Accepted), Just(Verdict::Rejected)].prop_map(|verdict| ReviewCommand::Answer(Answer {
                verdict,
                reason: "r".into(),
                cost_yuan: Some(1),
                period: None
            })),
            Just(ReviewCommand::Shortlist),
            (0u32..5, 0u32..5, 0u32..5).prop_map(|(yes, no, abstain)| ReviewCommand::RecordVote(Vote { yes, no, abstain })),
            Just(ReviewCommand::Publish),
            (0u8..=110).prop_map(|percent| ReviewCommand::Progress { percent, note: "n".into() }),
        ]
    }

    proptest! {
        #[test]
        fn refusals_change_nothing_and_adoption_always_follows_a_winning_vote(cmds in proptest::collection::vec(command(), 0..25)) {
            let mut s = SuggestionState::new(2);
            for c in &cmds {
                let before = s.clone();
                match decide(&s, c) {
                    Ok(e) => s.apply(&e),
                    Err(_) => prop_assert_eq!(&s, &before),
                }
                if matches!(s.status, SuggestionStatus::Adopted | SuggestionStatus::Published | SuggestionStatus::Completed) {
                    prop_assert!(s.vote.is_some_and(|v| v.adopts()));
                    prop_assert!(s.answer.as_ref().is_some_and(|a| a.verdict == Verdict::Accepted));
                }
                prop_assert!(s.progress <= 100);
                prop_assert_eq!(s.status == SuggestionStatus::Completed, s.progress == 100);
            }
        }
    }
}
