//! The demo's hazard register: hazards in all eight domains across the townships, found on
//! inspections by the department of each domain (with the township on joint ones), at every
//! state short of 销号 (a tick-off needs real photos): some still to rectify and past their
//! deadline (flagged as the scheduler would have), some rectifying under supervision, some
//! checked and waiting for their tick-off.
use crate::domain::case::GeoPoint;
use crate::domain::hazard::{HazardDomain, HazardFacts, HazardLevel, HazardStatus, Source, StepKind, Watch};
use crate::domain::org::Role;
use crate::error::AppError;
use crate::store::hazards as store;
use crate::store::{Db, now_ms, org as store_org, screen as store_screen, users};

const DAY: i64 = 86_400_000;

/// (domain, inspecting department, title, enterprise, measures).
const HAZARDS: &[(HazardDomain, &str, &str, &str, &str)] = &[
    (HazardDomain::Fire, "区消防救援大队", "农贸市场消防通道被摊位占用", "农贸市场管理有限公司", "清理通道内摊位和杂物，施划禁止占用标线"),
    (HazardDomain::RoadTraffic, "区交警大队", "村道急弯处缺少警示标志和护栏", "", "增设急弯警示标志、减速带和波形护栏"),
    (HazardDomain::MinesChemicals, "区应急管理局", "加油站卸油区静电接地装置失效", "石油销售加油站", "更换静电接地报警仪，卸油前检测接地电阻"),
    (HazardDomain::Industry, "区应急管理局", "竹木加工厂粉尘除尘设施未运行", "竹木制品有限公司", "修复除尘系统，建立每日清扫记录"),
    (HazardDomain::Construction, "区住建局", "安置房工地塔吊限位装置失灵", "建设工程有限公司", "停用塔吊，检修力矩和高度限位器并复检"),
    (HazardDomain::CityOperation, "区住建局", "老旧小区燃气管道锈蚀", "燃气有限公司", "更换锈蚀管段，加装燃气泄漏报警器"),
    (HazardDomain::TourismAgriculture, "区农业农村局", "景区玻璃栈道护栏松动", "旅游开发有限公司", "暂停栈道开放，紧固护栏并第三方检测"),
    (HazardDomain::ForestFire, "区林业局", "林区边缘违规堆放秸秆", "", "清运秸秆，设置防火宣传牌，落实护林员巡查"),
];

pub async fn seed_demo_hazards(db: &Db) -> Result<usize, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let units = store_org::all_units(&mut tx).await?;
    let staff = users::all_staff(&mut tx).await?;
    let seats = store_screen::township_seats(&mut tx).await?;
    let supervisor = staff.iter().find(|s| s.active && s.role == Role::Supervisor).map(|s| s.id);
    let unit_named = |name: &str| units.iter().find(|u| u.name == name && u.active).map(|u| u.id);
    let staff_of = |unit: i64| staff.iter().find(|s| s.active && s.unit_id == Some(unit)).map(|s| s.id);
    let mut seeded = 0;
    for (i, (township, name, lat, lng)) in seats.iter().enumerate().take(12) {
        let Some(town) =
            units.iter().find(|u| u.active && u.area_id == Some(*township) && u.kind == crate::domain::org::UnitKind::TownshipGovernment).map(|u| u.id)
        else {
            continue;
        };
        for k in 0..2 {
            let (domain, dept, title, enterprise, measures) = HAZARDS[(i * 2 + k) % HAZARDS.len()];
            let Some(inspector) = unit_named(dept) else { continue };
            let Some(found_by) = staff_of(inspector) else { continue };
            let story = (i * 2 + k) % 6;
            let found = now - (3 + ((i * 7 + k * 5) % 35) as i64) * DAY;
            let deadline = found + if story == 0 { 2 * DAY } else { 45 * DAY };
            let mut inspectors = vec![inspector];
            if story % 2 == 1 {
                inspectors.push(town);
            }
            inspectors.sort_unstable();
            let facts = HazardFacts {
                domain,
                source: if k == 0 { Source::Inspection } else { Source::Unannounced },
                level: if story == 4 || story == 0 { HazardLevel::Major } else { HazardLevel::General },
                title: title.to_string(),
                description: String::new(),
                place: format!("{name}{}", if k == 0 { "集镇区块" } else { "村级区块" }),
                area_id: Some(*township),
                point: Some(GeoPoint { lat_e6: lat + (k as i64 * 9_000) - 4_000, lng_e6: lng + ((i as i64 % 3) * 6_000) - 6_000 }),
                responsible_unit_id: town,
                enterprise: if enterprise.is_empty() { String::new() } else { format!("{name}{enterprise}") },
                measures: measures.to_string(),
                deadline_ms: deadline,
                inspectors,
            };
            let id = store::insert(&mut tx, &facts, None, found_by, Some(inspector), found).await?;
            let (mut h, mut seq) = store::get(&mut tx, id).await?.ok_or(AppError::Internal)?;
            let rectifier = staff_of(town);
            let mut step = |kind: StepKind, user: Option<i64>, unit: Option<i64>, body: &str, at: i64| {
                seq += 1;
                (seq, kind, user, unit, body.to_string(), at)
            };
            let mut steps = Vec::new();
            match story {
                0 => {
                    h.overdue_ms = Some(deadline + 1);
                    steps.push(step(StepKind::Overdue, None, None, "", deadline + 1));
                }
                1 | 2 | 5 => {
                    h.status = HazardStatus::Rectifying;
                    steps.push(step(StepKind::Rectify, rectifier, Some(town), "已制定整改方案，落实专人负责", found + DAY));
                    if story == 2 && supervisor.is_some() {
                        h.watch = Some(Watch::Tracking);
                        steps.push(step(StepKind::Watch, supervisor, None, "tracking:每周五前报送整改进展", found + 2 * DAY));
                    }
                }
                3 => {
                    h.status = HazardStatus::Checked;
                    steps.push(step(StepKind::Rectify, rectifier, Some(town), "立行立改", found + DAY / 2));
                    steps.push(step(StepKind::CheckPassed, Some(found_by), Some(inspector), "现场复查，整改到位", found + 3 * DAY));
                }
                _ => {
                    if supervisor.is_some() {
                        h.watch = Some(Watch::Listed);
                        steps.push(step(StepKind::Watch, supervisor, None, "listed:重大隐患挂牌督办，限期整改", found + DAY));
                    }
                }
            }
            for (seq, kind, user, unit, body, at) in steps {
                store::append_event(&mut tx, id, seq, kind, user, unit, &body, at).await?;
            }
            store::save(&mut tx, &h, seq).await?;
            seeded += 1;
        }
    }
    tx.commit().await?;
    Ok(seeded)
}
