//! A call exported to Excel for the government's meetings: every suggestion with its
//! review (answer, cost, vote, progress), and the statistics by category and by area.
//! Served by the axum route `/center/campaigns/{id}/export.xlsx` to center staff.
use super::texts::{status_text, verdict_text, wan};
use crate::domain::campaign::StatLine;
use crate::error::AppError;
use crate::i18n::*;
use crate::service::Db;
use crate::service::campaigns as svc;
use crate::ui::components::format_instant;

fn stat_header(l: Locale, first: &str) -> Vec<String> {
    [
        first,
        td_string!(l, campaigns.total),
        td_string!(l, campaigns.waiting),
        td_string!(l, suggestion_status.accepted),
        td_string!(l, suggestion_status.rejected),
        td_string!(l, suggestion_status.adopted),
        td_string!(l, campaigns.removed),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn stat_row(l: &StatLine, label: String) -> Vec<String> {
    vec![label, l.total.to_string(), l.waiting.to_string(), l.accepted.to_string(), l.rejected.to_string(), l.adopted.to_string(), l.removed.to_string()]
}

/// The workbook's bytes, and a file name for it.
/// The authors' contacts are in it: `export_list` records the download first.
pub async fn xlsx(db: &Db, who: &crate::service::AuditActor, campaign_id: i64, l: Locale) -> Result<(String, Vec<u8>), AppError> {
    use rust_xlsxwriter::Workbook;
    let campaign = svc::campaign(db, campaign_id).await?;
    let rows = svc::export_list(db, who, campaign_id).await?;
    let states = svc::states(db, campaign_id).await?;
    let stats = svc::stats(db, campaign_id).await?;
    let units = crate::service::org::units(db).await?;
    let mut book = Workbook::new();
    let mut failed = false;
    {
        let sheet = book.add_worksheet();
        failed |= sheet.set_name(td_string!(l, campaigns.sheet_suggestions)).is_err();
        let header: Vec<&str> = vec![
            td_string!(l, cases.code),
            td_string!(l, suggestion_field.name),
            td_string!(l, suggestion_field.content),
            td_string!(l, suggestion_field.overview),
            td_string!(l, suggestion_field.category),
            td_string!(l, suggest.area),
            td_string!(l, report.name),
            td_string!(l, report.phone),
            td_string!(l, common.status),
            td_string!(l, suggest.supports),
            td_string!(l, case.received_at),
            td_string!(l, suggest.unit),
            td_string!(l, review.verdict),
            td_string!(l, case_field.reason),
            td_string!(l, review.cost_wan),
            td_string!(l, review.period),
            td_string!(l, review.yes),
            td_string!(l, review.no),
            td_string!(l, review.abstain),
            td_string!(l, review.percent),
        ];
        for (c, v) in header.iter().enumerate() {
            failed |= sheet.write_string(0, c as u16, *v).is_err();
        }
        for (i, r) in rows.iter().enumerate() {
            let s = states.iter().find(|s| s.id == r.id);
            let a = s.and_then(|s| s.answer.clone());
            let v = s.and_then(|s| s.vote);
            let unit = s.and_then(|s| s.unit).and_then(|u| units.iter().find(|x| x.id == u)).map(|u| u.name.clone());
            let cells = [
                r.code.clone(),
                r.name.clone(),
                r.content.clone(),
                r.overview.clone(),
                r.category.clone(),
                r.area_name.clone().unwrap_or_default(),
                r.person.clone().unwrap_or_default(),
                r.phone.clone().unwrap_or_default(),
                status_text(l, r.status).to_string(),
                r.supports.to_string(),
                format_instant(r.created_ms),
                unit.unwrap_or_default(),
                a.as_ref().map(|a| verdict_text(l, a.verdict).to_string()).unwrap_or_default(),
                a.as_ref().map(|a| a.reason.clone()).unwrap_or_default(),
                a.as_ref().and_then(|a| a.cost_yuan).map(wan).unwrap_or_default(),
                a.as_ref().and_then(|a| a.period.clone()).unwrap_or_default(),
                v.map(|v| v.yes.to_string()).unwrap_or_default(),
                v.map(|v| v.no.to_string()).unwrap_or_default(),
                v.map(|v| v.abstain.to_string()).unwrap_or_default(),
                s.map(|s| s.progress.to_string()).unwrap_or_default(),
            ];
            for (c, v) in cells.iter().enumerate() {
                failed |= sheet.write_string(i as u32 + 1, c as u16, v).is_err();
            }
        }
    }
    let whole = td_string!(l, suggest.area_whole).to_string();
    let sum = td_string!(l, campaigns.sum).to_string();
    for (name, first, lines) in [
        (td_string!(l, campaigns.sheet_by_category), td_string!(l, suggestion_field.category), &stats.by_category),
        (td_string!(l, campaigns.sheet_by_area), td_string!(l, suggest.area), &stats.by_area),
    ] {
        let sheet = book.add_worksheet();
        failed |= sheet.set_name(name).is_err();
        let mut all = vec![stat_header(l, first)];
        all.extend(lines.iter().map(|x| stat_row(x, if x.label.is_empty() { whole.clone() } else { x.label.clone() })));
        all.push(stat_row(&stats.total, sum.clone()));
        for (i, cells) in all.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                failed |= sheet.write_string(i as u32, c as u16, v).is_err();
            }
        }
    }
    if failed {
        return Err(AppError::Internal);
    }
    let bytes = book.save_to_buffer().map_err(|_| AppError::Internal)?;
    Ok((format!("campaign-{}-{}.xlsx", campaign.year, campaign.id), bytes))
}
