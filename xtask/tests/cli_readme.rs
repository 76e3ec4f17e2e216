//! The README tells the truth: its quick-start commands are the ones CI runs and they work with no
//! server, its example `odoo-codegen.toml` is accepted, and its exit-code table is the binary's.

mod cli_support;
use cli_support::{repo_root, xtask};

fn readme() -> String {
    std::fs::read_to_string(repo_root().join("README.md")).unwrap()
}

/// The body of the first fenced block of language `lang` after the heading `heading`.
fn block_after(text: &str, heading: &str, lang: &str) -> String {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("README has no `{heading}`"));
    let rest = &text[start..];
    let fence = format!("```{lang}\n");
    let open = rest
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```{lang} block after {heading}"));
    let body = &rest[open + fence.len()..];
    body[..body.find("```").unwrap()].to_owned()
}

/// The commands of a shell block: non-empty lines that are not comments.
fn commands(block: &str) -> Vec<String> {
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn quick_start_has_the_two_commands() {
    let quick = commands(&block_after(&readme(), "## Quick start", "sh"));
    assert_eq!(quick, ["cargo xtask generate", "cargo test --workspace"]);
}

/// `.ci/run` runs a README command when one of its lines is that command followed only by flags
/// (`--locked`).
fn ci_runs(ci: &str, command: &str) -> bool {
    let wanted: Vec<&str> = command.split_whitespace().collect();
    ci.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words.len() >= wanted.len()
                && words[..wanted.len()] == wanted[..]
                && words[wanted.len()..].iter().all(|w| w.starts_with("--"))
        })
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = std::fs::read_to_string(repo_root().join(".ci/run")).unwrap();
    let quick = commands(&block_after(&readme(), "## Quick start", "sh"));
    let test_command = quick.iter().find(|c| c.starts_with("cargo test")).unwrap();
    assert!(
        ci_runs(&ci, test_command),
        "`.ci/run` does not run `{test_command}`:\n{ci}"
    );
    // The matcher itself: a different command or a positional argument does not count.
    assert!(!ci_runs(
        "cargo test --workspace --locked\n",
        "cargo test -p xtask"
    ));
    assert!(!ci_runs(
        "cargo test --workspace extra\n",
        "cargo test --workspace"
    ));
    assert!(!ci_runs(
        "# cargo test --workspace\n",
        "cargo test --workspace"
    ));
}

/// The first quick-start command on a fresh machine: no ODOO_* variable, no server, no network.
/// (It writes into a temporary directory here, not into the checkout.)
#[test]
fn readme_generate_command_works_without_a_server() {
    let quick = commands(&block_after(&readme(), "## Quick start", "sh"));
    let args: Vec<&str> = quick[0].split_whitespace().skip(2).collect();
    assert_eq!(args, ["generate"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bindings");
    // Run outside the checkout, so that a developer's own `.env` or odoo-codegen.toml is not read.
    let output = xtask(tmp.path())
        .args(&args)
        .arg("--quiet")
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.is_empty(),
        "--quiet prints nothing on success: {stderr}"
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("odoo-runtime"), "{manifest}");
    assert!(out.join("src").is_dir());
}

#[test]
fn readme_example_config_is_accepted() {
    let text = readme();
    let config = block_after(&text, "### `odoo-codegen.toml`", "toml");
    assert!(
        config.contains("[connection]") && config.contains("[generate]"),
        "{config}"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("odoo-codegen.toml"), &config).unwrap();
    // Generate from the committed snapshot (an explicit source wins over the file's URL) with every
    // [generate] setting of the example; `--check` writes nothing and reports the missing output.
    let snapshot = repo_root().join("snapshots/odoo-18.0");
    let output = xtask(tmp.path())
        .args(["generate", "--check", "--snapshot"])
        .arg(&snapshot)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&tmp.path().join("bindings").display().to_string()),
        "{stderr}"
    );
    assert!(!tmp.path().join("bindings").exists());
}

#[test]
fn readme_exit_codes_are_the_binary_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path()).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    let table = &help[help.find("Exit codes:").unwrap()..];
    let from_help: Vec<(u32, String)> = table
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (code, meaning) = l.trim().split_once("  ")?;
            Some((code.parse().ok()?, meaning.trim().replace('`', "")))
        })
        .collect();
    let from_readme: Vec<(u32, String)> = readme()
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            match cells[..] {
                [code, meaning] => Some((code.parse().ok()?, meaning.replace('`', ""))),
                _ => None,
            }
        })
        .collect();
    assert!(from_help.len() >= 13, "{table}");
    assert_eq!(from_readme, from_help);
}

/// The integration example compiles: bindings for `res.partner` generated by the binary, the
/// README's `[dependencies]` (paths pointed at this checkout) and its `main.rs`, checked offline
/// with the same lock file. Shares `target/generated-crates-target` with `compile_all_models` and the codegen tests, so the
/// dependencies are built once.
#[test]
fn readme_integration_example_compiles() {
    let text = readme();
    let heading = "## Using the generated crate in an integration";
    let generate = commands(&block_after(&text, heading, "sh"));
    let dependencies = block_after(&text, heading, "toml");
    let main_rs = block_after(&text, heading, "rust");
    assert!(main_rs.contains("fn main()"), "{main_rs}");

    let root = repo_root();
    let krate = root.join("target/readme-example");
    if krate.exists() {
        std::fs::remove_dir_all(&krate).unwrap();
    }
    std::fs::create_dir_all(krate.join("src")).unwrap();

    // The README's generate command, with the output moved into the example crate.
    assert_eq!(generate.len(), 1, "{generate:?}");
    let mut args: Vec<String> = generate[0]
        .split_whitespace()
        .skip(2)
        .map(str::to_owned)
        .collect();
    let out = args.iter().position(|a| a == "--output").unwrap() + 1;
    args[out] = krate.join("bindings").display().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let output = xtask(tmp.path())
        .args(&args)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let runtime = root
        .join("runtime")
        .display()
        .to_string()
        .replace('\\', "/");
    // By version, as a user writes it; resolved to this checkout as the README says to do before
    // a release is on crates.io.
    assert!(
        dependencies.contains("odoo-runtime = \"0.1\""),
        "{dependencies}"
    );
    let manifest = format!(
        "[package]\nname = \"readme-example\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n{dependencies}\n[workspace]\n\n\
         [patch.crates-io]\nodoo-runtime = {{ path = \"{runtime}\" }}\n"
    );
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(krate.join("src/main.rs"), main_rs).unwrap();
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["check", "--offline", "--quiet"])
        .current_dir(&krate)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-target"),
        )
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the README example does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every `cargo xtask` command line of the README's shell blocks, continuation lines joined.
fn readme_xtask_commands(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```sh\n") {
        let body = &rest[open + 6..];
        let close = body.find("```").unwrap();
        let joined = body[..close].replace("\\\n", " ");
        for line in joined
            .lines()
            .map(|l| l.split(" #").next().unwrap_or_default().trim())
        {
            if let Some(args) = line.strip_prefix("cargo xtask ") {
                // Words, with single quotes as the shell reads them.
                let words = args
                    .split_whitespace()
                    .map(|w| w.replace('\'', ""))
                    .collect();
                out.push(words);
            }
        }
        rest = &body[close + 3..];
    }
    out
}

/// Each command line the README shows is accepted by the binary: run against a closed port, each
/// stops at the connection (exit 10), none at the command line (exit 2).
#[test]
fn readme_command_lines_are_accepted() {
    let commands = readme_xtask_commands(&readme());
    assert!(commands.len() >= 6, "{commands:?}");
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    for args in commands {
        let output = xtask(&repo_root())
            .args(&args)
            .env("ODOO_URL", format!("http://127.0.0.1:{port}"))
            .env("ODOO_DB", "odoo18")
            .env("ODOO_USER", "admin")
            .env("ODOO_PASSWORD", "admin")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(10),
            "`cargo xtask {}`:\n{stderr}",
            args.join(" ")
        );
    }
}
