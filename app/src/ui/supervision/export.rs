//! The supervision list as an Excel workbook (served by `/center/supervision/export.xlsx`
//! with the list page's own query string), every cell written as text.
use super::texts::stage_text;
use crate::domain::supervision::SupervisionRow;
use crate::i18n::*;
use crate::ui::cases::export::XlsxBook;
use crate::ui::cases::texts::status_text;
use crate::ui::components::format_instant;

fn header(l: Locale) -> Vec<String> {
    [
        td_string!(l, cases.code),
        td_string!(l, case_field.title),
        td_string!(l, supervision.unit),
        td_string!(l, supervision.stage),
        td_string!(l, supervision.held_to),
        td_string!(l, supervision.leader),
        td_string!(l, supervision.reminders),
        td_string!(l, supervision.ticked_off_at),
        td_string!(l, supervision.status),
        td_string!(l, supervision.case_deadline),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn row(l: Locale, r: &SupervisionRow) -> Vec<String> {
    let at = |t: Option<i64>| t.map(format_instant).unwrap_or_default();
    vec![
        r.code.clone(),
        r.title.clone(),
        r.lead_unit.clone().unwrap_or_default(),
        stage_text(l, r.stage).into(),
        at(r.due_ms()),
        r.leader.clone().unwrap_or_default(),
        r.reminders.to_string(),
        at(r.ticked_off_ms),
        status_text(l, r.status).into(),
        format_instant(r.deadline_ms),
    ]
}

pub fn xlsx(rows: &[SupervisionRow], l: Locale) -> Result<XlsxBook, crate::error::AppError> {
    XlsxBook::of_sheets(vec![(None, std::iter::once(header(l)).chain(rows.iter().map(|x| row(l, x))).collect())])
}
