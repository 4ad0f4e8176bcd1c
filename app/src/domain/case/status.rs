//! Where a case stands, the states of DESIGN.md "Case lifecycle".

coded_enum!(crate::domain::case::CaseError =>
    /// Where a case stands.
    CaseStatus {
        /// 受理
        Received => "received",
        /// 分拣研判: an operator is deciding where it goes (also after a return).
        Triage => "triage",
        /// 派单: units assigned, not all signed yet.
        Dispatched => "dispatched",
        /// 办理: every current unit has signed.
        InProgress => "in_progress",
        /// 办结: the lead unit gave its result.
        Resolved => "resolved",
        /// 核查: an operator checked the result.
        Verified => "verified",
        /// 回访: waiting for the resident's rating.
        FollowUp => "follow_up",
        /// 归档
        Closed => "closed",
        /// 不予受理
        Rejected => "rejected",
        /// 合并: a duplicate, pointing at its original.
        Merged => "merged",
        /// 重办: to be dispatched again.
        Reopened => "reopened",
    }
);

impl CaseStatus {
    /// Nothing more happens (a closed case may still be reopened by staff).
    pub fn is_finished(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Rejected | CaseStatus::Merged)
    }

    /// Units hold the case: their commands are accepted.
    pub fn is_with_units(self) -> bool {
        matches!(self, CaseStatus::Dispatched | CaseStatus::InProgress)
    }
}
