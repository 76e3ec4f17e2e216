//! A user's project built from the README's "Add it to your project" section, in a directory
//! outside this repository: its files are the section's code blocks whose first line names a file
//! (`# xtask/Cargo.toml`, `// xtask/src/main.rs`), written in the README's order, with the two
//! changes the section gives for a time before the crates are on crates.io (the xtask's dependency
//! on `odoo-codegen-cli` by path, `[patch.crates-io]` for `odoo-runtime`), both pointed at this
//! checkout.
//!
//! Every cargo command runs offline with this repository's lock file as the starting point and the
//! target directory shared with the other generated-crate compiles
//! (`target/generated-crates-target`), so dependencies are built once.

#![allow(dead_code)] // Each test target uses a part.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

/// The target directory every generated crate of the tests is built in.
pub fn shared_target() -> PathBuf {
    repo_root().join("target/generated-crates-target")
}

/// One step of the README section: a file to write or a shell command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A whole file: its path in the project and its contents.
    File(String, String),
    /// A command line of a `sh` block (the comment after `#` dropped).
    Command(String),
}

/// The README's "Add it to your project" section.
pub fn section() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find("## Add it to your project")
        .expect("README has no `## Add it to your project`");
    let rest = &readme[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_owned()
}

/// Fenced blocks of `text`: (language, body).
pub fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let Some(newline) = after.find('\n') else {
            break;
        };
        let lang = after[..newline].trim().to_owned();
        let body = &after[newline + 1..];
        let close = body.find("```").expect("an unclosed block");
        out.push((lang, body[..close].to_owned()));
        rest = &body[close + 3..];
    }
    out
}

/// The file a block stands for, from its first line: `# path` or `// path` alone (a line with more
/// words, as `# xtask/Cargo.toml: the dependency`, is a change, not a file).
fn file_name(body: &str) -> Option<String> {
    let first = body.lines().next()?.trim();
    let name = first
        .strip_prefix("# ")
        .or_else(|| first.strip_prefix("// "))?;
    (!name.contains(' ') && name.contains(['.', '/'])).then(|| name.to_owned())
}

/// The section's steps, in order.
pub fn steps() -> Vec<Step> {
    let mut out = Vec::new();
    for (lang, body) in blocks(&section()) {
        if lang == "sh" {
            for line in body.lines() {
                let command = line.split('#').next().unwrap_or_default().trim();
                if !command.is_empty() {
                    out.push(Step::Command(command.to_owned()));
                }
            }
        } else if let Some(name) = file_name(&body) {
            out.push(Step::File(name, body));
        }
    }
    out
}

/// The pre-release change of the block whose first line starts with `first_line`, its body without
/// that line.
fn change(first_line: &str) -> String {
    blocks(&section())
        .into_iter()
        .map(|(_, body)| body)
        .find(|body| body.starts_with(first_line))
        .unwrap_or_else(|| panic!("README's section has no block starting `{first_line}`"))
        .split_once('\n')
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or_default()
}

/// `../odoo-codegen/<dir>` of the README's changes, pointed at this checkout.
fn checkout(text: &str) -> String {
    let root = repo_root().display().to_string().replace('\\', "/");
    assert!(text.contains("../odoo-codegen/"), "{text}");
    text.replace("../odoo-codegen/", &format!("{root}/"))
}

/// A user's project in a temporary directory outside the repository.
pub struct Project {
    dir: tempfile::TempDir,
    /// Leave out the xtask (a project using `cargo odoo` only).
    pub without_xtask: bool,
}

impl Project {
    pub fn new(without_xtask: bool) -> Project {
        let dir = tempfile::Builder::new()
            .prefix("odoo-user-project-")
            .tempdir()
            .unwrap();
        assert!(
            !dir.path().starts_with(repo_root()),
            "the project must be outside the repository"
        );
        // The lock file of this repository: the same dependency versions, resolvable offline.
        std::fs::copy(
            repo_root().join("Cargo.lock"),
            dir.path().join("Cargo.lock"),
        )
        .unwrap();
        Project { dir, without_xtask }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file of the README, with the pre-release changes.
    pub fn write(&self, name: &str, body: &str) {
        let mut body = body.to_owned();
        if name == "xtask/Cargo.toml" {
            let dependency = change("# xtask/Cargo.toml: the dependency");
            let line = "odoo-codegen-cli = \"0.1\"";
            assert!(body.contains(line), "{body}");
            body = body.replace(line, checkout(&dependency).trim_end());
        }
        if name == "Cargo.toml" {
            body.push('\n');
            body.push_str(&checkout(&change("# Cargo.toml: added")));
            if self.without_xtask {
                body = body
                    .replace("members = [\"xtask\"]", "members = []")
                    .replace("\"xtask\", ", "");
            }
        }
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }

    /// Whether a README file belongs to this project.
    pub fn wants(&self, name: &str) -> bool {
        !(self.without_xtask && (name.starts_with("xtask/") || name.starts_with(".cargo/")))
    }

    /// `cargo ARGS` in `dir` (relative to the project directory, or absolute), offline, target shared, no
    /// `ODOO_*` variable of the caller's environment, with `env` added.
    pub fn cargo(&self, dir: &str, args: &[&str], env: &[(&str, String)]) -> Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        clean_env(&mut command);
        command
            .args(args)
            .current_dir(self.path().join(dir))
            .env("CARGO_NET_OFFLINE", "true")
            .env("CARGO_TARGET_DIR", shared_target())
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env_remove("RUSTFLAGS");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    }
}

/// Removes the `ODOO_*` variables and the variables cargo sets for the test process it runs (they
/// describe this repository's package, not the user's). Cargo's settings (`CARGO_HOME`,
/// `CARGO_INCREMENTAL`...) stay.
pub fn clean_env(command: &mut Command) {
    const PACKAGE: [&str; 6] = [
        "CARGO_MANIFEST_",
        "CARGO_PKG_",
        "CARGO_CRATE_",
        "CARGO_BIN_",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
    ];
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("ODOO_")
            || PACKAGE.iter().any(|prefix| name.starts_with(prefix))
            || name == "RUST_LOG"
        {
            command.env_remove(&name);
        }
    }
}

/// The output of a command that must succeed (panics with its stderr otherwise).
pub fn ok(what: &str, output: Output) -> String {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Writes the section's files for `project` up to the first command that generates (`cargo xtask
/// generate`), returns that command and the steps after it.
pub fn before_generate(project: &Project) -> (String, Vec<Step>) {
    let mut steps = steps().into_iter();
    for step in steps.by_ref() {
        match step {
            Step::File(name, body) if project.wants(&name) => project.write(&name, &body),
            Step::File(..) => {}
            Step::Command(command) if command.ends_with(" generate") => {
                return (command, steps.collect());
            }
            Step::Command(_) => {}
        }
    }
    panic!("the README's section has no `generate` command");
}

/// Writes the files of `steps` (what the section adds after generating).
pub fn after_generate(project: &Project, steps: &[Step]) {
    for step in steps {
        if let Step::File(name, body) = step
            && project.wants(name)
        {
            project.write(name, body);
        }
    }
}

/// The lines the README's integration prints for `rows` (search_read rows of res.partner as JSON).
pub fn expected_lines(rows: &serde_json::Value) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let text = |v: &serde_json::Value, none: &str| {
                v.as_str().map_or_else(|| none.to_owned(), str::to_owned)
            };
            format!(
                "#{} {} | {} | notes: {}",
                row["id"],
                text(&row["name"], "?"),
                text(&row["country_id"][1], "no country"),
                text(&row["comment"], "none"),
            )
        })
        .collect()
}
