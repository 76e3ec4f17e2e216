//! The tool used as a user would: a workspace outside this repository, built from the README's
//! "Add it to your project" section, generates its bindings through its own `cargo xtask generate`
//! (the library) and through `cargo odoo generate` (installed with `cargo install --path` into a
//! temporary root), from the built-in snapshot with no server, then compiles and runs its
//! integration against a server replaying recorded Odoo 18.0 traffic.

mod support;

use std::path::Path;
use std::process::Command;

use odoo_replay::ReplayServer;
use support::{Project, Step, after_generate, before_generate, ok, repo_root, shared_target};

/// The recorded search_read the README's integration sends.
fn expected_rows() -> serde_json::Value {
    let path =
        repo_root().join("testdata/odoo-18.0/xmlrpc/14-res.partner.search_read.expected.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["result"].clone()
}

/// Runs the README's integration in `project` against a replay server of the recorded traffic and
/// checks what it prints; every request it sent must have been recorded.
fn run_integration(project: &Project) {
    let server = ReplayServer::from_dir(repo_root().join("testdata/odoo-18.0")).unwrap();
    let stdout = ok(
        "cargo run -p integration",
        project.cargo(
            ".",
            &["run", "--quiet", "-p", "integration"],
            &[
                ("ODOO_URL", server.url().to_owned()),
                ("ODOO_DB", "odoo18".to_owned()),
                ("ODOO_USER", "admin".to_owned()),
                ("ODOO_PASSWORD", "admin".to_owned()),
                ("ODOO_TRANSPORT", "xmlrpc".to_owned()),
            ],
        ),
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = support::expected_lines(&expected_rows());
    assert_eq!(lines, expected);
    assert!(
        lines[0].starts_with("#15 Azure Interior | United States"),
        "{stdout}"
    );
    server.assert_every_request_recorded();
}

/// The generated crate of the README's settings: `res.partner` only, a member of the workspace,
/// depending on odoo-runtime by version.
fn check_bindings(project: &Project) {
    let bindings = project.path().join("bindings");
    let manifest = std::fs::read_to_string(bindings.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!(
            "odoo-runtime = {{ version = \"{}\" }}",
            odoo_runtime::VERSION
        )),
        "by version by default:\n{manifest}"
    );
    assert!(!manifest.contains("path ="), "{manifest}");
    assert!(
        manifest.contains("from snapshot odoo-18.0 (Odoo 18.0)"),
        "the built-in snapshot, no server:\n{manifest}"
    );
    assert!(
        !manifest.contains("[workspace]"),
        "workspace_member = true:\n{manifest}"
    );
    let modules: Vec<String> = std::fs::read_dir(bindings.join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "lib.rs")
        .collect();
    assert_eq!(modules, ["res_partner.rs"]);
}

fn words(command: &str) -> Vec<&str> {
    command.split_whitespace().collect()
}

#[test]
fn the_readme_section_is_a_whole_project() {
    let steps = support::steps();
    let files: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::File(name, _) => Some(name.as_str()),
            Step::Command(_) => None,
        })
        .collect();
    assert_eq!(
        files,
        [
            "xtask/Cargo.toml",
            "xtask/src/main.rs",
            ".cargo/config.toml",
            "Cargo.toml",
            "odoo-codegen.toml",
            "Cargo.toml",
            "integration/Cargo.toml",
            "integration/src/main.rs",
        ]
    );
    let commands: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Command(c) => Some(c.as_str()),
            Step::File(..) => None,
        })
        .collect();
    assert_eq!(
        commands,
        [
            "cargo install odoo-codegen-cli",
            "cargo odoo generate --help",
            "cargo xtask generate"
        ]
    );
    let section = support::section();
    assert!(section.contains("cargo xtask generate    # or: cargo odoo generate"));
    // The xtask's main.rs is the one the library documents.
    let main_rs = steps
        .iter()
        .find_map(|s| match s {
            Step::File(name, body) if name == "xtask/src/main.rs" => Some(body.clone()),
            _ => None,
        })
        .unwrap();
    let lib = std::fs::read_to_string(repo_root().join("cli/src/lib.rs")).unwrap();
    for line in main_rs.lines().skip(1) {
        assert!(
            lib.contains(&format!("//! {line}").trim_end().to_owned()),
            "`{line}` is not in cli/src/lib.rs's example"
        );
    }
}

/// The whole story of the README section with the project's own xtask: generate with no server,
/// build and run the integration, `--check` from a subdirectory, `--check` catching a stale file.
#[test]
fn cargo_xtask_generate_in_a_user_workspace() {
    let project = Project::new(false);
    let (generate, rest) = before_generate(&project);
    assert_eq!(generate, "cargo xtask generate");
    let stderr = {
        let output = project.cargo(".", &words(&generate)[1..], &[]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        ok("cargo xtask generate", output);
        stderr
    };
    assert!(stderr.contains("1 model,"), "{stderr}");
    check_bindings(&project);

    after_generate(&project, &rest);
    run_integration(&project);

    // The settings are found from a subdirectory, and the output is where they say.
    let output = project.cargo("integration", &["xtask", "generate", "--check"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("up to date"), "{stderr}");

    let lib = project.path().join("bindings/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}// edited\n")).unwrap();
    let output = project.cargo(".", &["xtask", "generate", "--check"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("lib.rs"), "{stderr}");
    assert!(!stderr.contains("cargo odoo"), "{stderr}");

    // Run from outside the workspace (`--manifest-path`), the xtask uses the workspace root's
    // settings and output: it regenerates the edited file there.
    let elsewhere = tempfile::tempdir().unwrap();
    let manifest = project.path().join("Cargo.toml");
    let output = project.cargo(
        &elsewhere.path().display().to_string(),
        &[
            "run",
            "--quiet",
            "--manifest-path",
            &manifest.display().to_string(),
            "-p",
            "xtask",
            "--",
            "generate",
        ],
        &[],
    );
    ok("the xtask from outside the workspace", output);
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), text);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// `cargo install --path cli` into a temporary root, then `cargo odoo` from that root: its help,
/// the README section's project without an xtask, the crate README's command, and hints that name
/// `cargo odoo`.
#[test]
fn cargo_odoo_installed_from_the_package() {
    let root = tempfile::Builder::new()
        .prefix("cargo-odoo-root-")
        .tempdir()
        .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut install = Command::new(&cargo);
    support::clean_env(&mut install);
    let output = install
        .args(["install", "--offline", "--locked", "--debug", "--path"])
        .arg(repo_root().join("cli"))
        .arg("--root")
        .arg(root.path())
        .arg("--target-dir")
        .arg(shared_target())
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .current_dir(root.path())
        .output()
        .unwrap();
    ok("cargo install --path cli", output);
    let bin = root.path().join("bin");
    assert!(
        bin.join(format!("cargo-odoo{}", std::env::consts::EXE_SUFFIX))
            .is_file()
    );
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap()
    .into_string()
    .unwrap();
    let with_path = [("PATH", path)];

    // The README's commands, as cargo runs a subcommand found on PATH.
    let project = Project::new(true);
    let (generate, rest) = before_generate(&project);
    assert_eq!(generate, "cargo xtask generate");
    let help = ok(
        "cargo odoo generate --help",
        project.cargo(".", &["odoo", "generate", "--help"], &with_path),
    );
    assert!(
        help.contains("Usage: cargo odoo generate [OPTIONS]"),
        "{help}"
    );
    assert!(
        help.contains(&format!(
            "Depend on odoo-runtime by version requirement (default: \"{}\"",
            odoo_runtime::VERSION
        )),
        "{help}"
    );
    // Every help text makes sense for `cargo odoo`.
    for command in ["", "generate", "introspect", "diff", "call", "decode"] {
        let args: Vec<&str> = ["odoo", command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let help = ok(
            &format!("cargo {}", args.join(" ")),
            project.cargo(".", &args, &with_path),
        );
        assert!(help.contains("cargo odoo"), "{help}");
        for word in [
            "xtask",
            "this repository",
            "committed",
            "testdata",
            "checkout",
        ] {
            assert!(
                !help.contains(word),
                "`{word}` in `cargo odoo {command} --help`:\n{help}"
            );
        }
    }
    let output = project.cargo(".", &["odoo", "generate"], &with_path);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    ok("cargo odoo generate", output);
    assert!(stderr.contains("1 model,"), "{stderr}");
    check_bindings(&project);
    after_generate(&project, &rest);
    run_integration(&project);

    // The crate README's command, in an empty directory: a crate of its own, by version.
    let readme = std::fs::read_to_string(repo_root().join("cli/README.md")).unwrap();
    let command = support::blocks(&readme)
        .into_iter()
        .find(|(lang, _)| lang == "sh")
        .and_then(|(_, body)| {
            body.lines()
                .find(|l| l.starts_with("cargo odoo generate"))
                .map(str::to_owned)
        })
        .expect("cli/README.md shows a `cargo odoo generate` command");
    let empty = tempfile::tempdir().unwrap();
    let mut run = Command::new(&cargo);
    support::clean_env(&mut run);
    let output = run
        .args(&words(&command)[1..])
        .env("PATH", &with_path[0].1)
        .current_dir(empty.path())
        .output()
        .unwrap();
    ok(&command, output);
    let manifest = std::fs::read_to_string(empty.path().join("bindings/Cargo.toml")).unwrap();
    assert!(manifest.contains("[workspace]"), "{manifest}");
    assert!(
        manifest.contains(&format!(
            "odoo-runtime = {{ version = \"{}\" }}",
            odoo_runtime::VERSION
        )),
        "{manifest}"
    );

    // Hints name the program they come from.
    let mut run = Command::new(&cargo);
    support::clean_env(&mut run);
    let output = run
        .args(["odoo", "generate", "--config", "missing.toml"])
        .env("PATH", &with_path[0].1)
        .current_dir(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("hint: see `cargo odoo --help` and `cargo odoo <command> --help`"),
        "{stderr}"
    );
    assert!(!Path::new(&empty.path().join("missing.toml")).exists());
}
