//! The evaluation's words: each dimension's name and formula, and a score as shown.
use crate::domain::evaluation::Dimension;
use crate::domain::period::{Period, PeriodKind};
use crate::i18n::*;

pub fn dimension_name(l: Locale, d: Dimension) -> &'static str {
    match d {
        Dimension::AckOnTime => td_string!(l, evaluation.dim_ack_on_time),
        Dimension::ResolvedOnTime => td_string!(l, evaluation.dim_resolved_on_time),
        Dimension::Satisfaction => td_string!(l, evaluation.dim_satisfaction),
        Dimension::FirstTime => td_string!(l, evaluation.dim_first_time),
        Dimension::Cooperation => td_string!(l, evaluation.dim_cooperation),
        Dimension::Rework => td_string!(l, evaluation.dim_rework),
    }
}

pub fn dimension_formula(l: Locale, d: Dimension) -> &'static str {
    match d {
        Dimension::AckOnTime => td_string!(l, evaluation.formula_ack_on_time),
        Dimension::ResolvedOnTime => td_string!(l, evaluation.formula_resolved_on_time),
        Dimension::Satisfaction => td_string!(l, evaluation.formula_satisfaction),
        Dimension::FirstTime => td_string!(l, evaluation.formula_first_time),
        Dimension::Cooperation => td_string!(l, evaluation.formula_cooperation),
        Dimension::Rework => td_string!(l, evaluation.formula_rework),
    }
}

/// Two decimals, or a dash where there was nothing to count.
pub fn score_text(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{x:.2}"))
}

/// "月度 2026-11", "季度 2026-Q4", "年度 2026" (a bulletin's own label says 周报 / 月报).
pub fn period_text(l: Locale, p: Period) -> String {
    let ((y, m, d), _) = p.first_and_last_day();
    match p.kind {
        PeriodKind::Month => format!("{} {y}-{m:02}", td_string!(l, evaluation.kind_month)),
        PeriodKind::Quarter => format!("{} {y}-Q{}", td_string!(l, evaluation.kind_quarter), (m - 1) / 3 + 1),
        PeriodKind::Year => format!("{} {y}", td_string!(l, evaluation.kind_year)),
        PeriodKind::Week => format!("{y}-{m:02}-{d:02}"),
    }
}
