//! The filtered register as an Excel workbook (`/center/hazards/export.xlsx?…`, the list
//! page's query string): one row per hazard with its inspecting units, the overdue marked.
use super::texts::{domain_text, level_text, source_text, status_text, watch_text};
use crate::domain::hazard::HazardRow;
use crate::i18n::*;
use crate::ui::cases::export::XlsxBook;
use crate::ui::components::format_instant;

pub fn xlsx(rows: Vec<(HazardRow, Vec<String>)>, now: i64, l: Locale) -> Result<XlsxBook, crate::error::AppError> {
    let head: Vec<String> = [
        td_string!(l, hazard.number),
        td_string!(l, hazard.name),
        td_string!(l, hazard.domain),
        td_string!(l, hazard.level),
        td_string!(l, hazard.source),
        td_string!(l, hazard.status),
        td_string!(l, hazard.watch),
        td_string!(l, hazard.township),
        td_string!(l, hazard.place),
        td_string!(l, hazard.unit),
        td_string!(l, hazard.enterprise),
        td_string!(l, hazard.measures),
        td_string!(l, hazard.deadline),
        td_string!(l, hazard.overdue),
        td_string!(l, hazard.inspectors),
        td_string!(l, hazard.found_at),
        td_string!(l, hazard.ticked_off_at),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut out = vec![head];
    for (r, inspectors) in rows {
        let h = &r.hazard;
        out.push(vec![
            h.id.to_string(),
            h.facts.title.clone(),
            domain_text(l, h.facts.domain),
            level_text(l, h.facts.level),
            source_text(l, h.facts.source),
            status_text(l, h.status),
            h.watch.map(|w| watch_text(l, w)).unwrap_or_default(),
            r.township.clone(),
            h.facts.place.clone(),
            r.unit.clone(),
            h.facts.enterprise.clone(),
            h.facts.measures.clone(),
            format_instant(h.facts.deadline_ms)[..10].to_string(),
            if h.is_overdue(now) { td_string!(l, hazard.yes).to_string() } else { String::new() },
            inspectors.join("、"),
            format_instant(h.found_ms)[..16].to_string(),
            h.ticked_off_ms.map(|t| format_instant(t)[..16].to_string()).unwrap_or_default(),
        ]);
    }
    XlsxBook::of_sheets(vec![(None, out)])
}
