//! A resident's contact on a staff page: masked, with a "show" that asks the server for
//! the full one (the server writes the read to the audit trail), or the reason it is not
//! there (anonymous, erased after the retention period).
use crate::domain::privacy::{Contact, ReporterView};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::format_instant;
use crate::ui::errors::ErrorText;
use leptos::prelude::*;

#[component]
pub fn ContactReveal(view: ReporterView, reveal: Action<(), Result<Contact, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    match view {
        ReporterView::Anonymous => view! { <span class="muted">{t!(i18n, privacy.anonymous)}</span> }.into_any(),
        ReporterView::Erased(at) => view! {
            <span class="muted" data-testid="contact-erased">
                {t!(i18n, privacy.erased)}
                " · "
                {format_instant(at)}
            </span>
        }
        .into_any(),
        ReporterView::Masked(masked) => {
            let shown = move || reveal.value().get();
            let line = move |c: &Contact| format!("{} {}", c.name.clone().unwrap_or_default(), c.phone.clone().unwrap_or_default()).trim().to_string();
            let masked_line = line(&masked);
            view! {
                <span class="contact-reveal" data-testid="contact" aria-live="polite">
                    {move || match shown() {
                        Some(Ok(full)) => {
                            view! {
                                <span class="mono" data-testid="contact-full">
                                    {line(&full)}
                                </span>
                                " "
                                <span class="muted small">{t!(i18n, privacy.shown_note)}</span>
                            }
                                .into_any()
                        }
                        other => {
                            let failed = other.and_then(Result::err);
                            view! {
                                <span class="mono" data-testid="contact-masked">
                                    {masked_line.clone()}
                                </span>
                                " "
                                <button
                                    type="button"
                                    class="btn btn-small"
                                    disabled=move || reveal.pending().get()
                                    on:click=move |_| {
                                        reveal.dispatch(());
                                    }
                                >
                                    {t!(i18n, privacy.show)}
                                </button>
                                <span class="muted small contact-hint">{t!(i18n, privacy.show_hint)}</span>
                                {failed
                                    .map(|e| {
                                        view! {
                                            <span class="alert-inline" role="alert">
                                                <ErrorText error=e />
                                            </span>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                    }}
                </span>
            }
            .into_any()
        }
    }
}
