//! The month's roster as an Excel workbook (`/center/duty/export.xlsx?month=…`): the import's
//! columns first, so a planner can edit the file and import it again, then the holder's name,
//! the check-in time and the handover note.
use crate::domain::duty::COLUMNS;
use crate::i18n::*;
use crate::ui::cases::export::XlsxBook;

pub fn xlsx(rows: Vec<[String; 9]>, l: Locale) -> Result<XlsxBook, crate::error::AppError> {
    let mut head: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    head.extend([td_string!(l, duty.person).to_string(), td_string!(l, duty.checked_in).into(), td_string!(l, duty.handover).into()]);
    let mut out = vec![head];
    out.extend(rows.into_iter().map(Vec::from));
    XlsxBook::of_sheets(vec![(None, out)])
}
