//! Hostile JSON answers (JSON-RPC and JSON-2) are errors, never panics: mutated recorded bodies,
//! and arbitrary JSON values decoded into every Odoo value type.

mod common_codec;

use common_codec::mutate::{Mutation, apply};
use odoo_runtime::Value;
use odoo_runtime::types::{
    AnyModel, Binary, Date, DateTime, Id, Many2one, OrFalse, Reference, X2many, opt_int,
};
use odoo_runtime::{json2, jsonrpc};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Deserialize;

/// A read row using every Odoo value type, as generated code declares it.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Row {
    #[serde(default, with = "opt_int")]
    id: Option<i64>,
    #[serde(default)]
    name: OrFalse<String>,
    #[serde(default)]
    partner_id: OrFalse<Many2one<AnyModel>>,
    #[serde(default)]
    child_ids: Option<X2many<AnyModel>>,
    #[serde(default)]
    date: OrFalse<Date>,
    #[serde(default)]
    write_date: OrFalse<DateTime>,
    #[serde(default)]
    image_128: OrFalse<Binary>,
    #[serde(default)]
    res_ref: OrFalse<Reference>,
    #[serde(default)]
    amount: Option<f64>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    properties: OrFalse<Value>,
    #[serde(default)]
    record: Option<Id<AnyModel>>,
}

fn recorded_bodies() -> Vec<(String, String)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/jsonrpc");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("testdata/odoo-18.0/jsonrpc")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?.to_owned();
            name.ends_with(".response.json")
                .then(|| Some((name, std::fs::read_to_string(&path).ok()?)))?
        })
        .collect();
    out.sort();
    out
}

/// Pieces spliced into bodies: JSON that is valid somewhere, and JSON that is not.
const SNIPPETS: &[&str] = &[
    "false",
    "true",
    "null",
    "0",
    "-1",
    "1e999",
    "-0",
    "2147483648",
    "9223372036854775808",
    "1.5",
    "\"\"",
    "\"x\"",
    "\"\\ud800\"",
    "\"2024-02-30\"",
    "\"2024-01-01 25:00:00\"",
    "\"res.partner,\"",
    "\"res.partner,-1\"",
    "[]",
    "[1]",
    "[1, false]",
    "[false, \"x\"]",
    "[[1]]",
    "{}",
    "{\"id\": false}",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "\\",
    "\u{e9}",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, w)| Mutation::Insert(a, w)),
        (any::<usize>(), 1usize..30).prop_map(|(a, l)| Mutation::Delete(a, l)),
        (any::<usize>(), 1usize..12, any::<usize>())
            .prop_map(|(a, l, w)| Mutation::Replace(a, l, w)),
    ]
}

#[test]
fn mutated_recorded_answers_are_errors_or_values_never_panics() {
    let bodies = recorded_bodies();
    assert_eq!(bodies.len(), 10);
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 3000,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = (
        0..bodies.len(),
        proptest::collection::vec(mutation(), 1..4),
        100u16..600,
    );
    let typed_ok = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(which, mutations, status)| {
            let body = apply(&bodies[which].1, &mutations, SNIPPETS);
            let bytes = body.as_bytes();
            // Every outcome is fine but a panic (which fails the test).
            let _ = jsonrpc::decode_response::<Value>(bytes, Some("x.read"));
            if let Ok(jsonrpc::Response::Success(_)) =
                jsonrpc::decode_response::<Vec<Row>>(bytes, Some("x.read"))
            {
                typed_ok.set(typed_ok.get() + 1);
            }
            let _ = jsonrpc::decode_response::<Row>(bytes, Some("x.read"));
            let _ = json2::decode_response::<Vec<Row>>(status, bytes, "x.read");
            let _ = json2::decode_response::<Value>(200, bytes, "x.read");
            Ok(())
        })
        .unwrap();
    // Some mutated bodies still decode into typed rows: the typed visitors ran on odd input.
    assert!(typed_ok.get() > 20, "{} typed decodes", typed_ok.get());
}

/// Any JSON value: scalars Odoo sends and does not send, nested arrays and objects.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|i| serde_json::json!(i)),
        any::<u64>().prop_map(|i| serde_json::json!(i)),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        prop::sample::select(SNIPPETS).prop_map(|s| serde_json::json!(s)),
        ".{0,24}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(Config { cases: 2000, failure_persistence: None, ..Config::default() })]

    /// Every Odoo value type takes any JSON value: a value or an error.
    #[test]
    fn every_value_type_takes_any_json_value(v in json_value()) {
        let _ = serde_json::from_value::<OrFalse<String>>(v.clone());
        let _ = serde_json::from_value::<OrFalse<Many2one<AnyModel>>>(v.clone());
        let _ = serde_json::from_value::<Option<X2many<AnyModel>>>(v.clone());
        let _ = serde_json::from_value::<OrFalse<Date>>(v.clone());
        let _ = serde_json::from_value::<OrFalse<DateTime>>(v.clone());
        let _ = serde_json::from_value::<OrFalse<Binary>>(v.clone());
        let _ = serde_json::from_value::<OrFalse<Reference>>(v.clone());
        let _ = serde_json::from_value::<Option<Id<AnyModel>>>(v.clone());
        let _ = serde_json::from_value::<Value>(v.clone());
        let _ = serde_json::from_value::<Row>(v.clone());
        let _ = serde_json::from_value::<Vec<Row>>(v);
    }
}
