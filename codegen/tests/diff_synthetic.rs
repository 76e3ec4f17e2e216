//! `diff` on synthetic schemas built in code: one case per change kind, with its impact.

use std::collections::BTreeMap;

use odoo_codegen::diff::{Change, ChangeKind, Changelog, Impact, ModelStatus, diff};
use odoo_codegen::{Field, FieldType, Model, Schema, SelectionOption};

fn field(name: &str, field_type: FieldType) -> Field {
    Field {
        name: name.to_owned(),
        field_type,
        label: name.replace('_', " "),
        store: true,
        ..Field::default()
    }
}

fn option(value: &str, label: &str) -> SelectionOption {
    SelectionOption {
        value: value.to_owned(),
        label: label.to_owned(),
    }
}

fn model(name: &str, description: &str, fields: Vec<Field>) -> Model {
    Model {
        name: name.to_owned(),
        description: description.to_owned(),
        modules: vec!["base".to_owned()],
        fields: fields.into_iter().map(|f| (f.name.clone(), f)).collect(),
        ..Model::default()
    }
}

/// Two models, one field of every interesting shape.
fn base() -> Schema {
    let mut partner_id = field("partner_id", FieldType::Many2one);
    partner_id.relation = Some("res.partner".to_owned());
    let mut child_ids = field("child_ids", FieldType::One2many);
    child_ids.relation = Some("res.partner".to_owned());
    child_ids.inverse = Some("parent_id".to_owned());
    let mut state = field("state", FieldType::Selection);
    state.selection = Some(vec![option("draft", "Draft"), option("done", "Done")]);
    let mut res_ref = field("res_ref", FieldType::Reference);
    res_ref.selection = Some(vec![
        option("res.partner", "Contact"),
        option("res.users", "User"),
    ]);
    let mut untyped_id = field("untyped_id", FieldType::Many2one);
    untyped_id.relation = Some("not.in.schema".to_owned());
    let mut name = field("name", FieldType::Char);
    name.required = true;
    let mut display_name = field("display_name", FieldType::Char);
    display_name.readonly = true;
    display_name.store = false;
    let partner = model(
        "res.partner",
        "Contact",
        vec![
            field("amount", FieldType::Float),
            child_ids,
            display_name,
            name,
            field("note", FieldType::Text),
            partner_id,
            field("payload", FieldType::Json),
            field("qty", FieldType::Integer),
            res_ref,
            state,
            untyped_id,
        ],
    );
    let users = model("res.users", "User", vec![field("login", FieldType::Char)]);
    Schema {
        odoo_version: "18.0".to_owned(),
        models: BTreeMap::from([(partner.name.clone(), partner), (users.name.clone(), users)]),
    }
}

fn partner_model(schema: &mut Schema) -> &mut Model {
    schema.models.get_mut("res.partner").unwrap()
}

fn partner_field<'a>(schema: &'a mut Schema, name: &str) -> &'a mut Field {
    schema
        .models
        .get_mut("res.partner")
        .and_then(|m| m.fields.get_mut(name))
        .unwrap()
}

/// Diffs `base()` against `base()` changed by `edit`, and returns its only change.
fn single_change(edit: impl FnOnce(&mut Schema)) -> (String, Change, Changelog) {
    let old = base();
    let mut new = base();
    edit(&mut new);
    let log = diff(&old, &new);
    let changes: Vec<_> = log.changes().collect();
    assert_eq!(changes.len(), 1, "expected one change, got {changes:#?}");
    let (model, change) = changes[0];
    (model.to_owned(), change.clone(), log.clone())
}

#[test]
fn identical_schemas_have_no_changes() {
    let log = diff(&base(), &base());
    assert!(log.is_empty());
    assert_eq!(log.to_text(), "no changes\n");
    assert_eq!(log.worst_impact(), Impact::Compatible);
    assert_eq!(log.summary, Default::default());
    assert_eq!(log.breaking().count(), 0);
}

#[test]
fn model_added_and_removed() {
    let (name, c, log) = single_change(|s| {
        s.models.insert(
            "crm.lead".to_owned(),
            model(
                "crm.lead",
                "Lead",
                vec![field("a", FieldType::Char), field("b", FieldType::Char)],
            ),
        );
    });
    assert_eq!(name, "crm.lead");
    assert_eq!(log.models[0].status, ModelStatus::Added);
    assert_eq!(
        c.kind,
        ChangeKind::ModelAdded {
            description: "Lead".to_owned(),
            fields: 2
        }
    );
    assert_eq!(c.impact, Impact::Compatible);
    assert_eq!(log.summary.models_added, 1);
    assert_eq!(
        log.summary.fields_added, 0,
        "fields of new models are not counted"
    );
    assert!(
        log.to_text()
            .contains("+ model crm.lead \"Lead\" (2 fields)\n")
    );

    let (name, c, log) = single_change(|s| {
        s.models.remove("res.users");
    });
    assert_eq!(name, "res.users");
    assert_eq!(log.models[0].status, ModelStatus::Removed);
    assert!(matches!(c.kind, ChangeKind::ModelRemoved { fields: 1, .. }));
    assert_eq!(c.impact, Impact::DoesNotCompile);
    assert_eq!(log.summary.models_removed, 1);
    assert_eq!(log.summary.breaking, 1);
    assert_eq!(log.summary.does_not_compile, 1);
    assert!(
        log.to_text()
            .contains("- model res.users \"User\" (1 fields)  [BREAKING, does not compile: ")
    );
}

#[test]
fn model_label_change_is_compatible() {
    let (_, c, log) = single_change(|s| {
        s.models.get_mut("res.users").unwrap().description = "Users".to_owned();
    });
    assert_eq!(
        c.kind,
        ChangeKind::ModelLabelChanged {
            old: "User".to_owned(),
            new: "Users".to_owned()
        }
    );
    assert_eq!(c.field, None);
    assert_eq!(c.impact, Impact::Compatible);
    assert_eq!(log.models[0].status, ModelStatus::Changed);
    assert_eq!(log.summary.label_changes, 1);
    assert_eq!(log.summary.models_changed, 1);
}

#[test]
fn field_added_and_removed() {
    let (_, c, log) = single_change(|s| {
        let mut f = field("vat", FieldType::Char);
        f.required = true;
        s.models
            .get_mut("res.partner")
            .unwrap()
            .fields
            .insert("vat".to_owned(), f);
    });
    assert_eq!(c.field.as_deref(), Some("vat"));
    assert!(matches!(
        c.kind,
        ChangeKind::FieldAdded {
            field_type: FieldType::Char,
            required: true,
            ..
        }
    ));
    // Like required false -> true: a create of old code leaves it unset, refused unless the server
    // has a default (the schema does not record defaults).
    assert_eq!(c.impact, Impact::Misbehaves);
    assert!(
        c.reason.contains("unless the server has a default"),
        "{c:?}"
    );
    assert_eq!(log.summary.fields_added, 1);
    assert_eq!((log.summary.misbehaves, log.summary.breaking), (1, 1));
    assert!(log.to_text().contains(
        "~ model res.partner\n    + field vat: char \"vat\", required  [BREAKING, misbehaves: "
    ));

    // An optional field, or a required one `create` cannot set (computed, not stored), is compatible.
    for readonly_computed in [false, true] {
        let (_, c, _) = single_change(|s| {
            let mut f = field("vat", FieldType::Char);
            f.required = readonly_computed;
            f.readonly = readonly_computed;
            f.store = !readonly_computed;
            partner_model(s).fields.insert("vat".to_owned(), f);
        });
        assert_eq!(c.impact, Impact::Compatible, "{c:?}");
    }

    let (_, c, log) = single_change(|s| {
        s.models
            .get_mut("res.partner")
            .unwrap()
            .fields
            .remove("partner_id");
    });
    assert_eq!(
        c.kind,
        ChangeKind::FieldRemoved {
            field_type: FieldType::Many2one,
            relation: Some("res.partner".to_owned()),
            label: "partner id".to_owned()
        }
    );
    assert_eq!(c.impact, Impact::DoesNotCompile);
    assert_eq!(log.summary.fields_removed, 1);
    assert!(
        log.to_text()
            .contains("    - field partner_id: many2one -> res.partner \"partner id\"  [BREAKING")
    );
}

#[test]
fn type_changes_break_unless_the_rust_type_is_the_same() {
    let cases = [
        ("note", FieldType::Html, Impact::Compatible),
        ("note", FieldType::Char, Impact::Compatible),
        ("amount", FieldType::Monetary, Impact::Compatible),
        ("amount", FieldType::Integer, Impact::DoesNotCompile),
        ("qty", FieldType::Float, Impact::DoesNotCompile),
        ("note", FieldType::Selection, Impact::DoesNotCompile),
        ("payload", FieldType::Properties, Impact::Misbehaves),
        (
            "payload",
            FieldType::Unknown("vector".to_owned()),
            Impact::Misbehaves,
        ),
        ("payload", FieldType::Char, Impact::DoesNotCompile),
    ];
    for (name, new_type, impact) in cases {
        let (_, c, log) = single_change(|s| {
            partner_field(s, name).field_type = new_type.clone();
        });
        let old_type = partner_field(&mut base(), name).field_type.clone();
        assert_eq!(
            c.kind,
            ChangeKind::TypeChanged {
                old: old_type.clone(),
                new: new_type.clone()
            }
        );
        assert_eq!(c.impact, impact, "{name}: {old_type} -> {new_type}");
        assert_eq!(log.summary.type_changes, 1);
        assert!(
            log.to_text()
                .contains(&format!("~ field {name}: type {old_type} -> {new_type}"))
        );
    }
}

#[test]
fn relational_type_change_reports_type_and_relation_but_no_selection() {
    let old = base();
    let mut new = base();
    let f = partner_field(&mut new, "partner_id");
    f.field_type = FieldType::Many2many;
    f.relation = Some("res.users".to_owned());
    // A type change away from selection: its values are not reported one by one.
    let s = partner_field(&mut new, "state");
    s.field_type = FieldType::Char;
    s.selection = None;
    let log = diff(&old, &new);
    let kinds: Vec<_> = log
        .changes()
        .map(|(_, c)| (c.field.clone().unwrap(), c.impact, c.kind.clone()))
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:#?}");
    assert!(matches!(kinds[0].2, ChangeKind::TypeChanged { .. }));
    assert!(matches!(kinds[1].2, ChangeKind::RelationChanged { .. }));
    assert_eq!(kinds[2].0, "state");
    assert!(matches!(kinds[2].2, ChangeKind::TypeChanged { .. }));
    assert_eq!(log.summary.selection_values_removed, 0);
}

#[test]
fn relation_target_change() {
    let (_, c, log) = single_change(|s| {
        partner_field(s, "child_ids").relation = Some("res.users".to_owned());
    });
    assert_eq!(
        c.kind,
        ChangeKind::RelationChanged {
            old: Some("res.partner".to_owned()),
            new: Some("res.users".to_owned())
        }
    );
    assert_eq!(c.impact, Impact::DoesNotCompile);
    assert_eq!(log.summary.relation_changes, 1);
    assert!(
        log.to_text()
            .contains("~ field child_ids: relation res.partner -> res.users  [BREAKING")
    );

    // Neither target is a model of its schema: untyped ids on both sides, same Rust type.
    let (_, c, _) = single_change(|s| {
        partner_field(s, "untyped_id").relation = Some("other.missing".to_owned());
    });
    assert!(matches!(c.kind, ChangeKind::RelationChanged { .. }));
    assert_eq!(c.impact, Impact::Misbehaves);
}

#[test]
fn required_flips() {
    let (_, c, log) = single_change(|s| partner_field(s, "note").required = true);
    assert_eq!(
        c.kind,
        ChangeKind::RequiredChanged {
            old: false,
            new: true
        }
    );
    assert_eq!(c.impact, Impact::Misbehaves);
    assert_eq!(log.summary.required_changes, 1);
    assert_eq!(log.summary.breaking, 1);
    assert_eq!(log.summary.does_not_compile, 0);
    assert!(
        log.to_text()
            .contains("~ field note: required no -> yes  [BREAKING, misbehaves: ")
    );
    assert!(
        log.to_text()
            .contains("1 breaking (0 do not compile, 1 misbehave)")
    );

    let (_, c, _) = single_change(|s| partner_field(s, "name").required = false);
    assert_eq!(c.impact, Impact::Compatible);
}

#[test]
fn readonly_flips() {
    let (_, c, log) = single_change(|s| partner_field(s, "note").readonly = true);
    assert_eq!(
        c.kind,
        ChangeKind::ReadonlyChanged {
            old: false,
            new: true
        }
    );
    assert_eq!(c.impact, Impact::DoesNotCompile);
    assert_eq!(log.summary.readonly_changes, 1);

    let (_, c, _) = single_change(|s| partner_field(s, "display_name").readonly = false);
    assert_eq!(c.impact, Impact::Compatible);
}

#[test]
fn store_flips() {
    let (_, c, log) = single_change(|s| partner_field(s, "note").store = false);
    assert_eq!(
        c.kind,
        ChangeKind::StoreChanged {
            old: true,
            new: false
        }
    );
    assert_eq!(c.impact, Impact::Misbehaves);
    assert_eq!(log.summary.store_changes, 1);

    let (_, c, _) = single_change(|s| partner_field(s, "display_name").store = true);
    assert_eq!(c.impact, Impact::Compatible);
}

#[test]
fn selection_values() {
    let (_, c, log) = single_change(|s| {
        partner_field(s, "state")
            .selection
            .as_mut()
            .unwrap()
            .push(option("cancel", "Cancelled"));
    });
    assert_eq!(
        c.kind,
        ChangeKind::SelectionValueAdded {
            value: "cancel".to_owned(),
            label: "Cancelled".to_owned()
        }
    );
    // A new variant of a `#[non_exhaustive]` enum with an `Unknown` fallback: compatible.
    assert_eq!(c.impact, Impact::Compatible);
    assert_eq!(log.summary.selection_values_added, 1);
    assert_eq!(log.summary.breaking, 0);
    let text = log.to_text();
    assert!(
        text.contains("    + selection state: \"cancel\" (\"Cancelled\")"),
        "{text}"
    );
    assert!(!text.contains("BREAKING"), "{text}");

    let (_, c, log) = single_change(|s| {
        partner_field(s, "state").selection = Some(vec![option("draft", "Draft")]);
    });
    assert_eq!(
        c.kind,
        ChangeKind::SelectionValueRemoved {
            value: "done".to_owned(),
            label: "Done".to_owned()
        }
    );
    assert_eq!(c.impact, Impact::DoesNotCompile);
    assert_eq!(log.summary.selection_values_removed, 1);

    // Reordering values is no change.
    let log = {
        let mut new = base();
        partner_field(&mut new, "state")
            .selection
            .as_mut()
            .unwrap()
            .reverse();
        diff(&base(), &new)
    };
    assert!(log.is_empty(), "{log}");

    let (_, c, log) = single_change(|s| {
        partner_field(s, "state").selection.as_mut().unwrap()[0].label = "Quotation".to_owned();
    });
    assert_eq!(
        c.kind,
        ChangeKind::SelectionLabelChanged {
            value: "draft".to_owned(),
            old: "Draft".to_owned(),
            new: "Quotation".to_owned()
        }
    );
    assert_eq!(c.impact, Impact::Compatible);
    assert_eq!(log.summary.label_changes, 1);

    // A reference field's values are model names, not enum variants.
    let (_, c, _) = single_change(|s| {
        partner_field(s, "res_ref").selection = Some(vec![option("res.partner", "Contact")]);
    });
    assert!(matches!(c.kind, ChangeKind::SelectionValueRemoved { .. }));
    assert_eq!(c.impact, Impact::Misbehaves);
}

#[test]
fn field_label_change_is_compatible() {
    let (_, c, log) = single_change(|s| partner_field(s, "qty").label = "Quantity".to_owned());
    assert_eq!(
        c.kind,
        ChangeKind::LabelChanged {
            old: "qty".to_owned(),
            new: "Quantity".to_owned()
        }
    );
    assert_eq!(c.impact, Impact::Compatible);
    assert_eq!(log.summary.label_changes, 1);
    assert!(
        log.to_text()
            .contains("    ~ field qty: label \"qty\" -> \"Quantity\"\n")
    );
}

#[test]
fn attributes_outside_the_changelog_are_ignored() {
    // A field's module list reaches neither the bindings nor the server's behaviour.
    let log = {
        let mut new = base();
        partner_field(&mut new, "note").modules = vec!["crm".to_owned()];
        diff(&base(), &new)
    };
    assert!(log.is_empty(), "{log}");
}

#[test]
fn version_change_is_shown_but_is_no_model_change() {
    let mut new = base();
    new.odoo_version = "19.0".to_owned();
    let log = diff(&base(), &new);
    assert!(log.is_empty());
    assert_eq!(log.old_version, "18.0");
    assert_eq!(log.new_version, "19.0");
    assert_eq!(
        log.to_text(),
        "Odoo version: \"18.0\" -> \"19.0\"\nno changes\n"
    );
}

/// One schema holding every change kind at once, compared in both directions.
fn everything() -> (Schema, Schema) {
    let old = base();
    let mut new = base();
    new.models.remove("res.users");
    new.models.insert(
        "crm.lead".to_owned(),
        model("crm.lead", "Lead", vec![field("a", FieldType::Char)]),
    );
    let partner = new.models.get_mut("res.partner").unwrap();
    partner.description = "Partner".to_owned();
    partner.fields.remove("qty");
    partner
        .fields
        .insert("vat".to_owned(), field("vat", FieldType::Char));
    partner_field(&mut new, "amount").field_type = FieldType::Integer;
    partner_field(&mut new, "child_ids").relation = Some("crm.lead".to_owned());
    let note = partner_field(&mut new, "note");
    note.required = true;
    note.readonly = true;
    note.store = false;
    note.label = "Notes".to_owned();
    partner_field(&mut new, "state").selection =
        Some(vec![option("draft", "Quotation"), option("sent", "Sent")]);
    (old, new)
}

#[test]
fn every_kind_at_once_and_reversed() {
    let (old, new) = everything();
    let log = diff(&old, &new);
    let s = log.summary;
    assert_eq!(
        (s.models_added, s.models_removed, s.models_changed),
        (1, 1, 1)
    );
    assert_eq!((s.fields_added, s.fields_removed), (1, 1));
    assert_eq!((s.type_changes, s.relation_changes), (1, 1));
    assert_eq!(
        (s.required_changes, s.readonly_changes, s.store_changes),
        (1, 1, 1)
    );
    assert_eq!(
        (s.selection_values_added, s.selection_values_removed),
        (1, 1)
    );
    assert_eq!(s.label_changes, 3);
    // Breaking: model removed, field removed, type, relation, required, readonly, store, value
    // removed (a value added is compatible: the enums are `#[non_exhaustive]`). `note` becoming
    // readonly and not stored leaves both value types: its store flip no longer compiles either.
    assert_eq!(s.breaking, 8);
    assert_eq!(s.does_not_compile, 7);
    assert_eq!(log.breaking().count(), 8);
    assert_eq!(log.worst_impact(), Impact::DoesNotCompile);
    // Models in name order, model-level changes before field changes, fields in name order.
    let order: Vec<_> = log.models.iter().map(|m| m.model.as_str()).collect();
    assert_eq!(order, ["crm.lead", "res.partner", "res.users"]);
    let partner = &log.models[1];
    assert_eq!(partner.changes[0].field, None);
    let fields: Vec<_> = partner.changes[1..]
        .iter()
        .map(|c| c.field.as_deref().unwrap())
        .collect();
    let mut sorted = fields.clone();
    sorted.sort();
    assert_eq!(fields, sorted);
    assert!(
        log.to_text()
            .ends_with(&format!("\n\n{}\n", log.summary_line()))
    );
    assert!(log.summary_line().starts_with(
        "Summary: 1 models added, 1 removed, 1 changed; 1 fields added, 1 removed; 1 type changes"
    ));

    // The reverse swaps added and removed, and flips every flag back.
    let back = diff(&new, &old);
    let b = back.summary;
    assert_eq!(
        (b.models_added, b.models_removed, b.models_changed),
        (1, 1, 1)
    );
    assert_eq!((b.fields_added, b.fields_removed), (1, 1));
    assert_eq!(
        (b.selection_values_added, b.selection_values_removed),
        (1, 1)
    );
    // Breaking backwards: model removed, field removed, type, relation, value removed.
    assert_eq!(b.breaking, 5);
    let removed_model: Vec<_> = back
        .breaking()
        .filter(|(_, c)| matches!(c.kind, ChangeKind::ModelRemoved { .. }))
        .map(|(m, _)| m)
        .collect();
    assert_eq!(removed_model, ["crm.lead"]);
}

#[test]
fn json_round_trips_and_has_a_stable_shape() {
    let (old, new) = everything();
    let log = diff(&old, &new);
    let json = log.to_json().unwrap();
    let back: Changelog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);

    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["old_version"], "18.0");
    assert_eq!(value["summary"]["breaking"], 8);
    let partner = &value["models"][1];
    assert_eq!(partner["model"], "res.partner");
    assert_eq!(partner["status"], "changed");
    let amount = partner["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "amount")
        .unwrap();
    assert_eq!(amount["kind"], "type_changed");
    assert_eq!(amount["old"], "float");
    assert_eq!(amount["new"], "integer");
    assert_eq!(amount["impact"], "does_not_compile");
    assert!(amount["reason"].as_str().unwrap().contains("Rust type"));
    // Model-level changes carry no field key at all.
    assert!(partner["changes"][0].get("field").is_none());
    assert_eq!(partner["changes"][0]["kind"], "model_label_changed");
}

#[test]
fn text_escapes_labels() {
    let (_, _, log) = single_change(|s| {
        partner_field(s, "qty").label = "Line\nbreak \"quoted\"".to_owned();
    });
    let text = log.to_text();
    assert!(
        text.contains(r#"~ field qty: label "qty" -> "Line\nbreak \"quoted\"""#),
        "{text}"
    );
    // One line per change, whatever the labels hold: the class, the model, the change, a blank
    // line, the summary.
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[test]
fn selection_values_of_one_field_share_one_line() {
    let old = base();
    let mut new = base();
    let extra: Vec<_> = (0..12)
        .map(|i| option(&format!("c{i:02}"), &format!("V{i}")))
        .collect();
    partner_field(&mut new, "state")
        .selection
        .as_mut()
        .unwrap()
        .extend(extra);
    // And two values gone, both breaking: one line with the marker, in the section before the
    // added ones (what breaks first).
    partner_field(&mut new, "state")
        .selection
        .as_mut()
        .unwrap()
        .drain(..2);
    let log = diff(&old, &new);
    assert_eq!(log.summary.selection_values_added, 12);
    assert_eq!(log.summary.selection_values_removed, 2);
    // Added values are new variants of a `#[non_exhaustive]` enum: compatible.
    assert_eq!(log.summary.breaking, 2);
    let text = log.to_text();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "=== Does not compile: 2 changes in 1 model ===");
    assert_eq!(
        lines[2],
        "    - selection state: 2 values removed: \"done\" (\"Done\"), \"draft\" (\"Draft\")  \
         [BREAKING, does not compile: its enum variant is gone]"
    );
    assert_eq!(lines[4], "=== Compatible: 12 changes in 1 model ===");
    assert!(
        lines[6].starts_with("    + selection state: 12 values added: \"c00\" (\"V0\"), \"c01\""),
        "{text}"
    );
    assert!(
        lines[6].ends_with("\"c09\" (\"V9\"), ... (2 more in --format json)"),
        "{text}"
    );
    assert_eq!(lines.len(), 9, "{text}");
}

#[test]
fn a_model_taking_an_existing_type_name_renames_it() {
    // `x_foo.bar` and `x_foo_bar` both want `XFooBar`; the smaller name (`.` < `_`) wins it.
    let mut old = base();
    old.models.insert(
        "x_foo_bar".to_owned(),
        model(
            "x_foo_bar",
            "Foo bar",
            vec![field("x_name", FieldType::Char)],
        ),
    );
    let mut new = old.clone();
    new.models.insert(
        "x_foo.bar".to_owned(),
        model(
            "x_foo.bar",
            "Foo.bar",
            vec![field("x_name", FieldType::Char)],
        ),
    );
    let log = diff(&old, &new);
    let changes: Vec<_> = log.changes().collect();
    assert_eq!(changes.len(), 3, "{changes:#?}");
    assert_eq!(changes[0].0, "x_foo.bar");
    assert!(matches!(changes[0].1.kind, ChangeKind::ModelAdded { .. }));
    assert_eq!(changes[1].0, "x_foo_bar");
    assert_eq!(
        changes[1].1.kind,
        ChangeKind::RustNameChanged {
            item: "type".to_owned(),
            old: "XFooBar".to_owned(),
            new: "XFooBar2".to_owned()
        }
    );
    // `XFooBar` now names the newcomer: old code may compile against the wrong model.
    assert_eq!(changes[1].1.impact, Impact::Misbehaves);
    // Its module (and feature) too: both want `x_foo_bar`, and the smaller name wins.
    assert_eq!(
        changes[2].1.kind,
        ChangeKind::RustNameChanged {
            item: "module".to_owned(),
            old: "x_foo_bar".to_owned(),
            new: "x_foo_bar_2".to_owned()
        },
        "{}",
        log.to_text()
    );
}

#[test]
fn a_field_taking_an_existing_identifier_renames_it() {
    let mut old = base();
    let partner = old.models.get_mut("res.partner").unwrap();
    partner
        .fields
        .insert("x_Name".to_owned(), field("x_Name", FieldType::Char));
    let mut new = old.clone();
    // `x_name` needs no change, so it takes `x_name` from `x_Name`.
    new.models
        .get_mut("res.partner")
        .unwrap()
        .fields
        .insert("x_name".to_owned(), field("x_name", FieldType::Char));
    let log = diff(&old, &new);
    let changes: Vec<_> = log.changes().map(|(_, c)| c.clone()).collect();
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_eq!(changes[0].field.as_deref(), Some("x_Name"));
    assert_eq!(
        changes[0].kind,
        ChangeKind::RustNameChanged {
            item: "field".to_owned(),
            old: "x_name".to_owned(),
            new: "x_name_2".to_owned()
        }
    );
    // `x_name` is still a member, now of the other field: old code compiles and reads `x_name`.
    assert_eq!(changes[0].impact, Impact::Misbehaves);
    assert!(matches!(changes[1].kind, ChangeKind::FieldAdded { .. }));
    assert_eq!(log.summary.rust_name_changes, 1);
    assert!(log.to_text().contains(
        "    ~ field x_Name: Rust field name x_name -> x_name_2  [BREAKING, misbehaves: "
    ));
}

#[test]
fn a_selection_key_taking_an_existing_variant_renames_it() {
    let mut old = base();
    partner_field(&mut old, "state")
        .selection
        .as_mut()
        .unwrap()
        .push(option("a_b", "A B"));
    let mut new = old.clone();
    // `a-b` and `a_b` both want `AB`; neither is unchanged, so the smaller key (`-` < `_`) wins.
    partner_field(&mut new, "state")
        .selection
        .as_mut()
        .unwrap()
        .push(option("a-b", "A-B"));
    let log = diff(&old, &new);
    let renames: Vec<_> = log
        .changes()
        .filter(|(_, c)| matches!(c.kind, ChangeKind::RustNameChanged { .. }))
        .map(|(_, c)| c.kind.clone())
        .collect();
    assert_eq!(
        renames,
        [ChangeKind::RustNameChanged {
            item: "variant \"a_b\"".to_owned(),
            old: "AB".to_owned(),
            new: "AB2".to_owned()
        }]
    );
    assert_eq!(log.summary.selection_values_added, 1);
}

#[test]
fn a_relation_target_entering_the_schema_types_its_ids() {
    let old = base();
    let mut new = base();
    new.models.insert(
        "not.in.schema".to_owned(),
        model("not.in.schema", "Now here", vec![]),
    );
    let log = diff(&old, &new);
    let field_changes: Vec<_> = log
        .changes()
        .filter(|(m, _)| *m == "res.partner")
        .map(|(_, c)| c.clone())
        .collect();
    assert_eq!(field_changes.len(), 1, "{field_changes:#?}");
    assert_eq!(field_changes[0].field.as_deref(), Some("untyped_id"));
    assert_eq!(
        field_changes[0].kind,
        ChangeKind::RelationTypeChanged {
            old: "AnyModel".to_owned(),
            new: "NotInSchema".to_owned(),
            old_relation: "not.in.schema".to_owned(),
            new_relation: "not.in.schema".to_owned(),
        }
    );
    assert_eq!(field_changes[0].impact, Impact::DoesNotCompile);
    assert_eq!(log.summary.relation_type_changes, 1);

    // And leaving it: typed ids become untyped.
    let back = diff(&new, &old);
    assert!(back.changes().any(|(_, c)| c.kind
        == ChangeKind::RelationTypeChanged {
            old: "NotInSchema".to_owned(),
            new: "AnyModel".to_owned(),
            old_relation: "not.in.schema".to_owned(),
            new_relation: "not.in.schema".to_owned(),
        }));
}

#[test]
fn module_list_changes() {
    let (name, c, log) = single_change(|s| {
        s.models.get_mut("res.users").unwrap().modules = vec!["base".to_owned(), "hr".to_owned()];
    });
    assert_eq!(name, "res.users");
    assert_eq!(
        c.kind,
        ChangeKind::ModulesChanged {
            added: vec!["hr".to_owned()],
            removed: vec![]
        }
    );
    assert_eq!(c.impact, Impact::Compatible);
    assert_eq!(log.summary.module_changes, 1);
    assert!(
        log.to_text()
            .contains("~ model res.users\n    ~ modules: +hr\n")
    );

    let (_, c, log) = single_change(|s| {
        s.models.get_mut("res.users").unwrap().modules = vec!["hr".to_owned()];
    });
    assert_eq!(
        c.kind,
        ChangeKind::ModulesChanged {
            added: vec!["hr".to_owned()],
            removed: vec!["base".to_owned()]
        }
    );
    assert_eq!(c.impact, Impact::DoesNotCompile);
    assert!(
        log.to_text()
            .contains("    ~ modules: +hr, -base  [BREAKING, does not compile: ")
    );
}
