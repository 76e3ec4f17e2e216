//! What a successful run prints on stderr: progress and a summary line by default, nothing with
//! `--quiet`, log lines with `-v` or `RUST_LOG`; stdout stays free for data.

use std::path::Path;
use std::process::Output;

mod cli_support;
use cli_support::xtask;

/// Generates one small model from the committed snapshot into `dir/out`.
fn small_generate(dir: &Path, extra: &[&str], rust_log: Option<&str>) -> Output {
    let mut cmd = xtask(dir);
    cmd.args(extra).args([
        "generate",
        "--models",
        "res.partner.category",
        "--output",
        "out",
    ]);
    if let Some(spec) = rust_log {
        cmd.env("RUST_LOG", spec);
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty(), "stdout is for data only");
    output
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn default_run_prints_progress_then_one_summary_line() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = stderr_lines(&small_generate(tmp.path(), &[], None));
    // Not a terminal: the generation progress is plain lines (start and end), then the summary.
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0], "generate: 0/1", "{lines:#?}");
    assert!(lines[1].starts_with("generate: 1/1 done in "), "{lines:#?}");
    let summary = &lines[2];
    assert!(summary.starts_with("generate: 1 model, "), "{summary}");
    assert!(summary.contains(" fields, "), "{summary}");
    assert!(
        summary.contains(" files written in out, no warnings, "),
        "{summary}"
    );
    assert!(tmp.path().join("out/Cargo.toml").is_file());
}

#[test]
fn quiet_run_prints_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let output = small_generate(tmp.path(), &["--quiet"], None);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // `-q` after the subcommand works too (global option).
    let mut cmd = xtask(tmp.path());
    cmd.args([
        "generate",
        "-q",
        "--models",
        "res.partner.category",
        "--output",
        "out",
    ]);
    let output = cmd.output().unwrap();
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{output:?}"
    );
}

#[test]
fn verbose_and_rust_log_add_log_lines() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("odoo-codegen.toml"),
        "[generate]\ndepth = 0\n",
    )
    .unwrap();
    let config = tmp.path().join("odoo-codegen.toml").display().to_string();

    let quiet_log = stderr_lines(&small_generate(tmp.path(), &[], None));
    assert!(
        !quiet_log.iter().any(|l| l.contains("settings read from")),
        "{quiet_log:#?}"
    );

    let verbose = stderr_lines(&small_generate(tmp.path(), &["-v"], None));
    assert!(
        verbose
            .iter()
            .any(|l| l.contains(&format!("settings read from {config}"))),
        "{verbose:#?}"
    );
    assert!(
        verbose.last().unwrap().starts_with("generate: "),
        "{verbose:#?}"
    );

    // RUST_LOG chooses the log level instead of the flags.
    let logged = stderr_lines(&small_generate(tmp.path(), &[], Some("info")));
    assert!(
        logged.iter().any(|l| l.contains("settings read from")),
        "{logged:#?}"
    );
    let filtered = stderr_lines(&small_generate(tmp.path(), &["-v"], Some("error")));
    assert!(
        !filtered.iter().any(|l| l.contains("settings read from")),
        "{filtered:#?}"
    );
}

#[test]
fn quiet_and_verbose_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .args(["-q", "-v", "generate"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--quiet") && stderr.contains("--verbose"),
        "{stderr}"
    );
}

#[test]
fn a_bad_rust_log_is_a_warning_not_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = stderr_lines(&small_generate(tmp.path(), &[], Some("=[bad")));
    assert!(
        lines[0].starts_with("warning: ignoring RUST_LOG"),
        "{lines:#?}"
    );
    assert!(lines.last().unwrap().contains("1 warning"), "{lines:#?}");
}

#[test]
fn empty_variables_count_as_unset() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = xtask(tmp.path());
    for var in [
        "ODOO_URL",
        "ODOO_DB",
        "ODOO_USER",
        "ODOO_PASSWORD",
        "ODOO_API_KEY",
    ] {
        cmd.env(var, "");
    }
    let output = cmd
        .args([
            "generate",
            "-q",
            "--models",
            "res.partner.category",
            "--output",
            "out",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(tmp.path().join("out/Cargo.toml").is_file());
}
