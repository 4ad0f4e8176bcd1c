//! The case register at scale: list and search over a million cases, and exports.
//!
//! 1. A register of `--cases` (default 1,000,000) generated cases on the app's real schema
//!    (`Db::connect` + `migrate`, the demo organisation of `seed_demo`): Chinese titles,
//!    descriptions and addresses from a vocabulary, statuses as a few years of work leave
//!    them, deadlines from the categories, `case_units` and `case_search` rows, the state
//!    JSON of a real case in the same status. Written with multi-row INSERTs in big
//!    transactions, the cases' indexes dropped during the load and rebuilt from their own
//!    definitions after it. (No `case_events` rows and no reporters: lists never read
//!    them.) The SQLite file is cached under `target/bench-data/` and reused until the
//!    migrations (or this generator) change.
//! 2. `app::service::cases::list` for a matrix of filters, each on its first page and on a
//!    page about 10,000 rows deep (keyset), `--runs` times: p50 / p99 against 50 ms.
//! 3. Excel and CSV export of the newest 100,000 cases (and 10,000, to see whether memory
//!    grows with the length), each in a child process that reports its time and peak RSS.
//! 4. The list matrix on PostgreSQL when `SHEZHI_BENCH_PG_URL` (or `SHEZHI_TEST_PG_URL`)
//!    names a server whose user may create databases (`--pg-cases`, default as `--cases`;
//!    the database `shezhi_bench_register` is kept for the next run).
//!
//! `cargo bench -p server --bench register -- [--cases N] [--runs R] [--export-rows N]
//!  [--pg-cases N] [--only SUBSTRING] [--no-export] [--no-sqlite] [--regen]`
//! The last line is `RESULT {json}`.
mod common;
use app::domain::case::{Actor, Case, CaseCommand, CaseFilter, CaseKind, CaseStatus, Category, Channel, Cursor, Intake, Urgency};
use app::domain::org::{Area, AreaLevel, Role, Staff, Unit};
use app::store::{Backend, Db};
use common::with_database;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bump when the generated data changes, so cached databases are rebuilt.
const GENERATOR: &str = "register-gen-2";
const TARGET_MS: f64 = 50.0;
const EXPORT_TARGET_S: f64 = 5.0;
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

struct Opts {
    cases: usize,
    pg_cases: usize,
    runs: usize,
    deep: usize,
    export_rows: usize,
    max_secs: f64,
    only: Option<String>,
    export: bool,
    sqlite: bool,
    regen: bool,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let num = |name: &str, d: usize| get(name).and_then(|v| v.replace('_', "").parse::<usize>().ok()).unwrap_or(d);
    let has = |name: &str| args.iter().any(|a| a == name);
    let cases = num("--cases", 1_000_000).max(20_000);
    Opts {
        cases,
        pg_cases: num("--pg-cases", cases).max(20_000),
        runs: num("--runs", 60).max(5),
        deep: num("--deep", 10_000),
        export_rows: num("--export-rows", 100_000),
        max_secs: get("--max-secs").and_then(|v| v.parse().ok()).unwrap_or(12.0),
        only: get("--only"),
        export: !has("--no-export"),
        sqlite: !has("--no-sqlite"),
        regen: has("--regen"),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Checksum of the backend's migrations (as compiled in, like the app's) and of this
/// generator: the cache key.
fn schema_key(backend: Backend, cases: usize) -> String {
    static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
    static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");
    let m = if backend == Backend::Sqlite { &SQLITE } else { &POSTGRES };
    let mut all = format!("{GENERATOR}/{cases}/");
    for mig in m.iter() {
        let _ = write!(all, "{}:{};", mig.version, mig.checksum.iter().map(|b| format!("{b:02x}")).collect::<String>());
    }
    app::store::hash::sha256_hex(all.as_bytes())[..12].to_string()
}

// ---------------------------------------------------------------------------------------
// The generated register

/// What people report, by category: (category, weight, subjects).
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
        let categories: HashMap<String, Category> = app::store::cases::categories(db).await.unwrap().into_iter().map(|c| (c.code.clone(), c)).collect();
        let areas = app::store::org::all_areas(db).await.unwrap();
        let units = app::store::org::all_units(db).await.unwrap();
        let staff = app::store::users::all_staff(db).await.unwrap();
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
    /// SQLite's `case_grams` index.
    grams: bool,
}

impl Schema {
    async fn of(db: &Db) -> Schema {
        let works = |sql: &'static str| async move { sqlx::raw_sql(sql).fetch_all(&db.pool).await.is_ok() };
        Schema {
            area_ancestors: works("SELECT township_id, village_id FROM cases LIMIT 0").await,
            unit_received: works("SELECT received_at FROM case_units LIMIT 0").await,
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
            sql.push_str(match (first, schema.unit_received) {
                (true, false) => "INSERT INTO case_units (case_id, unit_id, lead, current, status) VALUES ",
                (true, true) => "INSERT INTO case_units (case_id, unit_id, lead, current, status, received_at) VALUES ",
                (false, _) => ",",
            });
            first = false;
            let _ = write!(sql, "({},{},{},{},{}", c.id, u, *lead as i64, *current as i64, lit(status));
            if schema.unit_received {
                let _ = write!(sql, ",{}", c.received_at);
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
async fn generate(db: &Db, n: usize) {
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

/// The register for `backend`, generated unless a cached one with the same key exists.
async fn sqlite_register(o: &Opts) -> (Db, String) {
    let dir = std::env::var_os("SHEZHI_BENCH_DATA").map(PathBuf::from).unwrap_or_else(|| workspace().join("target/bench-data"));
    std::fs::create_dir_all(&dir).expect("bench data dir");
    let key = schema_key(Backend::Sqlite, o.cases);
    let path = dir.join(format!("register-{}-{key}.db", o.cases));
    if o.regen || !path.exists() {
        // Older generations go: they are big.
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!("register-{}-", o.cases)) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let tmp = dir.join(format!("register-{}-{key}.tmp.db", o.cases));
        println!("generating {} cases into {} (SQLite)", o.cases, path.display());
        let t = Instant::now();
        let db = Db::connect(&format!("sqlite://{}", tmp.display())).await.expect("open");
        db.migrate().await.expect("migrate");
        generate(&db, o.cases).await;
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db.pool).await.unwrap();
        db.pool.close().await;
        std::fs::rename(&tmp, &path).expect("rename");
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", tmp.display()));
        }
        println!("generated in {:.0} s", t.elapsed().as_secs_f64());
    } else {
        println!("reusing {}", path.display());
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url).await.expect("open");
    db.migrate().await.expect("migrations apply");
    println!("database file: {:.0} MiB", size as f64 / 1048576.0);
    (db, url)
}

async fn postgres_register(server: &str, n: usize, regen: bool) -> (Db, String) {
    let name = "shezhi_bench_register";
    let key = schema_key(Backend::Postgres, n);
    let url = with_database(server, name);
    let mut admin = sqlx::PgConnection::connect(server).await.unwrap_or_else(|e| panic!("cannot connect to {server}: {e}"));
    let cached = if regen {
        false
    } else {
        match sqlx::PgConnection::connect(&url).await {
            Ok(mut c) => sqlx::query_scalar::<_, String>("SELECT v FROM bench_meta WHERE k = 'key'")
                .fetch_optional(&mut c)
                .await
                .ok()
                .flatten()
                .is_some_and(|v| v == key),
            Err(_) => false,
        }
    };
    if cached {
        println!("reusing PostgreSQL database {name}");
    } else {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("CREATE DATABASE");
        println!("generating {n} cases into PostgreSQL database {name}");
        let t = Instant::now();
        let db = Db::connect(&url).await.expect("open");
        db.migrate().await.expect("migrate");
        generate(&db, n).await;
        sqlx::raw_sql(&format!("CREATE TABLE bench_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL); INSERT INTO bench_meta VALUES ('key', '{key}')"))
            .execute(&db.pool)
            .await
            .unwrap();
        db.pool.close().await;
        println!("generated in {:.0} s", t.elapsed().as_secs_f64());
    }
    let db = Db::connect(&url).await.expect("open");
    db.migrate().await.expect("migrations apply");
    (db, url)
}

// ---------------------------------------------------------------------------------------
// The list matrix

struct Probe {
    name: String,
    by: Actor,
    filter: CaseFilter,
}

async fn scalar_i64(db: &Db, sql: &str) -> Option<i64> {
    sqlx::query_scalar::<_, i64>(sql).fetch_optional(&db.pool).await.unwrap()
}

async fn matrix(db: &Db) -> Vec<Probe> {
    let staff = app::store::users::all_staff(db).await.unwrap();
    let areas = app::store::org::all_areas(db).await.unwrap();
    let units = app::store::org::all_units(db).await.unwrap();
    let op = staff.iter().find(|s| s.role == Role::Operator).map(|s| Actor::staff(s.id, s.role, None)).expect("an operator");
    let staff_of = |unit: i64| staff.iter().find(|s| s.unit_id == Some(unit)).map(|s| Actor::staff(s.id, s.role, Some(unit))).expect("unit staff");
    let now = app::store::now_ms();
    let area_code = |id: i64| areas.iter().find(|a| a.id == id).map(|a| a.code.clone()).unwrap_or_default();
    // Busy and quiet areas and units, as the data has them.
    let per_area: Vec<(i64, i64)> = sqlx::query("SELECT area_id, COUNT(*) FROM cases WHERE area_id IS NOT NULL GROUP BY area_id ORDER BY 2 DESC")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    // Counted with everything below, as the filter counts.
    let subtree = |code: &str| {
        let below = format!("{code}-");
        per_area
            .iter()
            .filter(|(a, _)| {
                let c = area_code(*a);
                c == code || c.starts_with(&below)
            })
            .map(|x| x.1)
            .sum::<i64>()
    };
    let township = areas.iter().filter(|a| a.level == AreaLevel::Township).max_by_key(|t| subtree(&t.code)).expect("a township");
    let village = areas.iter().filter(|a| a.level == AreaLevel::Village).max_by_key(|v| subtree(&v.code)).expect("a village");
    let quiet_area = areas.iter().min_by_key(|a| subtree(&a.code)).map(|a| a.id).expect("areas");
    let district = areas.iter().find(|a| a.level == AreaLevel::District).expect("district");
    let per_unit: Vec<(i64, i64)> = sqlx::query("SELECT unit_id, COUNT(*) FROM case_units GROUP BY unit_id ORDER BY 2 DESC")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let busy_unit = per_unit.first().map(|x| x.0).expect("assignments");
    let quiet_unit = per_unit.last().map(|x| x.0).expect("assignments");
    let idle_unit = units
        .iter()
        .find(|u| !per_unit.iter().any(|x| x.0 == u.id) && staff.iter().any(|s| s.unit_id == Some(u.id) && s.role == Role::UnitStaff))
        .map(|u| u.id);
    let unit_name = |id: i64| units.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_default();
    let area_name = |id: i64| areas.iter().find(|a| a.id == id).map(|a| format!("{} {}", a.code, a.name)).unwrap_or_default();
    let count_of = |list: &[(i64, i64)], id: i64| list.iter().find(|x| x.0 == id).map_or(0, |x| x.1);
    let newest = scalar_i64(db, "SELECT MAX(received_at) FROM cases").await.unwrap_or(now);
    let year_ago = newest - 365 * DAY;
    let two_years = newest - 730 * DAY;

    let f = CaseFilter::default;
    let text = |t: &str| CaseFilter { text: Some(t.into()), ..f() };
    let mut p: Vec<(String, Actor, CaseFilter)> = vec![
        ("no filter".into(), op.clone(), f()),
        ("status closed".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Closed), ..f() }),
        ("status in_progress".into(), op.clone(), CaseFilter { status: Some(CaseStatus::InProgress), ..f() }),
        ("status received".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Received), ..f() }),
        ("status reopened".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Reopened), ..f() }),
        ("kind major_emergency".into(), op.clone(), CaseFilter { kind: Some(CaseKind::MajorEmergency), ..f() }),
        ("kind governance_incident".into(), op.clone(), CaseFilter { kind: Some(CaseKind::GovernanceIncident), ..f() }),
        ("category noise".into(), op.clone(), CaseFilter { category: Some("noise".into()), ..f() }),
        ("category emergency-flood".into(), op.clone(), CaseFilter { category: Some("emergency-flood".into()), ..f() }),
        ("channel hotline12345".into(), op.clone(), CaseFilter { channel: Some(Channel::Hotline12345), ..f() }),
        ("channel open311".into(), op.clone(), CaseFilter { channel: Some(Channel::Open311), ..f() }),
        (format!("area {} (district, all below)", district.code), op.clone(), CaseFilter { area_id: Some(district.id), ..f() }),
        (format!("area {} {} (township)", township.code, township.name), op.clone(), CaseFilter { area_id: Some(township.id), ..f() }),
        (format!("area {} {} (village)", village.code, village.name), op.clone(), CaseFilter { area_id: Some(village.id), ..f() }),
        (
            format!("area {} (quietest, {} cases)", area_name(quiet_area), subtree(&area_code(quiet_area))),
            op.clone(),
            CaseFilter { area_id: Some(quiet_area), ..f() },
        ),
        (format!("unit {} (busiest, {})", unit_name(busy_unit), count_of(&per_unit, busy_unit)), op.clone(), CaseFilter { unit_id: Some(busy_unit), ..f() }),
        (
            format!("unit {} (quietest, {})", unit_name(quiet_unit), count_of(&per_unit, quiet_unit)),
            op.clone(),
            CaseFilter { unit_id: Some(quiet_unit), ..f() },
        ),
        ("overdue".into(), op.clone(), CaseFilter { overdue: true, ..f() }),
        ("received in the last 7 days".into(), op.clone(), CaseFilter { from_ms: Some(newest - 7 * DAY), ..f() }),
        ("received in a month a year ago".into(), op.clone(), CaseFilter { from_ms: Some(year_ago - 30 * DAY), to_ms: Some(year_ago), ..f() }),
        ("received on one day two years ago".into(), op.clone(), CaseFilter { from_ms: Some(two_years - DAY), to_ms: Some(two_years), ..f() }),
        ("text 噪音 (2 chars, common)".into(), op.clone(), text("噪音")),
        ("text 铁塔 (2 chars, rare)".into(), op.clone(), text("铁塔")),
        ("text 地铁 (2 chars, none)".into(), op.clone(), text("地铁")),
        ("text 路灯不亮 (common)".into(), op.clone(), text("路灯不亮")),
        ("text 鑫达建材 (rare)".into(), op.clone(), text("鑫达建材")),
        ("text 不存在的词 (none)".into(), op.clone(), text("不存在的词")),
        ("text led (Latin, rare)".into(), op.clone(), text("led")),
        ("text 施 (1 char)".into(), op.clone(), text("施")),
        ("status in_progress + category noise".into(), op.clone(), CaseFilter { status: Some(CaseStatus::InProgress), category: Some("noise".into()), ..f() }),
        (
            "township + status closed + channel online".into(),
            op.clone(),
            CaseFilter { area_id: Some(township.id), status: Some(CaseStatus::Closed), channel: Some(Channel::Online), ..f() },
        ),
        ("busiest unit + overdue".into(), op.clone(), CaseFilter { unit_id: Some(busy_unit), overdue: true, ..f() }),
        ("text 噪音 + village".into(), op.clone(), CaseFilter { area_id: Some(village.id), ..text("噪音") }),
        (
            "category roads + a month a year ago".into(),
            op.clone(),
            CaseFilter { category: Some("roads".into()), from_ms: Some(year_ago - 30 * DAY), to_ms: Some(year_ago), ..f() },
        ),
        (
            "kind petition + walk-in + last 90 days".into(),
            op.clone(),
            CaseFilter { kind: Some(CaseKind::PetitionMediation), channel: Some(Channel::WalkIn), from_ms: Some(newest - 90 * DAY), ..f() },
        ),
        ("overdue + village".into(), op.clone(), CaseFilter { overdue: true, area_id: Some(village.id), ..f() }),
        ("status closed + text 鑫达建材".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Closed), ..text("鑫达建材") }),
        ("text 施工 + one day two years ago".into(), op.clone(), CaseFilter { from_ms: Some(two_years - DAY), to_ms: Some(two_years), ..text("施工") }),
        (
            "rejected + major_emergency + quietest area".into(),
            op.clone(),
            CaseFilter { status: Some(CaseStatus::Rejected), kind: Some(CaseKind::MajorEmergency), area_id: Some(quiet_area), ..f() },
        ),
        ("unit staff of the busiest unit, no filter".into(), staff_of(busy_unit), f()),
        ("unit staff of the quietest unit + text 噪音".into(), staff_of(quiet_unit), text("噪音")),
    ];
    if let Some(u) = idle_unit {
        p.push((format!("unit {} (holds none)", unit_name(u)), op.clone(), CaseFilter { unit_id: Some(u), ..f() }));
        p.push((format!("unit staff of {} (holds none)", unit_name(u)), staff_of(u), f()));
    }
    p.into_iter().map(|(name, by, filter)| Probe { name, by, filter }).collect()
}

struct Timing {
    p50: f64,
    p99: f64,
    max: f64,
    runs: usize,
    rows: usize,
}

async fn time_page(db: &Db, p: &Probe, after: Option<Cursor>, o: &Opts) -> Timing {
    let once = || async {
        let t = Instant::now();
        let page = app::service::cases::list(db, &p.by, &p.filter, after).await.expect("list");
        (t.elapsed().as_secs_f64() * 1000.0, page)
    };
    // Warm-up: statements prepared, pages cached.
    let (_, page) = once().await;
    let rows = page.rows.len();
    assert!(page.rows.windows(2).all(|w| (w[0].received_ms, w[0].id) > (w[1].received_ms, w[1].id)), "{}: rows out of order", p.name);
    once().await;
    let mut ms = Vec::with_capacity(o.runs);
    let start = Instant::now();
    while ms.len() < o.runs {
        ms.push(once().await.0);
        if ms.len() >= 5 && start.elapsed().as_secs_f64() > o.max_secs {
            break;
        }
    }
    ms.sort_by(f64::total_cmp);
    Timing { p50: percentile(&ms, 0.5), p99: percentile(&ms, 0.99), max: *ms.last().unwrap(), runs: ms.len(), rows }
}

/// The cursor about `depth` rows into the filtered list (or half-way, if it is shorter).
async fn deep_cursor(db: &Db, p: &Probe, depth: usize) -> Option<(usize, Cursor)> {
    let page = app::service::cases::list_batch(db, &p.by, &p.filter, None, depth).await.expect("list");
    if let Some(next) = page.next {
        return Some((depth, next));
    }
    let half = page.rows.len() / 2;
    (half >= 50).then(|| (half, Cursor { received_ms: page.rows[half - 1].received_ms, id: page.rows[half - 1].id }))
}

async fn list_matrix(label: &str, db: &Db, o: &Opts) -> Value {
    let probes = matrix(db).await;
    println!("\n{label}: app::service::cases::list, {} runs per page (capped at {} s), target p99 <= {TARGET_MS} ms", o.runs, o.max_secs);
    println!("{:<52} {:>5} {:>8} {:>8} {:>8}   {:>13} {:>8} {:>8} {:>8}", "filter", "rows", "p50", "p99", "max", "deep page at", "p50", "p99", "max");
    let mut out = Vec::new();
    let mut worst: f64 = 0.0;
    let mut misses = Vec::new();
    for p in probes.iter().filter(|p| o.only.as_ref().is_none_or(|s| p.name.contains(s.as_str()))) {
        let first = time_page(db, p, None, o).await;
        let deep = match deep_cursor(db, p, o.deep).await {
            Some((depth, c)) => Some((depth, time_page(db, p, Some(c), o).await)),
            None => None,
        };
        let mark = |t: &Timing| if t.p99 <= TARGET_MS { " " } else { "!" };
        let deep_txt = match &deep {
            Some((d, t)) => format!("{:>13} {:>8.2} {:>7.2}{} {:>8.2}", d, t.p50, t.p99, mark(t), t.max),
            None => format!("{:>13}", "(short list)"),
        };
        println!(
            "{:<52} {:>5} {:>8.2} {:>7.2}{} {:>8.2}   {deep_txt}{}",
            truncate(&p.name, 52),
            first.rows,
            first.p50,
            first.p99,
            mark(&first),
            first.max,
            if first.runs < o.runs || deep.as_ref().is_some_and(|d| d.1.runs < o.runs) { "  (capped runs)" } else { "" }
        );
        worst = worst.max(first.p99).max(deep.as_ref().map_or(0.0, |d| d.1.p99));
        if first.p99 > TARGET_MS || deep.as_ref().is_some_and(|d| d.1.p99 > TARGET_MS) {
            misses.push(p.name.clone());
        }
        out.push(json!({
            "filter": p.name, "rows": first.rows, "p50_ms": round2(first.p50), "p99_ms": round2(first.p99),
            "deep_at": deep.as_ref().map(|d| d.0), "deep_p50_ms": deep.as_ref().map(|d| round2(d.1.p50)),
            "deep_p99_ms": deep.as_ref().map(|d| round2(d.1.p99)),
        }));
    }
    let verdict = if misses.is_empty() { "PASS" } else { "MISS" };
    println!("{label}: worst p99 {worst:.2} ms over {} filters x 2 pages (target <= {TARGET_MS} ms): {verdict}", out.len());
    if !misses.is_empty() {
        println!("{label}: over target: {}", misses.join("; "));
    }
    json!({ "worst_p99_ms": round2(worst), "verdict": verdict, "misses": misses, "filters": out })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(std::iter::once('…')).collect() }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

// ---------------------------------------------------------------------------------------
// Exports, each in a child process so its peak memory is its own

fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// In the child: one export of the cases received since `from_ms`, written to `out`.
async fn child_export(kind: &str, url: &str, from_ms: i64, out: &Path) -> Value {
    use app::ui::cases::export;
    let db = Db::connect(url).await.expect("open");
    let staff = app::store::users::all_staff(&db).await.unwrap();
    let op = staff.iter().find(|s| s.role == Role::Operator).map(|s| Actor::staff(s.id, s.role, None)).unwrap();
    let filter = CaseFilter { from_ms: Some(from_ms), ..CaseFilter::default() };
    let l = export::locale(false);
    let hwm_before = vm_kib("VmHWM:");
    let rss_before = vm_kib("VmRSS:");
    let t = Instant::now();
    let mut rows = 0usize;
    let bytes = match kind {
        "csv" => {
            use std::io::Write;
            let mut f = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
            let mut first = true;
            let mut n = 0u64;
            export::walk(&db, &op, &filter, |batch| {
                let chunk = export::csv_chunk(l, batch, first);
                first = false;
                rows += batch.len();
                n += chunk.len() as u64;
                f.write_all(&chunk).is_ok()
            })
            .await
            .expect("csv export");
            f.flush().unwrap();
            n
        }
        _ => {
            // As the route does: rows into the workbook, then the zip streamed to a writer
            // on a blocking thread.
            let book = export::xlsx(&db, &op, &filter, l).await.expect("xlsx export");
            let file = std::fs::File::create(out).unwrap();
            tokio::task::spawn_blocking(move || book.write_to(std::io::BufWriter::new(file)).expect("xlsx written")).await.unwrap();
            rows = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cases WHERE received_at >= $1").bind(from_ms).fetch_one(&db.pool).await.unwrap() as usize;
            std::fs::metadata(out).unwrap().len()
        }
    };
    let secs = t.elapsed().as_secs_f64();
    json!({ "secs": secs, "bytes": bytes, "rows": rows, "hwm_before_kib": hwm_before, "rss_before_kib": rss_before, "hwm_after_kib": vm_kib("VmHWM:") })
}

fn run_child(kind: &str, url: &str, from_ms: i64) -> Value {
    let out = std::env::temp_dir().join(format!("shezhi-bench-export-{}.{kind}", std::process::id()));
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--child-export", kind, "--url", url, "--from-ms", &from_ms.to_string(), "--out", &out.display().to_string()])
        .output()
        .expect("child runs");
    let _ = std::fs::remove_file(&out);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("CHILD ")).unwrap_or_else(|| {
        panic!("export child failed: {}\n{}", stdout, String::from_utf8_lossy(&output.stderr));
    });
    serde_json::from_str(line).unwrap()
}

async fn exports(db: &Db, url: &str, o: &Opts) -> Value {
    let from_of = |n: usize| async move {
        sqlx::query_scalar::<_, i64>(&format!("SELECT received_at FROM cases ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET {}", n - 1))
            .fetch_one(&db.pool)
            .await
            .unwrap()
    };
    let small = (o.export_rows / 10).max(1000);
    let (from_small, from_big) = (from_of(small).await, from_of(o.export_rows).await);
    println!("\nexports of the newest cases (filter: received since), each in a child process");
    let mut out = serde_json::Map::new();
    let mut verdicts = Vec::new();
    for kind in ["xlsx", "csv"] {
        let a = run_child(kind, url, from_small);
        let b = run_child(kind, url, from_big);
        let growth = |v: &Value| (v["hwm_after_kib"].as_u64().unwrap() as f64 - v["hwm_before_kib"].as_u64().unwrap() as f64).max(0.0) / 1024.0;
        let (ga, gb) = (growth(&a), growth(&b));
        let secs = b["secs"].as_f64().unwrap();
        // Bounded: ten times the rows must not take anywhere near ten times the memory.
        let bounded = gb <= 2.0 * ga.max(8.0);
        let time_ok = secs <= EXPORT_TARGET_S;
        println!(
            "{kind:<5} {small:>7} rows: {:>6.2} s, {:>6.1} MiB file, peak RSS +{ga:.1} MiB | {:>7} rows: {secs:>6.2} s, {:>6.1} MiB file, peak RSS +{gb:.1} MiB (total {:.1} MiB)",
            a["secs"].as_f64().unwrap(),
            a["bytes"].as_f64().unwrap() / 1048576.0,
            o.export_rows,
            b["bytes"].as_f64().unwrap() / 1048576.0,
            b["hwm_after_kib"].as_f64().unwrap() / 1024.0,
        );
        println!(
            "{kind:<5} {} rows in <= {EXPORT_TARGET_S} s: {}; memory bounded (peak growth at {} rows <= 2 x that at {small}): {}",
            o.export_rows,
            if time_ok { "PASS" } else { "MISS" },
            o.export_rows,
            if bounded { "PASS" } else { "MISS" }
        );
        verdicts.push(time_ok && bounded);
        out.insert(
            kind.into(),
            json!({ "rows": o.export_rows, "secs": round2(secs), "peak_growth_mib": round2(gb), "small_rows": small,
                    "small_peak_growth_mib": round2(ga), "bytes": b["bytes"], "time": if time_ok { "PASS" } else { "MISS" },
                    "memory": if bounded { "PASS" } else { "MISS" } }),
        );
    }
    Value::Object(out)
}

async fn run_sql(text: &str, url: &str, migrate: bool) {
    let db = Db::connect(url).await.expect("open");
    if migrate {
        let t = Instant::now();
        db.migrate().await.expect("migrations apply");
        println!("--- migrations applied in {:.1} s", t.elapsed().as_secs_f64());
    }
    for stmt in text.split(";\n").map(str::trim).filter(|s| !s.is_empty() && !s.lines().all(|l| l.trim_start().starts_with("--"))) {
        let mut times = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            rows = sqlx::raw_sql(stmt).fetch_all(&db.pool).await.unwrap_or_else(|e| panic!("{stmt}: {e}"));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("--- {:.2} ms, {} rows: {}", times[2], rows.len(), stmt.replace('\n', " "));
        for r in rows.iter().take(25) {
            let cells: Vec<String> = (0..r.len())
                .map(|i| {
                    r.try_get::<Option<String>, _>(i)
                        .map(|v| v.unwrap_or_else(|| "NULL".into()))
                        .or_else(|_| r.try_get::<i64, _>(i).map(|v| v.to_string()))
                        .or_else(|_| r.try_get::<f64, _>(i).map(|v| v.to_string()))
                        .unwrap_or_else(|_| "?".into())
                })
                .collect();
            println!("    {}", cells.join(" | "));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Some(i) = args.iter().position(|a| a == "--child-export") {
        let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().expect(name);
        let v = rt.block_on(child_export(&args[i + 1], &get("--url"), get("--from-ms").parse().unwrap(), Path::new(&get("--out"))));
        println!("CHILD {v}");
        return;
    }
    // Experiments: `--sql FILE --url URL [--migrate]` runs each `;`-terminated statement of
    // FILE five times and prints its rows and median time (EXPLAIN QUERY PLAN works too);
    // `--migrate` first applies the migrations (and times them: an upgrade of a big register).
    if let Some(i) = args.iter().position(|a| a == "--sql") {
        let url = args.iter().position(|a| a == "--url").and_then(|i| args.get(i + 1)).cloned().expect("--url");
        rt.block_on(run_sql(&std::fs::read_to_string(&args[i + 1]).expect("sql file"), &url, args.iter().any(|a| a == "--migrate")));
        return;
    }
    let o = opts();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("case register benchmark: {} cases, {cores} cores", o.cases);
    let started = Instant::now();
    let result = rt.block_on(async {
        let mut result = serde_json::Map::new();
        if o.sqlite {
            let (db, url) = sqlite_register(&o).await;
            result.insert("sqlite".into(), list_matrix("sqlite", &db, &o).await);
            if o.export {
                result.insert("export_sqlite".into(), exports(&db, &url, &o).await);
            }
            db.pool.close().await;
        }
        let pg_url = ["SHEZHI_BENCH_PG_URL", "SHEZHI_TEST_PG_URL"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        match pg_url {
            Some(server) => {
                let (db, _) = postgres_register(&server, o.pg_cases, o.regen).await;
                let mut v = list_matrix(&format!("postgres ({} cases)", o.pg_cases), &db, &o).await;
                v["cases"] = json!(o.pg_cases);
                result.insert("postgres".into(), v);
                db.pool.close().await;
            }
            None => println!("\npostgres: skipped (set SHEZHI_BENCH_PG_URL, or source scripts/pg.sh)"),
        }
        result.insert("secs".into(), json!(started.elapsed().as_secs()));
        Value::Object(result)
    });
    println!("RESULT {}", Value::Object(result.as_object().cloned().unwrap_or_default()));
}
