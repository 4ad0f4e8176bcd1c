//! The organisation: areas, units and staff roles (glossary in DESIGN.md).
use serde::{Deserialize, Serialize};

coded_enum!(OrgError =>
    /// 区 / 乡镇(街道) / 村(社区) / 网格
    AreaLevel { District => "district", Township => "township", Village => "village", Grid => "grid" }
);

coded_enum!(OrgError =>
    /// What kind of body a unit is; decides where it sits in the hierarchy.
    UnitKind {
        ResidentDepartment => "resident_department",
        RotatingDepartment => "rotating_department",
        TownshipGovernment => "township_government",
        VillageCommittee => "village_committee",
        GridTeam => "grid_team",
        Center => "center",
    }
);

coded_enum!(OrgError =>
    /// Staff roles; a user has exactly one.
    Role {
        Admin => "admin",
        Operator => "operator",
        Commander => "commander",
        Supervisor => "supervisor",
        Leader => "leader",
        UnitStaff => "unit_staff",
    }
);

impl AreaLevel {
    /// The level an area directly under this one must have.
    pub fn child(self) -> Option<AreaLevel> {
        match self {
            AreaLevel::District => Some(AreaLevel::Township),
            AreaLevel::Township => Some(AreaLevel::Village),
            AreaLevel::Village => Some(AreaLevel::Grid),
            AreaLevel::Grid => None,
        }
    }
}

impl UnitKind {
    /// The area level a unit of this kind is attached to, if it must have one.
    pub fn area_level(self) -> Option<AreaLevel> {
        match self {
            UnitKind::TownshipGovernment => Some(AreaLevel::Township),
            UnitKind::VillageCommittee => Some(AreaLevel::Village),
            UnitKind::GridTeam => Some(AreaLevel::Grid),
            _ => None,
        }
    }

    /// Suggestions are assigned for an answer to departments and township governments:
    /// the bodies that budget and build livelihood projects.
    pub fn answers_suggestions(self) -> bool {
        matches!(self, UnitKind::ResidentDepartment | UnitKind::RotatingDepartment | UnitKind::TownshipGovernment)
    }

    /// Units a case is dispatched to: every kind but the center itself.
    pub fn takes_cases(self) -> bool {
        self != UnitKind::Center
    }
}

impl Role {
    /// Roles that work at the command center's desks and wall screen.
    pub fn is_center(self) -> bool {
        !matches!(self, Role::UnitStaff)
    }
}

/// Why an organisation change was refused; each maps to a localised message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum OrgError {
    #[error("unknown code {0}")]
    UnknownCode(String),
    #[error("name is required")]
    NameRequired,
    #[error("name too long")]
    NameTooLong,
    #[error("username must be 3-32 letters, digits, dot, dash or underscore")]
    BadUsername,
    #[error("phone must be 11 digits starting with 1, or a landline")]
    BadPhone,
    #[error("an area at level {child} cannot sit under level {parent:?}")]
    BadParent { child: AreaLevel, parent: Option<AreaLevel> },
    #[error("a unit of kind {kind} must be attached to an area of level {expected}")]
    BadUnitArea { kind: UnitKind, expected: AreaLevel },
    #[error("password must be at least 10 characters")]
    WeakPassword,
    #[error("password longer than 1024 bytes")]
    PasswordTooLong,
    #[error("the new password and its repetition differ")]
    PasswordsDiffer,
    #[error("the new password is the current one")]
    SamePassword,
    #[error("the current password is wrong")]
    WrongCurrentPassword,
}

pub const MAX_NAME: usize = 60;

/// A trimmed, non-empty display name of bounded length.
pub fn clean_name(raw: &str) -> Result<String, OrgError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(OrgError::NameRequired);
    }
    if name.chars().count() > MAX_NAME {
        return Err(OrgError::NameTooLong);
    }
    Ok(name.to_string())
}

pub fn clean_username(raw: &str) -> Result<String, OrgError> {
    let name = raw.trim().to_ascii_lowercase();
    let ok_len = (3..=32).contains(&name.len());
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok_len && ok_chars { Ok(name) } else { Err(OrgError::BadUsername) }
}

/// Optional phone: a mainland mobile (11 digits, leading 1) or a landline like 0570-1234567.
pub fn clean_phone(raw: &str) -> Result<Option<String>, OrgError> {
    let p: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if p.is_empty() {
        return Ok(None);
    }
    let digits: String = p.chars().filter(|c| *c != '-').collect();
    let mobile = p.len() == 11 && p.starts_with('1') && p.chars().all(|c| c.is_ascii_digit());
    let landline = p.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()) && (10..=12).contains(&digits.len());
    if mobile || landline { Ok(Some(p)) } else { Err(OrgError::BadPhone) }
}

pub fn check_password(raw: &str) -> Result<(), OrgError> {
    if raw.len() > super::signin::MAX_PASSWORD_BYTES {
        return Err(OrgError::PasswordTooLong);
    }
    if raw.chars().count() >= 10 { Ok(()) } else { Err(OrgError::WeakPassword) }
}

/// A password its owner chooses: typed twice alike, strong enough, and not the one it replaces.
pub fn check_new_password(current: &str, new: &str, repeated: &str) -> Result<(), OrgError> {
    if new != repeated {
        return Err(OrgError::PasswordsDiffer);
    }
    check_password(new)?;
    if new == current { Err(OrgError::SamePassword) } else { Ok(()) }
}

/// An area may only sit directly under the level above it; the district has no parent.
pub fn check_area_parent(level: AreaLevel, parent: Option<AreaLevel>) -> Result<(), OrgError> {
    let ok = match parent {
        None => level == AreaLevel::District,
        Some(p) => p.child() == Some(level),
    };
    if ok { Ok(()) } else { Err(OrgError::BadParent { child: level, parent }) }
}

pub fn check_unit_area(kind: UnitKind, area_level: Option<AreaLevel>) -> Result<(), OrgError> {
    match kind.area_level() {
        Some(expected) if area_level != Some(expected) => Err(OrgError::BadUnitArea { kind, expected }),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: AreaLevel,
    pub name: String,
    pub code: String,
    pub active: bool,
}

/// A place a case or suggestion can be filed under, with its path for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: i64,
    /// Names from the township down ("莲花镇 / 耿山村"): the district is implied.
    pub path: String,
    pub level: AreaLevel,
}

/// The areas in service at `levels`, each right after its parent (tree order), with their
/// paths. An area under a retired one is not offered either.
pub fn place_list(areas: &[Area], levels: &[AreaLevel]) -> Vec<Place> {
    fn visit(areas: &[Area], parent: Option<i64>, path: &str, levels: &[AreaLevel], out: &mut Vec<Place>) {
        for a in areas.iter().filter(|a| a.active && a.parent_id == parent) {
            let here = match a.level {
                AreaLevel::District => String::new(),
                _ if path.is_empty() => a.name.clone(),
                _ => format!("{path} / {}", a.name),
            };
            if levels.contains(&a.level) {
                out.push(Place { id: a.id, path: here.clone(), level: a.level });
            }
            visit(areas, Some(a.id), &here, levels, out);
        }
    }
    let mut out = Vec::new();
    visit(areas, None, "", levels, &mut out);
    out
}

/// Every level a case can be filed at: all but the district, which is everywhere at once.
pub const CASE_PLACE_LEVELS: &[AreaLevel] = &[AreaLevel::Township, AreaLevel::Village, AreaLevel::Grid];

/// The places an address names, best first, at most `max`: a place whose own name appears in
/// the words, the deeper the better (a village over its township), and one whose every name on
/// its path appears before one that only shares its last name. Names of one character are too
/// common to mean a place.
pub fn match_places<'a>(words: &str, places: &'a [Place], max: usize) -> Vec<&'a Place> {
    let words: String = words.split_whitespace().collect();
    let mut found: Vec<(usize, usize, &Place)> = places
        .iter()
        .filter_map(|p| {
            let names: Vec<&str> = p.path.split(" / ").map(str::trim).collect();
            let own = *names.last()?;
            (own.chars().count() >= 2 && words.contains(own)).then(|| {
                let named = names.iter().filter(|n| n.chars().count() >= 2 && words.contains(**n)).count();
                (names.len(), named, p)
            })
        })
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    found.into_iter().take(max).map(|f| f.2).collect()
}
/// Suggestions name a township or a village: projects are not planned per grid.
pub const SUGGESTION_PLACE_LEVELS: &[AreaLevel] = &[AreaLevel::Township, AreaLevel::Village];

/// A unit to choose in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
}

impl From<Unit> for UnitChoice {
    fn from(u: Unit) -> UnitChoice {
        UnitChoice { id: u.id, name: u.name, kind: u.kind }
    }
}

/// The organisation at a glance, counted from the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgCounts {
    pub resident_departments: i64,
    pub rotating_departments: i64,
    pub townships: i64,
    pub villages: i64,
    pub grids: i64,
    pub active_staff: i64,
}

impl OrgCounts {
    /// Only what is in service counts.
    pub fn of(units: &[Unit], areas: &[Area], active_staff: usize) -> OrgCounts {
        let units_of = |k| units.iter().filter(|u| u.active && u.kind == k).count() as i64;
        let areas_of = |l| areas.iter().filter(|a| a.active && a.level == l).count() as i64;
        OrgCounts {
            resident_departments: units_of(UnitKind::ResidentDepartment),
            rotating_departments: units_of(UnitKind::RotatingDepartment),
            townships: areas_of(AreaLevel::Township),
            villages: areas_of(AreaLevel::Village),
            grids: areas_of(AreaLevel::Grid),
            active_staff: active_staff as i64,
        }
    }
}

impl Area {
    /// Cases are filed on a township, village or grid in service: the district is
    /// everywhere at once, and a retired area has nobody to act on it.
    pub fn takes_cases(&self) -> bool {
        self.active && self.level != AreaLevel::District
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
}

/// A staff member as shown to admins (never carries the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    /// Recent failed sign-ins slow this name down (an admin may clear them).
    pub throttled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_typed_twice_alike_long_enough_and_new() {
        assert_eq!(check_new_password("old-password-1", "new-password-1", "new-password-2"), Err(OrgError::PasswordsDiffer));
        assert_eq!(check_new_password("old-password-1", "short", "short"), Err(OrgError::WeakPassword));
        assert_eq!(check_new_password("old-password-1", "old-password-1", "old-password-1"), Err(OrgError::SamePassword));
        let huge = "x".repeat(1025);
        assert_eq!(check_new_password("old-password-1", &huge, &huge), Err(OrgError::PasswordTooLong));
        assert_eq!(check_new_password("old-password-1", "new-password-1", "new-password-1"), Ok(()));
    }

    #[test]
    fn an_address_names_its_village_before_its_township() {
        let place = |id, path: &str, level| Place { id, path: path.into(), level };
        let places = [
            place(1, "莲花镇", AreaLevel::Township),
            place(2, "莲花镇 / 耿山村", AreaLevel::Village),
            place(3, "莲花镇 / 西山下村", AreaLevel::Village),
            place(4, "云溪乡", AreaLevel::Township),
            place(5, "云溪乡 / 耿山村", AreaLevel::Village),
            place(6, "莲花镇 / 耿山村 / 第一网格", AreaLevel::Grid),
        ];
        let ids = |words: &str| match_places(words, &places, 3).iter().map(|p| p.id).collect::<Vec<_>>();
        // Both names on the path: that village first, then the township.
        assert_eq!(ids("莲花镇耿山村村口桥头"), [2, 5, 1]);
        assert_eq!(ids("云溪乡 耿山村 桥头"), [5, 2, 4]);
        // A village alone: both villages of that name, no township.
        assert_eq!(ids("耿山村文化礼堂旁"), [2, 5]);
        assert_eq!(ids("西山下村"), [3]);
        assert_eq!(ids("市区某路"), Vec::<i64>::new());
        assert_eq!(ids(""), Vec::<i64>::new());
        // At most `max`.
        assert_eq!(match_places("莲花镇耿山村第一网格", &places, 1)[0].id, 6);
    }

    fn area(id: i64, parent_id: Option<i64>, level: AreaLevel, name: &str, active: bool) -> Area {
        Area { id, parent_id, level, name: name.into(), code: format!("A{id}"), active }
    }

    #[test]
    fn places_follow_the_tree_and_skip_what_is_retired() {
        let areas = [
            area(1, None, AreaLevel::District, "衢江区", true),
            area(2, Some(1), AreaLevel::Township, "莲花镇", true),
            area(5, Some(1), AreaLevel::Township, "旧镇", false),
            area(3, Some(2), AreaLevel::Village, "耿山村", true),
            area(6, Some(5), AreaLevel::Village, "旧村", true),
            area(4, Some(3), AreaLevel::Grid, "第一网格", true),
        ];
        let paths = |levels| place_list(&areas, levels).into_iter().map(|p| p.path).collect::<Vec<_>>();
        assert_eq!(paths(CASE_PLACE_LEVELS), ["莲花镇", "莲花镇 / 耿山村", "莲花镇 / 耿山村 / 第一网格"]);
        assert_eq!(paths(SUGGESTION_PLACE_LEVELS), ["莲花镇", "莲花镇 / 耿山村"]);
        assert!(areas.iter().filter(|a| a.takes_cases()).all(|a| a.level != AreaLevel::District && a.active));
    }

    #[test]
    fn codes_round_trip_for_every_variant() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>().unwrap(), *r);
        }
        for k in UnitKind::ALL {
            assert_eq!(k.code().parse::<UnitKind>().unwrap(), *k);
        }
        for l in AreaLevel::ALL {
            assert_eq!(l.code().parse::<AreaLevel>().unwrap(), *l);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn village_sits_under_township_not_district() {
        assert!(check_area_parent(AreaLevel::Village, Some(AreaLevel::Township)).is_ok());
        assert!(check_area_parent(AreaLevel::Village, Some(AreaLevel::District)).is_err());
        assert!(check_area_parent(AreaLevel::District, None).is_ok());
        assert!(check_area_parent(AreaLevel::Grid, None).is_err());
    }

    #[test]
    fn township_government_needs_a_township() {
        assert!(check_unit_area(UnitKind::TownshipGovernment, Some(AreaLevel::Township)).is_ok());
        assert!(check_unit_area(UnitKind::TownshipGovernment, Some(AreaLevel::Village)).is_err());
        assert!(check_unit_area(UnitKind::TownshipGovernment, None).is_err());
        assert!(check_unit_area(UnitKind::ResidentDepartment, None).is_ok());
    }

    #[test]
    fn phones_and_usernames_are_checked() {
        assert_eq!(clean_phone(" 138 0000 1111 ").unwrap().as_deref(), Some("13800001111"));
        assert_eq!(clean_phone("0570-3012345").unwrap().as_deref(), Some("0570-3012345"));
        assert_eq!(clean_phone("").unwrap(), None);
        assert!(clean_phone("12345").is_err());
        assert_eq!(clean_username(" Admin.Zhang ").unwrap(), "admin.zhang");
        assert!(clean_username("张三").is_err());
        assert!(clean_username("ab").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("  莲花镇 ").unwrap(), "莲花镇");
        assert_eq!(clean_name("   "), Err(OrgError::NameRequired));
        assert_eq!(clean_name(&"镇".repeat(61)), Err(OrgError::NameTooLong));
    }
}
