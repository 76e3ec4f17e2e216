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
