//! The audit trail's vocabulary: one variant per thing that can happen, each with its data.
use serde::{Deserialize, Serialize};

/// `SignInFailed::unlisted` counts the failures from the same address before it that got no
/// row of their own (an address writes at most `signin::AUDIT_ROWS_PER_MINUTE` a minute);
/// `SignInUnlocked` is an admin clearing the failures that slow a name down; `PasswordChanged`
/// the owner choosing their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditEvent {
    SignedIn {
        username: String,
    },
    SignInFailed {
        username: String,
        unlisted: i64,
    },
    SignInUnlocked {
        username: String,
    },
    PasswordChanged {
        user_id: i64,
    },
    SignedOut {
        username: String,
    },
    AreaSaved {
        area_id: i64,
        name: String,
        created: bool,
    },
    AreaActiveSet {
        area_id: i64,
        active: bool,
    },
    UnitSaved {
        unit_id: i64,
        name: String,
        created: bool,
    },
    UnitActiveSet {
        unit_id: i64,
        active: bool,
    },
    /// A category's time terms or use changed; `terms` as "allowed/ack/again/list-after" ms.
    CategorySaved {
        code: String,
        terms: String,
        active: bool,
        /// The department it routes to; left out when none (as in events written before).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department_id: Option<i64>,
    },
    UserSaved {
        user_id: i64,
        username: String,
        created: bool,
    },
    UserActiveSet {
        user_id: i64,
        active: bool,
    },
    PasswordReset {
        user_id: i64,
    },
    RosterImported {
        imported: usize,
        refused: usize,
    },
    DemoSeeded {
        users: usize,
    },
    CampaignCreated {
        campaign_id: i64,
        title: String,
    },
    CampaignUpdated {
        campaign_id: i64,
        title: String,
    },
    /// A calling system used the JSON API (`call`: method and path).
    ApiCalled {
        client: String,
        call: String,
    },
    /// Staff asked to see a reporter's full name and phone on a case (PIPL: every read of
    /// personal data is on the record).
    CaseContactShown {
        code: String,
    },
    SuggestionContactShown {
        code: String,
    },
    /// A download of the case list (`filter`: the list's query string as given).
    CasesExported {
        format: String,
        filter: String,
    },
    /// A call's suggestions with their authors' contacts, to Excel.
    CampaignExported {
        campaign_id: i64,
        suggestions: usize,
    },
    /// A bulletin (通报) drafted from the records, its comment or figures changed, or published.
    BulletinDrafted {
        bulletin_id: i64,
        period: String,
    },
    BulletinEdited {
        bulletin_id: i64,
        refigured: bool,
    },
    BulletinPublished {
        bulletin_id: i64,
        period: String,
        units: usize,
    },
    /// The evaluation's weights set by an administrator, as "w1/w2/…/w6".
    EvaluationWeightsSet {
        weights: String,
    },
    /// An evaluation period closed: its scores are frozen.
    EvaluationFrozen {
        period: String,
        units: usize,
    },
    /// The risk rules' settings saved by an administrator (as JSON).
    RiskSettingsSaved {
        settings: String,
    },
    /// A step of a risk warning's life (assess, handle, close, dismiss).
    RiskWarningStep {
        warning_id: i64,
        step: String,
    },
    /// A step of a dispute's mediation record (open, session, agree, refer).
    MediationRecorded {
        case_id: i64,
        step: String,
    },
    /// A step on the duty roster: plan, remove, check_in, hand_over, swap_request,
    /// swap_approve, swap_refuse, import (shift is then the number of shifts added).
    DutyRecorded {
        shift_id: i64,
        step: String,
    },
    /// A step of an emergency's reporting: declare, regrade, file (with the stage and version),
    /// check, deadlines.
    EmergencyRecorded {
        case_id: i64,
        step: String,
    },
    /// A step of a hazard on the register: found, rectify, check, tick off, watch.
    HazardRecorded {
        hazard_id: i64,
        step: String,
    },
    /// Contact data erased after the retention period, of matters finished before `before_ms`.
    ContactsErased {
        reporters: u64,
        suggestions: u64,
        before_ms: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditLevel {
    Info,
    Warning,
}

impl AuditEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            AuditEvent::SignedIn { .. } => "signed_in",
            AuditEvent::SignInFailed { .. } => "sign_in_failed",
            AuditEvent::SignInUnlocked { .. } => "sign_in_unlocked",
            AuditEvent::PasswordChanged { .. } => "password_changed",
            AuditEvent::SignedOut { .. } => "signed_out",
            AuditEvent::AreaSaved { .. } => "area_saved",
            AuditEvent::AreaActiveSet { .. } => "area_active_set",
            AuditEvent::UnitSaved { .. } => "unit_saved",
            AuditEvent::UnitActiveSet { .. } => "unit_active_set",
            AuditEvent::CategorySaved { .. } => "category_saved",
            AuditEvent::UserSaved { .. } => "user_saved",
            AuditEvent::UserActiveSet { .. } => "user_active_set",
            AuditEvent::PasswordReset { .. } => "password_reset",
            AuditEvent::RosterImported { .. } => "roster_imported",
            AuditEvent::DemoSeeded { .. } => "demo_seeded",
            AuditEvent::CampaignCreated { .. } => "campaign_created",
            AuditEvent::CampaignUpdated { .. } => "campaign_updated",
            AuditEvent::ApiCalled { .. } => "api_called",
            AuditEvent::CaseContactShown { .. } => "case_contact_shown",
            AuditEvent::SuggestionContactShown { .. } => "suggestion_contact_shown",
            AuditEvent::CasesExported { .. } => "cases_exported",
            AuditEvent::CampaignExported { .. } => "campaign_exported",
            AuditEvent::ContactsErased { .. } => "contacts_erased",
            AuditEvent::BulletinDrafted { .. } => "bulletin_drafted",
            AuditEvent::EvaluationWeightsSet { .. } => "evaluation_weights_set",
            AuditEvent::EvaluationFrozen { .. } => "evaluation_frozen",
            AuditEvent::BulletinEdited { .. } => "bulletin_edited",
            AuditEvent::BulletinPublished { .. } => "bulletin_published",
            AuditEvent::RiskSettingsSaved { .. } => "risk_settings_saved",
            AuditEvent::RiskWarningStep { .. } => "risk_warning_step",
            AuditEvent::MediationRecorded { .. } => "mediation_recorded",
            AuditEvent::DutyRecorded { .. } => "duty_recorded",
            AuditEvent::EmergencyRecorded { .. } => "emergency_recorded",
            AuditEvent::HazardRecorded { .. } => "hazard_recorded",
        }
    }

    pub fn level(&self) -> AuditLevel {
        match self {
            AuditEvent::SignInFailed { .. } => AuditLevel::Warning,
            AuditEvent::UserActiveSet { active: false, .. } => AuditLevel::Warning,
            _ => AuditLevel::Info,
        }
    }
}

/// One row of the trail as shown to admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    pub actor: Option<String>,
    pub kind: String,
    pub level: String,
    pub details: String,
    pub ip: Option<String>,
}
