//! The committed bindings crates are exactly what `cargo xtask generate` gives from the snapshot of
//! the recorded Odoo 18.0 (the server the offline replay tests' traffic comes from):
//!
//! ```text
//! cargo xtask generate --snapshot testdata/odoo-18.0/snapshot \
//!     --models res.partner,ir.model,ir.model.fields,ir.model.access,ir.model.data,x_custom --depth 0 \
//!     --output examples/bindings --crate-name odoo-example-bindings --default-features all --workspace-member
//! cargo xtask generate --snapshot testdata/odoo-18.0/snapshot \
//!     --models sale.order,sale.order.line,product.product,crm.tag,res.partner,res.partner.category,res.country,res.lang,mail.activity \
//!     --depth 0 --output examples/sale-bindings --crate-name odoo-sale-bindings --default-features all --workspace-member
//! ```
//!
//! These tests regenerate with the same settings through `odoo-codegen` and fail, naming the files,
//! when committed bindings are stale (the generator or the snapshot changed). Run the commands
//! above to refresh them.
//!
//! `odoo-sale-bindings` is generated from the 18.0 snapshot and used against 18.0 and 19.0 servers
//! by the live tier (`tests/live/typed.rs`) and by the runtime's compile-fail tests: a last test
//! checks that every field the live tier uses has the same type and target in the 19.0 snapshot.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::read_tree;

use odoo_codegen::filter::Filter;
use odoo_codegen::generate::{DefaultFeatures, Settings, generate};
use odoo_codegen::schema::Schema;

const EXAMPLE_MODELS: [&str; 6] = [
    "res.partner",
    "ir.model",
    "ir.model.fields",
    "ir.model.access",
    "ir.model.data",
    "x_custom",
];

const SALE_MODELS: [&str; 9] = [
    "sale.order",
    "sale.order.line",
    "product.product",
    "crm.tag",
    "res.partner",
    "res.partner.category",
    "res.country",
    "res.lang",
    "mail.activity",
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A snapshot by its path from the repository root (`testdata/odoo-18.0/snapshot`,
/// `snapshots/odoo-19.0`).
fn snapshot(path: &str) -> Schema {
    let dir = repo().join(path);
    let mut files = BTreeMap::new();
    read_tree(&dir, &dir, &mut files, &[".json"]);
    odoo_codegen::snapshot::from_files(&files).unwrap()
}

/// Regenerates `models` from the 18.0 snapshot as `crate_name` and compares with `examples/<dir>`.
fn check_fresh(dir: &str, crate_name: &str, models: &[&str]) {
    let filter = Filter {
        models: models.iter().map(|m| (*m).to_owned()).collect(),
        depth: 0,
        ..Filter::default()
    };
    let (schema, _) = filter
        .apply(&snapshot("testdata/odoo-18.0/snapshot"))
        .unwrap();
    let settings = Settings::new()
        .crate_name(crate_name)
        .snapshot_label("snapshot odoo-18.0/snapshot")
        .standalone_workspace(false)
        .runtime_path("../../runtime")
        .default_features(DefaultFeatures::All);
    let generated = generate(&schema, &settings).unwrap();
    let files = generated.files.len();
    let stale = support::stale(&repo().join("examples").join(dir), generated);
    assert!(
        stale.is_empty(),
        "examples/{dir} is stale ({stale:?} differ from what generation gives now): rerun the `cargo xtask generate` command in this test's docs"
    );
    assert_eq!(
        files,
        models.len() + 2,
        "Cargo.toml, lib.rs and one file per model"
    );
}

#[test]
fn committed_bindings_are_fresh() {
    check_fresh("bindings", "odoo-example-bindings", &EXAMPLE_MODELS);
}

#[test]
fn committed_sale_bindings_are_fresh() {
    check_fresh("sale-bindings", "odoo-sale-bindings", &SALE_MODELS);
}

/// Every field the live tier's typed checks set, read, filter or group on (`tests/live/typed.rs`).
const LIVE_FIELDS: &[(&str, &[&str])] = &[
    (
        "sale.order",
        &[
            "name",
            "partner_id",
            "state",
            "amount_untaxed",
            "amount_total",
            "order_line",
            "tag_ids",
            "client_order_ref",
        ],
    ),
    (
        "sale.order.line",
        &[
            "order_id",
            "product_id",
            "name",
            "product_uom_qty",
            "price_unit",
            "price_subtotal",
        ],
    ),
    (
        "product.product",
        &["name", "list_price", "sale_ok", "type", "default_code"],
    ),
    ("crm.tag", &["name", "color"]),
    (
        "res.partner",
        &[
            "name",
            "is_company",
            "parent_id",
            "country_id",
            "category_id",
            "child_ids",
            "email",
            "city",
            "color",
        ],
    ),
    ("res.country", &["name", "code"]),
    ("res.lang", &["code", "name", "active"]),
    ("mail.activity", &["date_deadline"]),
];

/// The bindings come from the recorded 18.0 snapshot and run against the live tier's 17.0, 18.0 and
/// 19.0: each field the live tier uses must exist in each built-in snapshot with the same type,
/// target and selection keys it relies on.
#[test]
fn live_fields_are_the_same_in_every_version() {
    let old = snapshot("testdata/odoo-18.0/snapshot");
    let mut differences = Vec::new();
    for path in [
        "snapshots/odoo-17.0",
        "snapshots/odoo-18.0",
        "snapshots/odoo-19.0",
    ] {
        let new = snapshot(path);
        for (model, fields) in LIVE_FIELDS {
            for field in *fields {
                let a = &old.models[*model].fields[*field];
                let Some(b) = new.models.get(*model).and_then(|m| m.fields.get(*field)) else {
                    differences.push(format!("{model}.{field}: missing in {path}"));
                    continue;
                };
                if a.field_type != b.field_type || a.relation != b.relation {
                    differences.push(format!(
                        "{model}.{field}: {:?} → {:?} in the bindings, {:?} → {:?} in {path}",
                        a.field_type, a.relation, b.field_type, b.relation
                    ));
                }
            }
        }
        // The selection keys the live tier sends or expects exist in each.
        for (model, field, key) in [
            ("sale.order", "state", "draft"),
            ("product.product", "type", "service"),
        ] {
            let f = &new.models[model].fields[field];
            if !f.selection.iter().flatten().any(|o| o.value == key) {
                differences.push(format!("{model}.{field} has no `{key}` in {path}"));
            }
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}
