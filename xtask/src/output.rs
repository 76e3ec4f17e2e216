//! Writing a generated directory atomically, and comparing one with what would be written (`--check`).
//!
//! [`write_atomically`] writes every file into a fresh temporary directory next to the target, then
//! swaps it in with renames: the target is always either the previous complete output or the new
//! complete output, never a half-written mix. A failure before the swap (a write error, Ctrl-C) leaves
//! the previous output untouched and removes the temporary directory.
//!
//! A non-empty target that does not look like output of the same kind (see [`Kind`]) is refused, so a
//! mistyped `--output src` cannot replace a directory the generator did not write.
//!
//! Build artefacts in a generated crate (`target/`, `Cargo.lock`) are carried over into the new
//! output, so regenerating does not throw away a build, and are ignored by [`compare`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};

/// What a directory holds, to recognise one the generator wrote before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bindings crate: `Cargo.toml` naming `odoo-runtime`.
    Crate,
    /// A schema snapshot: `snapshot.json`.
    Snapshot,
}

impl Kind {
    fn recognises(self, dir: &Path) -> bool {
        match self {
            Kind::Crate => fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.contains("odoo-runtime") || text.contains("odoo_runtime")),
            Kind::Snapshot => dir.join(odoo_codegen::snapshot::INDEX_FILE).is_file(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Crate => "generated bindings (a Cargo.toml depending on odoo-runtime)",
            Kind::Snapshot => "a schema snapshot (snapshot.json)",
        }
    }
}

/// Entries of a generated crate that the build creates, kept across regenerations and ignored by
/// [`compare`].
const BUILD_ARTEFACTS: [&str; 2] = ["target", "Cargo.lock"];

/// Checks that `rel` is a plain relative path (`src/lib.rs`): no root, no `..`, no empty part.
fn checked_relative(rel: &str) -> anyhow::Result<PathBuf> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        bail!(
            "refusing to write `{rel}`: generated paths must be relative and stay inside the output"
        );
    }
    Ok(path.to_path_buf())
}

fn is_empty_dir(dir: &Path) -> anyhow::Result<bool> {
    Ok(fs::read_dir(dir)
        .with_context(|| format!("listing `{}`", dir.display()))?
        .next()
        .is_none())
}

/// What [`write_atomically`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Files whose content differs from the previous output (or that are new).
    pub changed: usize,
    /// Files of the previous output that are gone.
    pub removed: usize,
}

/// Replaces the directory `target` by one holding exactly `files` (relative path → contents).
pub fn write_atomically(
    target: &Path,
    files: &BTreeMap<String, String>,
    kind: Kind,
) -> anyhow::Result<Written> {
    // Ctrl-C waits until the staging directory is written and swapped in (or cleaned up on error).
    let _writing = crate::exit::uninterruptible();
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` does not name a directory", target.display()))?
        .to_owned();
    let exists = match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => bail!(
            "`{}` exists and is not a directory; refusing to replace it",
            target.display()
        ),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(err) => {
            return Err(err).with_context(|| format!("inspecting `{}`", target.display()));
        }
    };
    if exists && !is_empty_dir(target)? && !kind.recognises(target) {
        bail!(
            "refusing to replace `{}`: it is not empty and does not look like {}; remove it or \
             choose another output directory",
            target.display(),
            kind.describe()
        );
    }
    let previous = if exists {
        compare(target, files)?
    } else {
        Vec::new()
    };

    fs::create_dir_all(&parent)
        .with_context(|| format!("creating directory `{}`", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .with_context(|| format!("creating a temporary directory in `{}`", parent.display()))?;
    for (rel, contents) in files {
        let path = staging.path().join(checked_relative(rel)?);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("creating directory `{}`", dir.display()))?;
        }
        // No fsync per file: atomicity comes from the rename below (a run that fails or is
        // interrupted leaves the previous output), and hundreds of fsyncs cost seconds.
        fs::write(&path, contents.as_bytes())
            .with_context(|| format!("writing `{}`", path.display()))?;
    }
    if exists && kind == Kind::Crate {
        for artefact in BUILD_ARTEFACTS {
            let old = target.join(artefact);
            if old.exists() && !files.contains_key(artefact) {
                // Best effort: a build directory that cannot be moved is simply rebuilt.
                let _ = fs::rename(&old, staging.path().join(artefact));
            }
        }
    }

    // The swap: move the old output aside, move the new one in, then delete the old one.
    let staging = staging.keep();
    if exists {
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .with_context(|| format!("creating a temporary directory in `{}`", parent.display()))?
            .keep();
        // `rename` onto an existing empty directory replaces it on Unix.
        if let Err(err) = fs::rename(target, &aside) {
            let _ = fs::remove_dir_all(&staging);
            let _ = fs::remove_dir(&aside);
            return Err(err)
                .with_context(|| format!("moving the previous `{}` aside", target.display()));
        }
        if let Err(err) = fs::rename(&staging, target) {
            // Put the previous output back.
            let _ = fs::rename(&aside, target);
            let _ = fs::remove_dir_all(&staging);
            return Err(err)
                .with_context(|| format!("moving the new output to `{}`", target.display()));
        }
        let _ = fs::remove_dir_all(&aside);
    } else if let Err(err) = fs::rename(&staging, target) {
        let _ = fs::remove_dir_all(&staging);
        return Err(err)
            .with_context(|| format!("moving the new output to `{}`", target.display()));
    }

    let changed = previous
        .iter()
        .filter(|d| d.status != Status::Extra)
        .count();
    let removed = previous
        .iter()
        .filter(|d| d.status == Status::Extra)
        .count();
    Ok(Written {
        files: files.len(),
        changed: if exists { changed } else { files.len() },
        removed,
    })
}

/// How a file on disk differs from what would be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// On disk with other contents.
    Changed,
    /// Would be written, not on disk.
    Missing,
    /// On disk, would not be written (and would be removed).
    Extra,
}

impl Status {
    /// `changed`, `missing`, `extra`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Changed => "changed",
            Status::Missing => "missing",
            Status::Extra => "extra",
        }
    }
}

/// One difference found by [`compare`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// `/`-separated path relative to the directory.
    pub path: String,
    pub status: Status,
}

/// Prints the `--check` report of a stale directory on stderr: one line per file that differs,
/// then `hint`.
pub fn report_stale(dir: &Path, differences: &[Difference], hint: &str) {
    let n = differences.len();
    eprintln!(
        "error: {} is stale: {n} file{} differ{} from what would be written now:",
        dir.display(),
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
    );
    for difference in differences {
        eprintln!("  {} ({})", difference.path, difference.status.as_str());
    }
    eprintln!("hint: {hint}");
}

/// Compares the directory `dir` (which may not exist) with `files`, sorted by path. Build
/// artefacts (`target/`, `Cargo.lock`) are ignored.
pub fn compare(dir: &Path, files: &BTreeMap<String, String>) -> anyhow::Result<Vec<Difference>> {
    let on_disk = if dir.is_dir() {
        list_files(dir)?
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(checked_relative(rel)?);
        match fs::read(&path) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => out.push(Difference {
                path: rel.clone(),
                status: Status::Changed,
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => out.push(Difference {
                path: rel.clone(),
                status: Status::Missing,
            }),
            Err(err) => return Err(err).with_context(|| format!("reading `{}`", path.display())),
        }
    }
    for rel in on_disk {
        if !files.contains_key(&rel) {
            out.push(Difference {
                path: rel,
                status: Status::Extra,
            });
        }
    }
    out.sort();
    Ok(out)
}

/// Every file under `dir`, as `/`-separated relative paths, skipping build artefacts at the top.
fn list_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        for entry in fs::read_dir(&path).with_context(|| format!("listing `{}`", path.display()))? {
            let entry = entry.with_context(|| format!("listing `{}`", path.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if prefix.is_empty() && BUILD_ARTEFACTS.contains(&name.as_str()) {
                continue;
            }
            let rel = format!("{prefix}{name}");
            let file_type = entry
                .file_type()
                .with_context(|| format!("inspecting `{}`", entry.path().display()))?;
            if file_type.is_dir() {
                pending.push((entry.path(), format!("{rel}/")));
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads every file under `dir` as UTF-8 text (a snapshot directory), keyed by relative path.
pub fn read_text_tree(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for rel in list_files(dir)? {
        if !rel.ends_with(".json") {
            continue;
        }
        let path = dir.join(&rel);
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading `{}`", path.display()))?;
        files.insert(rel, text);
    }
    Ok(files)
}

/// Reads a dump directory: every `.json` file keyed by relative path, `.json.gz` files inflated and
/// keyed without `.gz`.
pub fn read_dump_tree(dir: &Path) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    use std::io::Read as _;
    if !dir.join(odoo_codegen::dump::MODELS_FILE).is_file() {
        bail!(
            "`{}` is not a dump directory (no {} in it)",
            dir.display(),
            odoo_codegen::dump::MODELS_FILE
        );
    }
    let mut files = BTreeMap::new();
    for rel in list_files(dir)? {
        let path = dir.join(&rel);
        if let Some(stem) = rel.strip_suffix(".gz") {
            if !stem.ends_with(".json") {
                continue;
            }
            let file =
                fs::File::open(&path).with_context(|| format!("opening `{}`", path.display()))?;
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(file)
                .read_to_end(&mut bytes)
                .with_context(|| format!("inflating `{}`", path.display()))?;
            files.insert(stem.to_owned(), bytes);
        } else if rel.ends_with(".json") {
            let bytes = fs::read(&path).with_context(|| format!("reading `{}`", path.display()))?;
            files.insert(rel, bytes);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
            .collect()
    }

    const TOML: &str = "[dependencies]\nodoo-runtime = { path = \"../r\" }\n";

    #[test]
    fn writes_then_replaces_and_reports_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = files(&[("Cargo.toml", TOML), ("src/lib.rs", "a"), ("src/x.rs", "x")]);
        let written = write_atomically(&out, &first, Kind::Crate).unwrap();
        assert_eq!(written.files, 3);
        assert_eq!(fs::read_to_string(out.join("src/lib.rs")).unwrap(), "a");
        assert!(compare(&out, &first).unwrap().is_empty());

        // A build in the crate survives regeneration and is ignored by compare.
        fs::create_dir_all(out.join("target/debug")).unwrap();
        fs::write(out.join("target/debug/x"), "bin").unwrap();
        fs::write(out.join("Cargo.lock"), "lock").unwrap();

        let second = files(&[("Cargo.toml", TOML), ("src/lib.rs", "b"), ("src/y.rs", "y")]);
        let diffs = compare(&out, &second).unwrap();
        assert_eq!(
            diffs,
            vec![
                Difference {
                    path: "src/lib.rs".into(),
                    status: Status::Changed
                },
                Difference {
                    path: "src/x.rs".into(),
                    status: Status::Extra
                },
                Difference {
                    path: "src/y.rs".into(),
                    status: Status::Missing
                },
            ]
        );
        let written = write_atomically(&out, &second, Kind::Crate).unwrap();
        assert_eq!((written.changed, written.removed), (2, 1));
        assert!(!out.join("src/x.rs").exists());
        assert_eq!(
            fs::read_to_string(out.join("target/debug/x")).unwrap(),
            "bin"
        );
        assert_eq!(fs::read_to_string(out.join("Cargo.lock")).unwrap(), "lock");
        // No temporary directory is left next to the output.
        let siblings: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(siblings.len(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output_intact() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let good = files(&[("Cargo.toml", TOML), ("src/lib.rs", "good")]);
        write_atomically(&out, &good, Kind::Crate).unwrap();
        let bad = files(&[
            ("Cargo.toml", TOML),
            ("src/lib.rs", "new"),
            ("../escape.rs", "x"),
        ]);
        let err = write_atomically(&out, &bad, Kind::Crate).unwrap_err();
        assert!(err.to_string().contains("../escape.rs"), "{err}");
        assert_eq!(fs::read_to_string(out.join("src/lib.rs")).unwrap(), "good");
        assert!(!tmp.path().join("escape.rs").exists());
        let siblings: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(siblings.len(), 1, "temporary directory removed");
    }

    #[test]
    fn refuses_to_replace_a_foreign_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("main.rs"), "fn main() {}").unwrap();
        let err = write_atomically(&src, &files(&[("a", "b")]), Kind::Crate).unwrap_err();
        assert!(err.to_string().contains("refusing to replace"), "{err}");
        assert!(src.join("main.rs").exists());
        let err = write_atomically(&src, &files(&[("a", "b")]), Kind::Snapshot).unwrap_err();
        assert!(err.to_string().contains("snapshot.json"), "{err}");
        // An empty directory is fine.
        let empty = tmp.path().join("empty");
        fs::create_dir_all(&empty).unwrap();
        write_atomically(&empty, &files(&[("snapshot.json", "{}")]), Kind::Snapshot).unwrap();
        assert!(empty.join("snapshot.json").is_file());
    }
}
