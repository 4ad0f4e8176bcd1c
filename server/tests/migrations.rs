//! The migrations of both databases stay in step: the same numbers and names in each folder,
//! and every new one takes the next number (0005 was skipped long ago; installed databases
//! record versions, so that gap stays and no other may open).
use std::path::Path;

/// The last migration before the rule: numbers after it are consecutive.
const LAST_BEFORE_THE_RULE: u32 = 7;

fn versions(backend: &str) -> Vec<(u32, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(backend);
    let mut out: Vec<(u32, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .map(|n| (n[..4].parse().unwrap_or_else(|_| panic!("{n} does not start with four digits")), n))
        .collect();
    out.sort();
    out
}

#[test]
fn both_databases_have_the_same_migrations() {
    assert_eq!(versions("sqlite"), versions("postgres"));
}

#[test]
fn new_migrations_are_numbered_without_gaps() {
    let numbers: Vec<u32> = versions("sqlite").into_iter().map(|(v, _)| v).collect();
    for pair in numbers.windows(2) {
        assert!(pair[1] > pair[0], "two migrations numbered {}", pair[0]);
        if pair[0] >= LAST_BEFORE_THE_RULE {
            assert_eq!(pair[1], pair[0] + 1, "a gap after migration {}", pair[0]);
        }
    }
}
