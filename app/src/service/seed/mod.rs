//! Demo organisation from `shared/reference/demo-org.md`, so a new install shows a living
//! center. Runs only on an empty register; passwords are generated and returned once.
pub mod campaigns;
pub mod cases;
pub mod duty;
pub mod emergency;
pub mod hazards;
pub mod mediation;
pub mod risk;
mod wording;

use crate::domain::audit::AuditEvent;
use crate::domain::org::{AreaLevel, Role, UnitKind};
use crate::error::AppError;
use crate::service::password;
use crate::store::{Db, audit, org as store_org, users};
use sqlx::AnyConnection;

const DISTRICT: &str = "衢江区";

/// Townships with a plausible point inside the district's outline for the screen's map
/// (millionths of a degree; approximate, not surveyed seats), and their villages or
/// communities; each village gets grids.
/// A township's name, its map point (latitude, longitude) and its villages with their grids.
type Township = (&'static str, (i64, i64), &'static [(&'static str, usize)]);

const TOWNSHIPS: &[Township] = &[
    ("莲花镇", (29065000, 119025000), &[("耿山村", 2), ("西山下村", 2)]),
    ("云溪乡", (29030000, 118945000), &[("希望新村", 1)]),
    ("樟潭街道", (28979000, 118959000), &[("樟潭社区", 1), ("东迹社区", 1)]),
    ("浮石街道", (29000000, 118915000), &[("浮石社区", 1)]),
    ("东港街道", (28940000, 118950000), &[("东港社区", 1)]),
    ("廿里镇", (28805000, 118860000), &[("廿里村", 1)]),
    ("杜泽镇", (29100000, 118985000), &[("杜泽村", 1)]),
    ("全旺镇", (28885000, 119050000), &[("全旺村", 1)]),
    ("高家镇", (29010000, 119040000), &[("高家村", 1)]),
];

const RESIDENT: &[&str] = &[
    "区信访局",
    "区委政法委",
    "公安衢江分局",
    "区司法局",
    "区人力社保局",
    "区住建局",
    "自然资源和规划分局",
    "生态环境分局",
    "区应急管理局",
    "区市场监管局",
    "区卫健局",
    "区民政局",
    "区综合行政执法局",
    "区交通运输局",
    "区农业农村局",
    "区铁路轨道交通建设管理中心",
];

const ROTATING: &[&str] =
    &["区教育局", "区林业局", "区交警大队", "区消防救援大队", "区人民法院", "区人民检察院", "区总工会", "区妇联", "团区委", "区残联", "区供电分公司"];

/// One seeded account with its one-time password.
#[derive(Debug, Clone)]
pub struct SeededAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: String,
    pub password: String,
}

struct Pending {
    username: String,
    display_name: String,
    role: Role,
    unit_id: i64,
    unit: String,
}

async fn unit(tx: &mut AnyConnection, name: &str, kind: UnitKind, area_id: Option<i64>) -> Result<i64, AppError> {
    Ok(store_org::insert_unit(tx, &store_org::UnitFields { name, kind, area_id, phone: None }).await?)
}

async fn area(tx: &mut AnyConnection, parent: Option<i64>, level: AreaLevel, name: &str, code: &str) -> Result<i64, AppError> {
    Ok(store_org::insert_area(tx, &store_org::NewArea { parent_id: parent, level, name, code }).await?)
}

/// Seeds the demo organisation if no account exists yet; returns the accounts created.
pub async fn seed_demo(db: &Db) -> Result<Vec<SeededAccount>, AppError> {
    if users::count_users(&mut *db.read().await?).await? > 0 {
        return Ok(Vec::new());
    }
    let mut tx = db.begin_write().await?;
    let mut people: Vec<Pending> = Vec::new();
    let mut person = |username: String, display_name: String, role: Role, unit_id: i64, unit: &str| {
        people.push(Pending { username, display_name, role, unit_id, unit: unit.to_string() })
    };

    let district = area(&mut tx, None, AreaLevel::District, DISTRICT, "D").await?;
    let center = unit(&mut tx, "区社会治理中心", UnitKind::Center, None).await?;
    for (u, n, r) in [
        ("admin", "系统管理员", Role::Admin),
        ("op.li", "李晓", Role::Operator),
        ("op.zhao", "赵敏", Role::Operator),
        ("cmd.xu", "徐建国", Role::Commander),
        ("sup.fang", "方志", Role::Supervisor),
        ("lead.wu", "吴天明", Role::Leader),
    ] {
        person(u.into(), n.into(), r, center, "区社会治理中心");
    }
    let mut departments = std::collections::HashMap::new();
    for (i, name) in RESIDENT.iter().enumerate() {
        let id = unit(&mut tx, name, UnitKind::ResidentDepartment, None).await?;
        person(format!("dept{:02}", i + 1), format!("{name}联络员"), Role::UnitStaff, id, name);
        departments.insert(*name, id);
    }
    for (i, name) in ROTATING.iter().enumerate() {
        let id = unit(&mut tx, name, UnitKind::RotatingDepartment, None).await?;
        person(format!("rot{:02}", i + 1), format!("{name}联络员"), Role::UnitStaff, id, name);
        departments.insert(*name, id);
    }
    // The departments the demo's categories route to, as an administrator would set them.
    for mut c in crate::store::cases::categories(&mut tx).await? {
        c.department_id = cases::department_for(&c.code).and_then(|name| departments.get(name).copied());
        crate::store::cases::update_category_terms(&mut tx, &c).await?;
    }
    for (ti, (township, (lat_e6, lng_e6), villages)) in TOWNSHIPS.iter().enumerate() {
        let tcode = format!("D-{:02}", ti + 1);
        let t_area = area(&mut tx, Some(district), AreaLevel::Township, township, &tcode).await?;
        crate::store::screen::set_area_point(&mut tx, t_area, *lat_e6, *lng_e6).await?;
        let gov_name = if township.ends_with("街道") { format!("{township}办事处") } else { format!("{township}人民政府") };
        let gov = unit(&mut tx, &gov_name, UnitKind::TownshipGovernment, Some(t_area)).await?;
        let deputy = if *township == "莲花镇" { "莲花镇副镇长".to_string() } else { format!("{township}联络员") };
        person(format!("town{:02}", ti + 1), deputy, Role::UnitStaff, gov, &gov_name);
        for (vi, (village, grids)) in villages.iter().enumerate() {
            let vcode = format!("{tcode}-{:02}", vi + 1);
            let v_area = area(&mut tx, Some(t_area), AreaLevel::Village, village, &vcode).await?;
            let committee = if village.ends_with("社区") { format!("{village}居委会") } else { format!("{village}村委会") };
            let c = unit(&mut tx, &committee, UnitKind::VillageCommittee, Some(v_area)).await?;
            let secretary = if *village == "耿山村" { "耿山村书记".to_string() } else { format!("{village}干部") };
            person(format!("vil{:02}{:02}", ti + 1, vi + 1), secretary, Role::UnitStaff, c, &committee);
            for g in 0..*grids {
                let gname = format!("{village}第{}网格", g + 1);
                let g_area = area(&mut tx, Some(v_area), AreaLevel::Grid, &gname, &format!("{vcode}-{:02}", g + 1)).await?;
                let team = format!("{gname}工作组");
                let gt = unit(&mut tx, &team, UnitKind::GridTeam, Some(g_area)).await?;
                person(format!("grid{:02}{:02}{:02}", ti + 1, vi + 1, g + 1), format!("{gname}网格员"), Role::UnitStaff, gt, &team);
            }
        }
    }
    // Hashing is slow; the write lock is held meanwhile, which is fine on an empty install.
    let mut seeded = Vec::with_capacity(people.len());
    for p in people {
        let pw = password::generate();
        let hash = password::hash(pw.clone()).await;
        let fields = users::StaffFields { username: &p.username, display_name: &p.display_name, role: p.role, unit_id: Some(p.unit_id), phone: None };
        // One-time passwords, printed once: each owner chooses their own at first sign-in.
        users::insert_user(&mut tx, &fields, &hash, true).await?;
        seeded.push(SeededAccount { username: p.username, display_name: p.display_name, role: p.role, unit: p.unit, password: pw });
    }
    audit::append(&mut tx, None, None, &AuditEvent::DemoSeeded { users: seeded.len() }).await?;
    tx.commit().await?;
    Ok(seeded)
}

/// The demo township's point on the map, by name.
pub fn township_point(name: &str) -> Option<(i64, i64)> {
    TOWNSHIPS.iter().find(|t| t.0 == name).map(|t| t.1)
}
