//! `cargo xtask diff` with a `live` side: a fake Odoo 18.0 serving the recorded dump
//! (`testdata/odoo-18.0/schema`) over JSON-RPC, read through the real runtime client and the real
//! live introspection, compared with the committed snapshot and with the base dump.
//!
//! The fake (`search_read` on the reflection models, `fields_get` with `allfields`/`attributes`,
//! `version`, `authenticate`) is `fake_odoo/mod.rs`, shared with `introspect_live.rs`, reduced to
//! JSON-RPC.

mod fake_odoo;

use std::path::Path;

use assert_cmd::Command;
use fake_odoo::{Faults, repo};
use odoo_codegen::diff::Changelog;
use odoo_replay::ReplayServer;

/// The fake of `fake_odoo`, faithful and over JSON-RPC only.
fn fake_odoo() -> ReplayServer {
    fake_odoo::fake_odoo(Faults {
        jsonrpc_only: true,
        ..Faults::default()
    })
}

/// The xtask binary pointed at `server` over JSON-RPC, in a clean environment.
fn xtask(cwd: &Path, server: &ReplayServer, password: &str) -> Command {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(cwd)
        .env("ODOO_URL", server.url())
        .env("ODOO_DB", "odoo18")
        .env("ODOO_USER", "admin")
        .env("ODOO_PASSWORD", password)
        .env("ODOO_TRANSPORT", "jsonrpc")
        .env_remove("ODOO_API_KEY")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn the_committed_snapshot_against_the_live_instance_has_no_changes() {
    let server = fake_odoo();
    let tmp = tempfile::tempdir().unwrap();
    let snapshot = repo().join("testdata/odoo-18.0/snapshot");
    let r = run(xtask(tmp.path(), &server, "admin")
        .arg("diff")
        .arg(&snapshot)
        .args(["live", "--fail-on", "any"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "no changes\n");
    // Both sides live: the instance is read once.
    let before = server.requests().len();
    let r = run(xtask(tmp.path(), &server, "admin").args(["diff", "live", "env"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "no changes\n");
    let versions = server.requests()[before..]
        .iter()
        .filter(|req| {
            req.json()
                .is_some_and(|b| b["params"]["method"] == "version")
        })
        .count();
    assert_eq!(versions, 1);
}

#[test]
fn the_base_dump_against_the_live_instance() {
    let server = fake_odoo();
    let tmp = tempfile::tempdir().unwrap();
    let r = run(xtask(tmp.path(), &server, "admin")
        .arg("diff")
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .args(["live", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let log: Changelog = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log.summary.models_added, 291);
    assert_eq!(log.summary.fields_added, 615);
    assert_eq!(log.summary.models_removed, 0);

    // Reversed, it is breaking, and says which.
    let r = run(xtask(tmp.path(), &server, "admin")
        .args(["diff", "live"])
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .args(["--fail-on", "compile"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("\n  sale.order: model removed (does not compile: "),
        "{}",
        r.stderr
    );
}

#[test]
fn live_failures_are_errors_without_secrets() {
    let server = fake_odoo();
    let tmp = tempfile::tempdir().unwrap();
    let r = run(xtask(tmp.path(), &server, "hunter2-wrong")
        .arg("diff")
        .arg(repo().join("testdata/odoo-18.0/snapshot"))
        .arg("live"));
    assert_ne!(r.code, 0);
    assert_ne!(
        r.code, 1,
        "a login failure is not a diff result: {}",
        r.stderr
    );
    assert!(r.stderr.contains("reading NEW `live`"), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    // `live` without a server URL.
    let r = run(xtask(tmp.path(), &server, "admin")
        .env_remove("ODOO_URL")
        .args(["diff", "live"])
        .arg(repo().join("testdata/odoo-18.0/snapshot")));
    assert_ne!(r.code, 0);
    assert_ne!(r.code, 1);
    assert!(r.stderr.contains("ODOO_URL"), "{}", r.stderr);
}
