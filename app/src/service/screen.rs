//! The command screen's data: counters, the 5-minute promise, the live commands, trends
//! and the map, read in one transaction so the figures agree with each other.
use crate::domain::access::CENTER_ROLES;
use crate::domain::case::{Actor, CaseError, CaseFilter, CaseStatus, GeoPoint};
use crate::domain::clock::{DAY_MS, day_string, local_day, period_starts};
use crate::domain::geo::{DistrictMap, MapFrame, PickMap, Ring, Seat, outline_path};
use crate::domain::org::{AreaLevel, Place};
use crate::domain::screen::{
    Bar, CommandUnit, Counters, DeskHome, Figure, Headline, LiveCommand, Promise, Rate, Screen, TREND_DAYS, TownshipLoad, every_channel, every_kind, ranked,
    trend_window,
};
use crate::error::AppError;
use crate::store::cases::{self as store_cases, Scope};
use crate::store::screen::{self as store, ByColumn};
use crate::store::{Db, now_ms};
use sqlx::AnyConnection;

/// Live commands on the feed; more do not fit on a wall.
const FEED_SIZE: i64 = 12;
/// Dots on the map; the newest open cases.
const DOTS: i64 = 1500;
const TOP: usize = 8;

/// The screen's figures are the center's: unit staff see their own cases only.
fn center_only(by: &Actor) -> Result<(), AppError> {
    if by.has_role(CENTER_ROLES) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The screen at this moment, for the center's staff.
pub async fn screen(db: &Db, by: &Actor) -> Result<Screen, AppError> {
    center_only(by)?;
    reading(db).await
}

/// Whether `by` may watch the screen (the live hub asks before it streams).
pub fn may_watch(by: &Actor) -> Result<(), AppError> {
    center_only(by)
}

/// The screen at this moment, read once for every wall by the live hub, which has checked
/// `may_watch` for each of them.
pub async fn reading(db: &Db) -> Result<Screen, AppError> {
    let mut snapshot = db.snapshot().await?;
    let mut screen = read(&mut snapshot, now_ms()).await?;
    screen.sort_dots();
    Ok(screen)
}

/// The desk's home: today's work, the same counters, and the commands still waiting for a
/// signature.
pub async fn desk(db: &Db, by: &Actor) -> Result<DeskHome, AppError> {
    center_only(by)?;
    let mut snapshot = db.snapshot().await?;
    let conn: &mut AnyConnection = &mut snapshot;
    let now = now_ms();
    let with_status = |s: CaseStatus| CaseFilter { status: Some(s), ..Default::default() };
    Ok(DeskHome {
        now_ms: now,
        counters: counters(conn, now).await?,
        to_triage: figure(conn, with_status(CaseStatus::Received), now).await?,
        to_dispatch: figure(conn, with_status(CaseStatus::Triage), now).await?,
        to_verify: figure(conn, with_status(CaseStatus::Resolved), now).await?,
        follow_ups: figure(conn, with_status(CaseStatus::FollowUp), now).await?,
        unsigned_commands: live_commands(conn, true).await?,
    })
}

/// A leader's phone: the headline figures, the promise and the live commands.
pub async fn headline(db: &Db, by: &Actor) -> Result<Headline, AppError> {
    center_only(by)?;
    let mut snapshot = db.snapshot().await?;
    let conn: &mut AnyConnection = &mut snapshot;
    let now = now_ms();
    let (today, month) = promises(conn, now).await?;
    Ok(Headline { now_ms: now, counters: counters(conn, now).await?, promise_today: today, promise_month: month, commands: live_commands(conn, false).await? })
}

/// The 5-minute promise today and this month.
async fn promises(conn: &mut AnyConnection, now: i64) -> Result<(Promise, Promise), AppError> {
    let p = period_starts(now);
    let month = store::command_timings(conn, p.month).await?;
    let today: Vec<_> = month.iter().copied().filter(|c| c.launched_ms >= p.day).collect();
    Ok((Promise::measure(&today, now), Promise::measure(&month, now)))
}

/// The count of a filter's cases, with the filter.
async fn figure(conn: &mut AnyConnection, filter: CaseFilter, now: i64) -> Result<Figure, AppError> {
    let value = store_cases::count(conn, &filter, Scope::All, now).await?;
    Ok(Figure { value, filter })
}

/// Cases received from the local day of `from` to the end of today, from the daily
/// tallies, with the list filter that finds the same cases.
async fn received(conn: &mut AnyConnection, from: i64, now: i64) -> Result<Figure, AppError> {
    let to = period_starts(now).day + DAY_MS;
    let value = store::received_between(conn, local_day(from), local_day(to)).await?;
    Ok(Figure { value, filter: CaseFilter { from_ms: Some(from), to_ms: Some(to), ..Default::default() } })
}

/// The headline counters at `now`.
async fn counters(conn: &mut AnyConnection, now: i64) -> Result<Counters, AppError> {
    let p = period_starts(now);
    let (on_time, closed) = store::closed_on_time(conn, p.month).await?;
    let (satisfied, rated) = store::ratings(conn, local_day(p.month), local_day(p.day) + 1).await?;
    Ok(Counters {
        received_today: received(conn, p.day, now).await?,
        received_month: received(conn, p.month, now).await?,
        received_year: received(conn, p.year, now).await?,
        open: figure(conn, CaseFilter { open: true, ..Default::default() }, now).await?,
        overdue: figure(conn, CaseFilter { overdue: true, ..Default::default() }, now).await?,
        in_command: figure(conn, CaseFilter { command: true, ..Default::default() }, now).await?,
        closed_month: figure(conn, CaseFilter { closed_from_ms: Some(p.month), closed_to_ms: Some(p.day + DAY_MS), ..Default::default() }, now).await?,
        on_time: Rate { part: on_time, whole: closed },
        satisfied: Rate { part: satisfied, whole: rated },
    })
}

async fn read(conn: &mut AnyConnection, now: i64) -> Result<Screen, AppError> {
    let p = period_starts(now);
    let counters = counters(conn, now).await?;

    let (promise_today, promise_month) = promises(conn, now).await?;
    let commands = live_commands(conn, false).await?;

    // Trends over the window, each bar narrowing the window's filter.
    let window = trend_window(p.day);
    let from = window.from_ms.unwrap_or(p.day);
    let (first_day, end_day) = (local_day(from), local_day(p.day) + 1);
    let per_day_counts = store::received_per_day(conn, first_day, end_day).await?;
    let per_day = (0..TREND_DAYS)
        .map(|i| {
            let start = from + i * DAY_MS;
            let day = first_day + i;
            let value = per_day_counts.iter().find(|d| d.0 == day).map_or(0, |d| d.1);
            let filter = CaseFilter { from_ms: Some(start), to_ms: Some(start + DAY_MS), ..Default::default() };
            Bar { key: day_string(start), label: day_string(start)[5..].to_string(), figure: Figure { value, filter } }
        })
        .collect();
    let by_kind = every_kind(&store::received_by(conn, ByColumn::Kind, first_day, end_day).await?, &window)
        .into_iter()
        .map(|(k, figure)| Bar { key: k.code().into(), label: k.code().into(), figure })
        .collect();
    let by_channel = every_channel(&store::received_by(conn, ByColumn::Channel, first_day, end_day).await?, &window)
        .into_iter()
        .map(|(c, figure)| Bar { key: c.code().into(), label: c.code().into(), figure })
        .collect();
    let categories = store_cases::categories(conn).await?;
    let top_categories = ranked(
        store::received_by(conn, ByColumn::Category, first_day, end_day)
            .await?
            .into_iter()
            .map(|(code, value)| Bar {
                label: categories.iter().find(|c| c.code == code).map_or_else(|| code.clone(), |c| c.name.clone()),
                figure: Figure { value, filter: CaseFilter { category: Some(code.clone()), ..window.clone() } },
                key: code,
            })
            .collect(),
        TOP,
    );
    let towns = store::township_loads(conn, now).await?;
    let by_township_counts = store::received_by(conn, ByColumn::Township, first_day, end_day).await?;
    let by_township = towns
        .iter()
        .map(|t| Bar {
            key: t.area_id.to_string(),
            label: t.name.clone(),
            figure: Figure {
                value: by_township_counts.iter().find(|c| c.0 == t.area_id.to_string()).map_or(0, |c| c.1),
                filter: CaseFilter { area_id: Some(t.area_id), ..window.clone() },
            },
        })
        .collect();
    let names = store_cases::unit_names(conn).await?;
    let overdue_by_unit = store::overdue_by_unit(conn, now, TOP as i64)
        .await?
        .into_iter()
        .map(|(unit, value)| Bar {
            key: unit.to_string(),
            label: names.get(&unit).cloned().unwrap_or_default(),
            figure: Figure { value, filter: CaseFilter { unit_id: Some(unit), overdue: true, ..Default::default() } },
        })
        .collect();
    let townships = towns
        .into_iter()
        .map(|t| TownshipLoad {
            area_id: t.area_id,
            name: t.name,
            lat_e6: t.lat_e6,
            lng_e6: t.lng_e6,
            open: Figure { value: t.open, filter: CaseFilter { area_id: Some(t.area_id), open: true, ..Default::default() } },
            overdue: Figure { value: t.overdue, filter: CaseFilter { area_id: Some(t.area_id), overdue: true, ..Default::default() } },
            in_command: t.in_command,
        })
        .collect();
    Ok(Screen {
        now_ms: now,
        counters,
        promise_today,
        promise_month,
        commands,
        per_day,
        by_kind,
        by_channel,
        by_township,
        top_categories,
        overdue_by_unit,
        townships,
        dots: store::open_dots(conn, now, DOTS).await?,
        risk: super::risk::figures_in(conn, now).await?,
        on_duty: super::duty::on_duty_lines(conn, now).await?,
        hazards: super::hazards::points(conn, now).await?,
    })
}

/// The live commands (only those still waiting for a signature when `unsigned`) with each
/// unit's sign state, from the cases' states.
async fn live_commands(conn: &mut AnyConnection, unsigned: bool) -> Result<Vec<LiveCommand>, AppError> {
    let ids = store::live_commands(conn, unsigned, FEED_SIZE).await?;
    let mut states = store_cases::load_many(conn, &ids).await?;
    let mut summaries = store_cases::summaries(conn, &ids).await?;
    let names = store_cases::unit_names(conn).await?;
    let mut out = Vec::new();
    for id in ids {
        let (Some(s), Some(summary)) = (states.remove(&id), summaries.remove(&id)) else { continue };
        let Some(tf) = s.case.open_task_force() else { continue };
        let units = s
            .case
            .assignments
            .iter()
            .filter(|a| a.round == tf.round && a.parent.is_none())
            .map(|a| CommandUnit {
                unit: a.unit,
                name: names.get(&a.unit).cloned().unwrap_or_default(),
                lead: a.lead,
                signed_ms: a.signed_ms,
                sign_due_ms: a.ack.deadline_ms(),
            })
            .collect();
        out.push(LiveCommand {
            case_id: id,
            code: summary.code,
            title: summary.title,
            place: summary.area_name,
            timing: crate::domain::screen::CommandTiming { received_ms: s.case.received_ms, launched_ms: tf.launched_ms, signed_ms: tf.all_dispatched_ms },
            units,
        });
    }
    Ok(out)
}

/// The district's outline as vendored under `public/geo/` (see its licence there): its rings,
/// read once per process.
fn district_rings() -> &'static [Ring] {
    static RINGS: std::sync::OnceLock<Vec<Ring>> = std::sync::OnceLock::new();
    RINGS.get_or_init(|| outline_rings(include_str!("../../../public/geo/qujiang.geojson")))
}

/// The outline projected once per process into the screen map's box.
pub fn district_map() -> Result<DistrictMap, AppError> {
    static MAP: std::sync::OnceLock<Option<DistrictMap>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let rings = district_rings();
        let frame = MapFrame::fit(rings, MAP_WIDTH, MAP_PAD)?;
        Some(DistrictMap { outline: outline_path(rings, &frame), frame })
    })
    .clone()
    .ok_or(AppError::Internal)
}

/// The place pickers' map: the outline and the seats of the townships in service, named.
pub async fn pick_map(db: &Db) -> Result<PickMap, AppError> {
    let map = district_map()?;
    let seats = store::township_seats(&mut *db.read().await?).await?;
    Ok(PickMap { map, seats: seats.into_iter().map(|(_, name, lat_e6, lng_e6)| Seat { name, lat_e6, lng_e6 }).collect() })
}

/// The township a point picked on the map lies in: on the district's land (its outline, not
/// its box), the township whose seat is nearest, since seats are the points the areas keep.
/// The village is then the operator's or resident's choice among that township's.
pub async fn place_at(db: &Db, point: GeoPoint) -> Result<Place, AppError> {
    let (lng, lat) = (point.lng_e6 as f64 / 1e6, point.lat_e6 as f64 / 1e6);
    if !crate::domain::geo::inside(district_rings(), lng, lat) {
        return Err(CaseError::OutsideDistrict.into());
    }
    // A township's place path is its own name: the district above it is implied.
    let seats = store::township_seats(&mut *db.read().await?).await?;
    let points: Vec<(i64, i64, i64)> = seats.iter().map(|s| (s.0, s.2, s.3)).collect();
    let id = crate::domain::geo::nearest_seat(point.lat_e6, point.lng_e6, &points).ok_or(CaseError::OutsideDistrict)?;
    let (id, path, _, _) = seats.into_iter().find(|s| s.0 == id).ok_or(CaseError::OutsideDistrict)?;
    Ok(Place { id, path, level: AreaLevel::Township })
}

/// The map's box width in SVG units; the height follows from the district's shape.
const MAP_WIDTH: f64 = 1000.0;
const MAP_PAD: f64 = 24.0;

/// The outer rings of every polygon of a GeoJSON FeatureCollection (holes are not drawn).
fn outline_rings(geojson: &str) -> Vec<Ring> {
    let doc: serde_json::Value = serde_json::from_str(geojson).unwrap_or_default();
    let ring =
        |v: &serde_json::Value| -> Ring { v.as_array().into_iter().flatten().filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect() };
    let mut rings = Vec::new();
    for feature in doc["features"].as_array().into_iter().flatten() {
        let g = &feature["geometry"];
        match g["type"].as_str() {
            Some("Polygon") => rings.extend(g["coordinates"].get(0).map(ring)),
            Some("MultiPolygon") => rings.extend(g["coordinates"].as_array().into_iter().flatten().filter_map(|p| p.get(0)).map(ring)),
            _ => {}
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    #[test]
    fn township_seats_lie_on_the_districts_land() {
        use crate::domain::geo::inside;
        let rings = super::district_rings();
        // 樟潭街道 and 莲花镇 seats (the demo's points) inside; points beyond it, not.
        assert!(inside(rings, 118.959, 28.979));
        assert!(inside(rings, 119.025, 29.065));
        assert!(!inside(rings, 118.60, 28.70), "west of the district");
        assert!(!inside(rings, 116.40, 39.90), "far away");
    }

    #[test]
    fn the_vendored_outline_is_qujiang_and_draws() {
        let map = super::district_map().expect("the outline loads");
        assert!(map.outline.starts_with('M') && map.outline.ends_with('Z'));
        // 衢江区 lies around 118.7–119.2°E, 28.7–29.3°N: a township seat there is on the map.
        assert!(map.frame.contains(map.frame.project(118.96, 28.98)));
        assert!(map.frame.height > 100.0 && map.frame.height < 3000.0, "{}", map.frame.height);
    }
}
