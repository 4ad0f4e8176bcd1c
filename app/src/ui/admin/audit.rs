use crate::domain::audit::AuditEntry;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{format_instant, PageTitle};
use crate::ui::errors::ErrorText;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub const PAGE_SIZE: i64 = 100;

#[server(endpoint = "admin/audit")]
pub async fn audit_page(before_id: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    Ok(crate::store::audit::recent_events(&crate::server_ctx::db()?, before_id, PAGE_SIZE).await?)
}

/// The append-only trail, newest first, paged with `?before=<id>`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let before = move || query.read().get("before").and_then(|b| b.parse::<i64>().ok());
    let events = Resource::new(before, audit_page);
    view! {
        <PageTitle key=|l| td_string!(l, audit.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, audit.title)}</h1>
            <p class="muted">{t!(i18n, audit.lead)}</p>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || events.get().map(|r| match r {
                    Ok(list) => {
                        let older = (list.len() as i64 == PAGE_SIZE).then(|| list.last().map(|e| e.id)).flatten();
                        view! {
                            <div class="table-wrap">
                            <table class="table" data-testid="audit-table">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, audit.at)}</th>
                                    <th scope="col">{t!(i18n, audit.actor)}</th>
                                    <th scope="col">{t!(i18n, audit.kind)}</th>
                                    <th scope="col">{t!(i18n, audit.details)}</th>
                                    <th scope="col">{t!(i18n, audit.ip)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr class=if e.level == "warning" { "row-warning" } else { "" }>
                                            <td class="mono nowrap">{format_instant(e.at_ms)}</td>
                                            <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                            <td class="mono">{if e.level == "warning" { "⚠ " } else { "" }}{e.kind}</td>
                                            <td class="mono small details">{e.details}</td>
                                            <td class="mono">{e.ip.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            {older.map(|id| view! { <p><a class="btn" href=format!("/center/admin/audit?before={id}")>{t!(i18n, audit.older)}</a></p> })}
                        }.into_any()
                    }
                    Err(e) => view! { <p class="alert alert-error" role="alert"><ErrorText error=e /></p> }.into_any(),
                })}
            </Transition>
        </CenterLayout>
    }
}
