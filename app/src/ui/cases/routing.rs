//! The learned routing's suggestions beside the forms (issue 17): the likeliest categories on
//! the intake desk, the likeliest lead and cooperating units on the dispatch and palm-command
//! forms, each with its confidence. A click fills the form; the operator still confirms.
//! Nothing is shown until the models have learned from enough closed cases.
use crate::domain::routing::{Named, Suggested};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[server(endpoint = "cases/routing_suggest")]
pub async fn routing_suggest(title: String, description: String, area: Option<i64>, category: Option<String>) -> Result<Suggested, AppError> {
    crate::server_ctx::require(crate::domain::access::REGISTER_CASES).await?;
    let (db, fx) = (crate::server_ctx::db()?, crate::server_ctx::effects()?);
    crate::service::routing::suggest(&db, &fx.routing, &title, &description, area, category.as_deref()).await
}

#[server(endpoint = "cases/routing_for_case")]
pub async fn routing_for_case(id: i64) -> Result<Suggested, AppError> {
    let user = crate::server_ctx::require(crate::domain::org::Role::ALL).await?;
    let (db, fx) = (crate::server_ctx::db()?, crate::server_ctx::effects()?);
    crate::service::routing::suggest_for_case(&db, &fx.routing, &crate::server_ctx::case_actor(&user), id).await
}

/// What the box is, and what the models learned from.
#[component]
fn Heading(n: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="small">
            <strong>{t!(i18n, routing.title)}</strong>
            " "
            <span class="muted">{t!(i18n, routing.learned_from, n = move || n)}</span>
        </p>
    }
}

/// One row of suggestions: a label, then a button per answer with its confidence.
/// Without `pick`, the answers are shown, not offered (the units, while registering).
#[component]
fn Row(label: String, items: Vec<Named>, testid: &'static str, #[prop(optional)] pick: Option<Callback<String>>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <p class="suggest-row">
                <span class="muted small">{label}</span>
                {items
                    .into_iter()
                    .map(|n| {
                        let key = n.key.clone();
                        let label = view! {
                            {n.name}
                            " "
                            <span class="muted">{n.percent} "%"</span>
                        };
                        match pick {
                            Some(pick) => {
                                view! {
                                    <button type="button" class="chip" data-testid=testid data-key=n.key.clone() on:click=move |_| pick.run(key.clone())>
                                        {label}
                                    </button>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <span class="chip chip-static" data-testid=testid data-key=n.key.clone()>
                                        {label}
                                    </span>
                                }
                                    .into_any()
                            }
                        }
                    })
                    .collect_view()}
            </p>
        }
    })
}

/// The intake desk's box: categories for what the caller said (read when the description
/// field is left), and the units they usually go to.
#[component]
pub fn IntakeSuggestions(title: RwSignal<String>, description: RwSignal<String>, area: RwSignal<String>, category: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let found = Resource::new(
        move || (title.get(), description.get(), area.get()),
        |(t, d, a)| async move {
            if d.trim().chars().count() < 4 {
                return Ok(Suggested::default());
            }
            routing_suggest(t, d, a.parse().ok(), None).await
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                found
                    .get()
                    .and_then(Result::ok)
                    .filter(|s| s.learned_from > 0 && !s.categories.is_empty())
                    .map(|s| {
                        let n = s.learned_from;
                        view! {
                            <div class="routing-suggest" data-testid="routing-suggest" aria-live="polite">
                                <Heading n />
                                <Row
                                    label=t_string!(i18n, routing.categories).to_string()
                                    items=s.categories
                                    testid="suggest-category"
                                    pick=Callback::new(move |k| category.set(k))
                                />
                                <Row label=t_string!(i18n, routing.leads).to_string() items=s.leads testid="suggest-lead-info" />
                            </div>
                        }
                    })
            }}
        </Transition>
    }
}

/// The refiling form's box: the categories the model finds likeliest for the case's words,
/// other than the one it is filed under; a click chooses one.
#[component]
pub fn CategorySuggestions(found: Resource<Result<Suggested, AppError>>, except: String, chosen: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let except = StoredValue::new(except);
    view! {
        <Transition fallback=|| ()>
            {move || {
                found
                    .get()
                    .and_then(Result::ok)
                    .filter(|s| s.learned_from > 0)
                    .map(|s| {
                        let items: Vec<Named> = s.categories.into_iter().filter(|c| except.with_value(|e| *e != c.key)).collect();
                        (!items.is_empty())
                            .then(|| {
                                view! {
                                    <div class="routing-suggest" data-testid="routing-suggest">
                                        <Heading n=s.learned_from />
                                        <Row
                                            label=t_string!(i18n, routing.categories).to_string()
                                            items
                                            testid="suggest-category"
                                            pick=Callback::new(move |k| chosen.set(k))
                                        />
                                    </div>
                                }
                            })
                    })
            }}
        </Transition>
    }
}

/// The dispatch form's box: lead and cooperating units for the case, beside the rules'.
/// `found` is `routing_for_case`, made where the form is made: a resource first made inside
/// the form's own `Transition` would be numbered differently by the server's render and the
/// browser's hydration, and the page would not hydrate.
#[component]
pub fn DispatchSuggestions(found: Resource<Result<Suggested, AppError>>, lead: RwSignal<String>, ticked: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=|| ()>
            {move || {
                found
                    .get()
                    .and_then(Result::ok)
                    .filter(|s| s.learned_from > 0 && !s.leads.is_empty())
                    .map(|s| {
                        let n = s.learned_from;
                        view! {
                            <div class="routing-suggest" data-testid="routing-suggest">
                                <Heading n />
                                <Row
                                    label=t_string!(i18n, routing.leads).to_string()
                                    items=s.leads
                                    testid="suggest-lead"
                                    pick=Callback::new(move |k| lead.set(k))
                                />
                                <Row
                                    label=t_string!(i18n, routing.cooperating).to_string()
                                    items=s.cooperating
                                    testid="suggest-coop"
                                    pick=Callback::new(move |k: String| {
                                        ticked
                                            .update(|t| {
                                                if !t.contains(&k) {
                                                    t.push(k)
                                                }
                                            })
                                    })
                                />
                            </div>
                        }
                    })
            }}
        </Transition>
    }
}
