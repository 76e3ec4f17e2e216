//! Filters: names, globs, modules, excludes and relation closure, as tables over a small synthetic
//! schema, plus facts on the recorded 18.0 schema.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use odoo_codegen::filter::{Filter, close_names};
use odoo_codegen::{Error, Field, FieldType, Model, Schema, dump};

fn field(name: &str, field_type: FieldType, relation: Option<&str>) -> (String, Field) {
    (
        name.to_owned(),
        Field {
            name: name.to_owned(),
            field_type,
            relation: relation.map(str::to_owned),
            ..Field::default()
        },
    )
}

fn model(name: &str, modules: &[&str], fields: Vec<(String, Field)>) -> (String, Model) {
    (
        name.to_owned(),
        Model {
            name: name.to_owned(),
            modules: modules.iter().map(|m| (*m).to_owned()).collect(),
            fields: fields.into_iter().collect(),
            ..Model::default()
        },
    )
}

/// sale.order -> res.partner -> res.country -> res.currency; sale.order.line -> sale.order (o2m back),
/// product.product (m2m from sale.order.line).
fn synthetic() -> Schema {
    use FieldType::*;
    Schema {
        odoo_version: "18.0".into(),
        models: BTreeMap::from([
            model(
                "sale.order",
                &["sale"],
                vec![
                    field("partner_id", Many2one, Some("res.partner")),
                    field("order_line", One2many, Some("sale.order.line")),
                    field("name", Char, None),
                ],
            ),
            model(
                "sale.order.line",
                &["sale"],
                vec![
                    field("order_id", Many2one, Some("sale.order")),
                    field("product_ids", Many2many, Some("product.product")),
                ],
            ),
            model(
                "res.partner",
                &["base", "sale"],
                vec![
                    field("country_id", Many2one, Some("res.country")),
                    // A relation to a model the schema does not hold is ignored.
                    field("ghost_id", Many2one, Some("ghost.model")),
                ],
            ),
            model(
                "res.country",
                &["base"],
                vec![field("currency_id", Many2one, Some("res.currency"))],
            ),
            model("res.currency", &["base"], vec![field("name", Char, None)]),
            model("product.product", &["product"], vec![]),
            model("x_custom", &[], vec![field("x_name", Char, None)]),
        ]),
    }
}

fn run(filter: &Filter) -> Vec<String> {
    let (selected, _) = filter.select(&synthetic()).unwrap();
    selected.into_iter().collect()
}

fn f(models: &[&str], modules: &[&str], exclude: &[&str], depth: u32) -> Filter {
    let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect();
    Filter {
        models: v(models),
        modules: v(modules),
        exclude: v(exclude),
        depth,
    }
}

#[test]
fn selection_table() {
    let all = [
        "product.product",
        "res.country",
        "res.currency",
        "res.partner",
        "sale.order",
        "sale.order.line",
        "x_custom",
    ];
    let table: Vec<(Filter, Vec<&str>)> = vec![
        (Filter::all(), all.to_vec()),
        (f(&["sale.order"], &[], &[], 0), vec!["sale.order"]),
        (
            f(&["sale.*"], &[], &[], 0),
            vec!["sale.order", "sale.order.line"],
        ),
        (f(&["*.order"], &[], &[], 0), vec!["sale.order"]),
        (f(&["res.?artner"], &[], &[], 0), vec!["res.partner"]),
        (
            f(&["x_*", "res.currency"], &[], &[], 0),
            vec!["res.currency", "x_custom"],
        ),
        // Modules: every model a module defines or extends.
        (
            f(&[], &["sale"], &[], 0),
            vec!["res.partner", "sale.order", "sale.order.line"],
        ),
        (
            f(&[], &["base"], &[], 0),
            vec!["res.country", "res.currency", "res.partner"],
        ),
        (
            f(&["x_custom"], &["product"], &[], 0),
            vec!["product.product", "x_custom"],
        ),
        // Excludes apply to everything, the default "all" included.
        (
            f(&[], &[], &["res.*", "x_*"], 0),
            vec!["product.product", "sale.order", "sale.order.line"],
        ),
        (
            f(&["sale.*"], &[], &["sale.order.line"], 0),
            vec!["sale.order"],
        ),
        // Relation closure by depth.
        (
            f(&["sale.order"], &[], &[], 1),
            vec!["res.partner", "sale.order", "sale.order.line"],
        ),
        (
            f(&["sale.order"], &[], &[], 2),
            vec![
                "product.product",
                "res.country",
                "res.partner",
                "sale.order",
                "sale.order.line",
            ],
        ),
        (
            f(&["sale.order"], &[], &[], 3),
            vec![
                "product.product",
                "res.country",
                "res.currency",
                "res.partner",
                "sale.order",
                "sale.order.line",
            ],
        ),
        (f(&["sale.order"], &[], &[], 99), f_closure_all()),
        // An excluded target is never pulled in, nor what only it leads to.
        (
            f(&["sale.order"], &[], &["res.partner"], 5),
            vec!["product.product", "sale.order", "sale.order.line"],
        ),
        // Targets of many2one only through relational fields; chars never pull anything.
        (f(&["res.currency"], &[], &[], 5), vec!["res.currency"]),
        (f(&["x_custom"], &[], &[], 5), vec!["x_custom"]),
    ];
    for (filter, expected) in table {
        assert_eq!(run(&filter), expected, "{filter:?}");
    }
}

fn f_closure_all() -> Vec<&'static str> {
    vec![
        "product.product",
        "res.country",
        "res.currency",
        "res.partner",
        "sale.order",
        "sale.order.line",
    ]
}

#[test]
fn errors_and_warnings() {
    let schema = synthetic();
    let err = f(&["sale.ordr"], &[], &[], 0)
        .select(&schema)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sale.ordr") && err.contains("not in the schema"),
        "{err}"
    );
    let err = f(&["sale"], &[], &[], 0)
        .select(&schema)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("did you mean sale.order, sale.order.line"),
        "{err}"
    );
    let err = f(&[], &["crm"], &[], 0)
        .select(&schema)
        .unwrap_err()
        .to_string();
    assert!(err.contains("module `crm`"), "{err}");

    let (selected, warnings) = f(&["crm.*", "sale.order"], &[], &[], 0)
        .select(&schema)
        .unwrap();
    assert_eq!(selected.len(), 1);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].to_string().contains("`crm.*` matches no model"));
}

fn select_err(filter: &Filter) -> Error {
    filter.select(&synthetic()).unwrap_err()
}

#[test]
fn typos_and_case_get_suggestions() {
    // A typo and a case slip each name the one model meant.
    for typo in [
        "res.partnr",
        "Res.Partner",
        "RES.PARTNER",
        "res.parnter",
        "res.prtnr",
    ] {
        let err = select_err(&f(&[typo], &[], &[], 0)).to_string();
        assert_eq!(
            err,
            format!(
                "invalid setting `models`: model `{typo}` is not in the schema (did you mean res.partner?)"
            )
        );
    }
    // Closest first: one edit before the substring matches.
    let err = select_err(&f(&["sale.ordr"], &[], &[], 0)).to_string();
    assert!(err.ends_with("(did you mean sale.order?)"), "{err}");
    let err = select_err(&f(&["Sale"], &[], &[], 0)).to_string();
    assert!(
        err.ends_with("(did you mean sale.order, sale.order.line?)"),
        "{err}"
    );
    // Nothing close: no suggestion.
    let err = select_err(&f(&["account.move"], &[], &[], 0)).to_string();
    assert!(!err.contains("did you mean"), "{err}");
    // Modules are suggested too.
    let err = select_err(&f(&[], &["Sale"], &[], 0)).to_string();
    assert!(err.ends_with("(did you mean sale?)"), "{err}");
    let err = select_err(&f(&[], &["prodct"], &[], 0)).to_string();
    assert!(err.ends_with("(did you mean product?)"), "{err}");
    // Globs keep their behaviour: a warning, not an error.
    let (selected, warnings) = f(&["Sale.*"], &[], &[], 0).select(&synthetic()).unwrap();
    assert!(selected.is_empty());
    assert_eq!(warnings.len(), 1);
}

#[test]
fn close_names_are_ranked_capped_and_deterministic() {
    let names = [
        "res.partner.bank",
        "res.partners",
        "res.part",
        "Res.Partner",
        "res.partner",
        "res.country",
    ];
    // Equal ignoring case first, then by edit distance (case-insensitive, then case-sensitive), then
    // by name; substrings count, unrelated names do not.
    assert_eq!(
        close_names("res.partner", names),
        [
            "Res.Partner",
            "res.partners",
            "res.part",
            "res.partner.bank"
        ]
    );
    assert_eq!(
        close_names("res.partnr", names),
        ["res.partner", "Res.Partner", "res.part", "res.partners"]
    );
    let mut reversed = names;
    reversed.reverse();
    assert_eq!(
        close_names("res.partnr", reversed),
        close_names("res.partnr", names)
    );
    // Swapped letters are one edit.
    assert_eq!(
        close_names("sael.order", ["sale.order", "sale.orders"]),
        ["sale.order", "sale.orders"]
    );
    // At most five.
    let many: Vec<String> = (0..20).map(|i| format!("model.{i:02}")).collect();
    let close = close_names("model", many.iter().map(String::as_str));
    assert_eq!(
        close,
        ["model.00", "model.01", "model.02", "model.03", "model.04"]
    );
    // Nothing is close to nothing.
    assert!(close_names("", names).is_empty());
    assert!(close_names("zzz", names).is_empty());
}

#[test]
fn blank_entries_are_refused() {
    let table: [(Filter, &str); 6] = [
        (f(&[""], &[], &[], 0), "models"),
        (f(&["sale.order", "  "], &[], &[], 0), "models"),
        (f(&[], &[""], &[], 0), "modules"),
        (f(&[], &["\t"], &[], 0), "modules"),
        (f(&[], &[], &[""], 0), "exclude"),
        (f(&["sale.*"], &[], &[" "], 0), "exclude"),
    ];
    for (filter, expected) in table {
        let err = select_err(&filter);
        let message = err.to_string();
        match err {
            Error::InvalidSetting { setting, .. } => assert_eq!(setting, expected, "{message}"),
            other => panic!("{other}"),
        }
        assert!(
            message.contains("is empty") && !message.contains("did you mean"),
            "{message}"
        );
        assert!(filter.apply(&synthetic()).is_err());
        assert!(filter.check().is_err());
    }
    assert!(f(&["sale.*"], &["sale"], &["x_*"], 1).check().is_ok());
}

#[test]
fn apply_keeps_models_whole() {
    let schema = synthetic();
    let (kept, _) = f(&["sale.order"], &[], &[], 0).apply(&schema).unwrap();
    assert_eq!(kept.odoo_version, "18.0");
    assert_eq!(kept.models.len(), 1);
    // Fields pointing at models left out stay: the emitter makes them untyped.
    assert_eq!(kept.models["sale.order"], schema.models["sale.order"]);
    assert_eq!(Filter::all().apply(&schema).unwrap().0, schema);
}

fn load_18() -> Schema {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/schema");
    let mut files = BTreeMap::new();
    for name in [
        "version.json",
        "ir.model.json",
        "ir.model.fields.selection.json",
        "fields_get-failures.json",
    ] {
        files.insert(name.to_owned(), std::fs::read(root.join(name)).unwrap());
    }
    let mut fields = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(root.join("ir.model.fields.json.gz")).unwrap(),
    )
    .read_to_end(&mut fields)
    .unwrap();
    files.insert("ir.model.fields.json".to_owned(), fields);
    dump::from_dump(&files).unwrap().0
}

#[test]
fn real_schema_facts() {
    let schema = load_18();
    let sale = f(&[], &["sale"], &[], 0).select(&schema).unwrap().0;
    assert!(sale.contains("sale.order") && sale.contains("res.partner"));
    assert!(!sale.contains("crm.lead"));
    let crm = f(&["crm.*"], &[], &[], 0).select(&schema).unwrap().0;
    assert!(crm.iter().all(|m| m.starts_with("crm.")));
    assert!(crm.contains("crm.lead"));

    // The closure of res.partner grows with depth and ends at a fixed point.
    let sizes: Vec<usize> = (0..8)
        .map(|d| {
            f(&["res.partner"], &[], &[], d)
                .select(&schema)
                .unwrap()
                .0
                .len()
        })
        .collect();
    assert_eq!(sizes[0], 1);
    assert!(sizes[1] > 10, "{sizes:?}");
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    let one = f(&["res.partner"], &[], &[], 1).select(&schema).unwrap().0;
    assert!(one.contains("res.country") && one.contains("res.users"));
    assert!(!one.contains("res.country.group"), "two hops away");
}
