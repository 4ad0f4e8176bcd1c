//! What the desk remembers of the case list, in this browser: the filters last applied (the
//! desk's link to the list opens it as it was left) and the rows last shown (`j` walks them).
//! A bare `/center/cases` stays the whole register, so links and bookmarks mean the same for
//! everyone; "clear" forgets the filters, and so does signing out (desks are shared).
use leptos_router::params::ParamsMap;

/// The query worth keeping: without the page cursor or empty fields, trimmed.
pub fn kept_query(q: &ParamsMap) -> String {
    q.clone().into_iter().filter(|(k, v)| k != "after" && !v.trim().is_empty()).map(|(k, v)| (k, v.trim().to_string())).collect::<ParamsMap>().to_query_string()
}

/// The filters last applied, as a query string (`""` when none).
pub fn filters() -> String {
    #[cfg(feature = "hydrate")]
    {
        browser::get(browser::local(), FILTERS).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// Keeps the list's query, unless it is the bare list (a link or a bookmark, not a choice).
pub fn remember_filters(q: &ParamsMap) {
    #[cfg(feature = "hydrate")]
    if q.clone().into_iter().next().is_some() {
        browser::set(browser::local(), FILTERS, &kept_query(q));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = q;
}

pub fn forget_filters() {
    #[cfg(feature = "hydrate")]
    browser::set(browser::local(), FILTERS, "");
}

/// The case ids of the rows last shown, in their order.
pub fn list_ids() -> Vec<i64> {
    #[cfg(feature = "hydrate")]
    {
        browser::get(browser::session(), IDS).map(|s| parse_ids(&s)).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Vec::new()
    }
}

pub fn remember_ids(ids: impl Iterator<Item = i64>) {
    let text = ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    #[cfg(feature = "hydrate")]
    browser::set(browser::session(), IDS, &text);
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

pub fn parse_ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|i| i.trim().parse().ok()).collect()
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const FILTERS: &str = "shezhi.cases.filters";
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const IDS: &str = "shezhi.cases.ids";

#[cfg(feature = "hydrate")]
mod browser {
    pub fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }
    /// This tab's: another tab walks its own list.
    pub fn session() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok()?
    }
    pub fn get(s: Option<web_sys::Storage>, key: &str) -> Option<String> {
        s?.get_item(key).ok()?
    }
    // A browser that refuses storage (private mode, full) just does not remember.
    pub fn set(s: Option<web_sys::Storage>, key: &str, value: &str) {
        if let Some(s) = s {
            let _ = if value.is_empty() { s.remove_item(key) } else { s.set_item(key, value) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_query_drops_the_cursor_and_empty_fields() {
        let q: ParamsMap = [("q", " 噪音 "), ("status", ""), ("after", "abc"), ("overdue", "1"), ("area", "  ")].into_iter().collect();
        let expected: ParamsMap = [("q", "噪音"), ("overdue", "1")].into_iter().collect();
        assert_eq!(kept_query(&q), expected.to_query_string());
        assert!(kept_query(&q).starts_with("?q="));
    }

    #[test]
    fn nothing_worth_keeping_is_the_bare_list() {
        let q: ParamsMap = [("q", ""), ("after", "x")].into_iter().collect();
        assert_eq!(kept_query(&q), "");
        assert_eq!(kept_query(&ParamsMap::new()), "");
    }

    #[test]
    fn ids_read_back_in_order_and_skip_garbage() {
        assert_eq!(parse_ids("7,3,9"), vec![7, 3, 9]);
        assert_eq!(parse_ids(""), Vec::<i64>::new());
        assert_eq!(parse_ids("7,x, 9"), vec![7, 9]);
    }
}
