//! Small pieces shared by every surface.
use crate::domain::access::encode_component;
use crate::domain::org::{AreaLevel, Role, UnitKind};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

/// Sets the document title from a translation in the page's locale. The text is fixed
/// when the page is made (switching language reloads the page): leptos_meta renders the
/// title after the page's reactive owner is gone on async server renders (the plain-form
/// POST answers, `SsrMode::Async` routes), where reading the locale signal would panic.
#[component]
pub fn PageTitle(key: fn(Locale) -> String) -> impl IntoView {
    let text = key(use_i18n().get_locale_untracked());
    view! { <Title text=text /> }
}

/// Plain links, so switching language works with JavaScript off too; the server sets
/// the locale cookie and sends the reader back to the same page.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || {
        let path = location.pathname.get();
        let q = location.search.get();
        let target = if q.is_empty() { path } else { format!("{path}?{q}") };
        encode_component(&target)
    };
    let current = move || i18n.get_locale();
    view! {
        <nav class="lang-switch" aria-label=move || t_string!(i18n, lang.label).to_string()>
            <a
                rel="external"
                href=move || format!("/lang/zh?next={}", back())
                lang="zh-CN"
                hreflang="zh-CN"
                aria-current=move || (current() == Locale::zh).then_some("true")
            >
                "中文"
            </a>
            <a
                rel="external"
                href=move || format!("/lang/en?next={}", back())
                lang="en"
                hreflang="en"
                aria-current=move || (current() == Locale::en).then_some("true")
            >
                "English"
            </a>
        </nav>
    }
}

pub fn role_text(l: Locale, r: Role) -> String {
    match r {
        Role::Admin => td_string!(l, role.admin).to_string(),
        Role::Operator => td_string!(l, role.operator).to_string(),
        Role::Commander => td_string!(l, role.commander).to_string(),
        Role::Supervisor => td_string!(l, role.supervisor).to_string(),
        Role::Leader => td_string!(l, role.leader).to_string(),
        Role::UnitStaff => td_string!(l, role.unit_staff).to_string(),
    }
}

pub fn unit_kind_text(l: Locale, k: UnitKind) -> String {
    match k {
        UnitKind::ResidentDepartment => td_string!(l, unit_kind.resident_department).to_string(),
        UnitKind::RotatingDepartment => td_string!(l, unit_kind.rotating_department).to_string(),
        UnitKind::TownshipGovernment => td_string!(l, unit_kind.township_government).to_string(),
        UnitKind::VillageCommittee => td_string!(l, unit_kind.village_committee).to_string(),
        UnitKind::GridTeam => td_string!(l, unit_kind.grid_team).to_string(),
        UnitKind::Center => td_string!(l, unit_kind.center).to_string(),
    }
}

pub fn area_level_text(l: Locale, a: AreaLevel) -> String {
    match a {
        AreaLevel::District => td_string!(l, area_level.district).to_string(),
        AreaLevel::Township => td_string!(l, area_level.township).to_string(),
        AreaLevel::Village => td_string!(l, area_level.village).to_string(),
        AreaLevel::Grid => td_string!(l, area_level.grid).to_string(),
    }
}

/// Active / inactive as text and a badge, never colour alone.
#[component]
pub fn ActiveBadge(active: bool) -> impl IntoView {
    let i18n = use_i18n();
    if active {
        view! { <span class="badge badge-green">"● " {t!(i18n, common.active)}</span> }.into_any()
    } else {
        view! { <span class="badge badge-grey">"○ " {t!(i18n, common.inactive)}</span> }.into_any()
    }
}

/// Milliseconds since the epoch as a date and time in the center's zone (UTC+8).
pub fn format_instant(ms: i64) -> String {
    use crate::domain::clock::{CENTER_OFFSET_MS, DAY_MS, local_date};
    let rem = (ms + CENTER_OFFSET_MS).rem_euclid(DAY_MS) / 1000;
    let (y, m, d) = local_date(ms);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_show_in_china_time() {
        assert_eq!(format_instant(0), "1970-01-01 08:00:00");
        // 2021-11-28 16:00:00 UTC is past midnight in Quzhou.
        assert_eq!(format_instant(1_638_115_200_000), "2021-11-29 00:00:00");
    }

    #[test]
    fn encoded_paths_keep_slashes_and_escape_the_rest() {
        assert_eq!(encode_component("/center?a=1&b=2"), "/center%3Fa%3D1%26b%3D2");
    }
}

/// Save, and Cancel while an existing record is being edited.
#[component]
pub fn SaveCancel<T: Clone + Send + Sync + 'static>(editing: RwSignal<Option<T>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button type="submit" class="btn btn-primary">
                {t!(i18n, common.save)}
            </button>
            <Show when=move || editing.with(Option::is_some)>
                <button type="button" class="btn" on:click=move |_| editing.set(None)>
                    {t!(i18n, common.cancel)}
                </button>
            </Show>
        </div>
    }
}

/// Fills the map point from the phone's GPS when asked.
#[component]
pub fn LocateButton(lat: RwSignal<String>, lng: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locating = RwSignal::new(false);
    let locate = move |_| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (lat, lng);
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::{JsCast, closure::Closure};
            let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else { return };
            locating.set(true);
            let ok = Closure::once_into_js(move |pos: leptos::wasm_bindgen::JsValue| {
                use web_sys::js_sys::Reflect;
                let coords = Reflect::get(&pos, &"coords".into()).unwrap_or_default();
                let read = |k: &str| Reflect::get(&coords, &k.into()).ok().and_then(|v| v.as_f64());
                if let (Some(la), Some(ln)) = (read("latitude"), read("longitude")) {
                    lat.set(format!("{la:.6}"));
                    lng.set(format!("{ln:.6}"));
                }
                locating.set(false);
            });
            let err = Closure::once_into_js(move |_e: leptos::wasm_bindgen::JsValue| locating.set(false));
            let _ = geo.get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()));
        }
    };
    view! {
        <button type="button" class="btn btn-secondary" on:click=locate disabled=move || locating.get()>
            "◎ "
            {move || if locating.get() { t_string!(i18n, intake.locating) } else { t_string!(i18n, intake.locate) }}
        </button>
    }
}

/// A table cell's class for a count that is bad news when above zero (late, missed, overdue):
/// it stands out.
pub fn bad_count_class(n: u32) -> &'static str {
    if n > 0 { "num bad" } else { "num" }
}
