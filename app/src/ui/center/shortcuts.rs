//! The operator's keyboard on the desk: an operator who registers cases all day keeps both
//! hands on the keys. `n` new case, `/` search the list, `j` next case of the list last used,
//! `d` dispatch, Ctrl+Enter or Ctrl+S submit the form being filled in, `?` this help, Esc
//! leave the field.
//! Letters typed into a text field stay text; Alt is left to input methods and Ctrl+letter to
//! the browser. A shortcut with nothing to do says so in a live region.
// The key map runs in the browser only; the server renders the help and tests the map.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]
use crate::i18n::*;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    NewCase,
    Search,
    NextCase,
    Dispatch,
    Submit,
    Help,
    /// Esc in a field leaves it, so that the next letters are shortcuts again.
    LeaveField,
}

/// A key press as the desk sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Press<'a> {
    pub key: &'a str,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
    /// An input method is composing (Chinese typed with pinyin): never a shortcut.
    pub composing: bool,
    /// The focus is where typed letters become text.
    pub in_text: bool,
}

/// Which shortcut a key press means, if any.
pub fn shortcut(p: Press) -> Option<Shortcut> {
    if p.composing || p.alt || p.meta {
        return None;
    }
    if p.ctrl {
        return matches!(p.key, "Enter" | "s" | "S").then_some(Shortcut::Submit);
    }
    if p.in_text {
        return (p.key == "Escape").then_some(Shortcut::LeaveField);
    }
    match p.key {
        "n" => Some(Shortcut::NewCase),
        "/" => Some(Shortcut::Search),
        "j" => Some(Shortcut::NextCase),
        "d" => Some(Shortcut::Dispatch),
        "?" => Some(Shortcut::Help),
        _ => None,
    }
}

/// Whether an element takes typed letters as text: text inputs, text areas and selects (whose
/// letters jump between options); not checkboxes, radios or buttons.
pub fn takes_text(tag: &str, input_type: &str, editable: bool) -> bool {
    match tag.to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => {
            !matches!(input_type.to_ascii_lowercase().as_str(), "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "color" | "range" | "image")
        }
        _ => editable,
    }
}

/// The case after `current` in the list last used, or its first case when `current` is not
/// one of its rows (on the list itself, or on a case reached another way).
pub fn next_case(ids: &[i64], current: Option<i64>) -> Option<i64> {
    match current.and_then(|c| ids.iter().position(|&i| i == c)) {
        Some(at) => ids.get(at + 1).copied(),
        None => ids.first().copied(),
    }
}

/// The case a desk path shows: `/center/cases/42` → 42.
pub fn case_in_path(path: &str) -> Option<i64> {
    path.strip_prefix("/center/cases/")?.parse().ok()
}

/// The fields of a form a key may land in, in order: the first is where `n` puts the focus.
const FORM_FIELDS: &str = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
const INTAKE_FORM: &str = "form[data-testid=intake-form]";
const SEARCH: &str = "form[data-testid=case-filters] input[name=q]";
const DISPATCH_LEAD: &str = "form.dispatch select[name=lead]";

/// The help dialog, the header's button that opens it, the live region, and the key listener.
#[component]
pub fn DeskShortcuts() -> impl IntoView {
    let i18n = use_i18n();
    // What the last shortcut could not do, said politely to screen readers and shown.
    let said = RwSignal::new(String::new());
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    #[cfg(feature = "hydrate")]
    browser::listen(said, dialog);
    let open = move |_| {
        #[cfg(feature = "hydrate")]
        browser::toggle_help(dialog);
    };
    let row = |keys: &'static [&'static str], what: String| {
        view! {
            <tr>
                <td class="nowrap">
                    {keys
                        .iter()
                        .enumerate()
                        .map(|(i, k)| {
                            view! {
                                {(i > 0).then_some(" + ")}
                                <kbd>{*k}</kbd>
                            }
                        })
                        .collect_view()}
                </td>
                <td>{what}</td>
            </tr>
        }
    };
    view! {
        <button type="button" class="btn btn-ghost" aria-keyshortcuts="?" aria-haspopup="dialog" on:click=open data-testid="shortcuts-open">
            {t!(i18n, shortcuts.button)}
        </button>
        <p class="shortcut-note" role="status" aria-live="polite" data-testid="shortcut-status">
            {move || said.get()}
        </p>
        <dialog node_ref=dialog class="shortcuts-help card" aria-labelledby="shortcuts-title" data-testid="shortcuts-help">
            <h2 id="shortcuts-title">{t!(i18n, shortcuts.title)}</h2>
            <p class="muted">{t!(i18n, shortcuts.intro)}</p>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, shortcuts.key)}</th>
                        <th scope="col">{t!(i18n, shortcuts.action)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || row(&["n"], t_string!(i18n, shortcuts.new_case).to_string())} {move || row(&["/"], t_string!(i18n, shortcuts.search).to_string())}
                    {move || row(&["j"], t_string!(i18n, shortcuts.next).to_string())} {move || row(&["d"], t_string!(i18n, shortcuts.dispatch).to_string())}
                    {move || row(&["Ctrl", "Enter"], t_string!(i18n, shortcuts.save).to_string())}
                    {move || row(&["Ctrl", "S"], t_string!(i18n, shortcuts.save).to_string())}
                    {move || row(&["?"], t_string!(i18n, shortcuts.help).to_string())} {move || row(&["Esc"], t_string!(i18n, shortcuts.leave).to_string())}
                </tbody>
            </table>
            <form method="dialog" class="form-actions">
                <button type="submit" class="btn btn-primary">
                    {t!(i18n, shortcuts.close)}
                </button>
            </form>
        </dialog>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::ui::cases::remembered;
    use leptos::wasm_bindgen::JsCast;
    use leptos_router::hooks::use_navigate;

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    fn find(selector: &str) -> Option<web_sys::HtmlElement> {
        document()?.query_selector(selector).ok()??.dyn_into().ok()
    }

    /// Focuses `selector` once the page that holds it has arrived (a lazy route's code and
    /// data come after the navigation); gives up after 5 seconds.
    fn focus_when_ready(selector: String) {
        try_focus(selector, 50);
    }

    fn try_focus(selector: String, tries_left: u32) {
        match find(&selector) {
            Some(el) => {
                let _ = el.focus();
            }
            None if tries_left > 0 => {
                let _ = gloo_timers::callback::Timeout::new(100, move || try_focus(selector, tries_left - 1)).forget();
            }
            None => {}
        }
    }

    pub fn toggle_help(dialog: NodeRef<leptos::html::Dialog>) {
        if let Some(d) = dialog.get_untracked() {
            if d.open() {
                d.close();
            } else {
                let _ = d.show_modal();
            }
        }
    }

    pub fn listen(said: RwSignal<String>, dialog: NodeRef<leptos::html::Dialog>) {
        let i18n = use_i18n();
        let navigate = use_navigate();
        let path = leptos_router::hooks::use_location().pathname;
        // A note stays a few seconds; a newer one replaces it.
        let say = move |text: String| {
            said.set(text.clone());
            gloo_timers::callback::Timeout::new(5_000, move || {
                if said.get_untracked() == text {
                    said.set(String::new());
                }
            })
            .forget();
        };
        let handle = window_event_listener(leptos::ev::keydown, move |e: web_sys::KeyboardEvent| {
            if e.default_prevented() || dialog.get_untracked().is_some_and(|d| d.open()) {
                return;
            }
            let active = document().and_then(|d| d.active_element());
            let in_text = active.as_ref().is_some_and(|el| {
                let kind = el.get_attribute("type").unwrap_or_default();
                let editable = el.dyn_ref::<web_sys::HtmlElement>().is_some_and(|h| h.is_content_editable());
                takes_text(&el.tag_name(), &kind, editable)
            });
            let key = e.key();
            let press = Press { key: &key, ctrl: e.ctrl_key(), alt: e.alt_key(), meta: e.meta_key(), composing: e.is_composing(), in_text };
            let Some(action) = shortcut(press) else { return };
            e.prevent_default();
            let here = path.get_untracked();
            match action {
                Shortcut::Help => toggle_help(dialog),
                Shortcut::LeaveField => {
                    if let Some(el) = active.as_ref().and_then(|el| el.dyn_ref::<web_sys::HtmlElement>()) {
                        let _ = el.blur();
                    }
                }
                Shortcut::NewCase => {
                    if here != "/center/cases/new" {
                        navigate("/center/cases/new", Default::default());
                    }
                    focus_when_ready(format!("{INTAKE_FORM} :is({FORM_FIELDS})"));
                }
                Shortcut::Search => {
                    if here != "/center/cases" {
                        navigate(&format!("/center/cases{}", remembered::filters()), Default::default());
                    }
                    focus_when_ready(SEARCH.to_string());
                }
                Shortcut::NextCase => match next_case(&remembered::list_ids(), case_in_path(&here)) {
                    Some(id) => navigate(&format!("/center/cases/{id}"), Default::default()),
                    None => say(t_string!(i18n, shortcuts.no_next).to_string()),
                },
                Shortcut::Dispatch => match find(DISPATCH_LEAD) {
                    Some(el) => {
                        let _ = el.focus();
                    }
                    None => say(t_string!(i18n, shortcuts.no_dispatch).to_string()),
                },
                Shortcut::Submit => {
                    let form = active.and_then(|el| el.closest("form").ok().flatten()).and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
                    match form {
                        // As if its button were pressed: the browser checks required fields first.
                        Some(f) => {
                            let _ = f.request_submit();
                        }
                        None => say(t_string!(i18n, shortcuts.no_form).to_string()),
                    }
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Press<'_> {
        Press { key: k, ..Press::default() }
    }

    #[test]
    fn letters_outside_a_field_are_shortcuts() {
        assert_eq!(shortcut(key("n")), Some(Shortcut::NewCase));
        assert_eq!(shortcut(key("/")), Some(Shortcut::Search));
        assert_eq!(shortcut(key("j")), Some(Shortcut::NextCase));
        assert_eq!(shortcut(key("d")), Some(Shortcut::Dispatch));
        assert_eq!(shortcut(key("?")), Some(Shortcut::Help));
        assert_eq!(shortcut(key("x")), None);
        // Shifted letters are not the shortcut (N is not n).
        assert_eq!(shortcut(key("N")), None);
    }

    #[test]
    fn letters_in_a_field_stay_text() {
        for k in ["n", "/", "j", "d", "?"] {
            assert_eq!(shortcut(Press { in_text: true, ..key(k) }), None, "{k}");
        }
    }

    #[test]
    fn esc_leaves_a_field_and_is_nothing_elsewhere() {
        assert_eq!(shortcut(Press { in_text: true, ..key("Escape") }), Some(Shortcut::LeaveField));
        assert_eq!(shortcut(key("Escape")), None);
        assert_eq!(shortcut(Press { in_text: true, composing: true, ..key("Escape") }), None);
    }

    #[test]
    fn ctrl_enter_and_ctrl_s_submit_even_in_a_field() {
        for k in ["Enter", "s", "S"] {
            assert_eq!(shortcut(Press { ctrl: true, in_text: true, ..key(k) }), Some(Shortcut::Submit), "{k}");
        }
        // Other Ctrl combinations stay the browser's (copy, paste, find …).
        for k in ["c", "v", "f", "n", "j"] {
            assert_eq!(shortcut(Press { ctrl: true, ..key(k) }), None, "{k}");
        }
    }

    #[test]
    fn input_methods_alt_and_meta_are_left_alone() {
        assert_eq!(shortcut(Press { composing: true, ..key("n") }), None);
        assert_eq!(shortcut(Press { alt: true, ..key("n") }), None);
        assert_eq!(shortcut(Press { meta: true, ..key("s") }), None);
        assert_eq!(shortcut(Press { ctrl: true, alt: true, ..key("Enter") }), None);
    }

    #[test]
    fn what_takes_text() {
        assert!(takes_text("INPUT", "text", false));
        assert!(takes_text("INPUT", "", false));
        assert!(takes_text("INPUT", "search", false));
        assert!(takes_text("TEXTAREA", "", false));
        assert!(takes_text("SELECT", "", false));
        assert!(takes_text("DIV", "", true));
        assert!(!takes_text("INPUT", "checkbox", false));
        assert!(!takes_text("INPUT", "RADIO", false));
        assert!(!takes_text("BUTTON", "submit", false));
        assert!(!takes_text("A", "", false));
    }

    #[test]
    fn the_next_case_walks_the_list_and_stops_at_its_end() {
        let ids = [7, 3, 9];
        assert_eq!(next_case(&ids, None), Some(7));
        assert_eq!(next_case(&ids, Some(7)), Some(3));
        assert_eq!(next_case(&ids, Some(3)), Some(9));
        assert_eq!(next_case(&ids, Some(9)), None);
        // A case reached another way: the list's first.
        assert_eq!(next_case(&ids, Some(42)), Some(7));
        assert_eq!(next_case(&[], None), None);
    }

    #[test]
    fn the_case_a_path_shows() {
        assert_eq!(case_in_path("/center/cases/42"), Some(42));
        assert_eq!(case_in_path("/center/cases/new"), None);
        assert_eq!(case_in_path("/center/cases"), None);
        assert_eq!(case_in_path("/field/cases/42"), None);
    }
}
