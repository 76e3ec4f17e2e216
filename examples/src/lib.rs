//! The examples of the Odoo External API documentation, written against generated bindings
//! (`examples/bindings`, generated from `testdata/odoo-18.0/snapshot`, the schema of the recorded
//! Odoo 18.0 server).
//!
//! Each example is a module with an async `run` function (what the documentation does, through the
//! typed API) and a program in `src/bin/` that connects with the `ODOO_URL`, `ODOO_DB`, `ODOO_USER`
//! and `ODOO_PASSWORD` environment variables (`ODOO_TRANSPORT` optional: `auto`, `xmlrpc`,
//! `jsonrpc`, `json2`) and prints the result:
//!
//! | program | documentation section | calls |
//! |---|---|---|
//! | `version` | Logging in | `common.version()` |
//! | `authenticate` | Logging in | `common.authenticate(...)` |
//! | `check_access_rights` | Calling methods | `res.partner.check_access_rights("read", raise_exception=False)` |
//! | `list_records` | List records | `search([["is_company", "=", true]])` |
//! | `pagination` | Pagination | `search(..., offset=10, limit=5)` |
//! | `count_records` | Count records | `search_count(...)` |
//! | `read_records` | Read records | `search(limit=1)`, `read(ids)`, `read(ids, fields=[...])` |
//! | `list_fields` | List record fields | `fields_get(attributes=["string", "help", "type"])` |
//! | `search_read` | Search and read | `search_read(..., fields=[...], limit=5)` |
//! | `create_record` | Create records | `create({"name": "New Partner"})` |
//! | `update_record` | Update records | `write([id], {...})`, `read([id], ["display_name"])` |
//! | `delete_record` | Delete records | `unlink([id])`, `search([["id", "=", id]])` |
//! | `custom_model` | Inspection and introspection | `ir.model` / `ir.model.fields` / `ir.model.access` create, then records of `x_custom` |

pub mod examples;

use std::fmt::Display;
use std::future::Future;
use std::process::ExitCode;

use odoo_runtime::client::{Client, Transport};
use odoo_runtime::{Error, Result};

pub use examples::*;

/// A client from `ODOO_URL`, `ODOO_DB`, `ODOO_USER`, and `ODOO_API_KEY` when it is set, else
/// `ODOO_PASSWORD` (and optional `ODOO_TRANSPORT`).
pub fn client_from_env() -> Result<Client> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::Config(format!("environment variable {name} is not set")))
    };
    let transport = match std::env::var("ODOO_TRANSPORT") {
        Ok(t) if !t.is_empty() => t.parse::<Transport>()?,
        _ => Transport::Auto,
    };
    let builder = Client::builder()
        .url(var("ODOO_URL")?)
        .database(var("ODOO_DB")?)
        .login(var("ODOO_USER")?)
        .transport(transport);
    // JSON-2 takes only an API key; XML-RPC and JSON-RPC take either.
    let builder = if var("ODOO_API_KEY").is_ok() {
        builder.api_key_env("ODOO_API_KEY")
    } else {
        builder.password_env("ODOO_PASSWORD")
    };
    builder.build()
}

/// The `main` of every example program: connects from the environment, runs `example` on a
/// single-threaded runtime, prints its result (or the error, exit code 1).
pub fn run_main<F, Fut, T>(example: F) -> ExitCode
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T>>,
    T: Display,
{
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Config(format!("cannot start the async runtime: {e}")))
        .and_then(|rt| {
            let client = client_from_env()?;
            rt.block_on(example(client))
        });
    match outcome {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The record id given as the program's first argument, if any (`update_record 77`).
pub fn id_argument() -> Result<Option<i64>> {
    match std::env::args().nth(1) {
        None => Ok(None),
        Some(arg) => arg
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Error::Config(format!("expected a record id as argument, got `{arg}`"))),
    }
}
