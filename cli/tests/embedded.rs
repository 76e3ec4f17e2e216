//! The snapshots compiled into the tool are the repository's `snapshots/<name>/` directories, byte
//! for byte. `ODOO_CODEGEN_UPDATE_BUNDLES=1` rewrites a stale bundle (then commit it).

use std::path::Path;

use odoo_codegen_cli::embedded;
use odoo_replay::fixtures::read_text_tree;

#[test]
fn built_in_snapshots_are_the_committed_ones() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let update = std::env::var_os("ODOO_CODEGEN_UPDATE_BUNDLES").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for snapshot in embedded::SNAPSHOTS {
        let committed = read_text_tree(&repo.join("snapshots").join(snapshot.name)).unwrap();
        assert!(
            committed.contains_key(odoo_codegen::snapshot::INDEX_FILE),
            "snapshots/{} is not a snapshot",
            snapshot.name
        );
        // An unreadable bundle is stale too (and rewritten on request).
        if snapshot.files().ok().as_ref() != Some(&committed) {
            if update {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("snapshots")
                    .join(format!("{}.json.gz", snapshot.name));
                std::fs::write(&path, embedded::bundle(&committed)).unwrap();
            }
            stale.push(snapshot.name);
        }
    }
    assert!(
        stale.is_empty(),
        "built-in snapshots differ from snapshots/: {stale:?}{}",
        if update {
            " (rewritten: rebuild and commit cli/snapshots/)"
        } else {
            "; run `ODOO_CODEGEN_UPDATE_BUNDLES=1 cargo test -p odoo-codegen-cli --test embedded`"
        }
    );
}

#[test]
fn bundles_are_deterministic_and_load() {
    let snapshot = embedded::default();
    let files = snapshot.files().unwrap();
    assert_eq!(embedded::bundle(&files), embedded::bundle(&files));
    let schema = snapshot.schema().unwrap();
    assert!(schema.models.contains_key("res.partner"));
    assert_eq!(
        odoo_codegen::snapshot::to_files(&schema),
        files,
        "a built-in snapshot round-trips"
    );
}
