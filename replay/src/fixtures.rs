//! Reading fixture directories into maps, for tests.
//!
//! - [`read_dump_tree`]: every file under a directory, keyed by its relative `/`-separated path;
//!   a `.gz` file is inflated and stored under its name without `.gz` (the layout
//!   `odoo_codegen::dump::from_dump` takes).
//! - [`read_text_tree`]: every file under a directory as UTF-8 text, keyed the same way.
//! - [`read_tree`]: every file under a directory as the bytes stored (nothing inflated), keyed
//!   the same way: what "byte for byte the same output" compares.
//!
//! Both are deterministic (the result is a sorted map) and their errors name the path concerned.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

fn context(path: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

/// Every file under `dir` (recursively), with its `/`-separated path relative to `dir`.
fn walk(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        let entries = std::fs::read_dir(&path).map_err(|e| context(&path, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| context(&path, e))?;
            let entry_path = entry.path();
            let name = entry.file_name().into_string().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: file name is not UTF-8", entry_path.display()),
                )
            })?;
            let rel = format!("{prefix}{name}");
            let file_type = entry.file_type().map_err(|e| context(&entry_path, e))?;
            let is_dir = if file_type.is_symlink() {
                entry_path.is_dir()
            } else {
                file_type.is_dir()
            };
            if is_dir {
                pending.push((entry_path, format!("{rel}/")));
            } else {
                files.push((rel, entry_path));
            }
        }
    }
    Ok(files)
}

/// Reads a dump directory: relative `/`-separated path → bytes, `.gz` files inflated and stored
/// under their name without `.gz`.
pub fn read_dump_tree(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for (rel, path) in walk(dir)? {
        let bytes = std::fs::read(&path).map_err(|e| context(&path, e))?;
        if let Some(stem) = rel.strip_suffix(".gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .map_err(|e| context(&path, e))?;
            files.insert(stem.to_owned(), out);
        } else {
            files.insert(rel, bytes);
        }
    }
    Ok(files)
}

/// Reads every file under `dir`: relative `/`-separated path → bytes as stored.
pub fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for (rel, path) in walk(dir)? {
        let bytes = std::fs::read(&path).map_err(|e| context(&path, e))?;
        files.insert(rel, bytes);
    }
    Ok(files)
}

/// Reads a directory of text files: relative `/`-separated path → contents.
pub fn read_text_tree(dir: &Path) -> io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for (rel, path) in walk(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|e| context(&path, e))?;
        files.insert(rel, text);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_nested_files_and_inflates_gz() {
        let dir = std::env::temp_dir().join(format!("odoo-replay-fixtures-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("top.txt"), "top").unwrap();
        std::fs::write(dir.join("a/b/deep.txt"), "deep").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"inflated").unwrap();
        std::fs::write(dir.join("a/data.json.gz"), gz.finish().unwrap()).unwrap();

        let dump = read_dump_tree(&dir).unwrap();
        let keys: Vec<&str> = dump.keys().map(String::as_str).collect();
        assert_eq!(keys, ["a/b/deep.txt", "a/data.json", "top.txt"]);
        assert_eq!(dump["a/data.json"], b"inflated");

        std::fs::remove_file(dir.join("a/data.json.gz")).unwrap();
        let text = read_text_tree(&dir).unwrap();
        assert_eq!(text["a/b/deep.txt"], "deep");
        assert_eq!(text.len(), 2);

        let missing = dir.join("missing");
        let err = read_dump_tree(&missing).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
