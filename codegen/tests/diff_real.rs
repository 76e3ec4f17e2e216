//! `diff` on the recorded Odoo 18.0 dumps: base + contacts (216 models) against the full install
//! (507 models: + sale, purchase, stock, crm, project, hr).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use odoo_codegen::Schema;
use odoo_codegen::diff::{ChangeKind, Impact, ModelStatus, diff};
use odoo_replay::fixtures::read_dump_tree;

fn testdata(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(rel)
}

fn load(name: &str) -> Schema {
    let files = read_dump_tree(&testdata(&format!("{name}/schema"))).unwrap();
    odoo_codegen::dump::from_dump(&files).unwrap().0
}

/// Model names and `(model, field)` pairs straight from the raw `ir.model` / `ir.model.fields` rows,
/// without the dump loader: the independent count the changelog must agree with.
/// `model -> sorted modules` straight from the raw `ir.model` rows (`modules` is a comma-separated
/// string there).
fn raw_modules(name: &str) -> BTreeMap<String, Vec<String>> {
    let files = read_dump_tree(&testdata(&format!("{name}/schema"))).unwrap();
    let models: Vec<serde_json::Value> = serde_json::from_slice(&files["ir.model.json"]).unwrap();
    models
        .iter()
        .map(|m| {
            let mut modules: Vec<String> = m["modules"]
                .as_str()
                .unwrap_or_default()
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            modules.sort();
            (m["model"].as_str().unwrap().to_owned(), modules)
        })
        .collect()
}

fn raw_names(name: &str) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let files = read_dump_tree(&testdata(&format!("{name}/schema"))).unwrap();
    let models: Vec<serde_json::Value> = serde_json::from_slice(&files["ir.model.json"]).unwrap();
    let fields: Vec<serde_json::Value> =
        serde_json::from_slice(&files["ir.model.fields.json"]).unwrap();
    let models = models
        .iter()
        .map(|m| m["model"].as_str().unwrap().to_owned())
        .collect();
    let fields = fields
        .iter()
        .map(|f| {
            (
                f["model"].as_str().unwrap().to_owned(),
                f["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (models, fields)
}

#[test]
fn base_to_full_install() {
    let (base, full) = (load("odoo-18.0-base"), load("odoo-18.0"));
    let log = diff(&base, &full);

    // Independent counts from the raw rows.
    let ((base_models, base_fields), (full_models, full_fields)) =
        (raw_names("odoo-18.0-base"), raw_names("odoo-18.0"));
    let models_added = full_models.difference(&base_models).count();
    let fields_added = full_fields
        .iter()
        .filter(|(m, f)| base_models.contains(m) && !base_fields.contains(&(m.clone(), f.clone())))
        .count();
    assert_eq!(log.summary.models_added, models_added);
    assert_eq!(log.summary.fields_added, fields_added);
    assert_eq!(
        log.summary.models_removed,
        base_models.difference(&full_models).count()
    );

    let s = log.summary;
    assert_eq!(s.models_added, 291);
    assert_eq!(s.models_removed, 0);
    // 38 models gain fields or values; 14 more are only extended by new modules.
    assert_eq!(s.models_changed, 52);
    let (base_modules, full_modules) = (raw_modules("odoo-18.0-base"), raw_modules("odoo-18.0"));
    let module_changes = base_modules
        .iter()
        .filter(|(m, mods)| full_modules.get(*m).is_some_and(|f| f != *mods))
        .count();
    assert_eq!(module_changes, 38);
    assert_eq!(s.module_changes, module_changes);
    assert_eq!(s.fields_added, 615);
    assert_eq!(s.fields_removed, 0);
    assert_eq!((s.type_changes, s.relation_changes), (0, 0));
    assert_eq!(
        (s.required_changes, s.readonly_changes, s.store_changes),
        (0, 1, 0)
    );
    assert_eq!(s.selection_values_added, 1875);
    assert_eq!(s.selection_values_removed, 0);
    assert_eq!(s.label_changes, 1);
    assert_eq!((s.rust_name_changes, s.relation_type_changes), (0, 0));
    // Installing applications removes nothing. Selection enums gain variants (model lists such as
    // `ir.filters.model_id`, `ir.ui.view.type` gaining "hierarchy"...), which is compatible because the
    // generated enums are `#[non_exhaustive]` with an `Unknown` fallback. Counted independently: values
    // new to selection fields of common models.
    let gained: usize = base
        .models
        .iter()
        .flat_map(|(m, model)| model.fields.values().map(move |f| (m, f)))
        .filter(|(_, f)| f.field_type == odoo_codegen::FieldType::Selection)
        .map(|(m, f)| {
            let had: BTreeSet<_> = f.selection.iter().flatten().map(|o| &o.value).collect();
            full.models[m].fields[&f.name]
                .selection
                .iter()
                .flatten()
                .filter(|o| !had.contains(&o.value))
                .count()
        })
        .sum();
    assert_eq!(gained, 420);
    let added_to_common = log
        .changes()
        .filter(|(_, c)| matches!(c.kind, ChangeKind::SelectionValueAdded { .. }))
        .filter(|(_, c)| c.impact == Impact::Compatible)
        .count();
    assert!(added_to_common >= gained, "{added_to_common} < {gained}");
    assert_eq!(s.breaking, 0, "{}", log.to_text());
    assert_eq!(s.does_not_compile, 0);
    assert_eq!(log.breaking().count(), 0);
    assert_eq!(log.worst_impact(), Impact::Compatible);

    // The two field-level changes of models present on both sides.
    let vat = log
        .changes()
        .find(|(m, c)| *m == "base.document.layout" && c.field.as_deref() == Some("vat"))
        .unwrap()
        .1;
    assert_eq!(
        vat.kind,
        ChangeKind::ReadonlyChanged {
            old: true,
            new: false
        }
    );
    let barcode: Vec<_> = log
        .changes()
        .filter(|(m, c)| *m == "res.users" && c.field.as_deref() == Some("barcode"))
        .map(|(_, c)| c.kind.clone())
        .collect();
    assert_eq!(
        barcode,
        [
            // With hr installed, the badge comes from the employee.
            ChangeKind::RelatedChanged {
                old: Some("partner_id.barcode".to_owned()),
                new: Some("employee_id.barcode".to_owned())
            },
            ChangeKind::LabelChanged {
                old: "Barcode".to_owned(),
                new: "Badge ID".to_owned()
            }
        ]
    );
    assert_eq!(s.related_changes, 1);
    // sale.order arrives whole, with all its fields counted on its line.
    let sale = log.models.iter().find(|m| m.model == "sale.order").unwrap();
    assert_eq!(sale.status, ModelStatus::Added);
    assert!(matches!(
        sale.changes[0].kind,
        ChangeKind::ModelAdded { fields, .. } if fields == full.models["sale.order"].fields.len()
    ));

    let text = log.to_text();
    assert!(text.ends_with(&format!("\n{}\n", log.summary_line())));
    insta::with_settings!({
        snapshot_path => "../../snapshots/diff",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("odoo-18.0-base_to_odoo-18.0", text);
    });
}

#[test]
fn full_install_to_base_is_breaking() {
    let (base, full) = (load("odoo-18.0-base"), load("odoo-18.0"));
    let log = diff(&full, &base);
    let s = log.summary;
    assert_eq!(
        (s.models_added, s.models_removed, s.models_changed),
        (0, 291, 52)
    );
    assert_eq!((s.fields_added, s.fields_removed), (0, 615));
    assert_eq!(s.selection_values_removed, 1875);
    assert_eq!(s.readonly_changes, 1);
    assert_eq!(log.worst_impact(), Impact::DoesNotCompile);

    // Which changes break, and how.
    let breaking: Vec<_> = log.breaking().collect();
    assert_eq!(breaking.len(), s.breaking);
    let count =
        |pred: &dyn Fn(&ChangeKind) -> bool| breaking.iter().filter(|(_, c)| pred(&c.kind)).count();
    assert_eq!(
        count(&|k| matches!(k, ChangeKind::ModelRemoved { .. })),
        291
    );
    assert_eq!(
        count(&|k| matches!(k, ChangeKind::FieldRemoved { .. })),
        615
    );
    assert_eq!(
        count(&|k| matches!(k, ChangeKind::ReadonlyChanged { .. })),
        1
    );
    assert_eq!(
        count(&|k| matches!(k, ChangeKind::SelectionValueRemoved { .. })),
        1875
    );
    // Every model that lost a module: `module-<name>` no longer enables it.
    assert_eq!(
        count(&|k| matches!(k, ChangeKind::ModulesChanged { .. })),
        38
    );
    assert_eq!(s.breaking, 291 + 615 + 1 + 1875 + 38);
    // Values removed from reference fields (`resource_ref` lists models) misbehave; from selection
    // fields (`ir.filters.model_id` is a selection of model names) they no longer compile.
    let resource_ref = breaking
        .iter()
        .find(|(m, c)| *m == "ir.cron" && c.field.as_deref() == Some("resource_ref"))
        .unwrap();
    assert_eq!(resource_ref.1.impact, Impact::Misbehaves);
    let filters = breaking
        .iter()
        .find(|(m, c)| *m == "ir.filters" && c.field.as_deref() == Some("model_id"))
        .unwrap();
    assert_eq!(filters.1.impact, Impact::DoesNotCompile);
    // Independently: the values that reference fields of models on both sides lose.
    let lost_reference_values: usize = base
        .models
        .iter()
        .flat_map(|(m, model)| model.fields.values().map(move |f| (m, f)))
        .filter(|(_, f)| f.field_type == odoo_codegen::FieldType::Reference)
        .map(|(m, f)| {
            let kept: BTreeSet<_> = f.selection.iter().flatten().map(|o| &o.value).collect();
            full.models[m].fields[&f.name]
                .selection
                .iter()
                .flatten()
                .filter(|o| !kept.contains(&o.value))
                .count()
        })
        .sum();
    assert!(lost_reference_values > 0);
    assert_eq!(s.breaking - s.does_not_compile, lost_reference_values);
    let text = log.to_text();
    assert!(
        text.contains("- model sale.order \"Sales Order\" ("),
        "{text}"
    );
    assert!(
        text.contains("    ~ field vat: readonly no -> yes  [BREAKING, does not compile: "),
        "{text}"
    );
}

#[test]
fn a_dump_against_itself_has_no_changes() {
    let full = load("odoo-18.0");
    let log = diff(&full, &full);
    assert!(log.is_empty());
    assert_eq!(log.to_text(), "no changes\n");
}

#[test]
fn json_of_the_real_diff_parses_back() {
    let (base, full) = (load("odoo-18.0-base"), load("odoo-18.0"));
    let log = diff(&full, &base);
    let json = log.to_json().unwrap();
    let back: odoo_codegen::diff::Changelog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["summary"]["models_removed"], 291);
    assert_eq!(value["models"].as_array().unwrap().len(), 291 + 52);
}
