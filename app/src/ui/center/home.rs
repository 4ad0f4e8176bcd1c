use super::CenterLayout;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The organisation at a glance, counted live from the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgCounts {
    pub resident_departments: i64,
    pub rotating_departments: i64,
    pub townships: i64,
    pub villages: i64,
    pub grids: i64,
    pub active_staff: i64,
}

#[server(endpoint = "center/summary")]
pub async fn org_summary() -> Result<OrgCounts, AppError> {
    use crate::domain::access::CENTER_ROLES;
    use crate::domain::org::{AreaLevel, UnitKind};
    crate::server_ctx::require(CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    let units = crate::store::org::all_units(&db).await?;
    let areas = crate::store::org::all_areas(&db).await?;
    let staff = crate::store::users::all_staff(&db).await?;
    let units_of = |k| units.iter().filter(|u| u.active && u.kind == k).count() as i64;
    let areas_of = |l| areas.iter().filter(|a| a.active && a.level == l).count() as i64;
    Ok(OrgCounts {
        resident_departments: units_of(UnitKind::ResidentDepartment),
        rotating_departments: units_of(UnitKind::RotatingDepartment),
        townships: areas_of(AreaLevel::Township),
        villages: areas_of(AreaLevel::Village),
        grids: areas_of(AreaLevel::Grid),
        active_staff: staff.iter().filter(|s| s.active).count() as i64,
    })
}

#[component]
pub fn CenterHome() -> impl IntoView {
    let i18n = use_i18n();
    let summary = Resource::new(|| (), |_| org_summary());
    let tile = move |label: String, value: i64, id: &'static str| {
        view! {
            <div class="stat" data-testid=id>
                <span class="stat-value">{value}</span>
                <span class="stat-label">{label}</span>
            </div>
        }
    };
    view! {
        <PageTitle key=|l| td_string!(l, center.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, center.title)}</h1>
            <p class="muted">{t!(i18n, center.lead)}</p>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || summary.get().map(|r| match r {
                    Ok(s) => view! {
                        <div class="stats">
                            {tile(t_string!(i18n, center.resident_departments).to_string(), s.resident_departments, "stat-resident")}
                            {tile(t_string!(i18n, center.rotating_departments).to_string(), s.rotating_departments, "stat-rotating")}
                            {tile(t_string!(i18n, center.townships).to_string(), s.townships, "stat-townships")}
                            {tile(t_string!(i18n, center.villages).to_string(), s.villages, "stat-villages")}
                            {tile(t_string!(i18n, center.grids).to_string(), s.grids, "stat-grids")}
                            {tile(t_string!(i18n, center.active_staff).to_string(), s.active_staff, "stat-staff")}
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                })}
            </Transition>
        </CenterLayout>
    }
}
