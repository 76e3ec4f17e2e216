//! `examples/bindings19` is exactly what generation gives from the recorded Odoo 19.0 subset
//! snapshot `testdata/odoo-19.0/snapshot` (seven models with their methods, from `/doc-bearer`):
//!
//! ```text
//! cargo xtask generate --snapshot testdata/odoo-19.0/snapshot --output examples/bindings19 \
//!     --crate-name odoo-example-bindings19 --runtime-path runtime --default-features all --workspace-member
//! ```
//!
//! (or `ODOO_UPDATE_BINDINGS=1 cargo test -p odoo-examples --test bindings19_fresh`, which writes
//! the files this test expects). The test fails, naming the files, when the committed bindings are
//! stale.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::read_tree;

use odoo_codegen::generate::{DefaultFeatures, Settings, generate};

#[test]
fn committed_bindings19_are_fresh() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let snapshot_dir = repo.join("testdata/odoo-19.0/snapshot");
    let mut files = BTreeMap::new();
    read_tree(&snapshot_dir, &snapshot_dir, &mut files, &[".json"]);
    let schema = odoo_codegen::snapshot::from_files(&files).unwrap();
    assert_eq!(schema.models.len(), 7);
    assert!(
        schema.models["sale.order"]
            .methods
            .contains_key("action_confirm")
    );
    let settings = Settings::new()
        .crate_name("odoo-example-bindings19")
        .snapshot_label("snapshot")
        .standalone_workspace(false)
        .runtime_path("../../runtime")
        .default_features(DefaultFeatures::All);
    let generated = generate(&schema, &settings).unwrap();
    let files = generated.files.len();
    let bindings = repo.join("examples/bindings19");
    if std::env::var_os("ODOO_UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(bindings.join("src"));
        for file in &generated.files {
            let path = bindings.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.contents).unwrap();
        }
    }
    let stale = support::stale(&bindings, generated);
    assert!(
        stale.is_empty(),
        "examples/bindings19 is stale ({stale:?} differ from what generation gives now): rerun the command in this test's docs"
    );
    assert_eq!(
        files, 10,
        "Cargo.toml, lib.rs, methods.rs and one file per model"
    );
}
