//! Snapshots: round trip, determinism, layout, errors, and the snapshots of the recorded dumps
//! (`testdata/odoo-18.0*/snapshot`).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use odoo_codegen::{Schema, dump, snapshot};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_dump(name: &str) -> BTreeMap<String, Vec<u8>> {
    odoo_replay::fixtures::read_dump_tree(&repo().join("testdata").join(name).join("schema"))
        .unwrap()
}

fn load(name: &str) -> Schema {
    dump::from_dump(&read_dump(name)).unwrap().0
}

#[test]
fn round_trip_and_same_bytes() {
    for name in ["odoo-18.0", "odoo-18.0-base"] {
        let schema = load(name);
        let files = snapshot::to_files(&schema);
        assert_eq!(files.len(), schema.models.len() + 1);
        let back = snapshot::from_files(&files).unwrap();
        assert_eq!(back, schema, "{name}");
        assert_eq!(
            snapshot::to_files(&back),
            files,
            "{name}: same schema, same bytes"
        );
    }
}

#[test]
fn row_order_does_not_change_the_bytes() {
    let files = read_dump("odoo-18.0-base");
    let mut sources = dump::sources_from_dump(&files).unwrap();
    let reference = snapshot::to_files(&dump::merge(&sources).0);
    sources.models.reverse();
    sources.fields.reverse();
    sources.selections.reverse();
    assert_eq!(snapshot::to_files(&dump::merge(&sources).0), reference);
}

#[test]
fn layout_is_pretty_small_and_free_of_volatile_data() {
    let schema = load("odoo-18.0");
    let files = snapshot::to_files(&schema);
    let index: serde_json::Value = serde_json::from_str(&files["snapshot.json"]).unwrap();
    let keys: Vec<&str> = index
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["format", "odoo_version", "models"]);
    assert_eq!(index["odoo_version"], "18.0");
    assert_eq!(index["models"].as_array().unwrap().len(), 507);

    let partner = &files["models/res.partner.json"];
    assert!(partner.starts_with("{\n  \"name\": \"res.partner\",\n"));
    assert!(partner.ends_with("}\n"));
    assert!(partner.contains("\n      \"type\": \"many2one\",\n"));
    for (path, text) in &files {
        assert!(
            !text.contains("localhost") && !text.contains("127.0.0.1"),
            "{path}"
        );
        // No record count or timestamp next to the model's description.
        if path.starts_with("models/") {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            for key in value.as_object().unwrap().keys() {
                assert!(
                    [
                        "name",
                        "description",
                        "info",
                        "order",
                        "transient",
                        "custom",
                        "modules",
                        "fields"
                    ]
                    .contains(&key.as_str()),
                    "{path}: {key}"
                );
            }
        }
        // Neither the database name nor the login of the recorded server.
        assert!(
            !text.contains("odoo18") && !text.contains("\"login\": \"admin"),
            "{path}"
        );
    }
    // Each model file is self-contained and small enough to review.
    assert!(
        files
            .keys()
            .all(|p| p == "snapshot.json" || p.starts_with("models/"))
    );
}

#[test]
fn model_file_names_stay_inside_models_dir() {
    assert_eq!(
        snapshot::model_file("res.partner"),
        "models/res.partner.json"
    );
    assert_eq!(snapshot::model_file("x_custom"), "models/x_custom.json");
    assert_eq!(snapshot::model_file("../evil"), "models/%2E.%2Fevil.json");
    assert_eq!(snapshot::model_file("a/b c"), "models/a%2Fb%20c.json");
}

/// Long model names (abstract models escape PostgreSQL's 63-byte limit; non-ASCII triples once
/// escaped) get file names a file system takes, distinct, and the snapshot still round-trips.
#[test]
fn long_model_names_get_short_distinct_files() {
    let long_ascii = format!("x_{}", "verylongname".repeat(25));
    let long_other = format!("{long_ascii}2");
    let unicode = format!("x_{}", "Ünïcödé".repeat(20));
    let names = [long_ascii.as_str(), long_other.as_str(), unicode.as_str()];
    let files: Vec<String> = names.iter().map(|n| snapshot::model_file(n)).collect();
    for file in &files {
        let name = file.strip_prefix("models/").unwrap();
        assert!(name.len() <= 210, "{} bytes: {name}", name.len());
        assert!(!name.contains('/'));
    }
    assert_ne!(files[0], files[1]);
    // An escape is never cut in half.
    let stem = files[2].trim_end_matches(".json");
    let before_sum = stem.rsplit_once('~').unwrap().0;
    assert!(!before_sum.ends_with('%') && !before_sum[before_sum.len() - 2..].starts_with('%'));
    // Short names keep their plain file.
    assert_eq!(
        snapshot::model_file("res.partner"),
        "models/res.partner.json"
    );

    let mut schema = load("odoo-18.0-base");
    let template = schema.models["res.partner.title"].clone();
    for name in names {
        let mut model = template.clone();
        model.name = name.to_owned();
        schema.models.insert(name.to_owned(), model);
    }
    let files = snapshot::to_files(&schema);
    assert_eq!(snapshot::from_files(&files).unwrap(), schema);
}

#[test]
fn errors_name_the_file() {
    let schema = load("odoo-18.0-base");
    let files = snapshot::to_files(&schema);

    let mut missing = files.clone();
    missing.remove("models/res.partner.json");
    let err = snapshot::from_files(&missing).unwrap_err().to_string();
    assert!(
        err.contains("models/res.partner.json") && err.contains("missing"),
        "{err}"
    );

    let mut stray = files.clone();
    stray.insert("models/res.stray.json".into(), "{}".into());
    let err = snapshot::from_files(&stray).unwrap_err().to_string();
    assert!(
        err.contains("models/res.stray.json") && err.contains("not listed"),
        "{err}"
    );

    let mut renamed = files.clone();
    let text = renamed["models/res.partner.json"].replacen("\"res.partner\"", "\"res.other\"", 1);
    renamed.insert("models/res.partner.json".into(), text);
    let err = snapshot::from_files(&renamed).unwrap_err().to_string();
    assert!(
        err.contains("models/res.partner.json") && err.contains("res.other"),
        "{err}"
    );

    let mut broken = files.clone();
    broken.insert("models/res.partner.json".into(), "{\n  \"name\": ".into());
    let err = snapshot::from_files(&broken).unwrap_err().to_string();
    assert!(
        err.contains("models/res.partner.json") && err.contains("line 2"),
        "{err}"
    );

    let mut future = files.clone();
    let index = future["snapshot.json"].replacen("\"format\": 1", "\"format\": 99", 1);
    future.insert("snapshot.json".into(), index);
    let err = snapshot::from_files(&future).unwrap_err().to_string();
    assert!(
        err.contains("snapshot.json") && err.contains("format 99"),
        "{err}"
    );
}

#[test]
fn malformed_json_is_reported_once() {
    let schema = load("odoo-18.0-base");
    let files = snapshot::to_files(&schema);

    let mut broken = files.clone();
    let text = "{\n  \"name\": \"res.partner\"\n  \"description\": \"Contact\"\n}\n";
    broken.insert("models/res.partner.json".into(), text.into());
    let err = snapshot::from_files(&broken).unwrap_err();
    assert_eq!(
        support::error_chain(&err),
        "snapshot file `models/res.partner.json`: line 3 column 3: expected `,` or `}`"
    );
    assert_eq!(support::error_chain(&err), err.to_string());

    let mut broken = files.clone();
    broken.insert(
        "snapshot.json".into(),
        "{\"format\": 1,\n  \"models\": 3}".into(),
    );
    let err = snapshot::from_files(&broken).unwrap_err();
    let text = support::error_chain(&err);
    assert!(
        text.starts_with("snapshot file `snapshot.json`: line 2 column ")
            && text.matches("invalid type").count() == 1
            && !text.contains(" at line "),
        "{text}"
    );
}

/// Old snapshots without the optional keys still load (serde defaults).
#[test]
fn minimal_model_file_loads() {
    let mut files = BTreeMap::new();
    files.insert(
        "snapshot.json".to_owned(),
        r#"{"format": 1, "odoo_version": "17.0", "models": ["m.x"]}"#.to_owned(),
    );
    files.insert(
        "models/m.x.json".to_owned(),
        r#"{"name": "m.x", "fields": {"f": {"name": "f", "type": "vector"}}}"#.to_owned(),
    );
    let schema = snapshot::from_files(&files).unwrap();
    assert_eq!(schema.odoo_version, "17.0");
    assert_eq!(
        schema.models["m.x"].fields["f"].field_type,
        odoo_codegen::FieldType::Unknown("vector".into())
    );
}

/// The snapshots of the recorded dumps are exactly what the dumps produce (regenerate with
/// `cargo xtask introspect --dump testdata/<name>/schema --out testdata/<name>/snapshot`).
#[test]
fn committed_snapshots_are_up_to_date() {
    for name in ["odoo-18.0", "odoo-18.0-base"] {
        let dir = repo().join("testdata").join(name).join("snapshot");
        let committed = odoo_replay::fixtures::read_text_tree(&dir).unwrap();
        let expected = snapshot::to_files(&load(name));
        let stale: Vec<&String> = expected
            .iter()
            .filter(|(path, text)| committed.get(*path) != Some(*text))
            .map(|(path, _)| path)
            .chain(committed.keys().filter(|p| !expected.contains_key(*p)))
            .collect();
        assert!(
            stale.is_empty(),
            "testdata/{name}/snapshot is stale ({} files differ, e.g. {:?}); run \
             `cargo xtask introspect --dump testdata/{name}/schema --out testdata/{name}/snapshot`",
            stale.len(),
            &stale[..stale.len().min(5)]
        );
    }
}
