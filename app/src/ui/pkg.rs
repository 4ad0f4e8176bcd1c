//! Where pages find the site's built code and style: under a stamp of the build's files,
//! `/pkg/~<stamp>/shezhi.js`, which the server sends to be kept for a year (`server::pkg`).
//! A phone that has started the app once starts it again without downloading it, and a new
//! release, whose files have a new stamp, is never mixed with the last one's kept copies
//! (the files' own names do not change between builds).

/// The marker of a stamp in a built file's address: `/pkg/~<stamp>/…`.
pub const STAMP_MARK: char = '~';

/// A built file's address without its stamp, and the stamp: `/pkg/~ab12/x.wasm` is
/// `("/pkg/x.wasm", Some("ab12"))`; an address without one comes back as it is.
pub fn unstamped<'a>(pkg: &str, path: &'a str) -> (std::borrow::Cow<'a, str>, Option<&'a str>) {
    let stamped = path.strip_prefix(pkg).and_then(|p| p.strip_prefix('/')).and_then(|p| p.strip_prefix(STAMP_MARK)).and_then(|p| p.split_once('/'));
    match stamped {
        Some((stamp, rest)) if !stamp.is_empty() => (format!("{pkg}/{rest}").into(), Some(stamp)),
        _ => (path.into(), None),
    }
}

/// The address pages name the built files under: `/pkg/~<stamp>` (the server alone knows the
/// stamp; the browser never renders these addresses).
pub fn base(options: &leptos::prelude::LeptosOptions) -> String {
    #[cfg(feature = "ssr")]
    return format!("/{}/{STAMP_MARK}{}", options.site_pkg_dir, current_stamp(&dir(options)));
    #[cfg(not(feature = "ssr"))]
    return format!("/{}", options.site_pkg_dir);
}

/// The folder of the built files on disk.
#[cfg(feature = "ssr")]
pub fn dir(options: &leptos::prelude::LeptosOptions) -> std::path::PathBuf {
    std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

#[cfg(feature = "ssr")]
pub use files::current_stamp;

#[cfg(feature = "ssr")]
mod files {
    use std::collections::HashMap;
    use std::hash::{DefaultHasher, Hash, Hasher};
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant, SystemTime};

    /// How long a stamp is used before the folder is looked at again: a frontend rebuilt in
    /// place (`cargo leptos watch`) gets a new stamp within this, a release never changes.
    const RECHECK: Duration = Duration::from_secs(2);

    struct Seen {
        checked: Instant,
        newest: Option<SystemTime>,
        stamp: Arc<str>,
    }

    /// The stamp of the files in `dir` as they are now: a hash of their names and contents
    /// (their precompressed copies follow from them), worked out again only when one changed.
    pub fn current_stamp(dir: &Path) -> Arc<str> {
        static SEEN: Mutex<Option<HashMap<PathBuf, Seen>>> = Mutex::new(None);
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        let seen = seen.get_or_insert_with(HashMap::new);
        if let Some(s) = seen.get(dir).filter(|s| s.checked.elapsed() < RECHECK) {
            return s.stamp.clone();
        }
        let files = built_files(dir);
        let newest = files.iter().filter_map(|f| f.metadata().and_then(|m| m.modified()).ok()).max();
        if let Some(s) = seen.get_mut(dir).filter(|s| s.newest == newest) {
            s.checked = Instant::now();
            return s.stamp.clone();
        }
        let mut h = DefaultHasher::new();
        for f in &files {
            f.strip_prefix(dir).unwrap_or(f).hash(&mut h);
            std::fs::read(f).unwrap_or_default().hash(&mut h);
        }
        let stamp: Arc<str> = format!("{:016x}", h.finish()).into();
        seen.insert(dir.to_path_buf(), Seen { checked: Instant::now(), newest, stamp: stamp.clone() });
        stamp
    }

    /// The build's files under `dir`, sorted, without the `.br`/`.gz` copies.
    fn built_files(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                match entry.file_type() {
                    Ok(t) if t.is_dir() => todo.push(path),
                    Ok(_) if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) => files.push(path),
                    _ => {}
                }
            }
        }
        files.sort();
        files
    }

    #[cfg(test)]
    mod tests {
        use super::current_stamp;

        #[test]
        fn the_stamp_changes_with_a_file_and_not_with_its_compressed_copy() {
            let dir = std::env::temp_dir().join(format!("shezhi-pkg-stamp-{}", std::process::id()));
            std::fs::create_dir_all(dir.join("snippets")).unwrap();
            std::fs::write(dir.join("shezhi.js"), "one").unwrap();
            std::fs::write(dir.join("snippets/a.js"), "a").unwrap();
            let first = current_stamp(&dir);
            assert_eq!(first.len(), 16);
            assert_eq!(current_stamp(&dir), first, "the same files, the same stamp");
            std::fs::write(dir.join("shezhi.js.br"), "compressed").unwrap();
            std::thread::sleep(super::RECHECK);
            assert_eq!(current_stamp(&dir), first, "a compressed copy is not a new build");
            std::fs::write(dir.join("snippets/a.js"), "b").unwrap();
            std::thread::sleep(super::RECHECK);
            let second = current_stamp(&dir);
            assert_ne!(second, first, "a file rebuilt in place, even in a subfolder");
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unstamped;

    #[test]
    fn a_stamped_address_names_the_file_and_its_stamp() {
        for (path, file, stamp) in [
            ("/pkg/~0123abcd/shezhi.js", "/pkg/shezhi.js", Some("0123abcd")),
            ("/pkg/~0123abcd/snippets/x/a.js", "/pkg/snippets/x/a.js", Some("0123abcd")),
            ("/pkg/shezhi.css", "/pkg/shezhi.css", None),
            ("/pkg/snippets/x/a.js", "/pkg/snippets/x/a.js", None),
            ("/pkg/~/shezhi.js", "/pkg/~/shezhi.js", None),
            ("/pkg/~0123abcd", "/pkg/~0123abcd", None),
            ("/icons/~a/b.png", "/icons/~a/b.png", None),
        ] {
            let (f, s) = unstamped("/pkg", path);
            assert_eq!((f.as_ref(), s), (file, stamp), "{path}");
        }
    }
}
