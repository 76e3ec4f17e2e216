//! Shared helpers of the client tests: recordings, replay servers, clients, outcome checks.
#![allow(dead_code)]

use odoo_replay::{Exchange, Recordings, ReplayServer};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, Transport};
use serde_json::Value;

pub fn testdata(sub: &str) -> String {
    format!("{}/../testdata/odoo-18.0/{sub}", env!("CARGO_MANIFEST_DIR"))
}

pub fn recordings(sub: &str) -> Recordings {
    Recordings::load(testdata(sub)).unwrap()
}

pub fn server(sub: &str) -> ReplayServer {
    ReplayServer::from_dir(testdata(sub)).unwrap()
}

/// A client logged in as the recordings' admin (uid 2, password `admin`, database `odoo18`).
pub fn admin(server: &ReplayServer, transport: Transport) -> Client {
    Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .transport(transport)
        .build()
        .unwrap()
}

/// The model, method, args and kwargs of a recorded `execute_kw`, plus db, uid and secret.
#[derive(Clone)]
pub struct Call {
    pub db: String,
    pub uid: i64,
    pub secret: String,
    pub model: String,
    pub method: String,
    pub args: Value,
    pub kwargs: Value,
}

pub fn execute_kw_params(params: &[Value]) -> Call {
    Call {
        db: params[0].as_str().unwrap().to_owned(),
        uid: params[1].as_i64().unwrap(),
        secret: params[2].as_str().unwrap().to_owned(),
        model: params[3].as_str().unwrap().to_owned(),
        method: params[4].as_str().unwrap().to_owned(),
        args: params[5].clone(),
        kwargs: params.get(6).cloned().unwrap_or(Value::Null),
    }
}

/// Builds a client for `call`'s credentials and runs it through `execute_kw`.
pub async fn run_call(
    server: &ReplayServer,
    transport: Transport,
    call: &Call,
) -> Result<Value, Error> {
    let client = Client::builder()
        .url(server.url())
        .database(&call.db)
        .uid(call.uid)
        .password(call.secret.as_str())
        .transport(transport)
        .build()
        .unwrap();
    client
        .execute_kw::<Value, _, _>(&call.model, &call.method, &call.args, &call.kwargs)
        .await
}

pub fn name(e: &Exchange) -> &str {
    &e.name
}

/// Checks a client outcome against Python's decoding of the same response (`.expected.json`).
pub fn check_xmlrpc(name: &str, outcome: Result<Value, Error>, expected: &Value) {
    if let Some(result) = expected.get("result") {
        match outcome {
            Ok(value) => assert!(
                value == *result,
                "{name}: the client decoded something else"
            ),
            Err(e) => panic!("{name}: expected a result, got {e:?}"),
        }
        return;
    }
    let fault = &expected["fault"];
    let code = fault["faultCode"].as_i64().unwrap();
    let text = fault["faultString"].as_str().unwrap();
    let err = outcome.expect_err(name);
    let server = err
        .server_error()
        .unwrap_or_else(|| panic!("{name}: not a server error: {err:?}"));
    assert_eq!(server.fault_code, Some(code as i32), "{name}");
    match code {
        1 if server.message.contains("does not exist")
            && server.class == "psycopg2.OperationalError" =>
        {
            // PostgreSQL's `database "x" does not exist`: the client tells it apart.
            assert!(matches!(err, Error::UnknownDatabase(_)), "{name}: {err:?}");
            assert_eq!(server.traceback.as_deref(), Some(text), "{name}");
        }
        1 => {
            assert!(matches!(err, Error::Server(_)), "{name}: {err:?}");
            assert_eq!(server.traceback.as_deref(), Some(text), "{name}");
            let last = text.trim_end().lines().last().unwrap();
            assert!(
                last.starts_with(&format!("{}: ", server.class)) || last == server.class,
                "{name}: {last}"
            );
            assert!(
                text.trim_end().ends_with(server.message.trim_end()),
                "{name}"
            );
        }
        2 => {
            assert!(matches!(err, Error::UserError(_)), "{name}: {err:?}");
            assert_eq!(server.message, text);
        }
        3 => {
            assert!(matches!(err, Error::AccessDenied(_)), "{name}: {err:?}");
            assert_eq!(server.message, text);
        }
        4 => {
            assert!(matches!(err, Error::AccessError(_)), "{name}: {err:?}");
            assert_eq!(server.message, text);
        }
        other => panic!("{name}: unexpected fault code {other}"),
    }
}

/// Checks a client outcome against the recorded JSON-RPC answer: the same result, or the error of
/// the class `error.data.name` names, with its message and traceback.
pub fn check_jsonrpc(name: &str, outcome: Result<Value, Error>, recorded: &Value) {
    if let Some(error) = recorded.get("error") {
        let err = outcome.expect_err(name);
        let data = &error["data"];
        let server_error = err
            .server_error()
            .unwrap_or_else(|| panic!("{name}: {err:?}"));
        assert_eq!(
            server_error.message,
            data["message"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            server_error.traceback.as_deref(),
            data["debug"].as_str(),
            "{name}"
        );
        assert!(
            error_kind_matches(&err, data["name"].as_str().unwrap()),
            "{name}: {err:?}"
        );
    } else {
        let value = outcome.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        // A missing `result` (a method returning None) decodes as null.
        let expected = recorded.get("result").unwrap_or(&Value::Null);
        assert!(value == *expected, "{name}: decoded something else");
    }
}

/// Whether `err` is the variant an exception of class `class` (`serialize_exception`'s `name`)
/// maps to.
pub fn error_kind_matches(err: &Error, class: &str) -> bool {
    match class {
        "odoo.exceptions.AccessDenied" => matches!(err, Error::AccessDenied(_)),
        "odoo.exceptions.AccessError" => matches!(err, Error::AccessError(_)),
        "odoo.exceptions.UserError" => matches!(err, Error::UserError(_)),
        "odoo.exceptions.ValidationError" => matches!(err, Error::ValidationError(_)),
        "odoo.exceptions.MissingError" => matches!(err, Error::MissingError(_)),
        // PostgreSQL's `database "x" does not exist`: the client tells an unknown database apart.
        "psycopg2.OperationalError"
            if err
                .server_error()
                .is_some_and(|e| e.message.contains("does not exist")) =>
        {
            matches!(err, Error::UnknownDatabase(_))
        }
        _ => matches!(err, Error::Server(_)),
    }
}
