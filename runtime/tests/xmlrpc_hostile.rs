//! Every form a server or proxy may send is read; hostile input is an error, never a panic.

mod common_codec;

use odoo_runtime::types::{Many2one, OrFalse};
use odoo_runtime::xmlrpc::{MAX_DEPTH, Response, decode_response};
use odoo_runtime::{DecodeError, Error, Value};
use proptest::prelude::*;

fn wrap(value_xml: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value>{value_xml}</value>\n</param>\n</params>\n</methodResponse>\n"
    )
}

fn value(value_xml: &str) -> Result<Value, DecodeError> {
    let body = wrap(value_xml);
    match decode_response::<Value>(body.as_bytes()) {
        Ok(Response::Success(v)) => Ok(v),
        Ok(Response::Fault(f)) => panic!("unexpected fault {f}"),
        Err(Error::Decode(e)) => Err(e),
        Err(e) => panic!("not a decode error: {e}"),
    }
}

fn decode_err(body: &[u8]) -> DecodeError {
    match decode_response::<Value>(body) {
        Err(Error::Decode(e)) => e,
        Err(e) => panic!("not a decode error: {e}"),
        Ok(v) => panic!("decoded {v:?}"),
    }
}

#[test]
fn every_accepted_form() {
    let s = |x: &str| Value::String(x.into());
    assert_eq!(value("<int>5</int>").unwrap(), Value::Int(5));
    assert_eq!(value("<i4>-5</i4>").unwrap(), Value::Int(-5));
    assert_eq!(
        value("<i8>9223372036854775807</i8>").unwrap(),
        Value::Int(i64::MAX)
    );
    assert_eq!(value("<ex:i8>7</ex:i8>").unwrap(), Value::Int(7));
    assert_eq!(value("<int> 12 </int>").unwrap(), Value::Int(12));
    assert_eq!(value("<double>1.5</double>").unwrap(), Value::Double(1.5));
    assert_eq!(
        value("<double>1e+16</double>").unwrap(),
        Value::Double(1e16)
    );
    assert!(matches!(value("<double>nan</double>").unwrap(), Value::Double(f) if f.is_nan()));
    assert_eq!(
        value("<double>-inf</double>").unwrap(),
        Value::Double(f64::NEG_INFINITY)
    );
    assert_eq!(value("<boolean>1</boolean>").unwrap(), Value::Bool(true));
    assert_eq!(value("<boolean>0</boolean>").unwrap(), Value::Bool(false));
    assert_eq!(
        value("<string>a &amp; b &lt;c&gt; &#38;&#x26; &quot;&apos;</string>").unwrap(),
        s("a & b <c> && \"'")
    );
    assert_eq!(
        value("<string><![CDATA[<raw> & ]]>x</string>").unwrap(),
        s("<raw> & x")
    );
    assert_eq!(
        value("<string>line1\r\nline2&#13;</string>").unwrap(),
        s("line1\nline2\r")
    );
    assert_eq!(value("<string></string>").unwrap(), s(""));
    assert_eq!(value("<string/>").unwrap(), s(""));
    assert_eq!(value("untyped text").unwrap(), s("untyped text"));
    assert_eq!(
        value("  ").unwrap(),
        s("  "),
        "untyped whitespace is a string, as in Python"
    );
    assert_eq!(value("").unwrap(), s(""));
    assert_eq!(
        value("\n  <int>3</int>\n  ").unwrap(),
        Value::Int(3),
        "whitespace around a typed value"
    );
    assert_eq!(value("<nil/>").unwrap(), Value::Nil);
    assert_eq!(value("<ex:nil/>").unwrap(), Value::Nil);
    assert_eq!(value("<nil></nil>").unwrap(), Value::Nil);
    assert_eq!(
        value("<dateTime.iso8601>20240131T10:00:00</dateTime.iso8601>").unwrap(),
        Value::DateTime("20240131T10:00:00".into())
    );
    assert_eq!(
        value("<base64>aGVs\nbG8=</base64>").unwrap(),
        Value::Base64(b"hello".to_vec())
    );
    assert_eq!(
        value("<array><data/></array>").unwrap(),
        Value::Array(vec![])
    );
    assert_eq!(value("<array/>").unwrap(), Value::Array(vec![]));
    assert_eq!(
        value("<array><data>\n</data></array>").unwrap(),
        Value::Array(vec![])
    );
    assert_eq!(
        value("<array><value>x</value><value/></array>").unwrap(),
        Value::Array(vec![s("x"), s("")]),
        "no <data>"
    );
    assert_eq!(value("<struct/>").unwrap(), Value::Struct(vec![]));
    assert_eq!(
        value("<struct>\n<member>\n<name>a&amp;b</name>\n<value><int>1</int></value>\n</member>\n<member><name>e</name><value/></member></struct>").unwrap(),
        Value::Struct(vec![("a&b".into(), Value::Int(1)), ("e".into(), s(""))])
    );
    assert_eq!(
        value("<!-- comment --><int>1</int><?pi x?>").unwrap(),
        Value::Int(1)
    );
    // A BOM and a doctype-free prolog with comments.
    let body = format!("\u{feff}<!-- x -->{}", wrap("<int>4</int>"));
    assert!(matches!(
        decode_response::<i64>(body.as_bytes()).unwrap(),
        Response::Success(4)
    ));
}

#[test]
fn typed_targets_read_xmlrpc_only_kinds() {
    // dateTime and base64 read as text by string targets.
    let body = wrap("<dateTime.iso8601>20240131T10:00:00</dateTime.iso8601>");
    assert!(
        matches!(decode_response::<String>(body.as_bytes()).unwrap(), Response::Success(s) if s == "20240131T10:00:00")
    );
    let body = wrap("<base64>aGVs\nbG8=</base64>");
    assert!(
        matches!(decode_response::<String>(body.as_bytes()).unwrap(), Response::Success(s) if s == "aGVsbG8=")
    );
    let body = wrap("<nil/>");
    assert!(matches!(
        decode_response::<Option<i64>>(body.as_bytes()).unwrap(),
        Response::Success(None)
    ));
    let body = wrap("<int>3</int>");
    assert!(matches!(
        decode_response::<Option<i64>>(body.as_bytes()).unwrap(),
        Response::Success(Some(3))
    ));
    // Unit enum variants from strings.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum State {
        Draft,
        Done,
    }
    let body = wrap("<string>done</string>");
    assert!(matches!(
        decode_response::<State>(body.as_bytes()).unwrap(),
        Response::Success(State::Done)
    ));
    let body = wrap("draft");
    assert!(matches!(
        decode_response::<State>(body.as_bytes()).unwrap(),
        Response::Success(State::Draft)
    ));
    let body = wrap("<int>1</int>");
    assert!(decode_response::<State>(body.as_bytes()).is_err());
}

#[test]
fn wrong_scalars_are_errors_naming_the_problem() {
    let cases = [
        ("<int>99999999999999999999</int>", "out of the 64-bit range"),
        ("<int>abc</int>", "not an integer"),
        ("<int></int>", "not an integer"),
        ("<int>1.5</int>", "not an integer"),
        ("<double>one</double>", "not a number"),
        ("<boolean>2</boolean>", "must be 0 or 1"),
        ("<boolean>true</boolean>", "must be 0 or 1"),
        ("<boolean> 1</boolean>", "must be 0 or 1"),
        ("<base64>!!!</base64>", "invalid <base64>"),
        ("<foo>1</foo>", "unknown tag <foo>"),
        ("<string>a<b>x</b></string>", "unexpected <b>"),
        ("<string>&nbsp;</string>", "unknown entity &nbsp;"),
        ("<int>1</int><int>2</int>", "expected </value>"),
        (
            "<array><data><int>1</int></data></array>",
            "expected <value>",
        ),
        ("<struct><name>a</name></struct>", "expected <member>"),
        (
            "<struct><member><value>1</value></member></struct>",
            "expected <name>",
        ),
    ];
    for (xml, want) in cases {
        let e = value(xml).unwrap_err();
        assert!(e.message.contains(want), "{xml}: {e}");
        assert!(e.offset.is_some(), "{xml}: no offset in {e}");
    }
}

#[test]
fn errors_carry_the_value_path_and_offset() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Row {
        id: i64,
        #[serde(default)]
        partner_id: OrFalse<Many2one>,
    }
    let xml = "<array><data>\
        <value><struct><member><name>id</name><value><int>1</int></value></member></struct></value>\
        <value><struct><member><name>id</name><value><int>2</int></value></member>\
        <member><name>partner_id</name><value><array><data><value><string>x</string></value></data></array></value></member></struct></value>\
        </data></array>";
    let body = wrap(xml);
    let Err(Error::Decode(e)) = decode_response::<Vec<Row>>(body.as_bytes()) else {
        panic!("must fail")
    };
    assert_eq!(e.path, "[1].partner_id[0]", "{e}");
    let offset = e.offset.unwrap() as usize;
    assert!(
        body[..offset].ends_with("<value><string>x</string>"),
        "offset {offset} points at: {}",
        &body[..offset]
    );
    let shown = e.to_string();
    assert!(
        shown.contains("[1].partner_id[0]") && shown.contains("byte"),
        "{shown}"
    );

    let body = wrap(
        "<struct><member><name>id</name><value><boolean>1</boolean></value></member></struct>",
    );
    let Err(Error::Decode(e)) = decode_response::<Row>(body.as_bytes()) else {
        panic!("must fail")
    };
    assert_eq!(e.path, "id");
    assert!(e.message.contains("invalid type: boolean"), "{e}");

    let body = wrap("<struct></struct>");
    let Err(Error::Decode(e)) = decode_response::<Row>(body.as_bytes()) else {
        panic!("must fail")
    };
    assert!(e.message.contains("missing field `id`"), "{e}");
}

#[test]
fn not_xmlrpc_bodies_are_errors() {
    let html = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let e = decode_err(html);
    assert!(e.message.contains("not an XML-RPC response"), "{e}");
    let e = decode_err(b"Internal Server Error");
    assert!(e.message.contains("expected <methodResponse>"), "{e}");
    let e = decode_err(b"");
    assert!(e.message.contains("expected <methodResponse>"), "{e}");
    let e = decode_err(b"<methodResponse>\xff\xfe</methodResponse>");
    assert!(e.message.contains("UTF-8"), "{e}");
    assert_eq!(e.offset, Some(16));
    let e = decode_err(b"<methodResponse><params></params></methodResponse>");
    assert!(e.message.contains("no value"), "{e}");
    let e = decode_err(b"<methodResponse><params/></methodResponse>");
    assert!(e.message.contains("no value"), "{e}");
    let two = "<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>";
    assert!(decode_err(two.as_bytes()).message.contains("more than one"));
    let junk = format!("{}<extra/>", wrap("<int>1</int>"));
    assert!(
        decode_err(junk.as_bytes())
            .message
            .contains("after </methodResponse>")
    );
    let mismatched = "<methodResponse><params><param><value><int>1</i4></value></param></params></methodResponse>";
    assert!(
        decode_err(mismatched.as_bytes())
            .message
            .contains("malformed XML")
    );
    // A fault without a proper struct.
    let fault =
        "<methodResponse><fault><value><string>boom</string></value></fault></methodResponse>";
    assert!(decode_err(fault.as_bytes()).message.contains("struct"));
}

#[test]
fn every_truncation_of_recorded_bodies_is_an_error() {
    for nn in ["01", "12", "26", "41", "51", "58"] {
        let name = common_codec::find(nn);
        let body = common_codec::response(&name);
        let end = body
            .windows(17)
            .position(|w| w == b"</methodResponse>")
            .unwrap()
            + 17;
        for cut in 0..end {
            let truncated = &body[..cut];
            assert!(
                decode_response::<Value>(truncated).is_err(),
                "{name} cut at {cut} decoded"
            );
            let _ = decode_response::<Vec<serde::de::IgnoredAny>>(truncated);
        }
        // Only the trailing newline after </methodResponse> may go.
        assert!(decode_response::<Value>(&body[..end]).is_ok());
    }
}

fn nested(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 40);
    for _ in 0..depth {
        s.push_str("<value><array><data>");
    }
    for _ in 0..depth {
        s.push_str("</data></array></value>");
    }
    format!(
        "<?xml version=\"1.0\"?><methodResponse><params><param>{s}</param></params></methodResponse>"
    )
}

#[test]
fn nesting_is_bounded() {
    // MAX_DEPTH levels decode (on a normal 2 MiB test thread, in debug).
    let ok = nested(MAX_DEPTH);
    assert!(decode_response::<Value>(ok.as_bytes()).is_ok());
    let too_deep = nested(MAX_DEPTH + 1);
    let e = decode_err(too_deep.as_bytes());
    assert!(e.message.contains("nested deeper than 256"), "{e}");
    // 1,000,000 nested arrays: an error, no stack overflow, into Value or a typed target.
    let huge = nested(1_000_000);
    let e = decode_err(huge.as_bytes());
    assert!(e.message.contains("nested deeper"), "{e}");
    assert!(decode_response::<Vec<Vec<Value>>>(huge.as_bytes()).is_err());
    // Skipped values are walked without recursion.
    let skipped = format!(
        "<methodResponse><params><param><value><struct><member><name>x</name>{}</member></struct></value></param></params></methodResponse>",
        &nested(100_000)["<?xml version=\"1.0\"?><methodResponse><params><param>".len()..]
            [..100_000 * 43]
    );
    #[derive(serde::Deserialize)]
    struct Nothing {}
    assert!(matches!(
        decode_response::<Nothing>(skipped.as_bytes()),
        Ok(Response::Success(Nothing {}))
    ));
}

fn mutate(body: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = body.to_vec();
    for &(pos, op, byte) in edits {
        if out.is_empty() {
            break;
        }
        let at = pos % out.len();
        match op % 3 {
            0 => out[at] = byte,
            1 => {
                out.remove(at);
            }
            _ => out.insert(at, byte),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_response::<Value>(&bytes);
        let _ = decode_response::<Vec<OrFalse<String>>>(&bytes);
    }

    #[test]
    fn fuzz_mutated_recorded_bodies_never_panic(
        which in 0usize..6,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), prop_oneof![Just(b'<'), Just(b'>'), Just(b'/'), Just(b'&'), any::<u8>()]), 1..8),
    ) {
        let name = common_codec::find(["01", "12", "26", "41", "51", "58"][which]);
        let body = mutate(&common_codec::response(&name), &edits);
        let _ = decode_response::<Value>(&body);
        let _ = decode_response::<serde::de::IgnoredAny>(&body);
    }
}
