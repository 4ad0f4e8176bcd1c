//! The district drawn offline: a plain projection of longitude and latitude onto the
//! screen map's SVG box. At a district's size (about 60 km) an equirectangular
//! projection scaled by the cosine of the middle latitude is as good as any.
use serde::{Deserialize, Serialize};

/// Where the map's box sits on the earth, and how big it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapFrame {
    pub width: f64,
    pub height: f64,
    west: f64,
    north: f64,
    /// SVG units per degree of longitude and of latitude.
    per_lng: f64,
    per_lat: f64,
}

/// A ring of (longitude, latitude) points.
pub type Ring = Vec<(f64, f64)>;

impl MapFrame {
    /// The frame that fits `rings` into a box `width` wide, with a margin of `pad` on
    /// every side; `None` without a point.
    pub fn fit(rings: &[Ring], width: f64, pad: f64) -> Option<MapFrame> {
        let points = || rings.iter().flatten();
        let west = points().map(|p| p.0).reduce(f64::min)?;
        let east = points().map(|p| p.0).reduce(f64::max)?;
        let south = points().map(|p| p.1).reduce(f64::min)?;
        let north = points().map(|p| p.1).reduce(f64::max)?;
        let squash = ((south + north) / 2.0).to_radians().cos();
        let span_x = ((east - west) * squash).max(1e-9);
        let span_y = (north - south).max(1e-9);
        let scale = (width - 2.0 * pad) / span_x;
        let height = span_y * scale + 2.0 * pad;
        Some(MapFrame { width, height, west: west - pad / (scale * squash), north: north + pad / scale, per_lng: scale * squash, per_lat: scale })
    }

    /// The point of (longitude, latitude) in the box.
    pub fn project(&self, lng: f64, lat: f64) -> (f64, f64) {
        ((lng - self.west) * self.per_lng, (self.north - lat) * self.per_lat)
    }

    /// The same for coordinates in millionths of a degree, as cases and areas keep them.
    pub fn project_e6(&self, lat_e6: i64, lng_e6: i64) -> (f64, f64) {
        self.project(lng_e6 as f64 / 1e6, lat_e6 as f64 / 1e6)
    }

    /// The (longitude, latitude) of a point in the box: where a click on the map lands.
    pub fn unproject(&self, x: f64, y: f64) -> (f64, f64) {
        (self.west + x / self.per_lng, self.north - y / self.per_lat)
    }

    /// Whether a projected point falls inside the box.
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        (0.0..=self.width).contains(&x) && (0.0..=self.height).contains(&y)
    }
}

/// The SVG path of the rings in the frame.
pub fn outline_path(rings: &[Ring], frame: &MapFrame) -> String {
    let mut d = String::new();
    for ring in rings.iter().filter(|r| r.len() >= 3) {
        let mut last = String::new();
        for (i, (lng, lat)) in ring.iter().enumerate() {
            let (x, y) = frame.project(*lng, *lat);
            // Whole units: a unit of a 1000-wide box is under two pixels on a 4K wall, and
            // points that round together are dropped (the vendored outline is dense).
            let point = format!("{x:.0} {y:.0}");
            if point != last {
                d.push_str(if i == 0 { "M" } else { "L" });
                d.push_str(&point);
                last = point;
            }
        }
        d.push('Z');
    }
    d
}

/// Whether (longitude, latitude) lies inside any of the rings (even-odd rule: a point on the
/// district's own land, not merely in its bounding box).
pub fn inside(rings: &[Ring], lng: f64, lat: f64) -> bool {
    rings.iter().filter(|r| r.len() >= 3).any(|ring| {
        let mut inside = false;
        let mut j = ring.len() - 1;
        for i in 0..ring.len() {
            let ((xi, yi), (xj, yj)) = (ring[i], ring[j]);
            if (yi > lat) != (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    })
}

/// The id of the seat nearest to (lat_e6, lng_e6) among `seats` (id, lat_e6, lng_e6): the
/// township a map point most likely belongs to when only the seats' points are known.
/// Distances on the flat projection are good enough within a district.
pub fn nearest_seat(lat_e6: i64, lng_e6: i64, seats: &[(i64, i64, i64)]) -> Option<i64> {
    let squash = (lat_e6 as f64 / 1e6).to_radians().cos();
    let d2 = |&(_, la, ln): &(i64, i64, i64)| {
        let dy = (la - lat_e6) as f64;
        let dx = (ln - lng_e6) as f64 * squash;
        dx * dx + dy * dy
    };
    seats.iter().min_by(|a, b| d2(a).total_cmp(&d2(b))).map(|s| s.0)
}

/// The district's outline, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictMap {
    pub frame: MapFrame,
    pub outline: String,
}

/// The place pickers' map: the outline, and the townships' seats named, so that a resident or
/// an operator knows where to click.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickMap {
    pub map: DistrictMap,
    pub seats: Vec<Seat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub name: String,
    pub lat_e6: i64,
    pub lng_e6: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<Ring> {
        vec![vec![(118.0, 29.0), (119.0, 29.0), (119.0, 30.0), (118.0, 30.0)]]
    }

    #[test]
    fn the_frame_fits_the_district_with_north_up() {
        let f = MapFrame::fit(&square(), 1000.0, 20.0).unwrap();
        let (x0, y0) = f.project(118.0, 30.0);
        let (x1, y1) = f.project(119.0, 29.0);
        assert!((x0 - 20.0).abs() < 1e-6 && (y0 - 20.0).abs() < 1e-6, "north-west corner at the margin");
        assert!((x1 - 980.0).abs() < 1e-6, "east edge at the far margin");
        assert!((y1 - (f.height - 20.0)).abs() < 1e-6, "south edge at the bottom margin");
        // A degree of longitude is shorter than one of latitude at 29.5°N.
        assert!(f.height > f.width, "taller than wide: {} × {}", f.width, f.height);
        assert!(f.contains(f.project_e6(29_500_000, 118_500_000)));
        assert!(!f.contains(f.project(121.0, 29.5)));
        assert_eq!(MapFrame::fit(&[], 100.0, 0.0), None);
    }

    #[test]
    fn a_click_on_the_map_lands_where_it_was_drawn() {
        let f = MapFrame::fit(&square(), 1000.0, 20.0).unwrap();
        for (lng, lat) in [(118.0, 30.0), (118.25, 29.5), (119.0, 29.0)] {
            let (x, y) = f.project(lng, lat);
            let (lng2, lat2) = f.unproject(x, y);
            assert!((lng - lng2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9, "{lng},{lat} → {lng2},{lat2}");
        }
    }

    #[test]
    fn inside_the_rings_not_merely_their_box() {
        // An L shape: the box's north-east quarter is outside.
        let l = vec![vec![(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (0.0, 2.0)]];
        assert!(inside(&l, 0.5, 0.5));
        assert!(inside(&l, 1.5, 0.5));
        assert!(inside(&l, 0.5, 1.5));
        assert!(!inside(&l, 1.5, 1.5), "in the box, not in the L");
        assert!(!inside(&l, 3.0, 0.5));
        assert!(!inside(&[], 0.5, 0.5));
    }

    #[test]
    fn the_nearest_seat_wins() {
        let seats = [(1, 29_065_000, 119_025_000), (2, 28_979_000, 118_959_000)];
        assert_eq!(nearest_seat(29_060_000, 119_020_000, &seats), Some(1));
        assert_eq!(nearest_seat(28_980_000, 118_950_000, &seats), Some(2));
        assert_eq!(nearest_seat(0, 0, &[]), None);
    }

    #[test]
    fn the_outline_is_one_closed_path_per_ring() {
        let f = MapFrame::fit(&square(), 100.0, 0.0).unwrap();
        let d = outline_path(&square(), &f);
        let h = format!("{:.0}", f.height);
        assert_eq!(d, format!("M0 {h}L100 {h}L100 0L0 0Z"));
        assert_eq!(d.matches('M').count(), 1);
        assert_eq!(outline_path(&[vec![(1.0, 1.0)]], &f), "", "a degenerate ring draws nothing");
    }
}
