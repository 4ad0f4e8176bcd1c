//! Helpers the benchmarks share (a folder, so cargo does not take it for a benchmark).

/// `url` with its database name replaced, keeping user, host and query.
pub fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority = head.find("://").map(|i| i + 3).unwrap_or(0);
    let path = head[authority..].find('/').map(|i| authority + i).unwrap_or(head.len());
    format!("{}/{name}{query}", &head[..path])
}
