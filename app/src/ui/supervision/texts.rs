//! Supervision words shared by the list, the case card and the export.
use crate::domain::case::SupervisionStage;
use crate::i18n::*;

pub fn stage_text(l: Locale, s: SupervisionStage) -> &'static str {
    match s {
        SupervisionStage::Reminded => td_string!(l, supervision.stage_reminded),
        SupervisionStage::Tracking => td_string!(l, supervision.stage_tracking),
        SupervisionStage::Proposed => td_string!(l, supervision.stage_proposed),
        SupervisionStage::Listed => td_string!(l, supervision.stage_listed),
        SupervisionStage::TickedOff => td_string!(l, supervision.stage_ticked_off),
    }
}

/// The badge class of a rung: listed and proposed stand out, ticked off is done.
pub fn stage_class(s: SupervisionStage) -> &'static str {
    match s {
        SupervisionStage::Listed => "badge badge-red",
        SupervisionStage::Proposed | SupervisionStage::Tracking => "badge badge-amber",
        SupervisionStage::Reminded => "badge badge-blue",
        SupervisionStage::TickedOff => "badge badge-green",
    }
}
