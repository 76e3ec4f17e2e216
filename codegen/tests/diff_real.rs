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
    // Nothing stops old code compiling. What misbehaves: required fields the applications add to
    // models of the base install (settings, company), which a `create` of old code leaves unset:
    // refused unless the server has a default, which the schema does not record. Counted
    // independently: required, creatable fields new to a base model.
    let required_added = full
        .models
        .iter()
        .filter_map(|(m, model)| Some((base.models.get(m)?, model)))
        .flat_map(|(old, new)| {
            new.fields
                .values()
                .filter(move |f| !old.fields.contains_key(&f.name))
        })
        .filter(|f| f.required && f.is_creatable())
        .count();
    assert_eq!(required_added, 12);
    assert_eq!(s.does_not_compile, 0);
    assert_eq!(s.misbehaves, required_added, "{}", log.to_text());
    assert_eq!(s.breaking, required_added);
    assert_eq!(s.compatible + s.breaking, log.changes().count());
    for (_, c) in log.breaking() {
        assert!(
            matches!(c.kind, ChangeKind::FieldAdded { required: true, .. }),
            "{c:?}"
        );
        assert!(
            c.reason.contains("unless the server has a default"),
            "{c:?}"
        );
    }
    assert_eq!(log.worst_impact(), Impact::Misbehaves);

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
            },
            ChangeKind::HelpChanged {
                old: Some("Use a barcode to identify this contact.".to_owned()),
                new: Some("ID used for employee identification.".to_owned())
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

/// The base install, and a copy of it edited by `edit`, diffed: the changes of `model`.
fn edited_base(edit: impl FnOnce(&mut Schema)) -> odoo_codegen::diff::Changelog {
    let base = load("odoo-18.0-base");
    let mut new = base.clone();
    edit(&mut new);
    diff(&base, &new)
}

fn base_field<'a>(s: &'a mut Schema, model: &str, field: &str) -> &'a mut odoo_codegen::Field {
    s.models
        .get_mut(model)
        .and_then(|m| m.fields.get_mut(field))
        .unwrap()
}

#[test]
fn a_selection_key_changing_case_keeps_its_variant_and_misbehaves() {
    let log = edited_base(|s| {
        let options = base_field(s, "res.partner", "type")
            .selection
            .as_mut()
            .unwrap();
        let other = options.iter_mut().find(|o| o.value == "other").unwrap();
        other.value = "Other".to_owned();
    });
    let changes: Vec<_> = log.changes().map(|(_, c)| c).collect();
    assert_eq!(changes.len(), 2, "{log}");
    let removed = changes
        .iter()
        .find(|c| matches!(c.kind, ChangeKind::SelectionValueRemoved { .. }))
        .unwrap();
    // `Type::Other` now stands for "Other": old code compiles and sends the new key.
    assert_eq!(removed.impact, Impact::Misbehaves, "{log}");
    assert!(removed.reason.contains("`Other`"), "{}", removed.reason);
    assert_eq!(log.summary.does_not_compile, 0);
    assert_eq!(log.summary.misbehaves, 1);
}

#[test]
fn a_model_renamed_to_the_same_rust_names_misbehaves() {
    let log = edited_base(|s| {
        let mut m = s.models.remove("res.partner.industry").unwrap();
        m.name = "res.partner_industry".to_owned();
        s.models.insert(m.name.clone(), m);
        for model in s.models.values_mut() {
            for f in model.fields.values_mut() {
                if f.relation.as_deref() == Some("res.partner.industry") {
                    f.relation = Some("res.partner_industry".to_owned());
                }
            }
        }
    });
    let removed = log
        .changes()
        .find(|(m, _)| *m == "res.partner.industry")
        .unwrap()
        .1;
    assert!(matches!(removed.kind, ChangeKind::ModelRemoved { .. }));
    assert_eq!(removed.impact, Impact::Misbehaves, "{log}");
    assert!(
        removed.reason.contains("`ResPartnerIndustry`")
            && removed.reason.contains("res.partner_industry"),
        "{}",
        removed.reason
    );
    // Relations to it keep their id type `Id<ResPartnerIndustry>`: they compile too.
    let relations: Vec<_> = log
        .changes()
        .filter(|(_, c)| matches!(c.kind, ChangeKind::RelationChanged { .. }))
        .collect();
    assert!(!relations.is_empty());
    for (_, c) in &relations {
        assert_eq!(c.impact, Impact::Misbehaves, "{c:?}");
    }
    assert_eq!(log.summary.does_not_compile, 0, "{log}");
}

#[test]
fn required_on_a_field_create_cannot_set_is_compatible() {
    let log = edited_base(|s| base_field(s, "res.partner", "display_name").required = true);
    let (_, c) = log.changes().next().unwrap();
    assert!(matches!(
        c.kind,
        ChangeKind::RequiredChanged { new: true, .. }
    ));
    assert_eq!(c.impact, Impact::Compatible, "{log}");
    assert!(c.reason.contains("cannot set"), "{}", c.reason);
    // A stored, writable one still misbehaves.
    let log = edited_base(|s| base_field(s, "res.partner", "email").required = true);
    assert_eq!(log.changes().next().unwrap().1.impact, Impact::Misbehaves);
}

#[test]
fn a_new_required_field_misbehaves_like_required_turned_on() {
    let log = edited_base(|s| {
        let mut f = base_field(s, "res.partner", "ref").clone();
        f.name = "x_customer_code".to_owned();
        f.required = true;
        s.models
            .get_mut("res.partner")
            .unwrap()
            .fields
            .insert(f.name.clone(), f);
    });
    let (_, c) = log.changes().next().unwrap();
    assert!(matches!(
        c.kind,
        ChangeKind::FieldAdded { required: true, .. }
    ));
    assert_eq!(c.impact, Impact::Misbehaves);
    assert!(c.reason.contains("unless the server has a default"));
}

#[test]
fn attribute_and_documentation_changes_are_reported() {
    let log = edited_base(|s| {
        base_field(s, "res.partner", "email").help = Some("New help text".to_owned());
        base_field(s, "res.partner", "email").company_dependent = true;
        base_field(s, "res.partner", "email").custom = true;
        base_field(s, "res.partner", "function").translate = true;
        let industry = s.models.get_mut("res.partner.industry").unwrap();
        industry.transient = true;
        industry.info = Some("changed".to_owned());
        industry.order = Some("id desc".to_owned());
        industry.custom = true;
    });
    let kinds: Vec<_> = log
        .changes()
        .map(|(m, c)| {
            let json = serde_json::to_value(c).unwrap();
            (
                m.to_owned(),
                c.field.clone(),
                json["kind"].as_str().unwrap().to_owned(),
                c.impact,
                c.reason.clone(),
            )
        })
        .collect();
    let find = |kind: &str, field: Option<&str>| {
        kinds
            .iter()
            .find(|k| k.2 == kind && k.1.as_deref() == field)
            .unwrap_or_else(|| panic!("no {kind} on {field:?}: {log}"))
            .clone()
    };
    let help = find("help_changed", Some("email"));
    assert_eq!(help.3, Impact::Compatible);
    assert!(help.4.contains("documentation only"));
    let info = find("info_changed", None);
    assert!(info.4.contains("documentation only"));
    assert_eq!(find("custom_changed", Some("email")).3, Impact::Compatible);
    assert_eq!(find("custom_changed", None).3, Impact::Compatible);
    assert_eq!(find("order_changed", None).3, Impact::Compatible);
    let company = find("company_dependent_changed", Some("email"));
    assert_eq!(company.3, Impact::Compatible);
    assert!(company.4.contains("company"));
    let translate = find("translate_changed", Some("function"));
    assert_eq!(translate.3, Impact::Compatible);
    assert!(translate.4.contains("language"));
    // A wizard's records are vacuumed and private to their creator.
    assert_eq!(find("transient_changed", None).3, Impact::Misbehaves);
    let s = log.summary;
    assert_eq!((s.documentation_changes, s.attribute_changes), (2, 6));
    assert_eq!(s.misbehaves, 1);
    assert_eq!(s.compatible, 7);
    let text = log.to_text();
    for line in [
        "    ~ field email: help added: \"New help text\"\n",
        "    ~ field email: company dependent no -> yes\n",
        "    ~ field function: translated no -> yes\n",
        "    ~ model: transient no -> yes  [BREAKING, misbehaves: ",
        " -> \"id desc\"\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn a_selection_label_change_names_label_fn() {
    let log = edited_base(|s| {
        base_field(s, "res.partner", "type")
            .selection
            .as_mut()
            .unwrap()[0]
            .label = "Contact person".to_owned();
    });
    let (_, c) = log.changes().next().unwrap();
    assert!(matches!(c.kind, ChangeKind::SelectionLabelChanged { .. }));
    assert_eq!(c.impact, Impact::Compatible);
    assert!(
        c.reason.contains("`label()` returns the new text"),
        "{}",
        c.reason
    );
    let json: serde_json::Value = serde_json::from_str(&log.to_json().unwrap()).unwrap();
    assert_eq!(json["summary"]["compatible"], 1);
    assert_eq!(json["summary"]["misbehaves"], 0);
    assert_eq!(json["warnings"], serde_json::json!([]));
    let with = log.with_warnings(["res.partner: fields_get missing".to_owned()]);
    let json: serde_json::Value = serde_json::from_str(&with.to_json().unwrap()).unwrap();
    assert_eq!(json["warnings"][0], "res.partner: fields_get missing");
}
