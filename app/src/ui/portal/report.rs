//! "Report a problem" for residents: one screen, no account, a receipt at the end.
use super::PortalHeader;
use crate::domain::case::CaseKind;
use crate::i18n::*;
use crate::ui::cases::api::{public_options, report_problem};
use crate::ui::cases::texts::kind_text;
use crate::ui::components::LocateButton;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Form, form_action};
use leptos::prelude::*;

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| public_options());
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
                {move || match report.value().get() {
                    Some(Ok(r)) => view! {
                        <section class="card receipt" data-testid="receipt" role="status">
                            <h2>"✓ " {t!(i18n, report.received)}</h2>
                            <p>{t!(i18n, report.keep_receipt)}</p>
                            <dl class="facts big">
                                <dt>{t!(i18n, track.code)}</dt><dd class="mono" data-testid="receipt-code">{r.code.clone()}</dd>
                                <dt>{t!(i18n, track.secret)}</dt><dd class="mono" data-testid="receipt-secret">{r.secret.clone()}</dd>
                            </dl>
                            <p><a class="btn btn-primary" href=format!("/track?code={}", r.code)>{t!(i18n, track.title)}</a></p>
                        </section>
                    }.into_any(),
                    _ => view! {
                        <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                            {move || options.get().map(|o| match o {
                                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                                Ok(o) => view! {
                                    <form class="form card" on:submit=on_submit data-testid="report-form">
                                        <label class="field">
                                            <span>{t!(i18n, report.category)} <em class="req">"*"</em></span>
                                            <select name="category" required>
                                                <option value="">{t!(i18n, case.choose)}</option>
                                                {CaseKind::ALL.iter().map(|k| {
                                                    let k = *k;
                                                    let cats: Vec<_> = o.categories.iter().filter(|c| c.kind == k).cloned().collect();
                                                    view! { <optgroup label=move || kind_text(i18n.get_locale(), k)>
                                                        {cats.into_iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}
                                                    </optgroup> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <label class="field">
                                            <span>{t!(i18n, report.description)} <em class="req">"*"</em></span>
                                            <textarea name="description" rows="5" required maxlength="4000" placeholder=move || t_string!(i18n, report.description_hint)></textarea>
                                        </label>
                                        <label class="field">
                                            <span>{t!(i18n, case.place)}</span>
                                            <select name="area_id">
                                                <option value="">{t!(i18n, case.choose)}</option>
                                                {o.places.iter().map(|p| view! { <option value=p.id>{p.path.clone()}</option> }).collect_view()}
                                            </select>
                                        </label>
                                        <label class="field"><span>{t!(i18n, case_field.address)}</span><input type="text" name="address" maxlength="200" /></label>
                                        <input type="hidden" name="lat" prop:value=move || lat.get() />
                                        <input type="hidden" name="lng" prop:value=move || lng.get() />
                                        <p><LocateButton lat lng /> " " <span class="muted small">{move || if lat.get().is_empty() { String::new() } else { format!("{}, {}", lat.get(), lng.get()) }}</span></p>
                                        <label class="field">
                                            <span>{t!(i18n, case.photos)}</span>
                                            <input type="file" name="files" accept="image/jpeg,image/png,image/webp" multiple />
                                        </label>
                                        <fieldset class="contact">
                                            <legend>{t!(i18n, report.contact)}</legend>
                                            <p class="muted small">{t!(i18n, report.contact_hint)}</p>
                                            <label class="field"><span>{t!(i18n, report.name)}</span><input type="text" name="reporter_name" maxlength="60" autocomplete="name" /></label>
                                            <label class="field"><span>{t!(i18n, report.phone)}</span><input type="tel" name="reporter_phone" maxlength="20" autocomplete="tel" /></label>
                                        </fieldset>
                                        <label class="check consent">
                                            <input type="checkbox" name="consent" value="yes" required />
                                            <span>{t!(i18n, report.consent)}</span>
                                        </label>
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary btn-large" disabled=move || report.pending().get()>{t!(i18n, report.submit)}</button>
                                        </div>
                                        {move || report.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                    </form>
                                }.into_any(),
                            })}
                        </Transition>
                    }.into_any(),
                }}
            </main>
        </div>
    }
}
