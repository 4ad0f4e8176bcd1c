use crate::domain::roster::ImportReport;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::PageTitle;
use crate::ui::errors::{ErrorAlert, row_problem_text};
use crate::ui::forms::{Form, form_action};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Imports staff from an uploaded CSV or .xlsx roster.
#[server(input = MultipartFormData, endpoint = "admin/import")]
pub async fn import_roster(data: MultipartData) -> Result<ImportReport, AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    let mut data = data.into_inner().ok_or(AppError::BadFile("no_data".into()))?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = data.next_field().await {
        if field.name() == Some("roster") {
            let name = field.file_name().unwrap_or("roster.csv").to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::BadFile("read".into()))?;
            if bytes.len() > crate::service::roster::MAX_FILE_BYTES {
                return Err(AppError::BadFile("too_large".into()));
            }
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or(AppError::BadFile("missing".into()))?;
    crate::service::roster::import_roster(&db()?, &actor(&user).await, &name, &bytes).await
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let import = form_action(|data: &Form| import_roster(data.to_multipart()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            import.dispatch_local(f);
        }
    };
    view! {
        <PageTitle key=|l| td_string!(l, import.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, import.title)}</h1>
            <section class="card">
                <p>{t!(i18n, import.help)}</p>
                <pre class="sample" tabindex="0">
                    "用户名,姓名,单位,角色,手机\nlh.wang,王明,莲花镇人民政府,单位人员,13800001111"
                </pre>
                <form class="form form-row" on:submit=on_submit data-testid="import-form">
                    <label class="field">
                        <span>{t!(i18n, import.file)}</span>
                        <input
                            type="file"
                            name="roster"
                            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            required
                        />
                    </label>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || import.pending().get()>
                            {t!(i18n, import.submit)}
                        </button>
                    </div>
                </form>
            </section>
            {move || {
                import
                    .value()
                    .get()
                    .map(|r| match r {
                        Ok(report) => view! { <Report report /> }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    })
            }}
        </CenterLayout>
    }
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let imported = report.imported.len();
    let refused = report.errors.len();
    view! {
        <section class="card" data-testid="import-report">
            <h2>{t!(i18n, import.result)}</h2>
            <p role="status">
                <span class="badge badge-green">"✓ " {t!(i18n, import.imported)} " " <strong data-testid="imported-count">{imported}</strong></span>
                " "
                <span class={if refused > 0 {
                    "badge badge-red"
                } else {
                    "badge badge-grey"
                }}>"✗ " {t!(i18n, import.refused)} " " <strong data-testid="refused-count">{refused}</strong></span>
            </p>
            {(refused > 0)
                .then(|| {
                    view! {
                        <h3>{t!(i18n, import.errors_heading)}</h3>
                        <table class="table" data-testid="import-errors">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, import.row)}</th>
                                    <th scope="col">{t!(i18n, import.problem)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {report
                                    .errors
                                    .iter()
                                    .map(|e| {
                                        let problems = e.problems.clone();
                                        view! {
                                            <tr>
                                                <td>{e.row}</td>
                                                <td>
                                                    {move || problems.iter().map(|p| row_problem_text(i18n.get_locale(), p)).collect::<Vec<_>>().join("；")}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            {(imported > 0)
                .then(|| {
                    view! {
                        <h3>{t!(i18n, import.passwords_heading)}</h3>
                        <p class="muted small">{t!(i18n, import.passwords_hint)}</p>
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, signin.username)}</th>
                                    <th scope="col">{t!(i18n, users.display_name)}</th>
                                    <th scope="col">{t!(i18n, signin.password)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {report
                                    .imported
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <tr>
                                                <td class="mono">{s.username.clone()}</td>
                                                <td>{s.display_name.clone()}</td>
                                                <td class="mono">{s.password.clone()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
        </section>
    }
}
