//! `cargo xtask call MODEL METHOD [ARGS_JSON [KWARGS_JSON]]`: one `execute_kw` against the instance
//! named by the connection options, result printed as JSON on stdout.
//!
//! Exit codes (this command's own contract, for scripts that tell "Odoo said no" from "no call was
//! made"): 0 success; 1 the server raised an Odoo error (its class and message are printed on
//! stderr); 2 the call could not be made: bad URL, unreachable server, not an Odoo answer, unknown
//! database, wrong login/password/key, or bad arguments. A failure to call prints the same `error:`
//! and `hint:` lines as the other commands; the hint tells which of those it was.

use std::io::Write;
use std::process::ExitCode;

use serde_json::Value;

use crate::connection::ConnectionArgs;

/// Options of `cargo xtask call`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes (call's own, unlike the other commands'): 0 success, 1 Odoo error \
                        (class and message on stderr), 2 the call could not be made (bad URL, \
                        unreachable or not Odoo, credentials, database or arguments: the `hint:` \
                        line tells which).\n\
                        Example: cargo xtask call res.partner search_read '[[[\"is_company\",\"=\",true]]]' \
                        '{\"fields\":[\"name\"],\"limit\":3}'"
)]
pub struct Args {
    /// Model, e.g. res.partner.
    pub model: String,
    /// Method, e.g. search_read.
    pub method: String,
    /// Positional arguments as a JSON list (default `[]`).
    #[arg(value_name = "ARGS_JSON")]
    pub args: Option<String>,
    /// Keyword arguments as a JSON object (default `{}`); a `context` in it is sent as the call's
    /// context.
    #[arg(value_name = "KWARGS_JSON")]
    pub kwargs: Option<String>,
    /// Print the result on one line.
    #[arg(long)]
    pub compact: bool,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(flatten)]
    pub demo: crate::demo::DemoArgs,
}

/// The outcome before printing (kept apart from I/O for tests).
enum Outcome {
    Result(Value),
    /// Exit 1: an Odoo error.
    OdooError(String),
    /// Exit 2: the call could not be made.
    CannotCall(anyhow::Error),
}

/// Runs the command.
pub fn run(mut args: Args) -> anyhow::Result<ExitCode> {
    let demo = args.demo.clone();
    let outcome = match demo
        .resolve(&mut args.connection)
        .and_then(|()| execute(&args))
    {
        Ok(outcome) => outcome,
        Err(err) => Outcome::CannotCall(err),
    };
    match outcome {
        Outcome::Result(value) => {
            let text = if args.compact {
                serde_json::to_string(&value)?
            } else {
                serde_json::to_string_pretty(&value)?
            };
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Outcome::OdooError(line) => {
            eprintln!("{line}");
            Ok(ExitCode::from(1))
        }
        Outcome::CannotCall(err) => {
            // The usual `error:`/`hint:` lines, with this command's exit code.
            let err = crate::demo::explain_expired(err, Some(&args.connection));
            let _ = crate::exit::report(&err);
            Ok(ExitCode::from(crate::exit::Failure::Usage.code()))
        }
    }
}

/// A bad argument: a usage error (`hint:` points at `--help`).
fn bad_argument(message: String) -> Outcome {
    Outcome::CannotCall(crate::exit::UsageError(message).into())
}

fn parse_json(what: &str, text: Option<&str>, default: Value) -> Result<Value, String> {
    match text {
        None => Ok(default),
        Some(t) => serde_json::from_str(t).map_err(|e| format!("{what} is not valid JSON: {e}")),
    }
}

fn execute(args: &Args) -> anyhow::Result<Outcome> {
    let positional = match parse_json("ARGS_JSON", args.args.as_deref(), Value::Array(Vec::new())) {
        Ok(v @ Value::Array(_)) => v,
        Ok(_) => {
            return Ok(bad_argument(
                "ARGS_JSON must be a JSON list, e.g. '[[1, 2]]'".to_owned(),
            ));
        }
        Err(e) => return Ok(bad_argument(e)),
    };
    let kwargs = match parse_json(
        "KWARGS_JSON",
        args.kwargs.as_deref(),
        Value::Object(Default::default()),
    ) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            return Ok(bad_argument(
                "KWARGS_JSON must be a JSON object, e.g. '{\"limit\": 5}'".to_owned(),
            ));
        }
        Err(e) => return Ok(bad_argument(e)),
    };
    let client = args.connection.client()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Connecting and logging in: any failure here is a URL, database or credentials problem.
        if let Err(err) = client.authenticate().await {
            return Ok(Outcome::CannotCall(
                anyhow::Error::new(err).context("cannot log in"),
            ));
        }
        match client
            .execute_kw::<Value, _, _>(&args.model, &args.method, &positional, &kwargs)
            .await
        {
            Ok(value) => Ok(Outcome::Result(value)),
            Err(err) => Ok(match err.server_error() {
                Some(server) => Outcome::OdooError(format!(
                    "{}: {}",
                    server.class,
                    crate::exit::squeeze(&server.message)
                )),
                None => Outcome::CannotCall(err.into()),
            }),
        }
    })
}
