//! The words of the hazard register: domains, sources, levels, states, supervision, steps.
use crate::domain::hazard::{HazardDomain, HazardLevel, HazardStatus, Source, StepKind, Watch};
use crate::i18n::*;

pub fn domain_text(l: Locale, d: HazardDomain) -> String {
    match d {
        HazardDomain::RoadTraffic => td_string!(l, hazard.domain_road_traffic),
        HazardDomain::MinesChemicals => td_string!(l, hazard.domain_mines_chemicals),
        HazardDomain::Fire => td_string!(l, hazard.domain_fire),
        HazardDomain::Industry => td_string!(l, hazard.domain_industry),
        HazardDomain::Construction => td_string!(l, hazard.domain_construction),
        HazardDomain::CityOperation => td_string!(l, hazard.domain_city_operation),
        HazardDomain::TourismAgriculture => td_string!(l, hazard.domain_tourism_agriculture),
        HazardDomain::ForestFire => td_string!(l, hazard.domain_forest_fire),
    }
    .to_string()
}

pub fn source_text(l: Locale, s: Source) -> String {
    match s {
        Source::Inspection => td_string!(l, hazard.source_inspection),
        Source::Unannounced => td_string!(l, hazard.source_unannounced),
        Source::Report => td_string!(l, hazard.source_report),
        Source::Case => td_string!(l, hazard.source_case),
    }
    .to_string()
}

pub fn level_text(l: Locale, v: HazardLevel) -> String {
    match v {
        HazardLevel::General => td_string!(l, hazard.level_general),
        HazardLevel::Major => td_string!(l, hazard.level_major),
    }
    .to_string()
}

pub fn status_text(l: Locale, s: HazardStatus) -> String {
    match s {
        HazardStatus::Found => td_string!(l, hazard.status_found),
        HazardStatus::Rectifying => td_string!(l, hazard.status_rectifying),
        HazardStatus::Checked => td_string!(l, hazard.status_checked),
        HazardStatus::TickedOff => td_string!(l, hazard.status_ticked_off),
    }
    .to_string()
}

pub fn watch_text(l: Locale, w: Watch) -> String {
    match w {
        Watch::Tracking => td_string!(l, hazard.watch_tracking),
        Watch::Listed => td_string!(l, hazard.watch_listed),
    }
    .to_string()
}

pub fn step_text(l: Locale, s: StepKind) -> String {
    match s {
        StepKind::Found => td_string!(l, hazard.step_found),
        StepKind::Rectify => td_string!(l, hazard.step_rectify),
        StepKind::Progress => td_string!(l, hazard.step_progress),
        StepKind::CheckPassed => td_string!(l, hazard.step_check_passed),
        StepKind::CheckFailed => td_string!(l, hazard.step_check_failed),
        StepKind::TickOff => td_string!(l, hazard.step_tick_off),
        StepKind::Watch => td_string!(l, hazard.step_watch),
        StepKind::Overdue => td_string!(l, hazard.step_overdue),
    }
    .to_string()
}

/// The badge class of a state.
pub fn status_class(s: HazardStatus) -> &'static str {
    match s {
        HazardStatus::Found => "badge badge-amber",
        HazardStatus::Rectifying => "badge badge-blue",
        HazardStatus::Checked => "badge badge-outline",
        HazardStatus::TickedOff => "badge badge-green",
    }
}
