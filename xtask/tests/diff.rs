//! `cargo xtask diff` end to end on the recorded dumps, and on snapshots written from them.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use odoo_codegen::diff::{Changelog, Impact};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(rel)
}

/// The xtask binary in a clean environment: no ODOO_* settings, no config or `.env` of the checkout.
fn xtask(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(dir).env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ODOO_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn diff(args: &[&std::ffi::OsStr]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let output = xtask(dir.path()).arg("diff").args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn base() -> PathBuf {
    testdata("odoo-18.0-base/schema")
}

fn full() -> PathBuf {
    testdata("odoo-18.0/schema")
}

/// Writes the snapshot of a dump (what `introspect --dump` writes) into `out`.
fn write_snapshot(dump: &Path, out: &Path) {
    let files = odoo_replay::fixtures::read_dump_tree(dump).unwrap();
    let (schema, _) = odoo_codegen::dump::from_dump(&files).unwrap();
    for (rel, text) in odoo_codegen::snapshot::to_files(&schema) {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn installing_applications_only_adds_selection_variants() {
    let run = diff(&[base().as_os_str(), full().as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("Summary: 291 models added, 0 removed, 52 changed; 615 fields added"),
        "{summary}"
    );
    // Selection enums gaining variants is compatible: they are `#[non_exhaustive]`. What misbehaves:
    // required fields added to base models (a create of old code leaves them unset).
    assert!(
        summary.ends_with("12 breaking (0 do not compile, 12 misbehave); 2813 compatible"),
        "{summary}"
    );
    assert!(run.stdout.contains("+ model sale.order \"Sales Order\" ("));
    assert!(!run.stderr.contains("error:"), "{}", run.stderr);

    // So installing applications passes the compile gate, but not the breaking one...
    let run = diff(&[
        base().as_os_str(),
        full().as_os_str(),
        "--fail-on".as_ref(),
        "compile".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = diff(&[
        base().as_os_str(),
        full().as_os_str(),
        "--fail-on".as_ref(),
        "breaking".as_ref(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: 12 breaking changes (--fail-on)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\n  res.company.account_opening_date: date field added (misbehaves: "),
        "{}",
        run.stderr
    );

    // ...and uninstalling them does not: removed models, fields and selection values, listed.
    let run = diff(&[
        full().as_os_str(),
        base().as_os_str(),
        "--fail-on".as_ref(),
        "breaking".as_ref(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(" breaking changes (--fail-on)"),
        "{}",
        run.stderr
    );
    let listed: Vec<_> = run.stderr.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(!listed.is_empty());
    assert!(
        run.stderr.contains("\n  sale.order: model removed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "\n  ir.ui.view.type: selection value removed: \"hierarchy\" (does not compile: "
        ),
        "{}",
        run.stderr
    );

    // `--fail-on any` counts every change of the same diff.
    let run = diff(&[
        base().as_os_str(),
        full().as_os_str(),
        "--fail-on".as_ref(),
        "any".as_ref(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: 2825 changes (--fail-on)"),
        "{}",
        run.stderr
    );
}

#[test]
fn removing_applications_is_breaking_and_says_which() {
    let run = diff(&[
        full().as_os_str(),
        base().as_os_str(),
        "--fail-on".as_ref(),
        "breaking".as_ref(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The report still goes to stdout.
    assert!(run.stdout.contains("- model sale.order \"Sales Order\" ("));
    let err = &run.stderr;
    assert!(
        err.contains("error: 2820 breaking changes (--fail-on)"),
        "{err}"
    );
    assert!(
        err.contains("\n  sale.order: model removed (does not compile: "),
        "{err}"
    );
    assert!(
        err.contains("\n  base.document.layout.vat: readonly no -> yes (does not compile: "),
        "{err}"
    );
    assert!(
        err.contains(
            "\n  ir.ui.view.type: selection value removed: \"hierarchy\" (does not compile: "
        ),
        "{err}"
    );
    // Reference fields list model names: losing one misbehaves rather than breaking the build.
    assert!(
        err.contains("\n  ir.cron.resource_ref: selection values removed: \"account.account\", "),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");

    // Only compile breaks: reference values no longer count.
    let run = diff(&[
        full().as_os_str(),
        base().as_os_str(),
        "--fail-on".as_ref(),
        "compile".as_ref(),
    ]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("resource_ref"), "{}", run.stderr);
    assert!(run.stderr.contains("sale.order: model removed"));

    // Without --fail-on, a breaking diff is still a successful run.
    let run = diff(&[full().as_os_str(), base().as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("[BREAKING, does not compile: "));
}

#[test]
fn json_output_parses_back() {
    let run = diff(&[
        full().as_os_str(),
        base().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log: Changelog = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log.summary.models_removed, 291);
    assert_eq!(log.summary.fields_removed, 615);
    assert_eq!(log.summary.breaking, 2820);
    assert_eq!(log.worst_impact(), Impact::DoesNotCompile);
    assert_eq!(log.old_version, "18.0");
    // Every change is there, not the text report's abridged selection lines.
    let counted: usize = log.models.iter().map(|m| m.changes.len()).sum();
    let s = log.summary;
    assert_eq!(
        counted,
        s.models_removed
            + s.fields_removed
            + s.readonly_changes
            + s.selection_values_removed
            + s.label_changes
            + s.related_changes
            + s.module_changes
            + s.documentation_changes
    );
    // Every change has exactly one class.
    assert_eq!(counted, s.compatible + s.misbehaves + s.does_not_compile);
    assert_eq!(s.breaking, s.misbehaves + s.does_not_compile);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(value["summary"]["misbehaves"].is_number());
    assert!(value["warnings"].is_array());
}

#[test]
fn a_snapshot_against_itself_and_against_its_dump_has_no_changes() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("snap");
    write_snapshot(&full(), &snapshot);
    for other in [snapshot.clone(), full(), testdata("odoo-18.0")] {
        let run = diff(&[
            snapshot.as_os_str(),
            other.as_os_str(),
            "--fail-on".as_ref(),
            "any".as_ref(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "no changes\n", "against {}", other.display());
    }
    // The index file itself names the snapshot too.
    let run = diff(&[
        snapshot.join("snapshot.json").as_os_str(),
        snapshot.as_os_str(),
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "no changes\n"));
}

#[test]
fn snapshot_against_dump_of_another_schema() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("base");
    write_snapshot(&base(), &snapshot);
    let run = diff(&[
        snapshot.as_os_str(),
        full().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log: Changelog = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log.summary.models_added, 291);
    assert_eq!(log.summary.selection_values_added, 1875);
    assert_eq!(log.summary.breaking, 12);
    assert_eq!(log.summary.misbehaves, 12);
}

#[test]
fn unreadable_sides_are_errors_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    let run = diff(&[base().as_os_str(), missing.as_os_str()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("reading NEW"), "{}", run.stderr);
    assert!(run.stderr.contains("no-such-dir"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    // A directory that is neither a snapshot nor a dump.
    let run = diff(&[dir.path().as_os_str(), base().as_os_str()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("reading OLD"), "{}", run.stderr);
    assert!(run.stderr.contains("holds neither"), "{}", run.stderr);

    // A snapshot whose model file is broken names the file.
    let snapshot = dir.path().join("snap");
    write_snapshot(&base(), &snapshot);
    std::fs::write(snapshot.join("models/res.partner.json"), "{ not json").unwrap();
    let run = diff(&[snapshot.as_os_str(), base().as_os_str()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("models/res.partner.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let run = diff(&[
        base().as_os_str(),
        base().as_os_str(),
        "--fail-on".as_ref(),
        "sometimes".as_ref(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = diff(&[base().as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Edits one model file of a snapshot written by [`write_snapshot`].
fn edit_model(snapshot: &Path, model: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = snapshot.join(format!("models/{model}.json"));
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

#[test]
fn reused_rust_names_misbehave_rather_than_break_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    write_snapshot(&base(), &old);
    write_snapshot(&base(), &new);
    // A selection key changing case keeps its variant `Type::Other`.
    edit_model(&new, "res.partner", |m| {
        for option in m["fields"]["type"]["selection"].as_array_mut().unwrap() {
            if option["value"] == "other" {
                option["value"] = "Other".into();
            }
        }
    });
    let run = diff(&[
        old.as_os_str(),
        new.as_os_str(),
        "--fail-on".as_ref(),
        "compile".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("    - selection type: \"other\" (\"Other Address\")  [BREAKING, misbehaves: the enum keeps the variant `Other`"),
        "{}",
        run.stdout
    );
    let run = diff(&[
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let log: Changelog = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (log.summary.misbehaves, log.summary.does_not_compile),
        (1, 0)
    );
    assert_eq!(log.worst_impact(), Impact::Misbehaves);
}
