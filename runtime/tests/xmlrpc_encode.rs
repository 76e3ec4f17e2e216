//! The encoder: it reproduces the recorded requests, and Python's `xmlrpc.client.loads` reads back
//! thousands of generated values equal (one Python process per test run).

mod common_codec;

use std::io::Write;
use std::process::{Command, Stdio};

use odoo_runtime::xmlrpc::{decode_call, encode_call, encode_value};
use odoo_runtime::{Error, Value};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

/// Python canonical form of parsed `methodCall`s: ints and floats tagged (floats by `repr`), so
/// that `1` and `1.0` differ and float text can be compared exactly.
const PYTHON: &str = r#"
import sys, json, base64, xmlrpc.client
def canon(x):
    if x is None: return None
    if isinstance(x, bool): return x
    if isinstance(x, int): return {"i": str(x)}
    if isinstance(x, float): return {"f": repr(x)}
    if isinstance(x, str): return x
    if isinstance(x, xmlrpc.client.DateTime): return {"dt": x.value}
    if isinstance(x, xmlrpc.client.Binary): return {"b": base64.b64encode(x.data).decode()}
    if isinstance(x, (list, tuple)): return [canon(y) for y in x]
    if isinstance(x, dict): return {"struct": [[k, canon(v)] for k, v in x.items()]}
    raise TypeError(type(x))
out = []
for body in json.load(sys.stdin):
    try:
        params, method = xmlrpc.client.loads(body.encode("utf-8"))
        out.append({"method": method, "params": canon(list(params))})
    except Exception as e:
        out.append({"error": repr(e)})
json.dump(out, sys.stdout)
"#;

/// Parses every body with Python in ONE process; returns the canonical forms.
fn python_loads(bodies: &[String]) -> Vec<serde_json::Value> {
    let mut child = Command::new("python3")
        .args(["-c", PYTHON])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed");
    let input = serde_json::to_vec(bodies).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(out.len(), bodies.len());
    out
}

/// Our canonical form of a value, matching the Python script's.
fn canon(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!({ "i": i.to_string() }),
        Value::Double(_) => {
            let xml = encode_value(v).unwrap();
            let text = xml
                .trim_start_matches("<double>")
                .trim_end_matches("</double>");
            json!({ "f": text })
        }
        Value::String(s) => json!(s),
        Value::DateTime(s) => json!({ "dt": s }),
        // Bytes travel as base64 text in a <string>.
        Value::Base64(_) => v.to_json(),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(canon).collect()),
        Value::Struct(m) => {
            json!({ "struct": m.iter().map(|(k, v)| json!([k, canon(v)])).collect::<Vec<_>>() })
        }
    }
}

#[test]
fn recorded_requests_are_reproduced() {
    let mut bodies = Vec::new();
    let mut names = Vec::new();
    for name in common_codec::exchanges() {
        let original = common_codec::request(&name);
        let (method, params) = match decode_call::<Vec<Value>>(&original) {
            Ok(call) => call,
            Err(e) => {
                // Only the deliberately malformed request may fail, and with a position.
                assert!(name.starts_with("73-"), "{name}: {e}");
                let Error::Decode(d) = e else {
                    panic!("{name}: {e}")
                };
                assert!(d.offset.is_some(), "{d}");
                continue;
            }
        };
        let ours = encode_call(&method, &params).unwrap();
        // Our decoder reads our body back to the same call.
        let (m2, p2) = decode_call::<Vec<Value>>(ours.as_bytes()).unwrap();
        assert_eq!((m2.as_ref(), &p2), (method.as_ref(), &params), "{name}");
        bodies.push(String::from_utf8(original).unwrap());
        bodies.push(ours);
        names.push(name);
    }
    assert_eq!(names.len(), 74);
    // Python reads the recorded body and ours to the same call.
    let parsed = python_loads(&bodies);
    for (i, name) in names.iter().enumerate() {
        let (theirs, ours) = (&parsed[2 * i], &parsed[2 * i + 1]);
        assert!(
            theirs.get("error").is_none(),
            "{name}: python rejected the recording: {theirs}"
        );
        assert_eq!(ours, theirs, "{name}: python reads our request differently");
    }
}

#[test]
fn i8_nil_and_untyped_strings_in_recorded_requests() {
    let body = common_codec::request(&common_codec::find("71"));
    let (_, params) = decode_call::<Vec<Value>>(&body).unwrap();
    assert_eq!(params[1], Value::Int(2), "<i8>2</i8>");
    assert_eq!(params[6].get("context"), Some(&Value::Nil), "<nil/>");
    let body = common_codec::request(&common_codec::find("72"));
    let (_, params) = decode_call::<Vec<Value>>(&body).unwrap();
    assert_eq!(params[0], Value::String("odoo18".into()), "untyped <value>");
}

#[test]
fn encoder_forms() {
    assert_eq!(encode_value(&5i64).unwrap(), "<int>5</int>");
    assert_eq!(
        encode_value(&2_147_483_647i64).unwrap(),
        "<int>2147483647</int>"
    );
    assert_eq!(
        encode_value(&2_147_483_648i64).unwrap(),
        "<i8>2147483648</i8>"
    );
    assert_eq!(
        encode_value(&-2_147_483_649i64).unwrap(),
        "<i8>-2147483649</i8>"
    );
    assert_eq!(
        encode_value(&u64::MAX).unwrap(),
        "<i8>18446744073709551615</i8>"
    );
    assert_eq!(encode_value(&true).unwrap(), "<boolean>1</boolean>");
    assert_eq!(encode_value(&None::<i32>).unwrap(), "<nil/>");
    assert_eq!(encode_value(&()).unwrap(), "<nil/>");
    assert_eq!(
        encode_value("a&b<c>d\re").unwrap(),
        "<string>a&amp;b&lt;c&gt;d&#13;e</string>"
    );
    assert_eq!(
        encode_value(&Bytes(b"hi")).unwrap(),
        "<string>aGk=</string>"
    );
    for (f, text) in [
        (1.0, "1.0"),
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (123456789.125, "123456789.125"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1.5e-7, "1.5e-07"),
        (2.5e300, "2.5e+300"),
        (f64::MAX, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
        (f64::NAN, "nan"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
    ] {
        assert_eq!(
            encode_value(&f).unwrap(),
            format!("<double>{text}</double>"),
            "{f:?}"
        );
    }
    assert_eq!(
        encode_value(&[(1, "x")]).unwrap(),
        "<array><data><value><array><data><value><int>1</int></value><value><string>x</string></value></data></array></value></data></array>"
    );
    let mut map = std::collections::BTreeMap::new();
    map.insert("k<", vec![1u8]);
    assert_eq!(
        encode_value(&map).unwrap(),
        "<struct><member><name>k&lt;</name><value><array><data><value><int>1</int></value></data></array></value></member></struct>"
    );
    // Non-string keys and characters XML cannot carry are errors, naming the problem.
    let mut bad = std::collections::BTreeMap::new();
    bad.insert(1, 2);
    let err = encode_value(&bad).unwrap_err().to_string();
    assert!(err.contains("must be strings"), "{err}");
    let err = encode_call("write", &("a\u{1}b",)).unwrap_err().to_string();
    assert!(err.contains("U+0001") && err.contains("write"), "{err}");
    let err = encode_call("m", &5).unwrap_err().to_string();
    assert!(err.contains("sequence"), "{err}");
    // No <base64> ever; a dateTime Value keeps its tag.
    assert_eq!(
        encode_value(&Value::Base64(b"hi".to_vec())).unwrap(),
        "<string>aGk=</string>"
    );
    assert_eq!(
        encode_value(&Value::DateTime("20240101T10:00:00".into())).unwrap(),
        "<dateTime.iso8601>20240101T10:00:00</dateTime.iso8601>"
    );
}

/// Bytes serialised with `serialize_bytes` (what `serde_bytes` does).
struct Bytes<'a>(&'a [u8]);

impl serde::Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// Characters XML 1.0 can carry, with the tricky ones over-represented.
fn xml_string() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => Just('&'),
        1 => Just('<'),
        1 => Just('>'),
        1 => Just('\r'),
        1 => Just('\n'),
        1 => Just('\t'),
        1 => Just(']'),
        1 => proptest::char::range('\u{80}', '\u{D7FF}'),
        1 => proptest::char::range('\u{E000}', '\u{FFFD}'),
        1 => proptest::char::range('\u{10000}', '\u{10FFFF}'),
    ];
    proptest::collection::vec(ch, 0..24).prop_map(|v| v.into_iter().collect())
}

fn double() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        2 => (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(m, e)| m as f64 / 10f64.powi(e as i32)),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
        1 => Just(1e16),
        1 => Just(1e-5),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Nil),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (i32::MIN as i64 - 2..i32::MIN as i64 + 2).prop_map(Value::Int),
        (i32::MAX as i64 - 2..i32::MAX as i64 + 2).prop_map(Value::Int),
        double().prop_map(Value::Double),
        xml_string().prop_map(Value::String),
        proptest::collection::vec(any::<u8>(), 0..16).prop_map(Value::Base64),
        (1900u32..2100, 1u32..13, 1u32..29, 0u32..24)
            .prop_map(|(y, m, d, h)| Value::DateTime(format!("{y:04}{m:02}{d:02}T{h:02}:00:00"))),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(xml_string(), inner, 0..6)
                .prop_map(|m| Value::Struct(m.into_iter().collect())),
        ]
    })
}

#[test]
fn python_reads_generated_values_back_equal() {
    const CASES: usize = 3000;
    let mut runner = TestRunner::new(Config {
        cases: CASES as u32,
        ..Config::default()
    });
    let strategy = proptest::collection::vec(value(), 0..4);
    let mut calls = Vec::with_capacity(CASES);
    let mut bodies = Vec::with_capacity(CASES);
    for i in 0..CASES {
        let params = strategy.new_tree(&mut runner).unwrap().current();
        let method = format!("m{i}.x_{}", i % 7);
        let body = encode_call(&method, &params).unwrap();
        // Our own decoder reads it back first (NaN aside, bit-equal values).
        let (m, p) = decode_call::<Vec<Value>>(body.as_bytes()).unwrap();
        assert_eq!(m, method);
        assert_eq!(
            canon(&Value::Array(p)),
            canon(&Value::Array(params.clone())),
            "{body}"
        );
        calls.push((method, params));
        bodies.push(body);
    }
    let parsed = python_loads(&bodies);
    for ((method, params), (body, py)) in calls.iter().zip(bodies.iter().zip(&parsed)) {
        let want = json!({ "method": method, "params": canon(&Value::Array(params.clone())) });
        assert_eq!(py, &want, "python reads this body differently:\n{body}");
    }
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
enum X2manyCommand {
    Clear,
    Link(i64),
    Pair(i64, String),
    Create { name: String, active: Option<bool> },
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Payload {
    name: String,
    amount: f64,
    big: i64,
    none: Option<i32>,
    tags: Vec<String>,
    commands: Vec<X2manyCommand>,
    nested: std::collections::BTreeMap<String, (u8, char)>,
}

#[test]
fn derived_types_round_trip_through_the_codec() {
    let payload = Payload {
        name: "A & B <c>".into(),
        amount: 12.5,
        big: 1 << 40,
        none: None,
        tags: vec!["x".into(), String::new()],
        commands: vec![
            X2manyCommand::Clear,
            X2manyCommand::Link(4),
            X2manyCommand::Pair(1, "p".into()),
            X2manyCommand::Create {
                name: "n".into(),
                active: Some(true),
            },
        ],
        nested: [("k".to_owned(), (7u8, 'é'))].into_iter().collect(),
    };
    let body = encode_call("write", &(&payload, 3)).unwrap();
    let (method, (back, three)) = decode_call::<(Payload, i32)>(body.as_bytes()).unwrap();
    assert_eq!(method, "write");
    assert_eq!(back, payload);
    assert_eq!(three, 3);
}
