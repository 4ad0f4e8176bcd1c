//! Staff roster import: each row is checked on its own, so one bad row is reported and
//! skipped while the good rows go in together.
use super::org::{OrgError, Role, clean_name, clean_phone, clean_username};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Column headers accepted, in Chinese or English (case-insensitive).
const HEADERS: &[(&str, Column)] = &[
    ("用户名", Column::Username),
    ("username", Column::Username),
    ("账号", Column::Username),
    ("姓名", Column::Name),
    ("name", Column::Name),
    ("单位", Column::Unit),
    ("unit", Column::Unit),
    ("角色", Column::Role),
    ("role", Column::Role),
    ("手机", Column::Phone),
    ("phone", Column::Phone),
    ("电话", Column::Phone),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Username,
    Name,
    Unit,
    Role,
    Phone,
}

/// Role names as people write them in a spreadsheet.
const ROLE_LABELS: &[(&str, Role)] = &[
    ("管理员", Role::Admin),
    ("受理员", Role::Operator),
    ("值班员", Role::Operator),
    ("指挥长", Role::Commander),
    ("督办员", Role::Supervisor),
    ("领导", Role::Leader),
    ("单位人员", Role::UnitStaff),
    ("工作人员", Role::UnitStaff),
    ("网格员", Role::UnitStaff),
];

pub fn parse_role(raw: &str) -> Option<Role> {
    let t = raw.trim();
    ROLE_LABELS.iter().find(|(l, _)| *l == t).map(|(_, r)| *r).or_else(|| t.to_ascii_lowercase().parse().ok())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub username: String,
    pub display_name: String,
    pub unit_id: i64,
    pub role: Role,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowProblem {
    Field { column: Column, error: OrgError },
    UnknownUnit(String),
    UnknownRole(String),
    DuplicateInFile(String),
    UsernameTaken(String),
}

/// A row refused, numbered as the spreadsheet shows it (header is row 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RosterError {
    #[error("file has no header row")]
    Empty,
    #[error("missing column {0:?}")]
    MissingColumn(Column),
    #[error("too many rows")]
    TooManyRows,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedStaff {
    pub username: String,
    pub display_name: String,
    /// Shown once to the admin who imported, never stored in clear.
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: Vec<ImportedStaff>,
    pub errors: Vec<RowError>,
}

pub const MAX_ROWS: usize = 5000;

fn field<T>(column: Column, r: Result<T, OrgError>, problems: &mut Vec<RowProblem>) -> Option<T> {
    r.map_err(|error| problems.push(RowProblem::Field { column, error })).ok()
}

/// Checks every data row. `unit_by_name` and `username_taken` answer from the register.
pub fn check_roster(
    rows: &[Vec<String>],
    unit_by_name: impl Fn(&str) -> Option<i64>,
    username_taken: impl Fn(&str) -> bool,
) -> Result<(Vec<RosterRow>, Vec<RowError>), RosterError> {
    let (header, data) = rows.split_first().ok_or(RosterError::Empty)?;
    if data.len() > MAX_ROWS {
        return Err(RosterError::TooManyRows);
    }
    let mut index: HashMap<Column, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        if let Some((_, c)) = HEADERS.iter().find(|(name, _)| *name == h) {
            index.entry(*c).or_insert(i);
        }
    }
    for c in [Column::Username, Column::Name, Column::Unit, Column::Role] {
        if !index.contains_key(&c) {
            return Err(RosterError::MissingColumn(c));
        }
    }
    fn cell<'r>(index: &HashMap<Column, usize>, row: &'r [String], c: Column) -> &'r str {
        index.get(&c).and_then(|i| row.get(*i)).map(String::as_str).unwrap_or("")
    }

    let mut seen = HashSet::new();
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for (n, row) in data.iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut problems = Vec::new();
        let username = field(Column::Username, clean_username(cell(&index, row, Column::Username)), &mut problems);
        let name = field(Column::Name, clean_name(cell(&index, row, Column::Name)), &mut problems);
        let phone = field(Column::Phone, clean_phone(cell(&index, row, Column::Phone)), &mut problems);
        let unit_raw = cell(&index, row, Column::Unit).trim();
        let unit_id = unit_by_name(unit_raw);
        if unit_id.is_none() {
            problems.push(RowProblem::UnknownUnit(unit_raw.to_string()));
        }
        let role_raw = cell(&index, row, Column::Role);
        let role = parse_role(role_raw);
        if role.is_none() {
            problems.push(RowProblem::UnknownRole(role_raw.trim().to_string()));
        }
        if let Some(u) = &username {
            if username_taken(u) {
                problems.push(RowProblem::UsernameTaken(u.clone()));
            } else if !seen.insert(u.clone()) {
                problems.push(RowProblem::DuplicateInFile(u.clone()));
            }
        }
        match (username, name, phone, unit_id, role) {
            (Some(username), Some(display_name), Some(phone), Some(unit_id), Some(role)) if problems.is_empty() => {
                good.push(RosterRow { username, display_name, unit_id, role, phone })
            }
            _ => bad.push(RowError { row: n + 2, problems }),
        }
    }
    Ok((good, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
    }

    fn units(name: &str) -> Option<i64> {
        match name {
            "莲花镇人民政府" => Some(7),
            "区应急管理局" => Some(9),
            _ => None,
        }
    }

    #[test]
    fn one_bad_row_is_reported_and_the_rest_pass() {
        let file = rows(
            "用户名,姓名,单位,角色,手机\nlh.wang,王明,莲花镇人民政府,单位人员,13800001111\nbad,李,不存在的单位,单位人员,\nyj.chen,陈静,区应急管理局,unit_staff,",
        );
        let (good, bad) = check_roster(&file, units, |_| false).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].unit_id, 7);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].row, 3);
        assert_eq!(bad[0].problems, vec![RowProblem::UnknownUnit("不存在的单位".into())]);
    }

    #[test]
    fn duplicate_and_taken_usernames_are_refused() {
        let file = rows("username,name,unit,role\naa.one,甲,区应急管理局,领导\naa.one,乙,区应急管理局,领导\nadmin,丙,区应急管理局,领导");
        let (good, bad) = check_roster(&file, units, |u| u == "admin").unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(bad.iter().map(|e| e.row).collect::<Vec<_>>(), vec![3, 4]);
    }

    #[test]
    fn missing_column_refuses_the_whole_file() {
        let file = rows("用户名,姓名,角色\nx.y,王,领导");
        assert_eq!(check_roster(&file, units, |_| false), Err(RosterError::MissingColumn(Column::Unit)));
        assert_eq!(check_roster(&[], units, |_| false), Err(RosterError::Empty));
    }

    #[test]
    fn several_problems_in_one_row_are_all_listed() {
        let file = rows("用户名,姓名,单位,角色,手机\n张三,,区应急管理局,国王,123");
        let (_, bad) = check_roster(&file, units, |_| false).unwrap();
        assert_eq!(bad[0].problems.len(), 4);
    }

    #[test]
    fn chinese_role_labels_are_understood() {
        assert_eq!(parse_role("指挥长"), Some(Role::Commander));
        assert_eq!(parse_role(" Operator "), Some(Role::Operator));
        assert_eq!(parse_role("boss"), None);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn cell() -> impl Strategy<Value = String> {
            prop_oneof![Just(String::new()), "[a-z.]{1,12}", "[\\PC]{0,8}", Just("区应急管理局".to_string()), Just("单位人员".to_string()), "1[0-9]{10}",]
        }

        proptest! {
            /// Every non-blank row is either imported or reported, never both, never lost.
            #[test]
            fn every_row_is_accounted_for(rows in prop::collection::vec(prop::collection::vec(cell(), 0..6), 0..40)) {
                let mut file = vec![vec!["用户名".into(), "姓名".into(), "单位".into(), "角色".into(), "手机".into()]];
                file.extend(rows.clone());
                let (good, bad) = check_roster(&file, |n| (n == "区应急管理局").then_some(9), |_| false).unwrap();
                let non_blank = rows.iter().filter(|r| !r.iter().all(|c| c.trim().is_empty())).count();
                prop_assert_eq!(good.len() + bad.len(), non_blank);
                prop_assert!(bad.iter().all(|e| !e.problems.is_empty() && e.row >= 2));
                let mut names: Vec<_> = good.iter().map(|g| g.username.clone()).collect();
                names.sort();
                names.dedup();
                prop_assert_eq!(names.len(), good.len());
            }
        }
    }
}
