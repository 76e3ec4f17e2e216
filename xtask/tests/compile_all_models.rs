//! Generates bindings for all 507 models of the recorded Odoo 18.0 server's snapshot into
//! `target/compile-all/` and compiles them: every feature on with clippy and warnings denied, then one
//! single-model feature on its own, then a test decoding recorded answers of the real server
//! (every partner, 68, with every field; every `ir.model.fields` row with every field) with only the two
//! models it needs enabled. Target directory: `target/generated-crates-target`, shared with the
//! codegen tests (dependencies built once, reused by later runs). The committed snapshots of Odoo
//! 17.0, 18.0 and 19.0 (methods included) are each generated whole and checked by clippy too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use odoo_codegen::{Settings, generate};
use odoo_replay::fixtures::read_text_tree;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

fn gunzip(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn cargo(root: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .arg("--offline")
        .args(args)
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/generated-crates-target"),
        )
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
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

/// Decodes recorded answers into the generated read structs (written into the generated crate).
const RECORDED_TEST: &str = r##"
#![cfg(all(feature = "res_partner", feature = "ir_model_fields"))]

use odoo_bindings::{ir_model_fields, res_partner};
use odoo_runtime::Value;

fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(file: &str, field_names: &[&str]) -> (Vec<T>, Vec<Value>) {
    let path = format!("{}/recorded/{file}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let typed: Vec<T> = odoo_runtime::xmlrpc::decode_response(&body)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .into_result()
        .unwrap();
    let dynamic: Vec<Value> = odoo_runtime::xmlrpc::decode_response(&body).unwrap().into_result().unwrap();
    assert_eq!(typed.len(), dynamic.len());
    for (t, d) in typed.iter().zip(&dynamic) {
        let keys: Vec<&str> = d.as_struct().unwrap().iter().map(|(k, _)| k.as_str()).collect();
        if field_names.iter().all(|f| keys.contains(f)) {
            let debug = format!("{t:?}");
            assert!(!debug.contains("NotFetched"), "{file}: every field was read: {debug}");
        }
    }
    (typed, dynamic)
}

#[test]
fn every_partner_with_every_field() {
    let (partners, dynamic) = decode::<res_partner::ResPartner>("44.xml", res_partner::FIELD_NAMES);
    // `search_read` with limit 200: the recorded database holds 68 partners.
    assert_eq!(partners.len(), 68);
    for (p, d) in partners.iter().zip(&dynamic) {
        assert_eq!(Some(p.id.get()), d.get("id").and_then(Value::as_i64));
        assert_eq!(p.display_name.value().map(String::as_str), d.get("display_name").and_then(Value::as_str));
    }
}

#[test]
fn every_field_row_with_every_field() {
    let (rows, dynamic) = decode::<ir_model_fields::IrModelFields>("75.xml", ir_model_fields::FIELD_NAMES);
    assert_eq!(rows.len(), 9774);
    for (row, d) in rows.iter().zip(&dynamic) {
        assert_eq!(row.name.value().map(String::as_str), d.get("name").and_then(Value::as_str));
        let ttype = row.ttype.value().expect("ttype is required");
        assert!(!matches!(ttype, ir_model_fields::Ttype::Unknown(_)), "{ttype:?}");
    }
}
"##;

#[test]
fn all_507_models_compile_with_clippy_and_alone() {
    let ws = workspace();
    let schema = odoo_codegen::snapshot::from_files(
        &read_text_tree(&ws.join("testdata/odoo-18.0/snapshot")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema.models.len(), 507);
    let settings = Settings::new()
        .runtime_path("../../runtime")
        .snapshot_label("testdata/odoo-18.0/snapshot")
        .standalone_workspace(true);
    let generated = generate(&schema, &settings).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);

    let root = ws.join("target/compile-all");
    // Keep the directory (and its `target`-relative fingerprints) but drop files of earlier runs.
    if root.join("src").exists() {
        std::fs::remove_dir_all(root.join("src")).unwrap();
    }
    for file in &generated.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    std::fs::copy(ws.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::write(root.join("tests/recorded.rs"), RECORDED_TEST).unwrap();
    std::fs::create_dir_all(root.join("recorded")).unwrap();
    let xmlrpc = ws.join("testdata/odoo-18.0/xmlrpc");
    std::fs::write(
        root.join("recorded/44.xml"),
        gunzip(&xmlrpc.join("44-res.partner.search_read-200-all-fields.response.xml.gz")),
    )
    .unwrap();
    std::fs::write(
        root.join("recorded/75.xml"),
        gunzip(&xmlrpc.join("75-ir.model.fields.search_read-all.response.xml.gz")),
    )
    .unwrap();

    cargo(&root, &["clippy", "--all-features", "--", "-D", "warnings"]);
    cargo(
        &root,
        &["check", "--no-default-features", "--features", "sale_order"],
    );
    cargo(
        &root,
        &[
            "test",
            "--no-default-features",
            "--features",
            "res_partner,ir_model_fields",
        ],
    );
}

/// Every model of a committed snapshot (`snapshots/<name>`, the testbed's stock schema of that
/// version, methods included where Odoo serves them) generated into `target/compile-all-<name>/`
/// and checked by clippy with every feature on and warnings denied.
fn committed_snapshot_compiles(name: &str) {
    let ws = workspace();
    let dir = format!("snapshots/{name}");
    let schema =
        odoo_codegen::snapshot::from_files(&read_text_tree(&ws.join(&dir)).unwrap()).unwrap();
    assert!(schema.models.len() > 400, "{dir}: {}", schema.models.len());
    let settings = Settings::new()
        .runtime_path("../../runtime")
        .snapshot_label(&dir)
        .standalone_workspace(true);
    let generated = generate(&schema, &settings).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let root = ws.join(format!("target/compile-all-{name}"));
    if root.join("src").exists() {
        std::fs::remove_dir_all(root.join("src")).unwrap();
    }
    for file in &generated.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    std::fs::copy(ws.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    cargo(&root, &["clippy", "--all-features", "--", "-D", "warnings"]);
}

#[test]
fn every_model_of_the_committed_odoo_17_snapshot_compiles_with_clippy() {
    committed_snapshot_compiles("odoo-17.0");
}

#[test]
fn every_model_of_the_committed_odoo_19_snapshot_compiles_with_clippy() {
    let ws = workspace();
    let schema = odoo_codegen::snapshot::from_files(
        &read_text_tree(&ws.join("snapshots/odoo-19.0")).unwrap(),
    )
    .unwrap();
    // With the typed methods of every model /doc-bearer described.
    assert!(
        schema.models["sale.order"]
            .methods
            .contains_key("action_confirm")
    );
    committed_snapshot_compiles("odoo-19.0");
}

#[test]
fn every_model_of_the_committed_odoo_18_snapshot_compiles_with_clippy() {
    // The built-in default of `generate`.
    committed_snapshot_compiles("odoo-18.0");
}
