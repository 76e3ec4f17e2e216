//! `examples/bindings` is exactly what `cargo xtask generate` gives from the committed snapshot:
//!
//! ```text
//! cargo xtask generate --snapshot snapshots/odoo-18.0 \
//!     --models res.partner,ir.model,ir.model.fields,ir.model.access,ir.model.data,x_custom --depth 0 \
//!     --output examples/bindings --crate-name odoo-example-bindings --default-features all --workspace-member
//! ```
//!
//! This test regenerates with the same settings through `odoo-codegen` and fails, naming the files,
//! when the committed bindings are stale (the generator or the snapshot changed). Run the command
//! above to refresh them.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::read_tree;

use odoo_codegen::filter::Filter;
use odoo_codegen::generate::{DefaultFeatures, Settings, generate};

const MODELS: [&str; 6] = [
    "res.partner",
    "ir.model",
    "ir.model.fields",
    "ir.model.access",
    "ir.model.data",
    "x_custom",
];

#[test]
fn committed_bindings_are_fresh() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let snapshot_dir = repo.join("snapshots/odoo-18.0");
    let mut files = BTreeMap::new();
    read_tree(&snapshot_dir, &snapshot_dir, &mut files, &[".json"]);
    let schema = odoo_codegen::snapshot::from_files(&files).unwrap();
    let filter = Filter {
        models: MODELS.iter().map(|m| (*m).to_owned()).collect(),
        depth: 0,
        ..Filter::default()
    };
    let (schema, _) = filter.apply(&schema).unwrap();
    let settings = Settings::new()
        .crate_name("odoo-example-bindings")
        .snapshot_label("snapshot odoo-18.0")
        .standalone_workspace(false)
        .runtime_path("../../runtime")
        .default_features(DefaultFeatures::All);
    let generated = generate(&schema, &settings).unwrap();
    let files = generated.files.len();
    let stale = support::stale(&repo.join("examples/bindings"), generated);
    assert!(
        stale.is_empty(),
        "examples/bindings is stale ({stale:?} differ from what generation gives now): rerun the `cargo xtask generate` command in this test's docs"
    );
    assert_eq!(files, 8, "Cargo.toml, lib.rs and one file per model");
}
