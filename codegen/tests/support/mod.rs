//! Helpers shared by the test files that compile generated crates (`mod support;`).
//!
//! A generated crate is written under `target/emit-tests/<name>/` (a stand-alone crate: it has its own
//! `[workspace]` table and a copy of the workspace's `Cargo.lock`) and checked there with cargo, all
//! crates sharing one target directory, `target/generated-crates-target` (shared with the
//! xtask tests), so dependencies are built once.

// Each test file uses a part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use odoo_codegen::{Generated, Settings};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen has a parent directory")
        .to_path_buf()
}

/// Settings for a crate written to `target/emit-tests/<name>/` (runtime three levels up).
pub fn settings(label: &str) -> Settings {
    Settings::new()
        .crate_name(format!("emit-test-{}", label.replace('_', "-")))
        .runtime_path("../../../runtime")
        .snapshot_label(label)
        .standalone_workspace(true)
}

/// `cargo clippy --all-features --all-targets -- -D warnings`.
pub const CLIPPY: &[&str] = &[
    "clippy",
    "--all-features",
    "--all-targets",
    "--",
    "-D",
    "warnings",
];

/// `cargo doc --no-deps --all-features` (rustdoc warnings are denied by [`write_and_check`]).
pub const DOC: &[&str] = &["doc", "--no-deps", "--all-features"];

/// Writes the crate and runs `cargo <args>` in it with the shared target directory; panics with the
/// compiler's output when it fails.
pub fn write_and_check(
    name: &str,
    generated: &Generated,
    extra: &[(&str, &str)],
    commands: &[&[&str]],
) {
    // One cargo at a time: they share a target directory (cargo would block anyway) and 2 cores.
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace().join("target/emit-tests").join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    for file in &generated.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
    for (path, contents) in extra {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
    }
    // Same dependency versions as the workspace, resolved offline.
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for args in commands {
        let output = Command::new(&cargo)
            .arg("--offline")
            .args(*args)
            .current_dir(&root)
            .env(
                "CARGO_TARGET_DIR",
                workspace().join("target/generated-crates-target"),
            )
            // No debug info: these crates are only checked and their tests run once.
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`cargo {}` failed in {}:\n{}\n{}",
            args.join(" "),
            root.display(),
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

/// An error as `anyhow` prints it with `{:#}` (what the CLI shows): the error, then `: <source>` for
/// each error of its `source()` chain.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}
