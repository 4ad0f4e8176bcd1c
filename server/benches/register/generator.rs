//! The generated register: a district's worth of cases in Chinese, from a vocabulary, with the
//! statuses, deadlines, units and search rows a few years of work leave, written in big
//! multi-row batches. Deterministic: the same seed gives the same register.
use super::{DAY, HOUR, MIN};
use app::domain::case::{Actor, Case, CaseCommand, CaseKind, CaseStatus, Category, Channel, Intake, Urgency};
use app::domain::org::{Area, AreaLevel, Role, Staff, Unit};
use app::store::{Backend, Db};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Connection;
use sqlx::Row;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

const SUBJECTS: &[(&str, u32, &[&str])] = &[
    ("noise", 14, &["夜间施工噪音扰民", "广场舞音响声音过大", "商铺高音喇叭促销扰民", "工厂机器轰鸣影响休息", "装修电钻噪音", "KTV深夜噪音"]),
    ("environment", 14, &["垃圾清运不及时", "河道漂浮垃圾较多", "公厕脏乱无人打扫", "餐馆油烟扰民", "焚烧秸秆烟雾大", "绿化带杂草丛生"]),
    ("roads", 12, &["道路坑洼积水", "路灯不亮", "窨井盖缺失", "人行道地砖破损", "红绿灯故障", "违章停车堵路", "桥梁护栏损坏"]),
    ("utilities", 10, &["停水未提前通知", "自来水浑浊发黄", "小区频繁停电", "燃气管道有异味", "水管爆裂漏水", "电线私拉乱接"]),
    ("dispute-neighbour", 8, &["邻居占用公共通道", "楼上漏水引发纠纷", "相邻搭建遮挡采光", "宠物狗扰民纠纷"]),
    ("dispute-land", 4, &["宅基地界址纠纷", "承包地边界争议", "土地流转租金纠纷"]),
    ("dispute-labour", 5, &["工地拖欠农民工工资", "企业拖欠工资", "劳动合同纠纷", "单位未缴纳社保"]),
    ("petition", 4, &["反映征地补偿问题", "反映低保评定不公", "反映拆迁安置问题", "反映村务不公开"]),
    ("construction-damage", 4, &["施工致房屋墙体开裂", "施工震动致地面沉降", "工程渣土洒落路面", "施工围挡占道"]),
    ("risk-mass", 1, &["多名业主聚集讨要说法", "拆迁户集体上访苗头", "工人聚集讨薪"]),
    ("risk-safety", 5, &["自建房存在安全隐患", "电动车楼道充电", "高压线下违规堆放杂物", "危房无人看管", "消防通道被堵"]),
    ("emergency-fire", 1, &["山林冒烟疑似火情", "居民楼起火", "烧田埂引发火情"]),
    ("emergency-flood", 1, &["强降雨道路积水严重", "山塘水库水位上涨", "山体滑坡险情"]),
    ("emergency-accident", 1, &["道路交通事故有人受伤", "燃气泄漏", "有人落水"]),
    ("enforcement-pollution", 4, &["企业夜间偷排污水", "河道发黑发臭", "工厂废气刺鼻"]),
    ("enforcement-market", 4, &["超市售卖过期食品", "无证经营", "价格欺诈"]),
    ("enforcement-building", 4, &["违法搭建阳光房", "楼顶违章加层", "侵占河道违建"]),
    ("guidance-grid", 2, &["网格员信息采集问题", "网格事项上报咨询"]),
    ("guidance-village", 2, &["村务公开咨询", "村集体资金使用疑问", "村规民约修订建议"]),
];
const WHO: &[&str] = &["群众来电反映", "村民反映", "居民反映", "网格员巡查发现", "12345热线转办", "业主反映", "商户反映"];
const SPOTS: &[&str] =
    &["村口", "小区门口", "菜市场旁", "学校附近", "沿江路", "新村路", "老街", "幼儿园对面", "工业园区", "公交站旁", "文化礼堂前", "卫生院后面"];
const DETAILS: &[&str] =
    &["已持续三天", "多次反映未解决", "情况比较紧急", "白天晚上都有", "附近居民意见很大", "已拍照留存", "上周已经反映过一次", "涉及十多户人家"];
const IMPACTS: &[&str] = &["影响周边居民正常生活", "存在安全隐患", "影响出行", "影响老人小孩休息", "影响环境卫生", "群众反映强烈"];
const ASKS: &[&str] = &["请相关部门尽快核实处理", "希望尽快解决并回复", "请尽快派人查看", "要求给个说法", "请协调有关单位处理"];
const ROADS: &[&str] = &["人民路", "解放路", "沿江路", "新村路", "府前路", "樟潭路", "东港路", "衢江大道"];
/// Rare words, each in about 1 case in 20,000, for searches with few answers.
const RARE: &[&str] = &["鑫达建材有限公司", "5G通信铁塔", "LED广告屏", "周国强"];

fn weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut r = rng.random_range(0..total);
    for (t, w) in items {
        if r < *w {
            return t;
        }
        r -= w;
    }
    &items[0].0
}

struct World {
    categories: HashMap<String, Category>,
    /// Places cases happen in, with weights (a few busy villages, some quiet grids).
    places: Vec<(Area, u32)>,
    areas: Vec<Area>,
    units: Vec<Unit>,
    staff: Vec<Staff>,
    /// A real case's state JSON in each status.
    states: HashMap<CaseStatus, String>,
}

impl World {
    async fn load(db: &Db) -> World {
        let categories: HashMap<String, Category> =
            app::store::cases::categories(&mut *db.read().await.expect("a connection")).await.unwrap().into_iter().map(|c| (c.code.clone(), c)).collect();
        let areas = app::store::org::all_areas(&mut *db.read().await.expect("a connection")).await.unwrap();
        let units = app::store::org::all_units(&mut *db.read().await.expect("a connection")).await.unwrap();
        let staff = app::store::users::all_staff(&mut *db.read().await.expect("a connection")).await.unwrap();
        let mut places: Vec<Area> = areas.iter().filter(|a| a.level != AreaLevel::District).cloned().collect();
        places.sort_by(|a, b| a.code.cmp(&b.code));
        // Zipf-like: the k-th place (in a fixed shuffle) gets weight ~ 1/k, townships less.
        let mut rng = StdRng::seed_from_u64(7);
        let mut order: Vec<usize> = (0..places.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let mut places: Vec<(Area, u32)> = order
            .iter()
            .enumerate()
            .map(|(rank, &i)| {
                let a = places[i].clone();
                let w = (100_000 / (rank as u32 + 1)) / if a.level == AreaLevel::Township { 4 } else { 1 };
                (a, w)
            })
            .collect();
        // Three grids are quiet: a few dozen cases in a million, or a handful.
        let quiet: Vec<usize> = (0..places.len()).rev().filter(|&i| places[i].0.level == AreaLevel::Grid).take(3).collect();
        for (k, i) in quiet.into_iter().enumerate() {
            places[i].1 = [1, 5, 20][k];
        }
        let mut w = World { categories, places, areas, units, staff, states: HashMap::new() };
        w.states = w.state_templates();
        w
    }

    fn unit(&self, name: &str) -> Option<i64> {
        self.units.iter().find(|u| u.name == name).map(|u| u.id)
    }

    /// The area at `level` on the way up from `area` (itself included).
    fn ancestor(&self, area: &Area, level: AreaLevel) -> Option<i64> {
        let mut a = Some(area);
        while let Some(cur) = a {
            if cur.level == level {
                return Some(cur.id);
            }
            a = cur.parent_id.and_then(|p| self.areas.iter().find(|x| x.id == p));
        }
        None
    }

    fn ancestor_unit(&self, area: &Area, level: AreaLevel) -> Option<i64> {
        let mut a = Some(area);
        while let Some(cur) = a {
            if cur.level == level {
                return self.units.iter().find(|u| u.area_id == Some(cur.id)).map(|u| u.id);
            }
            a = cur.parent_id.and_then(|p| self.areas.iter().find(|x| x.id == p));
        }
        None
    }

    fn department(&self, category: &str) -> Option<i64> {
        // The demo seed's departments, and two the generated history also gives one.
        let name = app::service::seed::cases::department_for(category).or(match category {
            "environment" => Some("区综合行政执法局"),
            "risk-mass" => Some("区委政法委"),
            _ => None,
        })?;
        self.unit(name)
    }

    fn actor(&self, role: Role, unit: Option<i64>) -> Actor {
        match self.staff.iter().find(|s| s.role == role && (unit.is_none() || s.unit_id == unit)) {
            Some(s) => Actor::staff(s.id, role, s.unit_id),
            None => Actor::System,
        }
    }

    /// Drives one case through the rules to each status and keeps its state JSON, so the
    /// generated rows are as wide as real ones.
    fn state_templates(&self) -> HashMap<CaseStatus, String> {
        let mut out = HashMap::new();
        let Some(cat) = self.categories.get("roads") else { return out };
        let op = self.actor(Role::Operator, None);
        let units: Vec<i64> = self.units.iter().filter(|u| u.kind != app::domain::org::UnitKind::Center).map(|u| u.id).take(3).collect();
        if units.len() < 3 {
            return out;
        }
        let members: Vec<Actor> = units.iter().map(|u| self.actor(Role::UnitStaff, Some(*u))).collect();
        let t0 = 1_700_000_000_000;
        let run = |cmds: &[(Actor, CaseCommand)]| -> Option<Case> {
            let intake = Intake::new(cat, Channel::Hotline12345, Urgency::Normal).ok()?;
            let (mut case, _) = Case::receive(1, intake, &op, t0).ok()?;
            for (i, (by, cmd)) in cmds.iter().enumerate() {
                case.execute(by, t0 + (i as i64 + 1) * HOUR, cmd).ok()?;
            }
            Some(case)
        };
        let dispatch = CaseCommand::Dispatch { lead: units[0], cooperating: vec![units[1], units[2]] };
        let mut story: Vec<(Actor, CaseCommand)> = vec![];
        let mut keep = |story: &[(Actor, CaseCommand)]| {
            if let Some(c) = run(story) {
                out.insert(c.status, serde_json::to_string(&c).unwrap());
            }
        };
        keep(&story);
        story.push((op.clone(), CaseCommand::Triage));
        keep(&story);
        let mut rejected = story.clone();
        rejected.push((op.clone(), CaseCommand::Reject { reason: "不属于受理范围，已告知反映人。".into() }));
        keep(&rejected);
        let mut merged = story.clone();
        merged.push((op.clone(), CaseCommand::Merge { into: 2 }));
        keep(&merged);
        story.push((op.clone(), dispatch));
        keep(&story);
        for (u, m) in units.iter().zip(&members) {
            story.push((m.clone(), CaseCommand::Sign { unit: *u }));
        }
        keep(&story);
        story.push((members[0].clone(), CaseCommand::Progress { unit: units[0], text: "已到现场核实情况，正在协调处理。".into(), place: None }));
        story.push((members[1].clone(), CaseCommand::FinishPart { unit: units[1] }));
        story.push((members[2].clone(), CaseCommand::FinishPart { unit: units[2] }));
        story.push((members[0].clone(), CaseCommand::Resolve { unit: units[0], result: "问题已处理完毕，已向反映人说明。".into() }));
        keep(&story);
        story.push((op.clone(), CaseCommand::Verify));
        keep(&story);
        let mut reopened = story.clone();
        reopened.push((Actor::Resident, CaseCommand::RecordFollowUp { satisfied: Some(false), comment: Some("没有解决".into()) }));
        keep(&reopened);
        story.push((Actor::Resident, CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None }));
        keep(&story);
        out
    }
}

/// One generated case, as the columns the schema has.
struct GenCase {
    id: i64,
    code: String,
    secret_hash: String,
    kind: &'static str,
    category: String,
    channel: &'static str,
    urgency: &'static str,
    status: CaseStatus,
    title: String,
    description: String,
    address: Option<String>,
    area: Option<(i64, String)>,
    /// The township and village the area lies in (itself included).
    township: Option<i64>,
    village: Option<i64>,
    location: Option<(i64, i64)>,
    lead: Option<i64>,
    merged_into: Option<i64>,
    received_at: i64,
    deadline_at: i64,
    stopped_at: Option<i64>,
    updated_at: i64,
    last_seq: i64,
    last_hash: String,
    /// (unit, lead, current, status)
    units: Vec<(i64, bool, bool, &'static str)>,
}

fn hex(rng: &mut StdRng) -> String {
    let mut s = String::with_capacity(64);
    for _ in 0..4 {
        let _ = write!(s, "{:016x}", rng.random::<u64>());
    }
    s
}

/// A tracking code like the service's, unique per id: a bijection on the code space (an
/// odd multiplier co-prime with 31^6), so codes look random.
fn tracking_code(id: i64, received: i64) -> String {
    app::service::codes::numbered_code(received, (id as u64).wrapping_mul(1_000_003))
}

struct Generator<'w> {
    w: &'w World,
    rng: StdRng,
    n: usize,
    start: i64,
    now: i64,
}

impl Generator<'_> {
    fn case(&mut self, i: usize) -> GenCase {
        let w = self.w;
        let rng = &mut self.rng;
        let id = i as i64 + 1;
        let span = self.now - self.start;
        let slot = span / self.n as i64;
        let mut received = self.start + slot * i as i64 + rng.random_range(0..slot.max(1));
        // Some reports are entered after the fact: back-dated, out of id order.
        if rng.random_ratio(1, 100) {
            received -= rng.random_range(HOUR..3 * DAY);
        }
        let cats: Vec<(usize, u32)> = SUBJECTS.iter().enumerate().map(|(i, s)| (i, s.1)).collect();
        let (cat_code, _, subjects) = SUBJECTS[*weighted(rng, &cats)];
        let cat = &w.categories[cat_code];
        let channel = *weighted(
            rng,
            &[(Channel::Hotline12345, 45), (Channel::Online, 20), (Channel::Field, 20), (Channel::WalkIn, 8), (Channel::Petition, 5), (Channel::Open311, 2)],
        );
        let urgency = if cat.kind == CaseKind::MajorEmergency {
            *weighted(rng, &[(Urgency::Emergency, 70), (Urgency::Urgent, 30)])
        } else {
            *weighted(rng, &[(Urgency::Normal, 85), (Urgency::Urgent, 12), (Urgency::Emergency, 3)])
        };
        let intake = Intake::new(cat, channel, urgency).expect("intake");
        let place = if rng.random_ratio(3, 100) { None } else { Some(weighted(rng, &w.places).clone()) };
        let subject = subjects[rng.random_range(0..subjects.len())];
        let spot = SPOTS[rng.random_range(0..SPOTS.len())];
        let place_name = place.as_ref().map_or("辖区内", |a| a.name.as_str());
        let rare = if rng.random_ratio(1, 5000) { RARE[rng.random_range(0..RARE.len())] } else { "" };
        let title = match rng.random_range(0..3) {
            0 => format!("{place_name}{subject}"),
            1 => format!("{place_name}{spot}{subject}"),
            _ => format!("反映{place_name}{subject}问题"),
        };
        let description = format!(
            "{}：{place_name}{spot}{rare}{subject}，{}，{}，{}。{}",
            WHO[rng.random_range(0..WHO.len())],
            DETAILS[rng.random_range(0..DETAILS.len())],
            IMPACTS[rng.random_range(0..IMPACTS.len())],
            ASKS[rng.random_range(0..ASKS.len())],
            if rng.random_bool(0.3) { format!("联系人称第{}次反映。", rng.random_range(1..6)) } else { String::new() },
        );
        let address =
            (place.is_some() && rng.random_bool(0.7)).then(|| format!("{place_name}{}{}号", ROADS[rng.random_range(0..ROADS.len())], rng.random_range(1..300)));
        let location =
            place.as_ref().filter(|_| rng.random_bool(0.8)).map(|_| (28_930_000 + rng.random_range(0..80_000), 118_900_000 + rng.random_range(0..120_000)));

        // Where it stands now: rejected or merged early, else through the loop at a pace
        // set by its category's time; a few stuck open (overdue) or sent round again.
        let allowed = intake.terms.allowed_ms;
        let deadline = received + allowed;
        let age = self.now - received;
        let done_after = (allowed as f64 * rng.random_range(0.1..1.3)) as i64 + 30 * MIN;
        let roll = rng.random_range(0..1000);
        let (status, stopped) = if roll < 50 {
            (CaseStatus::Rejected, Some(received + rng.random_range(10 * MIN..4 * HOUR)))
        } else if roll < 70 {
            (CaseStatus::Merged, Some(received + rng.random_range(10 * MIN..4 * HOUR)))
        } else if roll < 78 && age > 2 * DAY {
            (CaseStatus::InProgress, None)
        } else if roll < 81 && age > 5 * DAY {
            (CaseStatus::Reopened, None)
        } else if roll < 84 && age > 2 * DAY {
            (CaseStatus::Dispatched, None)
        } else if age < 10 * MIN {
            (CaseStatus::Received, None)
        } else if age < 30 * MIN {
            (CaseStatus::Triage, None)
        } else if age < HOUR {
            (CaseStatus::Dispatched, None)
        } else if age < done_after {
            (CaseStatus::InProgress, None)
        } else if age < done_after + 12 * HOUR {
            (CaseStatus::Resolved, Some(received + done_after))
        } else if age < done_after + 4 * DAY {
            // Verification starts the follow-up at once: no case rests in `verified`.
            (CaseStatus::FollowUp, Some(received + done_after))
        } else {
            (CaseStatus::Closed, Some(received + done_after))
        };
        let with_units = !matches!(status, CaseStatus::Received | CaseStatus::Triage | CaseStatus::Rejected | CaseStatus::Merged);
        let mut units = Vec::new();
        let mut lead = None;
        if with_units {
            let township = place.as_ref().and_then(|a| w.ancestor_unit(a, AreaLevel::Township));
            let village = place.as_ref().and_then(|a| w.ancestor_unit(a, AreaLevel::Village));
            let dept = w.department(cat_code);
            let l = dept.or(township).or(village).or_else(|| w.department("roads"));
            lead = l;
            let current = matches!(status, CaseStatus::Dispatched | CaseStatus::InProgress | CaseStatus::Resolved);
            let unit_status = match status {
                CaseStatus::Dispatched => "assigned",
                CaseStatus::InProgress => "signed",
                _ => "done",
            };
            if let Some(l) = l {
                units.push((l, true, current, unit_status));
            }
            let mut coop: Vec<i64> = if dept.is_some() { township.into_iter().collect() } else { village.into_iter().collect() };
            if rng.random_ratio(1, 10) {
                // Now and then a rotating department helps out.
                let rotating: Vec<&Unit> = w.units.iter().filter(|u| u.kind == app::domain::org::UnitKind::RotatingDepartment).collect();
                coop.push(rotating[rng.random_range(0..rotating.len())].id);
            }
            for c in coop {
                if Some(c) != l && !units.iter().any(|u| u.0 == c) {
                    units.push((c, false, current, unit_status));
                }
            }
        }
        let merged_into = (status == CaseStatus::Merged && id > 1).then(|| (id - rng.random_range(1..id.min(500) + 1)).max(1));
        GenCase {
            id,
            code: tracking_code(id, received),
            secret_hash: hex(rng),
            kind: cat.kind.code(),
            category: cat_code.to_string(),
            channel: channel.code(),
            urgency: urgency.code(),
            status,
            title,
            description,
            address,
            area: place.as_ref().map(|a| (a.id, a.code.clone())),
            township: place.as_ref().and_then(|a| w.ancestor(a, AreaLevel::Township)),
            village: place.as_ref().and_then(|a| w.ancestor(a, AreaLevel::Village)),
            location,
            lead,
            merged_into,
            received_at: received,
            deadline_at: deadline,
            stopped_at: stopped,
            updated_at: stopped.unwrap_or(received + if with_units { HOUR } else { 0 }),
            last_seq: match status {
                CaseStatus::Received => 1,
                CaseStatus::Triage | CaseStatus::Rejected | CaseStatus::Merged => 2,
                CaseStatus::Dispatched => 3,
                CaseStatus::InProgress => 6,
                _ => 12,
            },
            last_hash: hex(rng),
            units,
        }
    }
}

fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for ch in s.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
    out
}

fn opt_int(v: Option<i64>) -> String {
    v.map_or_else(|| "NULL".into(), |v| v.to_string())
}

/// Columns and tables later migrations added, filled when the schema has them (so the
/// same generator fills older schemas too, for before/after figures).
struct Schema {
    /// `cases.township_id` and `cases.village_id`.
    area_ancestors: bool,
    /// `case_units.received_at`.
    unit_received: bool,
    /// `case_units.deadline_at` and `stopped_at`.
    unit_deadlines: bool,
    /// SQLite's `case_grams` index.
    grams: bool,
}

impl Schema {
    async fn of(db: &Db) -> Schema {
        let works = |sql: &'static str| async move { sqlx::raw_sql(sql).fetch_all(&db.pool).await.is_ok() };
        Schema {
            area_ancestors: works("SELECT township_id, village_id FROM cases LIMIT 0").await,
            unit_received: works("SELECT received_at FROM case_units LIMIT 0").await,
            unit_deadlines: works("SELECT deadline_at, stopped_at FROM case_units LIMIT 0").await,
            grams: db.backend == Backend::Sqlite && works("SELECT rowid FROM case_grams LIMIT 0").await,
        }
    }
}

/// The SQL for one batch of cases: cases, case_units, case_search (and case_grams).
fn batch_sql(backend: Backend, schema: &Schema, w: &World, cases: &[GenCase]) -> String {
    let mut sql = String::with_capacity(cases.len() * 2600);
    sql.push_str(
        "INSERT INTO cases (id, code, secret_hash, kind, category, channel, urgency, status, title, description, address,
            area_id, area_code, lat_e6, lng_e6, reporter_id, lead_unit_id, merged_into, received_at, deadline_at, stopped_at,
            updated_at, last_seq, last_hash, state",
    );
    sql.push_str(if schema.area_ancestors { ", township_id, village_id) VALUES " } else { ") VALUES " });
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            sql.push(',');
        }
        let state = w.states.get(&c.status).map_or("{}", String::as_str);
        let _ = write!(
            sql,
            "({},{},{},{},{},{},{},{},{},{},{},{},{},{},{},NULL,{},{},{},{},{},{},{},{},{}",
            c.id,
            lit(&c.code),
            lit(&c.secret_hash),
            lit(c.kind),
            lit(&c.category),
            lit(c.channel),
            lit(c.urgency),
            lit(c.status.code()),
            lit(&c.title),
            lit(&c.description),
            c.address.as_deref().map_or_else(|| "NULL".into(), lit),
            opt_int(c.area.as_ref().map(|a| a.0)),
            c.area.as_ref().map_or_else(|| "NULL".into(), |a| lit(&a.1)),
            opt_int(c.location.map(|l| l.0)),
            opt_int(c.location.map(|l| l.1)),
            opt_int(c.lead),
            opt_int(c.merged_into),
            c.received_at,
            c.deadline_at,
            opt_int(c.stopped_at),
            c.updated_at,
            c.last_seq,
            lit(&c.last_hash),
            lit(state),
        );
        if schema.area_ancestors {
            let _ = write!(sql, ",{},{}", opt_int(c.township), opt_int(c.village));
        }
        sql.push(')');
    }
    sql.push_str(";\n");
    let mut first = true;
    for c in cases {
        for (u, lead, current, status) in &c.units {
            if first {
                sql.push_str("INSERT INTO case_units (case_id, unit_id, lead, current, status");
                sql.push_str(if schema.unit_received { ", received_at" } else { "" });
                sql.push_str(if schema.unit_deadlines { ", deadline_at, stopped_at) VALUES " } else { ") VALUES " });
            } else {
                sql.push(',');
            }
            first = false;
            let _ = write!(sql, "({},{},{},{},{}", c.id, u, *lead as i64, *current as i64, lit(status));
            if schema.unit_received {
                let _ = write!(sql, ",{}", c.received_at);
            }
            if schema.unit_deadlines {
                let _ = write!(sql, ",{},{}", c.deadline_at, opt_int(c.stopped_at));
            }
            sql.push(')');
        }
    }
    if !first {
        sql.push_str(";\n");
    }
    match backend {
        Backend::Sqlite => sql.push_str("INSERT INTO case_search (rowid, title, description, address) VALUES "),
        Backend::Postgres => sql.push_str("INSERT INTO case_search (case_id, body) VALUES "),
    }
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            sql.push(',');
        }
        let address = c.address.as_deref().unwrap_or("");
        match backend {
            Backend::Sqlite => {
                let _ = write!(sql, "({},{},{},{})", c.id, lit(&c.title), lit(&c.description), lit(address));
            }
            Backend::Postgres => {
                let _ = write!(sql, "({},{})", c.id, lit(&format!("{}\n{}\n{}", c.title, c.description, address)));
            }
        }
    }
    sql.push_str(";\n");
    if schema.grams {
        sql.push_str("INSERT INTO case_grams (rowid, grams) VALUES ");
        for (i, c) in cases.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            let _ = write!(sql, "({},{})", c.id, lit(&app::store::cases::grams(&[&c.title, &c.description, c.address.as_deref().unwrap_or("")])));
        }
        sql.push_str(";\n");
    }
    sql
}

/// Secondary indexes of the tables the load fills, as their own definitions (so indexes
/// added by later migrations are rebuilt the same way).
async fn secondary_indexes(db: &Db) -> Vec<(String, String)> {
    let sql = match db.backend {
        Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name IN ('cases', 'case_units', 'case_search')"
        }
        Backend::Postgres => {
            "SELECT i.indexname::text, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()
             AND i.tablename IN ('cases', 'case_units', 'case_search')
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
        }
    };
    sqlx::query(sql).fetch_all(&db.pool).await.unwrap().iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// Fills a freshly migrated database with `n` cases.
pub(super) async fn generate(db: &Db, n: usize) {
    let t = Instant::now();
    let seeded = app::service::seed::seed_demo(db).await.expect("demo organisation");
    println!("  demo organisation: {} accounts ({:.1} s)", seeded.len(), t.elapsed().as_secs_f64());
    let w = World::load(db).await;
    let now = app::store::now_ms();
    let mut g = Generator { w: &w, rng: StdRng::seed_from_u64(20_240_601), n, start: now - 3 * 365 * DAY, now: now - 5 * MIN };
    let schema = Schema::of(db).await;
    println!("  schema: area ancestors {}, unit receipt times {}, gram index {}", schema.area_ancestors, schema.unit_received, schema.grams);
    let indexes = secondary_indexes(db).await;
    for (name, _) in &indexes {
        sqlx::raw_sql(&format!("DROP INDEX {name}")).execute(&db.pool).await.unwrap();
    }
    let mut conn = db.pool.acquire().await.unwrap();
    if db.backend == Backend::Sqlite {
        sqlx::raw_sql("PRAGMA synchronous=OFF; PRAGMA cache_size=-200000").execute(&mut *conn).await.unwrap();
    }
    let t = Instant::now();
    const BATCH: usize = 500;
    const PER_TX: usize = 50_000;
    let mut i = 0;
    while i < n {
        let mut tx = conn.begin().await.unwrap();
        let end = (i + PER_TX).min(n);
        while i < end {
            let batch: Vec<GenCase> = (i..(i + BATCH).min(end)).map(|k| g.case(k)).collect();
            i += batch.len();
            sqlx::raw_sql(&batch_sql(db.backend, &schema, &w, &batch)).execute(&mut *tx).await.unwrap_or_else(|e| panic!("batch at {i}: {e}"));
        }
        tx.commit().await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        print!("\r  cases: {i} of {n} ({:.0} rows/s)   ", i as f64 / secs);
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }
    println!("\n  rows written in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    if db.backend == Backend::Postgres {
        sqlx::raw_sql("SET maintenance_work_mem = '512MB'").execute(&mut *conn).await.unwrap();
    }
    for (name, def) in &indexes {
        let ti = Instant::now();
        sqlx::raw_sql(def).execute(&mut *conn).await.unwrap_or_else(|e| panic!("{def}: {e}"));
        println!("  index {name}: {:.1} s", ti.elapsed().as_secs_f64());
    }
    if db.backend == Backend::Postgres {
        // Separate statements: several in one go run as one transaction, and VACUUM refuses that.
        sqlx::raw_sql("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))").execute(&mut *conn).await.unwrap();
        if let Err(e) = sqlx::raw_sql("VACUUM ANALYZE").execute(&mut *conn).await {
            println!("  VACUUM refused ({e}); ANALYZE only");
            sqlx::raw_sql("ANALYZE").execute(&mut *conn).await.unwrap();
        }
    }
    println!("  indexes rebuilt in {:.1} s", t.elapsed().as_secs_f64());
}
