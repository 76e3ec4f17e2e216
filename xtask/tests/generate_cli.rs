//! `cargo xtask generate`: sources, filters, atomic output and `--check`.

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
        .env_remove("ODOO_DB")
        .env_remove("ODOO_USER")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn generate_check_and_regenerate() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bindings");
    // No source named, no ODOO_URL: the committed snapshot.
    xtask(tmp.path())
        .args(["generate", "--models", "res.partner", "--output"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("generate: 1 model"))
        .stderr(predicate::str::contains("written in"));
    let cargo_toml = read(&out.join("Cargo.toml"));
    assert!(cargo_toml.contains("snapshot odoo-18.0"), "{cargo_toml}");
    assert!(
        cargo_toml.contains("odoo-runtime = { path = \""),
        "{cargo_toml}"
    );
    assert!(
        !cargo_toml.contains(&tmp.path().display().to_string()),
        "no absolute path"
    );
    assert!(out.join("src/res_partner.rs").is_file());
    assert!(out.join("src/lib.rs").is_file());
    assert_eq!(
        entries(tmp.path()),
        ["bindings"],
        "no temporary directory left"
    );

    xtask(tmp.path())
        .args(["generate", "--models", "res.partner", "--check", "--output"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("up to date"));

    // Make it stale three ways; --check lists them and writes nothing.
    std::fs::write(out.join("src/lib.rs"), "// edited\n").unwrap();
    std::fs::write(out.join("src/extra.rs"), "// stray\n").unwrap();
    std::fs::remove_file(out.join("src/res_partner.rs")).unwrap();
    xtask(tmp.path())
        .args(["generate", "--models", "res.partner", "--check", "--output"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("3 files differ"))
        .stderr(predicate::str::contains("src/lib.rs (changed)"))
        .stderr(predicate::str::contains("src/extra.rs (extra)"))
        .stderr(predicate::str::contains("src/res_partner.rs (missing)"));
    assert_eq!(read(&out.join("src/lib.rs")), "// edited\n");
    assert!(!out.join("src/res_partner.rs").exists());

    // Regenerating repairs everything.
    xtask(tmp.path())
        .args(["generate", "--models", "res.partner", "--output"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("src/res_partner.rs").is_file());
    assert!(!out.join("src/extra.rs").exists());
    assert_ne!(read(&out.join("src/lib.rs")), "// edited\n");

    // A different selection is stale too.
    xtask(tmp.path())
        .args([
            "generate",
            "--models",
            "res.partner",
            "--depth",
            "1",
            "--check",
            "--output",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(missing)"));
}

#[test]
fn a_failed_run_leaves_the_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bindings");
    xtask(tmp.path())
        .args(["generate", "--models", "res.country", "--output"])
        .arg(&out)
        .assert()
        .success();
    let before = read(&out.join("src/lib.rs"));
    xtask(tmp.path())
        .args(["generate", "--models", "res.countri", "--output"])
        .arg(&out)
        .assert()
        .code(16)
        .stderr(predicate::str::contains("res.countri"));
    assert_eq!(read(&out.join("src/lib.rs")), before);
    assert!(out.join("src/res_country.rs").is_file());
    assert_eq!(entries(tmp.path()), ["bindings"]);

    // A directory the generator did not write is never replaced.
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("main.rs"), "fn main() {}\n").unwrap();
    xtask(tmp.path())
        .args(["generate", "--models", "res.country", "--output"])
        .arg(&src)
        .assert()
        .failure()
        .stderr(predicate::str::contains("refusing to replace"));
    assert_eq!(entries(&src), ["main.rs"]);
}

#[test]
fn from_the_base_dump_with_globs_modules_and_depth() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("base");
    xtask(tmp.path())
        .args(["generate", "--dump"])
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .args([
            "--models",
            "res.partner*,res.country",
            "--exclude",
            "res.partner.bank",
        ])
        .args(["--depth", "1", "--crate-name", "base-bindings", "--output"])
        .arg(&out)
        .assert()
        .success();
    let cargo_toml = read(&out.join("Cargo.toml"));
    assert!(
        cargo_toml.contains("name = \"base-bindings\""),
        "{cargo_toml}"
    );
    assert!(
        cargo_toml.contains("dump odoo-18.0-base/schema"),
        "{cargo_toml}"
    );
    let files = entries(&out.join("src"));
    assert!(files.contains(&"res_partner.rs".to_owned()), "{files:?}");
    assert!(
        files.contains(&"res_partner_category.rs".to_owned()),
        "{files:?}"
    );
    // Pulled in by depth 1 (res.partner.user_id), although no pattern names it.
    assert!(files.contains(&"res_users.rs".to_owned()), "{files:?}");
    assert!(
        !files.contains(&"res_partner_bank.rs".to_owned()),
        "{files:?}"
    );

    // Unknown module: exit code 16, naming it.
    xtask(tmp.path())
        .args(["generate", "--modules", "no_such_module", "--output"])
        .arg(tmp.path().join("x"))
        .assert()
        .code(16)
        .stderr(predicate::str::contains("no_such_module"));
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn sources_conflict_and_must_exist() {
    let tmp = tempfile::tempdir().unwrap();
    xtask(tmp.path())
        .args(["generate", "--dump", "a", "--snapshot", "b"])
        .assert()
        .code(2);
    xtask(tmp.path())
        .args(["generate", "--snapshot", "no/such/snapshot", "--output"])
        .arg(tmp.path().join("x"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("no/such/snapshot"));
    // A dump directory is not a snapshot.
    xtask(tmp.path())
        .args(["generate", "--snapshot"])
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .arg("--output")
        .arg(tmp.path().join("x"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a snapshot directory"));
}

/// A runtime path without odoo-runtime in it is written as asked, with a warning saying the crate
/// will not build.
#[test]
fn a_runtime_path_without_the_runtime_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bindings");
    let missing = tmp.path().join("no-runtime-here");
    xtask(tmp.path())
        .args(["generate", "--models", "res.partner", "--runtime-path"])
        .arg(&missing)
        .arg("--output")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "holds no Cargo.toml: the generated crate will not build",
        ));
    assert!(read(&out.join("Cargo.toml")).contains("no-runtime-here"));
    // The repository's runtime (the default) raises no such warning.
    xtask(tmp.path())
        .args(["generate", "--models", "res.partner", "--output"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("holds no Cargo.toml").not());
}
