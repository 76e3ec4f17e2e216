//! `cargo xtask diff --format markdown|html`, `--html FILE`, `--only` and `--full` end to end on
//! the committed snapshots (base install → full install).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The snapshot of a recorded dump (`testdata/<name>/snapshot`).
fn snapshots(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
        .join("snapshot")
}

/// `xtask diff BASE FULL ARGS...` in a clean environment: (exit code, stdout, stderr).
fn diff(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(dir).env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ODOO_") {
            cmd.env_remove(key);
        }
    }
    let output = cmd
        .arg("diff")
        .arg(snapshots("odoo-18.0-base"))
        .arg(snapshots("odoo-18.0"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn markdown_fits_a_comment_unless_full() {
    let dir = tempfile::tempdir().unwrap();
    let (code, md, err) = diff(dir.path(), &["--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("## Schema changes: Odoo 18.0\n"), "{md}");
    assert!(md.chars().count() <= 65_536);
    assert!(md.contains("more changes: see the full report**"));
    let misbehaves = md.find("### Misbehaves (12 changes, 5 models)").unwrap();
    let compatible = md
        .find("<details><summary><b>Compatible (2813 changes")
        .unwrap();
    assert!(misbehaves < compatible);

    let (code, full, err) = diff(dir.path(), &["--format", "markdown", "--full"]);
    assert_eq!(code, 0, "{err}");
    assert!(full.chars().count() > 65_536);
    assert!(!full.contains("see the full report"));
}

#[test]
fn only_breaking_lists_and_counts_breaking_changes_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (code, text, err) = diff(dir.path(), &["--only", "breaking"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("=== Misbehaves: 12 changes in 5 models ==="),
        "{text}"
    );
    assert!(!text.contains("=== Compatible"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("12 breaking (0 do not compile, 12 misbehave); 0 compatible")
    );
    let (_, json, _) = diff(dir.path(), &["--only", "breaking", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["summary"]["misbehaves"], 12);
    assert_eq!(json["summary"]["compatible"], 0);
    let (_, none, _) = diff(dir.path(), &["--only", "compile"]);
    assert!(
        none.contains("no changes") || !none.contains("==="),
        "{none}"
    );
}

#[test]
fn html_on_stdout_or_beside_another_format() {
    let dir = tempfile::tempdir().unwrap();
    let (code, html, err) = diff(dir.path(), &["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.contains("data-count=\"misbehaves\">12<"));

    // One run, two reports: Markdown on stdout, the page in a file.
    let page = dir.path().join("report.html");
    let (code, md, err) = diff(
        dir.path(),
        &["--format", "markdown", "--html", page.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("## Schema changes"));
    assert_eq!(std::fs::read_to_string(&page).unwrap(), html);
    // A directory that does not exist is an error naming the file.
    let bad = dir.path().join("missing/report.html");
    let (code, _, err) = diff(dir.path(), &["--html", bad.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("missing/report.html"), "{err}");
}
