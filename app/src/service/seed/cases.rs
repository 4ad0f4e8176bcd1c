//! Demo cases: the named cases of `shared/reference/demo-org.md` on top of a year of
//! generated history, so lists, clocks and (later) statistics have something to show.
//! Every case is driven through the domain rules with back-dated instants, so its
//! history is as real as any other: hash-chained, replayable, verifiable.
use super::wording;
use crate::domain::case::{Actor, Case, CaseCommand, Category, Channel, CheckedText, GeoPoint, Intake, Urgency};
use crate::domain::org::{Area, AreaLevel, Role, Staff, Unit};
use crate::error::AppError;
use crate::store::cases::{self as store, NewCase};
use crate::store::{Backend, Db, now_ms, org as store_org, users};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// Generated cases over the last year, besides the named ones.
pub const GENERATED: usize = 2400;

struct World {
    // Ordered, so the generated year is the same on every seed (a hash map's order is not).
    categories: BTreeMap<String, Category>,
    areas: Vec<Area>,
    units: Vec<Unit>,
    staff: Vec<Staff>,
    now: i64,
}

impl World {
    fn unit(&self, name: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.name == name)
    }

    fn area(&self, name: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.name == name)
    }

    /// The unit's first staff member, acting for it.
    fn member(&self, unit: i64) -> Actor {
        match self.staff.iter().find(|s| s.unit_id == Some(unit)) {
            Some(s) => Actor::staff(s.id, s.role, Some(unit)),
            None => Actor::System,
        }
    }

    fn desk(&self, role: Role) -> Actor {
        match self.staff.iter().find(|s| s.role == role) {
            Some(s) => Actor::staff(s.id, role, s.unit_id),
            None => Actor::System,
        }
    }

    /// The township government over an area (the area itself when it is a township).
    fn township_unit(&self, area: &Area) -> Option<&Unit> {
        let mut a = Some(area);
        while let Some(cur) = a {
            if cur.level == AreaLevel::Township {
                return self.units.iter().find(|u| u.area_id == Some(cur.id));
            }
            a = cur.parent_id.and_then(|p| self.areas.iter().find(|x| x.id == p));
        }
        None
    }

    /// The demo map point of the township an area lies in.
    fn township_point(&self, area: &Area) -> Option<(i64, i64)> {
        let mut a = Some(area);
        while let Some(cur) = a {
            if cur.level == AreaLevel::Township {
                return super::township_point(&cur.name);
            }
            a = cur.parent_id.and_then(|p| self.areas.iter().find(|x| x.id == p));
        }
        None
    }

    fn village_unit(&self, area: &Area) -> Option<&Unit> {
        let mut a = Some(area);
        while let Some(cur) = a {
            if cur.level == AreaLevel::Village {
                return self.units.iter().find(|u| u.area_id == Some(cur.id));
            }
            a = cur.parent_id.and_then(|p| self.areas.iter().find(|x| x.id == p));
        }
        None
    }
}

/// One demo case: what came in, and what happened after, at offsets from its receipt.
struct Script<'a> {
    category: &'a str,
    channel: Channel,
    urgency: Urgency,
    title: String,
    description: String,
    area: Option<&'a Area>,
    reporter: Option<(&'a str, &'a str)>,
    received: i64,
    steps: Vec<(i64, Actor, CaseCommand)>,
}

async fn write(conn: &mut AnyConnection, backend: Backend, w: &World, s: Script<'_>, rng: &mut StdRng) -> Result<(), AppError> {
    let Some(category) = w.categories.get(s.category) else { return Ok(()) };
    let intake = Intake::new(category, s.channel, s.urgency)?;
    let text = CheckedText {
        title: s.title,
        description: s.description,
        address: None,
        reporter_name: s.reporter.map(|r| r.0.to_string()),
        reporter_phone: s.reporter.map(|r| r.1.to_string()),
    };
    let reporter_id = match s.reporter {
        Some((n, p)) => Some(store::insert_reporter(conn, Some(n), Some(p), s.received).await?),
        None => None,
    };
    // Demo residents have no receipt: the secret is random and never shown.
    let secret = crate::store::hash::sha256_hex(format!("{}{}", rng.random::<u64>(), rng.random::<u64>()).as_bytes());
    // Around its township's point on the map, so the demo's dots fall inside the district.
    let location = s
        .area
        .and_then(|a| w.township_point(a))
        .map(|(lat, lng)| GeoPoint { lat_e6: lat + rng.random_range(-15_000..15_000), lng_e6: lng + rng.random_range(-15_000..15_000) });
    // A taken code (vanishingly rare) just draws another.
    let id = loop {
        let code = crate::service::codes::tracking_code(s.received);
        let row = NewCase {
            code: &code,
            secret_hash: &secret,
            intake: &intake,
            text: &text,
            area: s.area.map(|a| (a.id, a.code.as_str())),
            location,
            reporter_id,
            received_at: s.received,
            api_token_id: None,
        };
        if let Some(new) = store::insert_case(conn, &row).await? {
            break (new.id, crate::service::risk::stream::new_fact(&row, &new));
        }
    };
    let (id, fact) = id;
    let by = w.desk(Role::Operator);
    let (mut case, first) = Case::receive(id, intake, &by, s.received)?;
    let mut events = vec![first];
    for (offset, actor, cmd) in s.steps {
        let at = s.received + offset;
        if at > w.now {
            break;
        }
        match case.execute(&actor, at, &cmd) {
            Ok(e) => events.extend(e),
            // A generated step that the rules refuse (e.g. too late to close) just ends the story.
            Err(_) => break,
        }
    }
    // Each event is recorded as done by the staff member it names.
    let mut seq = 0;
    let mut hash = String::new();
    for e in &events {
        let actor_id = match e.by {
            Actor::Staff { user_id, .. } => Some(user_id),
            _ => None,
        };
        (seq, hash) = store::append(conn, id, seq, hash, actor_id, std::slice::from_ref(e)).await?;
    }
    store::save_state(conn, &case, seq, &hash, events.last().map_or(s.received, |e| e.at_ms)).await?;
    if case.category != category.code {
        store::save_category(conn, &case).await?;
    }
    crate::store::evaluation::record(conn, id, &crate::domain::evaluation::marks(&case, &events)).await?;
    store::index_text(conn, backend, id, &text).await?;
    crate::service::risk::stream::keep_keys(conn, fact, s.reporter.map(|r| r.1)).await?;
    Ok(())
}

/// The full loop for a unit on a case: sign, report, resolve; then verify and rating.
fn full_loop(w: &World, lead: i64, coop: &[i64], allowed: i64, rng: &mut StdRng, satisfied: bool) -> Vec<(i64, Actor, CaseCommand)> {
    let op = w.desk(Role::Operator);
    let mut t = rng.random_range(5 * MIN..2 * HOUR);
    let mut steps = vec![(t, op.clone(), CaseCommand::Dispatch { lead, cooperating: coop.to_vec() })];
    for u in std::iter::once(&lead).chain(coop) {
        t += rng.random_range(MIN..8 * MIN);
        steps.push((t, w.member(*u), CaseCommand::Sign { unit: *u }));
    }
    t += allowed / 4;
    steps.push((t, w.member(lead), CaseCommand::Progress { unit: lead, text: "已到现场核实情况，正在协调处理。".into(), place: None }));
    for u in coop {
        t += rng.random_range(HOUR..6 * HOUR);
        steps.push((t, w.member(*u), CaseCommand::FinishPart { unit: *u }));
    }
    // Most finish in time; some run over.
    t += if rng.random_bool(0.9) { rng.random_range(0..allowed / 3) } else { allowed };
    steps.push((t, w.member(lead), CaseCommand::Resolve { unit: lead, result: "问题已处理完毕，已向反映人说明。".into() }));
    t += rng.random_range(HOUR..DAY);
    steps.push((t, op.clone(), CaseCommand::Verify));
    t += rng.random_range(HOUR..2 * DAY);
    if rng.random_bool(0.1) {
        steps.push((t + 3 * DAY, Actor::System, CaseCommand::Close));
    } else {
        steps.push((t, Actor::Resident, CaseCommand::RecordFollowUp { satisfied: Some(satisfied), comment: None }));
        if !satisfied {
            // An unsatisfied resident sends the case back: the center dispatches it again,
            // the lead unit handles it once more and the second answer is a yes.
            t += rng.random_range(HOUR..8 * HOUR);
            steps.push((t, op.clone(), CaseCommand::Dispatch { lead, cooperating: vec![] }));
            t += rng.random_range(MIN..8 * MIN);
            steps.push((t, w.member(lead), CaseCommand::Sign { unit: lead }));
            t += rng.random_range(DAY..allowed.max(2 * DAY));
            steps.push((t, w.member(lead), CaseCommand::Resolve { unit: lead, result: "已重新核查处理，问题解决，反映人认可。".into() }));
            t += rng.random_range(HOUR..DAY);
            steps.push((t, op.clone(), CaseCommand::Verify));
            t += rng.random_range(HOUR..2 * DAY);
            steps.push((t, Actor::Resident, CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None }));
        }
    }
    steps
}

/// Seeds the demo cases; call once, right after the demo organisation.
pub async fn seed_demo_cases(db: &Db) -> Result<usize, AppError> {
    let mut rng = StdRng::seed_from_u64(20211128);
    let now = now_ms();
    let w = World {
        categories: store::categories(&mut *db.read().await?).await?.into_iter().map(|c| (c.code.clone(), c)).collect(),
        areas: store_org::all_areas(&mut *db.read().await?).await?,
        units: store_org::all_units(&mut *db.read().await?).await?,
        staff: users::all_staff(&mut *db.read().await?).await?,
        now,
    };
    let id_of = |name: &str| w.unit(name).map(|u| u.id);
    let mut scripts: Vec<Script> = Vec::new();

    // 1. The railway cracks in 耿山村: 1+1+X, in progress, appraisal done.
    if let (Some(town), Some(village), Some(rail), Some(area)) =
        (id_of("莲花镇人民政府"), id_of("耿山村村委会"), id_of("区铁路轨道交通建设管理中心"), w.area("耿山村"))
    {
        // Launched as a palm command by the center's commander, as in the brief.
        let cmd = w.desk(Role::Commander);
        let commander = match &cmd {
            Actor::Staff { user_id, .. } => *user_id,
            _ => 0,
        };
        scripts.push(Script {
            category: "construction-damage",
            channel: Channel::Hotline12345,
            urgency: Urgency::Normal,
            title: "杭衢高铁施工致耿山村多户房屋墙面、围墙开裂".into(),
            description: "耿山村村民通过12345热线和中心反映：杭衢高铁施工以来，村内多户房屋墙面、院墙出现裂缝，担心安全，要求鉴定并修复。".into(),
            area: Some(area),
            reporter: Some(("耿山村村民", "13905701234")),
            received: now - 3 * DAY,
            steps: vec![
                (20 * MIN, cmd.clone(), CaseCommand::Launch { commander, lead: town, cooperating: vec![village, rail] }),
                (21 * MIN, w.member(town), CaseCommand::Sign { unit: town }),
                (22 * MIN, w.member(village), CaseCommand::Sign { unit: village }),
                (23 * MIN, w.member(rail), CaseCommand::Sign { unit: rail }),
                (30 * MIN, cmd.clone(), CaseCommand::Direct { to: vec![rail], text: "请铁路建设管理中心今天联系第三方做房屋安全鉴定。".into() }),
                (31 * MIN, cmd.clone(), CaseCommand::Direct { to: vec![], text: "镇村两级逐户登记受损情况，做好村民解释工作。".into() }),
                (5 * HOUR, w.member(village), CaseCommand::Progress { unit: village, text: "村两委逐户登记受损房屋 17 户，与村民沟通。".into(), place: None }),
                (2 * DAY, w.member(rail), CaseCommand::Progress { unit: rail, text: "第三方技术鉴定完成，施工单位承担修复。".into(), place: None }),
                (2 * DAY + 3 * HOUR, w.member(town), CaseCommand::Progress { unit: town, text: "已排定修复计划，下周开工。".into(), place: None }),
            ],
        });
    }
    // 2. A neighbours' homestead dispute, mediated once and closed.
    if let (Some(town), Some(area)) = (id_of("云溪乡人民政府"), w.area("希望新村")) {
        let steps = full_loop(&w, town, &[], 7 * DAY, &mut rng, true);
        scripts.push(Script {
            category: "dispute-land",
            channel: Channel::WalkIn,
            urgency: Urgency::Normal,
            title: "希望新村两户邻里宅基地界址纠纷".into(),
            description: "两户村民因宅基地界址发生争执，经乡司法所调解达成协议。".into(),
            area: Some(area),
            reporter: Some(("王某", "13800002222")),
            received: now - 40 * DAY,
            steps,
        });
    }
    // 3. Unpaid wages on a building site: labour lead, housing cooperating, in progress.
    if let (Some(labour), Some(housing), Some(area)) = (id_of("区人力社保局"), id_of("区住建局"), w.area("樟潭社区")) {
        let op = w.desk(Role::Operator);
        scripts.push(Script {
            category: "dispute-labour",
            channel: Channel::Petition,
            urgency: Urgency::Urgent,
            title: "某工地拖欠20余名农民工工资".into(),
            description: "樟潭某住宅项目拖欠农民工工资约36万元，工人集体来访。".into(),
            area: Some(area),
            reporter: Some(("李某", "13700003333")),
            received: now - 20 * HOUR,
            steps: vec![
                (30 * MIN, op, CaseCommand::Dispatch { lead: labour, cooperating: vec![housing] }),
                (33 * MIN, w.member(labour), CaseCommand::Sign { unit: labour }),
                (36 * MIN, w.member(housing), CaseCommand::Sign { unit: housing }),
            ],
        });
    }
    // 4. Floating debris and suspected discharge in a river: just dispatched.
    if let (Some(eco), Some(area)) = (id_of("生态环境分局"), w.area("东港社区")) {
        let op = w.desk(Role::Operator);
        scripts.push(Script {
            category: "enforcement-pollution",
            channel: Channel::Online,
            urgency: Urgency::Normal,
            title: "东港河道漂浮物多，疑似有排污口".into(),
            description: "河道内漂浮物较多，岸边有一处管道疑似排污，水面有异味。".into(),
            area: Some(area),
            reporter: None,
            received: now - 2 * HOUR,
            steps: vec![(10 * MIN, op, CaseCommand::Dispatch { lead: eco, cooperating: vec![] })],
        });
    }
    // 5. Forest fire hazard: emergency, three units, waiting for one signature.
    if let (Some(em), Some(forest), Some(town), Some(area)) = (id_of("区应急管理局"), id_of("区林业局"), id_of("杜泽镇人民政府"), w.area("杜泽村"))
    {
        let op = w.desk(Role::Operator);
        scripts.push(Script {
            category: "emergency-fire",
            channel: Channel::Field,
            urgency: Urgency::Emergency,
            title: "杜泽村后山林区有人违规烧田埂，存在山林火情隐患".into(),
            description: "网格员巡查发现后山林区边缘有人焚烧田埂杂草，风大，距林区不足50米。".into(),
            area: Some(area),
            reporter: None,
            received: now - 25 * MIN,
            steps: vec![
                (3 * MIN, op, CaseCommand::Dispatch { lead: em, cooperating: vec![forest, town] }),
                (5 * MIN, w.member(em), CaseCommand::Sign { unit: em }),
                (6 * MIN, w.member(town), CaseCommand::Sign { unit: town }),
            ],
        });
    }
    // 6. Three noise complaints in one village within a week (a cluster for risk rules).
    if let Some(area) = w.area("西山下村") {
        for (i, hours) in [150, 70, 5].iter().enumerate() {
            scripts.push(Script {
                category: "noise",
                channel: Channel::Hotline12345,
                urgency: Urgency::Normal,
                title: format!("西山下村夜间施工噪音扰民（第{}次反映）", i + 1),
                description: "村口厂房夜间施工至凌晨，噪音大，影响休息。".into(),
                area: Some(area),
                reporter: None,
                received: now - hours * HOUR,
                steps: vec![],
            });
        }
    }
    // 7. An overdue case still in the hands of its unit.
    if let (Some(build), Some(area)) = (id_of("区综合行政执法局"), w.area("浮石社区")) {
        let op = w.desk(Role::Operator);
        scripts.push(Script {
            category: "enforcement-building",
            channel: Channel::Hotline12345,
            urgency: Urgency::Normal,
            title: "浮石社区楼顶违法搭建阳光房".into(),
            description: "小区12幢楼顶有住户搭建阳光房，影响房屋安全和邻居采光。".into(),
            area: Some(area),
            reporter: Some(("张某", "13600004444")),
            received: now - 20 * DAY,
            steps: vec![
                (HOUR, op, CaseCommand::Dispatch { lead: build, cooperating: vec![] }),
                (HOUR + 10 * MIN, w.member(build), CaseCommand::Sign { unit: build }),
            ],
        });
    }

    // 8. A broken street lamp, resolved by its unit this morning: waiting for the center's check.
    if let (Some(roads), Some(area)) = (id_of("区交通运输局"), w.area("樟潭社区")) {
        let op = w.desk(Role::Operator);
        scripts.push(Script {
            category: "roads",
            channel: Channel::Online,
            urgency: Urgency::Normal,
            title: "樟潭社区沿江路三盏路灯连续多晚不亮".into(),
            description: "沿江路靠近公交站的三盏路灯一周来晚上都不亮，行人夜里看不清路。".into(),
            area: Some(area),
            reporter: Some(("赵某", "13500005555")),
            received: now - 2 * DAY,
            steps: vec![
                (40 * MIN, op, CaseCommand::Dispatch { lead: roads, cooperating: vec![] }),
                (48 * MIN, w.member(roads), CaseCommand::Sign { unit: roads }),
                (DAY, w.member(roads), CaseCommand::Progress { unit: roads, text: "已派维修班组到场，线路老化，需更换。".into(), place: None }),
                (2 * DAY - 3 * HOUR, w.member(roads), CaseCommand::Resolve { unit: roads, result: "三盏路灯线路已更换，当晚恢复照明。".into() }),
            ],
        });
    }
    // 9. A power cut without notice, checked by the center: waiting for the resident's rating.
    if let (Some(power), Some(area)) = (id_of("区供电分公司"), w.area("东港社区")) {
        let op = w.desk(Role::Operator);
        scripts.push(Script {
            category: "utilities",
            channel: Channel::Hotline12345,
            urgency: Urgency::Normal,
            title: "东港社区部分楼栋停电未提前通知".into(),
            description: "昨天下午小区5至8幢突然停电近四小时，事先没有任何通知。".into(),
            area: Some(area),
            reporter: Some(("钱某", "13400006666")),
            received: now - 3 * DAY,
            steps: vec![
                (30 * MIN, op.clone(), CaseCommand::Dispatch { lead: power, cooperating: vec![] }),
                (35 * MIN, w.member(power), CaseCommand::Sign { unit: power }),
                (DAY, w.member(power), CaseCommand::Resolve { unit: power, result: "系线路检修，已向居民说明并承诺今后提前三天公告。".into() }),
                (DAY + 4 * HOUR, op, CaseCommand::Verify),
            ],
        });
    }

    // A year of generated history.
    let places: Vec<&Area> = w.areas.iter().filter(|a| matches!(a.level, AreaLevel::Village | AreaLevel::Grid)).collect();
    let cats: Vec<&Category> = w.categories.values().collect();
    let dept_for = |code: &str| department_for(code).and_then(id_of);
    for _ in 0..GENERATED {
        let place = places[rng.random_range(0..places.len())];
        let cat = cats[rng.random_range(0..cats.len())];
        let received = now - rng.random_range(2 * DAY..365 * DAY);
        let township = w.township_unit(place).map(|u| u.id);
        let village = w.village_unit(place).map(|u| u.id);
        let subjects = wording::of(&cat.code);
        let subject = (!subjects.is_empty()).then(|| subjects[rng.random_range(0..subjects.len())]);
        // The category's usual department, unless this problem is another unit's.
        let usual = dept_for(&cat.code);
        let handler = subject.and_then(|s| s.unit).and_then(id_of).or(usual);
        let lead = handler.or(township);
        // Now and then the desk files it under a neighbouring category.
        let filed = wording::filed_under(&cat.code, &mut rng);
        let steps = match (lead, rng.random_range(0..100)) {
            (None, _) | (_, 0..=4) => vec![(HOUR, w.desk(Role::Operator), CaseCommand::Reject { reason: "不属于受理范围，已告知反映人。".into() })],
            (Some(lead), roll) => {
                let coop: Vec<i64> = if handler.is_some() { township.into_iter().collect() } else { village.into_iter().collect() };
                let mut steps = Vec::new();
                // The first dispatch goes astray: to the usual department of the category
                // the case was filed under, when that is not who handles it (misfiled), or
                // to the category's usual department for a problem that is another unit's
                // (a third of those). It comes back as not the unit's own.
                let misfiled = filed != cat.code;
                let astray = if misfiled { dept_for(filed) } else { usual.filter(|_| rng.random_bool(0.33)) };
                if let Some(wrong) = astray.filter(|u| Some(*u) != handler) {
                    let op = w.desk(Role::Operator);
                    steps.push((20 * MIN, op, CaseCommand::Dispatch { lead: wrong, cooperating: vec![] }));
                    steps.push((40 * MIN, w.member(wrong), CaseCommand::Sign { unit: wrong }));
                    steps.push((3 * HOUR, w.member(wrong), CaseCommand::Return { unit: wrong, reason: "经核实不属于本单位职责，请中心另行派单。".into() }));
                }
                // Most misfiled cases are put right by the desk: at triage, or after the
                // return; the rest keep the wrong category, as real registers do.
                if misfiled && rng.random_bool(0.6) {
                    let at = if steps.is_empty() { 10 * MIN } else { 3 * HOUR + 20 * MIN };
                    let reason = "核实来电内容后，更正事件分类。".to_string();
                    steps.push((at, w.desk(Role::Operator), CaseCommand::Recategorise { to: Box::new((*cat).clone()), reason }));
                }
                let offset = if steps.is_empty() {
                    0
                } else if steps.len() == 1 {
                    15 * MIN
                } else {
                    4 * HOUR
                };
                steps.extend(full_loop(&w, lead, &coop, cat.allowed_ms, &mut rng, roll >= 12).into_iter().map(|(t, a, c)| (t + offset, a, c)));
                steps
            }
        };
        // A grid is spoken of by its village.
        let parent_of = |a: &Area| a.parent_id.and_then(|p| w.areas.iter().find(|x| x.id == p));
        let village_area = if place.level == AreaLevel::Grid { parent_of(place).unwrap_or(place) } else { place };
        let township_name = parent_of(village_area).map(|a| a.name.as_str()).unwrap_or("");
        let (title, description) = match subject {
            Some(sub) => (format!("{}{}", village_area.name, sub.title), wording::describe(sub, township_name, &village_area.name, &mut rng)),
            None => (format!("{}村务公开不及时", place.name), format!("{}村务公开不及时，群众有意见。", place.name)),
        };
        scripts.push(Script {
            category: w.categories.get(filed).map(|c| c.code.as_str()).unwrap_or(&cat.code),
            channel: [Channel::Hotline12345, Channel::Hotline12345, Channel::Online, Channel::Field, Channel::WalkIn][rng.random_range(0..5)],
            urgency: Urgency::Normal,
            title,
            description,
            area: Some(place),
            reporter: None,
            received,
            steps,
        });
    }

    let mut tx = db.begin_write().await?;
    let n = scripts.len();
    for s in scripts {
        write(&mut tx, db.backend, &w, s, &mut rng).await?;
    }
    tx.commit().await?;
    // The disputes' mediation records, then the month's risk warnings as the rules would
    // have raised them at each intake.
    super::mediation::seed_mediations(db).await?;
    crate::service::risk::stream::run_over_recent(db, now - 30 * DAY).await?;
    super::risk::seed_warning_steps(db, &w.desk(Role::Commander), now).await?;
    // Last week's bulletin, published: the supervision office's routine, from these records.
    let supervisor = w.desk(Role::Supervisor);
    if supervisor != Actor::System {
        crate::service::bulletins::seed_last_week(db, &supervisor, now).await?;
    }
    Ok(n)
}

/// The district department that handles a demo category, by its demo name (the categories
/// villages and townships handle on their own have none).
pub fn department_for(category: &str) -> Option<&'static str> {
    Some(match category {
        "dispute-labour" => "区人力社保局",
        "petition" => "区信访局",
        "enforcement-pollution" => "生态环境分局",
        "enforcement-market" => "区市场监管局",
        "enforcement-building" => "区综合行政执法局",
        "emergency-fire" | "emergency-flood" | "emergency-accident" | "risk-safety" => "区应急管理局",
        "roads" => "区交通运输局",
        "utilities" => "区供电分公司",
        "construction-damage" => "区住建局",
        _ => return None,
    })
}
