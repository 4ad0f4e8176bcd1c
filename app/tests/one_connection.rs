//! The house rule for the database, checked on the source: a task never holds two pooled
//! connections, because waiting for a second while holding one is how the pool runs dry
//! under load (every task holds one and waits for another).
//!
//! - `store` functions take the caller's connection (`&mut AnyConnection`), never `&Db`:
//!   they cannot take one of their own.
//! - Connections are taken only in `service` (`db.read()`, `db.begin_write()`,
//!   `db.snapshot()`), never in pages, routes or `store`.
//! - A service function that has bound a connection takes no other and passes `db` to
//!   nothing until it lets the first go (`commit`, `rollback`, `drop`).
use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir), &mut out);
    assert!(!out.is_empty(), "no sources under {dir}");
    out
}

fn is_under(path: &Path, part: &str) -> bool {
    path.to_string_lossy().replace('\\', "/").contains(part)
}

const TAKES: [&str; 3] = ["db.read()", "db.begin_write()", "db.snapshot()"];

#[test]
fn store_functions_take_the_callers_connection() {
    let mut found = Vec::new();
    for (path, text) in sources("app/src/store") {
        // `db.rs` is where connections come from; the session store implements a library's
        // trait on the pool; the PostgreSQL listener opens a connection outside the pool.
        let name = path.file_name().unwrap().to_string_lossy();
        if name == "db.rs" || name == "sessions.rs" {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            let listener = name == "notices.rs" && line.contains("pub async fn listen(db: &Db");
            if (line.contains(": &Db") || line.contains(": &super::Db") || TAKES.iter().any(|t| line.contains(t)) || line.contains(".pool")) && !listener {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "store takes its connection from the caller:\n{}", found.join("\n"));
}

#[test]
fn only_services_take_connections() {
    let mut found = Vec::new();
    for dir in ["app/src", "server/src"] {
        for (path, text) in sources(dir) {
            if is_under(&path, "app/src/service/") || is_under(&path, "app/src/store/") {
                continue;
            }
            for (i, line) in text.lines().enumerate() {
                if [".read().await", ".begin_write()", ".snapshot()", ".pool"].iter().any(|t| line.contains(t)) {
                    found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "pages, routes and commands go through services:\n{}", found.join("\n"));
}

/// The functions of a formatted file: (first line, lines of the body).
fn functions(text: &str) -> Vec<(usize, Vec<&str>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let trimmed = l.trim_start();
        let is_fn = ["fn ", "async fn ", "pub fn ", "pub async fn ", "pub(crate) async fn ", "pub(super) async fn ", "pub(crate) fn "]
            .iter()
            .any(|p| trimmed.starts_with(p));
        if is_fn {
            let indent = &l[..l.len() - trimmed.len()];
            let end = (i + 1..lines.len()).find(|&j| lines[j] == format!("{indent}}}")).unwrap_or(i);
            out.push((i + 1, lines[i..=end].to_vec()));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// `name` after `let mut name = db.read()…` (or a write transaction, or a snapshot).
fn bound_connection(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("let mut ")?;
    let (name, value) = rest.split_once(" = ")?;
    TAKES.iter().any(|t| value.starts_with(t)).then_some(name)
}

fn passes_db(line: &str) -> bool {
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    ["(db,", "(db)", "(&db,", "(&db)", ",db,", ",db)", ",&db,", ",&db)"].iter().any(|p| squeezed.contains(p)) || TAKES.iter().any(|t| line.contains(t))
}

fn holding_and_taking(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (start, body) in functions(text) {
        let mut held: Option<String> = None;
        for (k, line) in body.iter().enumerate() {
            if let Some(name) = &held {
                let let_go = [format!("{name}.commit()"), format!("{name}.rollback()"), format!("drop({name})")].iter().any(|p| line.contains(p.as_str()));
                if let_go {
                    held = None;
                    continue;
                }
                if passes_db(line) {
                    found.push(format!("line {}: {} (holding `{name}`)", start + k, line.trim()));
                }
            } else if let Some(name) = bound_connection(line) {
                held = Some(name.to_string());
            }
        }
    }
    found
}

#[test]
fn a_service_holding_a_connection_takes_no_second() {
    let mut found = Vec::new();
    for (path, text) in sources("app/src/service") {
        for f in holding_and_taking(&text) {
            found.push(format!("{}: {f}", path.display()));
        }
    }
    assert!(found.is_empty(), "a second connection taken while one is held:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_what_it_looks_for() {
    let bad = "pub async fn f(db: &Db) -> Result<(), E> {\n    let mut tx = db.begin_write().await?;\n    let x = other(db, 1).await?;\n    tx.commit().await?;\n    Ok(())\n}\n";
    assert_eq!(holding_and_taking(bad).len(), 1);
    let also_bad = "async fn f(db: &Db) {\n    let mut conn = db.read().await?;\n    store::a(&mut *db.read().await?).await?;\n}\n";
    assert_eq!(holding_and_taking(also_bad).len(), 1);
    let good = "pub async fn f(db: &Db) -> Result<(), E> {\n    check(db, 1).await?;\n    let mut tx = db.begin_write().await?;\n    store::x(&mut tx).await?;\n    tx.commit().await?;\n    notify(db);\n    Ok(())\n}\n";
    assert!(holding_and_taking(good).is_empty());
}
