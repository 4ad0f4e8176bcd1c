//! Roster import from CSV or Excel: good rows go in together, bad rows are reported.
use super::{AuditActor, password};
use crate::domain::audit::AuditEvent;
use crate::domain::roster::{ImportReport, ImportedStaff, check_roster};
use crate::error::AppError;
use crate::store::{Db, audit, org as store_org, users};
use std::collections::{HashMap, HashSet};

pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Reads the first sheet of an .xlsx file, or a UTF-8 CSV (with or without BOM).
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::BadFile("too_large".into()));
    }
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") { read_xlsx(bytes) } else { read_csv(bytes) }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| AppError::BadFile("not_utf8".into()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.records().map(|r| r.map(|rec| rec.iter().map(str::to_string).collect()).map_err(|_| AppError::BadFile("csv".into()))).collect()
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| AppError::BadFile("xlsx".into()))?;
    let range = book.worksheet_range_at(0).ok_or(AppError::BadFile("xlsx".into()))?.map_err(|_| AppError::BadFile("xlsx".into()))?;
    Ok(range.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect())
}

pub async fn import_roster(db: &Db, actor: &AuditActor, file_name: &str, bytes: &[u8]) -> Result<ImportReport, AppError> {
    let table = read_table(file_name, bytes)?;
    // Check and hash before taking the write lock: hashing is the slow part.
    let mut conn = db.read().await?;
    let units: HashMap<String, i64> = store_org::active_unit_ids_by_name(&mut conn).await?.into_iter().collect();
    let taken: HashSet<String> = users::all_usernames(&mut conn).await?.into_iter().collect();
    drop(conn);
    let (good, errors) = check_roster(&table, |n| units.get(n).copied(), |u| taken.contains(u)).map_err(AppError::Roster)?;
    let mut hashed = Vec::with_capacity(good.len());
    for row in good {
        let pw = password::generate();
        let hash = password::hash(pw.clone()).await;
        hashed.push((row, pw, hash));
    }
    let mut tx = db.begin_write().await?;
    let mut imported = Vec::with_capacity(hashed.len());
    for (row, pw, hash) in hashed {
        let fields = users::StaffFields {
            username: &row.username,
            display_name: &row.display_name,
            role: row.role,
            unit_id: Some(row.unit_id),
            phone: row.phone.as_deref(),
        };
        // The importing admin hands the one-time passwords out: each owner chooses their own.
        users::insert_user(&mut tx, &fields, &hash, true).await?;
        imported.push(ImportedStaff { username: row.username, display_name: row.display_name, password: pw });
    }
    let event = AuditEvent::RosterImported { imported: imported.len(), refused: errors.len() };
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &event).await?;
    tx.commit().await?;
    Ok(ImportReport { imported, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excel_roster_reads_like_its_csv_even_with_numeric_phones() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["用户名", "姓名", "单位", "角色", "手机"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["lh.wang", "王明", "莲花镇人民政府", "单位人员"].iter().enumerate() {
            sheet.write_string(1, c as u16, *v).unwrap();
        }
        // Spreadsheets store a typed-in phone number as a number.
        sheet.write_number(1, 4, 13800001111.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let table = read_table("名册.xlsx", &bytes).unwrap();
        assert_eq!(table[1], vec!["lh.wang", "王明", "莲花镇人民政府", "单位人员", "13800001111"]);
    }

    #[test]
    fn unreadable_or_oversized_files_are_refused() {
        assert_eq!(read_table("r.csv", &[0xff, 0xfe, 0x00]), Err(AppError::BadFile("not_utf8".into())));
        assert_eq!(read_table("r.xlsx", b"PK\x03\x04 not a zip"), Err(AppError::BadFile("xlsx".into())));
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert_eq!(read_table("r.csv", &big), Err(AppError::BadFile("too_large".into())));
    }
}
