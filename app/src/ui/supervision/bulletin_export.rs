//! A bulletin as an Excel workbook (`/center/supervision/bulletins/:id/export.xlsx`): the
//! units' ranking on one sheet, the listed cases on another, the units' emergency reporting on
//! a third, every cell as text.
use super::bulletin::state_text;
use super::bulletins::period_label;
use crate::domain::bulletin::Bulletin;
use crate::i18n::*;
use crate::ui::cases::export::XlsxBook;
use crate::ui::cases::texts::status_text;
use crate::ui::components::format_instant;

pub fn xlsx(b: &Bulletin, l: Locale) -> Result<XlsxBook, crate::error::AppError> {
    let s = |v: &str| v.to_string();
    let mut units = vec![
        vec![period_label(l, b.period), b.published_ms.map(format_instant).unwrap_or_else(|| s(td_string!(l, bulletin.draft_status)))],
        vec![
            s(td_string!(l, bulletin.rank)),
            s(td_string!(l, bulletin.unit)),
            s(td_string!(l, bulletin.overdue)),
            s(td_string!(l, bulletin.returned)),
            s(td_string!(l, bulletin.listed)),
        ],
    ];
    units.extend(
        b.figures
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| vec![(i + 1).to_string(), u.unit.clone(), u.overdue.to_string(), u.returned.to_string(), u.listed.to_string()]),
    );
    let mut listed = vec![vec![
        s(td_string!(l, cases.code)),
        s(td_string!(l, case_field.title)),
        s(td_string!(l, bulletin.unit)),
        s(td_string!(l, bulletin.leader)),
        s(td_string!(l, bulletin.listed_at)),
        s(td_string!(l, bulletin.deadline)),
        s(td_string!(l, bulletin.state)),
        s(td_string!(l, supervision.status)),
    ]];
    listed.extend(b.figures.listed_cases.iter().map(|c| {
        vec![
            c.code.clone(),
            c.title.clone(),
            c.unit.clone().unwrap_or_default(),
            c.leader.clone().unwrap_or_default(),
            format_instant(c.listed_ms),
            format_instant(c.deadline_ms),
            s(state_text(l, c.state)),
            s(status_text(l, c.status)),
        ]
    }));
    XlsxBook::of_sheets(vec![
        (Some(td_string!(l, bulletin.units_sheet)), units),
        (Some(td_string!(l, bulletin.listed_sheet)), listed),
        (Some(td_string!(l, emergency.bulletin_heading)), crate::ui::emergency::tallies::sheet_rows(&b.figures.emergencies, l)),
    ])
}
