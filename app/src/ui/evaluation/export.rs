//! The ranking as an Excel workbook (`/center/evaluation/export.xlsx?period=…`): one row per
//! unit with its total and each dimension's score, numerator and denominator; the units'
//! emergency reporting over the period on a second sheet.
use super::texts::{dimension_name, period_text, score_text};
use crate::domain::evaluation::{Dimension, EvaluationPage};
use crate::i18n::*;
use crate::ui::cases::export::XlsxBook;

pub fn xlsx(page: &EvaluationPage, l: Locale) -> Result<XlsxBook, crate::error::AppError> {
    let e = &page.evaluation;
    let mut rows = vec![vec![
        period_text(l, e.period),
        if e.frozen_ms.is_some() { td_string!(l, evaluation.frozen).into() } else { td_string!(l, evaluation.live).into() },
    ]];
    let mut head = vec![td_string!(l, evaluation.rank).to_string(), td_string!(l, evaluation.unit).into(), td_string!(l, evaluation.total).into()];
    for d in Dimension::ALL {
        let name = dimension_name(l, *d);
        head.extend([
            format!("{name} ({})", e.weights.of(*d)),
            format!("{name} {}", td_string!(l, evaluation.numerator)),
            format!("{name} {}", td_string!(l, evaluation.denominator)),
        ]);
    }
    rows.push(head);
    for (rank, u) in &e.ranking {
        let mut row = vec![rank.to_string(), u.unit.clone(), score_text(u.total)];
        for d in Dimension::ALL {
            let s = u.dimension(*d);
            row.extend([score_text(s.and_then(|s| s.score)), s.map_or(0, |s| s.numerator).to_string(), s.map_or(0, |s| s.denominator).to_string()]);
        }
        rows.push(row);
    }
    XlsxBook::of_sheets(vec![
        (Some(td_string!(l, evaluation.title)), rows),
        (Some(td_string!(l, evaluation.emergencies)), crate::ui::emergency::tallies::sheet_rows(&page.emergencies, l)),
    ])
}
