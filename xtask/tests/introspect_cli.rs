//! `cargo xtask introspect --dump`: the command users run to produce the committed snapshots.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xtask(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(cwd)
        .env_remove("ODOO_URL")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn dump_to_snapshot_matches_the_committed_one_and_is_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let dump = repo().join("testdata/odoo-18.0-base/schema");
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(&dump)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("introspect: 216 models"))
        .stderr(predicate::str::contains("217 files written"));
    let first = tree(&out);
    assert_eq!(first.len(), 217);
    assert_eq!(
        first,
        tree(&repo().join("testdata/odoo-18.0-base/snapshot"))
    );

    // Again over the previous output: same bytes, nothing left next to it.
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(&dump)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(tree(&out), first);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn the_full_dump_warns_naming_the_models() {
    let tmp = tempfile::tempdir().unwrap();
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(repo().join("testdata/odoo-18.0/schema"))
        .arg("--out")
        .arg(tmp.path().join("snap"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: product.pricelist: fields_get failed (TypeError: cannot marshal None",
        ))
        .stderr(predicate::str::contains("507 models, 9,774 fields"))
        .stderr(predicate::str::contains("2 warnings"));
}

#[test]
fn refuses_a_foreign_output_and_names_a_bad_dump() {
    let tmp = tempfile::tempdir().unwrap();
    let foreign = tmp.path().join("src");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("main.rs"), "fn main() {}").unwrap();
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .arg("--out")
        .arg(&foreign)
        .assert()
        .failure()
        .stderr(predicate::str::contains("refusing to replace"));
    assert_eq!(tree(&foreign).len(), 1);

    xtask(tmp.path())
        .args(["introspect", "--dump", "no/such/dump", "--out"])
        .arg(tmp.path().join("x"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("no/such/dump"));
    assert!(!tmp.path().join("x").exists());
}

/// An empty schema (no `ir.model` row) never replaces a snapshot.
#[test]
fn an_empty_schema_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump");
    std::fs::create_dir_all(&dump).unwrap();
    let source = repo().join("testdata/odoo-18.0-base/schema");
    std::fs::copy(source.join("version.json"), dump.join("version.json")).unwrap();
    std::fs::write(dump.join("ir.model.json"), "[]").unwrap();
    std::fs::write(dump.join("ir.model.fields.json"), "[]").unwrap();
    let out = tmp.path().join("snapshot");
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let before = tree(&out);
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(&dump)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no model to write"));
    assert_eq!(tree(&out), before);
}

#[test]
fn check_reports_a_stale_snapshot_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = repo().join("testdata/odoo-18.0-base/schema");
    // The committed snapshot is what the dump gives.
    xtask(tmp.path())
        .args(["introspect", "--check", "--dump"])
        .arg(&dump)
        .arg("--out")
        .arg(repo().join("testdata/odoo-18.0-base/snapshot"))
        .assert()
        .success()
        .stderr(predicate::str::contains("217 files up to date"));

    let out = tmp.path().join("snap");
    xtask(tmp.path())
        .args(["introspect", "--dump"])
        .arg(&dump)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let partner = out.join("models/res.partner.json");
    std::fs::write(&partner, "{}\n").unwrap();
    std::fs::remove_file(out.join("models/res.country.json")).unwrap();
    xtask(tmp.path())
        .args(["introspect", "--check", "--dump"])
        .arg(&dump)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 files differ"))
        .stderr(predicate::str::contains(
            "models/res.partner.json (changed)",
        ))
        .stderr(predicate::str::contains(
            "models/res.country.json (missing)",
        ));
    assert_eq!(std::fs::read_to_string(&partner).unwrap(), "{}\n");
}
