//! Export of the filtered case list (the same query string as the list page) to CSV and
//! to Excel, both read batch by batch so memory stays flat however long the list is.
//! Served by the axum routes `/center/cases/export.csv` and `/center/cases/export.xlsx`.
use super::texts::{channel_text, kind_text, status_text, urgency_text};
use crate::domain::case::{Actor, CaseFilter, CaseSummary, Cursor};
use crate::i18n::*;
use crate::service::Db;
use crate::ui::components::format_instant;

/// Rows fetched per query while exporting: big enough to be quick, small enough that
/// memory stays flat however long the list is.
pub const BATCH: usize = 1000;

fn header(l: Locale) -> Vec<String> {
    [
        td_string!(l, cases.code),
        td_string!(l, case_field.title),
        td_string!(l, case.kind),
        td_string!(l, case.category),
        td_string!(l, case.channel),
        td_string!(l, case.urgency),
        td_string!(l, common.status),
        td_string!(l, case.place),
        td_string!(l, case.lead_unit),
        td_string!(l, case.received_at),
        td_string!(l, case.deadline),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn row(l: Locale, c: &CaseSummary) -> Vec<String> {
    vec![
        c.code.clone(),
        c.title.clone(),
        kind_text(l, c.kind).into(),
        c.category_name.clone(),
        channel_text(l, c.channel).into(),
        urgency_text(l, c.urgency).into(),
        status_text(l, c.status).into(),
        c.area_name.clone().unwrap_or_default(),
        c.lead_unit.clone().unwrap_or_default(),
        format_instant(c.received_ms),
        format_instant(c.deadline_ms),
    ]
}

pub fn locale(english: bool) -> Locale {
    if english { Locale::en } else { Locale::zh }
}

/// Walks the filtered list in batches, handing each batch to `sink`.
pub async fn walk(db: &Db, by: &Actor, filter: &CaseFilter, mut sink: impl FnMut(&[CaseSummary]) -> bool) -> Result<(), crate::error::AppError> {
    let mut after: Option<Cursor> = None;
    loop {
        let page = crate::service::cases::list_batch(db, by, filter, after, BATCH).await?;
        if !sink(&page.rows) {
            return Ok(());
        }
        match page.next {
            Some(n) => after = Some(n),
            None => return Ok(()),
        }
    }
}

/// A cell as text a spreadsheet will not run. Excel, WPS and LibreOffice read a CSV cell
/// starting with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula,
/// so a resident's title `=HYPERLINK(…)` would become a live link on the desk's machine;
/// a leading apostrophe makes it text, as OWASP advises. (The Excel export writes every
/// cell as a string already.)
pub fn inert(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell }
}

/// CSV text for one batch (with the header and a byte-order mark first, so Excel opens
/// Chinese text correctly).
pub fn csv_chunk(l: Locale, rows: &[CaseSummary], first: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if first {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut w = csv::Writer::from_writer(&mut out);
        if first {
            let _ = w.write_record(header(l));
        }
        for c in rows {
            let _ = w.write_record(row(l, c).into_iter().map(inert));
        }
        let _ = w.flush();
    }
    out
}

/// The filtered list as an Excel workbook, in constant memory: each batch's rows go to the
/// writer's temporary file as they are read (strings inline, no shared-string table), and
/// `XlsxBook::write_to` streams the zipped file out at the end.
pub async fn xlsx(db: &Db, by: &Actor, filter: &CaseFilter, l: Locale) -> Result<XlsxBook, crate::error::AppError> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(|_| crate::error::AppError::Internal)?;
    let mut r: u32 = 0;
    let mut failed = false;
    let mut write = |cells: Vec<String>| {
        for (c, v) in cells.into_iter().enumerate() {
            failed |= sheet.write_string(r, c as u16, v).is_err();
        }
        r += 1;
    };
    write(header(l));
    walk(db, by, filter, |rows| {
        rows.iter().for_each(|c| write(row(l, c)));
        true
    })
    .await?;
    if failed {
        return Err(crate::error::AppError::Internal);
    }
    Ok(XlsxBook(book))
}

/// A workbook whose rows are written; `write_to` zips it into any writer (blocking work:
/// run it off the async threads).
pub struct XlsxBook(rust_xlsxwriter::Workbook);

impl From<rust_xlsxwriter::Workbook> for XlsxBook {
    fn from(book: rust_xlsxwriter::Workbook) -> Self {
        XlsxBook(book)
    }
}

impl XlsxBook {
    /// A workbook of named sheets, every cell written as inert text; an unnamed sheet keeps
    /// the default name.
    pub fn of_sheets(sheets: Vec<(Option<&str>, Vec<Vec<String>>)>) -> Result<XlsxBook, crate::error::AppError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let mut ok = true;
        for (name, rows) in sheets {
            let sheet = book.add_worksheet();
            if let Some(n) = name {
                ok &= sheet.set_name(n).is_ok();
            }
            for (r, cells) in rows.into_iter().enumerate() {
                for (c, v) in cells.into_iter().enumerate() {
                    ok &= sheet.write_string(r as u32, c as u16, inert(v)).is_ok();
                }
            }
        }
        if !ok {
            return Err(crate::error::AppError::Internal);
        }
        Ok(XlsxBook(book))
    }

    pub fn write_to(mut self, out: impl std::io::Write + Send) -> Result<(), crate::error::AppError> {
        self.0.save_to_writer(out).map_err(|_| crate::error::AppError::Internal)
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn cells_that_would_run_as_formulas_become_text() {
        for cell in ["=HYPERLINK(\"http://evil.example\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(inert(cell.to_string()), format!("'{cell}"));
        }
        for cell in ["夜间施工噪音", "ABC123", "", "1-2"] {
            assert_eq!(inert(cell.to_string()), cell);
        }
    }
}
