//! "Report a problem" for residents: one screen, no account, a receipt at the end.
use super::PortalHeader;
use crate::domain::Receipt;
use crate::domain::case::{CaseKind, CaseOptions};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::cases::api::{public_options, report_problem};
use crate::ui::cases::texts::kind_text;
use crate::ui::components::LocateButton;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Form, Posted, form_action};
use leptos::prelude::*;

/// A report posted without JavaScript: its receipt, or the refusal with the texts typed
/// (photos are not sent back: the resident picks them again).
async fn posted_report() -> Option<Posted<Receipt>> {
    // The report takes files, which only the server's multipart reader has.
    #[cfg(feature = "ssr")]
    return crate::ui::forms::answer_posted(|f| crate::ui::cases::api::report_from(f.into_parts())).await;
    #[cfg(not(feature = "ssr"))]
    None
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| async { (public_options().await, posted_report().await) });
    let report = form_action(|f: &Form| report_problem(f.to_multipart()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            report.dispatch_local(f);
        }
    };
    let lat = RwSignal::new(String::new());
    let lng = RwSignal::new(String::new());
    view! {
        <PageTitle key=|l| td_string!(l, report.title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <h1>{t!(i18n, report.title)}</h1>
                <Suspense fallback=move || {
                    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
                }>
                    {move || Suspend::new(async move {
                        let (o, posted) = options.await;
                        let (typed, answered) = match posted {
                            Some(p) => (p.fields, Some(p.result)),
                            None => (vec![], None),
                        };
                        let answered = StoredValue::new(answered);
                        let outcome = move || report.value().get().or_else(|| answered.get_value());
                        let receipt = move || outcome().and_then(|r| r.ok());
                        match o {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(o) => {
                                view! {
                                    // The outcome: the hydrated form's answer, else the plain POST's.
                                    {move || receipt().map(|r| view! { <Receipt r /> })}
                                    <Show when=move || {
                                        receipt().is_none()
                                    }>
                                        // A plain POST's refusal opens the page, where the reader starts; the
                                        // hydrated form's stays by its button, where the reader is.
                                        {move || {
                                            answered
                                                .get_value()
                                                .filter(|_| report.value().get().is_none())
                                                .and_then(|r| r.err())
                                                .map(|e| view! { <ErrorAlert error=e /> })
                                        }} <ReportForm o=o.clone() typed=typed.clone() report on_submit lat lng />
                                        {move || report.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                    </Show>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
                <super::CrossLink href="/track" lead=|l| td_string!(l, portal.cross_already) go=|l| td_string!(l, track.title) />
            </main>
        </div>
    }
}

#[component]
fn Receipt(r: Receipt) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card receipt" data-testid="receipt" role="status">
            <h2>"✓ " {t!(i18n, report.received)}</h2>
            <p>{t!(i18n, report.keep_receipt)}</p>
            <dl class="facts big">
                <dt>{t!(i18n, track.code)}</dt>
                <dd class="mono" data-testid="receipt-code">
                    {r.code.clone()}
                </dd>
                <dt>{t!(i18n, track.secret)}</dt>
                <dd class="mono" data-testid="receipt-secret">
                    {r.secret.clone()}
                </dd>
            </dl>
            <p>
                <a class="btn btn-primary" href=format!("/track?code={}", r.code)>
                    {t!(i18n, track.title)}
                </a>
            </p>
        </section>
    }
}

/// The form, with what was typed before a refusal of a plain POST filled back in.
#[component]
fn ReportForm(
    o: CaseOptions,
    typed: Vec<(String, String)>,
    report: Action<Form, Result<Receipt, AppError>>,
    on_submit: impl Fn(leptos::ev::SubmitEvent) + 'static,
    lat: RwSignal<String>,
    lng: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = move |name: &str| typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let category = typed("category");
    let area = RwSignal::new(typed("area_id"));
    let address = RwSignal::new(typed("address"));
    let places = StoredValue::new(o.places.clone());
    view! {
        <form class="form card" method="post" action="/report" enctype="multipart/form-data" on:submit=on_submit data-testid="report-form">
            <label class="field">
                <span>{t!(i18n, report.category)} <em class="req">"*"</em></span>
                <select name="category" required>
                    <option value="">{t!(i18n, case.choose)}</option>
                    {CaseKind::ALL
                        .iter()
                        .map(|k| {
                            let k = *k;
                            let cats: Vec<_> = o.categories.iter().filter(|c| c.kind == k).cloned().collect();
                            let category = category.clone();
                            view! {
                                <optgroup label=move || kind_text(
                                    i18n.get_locale(),
                                    k,
                                )>
                                    {cats
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <option value=c.code.clone() selected=c.code == category>
                                                    {c.name.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </optgroup>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, report.description)} <em class="req">"*"</em></span>
                <textarea name="description" rows="5" required maxlength="4000" placeholder=move || t_string!(i18n, report.description_hint)>
                    {typed("description")}
                </textarea>
            </label>
            <label class="field">
                <span>{t!(i18n, case.place)}</span>
                <select name="area_id" on:change=move |ev| area.set(event_target_value(&ev)) prop:value=move || area.get()>
                    <option value="">{t!(i18n, case.choose)}</option>
                    {o
                        .places
                        .iter()
                        .map(|p| {
                            view! {
                                <option value=p.id selected=p.id.to_string() == area.get_untracked()>
                                    {p.path.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, case_field.address)}</span>
                <input type="text" name="address" maxlength="200" value=address.get_untracked() on:input=move |ev| address.set(event_target_value(&ev)) />
            </label>
            <crate::ui::cases::place_picker::AddressMatches words=address places area />
            <input type="hidden" name="lat" prop:value=move || lat.get() />
            <input type="hidden" name="lng" prop:value=move || lng.get() />
            <p>
                <LocateButton lat lng />
                " "
                <span class="muted small">{move || if lat.get().is_empty() { String::new() } else { format!("{}, {}", lat.get(), lng.get()) }}</span>
            </p>
            <crate::ui::cases::place_picker::MapPicker lat lng area places />
            <label class="field">
                <span>{t!(i18n, case.photos)}</span>
                <input type="file" name="files" accept="image/jpeg,image/png,image/webp" multiple />
            </label>
            <fieldset class="contact">
                <legend>{t!(i18n, report.contact)}</legend>
                <p class="muted small">{t!(i18n, report.contact_hint)}</p>
                <label class="field">
                    <span>{t!(i18n, report.name)}</span>
                    <input type="text" name="reporter_name" maxlength="60" autocomplete="name" value=typed("reporter_name") />
                </label>
                <label class="field">
                    <span>{t!(i18n, report.phone)}</span>
                    <input type="tel" name="reporter_phone" maxlength="20" autocomplete="tel" value=typed("reporter_phone") />
                </label>
            </fieldset>
            <label class="check consent">
                <input type="checkbox" name="consent" value="yes" required checked=typed("consent") == "yes" />
                <span>{t!(i18n, report.consent)}</span>
            </label>
            // People never see this field; programs that fill in every field do.
            <div class="hp" aria-hidden="true">
                <label>{t!(i18n, suggest.honeypot)}<input type="text" name="website" tabindex="-1" autocomplete="off" value="" /></label>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-large" disabled=move || report.pending().get()>
                    {t!(i18n, report.submit)}
                </button>
            </div>
        </form>
    }
}
