use crate::domain::audit::AuditEntry;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub const PAGE_SIZE: i64 = 100;

#[server(endpoint = "admin/audit")]
pub async fn audit_page(before_id: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    crate::service::org::audit_trail(&crate::server_ctx::db()?, before_id, PAGE_SIZE).await
}

/// An event kind in the reader's language; unknown kinds (from newer versions) show as stored.
fn kind_text(l: Locale, kind: &str) -> String {
    match kind {
        "signed_in" => td_string!(l, audit_kind.signed_in).to_string(),
        "sign_in_failed" => td_string!(l, audit_kind.sign_in_failed).to_string(),
        // Written before sign-in slowed down instead of locking; still in old trails.
        "sign_in_refused_locked" => td_string!(l, audit_kind.sign_in_refused_locked).to_string(),
        "sign_in_unlocked" => td_string!(l, audit_kind.sign_in_unlocked).to_string(),
        "password_changed" => td_string!(l, audit_kind.password_changed).to_string(),
        "signed_out" => td_string!(l, audit_kind.signed_out).to_string(),
        "area_saved" => td_string!(l, audit_kind.area_saved).to_string(),
        "area_active_set" => td_string!(l, audit_kind.area_active_set).to_string(),
        "unit_saved" => td_string!(l, audit_kind.unit_saved).to_string(),
        "unit_active_set" => td_string!(l, audit_kind.unit_active_set).to_string(),
        "category_saved" => td_string!(l, audit_kind.category_saved).to_string(),
        "user_saved" => td_string!(l, audit_kind.user_saved).to_string(),
        "user_active_set" => td_string!(l, audit_kind.user_active_set).to_string(),
        "password_reset" => td_string!(l, audit_kind.password_reset).to_string(),
        "roster_imported" => td_string!(l, audit_kind.roster_imported).to_string(),
        "demo_seeded" => td_string!(l, audit_kind.demo_seeded).to_string(),
        "campaign_created" => td_string!(l, audit_kind.campaign_created).to_string(),
        "campaign_updated" => td_string!(l, audit_kind.campaign_updated).to_string(),
        "api_called" => td_string!(l, audit_kind.api_called).to_string(),
        "case_contact_shown" => td_string!(l, audit_kind.case_contact_shown).to_string(),
        "suggestion_contact_shown" => td_string!(l, audit_kind.suggestion_contact_shown).to_string(),
        "cases_exported" => td_string!(l, audit_kind.cases_exported).to_string(),
        "campaign_exported" => td_string!(l, audit_kind.campaign_exported).to_string(),
        "contacts_erased" => td_string!(l, audit_kind.contacts_erased).to_string(),
        "bulletin_drafted" => td_string!(l, audit_kind.bulletin_drafted).to_string(),
        "evaluation_weights_set" => td_string!(l, audit_kind.evaluation_weights_set).to_string(),
        "risk_settings_saved" => td_string!(l, audit_kind.risk_settings_saved).to_string(),
        "risk_warning_step" => td_string!(l, audit_kind.risk_warning_step).to_string(),
        "mediation_recorded" => td_string!(l, audit_kind.mediation_recorded).to_string(),
        "duty_recorded" => td_string!(l, audit_kind.duty_recorded).to_string(),
        "evaluation_frozen" => td_string!(l, audit_kind.evaluation_frozen).to_string(),
        "bulletin_edited" => td_string!(l, audit_kind.bulletin_edited).to_string(),
        "bulletin_published" => td_string!(l, audit_kind.bulletin_published).to_string(),
        other => other.to_string(),
    }
}

/// The event's fields as "key: value" pairs, without the repeated kind tag.
fn details_text(details: &str) -> String {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(details) {
        Ok(map) => map
            .iter()
            .filter(|(k, _)| k.as_str() != "kind")
            .map(|(k, v)| format!("{k}: {}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect::<Vec<_>>()
            .join(" · "),
        Err(_) => details.to_string(),
    }
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
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    events
                        .get()
                        .map(|r| match r {
                            Ok(list) => {
                                let older = (list.len() as i64 == PAGE_SIZE).then(|| list.last().map(|e| e.id)).flatten();
                                view! {
                                    <div tabindex="0" class="table-wrap">
                                        <table class="table" data-testid="audit-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, audit.at)}</th>
                                                    <th scope="col">{t!(i18n, audit.actor)}</th>
                                                    <th scope="col">{t!(i18n, audit.kind)}</th>
                                                    <th scope="col">{t!(i18n, audit.details)}</th>
                                                    <th scope="col">{t!(i18n, audit.ip)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .map(|e| {
                                                        let kind = e.kind.clone();
                                                        view! {
                                                            <tr class=if e.level == "warning" { "row-warning" } else { "" }>
                                                                <td class="mono nowrap">{format_instant(e.at_ms)}</td>
                                                                <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                                                <td data-kind=e
                                                                    .kind
                                                                    .clone()>
                                                                    {if e.level == "warning" { "⚠ " } else { "" }}
                                                                    {move || kind_text(i18n.get_locale(), &kind)}
                                                                </td>
                                                                <td class="small details">{details_text(&e.details)}</td>
                                                                <td class="mono">{e.ip.unwrap_or_default()}</td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {older
                                        .map(|id| {
                                            view! {
                                                <p>
                                                    <a class="btn" href=format!("/center/admin/audit?before={id}")>
                                                        {t!(i18n, audit.older)}
                                                    </a>
                                                </p>
                                            }
                                        })}
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
