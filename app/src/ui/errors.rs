//! Every `AppError` as a sentence in the reader's language.
use crate::domain::case::{CaseError, TextField};
use crate::domain::org::OrgError;
use crate::domain::roster::{Column, RosterError, RowProblem};
use crate::domain::signin::SignInRefusal;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

pub fn error_text(l: Locale, e: &AppError) -> String {
    match e {
        AppError::Unauthorized => td_string!(l, err.unauthorized).to_string(),
        AppError::Forbidden => td_string!(l, err.forbidden).to_string(),
        AppError::Invalid(o) => org_error_text(l, o),
        AppError::SignIn(SignInRefusal::BadCredentials) => td_string!(l, err.bad_credentials).to_string(),
        AppError::SignIn(SignInRefusal::Throttled(secs)) => format!("{}{secs}{}", td_string!(l, err.throttled), td_string!(l, err.seconds)),
        AppError::SignIn(SignInRefusal::Busy) => td_string!(l, err.busy).to_string(),
        AppError::Case(c) => case_error_text(l, c),
        AppError::Campaign(c) => campaign_error_text(l, c),
        AppError::Report(r) => report_error_text(l, r),
        AppError::Risk(r) => risk_error_text(l, r),
        AppError::Mediation(m) => mediation_error_text(l, m),
        AppError::Duty(d) => duty_error_text(l, d),
        AppError::Emergency(e) => emergency_error_text(l, e),
        AppError::Hazard(e) => hazard_error_text(l, e),
        AppError::Roster(RosterError::Empty) => td_string!(l, err.roster_empty).to_string(),
        AppError::Roster(RosterError::TooManyRows) => td_string!(l, err.roster_too_many).to_string(),
        AppError::Roster(RosterError::MissingColumn(c)) => {
            format!("{}{}", td_string!(l, err.roster_missing_column), column_text(l, *c))
        }
        AppError::BadFile(_) => td_string!(l, err.bad_file).to_string(),
        AppError::Duplicate => td_string!(l, err.duplicate).to_string(),
        AppError::NotFound => td_string!(l, err.not_found).to_string(),
        AppError::SelfDeactivation => td_string!(l, err.self_deactivation).to_string(),
        AppError::MustChangePassword => td_string!(l, err.must_change_password).to_string(),
        AppError::TooManyRequests(secs) => format!("{}{secs}{}", td_string!(l, err.too_many_requests), td_string!(l, err.seconds)),
        AppError::Internal => td_string!(l, err.internal).to_string(),
        AppError::Transport(_) => td_string!(l, err.transport).to_string(),
        AppError::Malformed(crate::error::RequestProblem::TooLarge) => td_string!(l, err.too_large).to_string(),
        AppError::Malformed(crate::error::RequestProblem::WrongMethod) => td_string!(l, err.wrong_method).to_string(),
        AppError::Malformed(_) => td_string!(l, err.malformed).to_string(),
    }
}

pub fn org_error_text(l: Locale, e: &OrgError) -> String {
    match e {
        OrgError::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        OrgError::NameRequired => td_string!(l, err.name_required).to_string(),
        OrgError::NameTooLong => td_string!(l, err.name_too_long).to_string(),
        OrgError::BadUsername => td_string!(l, err.bad_username).to_string(),
        OrgError::BadPhone => td_string!(l, err.bad_phone).to_string(),
        OrgError::BadParent { .. } => td_string!(l, err.bad_parent).to_string(),
        OrgError::BadUnitArea { .. } => td_string!(l, err.bad_unit_area).to_string(),
        OrgError::WeakPassword => td_string!(l, err.weak_password).to_string(),
        OrgError::PasswordTooLong => td_string!(l, err.password_too_long).to_string(),
        OrgError::PasswordsDiffer => td_string!(l, err.passwords_differ).to_string(),
        OrgError::SamePassword => td_string!(l, err.same_password).to_string(),
        OrgError::WrongCurrentPassword => td_string!(l, err.wrong_current_password).to_string(),
    }
}

pub fn text_field_text(l: Locale, f: TextField) -> String {
    match f {
        TextField::Reason => td_string!(l, case_field.reason),
        TextField::Result => td_string!(l, case_field.result),
        TextField::Progress => td_string!(l, case_field.progress),
        TextField::Note => td_string!(l, case_field.note),
        TextField::Comment => td_string!(l, case_field.comment),
        TextField::Name => td_string!(l, case_field.name),
        TextField::Title => td_string!(l, case_field.title),
        TextField::Description => td_string!(l, case_field.description),
        TextField::Address => td_string!(l, case_field.address),
        TextField::ReporterName => td_string!(l, case_field.reporter_name),
        TextField::Directive => td_string!(l, case_field.directive),
    }
    .to_string()
}

/// Refusals of the case rules. Units are named by id here; the page around the message
/// shows the units by name.
pub fn case_error_text(l: Locale, e: &CaseError) -> String {
    use CaseError as E;
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::BadCode(_) => td_string!(l, case_err.bad_code).to_string(),
        E::TextRequired(f) => format!("{}{}", td_string!(l, case_err.required), text_field_text(l, *f)),
        E::TextTooLong { field, max } => {
            format!("{}{}{}", text_field_text(l, *field), td_string!(l, case_err.too_long), max)
        }
        E::BadTimeLimit => td_string!(l, case_err.bad_time_limit).to_string(),
        E::CategoryInactive(_) => td_string!(l, case_err.category_inactive).to_string(),
        E::Finished(_) => td_string!(l, case_err.finished).to_string(),
        E::WrongStatus { .. } => td_string!(l, case_err.wrong_status).to_string(),
        E::NotAllowed(_) => td_string!(l, case_err.not_allowed).to_string(),
        E::NotAssigned(_) => td_string!(l, case_err.not_assigned).to_string(),
        E::NotSigned(_) => td_string!(l, case_err.not_signed).to_string(),
        E::AlreadySigned(_) => td_string!(l, case_err.already_signed).to_string(),
        E::AlreadyDone(_) => td_string!(l, case_err.already_done).to_string(),
        E::NotLead(_) => td_string!(l, case_err.not_lead).to_string(),
        E::LeadMustResolve(_) => td_string!(l, case_err.lead_must_resolve).to_string(),
        E::WaitingForSignatures(units) => format!("{}{}", td_string!(l, case_err.waiting_for_signatures), units.len()),
        E::LeadAlsoCooperating(_) => td_string!(l, case_err.lead_also_cooperating).to_string(),
        E::DuplicateUnit(_) => td_string!(l, case_err.duplicate_unit).to_string(),
        E::TooManyUnits(n) => format!("{}{n}", td_string!(l, case_err.too_many_units)),
        E::MergeIntoSelf => td_string!(l, case_err.merge_into_self).to_string(),
        E::SameCategory(_) => td_string!(l, case_err.same_category).to_string(),
        E::BadExtension => td_string!(l, case_err.bad_extension).to_string(),
        E::ExtensionPending(_) => td_string!(l, case_err.extension_pending).to_string(),
        E::NoExtensionPending(_) => td_string!(l, case_err.no_extension_pending).to_string(),
        E::FollowUpNotDue(_) => td_string!(l, case_err.follow_up_not_due).to_string(),
        E::BadLocation => td_string!(l, case_err.bad_location).to_string(),
        E::OutsideDistrict => td_string!(l, case_err.outside_district).to_string(),
        E::BadCommandKey => td_string!(l, case_err.bad_command_key).to_string(),
        E::BadPhone => td_string!(l, err.bad_phone).to_string(),
        E::BadArea => td_string!(l, case_err.bad_area).to_string(),
        E::UnknownUnit(_) => td_string!(l, case_err.unknown_unit).to_string(),
        E::TooManyFiles(n) => format!("{}{n}", td_string!(l, case_err.too_many_files)),
        E::FileTooLarge(mb) => format!("{}{mb} MB", td_string!(l, case_err.file_too_large)),
        E::FileType => td_string!(l, case_err.file_type).to_string(),
        E::BadMergeTarget => td_string!(l, case_err.bad_merge_target).to_string(),
        E::BadTrackingCode => td_string!(l, case_err.bad_tracking_code).to_string(),
        E::ConsentRequired => td_string!(l, case_err.consent_required).to_string(),
        E::LooksAutomated => td_string!(l, campaign_err.looks_automated).to_string(),
        E::NoCommand(_) => td_string!(l, case_err.no_command).to_string(),
        E::NothingOverdue => td_string!(l, case_err.nothing_overdue).to_string(),
        E::NothingDue => td_string!(l, case_err.nothing_due).to_string(),
        E::NoUnitHolds => td_string!(l, case_err.no_unit_holds).to_string(),
        E::BadSupervisionDate => td_string!(l, case_err.bad_supervision_date).to_string(),
        E::AlreadyListed => td_string!(l, case_err.already_listed).to_string(),
        E::NotListed => td_string!(l, case_err.not_listed).to_string(),
        E::NoResultYet => td_string!(l, case_err.no_result_yet).to_string(),
        E::SameCommander => td_string!(l, case_err.same_commander).to_string(),
        E::NoUnits => td_string!(l, case_err.no_units).to_string(),
        E::AlreadyInForce(_) => td_string!(l, case_err.already_in_force).to_string(),
        E::BadCommander => td_string!(l, case_err.bad_commander).to_string(),
        E::NotBelow(_) => td_string!(l, case_err.not_below).to_string(),
    }
}

pub fn campaign_error_text(l: Locale, e: &crate::domain::campaign::CampaignError) -> String {
    use crate::domain::campaign::CampaignError as E;
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::Required(f) => format!("{}{}", td_string!(l, case_err.required), suggestion_field_text(l, f)),
        E::TooLong { field, max } => format!("{}{}{max}", suggestion_field_text(l, field), td_string!(l, case_err.too_long)),
        E::NoQuantity => td_string!(l, campaign_err.no_quantity).to_string(),
        E::SeveralItems => td_string!(l, campaign_err.several_items).to_string(),
        E::BadWindow => td_string!(l, campaign_err.bad_window).to_string(),
        E::BadYear => td_string!(l, campaign_err.bad_year).to_string(),
        E::NotOpenYet => td_string!(l, campaign_err.not_open_yet).to_string(),
        E::Closed => td_string!(l, campaign_err.closed).to_string(),
        E::NoCategories => td_string!(l, campaign_err.no_categories).to_string(),
        E::UnknownCategory(c) => format!("{}{c}", td_string!(l, campaign_err.unknown_category)),
        E::WrongStatus { .. } => td_string!(l, case_err.wrong_status).to_string(),
        E::MergeIntoSelf => td_string!(l, case_err.merge_into_self).to_string(),
        E::BadVote => td_string!(l, campaign_err.bad_vote).to_string(),
        E::BadAmount => td_string!(l, campaign_err.bad_amount).to_string(),
        E::ConsentRequired => td_string!(l, case_err.consent_required).to_string(),
        E::PersonLimit(n) => format!("{}{n}", td_string!(l, campaign_err.person_limit)),
        E::BadReceipt => td_string!(l, campaign_err.bad_receipt).to_string(),
        E::LooksAutomated => td_string!(l, campaign_err.looks_automated).to_string(),
        E::UnknownArea => td_string!(l, campaign_err.unknown_area).to_string(),
    }
}

fn suggestion_field_text(l: Locale, field: &crate::domain::campaign::Field) -> String {
    use crate::domain::campaign::Field as F;
    match field {
        F::Name => td_string!(l, suggestion_field.name),
        F::Content => td_string!(l, suggestion_field.content),
        F::Overview => td_string!(l, suggestion_field.overview),
        F::Category => td_string!(l, suggestion_field.category),
        F::Person => td_string!(l, suggestion_field.person),
        F::Phone => td_string!(l, suggestion_field.phone),
        F::Title => td_string!(l, suggestion_field.title),
        F::Period => td_string!(l, suggestion_field.period),
        F::Note => td_string!(l, case_field.note),
        F::Reason => td_string!(l, case_field.reason),
    }
    .to_string()
}

pub fn column_text(l: Locale, c: Column) -> String {
    match c {
        Column::Username => td_string!(l, roster.col_username).to_string(),
        Column::Name => td_string!(l, roster.col_name).to_string(),
        Column::Unit => td_string!(l, roster.col_unit).to_string(),
        Column::Role => td_string!(l, roster.col_role).to_string(),
        Column::Phone => td_string!(l, roster.col_phone).to_string(),
    }
}

pub fn row_problem_text(l: Locale, p: &RowProblem) -> String {
    match p {
        RowProblem::Field { column, error } => format!("{}: {}", column_text(l, *column), org_error_text(l, error)),
        RowProblem::UnknownUnit(u) => format!("{}「{u}」", td_string!(l, roster.unknown_unit)),
        RowProblem::UnknownRole(r) => format!("{}「{r}」", td_string!(l, roster.unknown_role)),
        RowProblem::DuplicateInFile(u) => format!("{}「{u}」", td_string!(l, roster.duplicate_in_file)),
        RowProblem::UsernameTaken(u) => format!("{}「{u}」", td_string!(l, roster.username_taken)),
    }
}

/// An error rendered in the current locale, updating when the locale changes.
#[component]
pub fn ErrorText(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    move || error_text(i18n.get_locale(), &error)
}

/// A refusal shown where the reader is looking, announced to screen readers.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    view! {
        <p class="alert alert-error" role="alert">
            <ErrorText error />
        </p>
    }
}

fn report_error_text(l: Locale, e: &crate::domain::report::ReportError) -> String {
    use crate::domain::report::ReportError as E;
    match e {
        E::UnknownCode(_) | E::BadPeriod(_) => td_string!(l, report_err.bad_period).to_string(),
        E::NotStarted => td_string!(l, report_err.not_started).to_string(),
        E::NotOver => td_string!(l, report_err.not_over).to_string(),
        E::Published => td_string!(l, report_err.published).to_string(),
        E::BadWeights => td_string!(l, report_err.bad_weights).to_string(),
        E::Frozen => td_string!(l, report_err.frozen).to_string(),
        E::CommentTooLong(n) => format!("{}{n}{}", td_string!(l, report_err.comment_too_long), td_string!(l, report_err.characters)),
    }
}

fn risk_error_text(l: Locale, e: &crate::domain::risk::RiskError) -> String {
    use crate::domain::risk::{RiskError as E, Setting};
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::NotAllowed => td_string!(l, risk_err.not_allowed).to_string(),
        E::WrongStatus(s) => format!("{}{}", td_string!(l, risk_err.wrong_status), crate::ui::risk::texts::status_text(l, *s)),
        E::NoteRequired => td_string!(l, risk_err.note_required).to_string(),
        E::ResultRequired => td_string!(l, risk_err.result_required).to_string(),
        E::ReasonRequired => td_string!(l, risk_err.reason_required).to_string(),
        E::TitleRequired => td_string!(l, risk_err.title_required).to_string(),
        E::TooLong(n) => format!("{}{n}{}", td_string!(l, risk_err.too_long), td_string!(l, report_err.characters)),
        E::BadSetting(s) => {
            let field = match s {
                Setting::ClusterCases => td_string!(l, risk_admin.cluster_cases),
                Setting::ClusterRadius => td_string!(l, risk_admin.cluster_radius),
                Setting::ClusterHours => td_string!(l, risk_admin.cluster_hours),
                Setting::RepeatCases => td_string!(l, risk_admin.repeat_cases),
                Setting::RepeatDays => td_string!(l, risk_admin.repeat_days),
                Setting::MassWords => td_string!(l, risk_admin.mass_words),
                Setting::MassPeople => td_string!(l, risk_admin.mass_people),
            };
            format!("{}{field}", td_string!(l, risk_err.bad_setting))
        }
        E::NoSuchCase(c) => format!("{}{c}", td_string!(l, risk_err.no_such_case)),
        E::BadPeriod => td_string!(l, risk_err.bad_period).to_string(),
    }
}

fn mediation_error_text(l: Locale, e: &crate::domain::mediation::MediationError) -> String {
    use crate::domain::mediation::MediationError as E;
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::NotADispute => td_string!(l, mediation_err.not_a_dispute).to_string(),
        E::Closed => td_string!(l, mediation_err.closed).to_string(),
        E::NotStarted => td_string!(l, mediation_err.not_started).to_string(),
        E::PartiesRequired => td_string!(l, mediation_err.parties_required).to_string(),
        E::MediatorRequired => td_string!(l, mediation_err.mediator_required).to_string(),
        E::PlaceRequired => td_string!(l, mediation_err.place_required).to_string(),
        E::MinutesRequired => td_string!(l, mediation_err.minutes_required).to_string(),
        E::AgreementRequired => td_string!(l, mediation_err.agreement_required).to_string(),
        E::PhotoRequired => td_string!(l, mediation_err.photo_required).to_string(),
        E::LastSessionDisagrees => td_string!(l, mediation_err.last_session_disagrees).to_string(),
        E::BadDate => td_string!(l, mediation_err.bad_date).to_string(),
        E::TooLong(n) => format!("{}{n}{}", td_string!(l, risk_err.too_long), td_string!(l, report_err.characters)),
    }
}

pub fn duty_error_text(l: Locale, e: &crate::domain::duty::DutyError) -> String {
    use crate::domain::duty::DutyError as E;
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::BadTimes => td_string!(l, duty_err.bad_times).to_string(),
        E::Overlap => td_string!(l, duty_err.overlap).to_string(),
        E::NoRoster => td_string!(l, duty_err.no_roster).to_string(),
        E::NotInUnit => td_string!(l, duty_err.not_in_unit).to_string(),
        E::NotYours => td_string!(l, duty_err.not_yours).to_string(),
        E::TooEarly => td_string!(l, duty_err.too_early).to_string(),
        E::Ended => td_string!(l, duty_err.ended).to_string(),
        E::AlreadyCheckedIn => td_string!(l, duty_err.already_checked_in).to_string(),
        E::NotCheckedIn => td_string!(l, duty_err.not_checked_in).to_string(),
        E::AlreadyHandedOver => td_string!(l, duty_err.already_handed_over).to_string(),
        E::TextRequired => td_string!(l, duty_err.text_required).to_string(),
        E::TooLong(n) => format!("{}{n}{}", td_string!(l, risk_err.too_long), td_string!(l, report_err.characters)),
        E::Started => td_string!(l, duty_err.started).to_string(),
        E::Decided => td_string!(l, duty_err.decided).to_string(),
        E::SamePerson => td_string!(l, duty_err.same_person).to_string(),
        E::SwapWaiting => td_string!(l, duty_err.swap_waiting).to_string(),
        E::BadPlace => td_string!(l, duty_err.bad_place).to_string(),
        E::BadMonth => td_string!(l, duty_err.bad_month).to_string(),
    }
}

pub fn emergency_error_text(l: Locale, e: &crate::domain::emergency::EmergencyError) -> String {
    use crate::domain::emergency::EmergencyError as E;
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::NotEmergency => td_string!(l, emergency_err.not_emergency).to_string(),
        E::NotYourUnit => td_string!(l, emergency_err.not_your_unit).to_string(),
        E::StageOrder => td_string!(l, emergency_err.stage_order).to_string(),
        E::Closed => td_string!(l, emergency_err.closed).to_string(),
        E::TextRequired => td_string!(l, emergency_err.text_required).to_string(),
        E::TooLong(n) => format!("{}{n}{}", td_string!(l, risk_err.too_long), td_string!(l, report_err.characters)),
        E::BadFigure => td_string!(l, emergency_err.bad_figure).to_string(),
        E::BadTime => td_string!(l, emergency_err.bad_time).to_string(),
        E::BadDeadlines => td_string!(l, emergency_err.bad_deadlines).to_string(),
        E::NoUnit => td_string!(l, emergency_err.no_unit).to_string(),
        E::AlreadyChecked => td_string!(l, emergency_err.already_checked).to_string(),
    }
}

pub fn hazard_error_text(l: Locale, e: &crate::domain::hazard::HazardError) -> String {
    use crate::domain::hazard::HazardError as E;
    match e {
        E::UnknownCode(c) => format!("{}{c}", td_string!(l, err.unknown_code)),
        E::Required(field) => match field.as_str() {
            "title" => td_string!(l, hazard_err.title_required).to_string(),
            "place" => td_string!(l, hazard_err.place_required).to_string(),
            "measures" => td_string!(l, hazard_err.measures_required).to_string(),
            _ => td_string!(l, hazard_err.text_required).to_string(),
        },
        E::TooLong(n) => format!("{}{n}{}", td_string!(l, risk_err.too_long), td_string!(l, report_err.characters)),
        E::BadDeadline => td_string!(l, hazard_err.bad_deadline).to_string(),
        E::BadInspectors => td_string!(l, hazard_err.bad_inspectors).to_string(),
        E::BadUnit => td_string!(l, hazard_err.bad_unit).to_string(),
        E::NotYourStep => td_string!(l, hazard_err.not_your_step).to_string(),
        E::WrongState => td_string!(l, hazard_err.wrong_state).to_string(),
        E::PhotosRequired => td_string!(l, hazard_err.photos_required).to_string(),
        E::UnknownCase => td_string!(l, hazard_err.unknown_case).to_string(),
    }
}
