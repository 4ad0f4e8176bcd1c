use super::CenterLayout;
use crate::domain::org::OrgCounts;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;

#[server(endpoint = "center/summary")]
pub async fn org_summary() -> Result<OrgCounts, AppError> {
    crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    crate::service::org::counts(&crate::server_ctx::db()?).await
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
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    summary
                        .get()
                        .map(|r| match r {
                            Ok(s) => {
                                view! {
                                    <div class="stats">
                                        {tile(t_string!(i18n, center.resident_departments).to_string(), s.resident_departments, "stat-resident")}
                                        {tile(t_string!(i18n, center.rotating_departments).to_string(), s.rotating_departments, "stat-rotating")}
                                        {tile(t_string!(i18n, center.townships).to_string(), s.townships, "stat-townships")}
                                        {tile(t_string!(i18n, center.villages).to_string(), s.villages, "stat-villages")}
                                        {tile(t_string!(i18n, center.grids).to_string(), s.grids, "stat-grids")}
                                        {tile(t_string!(i18n, center.active_staff).to_string(), s.active_staff, "stat-staff")}
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}
