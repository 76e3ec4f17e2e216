//! Shared by the tests that compare committed generated bindings with fresh ones.

use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` whose name ends with one of `ext`, by `/`-separated path relative to
/// `root`, as text.
pub fn read_tree(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>, ext: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(root, &path, out, ext);
        } else if ext.iter().any(|e| path.to_string_lossy().ends_with(e)) {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(rel, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The files that differ between `generated` and the crate at `dir` (`.rs` and `.toml` files),
/// either way.
pub fn stale(dir: &Path, generated: odoo_codegen::Generated) -> Vec<String> {
    let want: BTreeMap<String, String> = generated
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    let mut have = BTreeMap::new();
    read_tree(dir, dir, &mut have, &[".rs", ".toml"]);
    want.keys()
        .chain(have.keys())
        .filter(|path| want.get(*path) != have.get(*path))
        .cloned()
        .collect()
}
