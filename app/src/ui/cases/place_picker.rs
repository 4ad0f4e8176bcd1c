//! Places without typing coordinates, on the desk's intake form and the resident's report: a
//! click on the offline district map (the command screen's vendored outline) sets the point and
//! finds its township; words of the address are matched against the area names. The phone's
//! field form keeps GPS.
use super::api::{place_at, place_map};
use crate::domain::geo::{MapFrame, PickMap};
use crate::domain::org::{Place, match_places};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;

/// The map, folded until asked for (its outline is fetched then); a click sets `lat`/`lng`
/// and chooses the point's township in `area`, unless a place within that township is chosen
/// already (a village picked from the address stays).
#[component]
pub fn MapPicker(lat: RwSignal<String>, lng: RwSignal<String>, area: RwSignal<String>, places: StoredValue<Vec<Place>>) -> impl IntoView {
    let i18n = use_i18n();
    let wanted = RwSignal::new(false);
    let map = Resource::new(move || wanted.get(), |w| async move { if w { place_map().await.map(Some) } else { Ok(None) } });
    let found = RwSignal::new(None::<Result<Place, AppError>>);
    let pick = move |x: f64, y: f64, frame: MapFrame| {
        let (lng_deg, lat_deg) = frame.unproject(x, y);
        let (la, ln) = (format!("{lat_deg:.6}"), format!("{lng_deg:.6}"));
        leptos::task::spawn_local(async move {
            // The point is kept only once the server found it on the district's land.
            let r = place_at(la.clone(), ln.clone()).await;
            if let Ok(township) = &r {
                lat.set(la);
                lng.set(ln);
                let chosen = area.get_untracked();
                let within = places.with_value(|ps| ps.iter().any(|p| p.id.to_string() == chosen && is_within(&p.path, &township.path)));
                if !within {
                    area.set(township.id.to_string());
                }
            }
            found.set(Some(r));
        });
    };
    view! {
        <details class="map-picker" data-testid="map-picker">
            <summary on:click=move |_| wanted.set(true)>{t!(i18n, place.pick_on_map)}</summary>
            <p class="muted small">{t!(i18n, place.pick_hint)}</p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    map.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(None) => ().into_any(),
                            Ok(Some(PickMap { map: m, seats })) => {
                                let f = m.frame;
                                let seats = seats
                                    .into_iter()
                                    .filter_map(|s| {
                                        let (x, y) = f.project_e6(s.lat_e6, s.lng_e6);
                                        f.contains((x, y))
                                            .then(|| {
                                                view! {
                                                    <circle cx=format!("{x:.0}") cy=format!("{y:.0}") r="14" class="seat" />
                                                    <text x=format!("{x:.0}") y=format!("{:.0}", y - 26.0) text-anchor="middle" class="seat-name">
                                                        {s.name}
                                                    </text>
                                                }
                                            })
                                    })
                                    .collect_view();
                                let pin = move || {
                                    let point = crate::domain::case::GeoPoint::parse(&lat.get(), &lng.get()).ok().flatten()?;
                                    let (x, y) = f.project_e6(point.lat_e6, point.lng_e6);
                                    f.contains((x, y)).then(|| view! { <circle cx=format!("{x:.0}") cy=format!("{y:.0}") r="26" class="pin" /> })
                                };
                                view! {
                                    <svg
                                        class="place-map"
                                        viewBox=format!("0 0 {:.0} {:.0}", f.width, f.height)
                                        role="img"
                                        aria-label=move || t_string!(i18n, place.map_label).to_string()
                                        on:click=move |ev| {
                                            #[cfg(feature = "hydrate")]
                                            if let Some((x, y)) = browser::in_box(&ev, f) {
                                                pick(x, y, f);
                                            }
                                            #[cfg(not(feature = "hydrate"))]
                                            let _ = (ev, pick);
                                        }
                                    >
                                        <path d=m.outline class="outline" />
                                        <g aria-hidden="true">{seats}</g>
                                        {pin}
                                    </svg>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <div aria-live="polite" data-testid="map-picked">
                {move || {
                    found
                        .get()
                        .map(|r| match r {
                            Ok(p) => {
                                view! {
                                    <p class="small">
                                        {t!(i18n, place.picked)} " " <strong>{p.path}</strong> " "
                                        <span class="muted">{move || format!("({}, {})", lat.get(), lng.get())}</span>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </div>
        </details>
    }
}

/// Buttons for the places the address names (best first); one chooses that place in `area`.
#[component]
pub fn AddressMatches(words: RwSignal<String>, places: StoredValue<Vec<Place>>, area: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let found = move || words.with(|w| places.with_value(|ps| match_places(w, ps, 3).into_iter().cloned().collect::<Vec<_>>()));
    view! {
        <div class="address-matches" aria-live="polite" data-testid="address-matches">
            {move || {
                let found = found();
                (!found.is_empty())
                    .then(|| {
                        view! {
                            <span class="muted small">{t!(i18n, place.address_names)}</span>
                            {found
                                .into_iter()
                                .map(|p| {
                                    let id = p.id.to_string();
                                    let chosen = id.clone();
                                    view! {
                                        <button
                                            type="button"
                                            class="btn btn-small btn-secondary"
                                            aria-pressed=move || (area.get() == chosen).to_string()
                                            on:click=move |_| area.set(id.clone())
                                        >
                                            {p.path}
                                        </button>
                                    }
                                })
                                .collect_view()}
                        }
                    })
            }}
        </div>
    }
}

/// The point of the map's box under (`px`, `py`) pixels from the drawn element's corner, when
/// the element is `w` × `h` pixels: the box is drawn whole and centred in it (SVG's default
/// `xMidYMid meet`), so a box of another shape leaves bands on two sides.
pub fn box_point(px: f64, py: f64, w: f64, h: f64, f: MapFrame) -> (f64, f64) {
    let scale = (w / f.width).min(h / f.height);
    let (left, top) = ((w - f.width * scale) / 2.0, (h - f.height * scale) / 2.0);
    ((px - left) / scale, (py - top) / scale)
}

/// Whether the place at `path` is the township at `township` or lies in it.
pub fn is_within(path: &str, township: &str) -> bool {
    path == township || path.strip_prefix(township).is_some_and(|rest| rest.starts_with(" / "))
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use leptos::wasm_bindgen::JsCast;

    /// Where a click fell in the map's own units (its `viewBox`), whatever size it is drawn.
    pub fn in_box(ev: &leptos::ev::MouseEvent, f: MapFrame) -> Option<(f64, f64)> {
        // Leptos delegates clicks to the document, so the map is found from what was hit.
        let hit: web_sys::Element = ev.target()?.dyn_into().ok()?;
        let svg = hit.closest("svg.place-map").ok()??;
        let rect = svg.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        Some(box_point(ev.client_x() as f64 - rect.left(), ev.client_y() as f64 - rect.top(), rect.width(), rect.height(), f))
    }
}

#[cfg(test)]
mod tests {
    use super::{box_point, is_within};
    use crate::domain::geo::MapFrame;

    #[test]
    fn a_click_maps_to_the_box_drawn_whole_and_centred() {
        // A box twice as tall as wide (100 × 200 units).
        let f = MapFrame::fit(&[vec![(0.0, 0.0), (1.0, 0.0), (1.0, 2.0), (0.0, 2.0)]], 100.0, 0.0).unwrap();
        let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 0.5 && (a.1 - b.1).abs() < 0.5;
        let h = f.height;
        // Drawn at its own shape and twice its size: plain scaling.
        assert!(close(box_point(100.0, 2.0 * h, 200.0, 2.0 * h, f), (50.0, h)));
        // Drawn in a square: bands left and right.
        let side = h;
        let band = (side - f.width) / 2.0;
        assert!(close(box_point(band, 0.0, side, side, f), (0.0, 0.0)));
        assert!(close(box_point(side / 2.0, side / 2.0, side, side, f), (f.width / 2.0, h / 2.0)));
    }

    #[test]
    fn a_village_lies_within_its_township_only() {
        assert!(is_within("莲花镇", "莲花镇"));
        assert!(is_within("莲花镇 / 耿山村", "莲花镇"));
        assert!(is_within("莲花镇 / 耿山村 / 第一网格", "莲花镇"));
        assert!(!is_within("云溪乡 / 耿山村", "莲花镇"));
        // A township whose name starts with another's is not inside it.
        assert!(!is_within("莲花镇东 / 某村", "莲花镇"));
    }
}
