//! `Settings::check`: every settings check `generate` makes, without emitting; default feature entries
//! by model name, Cargo feature or module feature, with suggestions; runtime version requirements.

use std::collections::BTreeMap;

use odoo_codegen::{DefaultFeatures, Error, Field, FieldType, Model, Schema, Settings, generate};

fn model(name: &str, modules: &[&str]) -> (String, Model) {
    let field = Field {
        name: "name".to_owned(),
        field_type: FieldType::Char,
        ..Field::default()
    };
    (
        name.to_owned(),
        Model {
            name: name.to_owned(),
            modules: modules.iter().map(|m| (*m).to_owned()).collect(),
            fields: BTreeMap::from([("name".to_owned(), field)]),
            ..Model::default()
        },
    )
}

fn schema() -> Schema {
    Schema {
        odoo_version: "18.0".into(),
        models: BTreeMap::from([
            model("res.partner", &["base"]),
            model("res.country", &["base"]),
            model("sale.order", &["sale"]),
            model("sale.order.line", &["sale"]),
        ]),
    }
}

fn base() -> Settings {
    Settings::new().runtime_path("../runtime")
}

fn defaults(entries: &[&str]) -> Settings {
    base().default_features(DefaultFeatures::List(
        entries.iter().map(|e| (*e).to_owned()).collect(),
    ))
}

/// `check` and `generate` refuse the settings with the same `InvalidSetting`: its setting and message.
fn refused(settings: &Settings) -> (&'static str, String) {
    let checked = settings.check(&schema()).unwrap_err().to_string();
    let err = generate(&schema(), settings).unwrap_err();
    let message = err.to_string();
    assert_eq!(message, checked);
    match err {
        Error::InvalidSetting { setting, .. } => (setting, message),
        other => panic!("expected InvalidSetting, got {other}"),
    }
}

fn default_line(settings: &Settings) -> String {
    settings.check(&schema()).unwrap();
    let generated = generate(&schema(), settings).unwrap();
    let cargo = &generated.file("Cargo.toml").unwrap().contents;
    let start = cargo.find("\ndefault = ").unwrap() + 1;
    let end = cargo[start..].find("\nall = ").unwrap() + start;
    cargo[start..end].to_owned()
}

#[test]
fn default_features_accept_cargo_feature_names() {
    let expected =
        "default = [\n    \"module-sale\",\n    \"res_partner\",\n    \"sale_order_line\",\n]";
    // Model names, Cargo feature names and module features, mixed: the same `default`.
    for entries in [
        ["res.partner", "sale.order.line", "module-sale"],
        ["res_partner", "sale_order_line", "module-sale"],
        ["res_partner", "sale.order.line", "module-sale"],
    ] {
        assert_eq!(default_line(&defaults(&entries)), expected, "{entries:?}");
    }
    assert_eq!(
        default_line(&defaults(&["all"])),
        "default = [\n    \"all\",\n]"
    );
}

#[test]
fn unknown_default_features_suggest_close_names() {
    let table = [
        ("res_partnr", "(did you mean res_partner, res.partner?)"),
        ("res.partnr", "(did you mean res.partner, res_partner?)"),
        ("Res.Partner", "(did you mean res.partner, res_partner?)"),
        ("module-sal", "(did you mean module-sale?)"),
        ("sale_ordr", "(did you mean sale_order, sale.order"),
    ];
    for (entry, suggestion) in table {
        let (setting, message) = refused(&defaults(&["res.country", entry]));
        assert_eq!(setting, "default_features");
        assert!(
            message.contains(&format!("`{entry}`")) && message.contains(suggestion),
            "{message}"
        );
    }
    let (_, message) = refused(&defaults(&["account.move"]));
    assert!(
        message.contains("`account.move`") && !message.contains("did you mean"),
        "{message}"
    );
}

#[test]
fn runtime_version_must_be_a_cargo_requirement() {
    for bad in [
        "not a version",
        "",
        "1.2.3.4",
        "0.1\n",
        ">=0.1 <0.3",
        "v0.1",
        "*, 0.1",
    ] {
        let (setting, message) = refused(&base().runtime_version(bad));
        assert_eq!(setting, "runtime_version", "{message}");
        assert!(message.contains(&format!("`{bad}`")), "{message}");
    }
    for good in [
        "0.1",
        "0.1.0",
        "^0.1.2",
        "~0.1",
        "=0.1.0",
        ">=0.1, <0.3",
        "*",
        "0.1.*",
    ] {
        let settings = base().runtime_version(good);
        settings.check(&schema()).unwrap();
        let generated = generate(&schema(), &settings).unwrap();
        let cargo = &generated.file("Cargo.toml").unwrap().contents;
        assert!(
            cargo.contains(&format!("odoo-runtime = {{ version = \"{good}\" }}")),
            "{cargo}"
        );
    }
}

#[test]
fn check_names_the_setting_and_value() {
    let (setting, message) = refused(&base().crate_name("bad name"));
    assert_eq!(setting, "crate_name");
    assert!(message.contains("`bad name`"), "{message}");
    let (setting, message) = refused(&base().crate_version("1.0"));
    assert_eq!(setting, "crate_version");
    assert!(message.contains("`1.0`"), "{message}");
    let (setting, message) = refused(&base().runtime_path(""));
    assert_eq!(setting, "runtime_path");
    assert!(message.contains("``"), "{message}");
    // Good settings pass, and generate the same files as without the check.
    let good = defaults(&["res_partner"]).crate_name("my-bindings");
    good.check(&schema()).unwrap();
    assert!(generate(&schema(), &good).is_ok());
}

#[test]
fn an_empty_schema_is_not_a_settings_problem() {
    let settings = defaults(&["res.partner"]);
    settings.check(&Schema::default()).unwrap();
    let err = generate(&Schema::default(), &settings).unwrap_err();
    assert!(matches!(err, Error::EmptySchema), "{err}");
    // Settings problems that need no schema are still found.
    let err = base()
        .runtime_version("not a version")
        .check(&Schema::default())
        .unwrap_err();
    assert!(err.to_string().contains("runtime_version"), "{err}");
}
