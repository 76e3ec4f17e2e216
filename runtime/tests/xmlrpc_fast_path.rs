//! The canonical-subset tokenizer (the fast path of `decode_response`) against quick-xml's
//! `Reader` (the full path): real server output takes the fast path, and on any body whatsoever
//! the fast path either gives up or gives exactly what the full path gives.

mod common_codec;

use std::collections::BTreeMap;

use common_codec::mutate::{Mutation, apply};
use odoo_runtime::Value;
use odoo_runtime::types::{Many2one, OrFalse, X2many};
use odoo_runtime::xmlrpc::{
    Response, Tokenizer, decode_call, decode_call_using, decode_response, decode_response_using,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Deserialize;

enum AnyModel {}

/// A typed row: options, three-state values, many2one pairs, id lists, and unknown members
/// skipped (`deny_unknown_fields` is off), so the typed entry points of the deserializer run too.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Row {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    name: OrFalse<String>,
    #[serde(default)]
    display_name: OrFalse<String>,
    #[serde(default)]
    model: OrFalse<String>,
    #[serde(default)]
    parent_id: OrFalse<Many2one<AnyModel>>,
    #[serde(default)]
    company_id: OrFalse<Many2one<AnyModel>>,
    #[serde(default)]
    child_ids: Option<X2many<AnyModel>>,
    #[serde(default)]
    active: Option<bool>,
}

/// What a decode gave, in a form that compares NaN equal to itself and errors by their text.
fn outcome<T: std::fmt::Debug>(r: odoo_runtime::Result<Response<T>>) -> Result<String, String> {
    r.map(|v| format!("{v:?}")).map_err(|e| e.to_string())
}

/// Checks the contract on one body, for `Value` and for typed rows.
fn check(body: &[u8]) -> Result<(), String> {
    check_as::<Value>(body)?;
    check_as::<Vec<Row>>(body)?;
    check_as::<BTreeMap<String, Value>>(body)
}

fn check_as<'de, T: Deserialize<'de> + std::fmt::Debug>(body: &'de [u8]) -> Result<(), String> {
    let fast = outcome(decode_response_using::<T>(body, Tokenizer::Canonical));
    let full = outcome(decode_response_using::<T>(body, Tokenizer::QuickXml));
    let public = outcome(decode_response::<T>(body));
    if let Ok(v) = &fast
        && full.as_ref() != Ok(v)
    {
        return Err(format!(
            "the fast path decoded what the full path did not:\nfast: {v}\nfull: {full:?}"
        ));
    }
    if public != full {
        return Err(format!(
            "decode_response differs from the full path:\npublic: {public:?}\nfull: {full:?}"
        ));
    }
    Ok(())
}

#[test]
fn every_recorded_response_takes_the_fast_path_and_decodes_the_same() {
    let names = common_codec::exchanges();
    assert_eq!(names.len(), 75);
    for name in &names {
        let body = common_codec::response(name);
        let fast = decode_response_using::<Value>(&body, Tokenizer::Canonical)
            .unwrap_or_else(|e| panic!("{name}: Odoo's own output left the fast path: {e}"));
        let full = decode_response_using::<Value>(&body, Tokenizer::QuickXml)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{name}");
        check(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The recorded requests (Python's `xmlrpc.client` wrote them) decode the same on both paths; the
/// well-formed ones on the fast path.
#[test]
fn every_recorded_request_decodes_the_same_on_both_paths() {
    let mut fast_ok = 0;
    for name in common_codec::exchanges() {
        let body = common_codec::request(&name);
        let fast = decode_call_using::<Vec<Value>>(&body, Tokenizer::Canonical);
        let full = decode_call_using::<Vec<Value>>(&body, Tokenizer::QuickXml);
        let public = decode_call::<Vec<Value>>(&body);
        let show = |r: &odoo_runtime::Result<(std::borrow::Cow<'_, str>, Vec<Value>)>| match r {
            Ok(v) => Ok(format!("{v:?}")),
            Err(e) => Err(e.to_string()),
        };
        if fast.is_ok() {
            fast_ok += 1;
            assert_eq!(show(&fast), show(&full), "{name}");
        }
        assert_eq!(show(&public), show(&full), "{name}");
    }
    // All but the one recorded malformed request.
    assert_eq!(fast_ok, 74);
}

/// Forms outside the canonical subset (each makes the fast path give up) still decode, through
/// the full path, to what they mean.
#[test]
fn forms_outside_the_subset_fall_back_to_the_full_path() {
    let wrap = |inner: &str| {
        format!(
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>{inner}</value>\n</param>\n</params>\n</methodResponse>\n"
        )
    };
    let cases = [
        (
            "<string><![CDATA[a<b]]></string>",
            Value::String("a<b".into()),
        ),
        (
            "<string>a<!-- note -->b</string>",
            Value::String("ab".into()),
        ),
        (
            "<string>line\r\nnext</string>",
            Value::String("line\nnext".into()),
        ),
        (
            "<string xml:space=\"preserve\">x</string>",
            Value::String("x".into()),
        ),
        ("<string >x</string >", Value::String("x".into())),
        ("<ex:nil xmlns:ex=\"urn:x\"/>", Value::Nil),
        (
            "<string>caf\u{e9}</string>",
            Value::String("caf\u{e9}".into()),
        ),
        (
            "<string>&#233;&#xE9;&amp;</string>",
            Value::String("\u{e9}\u{e9}&".into()),
        ),
    ];
    for (inner, want) in cases {
        let body = wrap(inner);
        let got = match decode_response::<Value>(body.as_bytes()) {
            Ok(Response::Success(v)) => v,
            other => panic!("{inner}: {other:?}"),
        };
        assert_eq!(got, want, "{inner}");
        check(body.as_bytes()).unwrap_or_else(|e| panic!("{inner}: {e}"));
    }
    // The canonical tokenizer itself gives up on the ones it does not cover.
    for inner in [
        "<string><![CDATA[a<b]]></string>",
        "<string>a<!-- note -->b</string>",
        "<string>line\r\nnext</string>",
        "<string xml:space=\"preserve\">x</string>",
        "<string >x</string >",
    ] {
        let body = wrap(inner);
        assert!(
            decode_response_using::<Value>(body.as_bytes(), Tokenizer::Canonical).is_err(),
            "{inner}"
        );
    }
}

/// Pieces spliced into bodies: markup the subset has, markup it does not, and broken markup.
const SNIPPETS: &[&str] = &[
    "<",
    ">",
    "/",
    "</",
    "/>",
    "&",
    ";",
    "&amp;",
    "&lt;",
    "&#65;",
    "&#x1F600;",
    "&#0;",
    "&#xD800;",
    "&bogus;",
    "&#;",
    "\r",
    "\r\n",
    " ",
    "\n",
    "<!-- c -->",
    "<![CDATA[x<y]]>",
    "<?pi x?>",
    "<!DOCTYPE x>",
    "<value>",
    "</value>",
    "<value/>",
    "<string>",
    "</string>",
    "<int>7</int>",
    "<i8>9223372036854775807</i8>",
    "<boolean>2</boolean>",
    "<double>nan</double>",
    "<nil/>",
    "<ex:nil/>",
    "<array><data>",
    "</data></array>",
    "<array/>",
    "<struct>",
    "</struct>",
    "<struct/>",
    "<member>",
    "</member>",
    "<member/>",
    "<name>",
    "</name>",
    "<name/>",
    "<data/>",
    " a=\"1\"",
    "<Value>",
    "<1x>",
    "<:x>",
    "\u{e9}",
    "\u{feff}",
    "<?xml version='1.0'?>",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, w)| Mutation::Insert(a, w)),
        2 => (any::<usize>(), 1usize..40).prop_map(|(a, l)| Mutation::Delete(a, l)),
        1 => (any::<usize>(), 1usize..80).prop_map(|(a, l)| Mutation::Duplicate(a, l)),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, w)| Mutation::InsertAfterTag(a, w)),
    ]
}

/// The recorded responses small enough to mutate thousands of times.
fn small_bodies() -> Vec<(String, String)> {
    common_codec::exchanges()
        .into_iter()
        .filter_map(|name| {
            let body = String::from_utf8(common_codec::response(&name)).ok()?;
            (body.len() <= 16 * 1024).then_some((name, body))
        })
        .collect()
}

#[test]
fn mutated_bodies_never_decode_differently_on_the_fast_path() {
    let bodies = small_bodies();
    assert!(bodies.len() > 40, "{} small recorded bodies", bodies.len());
    // A fixed seed: the same bodies on every run, so the count checked below is stable.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 4000,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = (0..bodies.len(), proptest::collection::vec(mutation(), 1..4));
    let fast_ok = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(which, mutations)| {
            let (name, base) = &bodies[which];
            let body = apply(base, &mutations, SNIPPETS);
            if decode_response_using::<Value>(body.as_bytes(), Tokenizer::Canonical).is_ok() {
                fast_ok.set(fast_ok.get() + 1);
            }
            check(body.as_bytes())
                .map_err(|e| TestCaseError::fail(format!("{name} {mutations:?}:\n{body}\n{e}")))
        })
        .unwrap();
    // The mutations leave a share of bodies valid and canonical: the comparison is not vacuous.
    let fast_ok = fast_ok.get();
    eprintln!("{fast_ok} of 4000 mutated bodies decoded on the fast path");
    assert!(
        fast_ok > 150,
        "only {fast_ok} mutated bodies decoded on the fast path"
    );
}
