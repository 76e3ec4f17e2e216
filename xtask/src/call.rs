//! `cargo xtask call MODEL METHOD [ARGS_JSON [KWARGS_JSON]]`: one `execute_kw` against the instance
//! named by the connection options, result printed as JSON on stdout.
//!
//! Exit codes (this command's own contract): 0 success; 1 the server raised an Odoo error (its class
//! and message are printed on stderr); 2 the call could not be made: bad URL, unreachable server,
//! not an Odoo answer, unknown database, wrong login/password/key, or bad arguments.

use std::io::Write;
use std::process::ExitCode;

use odoo_runtime::Error as RuntimeError;
use serde_json::Value;

use crate::connection::ConnectionArgs;

/// Options of `cargo xtask call`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 success, 1 Odoo error (class and message on stderr), \
                        2 bad URL, credentials, database or arguments.\n\
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
}

/// The outcome before printing (kept apart from I/O for tests).
enum Outcome {
    Result(Value),
    /// Exit 1: an Odoo error.
    OdooError(String),
    /// Exit 2: the call could not be made.
    CannotCall(String),
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let outcome = match execute(&args) {
        Ok(outcome) => outcome,
        Err(err) => Outcome::CannotCall(crate::exit::one_line(&err)),
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
        Outcome::CannotCall(line) => {
            eprintln!("error: {line}");
            Ok(ExitCode::from(2))
        }
    }
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
            return Ok(Outcome::CannotCall(
                "ARGS_JSON must be a JSON list, e.g. '[[1, 2]]'".to_owned(),
            ));
        }
        Err(e) => return Ok(Outcome::CannotCall(e)),
    };
    let kwargs = match parse_json(
        "KWARGS_JSON",
        args.kwargs.as_deref(),
        Value::Object(Default::default()),
    ) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            return Ok(Outcome::CannotCall(
                "KWARGS_JSON must be a JSON object, e.g. '{\"limit\": 5}'".to_owned(),
            ));
        }
        Err(e) => return Ok(Outcome::CannotCall(e)),
    };
    let client = args.connection.client()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Connecting and logging in: any failure here is a URL, database or credentials problem.
        if let Err(err) = client.authenticate().await {
            return Ok(Outcome::CannotCall(connection_problem(&err)));
        }
        match client
            .execute_kw::<Value, _, _>(&args.model, &args.method, &positional, &kwargs)
            .await
        {
            Ok(value) => Ok(Outcome::Result(value)),
            Err(err) => Ok(match err.server_error() {
                Some(server) => {
                    Outcome::OdooError(format!("{}: {}", server.class, one_line(&server.message)))
                }
                None => Outcome::CannotCall(one_line(&err.to_string())),
            }),
        }
    })
}

/// One line saying why the connection failed.
fn connection_problem(err: &RuntimeError) -> String {
    let what = match err {
        RuntimeError::AccessDenied(_) => "wrong login, password or API key".to_owned(),
        RuntimeError::Server(e)
            if e.message.contains("database \"") && e.message.contains("does not exist") =>
        {
            format!("unknown database ({})", one_line(&e.message))
        }
        other => one_line(&other.to_string()),
    };
    format!("cannot log in: {what}")
}

fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 400 {
        line.chars().take(399).collect::<String>() + "…"
    } else {
        line
    }
}
