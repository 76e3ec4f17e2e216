//! insta snapshots of generated bindings; each test also compiles what it snapshots.
//!
//! Each test writes its crate under `target/emit-tests/<name>/` (a stand-alone crate: it has its own
//! `[workspace]` table and a copy of the workspace's `Cargo.lock`), then runs
//! `cargo clippy --all-features --all-targets -- -D warnings` there with one shared target directory,
//! `target/emit-tests-target`, so dependencies are built once.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p odoo-codegen --test emit_snapshots` (or
//! `cargo insta review`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use odoo_codegen::{Generated, Schema, Settings, generate};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen has a parent directory")
        .to_path_buf()
}

/// Reads a dump directory in the layout of `testdata/odoo-18.0/schema` (`.gz` files inflated).
fn read_dump(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            let bytes = std::fs::read(&path).unwrap();
            if let Some(plain) = rel.strip_suffix(".gz") {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut out)
                    .unwrap();
                files.insert(plain.to_owned(), out);
            } else {
                files.insert(rel, bytes);
            }
        }
    }
    files
}

/// The recorded Odoo 18.0 schema (507 models), loaded from the dump in `testdata/`.
fn recorded() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let files = read_dump(&workspace().join("testdata/odoo-18.0/schema"));
        odoo_codegen::dump::from_dump(&files).unwrap().0
    })
}

fn hostile() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile_schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn subset(schema: &Schema, models: &[&str]) -> Schema {
    Schema {
        odoo_version: schema.odoo_version.clone(),
        models: models
            .iter()
            .map(|m| {
                let model = schema
                    .models
                    .get(*m)
                    .unwrap_or_else(|| panic!("model {m} in the schema"));
                ((*m).to_owned(), model.clone())
            })
            .collect(),
    }
}

/// Settings for a crate written to `target/emit-tests/<name>/` (runtime three levels up).
fn settings(label: &str) -> Settings {
    Settings::new()
        .crate_name(format!("emit-test-{}", label.replace('_', "-")))
        .runtime_path("../../../runtime")
        .snapshot_label(label)
        .standalone_workspace(true)
}

/// Writes the crate and runs `cargo <args>` in it with the shared target directory; panics with the
/// compiler's output when it fails.
fn write_and_check(name: &str, generated: &Generated, commands: &[&[&str]]) {
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
        std::fs::write(&path, &file.contents).unwrap();
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
                workspace().join("target/emit-tests-target"),
            )
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`cargo {}` failed in {}:\n{}",
            args.join(" "),
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

const CLIPPY: &[&str] = &[
    "clippy",
    "--all-features",
    "--all-targets",
    "--",
    "-D",
    "warnings",
];
const DOC: &[&str] = &["doc", "--no-deps", "--all-features"];

fn snapshot(name: &str, contents: &str) {
    insta::with_settings!({
        snapshot_path => "../../snapshots/generated",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, contents);
    });
}

/// The models the issue asks snapshots for.
const REAL_MODELS: &[&str] = &[
    "crm.lead",
    "ir.attachment",
    "mail.message",
    "product.product",
    "res.partner",
    "res.users",
    "sale.order",
    "x_custom",
];

#[test]
fn recorded_models_snapshot_and_compile() {
    let schema = subset(recorded(), REAL_MODELS);
    let generated = generate(&schema, &settings("odoo18")).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    // Cargo.toml, lib.rs and one file per model.
    assert_eq!(generated.files.len(), REAL_MODELS.len() + 2);
    for file in &generated.files {
        let name = format!(
            "odoo18__{}",
            file.path
                .trim_start_matches("src/")
                .replace(['/', '.'], "_")
        );
        snapshot(&name, &file.contents);
    }
    write_and_check("odoo18", &generated, &[CLIPPY]);
}

#[test]
fn hostile_schema_snapshot_and_compile() {
    let schema = hostile();
    let generated = generate(&schema, &settings("hostile")).unwrap();
    for file in &generated.files {
        let name = format!(
            "hostile__{}",
            file.path
                .trim_start_matches("src/")
                .replace(['/', '.'], "_")
        );
        snapshot(&name, &file.contents);
    }
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    snapshot("hostile__warnings", &warnings.join("\n"));
    write_and_check("hostile", &generated, &[CLIPPY, DOC]);
}
