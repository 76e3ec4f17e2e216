//! Loading the recorded Odoo 18.0 dumps (`testdata/odoo-18.0*/schema`) and checking real facts.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use odoo_codegen::dump::{self, FieldsGet, IrField, IrSelection, Sources};
use odoo_codegen::{FieldType, Schema, SelectionOption};

fn read_dump(name: &str) -> BTreeMap<String, Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
        .join("schema");
    odoo_replay::fixtures::read_dump_tree(&root).unwrap()
}

fn load(name: &str) -> (Schema, Vec<odoo_codegen::error::Warning>) {
    dump::from_dump(&read_dump(name)).unwrap()
}

fn options(pairs: &[(&str, &str)]) -> Vec<SelectionOption> {
    pairs
        .iter()
        .map(|(v, l)| SelectionOption {
            value: (*v).to_owned(),
            label: (*l).to_owned(),
        })
        .collect()
}

#[test]
fn full_dump_counts() {
    let (schema, _) = load("odoo-18.0");
    assert_eq!(schema.odoo_version, "18.0");
    assert_eq!(schema.models.len(), 507);
    let fields: usize = schema.models.values().map(|m| m.fields.len()).sum();
    assert_eq!(fields, 9_774);
    assert_eq!(schema.models.values().filter(|m| m.transient).count(), 117);
    // Abstract models without fields are kept (e.g. `base`, mixins).
    assert!(schema.models["base"].fields.is_empty());
    // Every relational field names its comodel, and every comodel of a many2one is in the schema.
    for model in schema.models.values() {
        for field in model.fields.values() {
            if field.field_type.is_relational() {
                let target = field.relation.as_deref().unwrap();
                assert!(
                    schema.models.contains_key(target),
                    "{}.{} -> {target}",
                    model.name,
                    field.name
                );
            } else {
                assert_eq!(field.relation, None, "{}.{}", model.name, field.name);
            }
        }
    }
}

#[test]
fn full_dump_res_partner() {
    let (schema, _) = load("odoo-18.0");
    let partner = &schema.models["res.partner"];
    assert_eq!(partner.description, "Contact");
    assert!(!partner.transient && !partner.custom);
    assert!(partner.modules.contains(&"base".to_owned()));
    assert!(partner.modules.contains(&"sale".to_owned()));
    assert!(partner.modules.windows(2).all(|w| w[0] < w[1]), "sorted");

    let name = &partner.fields["name"];
    assert_eq!(name.field_type, FieldType::Char);
    assert!(name.store);

    let country = &partner.fields["country_id"];
    assert_eq!(country.field_type, FieldType::Many2one);
    assert_eq!(country.relation.as_deref(), Some("res.country"));
    assert_eq!(country.label, "Country");

    let children = &partner.fields["child_ids"];
    assert_eq!(children.field_type, FieldType::One2many);
    assert_eq!(children.relation.as_deref(), Some("res.partner"));
    assert_eq!(children.inverse.as_deref(), Some("parent_id"));

    let category = &partner.fields["category_id"];
    assert_eq!(category.field_type, FieldType::Many2many);
    assert_eq!(category.relation.as_deref(), Some("res.partner.category"));

    // `lang` is a dynamic selection: no ir.model.fields.selection rows, values from fields_get.
    let tz = partner.fields["tz"].selection.as_ref().unwrap();
    assert!(tz.len() > 400, "{} time zones", tz.len());
    assert!(tz.iter().any(|o| o.value == "Europe/Brussels"));
    let lang = partner.fields["lang"].selection.as_ref().unwrap();
    assert!(lang.iter().any(|o| o.value == "en_US"));
    assert!(
        partner.fields["tz"]
            .help
            .as_deref()
            .unwrap()
            .contains("timezone")
    );

    let company_type = &partner.fields["company_type"];
    assert_eq!(company_type.field_type, FieldType::Selection);
    assert_eq!(
        company_type.selection.as_deref(),
        Some(&options(&[("person", "Individual"), ("company", "Company")])[..])
    );
    // Fields hidden from fields_get by `groups` stay in the catalog (ir.model.fields).
    assert!(
        schema.models["res.users"]
            .fields
            .contains_key("totp_secret")
    );
    // The virtual group fields only fields_get reports are left out.
    assert!(
        !schema.models["res.users"]
            .fields
            .contains_key("in_group_12")
    );
}

#[test]
fn full_dump_sale_order_and_friends() {
    let (schema, _) = load("odoo-18.0");
    let order = &schema.models["sale.order"];
    let state = &order.fields["state"];
    assert_eq!(state.field_type, FieldType::Selection);
    assert_eq!(
        state.selection.as_deref(),
        Some(
            &options(&[
                ("draft", "Quotation"),
                ("sent", "Quotation Sent"),
                ("sale", "Sales Order"),
                ("cancel", "Cancelled"),
            ])[..]
        )
    );
    let total = &order.fields["amount_total"];
    assert_eq!(total.field_type, FieldType::Monetary);
    assert_eq!(total.currency_field.as_deref(), Some("currency_id"));
    assert_eq!(
        order.fields["partner_id"].relation.as_deref(),
        Some("res.partner")
    );
    assert!(order.fields["partner_id"].required);
    assert_eq!(
        order.fields["order_line"].inverse.as_deref(),
        Some("order_id")
    );

    // product.pricelist's fields_get failed over XML-RPC; the dump holds the JSON-RPC answer.
    let pricelist = &schema.models["product.pricelist"];
    assert_eq!(pricelist.description, "Pricelist");
    assert_eq!(
        pricelist.fields["item_ids"].relation.as_deref(),
        Some("product.pricelist.item")
    );

    // many2one_reference: model_field only comes from fields_get.
    let message = &schema.models["mail.message"];
    assert_eq!(
        message.fields["res_id"].field_type,
        FieldType::Many2oneReference
    );
    assert_eq!(
        message.fields["res_id"].model_field.as_deref(),
        Some("model")
    );

    // reference with a dynamic selection (the list of models).
    let resource_ref = schema.models["ir.actions.server"].fields["resource_ref"]
        .selection
        .as_ref()
        .unwrap();
    assert!(resource_ref.iter().any(|o| o.value == "res.partner"));

    // Translated, related and company-dependent flags come from ir.model.fields.
    assert!(schema.models["product.template"].fields["name"].translate);
    assert!(
        schema.models["product.template"].fields["property_account_income_id"].company_dependent
    );
    assert_eq!(
        order.fields["country_code"].related.as_deref(),
        Some("company_id.account_fiscal_country_id.code")
    );
}

#[test]
fn full_dump_custom_model() {
    let (schema, _) = load("odoo-18.0");
    let custom = &schema.models["x_custom"];
    assert!(custom.custom);
    assert_eq!(custom.description, "Custom Model");
    assert!(custom.modules.is_empty());
    assert!(custom.fields["x_name"].custom);
    assert_eq!(custom.fields["x_name"].field_type, FieldType::Char);
    assert!(custom.fields["x_score"].custom);
    assert!(!custom.fields["id"].custom);
    // Custom fields on a regular model.
    assert!(schema.models["project.project"].fields["x_plan2_id"].custom);
    assert!(!schema.models["project.project"].custom);
    assert_eq!(
        schema.models.values().filter(|m| m.custom).count(),
        1,
        "x_custom is the only manual model"
    );
}

#[test]
fn full_dump_warnings_name_the_models() {
    let (_, warnings) = load("odoo-18.0");
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 2, "{text:#?}");
    // product.pricelist's fields_get failed over XML-RPC; the JSON-RPC answer in the dump is used.
    assert!(
        text[0].starts_with("product.pricelist: fields_get failed (TypeError: cannot marshal None")
    );
    assert!(text[0].contains("another transport"));
    // Two monetary fields hidden from fields_get by `groups`: their currency field is unknown.
    assert_eq!(
        text[1],
        "account.analytic.account: fields_get did not report credit, debit \
         (dynamic selection, currency or model field left empty)"
    );
}

#[test]
fn base_dump() {
    let (schema, warnings) = load("odoo-18.0-base");
    assert_eq!(schema.odoo_version, "18.0");
    assert_eq!(schema.models.len(), 216);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(schema.models.contains_key("res.partner"));
    assert!(!schema.models.contains_key("sale.order"));
    assert!(
        !schema.models["res.partner"]
            .fields
            .contains_key("sale_order_ids")
    );
    let (full, _) = load("odoo-18.0");
    assert!(schema.models.keys().all(|m| full.models.contains_key(m)));
}

/// Without fields_get (a failed model, no other transport), the bulk data is kept and the model named.
#[test]
fn missing_fields_get_falls_back_to_bulk_data() {
    let mut files = read_dump("odoo-18.0");
    files.remove("fields_get/res.partner.json");
    files.remove("fields_get/mail.message.json");
    let (schema, warnings) = dump::from_dump(&files).unwrap();
    let partner = &schema.models["res.partner"];
    // Static selections still come from ir.model.fields.selection.
    assert_eq!(
        partner.fields["company_type"]
            .selection
            .as_ref()
            .unwrap()
            .len(),
        2
    );
    assert!(partner.fields["tz"].selection.as_ref().unwrap().len() > 400);
    // Dynamic ones are empty.
    assert_eq!(partner.fields["lang"].selection.as_deref(), Some(&[][..]));
    assert_eq!(
        partner.fields.len(),
        load("odoo-18.0").0.models["res.partner"].fields.len()
    );
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let partner_warning = text
        .iter()
        .find(|w| w.starts_with("res.partner: no fields_get answer for"))
        .unwrap();
    assert!(partner_warning.contains("lang"), "{partner_warning}");
    assert!(
        text.iter()
            .any(|w| w.starts_with("mail.message: ") && w.contains("res_id"))
    );
    assert_eq!(
        schema.models["mail.message"].fields["res_id"].model_field,
        None
    );
}

#[test]
fn fields_get_is_needed_only_where_bulk_data_is_not_enough() {
    let files = read_dump("odoo-18.0");
    let sources = dump::sources_from_dump(&files).unwrap();
    let needs = dump::fields_get_needs(&sources.fields, &sources.selections);
    assert_eq!(needs.len(), 92, "models needing fields_get");
    assert!(needs["res.partner"].contains(&"lang".to_owned()));
    // `tz` is a static list, reflected in ir.model.fields.selection.
    assert!(!needs["res.partner"].contains(&"tz".to_owned()));
    assert!(!needs["res.partner"].contains(&"company_type".to_owned()));
    assert!(needs["mail.message"].contains(&"res_id".to_owned()));
    assert!(!needs.contains_key("x_custom"));

    // Merging with only the needed fields_get answers gives exactly the full-dump schema.
    let full = dump::merge(&sources).0;
    let trimmed: BTreeMap<String, FieldsGet> = sources
        .fields_get
        .iter()
        .filter_map(|(model, answer)| {
            let names = needs.get(model)?;
            let kept: FieldsGet = answer
                .iter()
                .filter(|(name, _)| names.contains(name))
                .map(|(n, f)| (n.clone(), f.clone()))
                .collect();
            Some((model.clone(), kept))
        })
        .collect();
    let only_needed = dump::merge(&Sources {
        fields_get: trimmed,
        ..sources.clone()
    })
    .0;
    assert_eq!(only_needed, full);
}

#[test]
fn malformed_json_is_reported_once() {
    let mut files = read_dump("odoo-18.0-base");
    files.insert(
        "ir.model.fields.json".into(),
        b"[{\"id\": 1,\n\"x\"}]".to_vec(),
    );
    let err = dump::from_dump(&files).unwrap_err();
    assert_eq!(
        support::error_chain(&err),
        "dump file `ir.model.fields.json`: line 2 column 4: expected `:`"
    );

    // A row of the wrong shape has no position: the row, and the problem once.
    let mut files = read_dump("odoo-18.0-base");
    files.insert(
        "ir.model.fields.json".into(),
        br#"[{"id": 2, "model": "res.partner", "name": "email", "required": "yes"}]"#.to_vec(),
    );
    let err = dump::from_dump(&files).unwrap_err();
    assert_eq!(
        support::error_chain(&err),
        "dump file `ir.model.fields.json`, row 0 (res.partner.email): invalid type: string \"yes\", expected a boolean"
    );
}

#[test]
fn errors_name_the_file() {
    let mut files = read_dump("odoo-18.0-base");
    files.remove("ir.model.json");
    let err = dump::from_dump(&files).unwrap_err().to_string();
    assert!(
        err.contains("ir.model.json") && err.contains("missing"),
        "{err}"
    );

    let mut files = read_dump("odoo-18.0-base");
    files.insert(
        "fields_get/res.partner.json".into(),
        b"{\"name\": 3".to_vec(),
    );
    let err = dump::from_dump(&files).unwrap_err().to_string();
    assert!(err.contains("fields_get/res.partner.json"), "{err}");

    // A malformed file: the line.
    let mut files = read_dump("odoo-18.0-base");
    files.insert(
        "ir.model.fields.json".into(),
        b"[{\"id\": 1,\n\"x\"}]".to_vec(),
    );
    let err = dump::from_dump(&files).unwrap_err().to_string();
    assert!(
        err.contains("ir.model.fields.json") && err.contains("line 2"),
        "{err}"
    );

    // A row of the wrong shape: the row, its model and field, and what is wrong.
    let mut files = read_dump("odoo-18.0-base");
    files.insert(
        "ir.model.fields.json".into(),
        br#"[{"id": 1, "model": "res.partner", "name": "name", "ttype": "char"},
             {"id": 2, "model": "res.partner", "name": "email", "required": "yes"}]"#
            .to_vec(),
    );
    let err = dump::from_dump(&files).unwrap_err().to_string();
    assert!(
        err.contains("dump file `ir.model.fields.json`, row 1 (res.partner.email)")
            && err.contains("expected a boolean"),
        "{err}"
    );
    let mut files = read_dump("odoo-18.0-base");
    files.insert(
        "ir.model.json".into(),
        br#"[{"model": "res.partner", "transient": 0}]"#.to_vec(),
    );
    let err = dump::from_dump(&files).unwrap_err().to_string();
    assert!(
        err.contains("`ir.model.json`, row 0 (res.partner)"),
        "{err}"
    );
}

#[test]
fn rows_accept_false_for_empty_and_many2one_pairs() {
    let fields: Vec<IrField> = serde_json::from_str(
        r#"[{"id": 1, "model": "m", "name": "f", "ttype": "char", "help": false,
             "relation": false, "modules": "a, b", "field_description": "F"}]"#,
    )
    .unwrap();
    assert_eq!(fields[0].help, None);
    let sel: Vec<IrSelection> = serde_json::from_str(
        r#"[{"id": 5, "field_id": [1, "F (m)"], "value": "a", "name": "A", "sequence": 2}]"#,
    )
    .unwrap();
    assert_eq!(sel[0].field_id, 1);
    assert!(serde_json::from_str::<Vec<IrField>>(r#"[{"help": true}]"#).is_err());
    let translate: Vec<IrField> = serde_json::from_str(
        r#"[{"translate": true}, {"translate": false}, {"translate": "html_translate"},
            {"translate": ""}, {"translate": null}]"#,
    )
    .unwrap();
    let flags: Vec<bool> = translate.iter().map(|f| f.translate).collect();
    assert_eq!(flags, [true, false, true, false, false]);
}

/// A `fields_get` answer repeating a selection value keeps the first: the snapshot and the diff see
/// each value once (the generator already named variants once).
#[test]
fn repeated_selection_values_are_kept_once() {
    let files = read_dump("odoo-18.0");
    let mut sources = dump::sources_from_dump(&files).unwrap();
    let lang = sources
        .fields_get
        .get_mut("res.partner")
        .and_then(|answer| answer.get_mut("lang"))
        .expect("res.partner.lang comes from fields_get");
    let options = lang.selection.as_mut().unwrap();
    let first = options[0].clone();
    options.push(SelectionOption {
        value: first.value.clone(),
        label: "a repeat".into(),
    });
    let schema = dump::merge(&sources).0;
    let merged = schema.models["res.partner"].fields["lang"]
        .selection
        .as_ref()
        .unwrap();
    assert_eq!(
        merged.iter().filter(|o| o.value == first.value).count(),
        1,
        "{merged:?}"
    );
    assert_eq!(merged[0], first);
}
