//! `--help` of the main command and of every subcommand, snapshotted: a change to the command line
//! shows up in review (`cargo insta review`).

mod cli_support;
use cli_support::xtask;

fn help(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = xtask(dir.path()).args(args).arg("--help").output().unwrap();
    assert!(
        output.status.success(),
        "{args:?} --help failed: {output:?}"
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn main_help() {
    let text = help(&[]);
    // The exit-code table is part of the main help.
    assert!(text.contains("Exit codes:"), "{text}");
    insta::assert_snapshot!("help_main", text);
}

#[test]
fn subcommand_help() {
    for sub in ["generate", "introspect", "diff", "call", "decode", "demo"] {
        let text = help(&[sub]);
        assert!(
            text.contains(&format!("Usage: cargo xtask {sub}")),
            "{text}"
        );
        assert!(
            text.contains("--config <PATH>"),
            "global options missing from {sub}: {text}"
        );
        insta::assert_snapshot!(format!("help_{sub}"), text);
    }
}

#[test]
fn help_shows_config_values_as_defaults() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("odoo-codegen.toml"),
        "[connection]\nurl = \"http://config.invalid\"\n[generate]\ndepth = 3\n",
    )
    .unwrap();
    let output = xtask(dir.path())
        .args(["generate", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[default: 3]"), "{text}");
    assert!(text.contains("http://config.invalid]"), "{text}");
    assert!(!help(&["generate"]).contains("config.invalid"));
    // `call` has the connection flags too, but not the [generate] ones.
    let output = xtask(dir.path()).args(["call", "--help"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("[default: 3]"), "{text}");
}
