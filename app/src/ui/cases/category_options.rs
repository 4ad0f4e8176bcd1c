//! The options of a category select, shared by the intake forms and the refiling form.
use super::texts::kind_text;
use crate::domain::case::{CaseKind, Category};
use crate::i18n::*;
use leptos::prelude::*;

/// A category select's options: "choose" first, then the categories under their function.
#[component]
pub fn CategoryOptions(categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <option value="">{t!(i18n, case.choose)}</option>
        {CaseKind::ALL
            .iter()
            .map(|k| {
                let k = *k;
                let in_kind: Vec<_> = categories.iter().filter(|c| c.kind == k).cloned().collect();
                (!in_kind.is_empty())
                    .then(|| {
                        view! {
                            <optgroup label=move || kind_text(
                                i18n.get_locale(),
                                k,
                            )>{in_kind.into_iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}</optgroup>
                        }
                    })
            })
            .collect_view()}
    }
}
