//! The risk warnings' words: each rule, level and status, and a warning's title as shown.
use crate::domain::risk::{Level, Rule, Status, Warning};
use crate::i18n::*;

pub fn rule_text(l: Locale, r: Rule) -> &'static str {
    match r {
        Rule::Cluster => td_string!(l, risk.rule_cluster),
        Rule::Repeat => td_string!(l, risk.rule_repeat),
        Rule::Mass => td_string!(l, risk.rule_mass),
        Rule::EmergencyOverdue => td_string!(l, risk.rule_emergency_overdue),
        Rule::Unsigned => td_string!(l, risk.rule_unsigned),
        Rule::HiddenReport => td_string!(l, risk.rule_hidden_report),
        Rule::Manual => td_string!(l, risk.rule_manual),
    }
}

pub fn level_text(l: Locale, v: Level) -> &'static str {
    match v {
        Level::Red => td_string!(l, risk.level_red),
        Level::Orange => td_string!(l, risk.level_orange),
        Level::Yellow => td_string!(l, risk.level_yellow),
        Level::Blue => td_string!(l, risk.level_blue),
    }
}

pub fn status_text(l: Locale, s: Status) -> &'static str {
    match s {
        Status::Raised => td_string!(l, risk.status_raised),
        Status::Assessed => td_string!(l, risk.status_assessed),
        Status::Handled => td_string!(l, risk.status_handled),
        Status::Closed => td_string!(l, risk.status_closed),
        Status::Dismissed => td_string!(l, risk.status_dismissed),
    }
}

pub fn level_class(v: Option<Level>) -> &'static str {
    match v {
        Some(Level::Red) => "badge risk-red",
        Some(Level::Orange) => "badge risk-orange",
        Some(Level::Yellow) => "badge risk-yellow",
        Some(Level::Blue) => "badge risk-blue",
        None => "badge badge-grey",
    }
}

/// "聚集性苗头：噪音扰民" — the rule, then what it saw (a repeat says by phone or place).
pub fn title_text(l: Locale, w: &Warning) -> String {
    let detail = match (w.rule, w.title.as_str()) {
        (Rule::Repeat, "phone") => td_string!(l, risk.repeat_phone).to_string(),
        (Rule::Repeat, "place") => td_string!(l, risk.repeat_place).to_string(),
        (Rule::Manual, t) => return t.to_string(),
        (_, t) => t.to_string(),
    };
    format!("{}：{detail}", rule_text(l, w.rule))
}
