//! Table tests of `odoo_codegen::names` (in the style of prost-build's `ident.rs`).

use std::collections::BTreeMap;

use odoo_codegen::names::{
    ModelNames, RESERVED_METHODS, RustName, call_type_names, camel_ident, field_names,
    field_type_names, is_keyword, method_names, odoo_module_feature, parameter_names, snake_ident,
    variant_names,
};

#[test]
fn snake_idents() {
    #[rustfmt::skip]
    let table: &[(&str, &str)] = &[
        // (Odoo name, identifier as written in Rust)
        ("partner_id", "partner_id"),
        ("type", "r#type"),
        ("ref", "r#ref"),
        ("move", "r#move"),
        ("async", "r#async"),
        ("gen", "r#gen"),
        ("self", "self_"),
        ("Self", "self_"),
        ("super", "super_"),
        ("crate", "crate_"),
        ("extern", "extern_"),
        ("_", "field"),
        ("", "field"),
        ("1st_value", "_1st_value"),
        ("x_Name", "x_name"),
        ("naïve", "naive"),
        ("field with space", "field_with_space"),
        ("r#type", "r_type"),
        ("a__b", "a_b"),
        ("日本", "field"),
    ];
    for (input, expected) in table {
        assert_eq!(
            snake_ident(input, "field").to_source(),
            *expected,
            "snake_ident({input:?})"
        );
    }
}

#[test]
fn camel_idents() {
    #[rustfmt::skip]
    let table: &[(&str, &str)] = &[
        ("res.partner", "ResPartner"),
        ("x_foo.bar", "XFooBar"),
        ("x_foo_bar", "XFooBar"),
        ("sale.order.line", "SaleOrderLine"),
        ("a-b", "AB"),
        ("A_B", "AB"),
        ("1", "_1"),
        ("1abc", "_1abc"),
        ("False", "False"),
        ("self", "_Self"),
        ("Self", "_Self"),
        ("café", "Cafe"),
        ("naïve.modèle", "NaiveModele"),
        ("", "Empty"),
        ("é", "E"),
        ("日本", "Empty"),
    ];
    for (input, expected) in table {
        assert_eq!(
            camel_ident(input, "Empty"),
            *expected,
            "camel_ident({input:?})"
        );
    }
}

#[test]
fn keywords_are_recognised() {
    for kw in [
        "type", "ref", "move", "self", "Self", "super", "crate", "extern", "_", "async", "gen",
        "try",
    ] {
        assert!(is_keyword(kw), "{kw}");
    }
    for not_kw in ["partner", "Type", "id", "union", "default"] {
        assert!(!is_keyword(not_kw), "{not_kw}");
    }
}

#[test]
fn model_names_resolve_collisions_in_byte_order() {
    let names = ModelNames::new([
        "x_foo_bar",
        "x_foo.bar",
        "res.partner",
        "markers",
        "type",
        "self",
        "Self",
        "1abc",
        "",
        "lib",
        "default",
        "fields",
        "type_",
    ]);
    #[rustfmt::skip]
    let table: &[(&str, &str, &str)] = &[
        // (model, type name, module = feature)
        ("res.partner", "ResPartner", "res_partner"),
        // `.` sorts before `_`, so `x_foo.bar` keeps the plain names.
        ("x_foo.bar", "XFooBar", "x_foo_bar"),
        ("x_foo_bar", "XFooBar2", "x_foo_bar_2"),
        // Names the generated crate uses itself are never given away.
        ("markers", "Markers", "markers_2"),
        ("lib", "Lib", "lib_2"),
        ("default", "Default", "default_2"),
        ("fields", "Fields", "fields_2"),
        // Module names are never raw identifiers (a file `r#type.rs` would need `#[path]`).
        ("type", "Type", "type_"),
        ("type_", "Type2", "type_2"),
        ("Self", "_Self", "self_"),
        ("self", "_Self2", "self_2"),
        ("1abc", "_1abc", "_1abc"),
        ("", "Model", "model"),
    ];
    for (model, type_name, module) in table {
        let n = names
            .get(model)
            .unwrap_or_else(|| panic!("{model:?} named"));
        assert_eq!(n.type_name, *type_name, "type name of {model:?}");
        assert_eq!(
            n.module,
            RustName {
                name: (*module).to_owned(),
                raw: false
            },
            "module of {model:?}"
        );
        assert_eq!(n.feature, *module, "feature of {model:?}");
    }
}

#[test]
fn field_names_keep_unchanged_names_and_suffix_the_rest() {
    let fields = [
        "id",
        "ID",
        "x_Name",
        "x_name",
        "type",
        "self",
        "Self",
        "_",
        "",
        "partner_id",
        "1st",
        "naïve",
        "a_b",
        "a__b",
        "a_b_2",
    ];
    let names = field_names(fields);
    assert!(!names.contains_key("id"), "`id` is the struct's own field");
    #[rustfmt::skip]
    let table: &[(&str, &str, &str, Option<&str>)] = &[
        // (field, ident, constant, serde rename)
        ("partner_id", "partner_id", "PARTNER_ID", None),
        ("type", "r#type", "TYPE", None),
        // `id` is reserved: `ID` gets a suffix.
        ("ID", "id_2", "ID_2", Some("ID")),
        // The name that needed no change keeps it.
        ("x_name", "x_name", "X_NAME", None),
        ("x_Name", "x_name_2", "X_NAME_2", Some("x_Name")),
        ("Self", "self_", "SELF_", Some("Self")),
        ("self", "self_2", "SELF_2", Some("self")),
        ("", "field", "FIELD", Some("")),
        ("_", "field_2", "FIELD_2", Some("_")),
        ("1st", "_1st", "_1ST", Some("1st")),
        ("naïve", "naive", "NAIVE", Some("naïve")),
        ("a_b", "a_b", "A_B", None),
        // `a_b_2` is an Odoo name in its own right: the suffix search skips it.
        ("a_b_2", "a_b_2", "A_B_2", None),
        ("a__b", "a_b_3", "A_B_3", Some("a__b")),
    ];
    for (field, ident, constant, rename) in table {
        let n = &names[*field];
        assert_eq!(n.ident.to_source(), *ident, "ident of {field:?}");
        assert_eq!(n.constant, *constant, "constant of {field:?}");
        assert_eq!(n.rename.as_deref(), *rename, "rename of {field:?}");
    }
}

#[test]
fn variant_names_resolve_collisions_and_reserve_unknown() {
    let keys = [
        "a-b", "A_B", "a_b", "1", "False", "false", "self", "Self", "café", "", "Unknown",
        "unknown", "é", "draft", "draft",
    ];
    let got: Vec<(String, String)> = variant_names(keys)
        .into_iter()
        .map(|v| (v.key, v.variant))
        .collect();
    #[rustfmt::skip]
    let expected: &[(&str, &str)] = &[
        // Server order is kept; collisions are decided in byte order of the keys.
        ("a-b", "AB2"),
        ("A_B", "AB"),
        ("a_b", "AB3"),
        ("1", "_1"),
        ("False", "False"),
        ("false", "False2"),
        ("self", "_Self2"),
        ("Self", "_Self"),
        ("café", "Cafe"),
        ("", "Empty"),
        // `Unknown` is the fallback variant.
        ("Unknown", "Unknown2"),
        ("unknown", "Unknown3"),
        ("é", "E"),
        ("draft", "Draft"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn selection_enum_names_leave_the_struct_prefix_to_the_typed_api() {
    let wanted: BTreeMap<String, String> = [
        ("state", "State"),
        ("res_partner", "ResPartner"),
        ("res_partner_kind", "ResPartnerKind"),
        ("field_res_partner_kind", "FieldResPartnerKind"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    let got = field_type_names("ResPartner", &wanted);
    assert_eq!(got["state"], "State");
    assert_eq!(got["res_partner"], "FieldResPartner");
    assert_eq!(got["field_res_partner_kind"], "FieldResPartnerKind");
    assert_eq!(got["res_partner_kind"], "FieldResPartnerKind2");
    assert!(got.values().all(|v| !v.starts_with("ResPartner")));
}

/// Found by `tests/random_schemas.rs`: a prefixed name must stay UpperCamel and out of the typed API's
/// space even when the struct name starts with `_` or with `Field`.
#[test]
fn selection_enum_names_after_odd_struct_names() {
    let wanted = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    // Model `1` (struct `_1`), selection field `1x` (`_1x`): not `Field_1x`.
    let got = field_type_names("_1", &wanted(&[("1x", "_1x"), ("1", "_1")]));
    assert_eq!(got["1x"], "Field1x");
    assert_eq!(got["1"], "Field1");
    // Model `self` (struct `_Self`), selection field `self`.
    let got = field_type_names("_Self", &wanted(&[("self", "_Self")]));
    assert_eq!(got["self"], "FieldSelf");
    // Model `field` (struct `Field`), selection field `fields`: `FieldFields` is the typed API's.
    let got = field_type_names("Field", &wanted(&[("fields", "Fields"), ("kind", "Kind")]));
    assert_eq!(got["fields"], "SelectionFields");
    assert_eq!(got["kind"], "Kind");
}

/// Found by `tests/random_schemas.rs`: identifiers become file names (`src/<module>.rs`, rustdoc's
/// `constant.<NAME>.html`), so they are cut to a length every file system accepts; names cut to the
/// same text are told apart by suffixes.
#[test]
fn long_names_give_short_identifiers() {
    use odoo_codegen::names::MAX_IDENT_LEN;
    let long_a = format!("x_{}", ["into_iter"; 40].join("_"));
    let long_b = format!("{long_a}.other");
    let names = ModelNames::new([long_a.as_str(), long_b.as_str()]);
    let a = names.get(&long_a).unwrap();
    let b = names.get(&long_b).unwrap();
    assert!(a.module.name.len() <= MAX_IDENT_LEN, "{}", a.module.name);
    assert!(!a.module.name.ends_with('_'), "{}", a.module.name);
    assert_eq!(b.module.name, format!("{}_2", a.module.name));
    assert!(a.type_name.len() <= MAX_IDENT_LEN, "{}", a.type_name);
    assert_eq!(b.type_name, format!("{}2", a.type_name));

    let fields = field_names([long_a.as_str(), long_b.as_str()]);
    let (fa, fb) = (&fields[&long_a], &fields[&long_b]);
    assert!(fa.ident.name.len() <= MAX_IDENT_LEN, "{}", fa.ident.name);
    assert_eq!(fb.ident.name, format!("{}_2", fa.ident.name));
    assert_eq!(fa.rename.as_deref(), Some(long_a.as_str()));
    assert_ne!(fa.constant, fb.constant);
}

#[test]
fn odoo_module_features_cannot_collide_with_model_features() {
    assert_eq!(odoo_module_feature("sale"), "module-sale");
    assert_eq!(
        odoo_module_feature("sale_management"),
        "module-sale_management"
    );
    assert_eq!(odoo_module_feature("weird.name"), "module-weird_name");
    // Model features are snake identifiers: they never contain `-`.
    let names = ModelNames::new(["sale", "module-sale", "sale.order"]);
    for n in names.iter() {
        assert!(!n.feature.contains('-'), "{}", n.feature);
    }
}

#[test]
fn resolution_does_not_depend_on_input_order() {
    let mut models = [
        "x_foo_bar",
        "x_foo.bar",
        "self",
        "Self",
        "a.b",
        "a_b",
        "A.B",
    ];
    let first = ModelNames::new(models.iter().copied());
    models.reverse();
    let second = ModelNames::new(models.iter().copied());
    let a: Vec<_> = first.iter().cloned().collect();
    let b: Vec<_> = second.iter().cloned().collect();
    assert_eq!(a, b);

    let mut fields = ["x_Name", "x_name", "X_NAME", "type", "Type"];
    let f1 = field_names(fields.iter().copied());
    fields.reverse();
    let f2 = field_names(fields.iter().copied());
    assert_eq!(f1, f2);
}

/// The methods of one namespace, and (Odoo name, identifier on the handle) expected.
type Namespace = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

#[test]
fn method_idents() {
    let none = std::collections::BTreeSet::new();
    #[rustfmt::skip]
    let table: &[Namespace] = &[
        // (the methods of one namespace, (Odoo name, identifier on the handle))
        (&["action_confirm", "message_post"], &[("action_confirm", "action_confirm"), ("message_post", "message_post")]),
        // The handle's helpers keep their names: Odoo's method gets `call_`.
        (&["search", "read", "write", "create", "unlink", "name_search", "fields_get", "with_context", "new", "clone"],
         &[("search", "call_search"), ("read", "call_read"), ("write", "call_write"), ("create", "call_create"),
           ("unlink", "call_unlink"), ("name_search", "call_name_search"), ("fields_get", "call_fields_get"),
           ("with_context", "call_with_context"), ("new", "call_new"), ("clone", "call_clone")]),
        // ... unless Odoo has a method of that name too: the unchanged name wins.
        (&["search", "call_search"], &[("call_search", "call_search"), ("search", "call_search_2")]),
        // Keywords and casing, as for fields.
        (&["type", "self", "move", "Action_Done", "action_done"],
         &[("type", "r#type"), ("self", "self_"), ("move", "r#move"), ("action_done", "action_done"), ("Action_Done", "action_done_2")]),
    ];
    for (methods, expected) in table {
        let got = method_names(methods.iter().copied(), &none);
        for (method, ident) in *expected {
            assert_eq!(
                got[*method].ident.to_source(),
                *ident,
                "{methods:?}: {method}"
            );
        }
        assert_eq!(got.len(), methods.len());
    }
    // A model's own methods never take the shared methods' identifiers (they share one handle).
    let shared: std::collections::BTreeSet<String> = ["copy".to_owned()].into();
    let got = method_names(["copy", "action_done"], &shared);
    assert_eq!(got["copy"].ident.to_source(), "call_copy");
    assert_eq!(got["action_done"].ident.to_source(), "action_done");
    // Every reserved identifier is refused to Odoo's methods.
    for reserved in RESERVED_METHODS {
        let got = method_names([*reserved], &none);
        assert_ne!(got[*reserved].ident.name, *reserved);
    }
}

#[test]
fn parameter_idents() {
    let got = parameter_names(["limit", "ids", "send", "type", "self", "kwarg", "domain"]);
    let shown: Vec<(&str, String)> = ["limit", "ids", "send", "type", "self", "kwarg", "domain"]
        .iter()
        .map(|p| (*p, got[*p].to_source()))
        .collect();
    assert_eq!(
        shown,
        [
            ("limit", "limit".to_owned()),
            ("ids", "ids_2".to_owned()),
            ("send", "send_2".to_owned()),
            ("type", "r#type".to_owned()),
            ("self", "self_".to_owned()),
            ("kwarg", "kwarg_2".to_owned()),
            ("domain", "domain".to_owned()),
        ]
    );
}

#[test]
fn call_type_names_end_with_call_and_never_meet() {
    let idents: BTreeMap<String, RustName> = [
        ("message_post", "message_post"),
        ("a2", "a2"),
        ("a_2", "a_2"),
        ("_1x", "_1x"),
        ("create", "call_create"),
    ]
    .into_iter()
    .map(|(m, i)| (m.to_owned(), snake_ident(i, "method")))
    .collect();
    let got = call_type_names("SaleOrder", &idents);
    assert_eq!(got["message_post"], "SaleOrderMessagePostCall");
    assert_eq!(got["create"], "SaleOrderCallCreateCall");
    // `a2` and `a_2` both want `SaleOrderA2`.
    let a: std::collections::BTreeSet<&str> = [got["a2"].as_str(), got["a_2"].as_str()].into();
    assert_eq!(a, ["SaleOrderA2Call", "SaleOrderA22Call"].into());
    // No `SaleOrder_1x` (`non_camel_case_types`).
    assert_eq!(got["_1x"], "SaleOrder1xCall");
    let shared = call_type_names("", &idents);
    assert_eq!(shared["message_post"], "MessagePostCall");
    assert_eq!(shared["_1x"], "_1xCall");
}
