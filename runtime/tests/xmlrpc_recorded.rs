//! Every recorded Odoo 18 XML-RPC response decodes into `Value` exactly as Python decoded it.

mod common_codec;

use common_codec::{exchanges, expected, response};
use odoo_runtime::Value;
use odoo_runtime::xmlrpc::{FaultKind, Response, decode_response};

fn decoded_json(name: &str) -> serde_json::Value {
    let body = response(name);
    match decode_response::<Value>(&body).unwrap_or_else(|e| panic!("{name}: {e}")) {
        Response::Success(v) => serde_json::json!({ "result": v.to_json() }),
        Response::Fault(f) => {
            serde_json::json!({ "fault": { "faultCode": f.code, "faultString": f.message } })
        }
    }
}

#[test]
fn all_75_recorded_responses_decode_like_python() {
    let names = exchanges();
    assert_eq!(names.len(), 75, "expected the 75 recorded exchanges");
    let mut faults = 0;
    for name in &names {
        let want = expected(name);
        let got = decoded_json(name);
        if want.get("fault").is_some() {
            faults += 1;
        }
        assert!(
            got == want,
            "{name}: decoded value differs from {name}.expected.json"
        );
    }
    assert_eq!(faults, 16, "the recordings hold 16 faults");
}

#[test]
fn fault_kinds_and_exceptions() {
    let fault = |nn: &str| {
        let name = common_codec::find(nn);
        match decode_response::<Value>(&response(&name)).unwrap() {
            Response::Fault(f) => f,
            Response::Success(_) => panic!("{name} is not a fault"),
        }
    };
    // 73: malformed request → code 1 with a traceback ending in an ExpatError.
    let f = fault("73");
    assert_eq!(f.kind(), FaultKind::Server);
    let e = f.exception().unwrap();
    assert_eq!(e.class, "xml.parsers.expat.ExpatError");
    assert_eq!(e.message, "no element found: line 1, column 62");
    // 26: bad domain → ValueError.
    let f = fault("26");
    assert_eq!(f.kind(), FaultKind::Server);
    assert_eq!(f.exception_class(), Some("ValueError"));
    // 30: wrong password on execute_kw → AccessDenied (3), no traceback.
    let f = fault("30");
    assert_eq!(f.kind(), FaultKind::AccessDenied);
    assert_eq!(f.exception(), None);
    // 32: portal user → AccessError (4).
    assert_eq!(fault("32").kind(), FaultKind::AccessError);
    // 24: write on a deleted record → MissingError, fault 2.
    assert_eq!(fault("24").kind(), FaultKind::User);
}

#[test]
fn strings_are_borrowed_from_the_body_when_possible() {
    #[derive(serde::Deserialize)]
    struct Version<'a> {
        #[serde(borrow)]
        server_version: &'a str,
        server_serie: &'a str,
        protocol_version: i64,
    }
    let body = response(&common_codec::find("01"));
    let Response::Success(v) = decode_response::<Version<'_>>(&body).unwrap() else {
        panic!("fault")
    };
    assert_eq!(
        (v.server_version, v.server_serie, v.protocol_version),
        ("18.0", "18.0", 1)
    );
    let range = body.as_ptr_range();
    assert!(
        range.contains(&v.server_version.as_ptr()),
        "server_version must borrow from the body"
    );
}
