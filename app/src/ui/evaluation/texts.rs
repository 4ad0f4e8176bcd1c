//! The evaluation's words: each dimension's name and formula, and a score as shown.
use crate::domain::evaluation::Dimension;
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
