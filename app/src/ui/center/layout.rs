use crate::domain::org::Role;
use crate::i18n::*;
use crate::ui::auth::{SignOut, current_user};
use crate::ui::components::{LangSwitch, role_text};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The operators' desk frame: navigation on the left, the signed-in person on top.
#[component]
pub fn CenterLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| current_user());
    let sign_out = ServerAction::<SignOut>::new();
    let path = use_location().pathname;
    let link = move |href: &'static str, label: String| {
        let current = move || (path.get() == href).then_some("page");
        view! {
            <a href=href aria-current=current>
                {label}
            </a>
        }
    };
    // The list as it was last left (filters kept in this browser), once the page is live.
    let list_query = RwSignal::new(String::new());
    let search = use_location().search;
    Effect::new(move |_| {
        path.track();
        search.track();
        list_query.set(crate::ui::cases::remembered::filters());
    });
    let is_admin = move || me.get().and_then(|r| r.ok()).flatten().is_some_and(|m| m.role == Role::Admin);
    view! {
        <div class="center-shell">
            <a class="skip-link" href="#main">
                {t!(i18n, common.skip_to_content)}
            </a>
            <header class="center-top">
                <a class="center-brand" href="/center">
                    <img src="/favicon.svg" alt="" width="28" height="28" />
                    <span>{t!(i18n, app_name)}</span>
                </a>
                <div class="center-top-right">
                    <super::DeskShortcuts />
                    <LangSwitch />
                    <Transition fallback=|| ()>
                        {move || {
                            me.get()
                                .and_then(|r| r.ok())
                                .flatten()
                                .map(|m| {
                                    view! {
                                        <span class="who" data-testid="who">
                                            <strong>{m.display_name.clone()}</strong>
                                            <span class="muted">{move || role_text(i18n.get_locale(), m.role)}</span>
                                        </span>
                                    }
                                })
                        }}
                    </Transition>
                    <a class="btn btn-ghost" href="/account/password">
                        {t!(i18n, nav.change_password)}
                    </a>
                    <ActionForm action=sign_out attr:class="inline">
                        // Desks are shared: the next person starts from the whole list.
                        <button type="submit" class="btn btn-ghost" on:click=|_| crate::ui::cases::remembered::forget_filters()>
                            {t!(i18n, nav.sign_out)}
                        </button>
                    </ActionForm>
                </div>
            </header>
            <div class="center-body">
                <nav class="center-nav" aria-label=move || t_string!(i18n, nav.label).to_string()>
                    {move || link("/center", t_string!(i18n, nav.overview).to_string())}
                    <a href=move || format!("/center/cases{}", list_query.get()) aria-current=move || (path.get() == "/center/cases").then_some("page")>
                        {t!(i18n, nav.cases)}
                    </a>
                    {move || link("/center/cases/new", t_string!(i18n, nav.new_case).to_string())}
                    {move || link("/center/supervision", t_string!(i18n, supervision.list_title).to_string())}
                    {move || link("/center/supervision/bulletins", t_string!(i18n, bulletin.title).to_string())}
                    {move || link("/center/evaluation", t_string!(i18n, evaluation.title).to_string())}
                    {move || link("/center/risk", t_string!(i18n, risk.title).to_string())}
                    {move || link("/center/mediation", t_string!(i18n, mediation.rate_title).to_string())}
                    {move || link("/center/duty", t_string!(i18n, duty.title).to_string())}
                    {move || link("/center/emergency", t_string!(i18n, emergency.title).to_string())}
                    {move || link("/center/hazards", t_string!(i18n, hazard.title).to_string())}
                    {move || link("/center/campaigns", t_string!(i18n, nav.campaigns).to_string())}
                    {move || link("/center/screen", t_string!(i18n, nav.wall).to_string())}
                    <Transition fallback=|| ()>
                        <Show when=is_admin>
                            <p class="nav-group">{t!(i18n, nav.admin_group)}</p>
                            {move || link("/center/admin/areas", t_string!(i18n, nav.areas).to_string())}
                            {move || link("/center/admin/units", t_string!(i18n, nav.units).to_string())}
                            {move || link("/center/admin/users", t_string!(i18n, nav.users).to_string())}
                            {move || link("/center/admin/import", t_string!(i18n, nav.import).to_string())}
                            {move || link("/center/admin/categories", t_string!(i18n, categories.title).to_string())}
                            {move || link("/center/admin/risk", t_string!(i18n, risk_admin.title).to_string())}
                            {move || link("/center/admin/audit", t_string!(i18n, nav.audit).to_string())}
                        </Show>
                    </Transition>
                </nav>
                <main id="main" class="center-main">
                    {children()}
                </main>
            </div>
        </div>
    }
}
