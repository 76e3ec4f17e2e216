//! `cargo xtask diff --models/--modules/--exclude/--depth`: the changelog of the models the bindings
//! hold, so that `--fail-on` in CI does not fail on models the integration never generated.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use odoo_codegen::Schema;
use odoo_codegen::diff::Changelog;

/// The committed 507-model snapshot.
fn committed() -> Schema {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/snapshot");
    let mut files = std::collections::BTreeMap::new();
    for entry in walk(&dir) {
        let rel = entry
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(rel, std::fs::read_to_string(&entry).unwrap());
    }
    odoo_codegen::snapshot::from_files(&files).unwrap()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn write(schema: &Schema, out: &Path) {
    for (rel, text) in odoo_codegen::snapshot::to_files(schema) {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Runs `xtask diff OLD NEW --format json ARGS` in a clean environment: (exit code, changelog).
fn diff(old: &Path, new: &Path, args: &[&str]) -> (i32, Changelog) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(dir.path()).env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ODOO_") {
            cmd.env_remove(key);
        }
    }
    let output = cmd
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let log = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (output.status.code().unwrap(), log)
}

fn models_in(log: &Changelog) -> Vec<String> {
    let json = serde_json::to_value(log).unwrap();
    let mut names: Vec<String> = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// Removing a model the bindings never held is not a change for them; removing one they hold is.
#[test]
fn only_the_selected_models_are_compared() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let schema = committed();
    write(&schema, &old);
    let mut upgraded = schema.clone();
    assert!(upgraded.models.remove("res.partner.industry").is_some());
    write(&upgraded, &new);

    // Every model: the removal, and the relations to it becoming untyped, break code.
    let (code, log) = diff(&old, &new, &["--fail-on", "breaking"]);
    assert_eq!(code, 1);
    assert!(models_in(&log).contains(&"res.partner.industry".to_owned()));

    // Bindings of sale.order alone (relations to other models are untyped ids): nothing changed.
    let (code, log) = diff(
        &old,
        &new,
        &["--models", "sale.order", "--fail-on", "breaking"],
    );
    assert_eq!(code, 0, "{}", log.to_text());
    assert!(models_in(&log).is_empty(), "{}", log.to_text());

    // Bindings of res.partner with the models it points to: its industry relation loses its type.
    let (code, log) = diff(
        &old,
        &new,
        &[
            "--models",
            "res.partner",
            "--depth",
            "1",
            "--fail-on",
            "breaking",
        ],
    );
    assert_eq!(code, 1, "{}", log.to_text());
    let touched = models_in(&log);
    assert!(
        touched.contains(&"res.partner.industry".to_owned()),
        "{touched:?}"
    );
    assert!(touched.contains(&"res.partner".to_owned()), "{touched:?}");
    assert!(!touched.contains(&"sale.order".to_owned()), "{touched:?}");

    // A model named on the command line and gone from NEW is a removal, not an error.
    let (code, log) = diff(&old, &new, &["--models", "res.partner.industry"]);
    assert_eq!(code, 0);
    assert_eq!(models_in(&log), ["res.partner.industry"]);
}

/// The selection comes from `odoo-codegen.toml` as for `generate`; a name OLD lacks is an error.
#[test]
fn the_selection_is_read_from_the_config_and_checked_on_old() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let schema = committed();
    write(&schema, &old);
    let mut upgraded = schema.clone();
    upgraded.models.remove("res.partner.industry");
    write(&upgraded, &new);
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[generate]\nmodels = [\"sale.order\"]\n",
    )
    .unwrap();
    let output = Command::cargo_bin("xtask")
        .unwrap()
        .current_dir(tmp.path())
        .env_remove("ODOO_URL")
        .args(["diff", "old", "new", "--fail-on", "breaking"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    let output = Command::cargo_bin("xtask")
        .unwrap()
        .current_dir(tmp.path())
        .env_remove("ODOO_URL")
        .args(["diff", "old", "new", "--models", "sale.ordr"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(16), "{stderr}");
    assert!(stderr.contains("did you mean sale.order"), "{stderr}");
}

/// `--fail-on` lists what triggered it: one removed selection value is "value", and the hint fits
/// what failed (a label change breaks nothing).
#[test]
fn fail_on_wording_fits_what_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let schema = committed();
    write(&schema, &old);
    let mut upgraded = schema.clone();
    let partner = upgraded.models.get_mut("res.partner").unwrap();
    let kind = partner.fields.get_mut("type").unwrap();
    let options = kind.selection.as_mut().unwrap();
    let before = options.len();
    options.retain(|o| o.value != "other");
    assert_eq!(options.len(), before - 1);
    let title = upgraded.models.get_mut("res.partner.title").unwrap();
    title
        .fields
        .get_mut("name")
        .unwrap()
        .label
        .push_str(" (new)");
    write(&upgraded, &new);

    let run = |args: &[&str]| {
        let output = Command::cargo_bin("xtask")
            .unwrap()
            .current_dir(tmp.path())
            .env_remove("ODOO_URL")
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["--models", "res.partner", "--fail-on", "breaking"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error: 1 breaking change (--fail-on):"),
        "{stderr}"
    );
    assert!(
        stderr.contains("selection value removed: \"other\""),
        "{stderr}"
    );

    let (code, stderr) = run(&["--models", "res.partner.title", "--fail-on", "any"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("hint: none of these changes affects code"),
        "{stderr}"
    );
    let (code, _) = run(&["--models", "res.partner.title", "--fail-on", "breaking"]);
    assert_eq!(code, 0);
}

/// What a side's loading warned about (here a dump without `fields_get` data for `res.partner`) is in
/// the JSON report, not only on stderr.
#[test]
fn load_warnings_reach_the_json_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/schema");
    let copy = tmp.path().join("dump");
    for file in walk(&dump) {
        let rel = file.strip_prefix(&dump).unwrap();
        let to = copy.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&file, &to).unwrap();
    }
    std::fs::remove_file(copy.join("fields_get/res.partner.json")).unwrap();
    let (_, log) = diff(&dump, &copy, &["--models", "res.partner"]);
    assert!(
        log.warnings
            .iter()
            .any(|w| w.starts_with("NEW: res.partner:")),
        "{:?}",
        log.warnings
    );
    // The recorded dump's own warnings are on both sides; only NEW lacks res.partner's answer.
    assert!(
        !log.warnings
            .iter()
            .any(|w| w.starts_with("OLD: res.partner:")),
        "{:?}",
        log.warnings
    );
}
