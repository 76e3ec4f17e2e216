//! Shared by the `cli_*` tests: the xtask binary in a clean environment, and the shape every
//! failure shares.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The xtask binary run in `dir` with nothing from the developer's shell: no ODOO_* variable, no
/// `RUST_LOG`, no backtrace request, a fixed terminal width. (`dir` should not hold a `.env` or an
/// `odoo-codegen.toml` the test did not put there: use a temporary directory.)
pub fn xtask_std(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("xtask"));
    cmd.current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE")
        .env("COLUMNS", "100");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ODOO_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// [`xtask_std`] as an `assert_cmd` command, with a time limit.
pub fn xtask(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(xtask_std(dir));
    cmd.timeout(std::time::Duration::from_secs(300));
    cmd
}

/// Checks what every failure shares and returns stderr: exit code `code`, no panic or backtrace
/// note, exactly one `error:` line, and (except for clap's usage errors, which end with a usage
/// block) the `error:` line followed by one `hint:` line at the end.
pub fn failure(output: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let errors = lines.iter().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, 1, "exactly one error line expected:\n{stderr}");
    if !stderr.contains("\nUsage: ") {
        assert!(lines.len() >= 2, "{stderr}");
        let (error, hint) = (lines[lines.len() - 2], lines[lines.len() - 1]);
        assert!(
            error.starts_with("error: "),
            "the error line must precede the hint:\n{stderr}"
        );
        assert!(
            hint.starts_with("hint: "),
            "the last line must be the hint:\n{stderr}"
        );
    }
    stderr
}

/// The `error:` line of stderr.
pub fn error_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default()
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    odoo_replay::fixtures::read_tree(dir).unwrap()
}

/// The paths whose bytes differ between two [`tree`]s (at most 10, for messages).
pub fn differing(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .take(10)
        .cloned()
        .collect()
}
